/*
 * lptim_wakeup_cm4.c (CM4) - LPTIM1 as the wake-up source of the CM4's Stop, with the
 * HAL's register sequences (HAL_RCCEx_PeriphCLKConfig for the LPTIM1 kernel clock,
 * HAL_LPTIM_Init, HAL_LPTIM_Counter_Start_IT, HAL_LPTIM_IRQHandler, HAL_PWREx_EnterSTOP
 * Mode); the low-power counterpart of ST's LPTIM examples, whose pulses come from a pin.
 * Pair: lptim_wakeup_cm7.elf (console, and it times the wake-ups).
 *
 *  1. LSI on (RCC_CSR.LSION, wait LSIRDY); RCC_D2CCIP2R.LPTIM1SEL = 100 (lsi_ck);
 *     RCC_APB1LENR.LPTIM1EN.
 *  2. HAL_LPTIM_Init: CFGR with PRESC = /1, internal clock, while disabled.
 *     HAL_LPTIM_Counter_Start_IT(period 6399): IER.ARRMIE (disabled), CR.ENABLE, ARR =
 *     6399 (6400 / 32 kHz = 200 ms), wait ARROK, CR.CNTSTRT.  NVIC LPTIM1_IRQn (93) on.
 *  3. Three times: HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI,
 *     PWR_D2_DOMAIN).  The ARR match raises lptim1_wkup, EXTI direct line 47 (unmasked
 *     for CPU2 at reset): it restarts the CM4, then LPTIM1_IRQHandler clears ARRM
 *     (ICR.ARRMCF) - HAL_LPTIM_IRQHandler.
 * Console: "CM4: LPTIM1 wake-up <k>" three times, "CM4 done".
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

static volatile uint32_t s_arrm;

void LPTIM1_IRQHandler(void);
void LPTIM1_IRQHandler(void)
{
    if ((LPTIM1->ISR & LPTIM_ISR_ARRM) && (LPTIM1->IER & LPTIM_ISR_ARRM)) {
        LPTIM1->ICR = LPTIM_ISR_ARRM;
        s_arrm = s_arrm + 1u; /* HAL_LPTIM_AutoReloadMatchCallback */
    }
}

int main(void)
{
    demo_time_start();
    uart_attach();
    RCC->CSR |= RCC_CSR_LSION;
    lp_wait_set(&RCC->CSR, RCC_CSR_LSIRDY);
    RCC->D2CCIP2R = (RCC->D2CCIP2R & ~RCC_D2CCIP2R_LPTIM1SEL_Msk) | (RCC_LPTIMSEL_LSI << RCC_D2CCIP2R_LPTIM1SEL_Pos);
    RCC->APB1LENR |= RCC_APB1LENR_LPTIM1EN;
    (void)RCC->APB1LENR;

    LPTIM1->CFGR = 0u;               /* HAL_LPTIM_Init: PRESC /1, internal clock */
    LPTIM1->IER = LPTIM_ISR_ARRM;    /* HAL_LPTIM_Counter_Start_IT */
    LPTIM1->CR = LPTIM_CR_ENABLE;
    LPTIM1->ARR = 6399u;
    lp_wait_set(&LPTIM1->ISR, LPTIM_ISR_ARROK);
    LPTIM1->ICR = LPTIM_ISR_ARROK;
    LPTIM1->CR = LPTIM_CR_ENABLE | LPTIM_CR_CNTSTRT;
    NVIC->IPR[LPTIM1_IRQn] = 0x00u;
    nvic_enable_irq(LPTIM1_IRQn);

    for (unsigned k = 1; k <= 3; k++) {
        pwr_enter_stop(LP_D2, 0);
        uart_printf("CM4: LPTIM1 wake-up %u\n", (unsigned)s_arrm);
        hal_delay_ms(20u); /* awake long enough for the CM7 to see D2CKRDY = 1 */
    }
    uart_puts("CM4 done\n");
    cm_idle_forever();
}
