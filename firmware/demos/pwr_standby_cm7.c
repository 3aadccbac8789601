/*
 * pwr_standby_cm7.c (CM7) - ST's PWR_D1ON_D2OFF and PWR_D2ON_D1OFF for the
 * NUCLEO-H745ZI-Q (STM32CubeH7, Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_D1ON_D2OFF
 * and PWR_D2ON_D1OFF) in one run, with what those examples leave out: each domain also
 * leaves DStandby again, which RM0399 makes a reset of the domain's CPU.
 * Pair: pwr_standby_cm4.elf.
 *
 * First life (RCC_C1_RSR shows the power-on reset):
 *  1. __HAL_RCC_CLEAR_RESET_FLAGS; wait until RCC_CR.D2CKRDY = 0 (the CM4 parked D2 in
 *     Stop); console, tick; HSEM FastTake(0) + Release(0, 0) wakes the CM4; wait
 *     D2CKRDY = 1.
 *  2. PWR_D1ON_D2OFF: the CM4 enters HAL_PWREx_EnterSTANDBYMode(PWR_D3_DOMAIN) then
 *     (PWR_D2_DOMAIN); the CM7 checks, as ST does, __HAL_PWR_GET_FLAG(PWR_FLAG_SB_D2)
 *     (PWR_CPUCR.SBF_D2 = 1) and __HAL_RCC_GET_FLAG(RCC_FLAG_D2CKRDY) = 0.
 *  3. Beyond ST: the CM4 re-armed its HSEM notification before going; the CM7 frees
 *     semaphore 0 again: D2 leaves DStandby, which resets the CM4 (it boots again with
 *     D2RSTF in its RCC_C2_RSR); D2CKRDY = 1.
 *  4. PWR_D2ON_D1OFF the other way round: the RTC (LSI) wake-up timer armed for 500 ms
 *     with EXTI line 19 unmasked for this CPU (C1IMR1), __HAL_PWR_CLEAR_FLAG (CSSF), then
 *     HAL_PWREx_EnterSTANDBYMode(PWR_D1_DOMAIN): PDDS_D1 in PWR_CPUCR and PWR_CPU2CR,
 *     SLEEPDEEP, WFI.  The CM4 watches SBF_D1 and D1CKRDY.
 * Second life (D1 left DStandby: RCC_C1_RSR = D1RSTF | C1RSTF): the report, "CM7 done".
 * Console: "pwr_standby: CM4 released", "pwr_standby: D2 in DStandby (SBF_D2=1,
 * D2CKRDY=0)", "pwr_standby: D2 left DStandby, CM4 restarted", "pwr_standby: CM7 to D1
 * DStandby for 500 ms", then "pwr_standby: CM7 restarted, D1 left DStandby
 * (RSR=0x<flags>, SBF_D1=1)", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

#define WUT_500MS 999u /* 1000 x 16 / 32 kHz */

DEMO_TIME_DEFINE()

static void done(void)
{
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

static void fail(const char *what)
{
    uart_printf("pwr_standby: %s\n", what);
    done();
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

static void hsem_notify_cm4(void)
{
    (void)HSEM->RLR[0];                                /* HAL_HSEM_FastTake(0) */
    HSEM->R[0] = HSEM_COREID_CM7 << HSEM_R_COREID_Pos; /* HAL_HSEM_Release(0, 0) */
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    if ((rsr & RCC_RSR_D1RSTF) && !(rsr & RCC_RSR_PORRSTF)) {
        uart_init();
        uart_printf("pwr_standby: CM7 restarted, D1 left DStandby (RSR=0x%08x, SBF_D1=%u)\n",
                    (unsigned)(rsr & RCC_RSR_FLAGS), (PWR->CPUCR & PWR_CPUCR_SBF_D1) ? 1u : 0u);
        RCC->RSR |= RCC_RSR_RMVF;
        PWR->CPUCR |= PWR_CPUCR_CSSF;
        lp_keep_enable();
        LP_KEEP->t_ms = 0xD1D1u; /* the console is set up again: the CM4 may print */
        done();
    }
    RCC->RSR |= RCC_RSR_RMVF;
    const int parked = lp_wait_cm4_parked();
    uart_init();
    if (!parked) {
        fail("the CM4 did not park D2 in Stop");
    }
    demo_time_start();
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
    hsem_notify_cm4();
    if (!wait_d2ckrdy(1, 1000u)) {
        fail("the CM4 did not wake up");
    }
    uart_puts("pwr_standby: CM4 released\n");

    /* PWR_D1ON_D2OFF: wait for the CM4 to take D2 to DStandby, then ST's check. */
    const uint32_t t0 = demo_ms();
    while (!(PWR->CPUCR & PWR_CPUCR_SBF_D2) || (RCC->CR & RCC_CR_D2CKRDY)) {
        if (demo_ms() - t0 > 2000u) {
            fail("D2 did not enter DStandby");
        }
        cm_wfi();
    }
    uart_puts("pwr_standby: D2 in DStandby (SBF_D2=1, D2CKRDY=0)\n");

    hsem_notify_cm4(); /* an EXTI wake-up of CPU2 (line 78): D2 leaves DStandby */
    if (!wait_d2ckrdy(1, 1000u)) {
        fail("D2 did not leave DStandby");
    }
    uart_puts("pwr_standby: D2 left DStandby, CM4 restarted\n");
    hal_delay_ms(100u); /* the CM4's report, then it watches D1 */

    if (!rtc_clock_lsi() || !rtc_init(0x7Fu, 0xF9u)) {
        fail("RTC_Config failed");
    }
    rtc_deactivate_wakeup_timer();
    if (!rtc_set_wakeup_timer_it(WUT_500MS, RTC_CR_WUCKSEL_DIV16)) {
        fail("HAL_RTCEx_SetWakeUpTimer_IT failed");
    }
    PWR->CPUCR |= PWR_CPUCR_CSSF;
    uart_puts("pwr_standby: CM7 to D1 DStandby for 500 ms\n");
    pwr_enter_standby(LP_D1);
    fail("still running after HAL_PWREx_EnterSTANDBYMode(PWR_D1_DOMAIN)");
}
