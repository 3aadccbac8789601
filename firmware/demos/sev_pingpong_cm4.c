/*
 * sev_pingpong_cm4.c - inter-core round trips driven by SEV -> EXTI -> WFE,
 * Cortex-M4 side (ampvp's own). See sev_pingpong_cm7.c.
 *
 *   uart_attach; EXTI_C2EMR3 |= bit 16 (line 80: the CM7's SEV as a CM4 event);
 *   pp_pong = 0; DSB; pp_cm4_ready = SHARED_READY_MAGIC; DSB; SEV (wakes the CM7 if it
 *   already waits)
 *   for expected in 1..N: while (pp_ping != expected) WFE; pp_pong = expected; DSB; SEV
 *   "CM4 done"
 * No SysTick on this core: nothing but events wakes its WFE, so a missing CM7 -> CM4
 * event path stalls the exchange (the CM7 then reports "stuck at trip <i>"). If the
 * WFE returns PP_CM4_WAKE_LIMIT times without ping moving (e.g. WFE does not sleep and
 * the CM7 is gone), "sev_pingpong: CM4 stuck at trip <i>", then "CM4 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "shared_layout.h"
#include "stm32h745_regs.h"

#ifndef SEV_PINGPONG_TRIPS
#error "SEV_PINGPONG_TRIPS must be defined (CMake variable)"
#endif

#define PP_CM4_WAKE_LIMIT 1000000000u

AMPVP_SHARED_DEFINE();

int main(void)
{
    uart_attach(); /* the CM7 owns USART3 */

    EXTI->C2EMR3 |= EXTI_LINE_BIT3(EXTI_LINE_CM7_SEV); /* CM7 SEV -> CM4 event */
    ampvp_shared.pp_pong = 0u;
    cm_dsb();
    ampvp_shared.pp_cm4_ready = SHARED_READY_MAGIC;
    cm_dsb();
    cm_sev();

    const uint32_t n = (uint32_t)SEV_PINGPONG_TRIPS;
    for (uint32_t expected = 1; expected <= n; ++expected) {
        uint32_t wakes = 0;
        while (ampvp_shared.pp_ping != expected) {
            cm_wfe();
            if (++wakes >= PP_CM4_WAKE_LIMIT) {
                uart_printf("sev_pingpong: CM4 stuck at trip %u\n", (unsigned)expected);
                uart_puts("CM4 done\n");
                fw_finish();
            }
        }
        ampvp_shared.pp_pong = expected;
        cm_dsb();
        cm_sev();
    }

    uart_puts("CM4 done\n");
    fw_finish();
}
