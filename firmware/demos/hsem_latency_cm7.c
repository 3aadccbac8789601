/*
 * hsem_latency_cm7.c - HSEM notification latency workload, Cortex-M7 side (ampvp's own).
 * K = HSEM_LATENCY_SAMPLES (CMake, default 200).
 *
 * The benchmark itself is measured in the emulator's hub: from this core's release
 * write to HSEM_R2 to the CM4's write of HSEM_C2ICR in its HSEM2 interrupt handler.
 * This image only produces K well-separated notifications:
 *
 *   uart_init; SysTick 1 kHz (checked running); HSEM clock;
 *   wait lat_cm4_ready == SHARED_READY_MAGIC (10 s of SysTick)
 *   K times:
 *     before = lat_count
 *     1-step lock of HSEM 2 (read HSEM_RLR2; must be 0x80000300)
 *     release (HSEM_R2 = 0x00000300)     -> C2ISR bit 2 -> CM4 HSEM2 IRQ 126
 *     wait (WFI, woken by SysTick) until lat_count != before, at most 1000 ms
 *     wait until two more SysTick ticks have passed (1..2 ms of quiet)
 *   "hsem_latency: <delivered> notifications delivered"   (delivered = K when all went)
 *   "CM7 done"
 * Failures (sampling stops; the two lines above follow):
 *   "hsem_latency: SysTick not running", "hsem_latency: CM4 not ready",
 *   "hsem_latency: sample <k>: 1-step lock of HSEM 2 failed (RLR2=0x<v>)",
 *   "hsem_latency: sample <k>: no notification within 1000 ms".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "hsem.h"
#include "platform.h"
#include "shared_layout.h"

#ifndef HSEM_LATENCY_SAMPLES
#error "HSEM_LATENCY_SAMPLES must be defined (CMake variable)"
#endif
_Static_assert(HSEM_LATENCY_SAMPLES > 0u, "sample count");

#define LAT_SEMAPHORE     2u
#define LAT_READY_MS      10000u
#define LAT_NOTIFY_MS     1000u
#define LAT_POLL_LIMIT    1000000000u

AMPVP_SHARED_DEFINE();
DEMO_TIME_DEFINE()

static __attribute__((noreturn)) void finish(uint32_t delivered)
{
    uart_printf("hsem_latency: %u notifications delivered\n", (unsigned)delivered);
    uart_puts("CM7 done\n");
    fw_finish();
}

int main(void)
{
    uart_init();
    demo_time_start();
    if (!demo_time_running(100000000u)) {
        uart_puts("hsem_latency: SysTick not running\n");
        finish(0u);
    }
    hsem_clock_enable();
    const uint32_t coreid = hsem_core_id();

    struct demo_deadline d;
    deadline_start(&d, LAT_READY_MS, LAT_POLL_LIMIT);
    while (ampvp_shared.lat_cm4_ready != SHARED_READY_MAGIC) {
        if (deadline_expired(&d)) {
            uart_puts("hsem_latency: CM4 not ready\n");
            finish(0u);
        }
    }
    cm_dmb();

    uint32_t delivered = 0;
    for (uint32_t k = 0; k < (uint32_t)HSEM_LATENCY_SAMPLES; ++k) {
        const uint32_t before = ampvp_shared.lat_count;

        uint32_t rlr = hsem_fast_take_raw(LAT_SEMAPHORE);
        if (rlr != hsem_locked_value(coreid, 0u)) {
            uart_printf("hsem_latency: sample %u: 1-step lock of HSEM %u failed (RLR%u=0x%08x)\n",
                        (unsigned)k, LAT_SEMAPHORE, LAT_SEMAPHORE, (unsigned)rlr);
            break;
        }
        hsem_release(LAT_SEMAPHORE, coreid, 0u);

        /* Sleep until the CM4's handler counted it; SysTick wakes the WFI every ms. */
        deadline_start(&d, LAT_NOTIFY_MS, LAT_POLL_LIMIT);
        int ok = 1;
        while (ampvp_shared.lat_count == before) {
            cm_wfi();
            if (deadline_expired(&d)) {
                ok = 0;
                break;
            }
        }
        if (!ok) {
            uart_printf("hsem_latency: sample %u: no notification within %u ms\n", (unsigned)k,
                        LAT_NOTIFY_MS);
            break;
        }
        ++delivered;

        /* ~1 ms of quiet before the next sample: two tick edges. */
        uint32_t t = demo_ms();
        while (demo_ms() - t < 2u) {
            cm_wfi();
        }
    }

    finish(delivered);
}
