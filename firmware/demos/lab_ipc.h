/*
 * lab_ipc.h - the mailbox the two teaching pairs share (ampvp's own code):
 *   remote_service_cm7/cm4  - the CM7 owns USART3; the CM4 never touches it and asks the
 *                             CM7 to print for it (ST's "remote service" use case)
 *   payload_cm7/cm4         - the CM4 prepares a block of samples, the CM7 processes it
 *                             (ST's "payload processing" use case)
 * A request goes in the mailbox (SRAM4, .shared, the same address in both images), then
 * the requester takes and frees HSEM 2 (the CM7 has enabled its notification: HSEM1 IRQ
 * 125); the answer comes back the same way on HSEM 3 (the CM4's HSEM2 IRQ 126). One
 * request in flight: each side writes only its own words.
 */
#ifndef LAB_IPC_H
#define LAB_IPC_H

#include <stdint.h>

#include "cortex_m.h"
#include "hsem.h"
#include "stm32h745_regs.h"

#define LAB_HSEM_REQUEST 2u /* CM4 -> CM7 */
#define LAB_HSEM_ANSWER  3u /* CM7 -> CM4 */
#define LAB_SAMPLES      64u

struct lab_mailbox {
    volatile uint32_t cm7_ready;        /* CM7: SHARED_READY_MAGIC once it listens        */
    volatile uint32_t request;          /* CM4: sequence number of the request (0: none)  */
    volatile uint32_t answered;         /* CM7: sequence number of the last one done      */
    volatile uint32_t result;           /* CM7: the answer (payload: the sum)             */
    volatile char text[64];             /* CM4: what to print (remote service)            */
    volatile int16_t samples[LAB_SAMPLES]; /* CM4: the payload                            */
};

#define LAB_MAILBOX_DEFINE()                                                                \
    __attribute__((section(".shared.lab"), used, aligned(8))) struct lab_mailbox lab_mailbox
extern struct lab_mailbox lab_mailbox;

/* Ring the other core: take and free the semaphore (HAL_HSEM_FastTake + Release). */
static inline void lab_ring(unsigned sem)
{
    cm_dsb();
    (void)hsem_fast_take_raw(sem);
    HSEM->R[sem] = hsem_core_id() << HSEM_R_COREID_Pos;
    cm_dsb();
}

/* Sleep until *flag is set by the interrupt handler (WFI with interrupts masked, so a
 * notification between the test and the WFI still wakes it). */
static inline void lab_wait(volatile uint32_t *flag)
{
    for (;;) {
        cm_disable_irq();
        if (*flag) {
            *flag = 0u;
            cm_enable_irq();
            return;
        }
        cm_wfi();
        cm_enable_irq();
    }
}

#endif
