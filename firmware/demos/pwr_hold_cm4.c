/*
 * pwr_hold_cm4.c (CM4) - ST's PWR_Hold_Mechanism for the NUCLEO-H745ZI-Q, Cortex-M4
 * side, scenario CM4_HOLD_TEST (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_Hold_Mechanism/CM4): one round of its loop
 * with HAL_Delay(300) instead of 3000.  Pair: pwr_hold_cm7.elf.
 *
 *  1. Boot park: HSEM clock; NVIC HSEM2_IRQn (126) on; HAL_HSEM_ActivateNotification(0)
 *     (HSEM_C2IER bit 0); HAL_PWREx_ClearPendingEvent (SEV, WFE);
 *     HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFE, PWR_D2_DOMAIN);
 *     after the CM7 frees semaphore 0: HAL_HSEM_DeactivateNotification(0) (C2IER bit 0
 *     cleared; HSEM2_IRQHandler clears C2ICR).
 *  2. HAL_Init (SysTick); NVIC RTC_WKUP_IRQn (3) on - ST's CM4 leaves it off; with it the
 *     WFI below returns once the CPU is clocked again (a pending interrupt that is not
 *     enabled does not end a WFI).
 *  3. LED2 on; HAL_Delay(300); __HAL_RTC_WAKEUPTIMER_EXTID2_CLEAR_FLAG (C2PR1 bit 19);
 *     STOPF clear: LED2 off; HAL_PWREx_EnterSTOPMode(.., PWR_D3_DOMAIN) (PWR_CPUCR.PDDS_D3
 *     = 0: D3 follows the CPUs into Stop); HAL_PWREx_EnterSTOPMode(.., WFI, PWR_D2_DOMAIN).
 *  4. The RTC wake-up timer wakes the system, but the CM7 holds this CPU (HOLD2) until it
 *     releases it; then RTC_WKUP_IRQHandler (HAL_RTCEx_WakeUpTimerIRQHandler, CM4 build:
 *     C2PR1 bit 19, WUTF) and HAL_InitTick.
 * Console: "CM4: to Stop", "CM4: woke after <ms> ms in Stop (held by the CM7)", "CM4 done".
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

void RTC_WKUP_IRQHandler(void);
void RTC_WKUP_IRQHandler(void)
{
    EXTI->C2PR1 = 1u << EXTI_LINE_RTC_WAKEUP; /* __HAL_RTC_WAKEUPTIMER_EXTID2_CLEAR_FLAG */
    if (RTC->ISR & RTC_ISR_WUTF) {
        RTC->ISR = ~(RTC_ISR_WUTF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
    }
}

int main(void)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
    NVIC->IPR[HSEM2_IRQn] = 0x00u;
    nvic_enable_irq(HSEM2_IRQn);
    HSEM->C2IER |= HSEM_SEM_BIT(0);
    pwr_clear_pending_event();
    pwr_enter_stop(LP_D2, 1);
    HSEM->C2IER &= ~HSEM_SEM_BIT(0);

    demo_time_start();
    NVIC->IPR[RTC_WKUP_IRQn] = 0x00u;
    nvic_enable_irq(RTC_WKUP_IRQn);
    uart_attach();

    hal_delay_ms(300u);
    EXTI->C2PR1 = 1u << EXTI_LINE_RTC_WAKEUP;
    if (!(PWR->CPU2CR & PWR_CPU2CR_STOPF)) {
        uart_puts("CM4: to Stop\n");
        pwr_enter_stop(LP_D3, 0);
        const uint32_t t0 = demo_ms();
        pwr_enter_stop(LP_D2, 0);
        /* SysTick stood still in Stop: the ms counted are the few before and after. */
        uart_printf("CM4: woke, SysTick counted %u ms in Stop (held by the CM7)\n", (unsigned)(demo_ms() - t0));
    }
    uart_puts("CM4 done\n");
    cm_idle_forever();
}
