/*
 * hsem_mutex_cm4.c - HSEM as a mutex between the cores, Cortex-M4 side (ampvp's own).
 * See hsem_mutex_common.h (locking) and hsem_mutex_cm7.c (the sequence).
 *
 *   uart_attach; SysTick 1 kHz; HSEM clock;
 *   wait mutex_start == SHARED_START_MAGIC (the CM7 has zeroed the counter)
 *   phase 1 (1-step); mutex_cm4_phase = 1; wait mutex_cm7_phase >= 1
 *   phase 2 (2-step); mutex_cm4_phase = 2; wait mutex_cm7_phase >= 2 (counter reset)
 *   phase 3 (no lock); mutex_cm4_phase = 3
 *   "CM4 done"
 * Failures (each followed by "CM4 done"): "hsem_mutex: CM4 saw no start signal",
 * "hsem_mutex: CM7 did not finish phase <k>", "hsem_mutex: HSEM 5 not granted to CM4
 * ...", "hsem_mutex: SysTick not running".
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

static void finish_phase(unsigned phase)
{
    ampvp_shared.mutex_cm4_phase = phase;
    cm_dsb();
}

static void wait_cm7(unsigned phase)
{
    if (!mutex_wait_flag(&ampvp_shared.mutex_cm7_phase, phase)) {
        uart_printf("hsem_mutex: CM7 did not finish phase %u\n", phase);
        mutex_give_up();
    }
}

int main(void)
{
    uart_attach(); /* the CM7 owns USART3 */
    demo_time_start();
    if (!demo_time_running(100000000u)) {
        uart_puts("hsem_mutex: SysTick not running\n");
        mutex_give_up();
    }
    hsem_clock_enable();
    const uint32_t coreid = hsem_core_id();

    struct demo_deadline d;
    deadline_start(&d, HSEM_MUTEX_STALL_MS, HSEM_MUTEX_WAIT_POLLS);
    while (ampvp_shared.mutex_start != SHARED_START_MAGIC) {
        if (deadline_expired(&d)) {
            uart_puts("hsem_mutex: CM4 saw no start signal\n");
            mutex_give_up();
        }
    }
    cm_dmb();

    mutex_run_phase(MUTEX_PHASE_1STEP, coreid);
    finish_phase(MUTEX_PHASE_1STEP);
    wait_cm7(MUTEX_PHASE_1STEP);

    mutex_run_phase(MUTEX_PHASE_2STEP, coreid);
    finish_phase(MUTEX_PHASE_2STEP);
    wait_cm7(MUTEX_PHASE_2STEP);

    mutex_run_phase(MUTEX_PHASE_NOLOCK, coreid);
    finish_phase(MUTEX_PHASE_NOLOCK);

    uart_puts("CM4 done\n");
    fw_finish();
}
