/*
 * lptim_pulse_counter_cm4.c (CM4) - the Cortex-M4 side of ST's LPTIM_PulseCounter
 * example (NUCLEO-H745ZI-Q, STM32H745I-DISCO, STM32H747I-DISCO: the same CM4 main.c),
 * in ST's order: HSEM clock, HAL_HSEM_ActivateNotification(semaphore 0) (HSEM_C2IER),
 * HAL_PWREx_ClearPendingEvent (SEV, WFE), HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON,
 * PWR_STOPENTRY_WFE, PWR_D2_DOMAIN): D2 in Stop, waiting for a notification the CM7 of
 * this example never sends.  If it ever wakes: __HAL_HSEM_CLEAR_FLAG, then the example's
 * endless loop (here with WFI; ST's HAL_Init before it is left out).  It prints nothing (nor does ST's).  Pair: lptim_pulse_counter_cm7.elf.
 */
#include <stdint.h>

#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

DEMO_TIME_DEFINE()

int main(void)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
    HSEM->C2IER |= HSEM_SEM_BIT(0);
    pwr_clear_pending_event();
    pwr_enter_stop(LP_D2, 1);
    HSEM->C2ICR |= HSEM_SEM_BIT(0);
    for (;;) {
        cm_wfi();
    }
}
