/*
 * iwdg_cm7.c (CM7) - ST's IWDG_WindowMode for the NUCLEO-H745ZI-Q (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/IWDG/IWDG_WindowMode/CM7), register for register as
 * its HAL calls touch IWDG1 and RCC, then the plain time-out.  The three lives of the
 * program are told apart by an RTC backup register (the RTC and its BKPxR survive the
 * system resets); the RTC also times the resets.  Pair: iwdg_cm4.elf.
 *
 * Each boot: console; RCC_RSR (this core's copy, RCC_C1_RSR) read; the RTC on the LSI
 * (HAL_RTC_MspInit, and HAL_RTC_Init only when BKP0R does not hold 0x32F2, as ST's RTC
 * examples decide whether the calendar needs setting).
 *  life 0 (power-on): __HAL_RCC_CLEAR_RESET_FLAGS (RSR.RMVF); HAL_IWDG_Init with ST's
 *     values: prescaler 16, reload 32000 x 762 / 16000 = 1524 (762 ms), window 800
 *     (400 ms) - KR 0xCCCC, 0x5555, PR = 2, RLR = 1524, wait SR = 0, WINR = 800 (which
 *     reloads); then HAL_Delay(450) + HAL_IWDG_Refresh (KR 0xAAAA) three times, inside
 *     the window (the delays timed by the RTC: QEMU's SysTick loses ticks on a loaded
 *     host, and the window leaves little room); then what ST's button does: the next
 *     refresh after 200 ms only, with
 *     the counter above the window: IWDG1 resets the system at once.
 *  life 1: RSR shows IWDG1RSTF (with PINRSTF, C1RSTF, C2RSTF); flags cleared; the IWDG
 *     (stopped by the reset) started again and no longer refreshed: it resets the system
 *     when the counter reaches 0, 762 ms later.
 *  life 2: IWDG1RSTF again; the time since the last reload is printed against 762 ms.
 * Console: "iwdg: life <n>, RSR=0x<flags>", "iwdg: refresh <k> inside the window",
 * "iwdg: refresh after 200 ms, above the window", "iwdg: reset by IWDG1 (IWDG1RSTF), <ms>
 * ms after the early refresh", "iwdg: no refresh any more", "iwdg: reset by IWDG1 after
 * <ms> ms without refresh (time-out 762 ms)", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

#define IWDG_PRESCALER_16 2u
#define IWDG_RELOAD       ((32000u * 762u) / (16u * 1000u)) /* 1524: 762 ms */
#define IWDG_WINDOW       ((32000u * 400u) / (16u * 1000u)) /* 800: 400 ms */
#define BKP_MAGIC         0x32F2u
#define BKP_MARK          0 /* BKP0R: the calendar was set */
#define BKP_LIFE          1 /* BKP1R: which life comes next */
#define BKP_T_MS          2 /* BKP2R: RTC time (ms of the day) of the last IWDG reload */

DEMO_TIME_DEFINE()

static void done(void)
{
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

/* HAL_IWDG_Init. */
static int iwdg_init(uint32_t window)
{
    IWDG1->KR = IWDG_KEY_ENABLE;
    IWDG1->KR = IWDG_KEY_WRITE_ACCESS;
    IWDG1->PR = IWDG_PRESCALER_16;
    IWDG1->RLR = IWDG_RELOAD;
    const uint32_t t0 = demo_ms();
    while (IWDG1->SR & (IWDG_SR_PVU | IWDG_SR_RVU | IWDG_SR_WVU)) {
        if (demo_ms() - t0 > 48u) { /* HAL_IWDG_DEFAULT_TIMEOUT */
            return 0;
        }
    }
    if (IWDG1->WINR != window) {
        IWDG1->WINR = window; /* also reloads the counter */
    } else {
        IWDG1->KR = IWDG_KEY_RELOAD;
    }
    return 1;
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    uart_init();
    demo_time_start();
    if (!rtc_clock_lsi()) {
        uart_puts("iwdg: the LSI does not start\n");
        done();
    }
    if (RTC->BKPR[BKP_MARK] != BKP_MAGIC) {
        if (!rtc_init(0x7Fu, 0xF9u) || !rtc_set_calendar(0x00172102u, 0)) {
            uart_puts("iwdg: HAL_RTC_Init failed\n");
            done();
        }
        RTC->BKPR[BKP_MARK] = BKP_MAGIC;
        RTC->BKPR[BKP_LIFE] = 0;
    }
    const uint32_t life = RTC->BKPR[BKP_LIFE];
    const uint32_t now = rtc_now_ms(0);
    uart_printf("iwdg: life %u, RSR=0x%08x\n", (unsigned)life, (unsigned)(rsr & RCC_RSR_FLAGS));
    RCC->RSR |= RCC_RSR_RMVF; /* __HAL_RCC_CLEAR_RESET_FLAGS */

    if (life > 0 && !(rsr & RCC_RSR_IWDG1RSTF)) {
        uart_puts("iwdg: restarted without IWDG1RSTF\n");
        done();
    }
    if (life == 2) {
        uart_printf("iwdg: reset by IWDG1 after %u ms without refresh (time-out 762 ms)\n",
                    (unsigned)(now - RTC->BKPR[BKP_T_MS]));
        RTC->BKPR[BKP_LIFE] = 3;
        done();
    }
    if (life == 1) {
        uart_printf("iwdg: reset by IWDG1 (IWDG1RSTF), %u ms after the early refresh\n",
                    (unsigned)(now - RTC->BKPR[BKP_T_MS]));
        if (!iwdg_init(0xFFFu)) {
            uart_puts("iwdg: HAL_IWDG_Init failed\n");
            done();
        }
        RTC->BKPR[BKP_T_MS] = rtc_now_ms(0);
        RTC->BKPR[BKP_LIFE] = 2;
        uart_puts("iwdg: no refresh any more\n");
        for (;;) {
        }
    }
    if (life != 0) {
        done();
    }
    if (!iwdg_init(IWDG_WINDOW)) {
        uart_puts("iwdg: HAL_IWDG_Init failed\n");
        done();
    }
    /* Each wait counts from the previous refresh (the console line after it takes time
     * of its own on a loaded host), timed by the RTC (see st_lowpower.h). */
    uint32_t t_ref = rtc_now_ms(0);
    for (unsigned k = 1; k <= 3; k++) {
        rtc_wait_since(t_ref, 450u); /* HAL_Delay(450) */
        IWDG1->KR = IWDG_KEY_RELOAD;  /* HAL_IWDG_Refresh */
        t_ref = rtc_now_ms(0);
        uart_printf("iwdg: refresh %u inside the window\n", k);
    }
    uart_puts("iwdg: refresh after 200 ms, above the window\n");
    RTC->BKPR[BKP_LIFE] = 1;
    rtc_wait_since(t_ref, 200u);
    RTC->BKPR[BKP_T_MS] = rtc_now_ms(0);
    IWDG1->KR = IWDG_KEY_RELOAD;
    for (;;) {
    }
}
