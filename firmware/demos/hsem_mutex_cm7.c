/*
 * hsem_mutex_cm7.c - HSEM as a mutex between the cores, Cortex-M7 side (ampvp's own).
 * See hsem_mutex_common.h for the locking; N = HSEM_MUTEX_ITERATIONS (CMake, 100000).
 *
 * Sequence (SRAM4 words of struct ampvp_shared; the CM7 owns mutex_start and
 * mutex_cm7_phase, the CM4 owns mutex_cm4_phase):
 *   uart_init; SysTick 1 kHz; HSEM clock; mutex_counter = 0, mutex_cm7_phase = 0,
 *   mutex_cm4_phase = 0 (the CM4 writes it only after the start signal), DSB;
 *   mutex_start = SHARED_START_MAGIC                       -> the CM4 starts phase 1
 *   phase 1 (1-step), wait mutex_cm4_phase >= 1
 *     "hsem_mutex 1-step: counter=<c> (expected <2N>) OK|MISMATCH"
 *   mutex_cm7_phase = 1                                     -> both run phase 2
 *   phase 2 (2-step; the counter is not reset), wait mutex_cm4_phase >= 2
 *     "hsem_mutex 2-step: counter=<c> (expected <4N>) OK|MISMATCH"
 *   mutex_counter = 0, DSB; mutex_cm7_phase = 2             -> both run phase 3
 *   phase 3 (no lock), wait mutex_cm4_phase >= 3
 *     "hsem_mutex no lock: counter=<c> of <2N> (<2N-c> increments lost)"
 *   "CM7 done"
 * A wait that makes no progress for 10 s prints
 *   "hsem_mutex: CM4 did not finish phase <k> (counter=<c>)"
 * and a lock not granted for 10 s prints "hsem_mutex: HSEM 5 not granted to CM7 ...";
 * both are followed by "CM7 done". If SysTick does not run:
 *   "hsem_mutex: SysTick not running", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "hsem.h"
#include "hsem_mutex_common.h"
#include "platform.h"
#include "shared_layout.h"

AMPVP_SHARED_DEFINE();
DEMO_TIME_DEFINE()

static void wait_cm4(unsigned phase)
{
    if (!mutex_wait_flag(&ampvp_shared.mutex_cm4_phase, phase)) {
        uart_printf("hsem_mutex: CM4 did not finish phase %u (counter=%u)\n", phase,
                    (unsigned)ampvp_shared.mutex_counter);
        mutex_give_up();
    }
}

static void report_locked(const char *name, uint32_t expected)
{
    uint32_t c = ampvp_shared.mutex_counter;
    uart_printf("hsem_mutex %s: counter=%u (expected %u) %s\n", name, (unsigned)c,
                (unsigned)expected, c == expected ? "OK" : "MISMATCH");
}

int main(void)
{
    uart_init();
    demo_time_start();
    if (!demo_time_running(100000000u)) {
        uart_puts("hsem_mutex: SysTick not running\n");
        mutex_give_up();
    }
    hsem_clock_enable();
    const uint32_t coreid = hsem_core_id();
    const uint32_t n2 = 2u * (uint32_t)HSEM_MUTEX_ITERATIONS;

    ampvp_shared.mutex_counter = 0u;
    ampvp_shared.mutex_cm7_phase = 0u;
    ampvp_shared.mutex_cm4_phase = 0u;
    cm_dsb();
    ampvp_shared.mutex_start = SHARED_START_MAGIC;
    cm_dsb();

    mutex_run_phase(MUTEX_PHASE_1STEP, coreid);
    wait_cm4(MUTEX_PHASE_1STEP);
    report_locked("1-step", n2);
    ampvp_shared.mutex_cm7_phase = MUTEX_PHASE_1STEP;
    cm_dsb();

    mutex_run_phase(MUTEX_PHASE_2STEP, coreid);
    wait_cm4(MUTEX_PHASE_2STEP);
    report_locked("2-step", 2u * n2);
    ampvp_shared.mutex_counter = 0u;
    cm_dsb();
    ampvp_shared.mutex_cm7_phase = MUTEX_PHASE_2STEP;
    cm_dsb();

    mutex_run_phase(MUTEX_PHASE_NOLOCK, coreid);
    wait_cm4(MUTEX_PHASE_NOLOCK);
    uint32_t c = ampvp_shared.mutex_counter;
    uart_printf("hsem_mutex no lock: counter=%u of %u (%u increments lost)\n", (unsigned)c,
                (unsigned)n2, (unsigned)(c <= n2 ? n2 - c : 0u));

    uart_puts("CM7 done\n");
    fw_finish();
}
