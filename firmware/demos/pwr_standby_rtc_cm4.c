/*
 * pwr_standby_rtc_cm4.c (CM4) - ST's PWR_STANDBY_RTC for the NUCLEO-H745ZI-Q, Cortex-M4
 * side (STM32CubeH7, Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_STANDBY_RTC/CM4): the boot
 * park in D2 Stop until the CM7 frees HSEM 0, then HAL_PWREx_EnterSTANDBYMode(
 * PWR_D3_DOMAIN) and (PWR_D2_DOMAIN).  After the system left Standby (PWR_CPU2CR.SBF, a
 * system reset) it reports and stops instead.  Pair: pwr_standby_rtc_cm7.elf.
 * Console: "CM4: resumed from Standby (SBF=1, RSR=0x<flags>)", "CM4 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

DEMO_TIME_DEFINE()

void HSEM2_IRQHandler(void);
void HSEM2_IRQHandler(void)
{
    const uint32_t misr = HSEM->C2MISR; /* HAL_HSEM_IRQHandler */
    HSEM->C2IER &= ~misr;
    HSEM->C2ICR = misr;
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
    NVIC->IPR[HSEM2_IRQn] = 0x00u;
    nvic_enable_irq(HSEM2_IRQn);
    HSEM->C2IER |= HSEM_SEM_BIT(0);
    pwr_clear_pending_event();
    pwr_enter_stop(LP_D2, 1);
    HSEM->C2IER &= ~HSEM_SEM_BIT(0);
    demo_time_start();
    hal_delay_ms(10u); /* HAL_Init and the rest of the start-up */
    if (PWR->CPU2CR & PWR_CPU2CR_SBF) {
        uart_attach();
        uart_printf("CM4: resumed from Standby (SBF=1, RSR=0x%08x)\n", (unsigned)(rsr & RCC_RSR_FLAGS));
        PWR->CPU2CR |= PWR_CPU2CR_CSSF;
        RCC->RSR |= RCC_RSR_RMVF;
        uart_puts("CM4 done\n");
        cm_idle_forever();
    }
    RCC->RSR |= RCC_RSR_RMVF;
    pwr_enter_standby(LP_D3);
    pwr_enter_standby(LP_D2);
    for (;;) {
    }
}
