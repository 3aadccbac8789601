/*
 * ipcc_halfduplex_m4.c - IPCC half-duplex requests, Cortex-M4 side (ampvp's own): the
 * M4 serves N requests of processor 1 (N = IPCC_HALFDUPLEX_REQUESTS); the convention is
 * explained in ipcc_halfduplex_p1.c.
 *
 *   start-up: uart_attach; tick; IPCC clock, NVIC 103/104 (priority 1), IPCC init of
 *     bank C2; RX notification of channel 1 (C2MR &= ~CH1OM); ready word for P1.
 *   RX-occupied interrupt of channel 1 (handler: C2MR |= CH1OM): read the request from
 *     IPCC_DEMO->hd, check its sequence number and value, write the response into the
 *     same buffer (result = ipcc_demo_service(seq, value), status = "RESP"), DSB, then
 *     ipcc_notify_cpu(RX): C2SCR |= CH1C clears P1's flag, which is P1's "response
 *     ready", and C2MR &= ~CH1OM takes the next request.
 *   main: WFI until N requests are served.
 *
 * Console:
 *   [m4] ipcc_halfduplex: M4 served N of N requests on channel 1, checksum 0x<c>, errors 0
 *   [m4] CM4 done
 * No request for 10 s: "ipcc_halfduplex: M4 stuck after <k> of N requests".
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
static const uint32_t s_n = (uint32_t)IPCC_HALFDUPLEX_REQUESTS;
static volatile uint32_t s_served;
static volatile uint32_t s_errors;
static volatile uint32_t s_sum;

/* RX occupied on channel 1: a request is in the buffer. */
static void serve_request(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir)
{
    (void)dir;
    struct ipcc_demo_hd *b = &IPCC_DEMO->hd;
    const uint32_t seq = b->seq;
    const uint32_t value = b->value;
    if (seq != s_served + 1u || value != ipcc_demo_word(IPCC_DEMO_TAG_REQ, seq, 0)) {
        s_errors = s_errors + 1u;
    }
    const uint32_t result = ipcc_demo_service(seq, value);
    b->result = result;
    b->status = IPCC_DEMO_RESPONSE_MAGIC;
    cm_dsb(); /* the response is in SRAM before the flag is cleared */
    s_sum = ipcc_demo_sum(s_sum, result);
    s_served = s_served + 1u;
    ipcc_notify_cpu(h, channel, IPCC_DIR_RX);
}

void IPCC_RX1_IRQHandler(void);
void IPCC_TX1_IRQHandler(void);
void IPCC_RX1_IRQHandler(void) { ipcc_rx_irq_handler(&s_ipcc); }
void IPCC_TX1_IRQHandler(void) { ipcc_tx_irq_handler(&s_ipcc); }

static int all_served(void)
{
    return s_served >= s_n;
}

int main(void)
{
    uart_attach(); /* processor 1 owns USART3 */
    ipcc_demo_hal_init();

    ipcc_demo_ipcc_init(&s_ipcc);
    ipcc_activate_notification(&s_ipcc, IPCC_DEMO_CH_P1_TO_P2, IPCC_DIR_RX, serve_request);
    ipcc_demo_m4_ready();

    uint32_t seen = 0u;
    struct demo_deadline d;
    deadline_start(&d, IPCC_DEMO_STALL_MS, IPCC_DEMO_STALL_POLLS);
    while (!all_served()) {
        ipcc_demo_sleep_unless(all_served);
        if (s_served != seen) {
            seen = s_served;
            deadline_restart(&d);
        } else if (deadline_expired(&d)) {
            uart_printf("ipcc_halfduplex: M4 stuck after %u of %u requests\n", (unsigned)seen,
                        (unsigned)s_n);
            uart_puts("CM4 done\n");
            fw_finish();
        }
    }

    uart_printf("ipcc_halfduplex: M4 served %u of %u requests on channel %u, checksum 0x%08x,"
                " errors %u\n",
                (unsigned)s_served, (unsigned)s_n, (unsigned)IPCC_DEMO_CH_P1_TO_P2 + 1u,
                (unsigned)s_sum, (unsigned)s_errors);
    uart_puts("CM4 done\n");
    fw_finish();
}
