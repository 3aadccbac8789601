/*
 * hsem.h - STM32H745 hardware semaphore (HSEM, 0x58026400) helpers, ampvp's own.
 *
 * Written from the RM0399 register description:
 *   HSEM_Rn   (+0x000 + 4n)  write LOCK(31) | COREID[11:8] | PROCID[7:0]: 2-step lock
 *                            request; read: current state (LOCK, COREID, PROCID);
 *                            write with LOCK = 0 and the holder's COREID + PROCID: unlock.
 *   HSEM_RLRn (+0x080 + 4n)  read = 1-step lock: takes the semaphore with PROCID 0 if it
 *                            is free, returns the state; the lock succeeded iff the value
 *                            is LOCK | (own COREID << 8).
 *   CxIER/CxICR/CxISR/CxMISR notification of "semaphore n became free" to CPU x
 *                            (C1 = CM7 -> NVIC HSEM1 IRQ 125, C2 = CM4 -> HSEM2 IRQ 126).
 * COREID is the bus master id of the accessing core: CM7 = 3, CM4 = 1.
 *
 * Barriers: a DSB after a successful lock (nothing of the critical section runs
 * before the lock is confirmed) and a DSB before the unlock write (every store of the
 * critical section has left the core before the semaphore is seen free), plus one after
 * it. The "memory" clobbers also keep the compiler from moving accesses across.
 */
#ifndef AMPVP_HSEM_H
#define AMPVP_HSEM_H

#include <stdint.h>

#include "cortex_m.h"
#include "stm32h745_regs.h"

/* RCC_AHB4ENR.HSEMEN = 1, then read the register back (the clock-enable delay, as
 * the HAL's __HAL_RCC_HSEM_CLK_ENABLE does). */
static inline void hsem_clock_enable(void)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
}

/* The HSEM COREID of the core running this code, from SCB->CPUID's part number:
 * Cortex-M7 (0xC27) = 3, anything else (the Cortex-M4) = 1. */
static inline uint32_t hsem_core_id(void)
{
    uint32_t part = (SCB->CPUID & SCB_CPUID_PARTNO_Msk) >> SCB_CPUID_PARTNO_Pos;
    return part == CPUID_PARTNO_CORTEX_M7 ? HSEM_COREID_CM7 : HSEM_COREID_CM4;
}

/* Value of HSEM_Rn while (coreid, procid) holds the semaphore. */
static inline uint32_t hsem_locked_value(uint32_t coreid, uint32_t procid)
{
    return HSEM_R_LOCK | (coreid << HSEM_R_COREID_Pos) | (procid & HSEM_R_PROCID_Msk);
}

/* 1-step lock: one read of RLRn. Returns the value read (hsem_locked_value(coreid, 0)
 * if this core now holds it). */
static inline uint32_t hsem_fast_take_raw(unsigned n)
{
    uint32_t v = HSEM->RLR[n];
    cm_dsb();
    return v;
}

static inline int hsem_fast_take(unsigned n, uint32_t coreid)
{
    return hsem_fast_take_raw(n) == hsem_locked_value(coreid, 0u);
}

/* 2-step lock: write the lock request to Rn, read Rn back; owned iff it reads back
 * exactly what was written. */
static inline int hsem_take(unsigned n, uint32_t coreid, uint32_t procid)
{
    const uint32_t want = hsem_locked_value(coreid, procid);
    HSEM->R[n] = want;
    int owned = HSEM->R[n] == want;
    cm_dsb();
    return owned;
}

/* Unlock: write COREID | PROCID with LOCK = 0 (a 1-step lock has PROCID 0). */
static inline void hsem_release(unsigned n, uint32_t coreid, uint32_t procid)
{
    cm_dsb();
    HSEM->R[n] = (coreid << HSEM_R_COREID_Pos) | (procid & HSEM_R_PROCID_Msk);
    cm_dsb();
}

/* Current state of semaphore n (HSEM_Rn, no side effect). */
static inline uint32_t hsem_state(unsigned n)
{
    return HSEM->R[n];
}

#endif /* AMPVP_HSEM_H */
