/*
 * hsem_mutex_common.h - the parts of the hsem_mutex demo both cores run (ampvp's own).
 *
 * One uint32_t counter in SRAM4 (ampvp_shared.mutex_counter, 0x38000040), incremented
 * HSEM_MUTEX_ITERATIONS times by each core per phase with a plain load / add / store
 * (volatile, no LDREX/STREX), under HSEM semaphore 5:
 *   phase 1  1-step lock: spin reading HSEM_RLR5 until it returns
 *            0x80000000 | COREID << 8; unlock: HSEM_R5 = COREID << 8
 *   phase 2  2-step lock: spin { HSEM_R5 = 0x80000000 | COREID << 8 | PROCID (0);
 *            read HSEM_R5 back, owned iff equal }; unlock: HSEM_R5 = COREID << 8 | PROCID
 *   phase 3  no lock at all (lost increments are expected and only reported)
 * COREID comes from SCB->CPUID (hsem_core_id(): CM7 3, CM4 1).
 *
 * Every wait is bounded (demo_time.h): a lock not granted for HSEM_MUTEX_STALL_MS of
 * SysTick time (or HSEM_MUTEX_LOCK_POLLS attempts), or a phase flag with no movement of
 * the counter for HSEM_MUTEX_STALL_MS (or HSEM_MUTEX_WAIT_POLLS polls), ends the demo
 * with a line saying so.
 */
#ifndef AMPVP_HSEM_MUTEX_COMMON_H
#define AMPVP_HSEM_MUTEX_COMMON_H

#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "hsem.h"
#include "platform.h"
#include "shared_layout.h"

#ifndef HSEM_MUTEX_ITERATIONS
#error "HSEM_MUTEX_ITERATIONS must be defined (CMake variable)"
#endif
_Static_assert(HSEM_MUTEX_ITERATIONS > 0u && HSEM_MUTEX_ITERATIONS <= 0x3FFFFFFFu,
               "4 * HSEM_MUTEX_ITERATIONS must fit in 32 bits");

#define HSEM_MUTEX_SEMAPHORE  5u
#define HSEM_MUTEX_PROCID     0u
#define HSEM_MUTEX_STALL_MS   10000u       /* 10 s without progress = stuck            */
#define HSEM_MUTEX_LOCK_POLLS 10000000u    /* lock attempts (MMIO) without success     */
#define HSEM_MUTEX_WAIT_POLLS 1000000000u  /* polls of SRAM4 without any progress      */

enum { MUTEX_PHASE_1STEP = 1, MUTEX_PHASE_2STEP = 2, MUTEX_PHASE_NOLOCK = 3 };

/* Prints why, then "<core> done", then WFI forever. */
static inline __attribute__((noreturn)) void mutex_give_up(void)
{
    uart_puts(FW_CORE_TAG " done\n");
    fw_finish();
}

static inline __attribute__((noreturn)) void mutex_lock_stuck(unsigned phase, uint32_t i)
{
    uart_printf("hsem_mutex: HSEM %u not granted to " FW_CORE_TAG
                " (phase %u, iteration %u, HSEM_R%u=0x%08x)\n",
                HSEM_MUTEX_SEMAPHORE, phase, (unsigned)i, HSEM_MUTEX_SEMAPHORE,
                (unsigned)hsem_state(HSEM_MUTEX_SEMAPHORE));
    mutex_give_up();
}

/* The increment: a separate load, add and store of the shared word. */
static inline void mutex_increment(void)
{
    uint32_t v = ampvp_shared.mutex_counter;
    ampvp_shared.mutex_counter = v + 1u;
}

/* This core's share of one phase. */
static inline void mutex_run_phase(unsigned phase, uint32_t coreid)
{
    struct demo_deadline d;
    for (uint32_t i = 0; i < (uint32_t)HSEM_MUTEX_ITERATIONS; ++i) {
        switch (phase) {
        case MUTEX_PHASE_1STEP:
            if (!hsem_fast_take(HSEM_MUTEX_SEMAPHORE, coreid)) {
                deadline_start(&d, HSEM_MUTEX_STALL_MS, HSEM_MUTEX_LOCK_POLLS);
                while (!hsem_fast_take(HSEM_MUTEX_SEMAPHORE, coreid)) {
                    if (deadline_expired(&d)) {
                        mutex_lock_stuck(phase, i);
                    }
                }
            }
            mutex_increment();
            hsem_release(HSEM_MUTEX_SEMAPHORE, coreid, 0u);
            break;
        case MUTEX_PHASE_2STEP:
            if (!hsem_take(HSEM_MUTEX_SEMAPHORE, coreid, HSEM_MUTEX_PROCID)) {
                deadline_start(&d, HSEM_MUTEX_STALL_MS, HSEM_MUTEX_LOCK_POLLS);
                while (!hsem_take(HSEM_MUTEX_SEMAPHORE, coreid, HSEM_MUTEX_PROCID)) {
                    if (deadline_expired(&d)) {
                        mutex_lock_stuck(phase, i);
                    }
                }
            }
            mutex_increment();
            hsem_release(HSEM_MUTEX_SEMAPHORE, coreid, HSEM_MUTEX_PROCID);
            break;
        default:
            mutex_increment();
            break;
        }
    }
    cm_dsb(); /* the last store is out before the phase flag is published */
}

/* Wait until *flag >= value. Progress (the flag or the counter moving) restarts the
 * deadline. Returns 1, or 0 if nothing moved for HSEM_MUTEX_STALL_MS. */
static inline int mutex_wait_flag(volatile uint32_t *flag, uint32_t value)
{
    struct demo_deadline d;
    uint32_t last_counter = ampvp_shared.mutex_counter;
    deadline_start(&d, HSEM_MUTEX_STALL_MS, HSEM_MUTEX_WAIT_POLLS);
    while (*flag < value) {
        uint32_t c = ampvp_shared.mutex_counter;
        if (c != last_counter) {
            last_counter = c;
            deadline_restart(&d);
        } else if (deadline_expired(&d)) {
            return 0;
        }
    }
    cm_dmb(); /* reads of the counter after the flag */
    return 1;
}

#endif /* AMPVP_HSEM_MUTEX_COMMON_H */
