/*
 * pwr_hold_cm7.c (CM7) - ST's PWR_Hold_Mechanism for the NUCLEO-H745ZI-Q, scenario
 * CM4_HOLD_TEST (the CM7 master holds the CM4) (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_Hold_Mechanism/CM7), register for register
 * as its HAL calls touch RCC, HSEM, PWR, the RTC and EXTI; one round of its loop, with
 * the RTC wake-up timer at 1 s instead of 20 s and HAL_Delay(500) instead of 5000.
 * Pair: pwr_hold_cm4.elf.
 *
 *  1. Wait until RCC_CR.D2CKRDY = 0 (the CM4 parked D2 in Stop); console, tick.
 *  2. HSEM: HAL_HSEM_FastTake(0), HAL_HSEM_Release(0, 0): the CM4's notification wakes
 *     it; wait until D2CKRDY = 1.
 *  3. RTC_Config (LSI; HAL_RTC_Init 0x7F / 0xF9); HAL_EXTI_D1_EventInputConfig and
 *     HAL_EXTI_D2_EventInputConfig(EXTI_LINE19, EXTI_MODE_IT, ENABLE): the wake-up timer
 *     reaches both CPUs (C1IMR1, C2IMR1 bit 19); __HAL_RCC_FLASH_C2_ALLOCATE; NVIC
 *     RTC_WKUP_IRQn (3) on (HAL_RTC_MspInit).
 *  4. LED1 on; HAL_RTCEx_DeactivateWakeUpTimer; HAL_RTCEx_SetWakeUpTimer_IT(1999,
 *     RTC_WAKEUPCLOCK_RTCCLK_DIV16): 2000 x 16 / 32 kHz = 1 s; HAL_Delay(500);
 *     HAL_PWREx_ReleaseCore(PWR_CORE_CPU2) and __HAL_PWR_CLEAR_FLAG(PWR_CPU_FLAGS)
 *     (CPUCR.CSSF); __HAL_RTC_WAKEUPTIMER_EXTI_CLEAR_FLAG (C1PR1 bit 19); STOPF clear, so
 *     HAL_PWREx_HoldCore(PWR_CORE_CPU2) (CPUCR.HOLD2 = 1); LED1 off;
 *     HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI, PWR_D1_DOMAIN).
 *  5. The wake-up timer wakes the system; the CM4 stays on hold: RM0399's HOLD2F is set,
 *     D2CKRDY stays 0.  (ST's SYSCLKConfig_STOP would restart the PLL here: this demo
 *     runs on the HSI throughout, which Stop leaves running.)
 *  6. HAL_Delay(300), then HAL_PWREx_ReleaseCore(PWR_CORE_CPU2): the CM4 wakes (its EXTI
 *     line 19 is still pending) and D2CKRDY comes back.
 * RTC_WKUP_IRQHandler (HAL_RTCEx_WakeUpTimerIRQHandler, CM7): C1PR1 bit 19, WUTF cleared.
 * Console: "pwr_hold: CM4 released from its boot Stop", "pwr_hold: CM7 holds the CM4, to
 * Stop", "pwr_hold: CM7 woke (SysTick counted <ms> ms since arming the 1000 ms timer),
 * HOLD2F=<0|1>, D2CKRDY=<0|1>" (SysTick stops in Stop: about the 500 ms before it),
 * "pwr_hold: CM4 released, D2CKRDY=1 after <ms> ms", "CM7 done".
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

#define WUT_COUNTER 1999u /* 1 s at LSI / 16 */

DEMO_TIME_DEFINE()

static volatile uint32_t s_wakeups;

void RTC_WKUP_IRQHandler(void);
void RTC_WKUP_IRQHandler(void)
{
    EXTI->C1PR1 = 1u << EXTI_LINE_RTC_WAKEUP; /* __HAL_RTC_WAKEUPTIMER_EXTI_CLEAR_FLAG */
    if (RTC->ISR & RTC_ISR_WUTF) {
        RTC->ISR = ~(RTC_ISR_WUTF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
        s_wakeups = s_wakeups + 1u;
    }
}

static void fail(const char *what)
{
    uart_printf("pwr_hold: %s\n", what);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

static int wait_d2ckrdy(int level, uint32_t ms)
{
    const uint32_t t0 = demo_ms();
    while (((RCC->CR & RCC_CR_D2CKRDY) != 0) != level) {
        if (demo_ms() - t0 > ms) {
            return 0;
        }
        cm_wfi(); /* one look per SysTick: no flood of bus accesses */
    }
    return 1;
}

int main(void)
{
    const int parked = lp_wait_cm4_parked();
    uart_init();
    if (!parked) {
        fail("the CM4 did not park D2 in Stop");
    }
    demo_time_start();

    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN; /* __HAL_RCC_HSEM_CLK_ENABLE */
    (void)RCC->AHB4ENR;
    (void)HSEM->RLR[0];             /* HAL_HSEM_FastTake(0) */
    HSEM->R[0] = HSEM_COREID_CM7 << HSEM_R_COREID_Pos; /* HAL_HSEM_Release(0, 0) */
    if (!wait_d2ckrdy(1, 1000u)) {
        fail("the CM4 did not wake up");
    }
    uart_puts("pwr_hold: CM4 released from its boot Stop\n");

    if (!rtc_clock_lsi() || !rtc_init(0x7Fu, 0xF9u)) {
        fail("RTC_Config failed");
    }
    EXTI->C1IMR1 |= 1u << EXTI_LINE_RTC_WAKEUP; /* HAL_EXTI_D1_EventInputConfig */
    EXTI->C2IMR1 |= 1u << EXTI_LINE_RTC_WAKEUP; /* HAL_EXTI_D2_EventInputConfig */
    RCC->C2_AHB3ENR |= 1u << 8;                 /* __HAL_RCC_FLASH_C2_ALLOCATE */
    NVIC->IPR[RTC_WKUP_IRQn] = 0x00u;
    nvic_enable_irq(RTC_WKUP_IRQn);

    rtc_deactivate_wakeup_timer();
    if (!rtc_set_wakeup_timer_it(WUT_COUNTER, RTC_CR_WUCKSEL_DIV16)) {
        fail("HAL_RTCEx_SetWakeUpTimer_IT failed");
    }
    const uint32_t t0 = demo_ms();
    rtc_delay_ms(500u); /* HAL_Delay(500), timed by the RTC: it must end before the 1 s timer */
    pwr_release_cpu2();
    PWR->CPUCR |= PWR_CPUCR_CSSF;
    EXTI->C1PR1 = 1u << EXTI_LINE_RTC_WAKEUP;
    if (!(PWR->CPUCR & PWR_CPUCR_STOPF)) {
        pwr_hold_cpu2();
    }
    uart_puts("pwr_hold: CM7 holds the CM4, to Stop\n");
    pwr_enter_stop(LP_D1, 0);

    /* SysTick stood still in Stop (CStop): the ms count is the time before and after. */
    uart_printf("pwr_hold: CM7 woke (SysTick counted %u ms since arming the 1000 ms timer), HOLD2F=%u, D2CKRDY=%u\n",
                (unsigned)(demo_ms() - t0), (PWR->CPUCR & PWR_CPUCR_HOLD2F) ? 1u : 0u,
                (RCC->CR & RCC_CR_D2CKRDY) ? 1u : 0u);
    hal_delay_ms(300u);
    if (RCC->CR & RCC_CR_D2CKRDY) {
        fail("the CM4 was not held");
    }
    const uint32_t t2 = demo_ms();
    pwr_release_cpu2(); /* HAL_PWREx_ReleaseCore(PWR_CORE_CPU2) */
    if (!wait_d2ckrdy(1, 1000u)) {
        fail("the CM4 did not wake up when released");
    }
    uart_printf("pwr_hold: CM4 released, D2CKRDY=1 after %u ms\n", (unsigned)(demo_ms() - t2));
    hal_delay_ms(50u); /* the CM4 says it woke */
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
