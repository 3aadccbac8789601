/*
 * ipcc_demo.h - what the IPCC demos of ampvp's "stm32mp157-2m" machine share (ampvp's
 * own): the block of MCU SRAM3 both processors use, the channels, the message contents
 * and the checksum, and the HAL-like start-up both sides run.
 *
 * Processor 1 ("mpu" core, the Cortex-A7's role, image *_p1.elf) and processor 2 (the
 * Cortex-M4, *_m4.elf). The IPCC never carries data: every message is in the shared
 * block below, and a channel flag only says "there is something for you" (set by the
 * sender, CHnS) or "I have taken it" (cleared by the receiver, CHnC).
 *
 * The block sits at the start of MCU SRAM3 (0x10040000), which neither image loads
 * anything into (both linker scripts ASSERT it). It is not initialised by anybody: the
 * emulator starts SRAM zeroed, and processor 1 clears the M4's ready word before it
 * releases the M4 (no race: the M4 is still held in reset).
 */
#ifndef AMPVP_IPCC_DEMO_H
#define AMPVP_IPCC_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "stm32mp15_ipcc.h"
#include "stm32mp15_regs.h"

#define IPCC_DEMO_READY_MAGIC 0x52454459u /* "REDY" */

/* IPCC channels (ST's IPCC_CHANNEL_1 = index 0 ...). */
#define IPCC_DEMO_CH_P1_TO_P2 0u /* channel 1: simplex P1 -> P2, half-duplex requests */
#define IPCC_DEMO_CH_P2_TO_P1 1u /* channel 2: simplex P2 -> P1                        */

/* NVIC priority of the IPCC lines (ST's echo application uses 1; 4 priority bits). */
#define IPCC_DEMO_IRQ_PRIORITY 1u

/* One simplex message: a sequence number and four payload words. */
#define IPCC_DEMO_WORDS 4u
struct ipcc_demo_msg {
    volatile uint32_t seq;                    /* 1..N */
    volatile uint32_t word[IPCC_DEMO_WORDS];  /* ipcc_demo_word(tag, seq, k) */
};

/* The half-duplex buffer: the request and, in the same place, its response. */
struct ipcc_demo_hd {
    volatile uint32_t seq;     /* request: 1..N (the M4 echoes it in the response) */
    volatile uint32_t value;   /* request: ipcc_demo_word(IPCC_DEMO_TAG_REQ, seq, 0) */
    volatile uint32_t result;  /* response: ipcc_demo_service(seq, value)           */
    volatile uint32_t status;  /* response: IPCC_DEMO_RESPONSE_MAGIC; P1 clears it   */
};
#define IPCC_DEMO_RESPONSE_MAGIC 0x52455350u /* "RESP" */

struct ipcc_demo_shared {
    volatile uint32_t m4_ready;     /* 0x00 M4: IPCC_DEMO_READY_MAGIC once its IPCC and
                                     *      NVIC are set (P1 clears it before release) */
    volatile uint32_t reserved0[7]; /* 0x04 */
    struct ipcc_demo_msg p1_to_p2;  /* 0x20 simplex, channel 1: written by P1 only      */
    volatile uint32_t reserved1[3]; /* 0x34 */
    struct ipcc_demo_msg p2_to_p1;  /* 0x40 simplex, channel 2: written by M4 only      */
    volatile uint32_t reserved2[3]; /* 0x54 */
    struct ipcc_demo_hd hd;         /* 0x60 half-duplex, channel 1: request by P1,
                                     *      response by the M4                         */
};
_Static_assert(offsetof(struct ipcc_demo_shared, p1_to_p2) == 0x20, "p1_to_p2 offset");
_Static_assert(offsetof(struct ipcc_demo_shared, p2_to_p1) == 0x40, "p2_to_p1 offset");
_Static_assert(offsetof(struct ipcc_demo_shared, hd) == 0x60, "hd offset");

#define IPCC_DEMO_SHARED_BASE MCU_SRAM3_BASE
#define IPCC_DEMO ((struct ipcc_demo_shared *)IPCC_DEMO_SHARED_BASE)

/* ---- message contents and checksum (tests/integration/ipcc_*.sh compute the same) -- */
#define IPCC_DEMO_TAG_P1_TO_P2 0x50315032u /* "P1P2" */
#define IPCC_DEMO_TAG_P2_TO_P1 0x50325031u /* "P2P1" */
#define IPCC_DEMO_TAG_REQ      0x52455121u /* "REQ!" */

/* Payload word k of message seq. */
static inline uint32_t ipcc_demo_word(uint32_t tag, uint32_t seq, uint32_t k)
{
    return (seq * 0x9E3779B1u + k * 0x7F4A7C15u) ^ tag;
}

/* What the M4's "service" computes from a half-duplex request. */
static inline uint32_t ipcc_demo_service(uint32_t seq, uint32_t value)
{
    return (value ^ 0xA5A5A5A5u) + seq;
}

/* Order-sensitive checksum: c = c * 31 + w (mod 2^32), from 0. */
static inline uint32_t ipcc_demo_sum(uint32_t c, uint32_t w)
{
    return c * 31u + w;
}

/* ---- start-up, as ST's HAL_Init / MSP do it ------------------------------------------- */
/* HAL_Init: NVIC priority grouping 4 (AIRCR = 0x05FA0300: all 4 bits pre-emption), then
 * the 1 kHz tick (SysTick, priority 15). */
static inline void ipcc_demo_hal_init(void)
{
    uint32_t aircr = SCB->AIRCR;
    aircr &= ~(0xFFFFu << 16 | SCB_AIRCR_PRIGROUP_Msk);
    aircr |= SCB_AIRCR_VECTKEY | (3u << SCB_AIRCR_PRIGROUP_Pos);
    SCB->AIRCR = aircr;
    demo_time_start();
}

/* HAL_IPCC_MspInit + HAL_IPCC_Init: IPCC clock, both of this processor's IPCC lines in
 * the NVIC (priority IPCC_DEMO_IRQ_PRIORITY), then the IPCC's own bank. */
static inline void ipcc_demo_ipcc_init(struct ipcc_handle *h)
{
    ipcc_clock_enable();
    NVIC->IPR[IPCC_RX_IRQn] = (uint8_t)(IPCC_DEMO_IRQ_PRIORITY << 4);
    NVIC->IPR[IPCC_TX_IRQn] = (uint8_t)(IPCC_DEMO_IRQ_PRIORITY << 4);
    nvic_enable_irq(IPCC_RX_IRQn);
    nvic_enable_irq(IPCC_TX_IRQn);
    ipcc_init(h);
}

/* Sleep until an interrupt unless there is already work: PRIMASK keeps an interrupt
 * that arrives between the check and the WFI from being handled before the WFI (it
 * still wakes it, and is taken right after). */
static inline void ipcc_demo_sleep_unless(int (*work)(void))
{
    cm_disable_irq();
    if (!work()) {
        cm_wfi();
    }
    cm_enable_irq();
}

/* Without progress for this long, a demo reports where it is stuck and ends. */
#define IPCC_DEMO_STALL_MS    10000u
#define IPCC_DEMO_STALL_POLLS 100000000u

/* ---- the two start-ups ---------------------------------------------------------------- */
#if defined(FW_TARGET_MP15_P1)
/* Processor 1, after its own IPCC set-up (notifications activated): clear the M4's
 * ready word, release the M4 like Linux remoteproc (RCC_MP_GCR.BOOT_MCU = 1, read-
 * modify-write) and wait until the M4 says its IPCC is set up. Returns 1 when ready. */
static inline int ipcc_demo_release_m4(const char *demo)
{
    IPCC_DEMO->m4_ready = 0u;
    cm_dsb();
    RCC->MP_GCR |= RCC_MP_GCR_BOOT_MCU;
    uart_printf("%s: MPU released the M4 (RCC_MP_GCR.BOOT_MCU = 1)\n", demo);

    struct demo_deadline d;
    deadline_start(&d, IPCC_DEMO_STALL_MS, IPCC_DEMO_STALL_POLLS);
    while (IPCC_DEMO->m4_ready != IPCC_DEMO_READY_MAGIC) {
        if (deadline_expired(&d)) {
            uart_printf("%s: the M4 never became ready\n", demo);
            return 0;
        }
    }
    return 1;
}
#else
/* The M4, after its IPCC set-up (notifications activated): tell processor 1. */
static inline void ipcc_demo_m4_ready(void)
{
    cm_dsb();
    IPCC_DEMO->m4_ready = IPCC_DEMO_READY_MAGIC;
    cm_dsb();
}
#endif

#endif /* AMPVP_IPCC_DEMO_H */
