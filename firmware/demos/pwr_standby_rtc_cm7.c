/*
 * pwr_standby_rtc_cm7.c (CM7) - ST's PWR_STANDBY_RTC for the NUCLEO-H745ZI-Q (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_STANDBY_RTC/CM7): one round, with the RTC
 * wake-up timer at 500 ms instead of 20 s and HAL_Delay(200) instead of 5000.
 * Pair: pwr_standby_rtc_cm4.elf.
 *
 *  1. Wait until RCC_CR.D2CKRDY = 0 (the CM4 parked D2 in Stop); console, tick; HSEM
 *     FastTake(0) + Release(0, 0) wakes the CM4; wait D2CKRDY = 1.
 *  2. __HAL_PWR_GET_FLAG(PWR_FLAG_SB) (PWR_CPUCR.SBF): set after the system left Standby
 *     (a system reset: RCC_RSR shows D1RSTF, D2RSTF and both CxRSTF); then cleared
 *     (__HAL_PWR_CLEAR_FLAG: CSSF) and, in this demo, the end.
 *  3. Otherwise RTC_Config (LSI, HAL_RTC_Init); HAL_RTCEx_DeactivateWakeUpTimer;
 *     HAL_RTCEx_SetWakeUpTimer_IT(999, RTC_WAKEUPCLOCK_RTCCLK_DIV16) (500 ms);
 *     HAL_Delay(200); __HAL_RCC_FLASH_C2_ALLOCATE; HAL_PWREx_EnterSTANDBYMode(
 *     PWR_D1_DOMAIN).  With the CM4 in D2 DStandby and PDDS_D3 set, the system enters
 *     Standby; the wake-up timer's event (RM0399: an RTC wake-up source of Standby, not
 *     through EXTI) resets the system 500 ms later.
 * Console: "pwr_standby_rtc: CM7 to D1 DStandby, system to Standby for 500 ms", then
 * "pwr_standby_rtc: resumed from Standby (SBF=1, RSR=0x<flags>)", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

DEMO_TIME_DEFINE()

static void done(void)
{
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    const int parked = lp_wait_cm4_parked();
    uart_init();
    if (!parked) {
        uart_puts("pwr_standby_rtc: the CM4 did not park D2 in Stop\n");
        done();
    }
    demo_time_start();
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
    (void)HSEM->RLR[0];                                /* HAL_HSEM_FastTake(0) */
    HSEM->R[0] = HSEM_COREID_CM7 << HSEM_R_COREID_Pos; /* HAL_HSEM_Release(0, 0) */
    const uint32_t t0 = demo_ms();
    while (!(RCC->CR & RCC_CR_D2CKRDY)) {
        if (demo_ms() - t0 > 1000u) {
            uart_puts("pwr_standby_rtc: the CM4 did not wake up\n");
            done();
        }
        cm_wfi();
    }
    if (PWR->CPUCR & PWR_CPUCR_SBF) {
        uart_printf("pwr_standby_rtc: resumed from Standby (SBF=1, RSR=0x%08x)\n", (unsigned)(rsr & RCC_RSR_FLAGS));
        PWR->CPUCR |= PWR_CPUCR_CSSF;
        RCC->RSR |= RCC_RSR_RMVF;
        done();
    }
    RCC->RSR |= RCC_RSR_RMVF;
    if (!rtc_clock_lsi() || !rtc_init(0x7Fu, 0xF9u)) {
        uart_puts("pwr_standby_rtc: RTC_Config failed\n");
        done();
    }
    rtc_deactivate_wakeup_timer();
    if (!rtc_set_wakeup_timer_it(999u, RTC_CR_WUCKSEL_DIV16)) {
        uart_puts("pwr_standby_rtc: HAL_RTCEx_SetWakeUpTimer_IT failed\n");
        done();
    }
    hal_delay_ms(200u);
    RCC->C2_AHB3ENR |= 1u << 8; /* __HAL_RCC_FLASH_C2_ALLOCATE */
    uart_puts("pwr_standby_rtc: CM7 to D1 DStandby, system to Standby for 500 ms\n");
    pwr_enter_standby(LP_D1);
    uart_puts("pwr_standby_rtc: still running after HAL_PWREx_EnterSTANDBYMode\n");
    done();
}
