/*
 * sev_pingpong_cm7.c - inter-core round trips driven by SEV -> EXTI -> WFE,
 * Cortex-M7 side (ampvp's own). N = SEV_PINGPONG_TRIPS (CMake, default 1000).
 *
 * Event wiring (RM0399 EXTI direct lines): line 79 = the CM4's SEV as seen by the CM7;
 * this core sets EXTI_C1EMR3 bit 15 so it arrives as an event (wakes WFE). The CM4 sets
 * EXTI_C2EMR3 bit 16 (line 80 = our SEV as its event).
 *
 *   uart_init; SysTick 1 kHz (checked running); C1EMR3 |= bit 15; pp_ping = 0
 *   wait pp_cm4_ready == SHARED_READY_MAGIC (WFE + 10 s of SysTick, then a plain
 *     bounded spin as a fallback)
 *   t0; for i in 1..N: pp_ping = i; DSB; SEV; while (pp_pong != i) WFE; t1
 *   "sev_pingpong: N=<N> round trips in <ms> ms, <us> us per round trip"
 *   "CM7 done"
 * Time = SysTick milliseconds plus the elapsed part of the current millisecond (CVR),
 * integer math; <us> = total us / N.
 *
 * SEV also sets this core's own event register, so the first WFE after it returns at
 * once; the loop then re-checks pong and sleeps until the CM4's SEV (or a SysTick
 * interrupt) arrives. The 1 kHz tick also wakes WFE: a missing CM4 -> CM7 event path
 * therefore shows up as round trips of about 1000 us, not as a hang. A trip with no
 * answer for 10 s of SysTick prints "sev_pingpong: stuck at trip <i>" (then "CM7 done").
 * Other failures: "sev_pingpong: SysTick not running", "sev_pingpong: CM4 not ready".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "shared_layout.h"
#include "stm32h745_regs.h"

#ifndef SEV_PINGPONG_TRIPS
#error "SEV_PINGPONG_TRIPS must be defined (CMake variable)"
#endif
_Static_assert(SEV_PINGPONG_TRIPS > 0u && SEV_PINGPONG_TRIPS <= 4000000u, "trip count");

#define PP_STUCK_MS        10000u       /* no answer for 10 s of SysTick = stuck */
#define PP_WFE_POLL_LIMIT  1000000000u  /* wake-ups without progress (SysTick broken) */
#define PP_SPIN_FALLBACK   100000000u   /* plain polls after the WFE wait gave up */

AMPVP_SHARED_DEFINE();
DEMO_TIME_DEFINE()

static __attribute__((noreturn)) void finish(void)
{
    uart_puts("CM7 done\n");
    fw_finish();
}

static int wait_ready(void)
{
    struct demo_deadline d;
    deadline_start(&d, PP_STUCK_MS, PP_WFE_POLL_LIMIT);
    while (ampvp_shared.pp_cm4_ready != SHARED_READY_MAGIC) {
        cm_wfe();
        if (deadline_expired(&d)) {
            /* fallback: plain bounded spin */
            for (uint32_t i = 0; i < PP_SPIN_FALLBACK; ++i) {
                if (ampvp_shared.pp_cm4_ready == SHARED_READY_MAGIC) {
                    return 1;
                }
            }
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    uart_init();
    demo_time_start();
    if (!demo_time_running(100000000u)) {
        uart_puts("sev_pingpong: SysTick not running\n");
        finish();
    }

    EXTI->C1EMR3 |= EXTI_LINE_BIT3(EXTI_LINE_CM4_SEV); /* CM4 SEV -> CM7 event */
    ampvp_shared.pp_ping = 0u;
    cm_dsb();

    if (!wait_ready()) {
        uart_puts("sev_pingpong: CM4 not ready\n");
        finish();
    }
    cm_dmb();

    const uint32_t n = (uint32_t)SEV_PINGPONG_TRIPS;
    struct demo_deadline d;
    uint32_t t0 = demo_us();
    for (uint32_t i = 1; i <= n; ++i) {
        ampvp_shared.pp_ping = i;
        cm_dsb();
        cm_sev();
        deadline_start(&d, PP_STUCK_MS, PP_WFE_POLL_LIMIT);
        while (ampvp_shared.pp_pong != i) {
            cm_wfe();
            if (deadline_expired(&d)) {
                uart_printf("sev_pingpong: stuck at trip %u\n", (unsigned)i);
                finish();
            }
        }
    }
    uint32_t elapsed_us = demo_us() - t0;

    uart_printf("sev_pingpong: N=%u round trips in %u ms, %u us per round trip\n", (unsigned)n,
                (unsigned)(elapsed_us / 1000u), (unsigned)(elapsed_us / n));
    finish();
}
