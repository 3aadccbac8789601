/*
 * ipcc_halfduplex_p1.c - IPCC half-duplex requests, processor 1 side (ampvp's own):
 * the "mpu" core of ampvp's "stm32mp157-2m" machine asks the Cortex-M4 for a service
 * N times (N = IPCC_HALFDUPLEX_REQUESTS). Pair: ipcc_halfduplex_m4.c.
 *
 * Half-duplex (RM0436 IPCC "half-duplex communication mode", as ST's HAL documents it):
 * one channel and one buffer carry a request and its response. The requester writes
 * the request into the buffer and sets its channel flag; the responder takes the
 * RX-occupied interrupt, handles the request, writes the response INTO THE SAME BUFFER
 * and clears the flag; for the requester "channel free" (its TX-free interrupt) thus
 * means "the response is ready", and it reads it there.
 *
 * Here, on channel 1 with the buffer IPCC_DEMO->hd in MCU SRAM3 (ipcc_demo.h), for
 * seq = 1..N:
 *   P1: hd = {seq, value = ipcc_demo_word(REQ, seq, 0), result = 0, status = 0}; DSB;
 *       ipcc_notify_cpu(TX) (C1SCR |= CH1S, C1MR &= ~CH1FM); sleep in WFI until
 *   P1 TX-free interrupt (handler: C1MR |= CH1FM): hd.seq == seq, hd.status == "RESP",
 *       hd.result == ipcc_demo_service(seq, value), checksum c = c * 31 + result.
 * Start-up as ipcc_simplex.c: P1 sets up console, tick, IPCC (C1, NVIC 100/101) and the
 * TX notification of channel 1, clears the M4's ready word, releases the M4
 * (RCC_MP_GCR.BOOT_MCU = 1) and waits for it.
 *
 * Console:
 *   [mpu] ipcc_halfduplex: MPU released the M4 (RCC_MP_GCR.BOOT_MCU = 1)
 *   [mpu] ipcc_halfduplex: MPU got N of N responses on channel 1, checksum 0x<c>, errors 0
 *   [mpu] ipcc_halfduplex: <ms> ms, <us> us per request
 *   [mpu] MPU done
 * A response missing for 10 s: "ipcc_halfduplex: no response to request <seq>".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "ipcc_demo.h"
#include "platform.h"
#include "stm32mp15_ipcc.h"
#include "stm32mp15_regs.h"

#ifndef IPCC_HALFDUPLEX_REQUESTS
#error "IPCC_HALFDUPLEX_REQUESTS must be defined (CMake variable)"
#endif

DEMO_TIME_DEFINE()

static struct ipcc_handle s_ipcc;
static volatile uint32_t s_pending;  /* seq of the request in the buffer, 0 = none */
static volatile uint32_t s_answered; /* responses read                             */
static volatile uint32_t s_errors;
static volatile uint32_t s_sum;

/* TX free on channel 1: the M4 cleared the flag, so its response is in the buffer. */
static void response_ready(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir)
{
    (void)h;
    (void)channel;
    (void)dir;
    const struct ipcc_demo_hd *b = &IPCC_DEMO->hd;
    const uint32_t seq = s_pending;
    const uint32_t result = b->result;
    if (b->seq != seq || b->status != IPCC_DEMO_RESPONSE_MAGIC ||
        result != ipcc_demo_service(seq, ipcc_demo_word(IPCC_DEMO_TAG_REQ, seq, 0))) {
        s_errors = s_errors + 1u;
    }
    s_sum = ipcc_demo_sum(s_sum, result);
    s_answered = s_answered + 1u;
    s_pending = 0u;
}

void IPCC_RX0_IRQHandler(void);
void IPCC_TX0_IRQHandler(void);
void IPCC_RX0_IRQHandler(void) { ipcc_rx_irq_handler(&s_ipcc); }
void IPCC_TX0_IRQHandler(void) { ipcc_tx_irq_handler(&s_ipcc); }

static int answered(void)
{
    return s_pending == 0u;
}

int main(void)
{
    uart_init(); /* processor 1 owns USART3 */
    ipcc_demo_hal_init();
    if (!demo_time_running(10000000u)) {
        uart_puts("ipcc_halfduplex: SysTick not running\n");
        uart_puts("MPU done\n");
        fw_finish();
    }

    ipcc_demo_ipcc_init(&s_ipcc);
    ipcc_activate_notification(&s_ipcc, IPCC_DEMO_CH_P1_TO_P2, IPCC_DIR_TX, response_ready);
    if (!ipcc_demo_release_m4("ipcc_halfduplex")) {
        uart_puts("MPU done\n");
        fw_finish();
    }

    const uint32_t n = (uint32_t)IPCC_HALFDUPLEX_REQUESTS;
    const uint32_t t0 = demo_us();
    for (uint32_t seq = 1; seq <= n; ++seq) {
        struct ipcc_demo_hd *b = &IPCC_DEMO->hd;
        b->seq = seq;
        b->value = ipcc_demo_word(IPCC_DEMO_TAG_REQ, seq, 0);
        b->result = 0u;
        b->status = 0u;
        cm_dsb(); /* the request is in SRAM before the flag says so */
        s_pending = seq;
        ipcc_notify_cpu(&s_ipcc, IPCC_DEMO_CH_P1_TO_P2, IPCC_DIR_TX);

        struct demo_deadline d;
        deadline_start(&d, IPCC_DEMO_STALL_MS, IPCC_DEMO_STALL_POLLS);
        while (s_pending != 0u) {
            ipcc_demo_sleep_unless(answered);
            if (s_pending != 0u && deadline_expired(&d)) {
                uart_printf("ipcc_halfduplex: no response to request %u\n", (unsigned)seq);
                uart_puts("MPU done\n");
                fw_finish();
            }
        }
    }
    const uint32_t us = demo_us() - t0;

    uart_printf("ipcc_halfduplex: MPU got %u of %u responses on channel %u, checksum 0x%08x,"
                " errors %u\n",
                (unsigned)s_answered, (unsigned)n, (unsigned)IPCC_DEMO_CH_P1_TO_P2 + 1u,
                (unsigned)s_sum, (unsigned)s_errors);
    uart_printf("ipcc_halfduplex: %u ms, %u us per request\n", (unsigned)(us / 1000u),
                (unsigned)(us / n));
    uart_puts("MPU done\n");
    fw_finish();
}
