/*
 * pwr_d3_cm7.c (CM7) - the power rule under ST's PWR_Domain3SystemControl (NUCLEO-
 * H745ZI-Q): D3 kept in Run while both CPUs are in Stop.  ST's example keeps D3 busy
 * with LPUART1 + BDMA + DMAMUX2 in autonomous mode (not modelled here); what the PWR
 * does about it is RM0399's RUN_D3 rule, shown here by what survives a Stop: the
 * system clock.  Pair: boot_sync_cm4.elf, which parks D2 in Stop at boot and is never
 * released.  Register sequences as the HAL's:
 *  1. Wait until RCC_CR.D2CKRDY = 0 (the CM4 parked D2 in Stop); console, tick.
 *  2. HSE (RCC_HSE_BYPASS: HSEBYP, HSEON, wait HSERDY) as SYSCLK (CFGR.SW = HSE, wait
 *     SWS): what HAL_RCC_OscConfig / HAL_RCC_ClockConfig do for an HSE system clock.
 *  3. RTC on the LSI (HAL_RTC_Init 0x7F / 0xF9), its wake-up timer to this CPU only
 *     (HAL_EXTI_D1_EventInputConfig line 19, NVIC RTC_WKUP_IRQn).
 *  4. Round 1: HAL_PWREx_ConfigD3Domain(PWR_D3_DOMAIN_RUN) (PWR_CPUCR.RUN_D3 = 1);
 *     HAL_RTCEx_SetWakeUpTimer_IT(199, RTCCLK/16) = 100 ms; __HAL_PWR_CLEAR_FLAG
 *     (CPUCR.CSSF); HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI,
 *     PWR_D1_DOMAIN).  Both CPUs are in CStop, D1 and D2 in DStop, but D3 runs: the
 *     system is not in Stop, STOPF stays 0, the HSE and SYSCLK = HSE are kept.
 *  5. Round 2: HAL_PWREx_ConfigD3Domain(PWR_D3_DOMAIN_STOP) (RUN_D3 = 0), the same
 *     Stop: now the system enters Stop: STOPF = 1 and the system wakes on the HSI with
 *     the HSE off (RM0399 "Stop mode"; ST's SYSCLKConfig_STOP restarts the HSE).
 * Console: "pwr_d3: RUN_D3=<0|1>: CM7 woke from Stop, STOPF=<0|1>, SYSCLK=<HSI|HSE>,
 * HSE <on|off>" per round, then "CM7 done".
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

#define WUT_COUNTER 199u /* 100 ms at LSI / 16 */
#define RCC_CR_HSEBYP (1u << 18)

DEMO_TIME_DEFINE()

void RTC_WKUP_IRQHandler(void);
void RTC_WKUP_IRQHandler(void)
{
    EXTI->C1PR1 = 1u << EXTI_LINE_RTC_WAKEUP; /* __HAL_RTC_WAKEUPTIMER_EXTI_CLEAR_FLAG */
    if (RTC->ISR & RTC_ISR_WUTF) {
        RTC->ISR = ~(RTC_ISR_WUTF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
    }
}

static void fail(const char *what)
{
    uart_printf("pwr_d3: %s\n", what);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

/* HAL_RCC_OscConfig(HSE bypass) + HAL_RCC_ClockConfig(SYSCLK = HSE). */
static void sysclk_hse(void)
{
    RCC->CR |= RCC_CR_HSEBYP;
    RCC->CR |= RCC_CR_HSEON;
    if (!lp_wait_set(&RCC->CR, RCC_CR_HSERDY)) {
        fail("HSE not ready");
    }
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | RCC_CFGR_SW_HSE;
    for (uint32_t i = 0; ((RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos) != RCC_CFGR_SW_HSE; i++) {
        if (i > LP_WAIT_POLLS) {
            fail("SYSCLK did not switch to the HSE");
        }
    }
}

static void stop_round(unsigned run_d3)
{
    if (run_d3) {
        PWR->CPUCR |= PWR_CPUCR_RUN_D3; /* HAL_PWREx_ConfigD3Domain(PWR_D3_DOMAIN_RUN) */
    } else {
        PWR->CPUCR &= ~PWR_CPUCR_RUN_D3; /* HAL_PWREx_ConfigD3Domain(PWR_D3_DOMAIN_STOP) */
    }
    rtc_deactivate_wakeup_timer();
    if (!rtc_set_wakeup_timer_it(WUT_COUNTER, RTC_CR_WUCKSEL_DIV16)) {
        fail("HAL_RTCEx_SetWakeUpTimer_IT failed");
    }
    PWR->CPUCR |= PWR_CPUCR_CSSF;              /* __HAL_PWR_CLEAR_FLAG(PWR_CPU_FLAGS) */
    EXTI->C1PR1 = 1u << EXTI_LINE_RTC_WAKEUP;
    pwr_enter_stop(LP_D1, 0);
    const uint32_t stopf = (PWR->CPUCR & PWR_CPUCR_STOPF) ? 1u : 0u;
    const uint32_t sws = (RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos;
    const uint32_t hse = (RCC->CR & RCC_CR_HSERDY) ? 1u : 0u;
    rtc_deactivate_wakeup_timer();
    uart_printf("pwr_d3: RUN_D3=%u: CM7 woke from Stop, STOPF=%u, SYSCLK=%s, HSE %s\n", (unsigned)run_d3, (unsigned)stopf,
                sws == RCC_CFGR_SW_HSE ? "HSE" : sws == RCC_CFGR_SW_HSI ? "HSI" : "other", hse ? "on" : "off");
}

int main(void)
{
    const int parked = lp_wait_cm4_parked();
    uart_init();
    if (!parked) {
        fail("the CM4 did not park D2 in Stop");
    }
    demo_time_start();
    sysclk_hse();
    if (!rtc_clock_lsi() || !rtc_init(0x7Fu, 0xF9u)) {
        fail("RTC_Config failed");
    }
    EXTI->C1IMR1 |= 1u << EXTI_LINE_RTC_WAKEUP; /* HAL_EXTI_D1_EventInputConfig */
    NVIC->IPR[RTC_WKUP_IRQn] = 0x00u;
    nvic_enable_irq(RTC_WKUP_IRQn);
    stop_round(1u);
    stop_round(0u);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
