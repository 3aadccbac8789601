/*
 * rtc_alarm_cm7.c (CM7) - ST's RTC_Alarm for the NUCLEO-H745ZI-Q (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/RTC/RTC_Alarm/CM7), register for register as its HAL
 * calls touch RCC, PWR, the RTC and EXTI.  Pair: rtc_alarm_cm4.elf, which waits in D2
 * Stop for the alarm.
 *
 *  1. Wait (0xFFFF polls, as ST) until RCC_CR.D2CKRDY = 0: the CM4 is in D2 Stop.
 *  2. HAL_Init (SysTick 1 kHz at the reset clock; the 400 MHz PLL is left out: it changes
 *     nothing the RTC sees), the console.
 *  3. HAL_RTC_MspInit: PWR_CR1.DBP; LSI on (RCC_CSR.LSION, wait LSIRDY); RCC_BDCR.RTCSEL =
 *     LSI (after a backup domain reset, as HAL_RCCEx_PeriphCLKConfig does for a new
 *     source); RTCEN.  HAL_RTC_Init: 24 h, AsynchPrediv 0x7F, SynchPrediv 0xF9 (ST's
 *     values for the 32 kHz LSI: 1 Hz).
 *  4. RTC_AlarmConfig: date Tuesday 2 February 2017, time 02:20:00, alarm A at
 *     02:20:0<ALARM_S> with the date masked and the sub-seconds compared (MASKSS = 0xF,
 *     SS = 0xF9) - ST's alarm is 20 s away, ours RTC_ALARM_SECONDS.  HAL_RTC_SetAlarm_IT
 *     also unmasks EXTI line 17 for this core (C1IMR1, rising edge).
 *  5. __HAL_RTC_ALARM_EXTID2_CLEAR_FLAG (C2PR1 bit 17), HAL_EXTI_D2_EventInputConfig(
 *     EXTI_LINE17, EXTI_MODE_IT, ENABLE) (C2IMR1 bit 17): the alarm reaches the CM4.
 *  6. ST's loop reads the time (HAL_RTC_GetTime / GetDate); this demo does the same,
 *     once per SysTick (WFI in between), until D2CKRDY is 1 again (the CM4 woke), and
 *     prints how long that took against the alarm's distance, measured with SysTick.
 * Console: "rtc_alarm: alarm A at 02:20:0N, CM4 waits in D2 Stop", then "rtc_alarm: CM4
 * woke after <ms> ms (alarm <N * 1000> ms away), RTC 02:20:0N", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

#ifndef RTC_ALARM_SECONDS
#define RTC_ALARM_SECONDS 2u
#endif
#define RTC_ASYNCH_PREDIV 0x7Fu
#define RTC_SYNCH_PREDIV  0xF9u /* LSI 32 kHz / 128 / 250 = 1 Hz */

DEMO_TIME_DEFINE()

static void fail(const char *what)
{
    uart_printf("rtc_alarm: %s\n", what);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

int main(void)
{
    const int parked = lp_wait_cm4_parked();
    uart_init();
    if (!parked) {
        fail("the CM4 did not enter D2 Stop");
    }
    demo_time_start();

    if (!rtc_clock_lsi() || !rtc_init(RTC_ASYNCH_PREDIV, RTC_SYNCH_PREDIV)) {
        fail("HAL_RTC_Init failed");
    }
    /* Tuesday (2) 2 February 2017, 02:20:00. */
    if (!rtc_set_calendar((0x17u << 16) | (2u << 13) | (0x02u << 8) | 0x02u, 0x022000u)) {
        fail("HAL_RTC_SetTime failed");
    }
    /* RTC_ALARMMASK_DATEWEEKDAY, weekday Monday, 02:20:0N; RTC_ALARMSUBSECONDMASK_NONE. */
    const uint32_t alrmar = RTC_ALRMAR_MSK4 | RTC_ALRMAR_WDSEL | (1u << 24) | 0x022000u | RTC_ALARM_SECONDS;
    if (!rtc_set_alarm_a_it(alrmar, (0xFu << RTC_ALRMASSR_MASKSS_Pos) | RTC_SYNCH_PREDIV)) {
        fail("HAL_RTC_SetAlarm_IT failed");
    }
    const uint32_t t0 = demo_ms();
    EXTI->C2PR1 = 1u << EXTI_LINE_RTC_ALARM;   /* __HAL_RTC_ALARM_EXTID2_CLEAR_FLAG */
    EXTI->C2IMR1 |= 1u << EXTI_LINE_RTC_ALARM; /* HAL_EXTI_D2_EventInputConfig */
    uart_printf("rtc_alarm: alarm A at 02:20:0%u, CM4 waits in D2 Stop\n", (unsigned)RTC_ALARM_SECONDS);

    uint32_t tr = 0;
    while (!(RCC->CR & RCC_CR_D2CKRDY)) {
        (void)rtc_now_ms(&tr); /* RTC_TimeShow */
        if (demo_ms() - t0 > 4000u * RTC_ALARM_SECONDS) {
            fail("the CM4 did not wake up");
        }
        cm_wfi(); /* one look per SysTick */
    }
    const uint32_t dt = demo_ms() - t0;
    (void)rtc_now_ms(&tr);
    uart_printf("rtc_alarm: CM4 woke after %u ms (alarm %u ms away), RTC %02x:%02x:%02x\n", (unsigned)dt,
                (unsigned)(RTC_ALARM_SECONDS * 1000u), (unsigned)((tr >> 16) & 0x3Fu),
                (unsigned)((tr >> 8) & 0x7Fu), (unsigned)(tr & 0x7Fu));
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
