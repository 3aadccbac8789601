/*
 * ipcc_simplex.c - IPCC simplex channels, both directions at once (ampvp's own). One
 * source for both images of ampvp's "stm32mp157-2m" machine:
 *   ipcc_simplex_p1.elf  processor 1 (the "mpu" core, the Cortex-A7's role)
 *   ipcc_simplex_m4.elf  processor 2 (the Cortex-M4)
 *
 * Simplex (RM0436 IPCC "simplex communication mode"): a channel carries messages one
 * way. P1 sends N messages to the M4 on channel 1, the M4 sends N to P1 on channel 2,
 * concurrently. For each message the sender
 *   1. writes it into its mailbox in MCU SRAM3 (ipcc_demo.h),
 *   2. sets its channel flag and unmasks the channel's TX-free interrupt
 *      (ipcc_notify_cpu(TX): own SCR |= CHnS, MR &= ~CHnFM),
 * the receiver takes the RX-occupied interrupt (the IPCC handler masks the channel),
 * reads the mailbox and clears the flag (ipcc_notify_cpu(RX): own SCR |= CHnC, which
 * unmasks CHnOM again), and that "free" raises the sender's TX-free interrupt (masked
 * again by the handler): only then may the sender overwrite the mailbox with the next
 * message. Flow control is therefore entirely by interrupts; between them both cores
 * sleep in WFI.
 *
 * Start-up: P1 sets up its console, tick and IPCC (bank C1, NVIC 100/101), clears the
 * M4's ready word and releases the M4 (RCC_MP_GCR.BOOT_MCU = 1), then waits for the
 * ready word. The M4 attaches to the console, sets up its IPCC (bank C2, NVIC 103/104)
 * and publishes the ready word. The handshake matters: the M4's IPCC init clears every
 * flag P1 has set (C2SCR = 0x3F), so P1 must not send before.
 *
 * Each side checks every message it receives (sequence number and payload) and keeps
 * an order-sensitive checksum of the payload words it sent and received
 * (c = c * 31 + w); tests/integration/ipcc_simplex.sh computes the same numbers.
 *
 * Console (N = IPCC_SIMPLEX_MESSAGES, channel 1 = P1 -> M4, channel 2 = M4 -> P1):
 *   [mpu] ipcc_simplex: MPU released the M4 (RCC_MP_GCR.BOOT_MCU = 1)
 *   [mpu] ipcc_simplex: MPU sent N messages on channel 1, checksum 0x<c1>
 *   [mpu] ipcc_simplex: MPU received N of N messages on channel 2, checksum 0x<c2>, errors 0
 *   [mpu] ipcc_simplex: <ms> ms for N messages each way
 *   [mpu] MPU done
 *   [m4] ipcc_simplex: M4 received N of N messages on channel 1, checksum 0x<c1>, errors 0
 *   [m4] ipcc_simplex: M4 sent N messages on channel 2, checksum 0x<c2>
 *   [m4] CM4 done
 * ("sent" is printed once the receiver has taken the last message.) Without progress
 * for 10 s a side prints "ipcc_simplex: <side> stuck: sent <s> of N (last one taken:
 * yes|no), received <r> of N" and ends.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "ipcc_demo.h"
#include "platform.h"
#include "stm32mp15_ipcc.h"
#include "stm32mp15_regs.h"

#ifndef IPCC_SIMPLEX_MESSAGES
#error "IPCC_SIMPLEX_MESSAGES must be defined (CMake variable)"
#endif

#if defined(FW_TARGET_MP15_P1)
#define SIDE       "MPU"
#define TX_CH      IPCC_DEMO_CH_P1_TO_P2
#define RX_CH      IPCC_DEMO_CH_P2_TO_P1
#define TX_TAG     IPCC_DEMO_TAG_P1_TO_P2
#define RX_TAG     IPCC_DEMO_TAG_P2_TO_P1
#define TX_MAILBOX (&IPCC_DEMO->p1_to_p2)
#define RX_MAILBOX (&IPCC_DEMO->p2_to_p1)
#elif defined(FW_TARGET_MP15_M4)
#define SIDE       "M4"
#define TX_CH      IPCC_DEMO_CH_P2_TO_P1
#define RX_CH      IPCC_DEMO_CH_P1_TO_P2
#define TX_TAG     IPCC_DEMO_TAG_P2_TO_P1
#define RX_TAG     IPCC_DEMO_TAG_P1_TO_P2
#define TX_MAILBOX (&IPCC_DEMO->p2_to_p1)
#define RX_MAILBOX (&IPCC_DEMO->p1_to_p2)
#else
#error "ipcc_simplex is built for the MP15 kinds only"
#endif

DEMO_TIME_DEFINE()

static struct ipcc_handle s_ipcc;

static const uint32_t s_n = (uint32_t)IPCC_SIMPLEX_MESSAGES;
static volatile uint32_t s_tx_free = 1u;  /* TX-free callback: the receiver took the last */
static volatile uint32_t s_received;      /* RX callback: messages taken                  */
static volatile uint32_t s_rx_errors;     /* RX callback: wrong sequence or payload        */
static volatile uint32_t s_rx_sum;        /* RX callback: checksum of received words       */

/* RX occupied on RX_CH: the other side's message is in RX_MAILBOX. */
static void rx_callback(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir)
{
    (void)dir;
    const struct ipcc_demo_msg *m = RX_MAILBOX;
    const uint32_t expected = s_received + 1u;
    uint32_t sum = s_rx_sum;
    int ok = m->seq == expected;
    for (uint32_t k = 0; k < IPCC_DEMO_WORDS; ++k) {
        const uint32_t w = m->word[k];
        ok = ok && w == ipcc_demo_word(RX_TAG, expected, k);
        sum = ipcc_demo_sum(sum, w);
    }
    s_rx_sum = sum;
    if (!ok) {
        s_rx_errors = s_rx_errors + 1u;
    }
    s_received = expected;
    /* Taken: clear the other side's flag (its TX-free interrupt) and unmask RX again. */
    ipcc_notify_cpu(h, channel, IPCC_DIR_RX);
}

/* TX free on TX_CH: the other side has read TX_MAILBOX. */
static void tx_free_callback(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir)
{
    (void)h;
    (void)channel;
    (void)dir;
    s_tx_free = 1u;
}

#if defined(FW_TARGET_MP15_P1)
void IPCC_RX0_IRQHandler(void);
void IPCC_TX0_IRQHandler(void);
void IPCC_RX0_IRQHandler(void) { ipcc_rx_irq_handler(&s_ipcc); }
void IPCC_TX0_IRQHandler(void) { ipcc_tx_irq_handler(&s_ipcc); }
#else
void IPCC_RX1_IRQHandler(void);
void IPCC_TX1_IRQHandler(void);
void IPCC_RX1_IRQHandler(void) { ipcc_rx_irq_handler(&s_ipcc); }
void IPCC_TX1_IRQHandler(void) { ipcc_tx_irq_handler(&s_ipcc); }
#endif

static uint32_t s_sent;

static int have_work(void)
{
    return (s_tx_free && s_sent < s_n) || (s_sent == s_n && s_tx_free && s_received == s_n);
}

int main(void)
{
#if defined(FW_TARGET_MP15_P1)
    uart_init(); /* processor 1 owns USART3 */
#else
    uart_attach();
#endif
    ipcc_demo_hal_init();
    if (!demo_time_running(10000000u)) {
        uart_puts("ipcc_simplex: SysTick not running\n");
        uart_puts(FW_CORE_TAG " done\n");
        fw_finish();
    }

    ipcc_demo_ipcc_init(&s_ipcc);
    ipcc_activate_notification(&s_ipcc, RX_CH, IPCC_DIR_RX, rx_callback);
    ipcc_activate_notification(&s_ipcc, TX_CH, IPCC_DIR_TX, tx_free_callback);

#if defined(FW_TARGET_MP15_P1)
    if (!ipcc_demo_release_m4("ipcc_simplex")) {
        uart_puts("MPU done\n");
        fw_finish();
    }
#else
    ipcc_demo_m4_ready();
#endif

    const uint32_t t0 = demo_us();
    uint32_t tx_sum = 0u;
    uint32_t progress = 0u;
    struct demo_deadline d;
    deadline_start(&d, IPCC_DEMO_STALL_MS, IPCC_DEMO_STALL_POLLS);
    while (!(s_sent == s_n && s_tx_free && s_received == s_n)) {
        if (s_tx_free && s_sent < s_n) {
            /* The mailbox is ours again: write the next message, then raise the flag. */
            const uint32_t seq = s_sent + 1u;
            struct ipcc_demo_msg *m = TX_MAILBOX;
            m->seq = seq;
            for (uint32_t k = 0; k < IPCC_DEMO_WORDS; ++k) {
                const uint32_t w = ipcc_demo_word(TX_TAG, seq, k);
                m->word[k] = w;
                tx_sum = ipcc_demo_sum(tx_sum, w);
            }
            cm_dsb(); /* the message is in SRAM before the flag says so */
            s_tx_free = 0u;
            s_sent = seq;
            ipcc_notify_cpu(&s_ipcc, TX_CH, IPCC_DIR_TX);
        } else {
            ipcc_demo_sleep_unless(have_work);
        }
        const uint32_t now = s_sent + s_received + s_tx_free;
        if (now != progress) {
            progress = now;
            deadline_restart(&d);
        } else if (deadline_expired(&d)) {
            uart_printf("ipcc_simplex: " SIDE " stuck: sent %u of %u (last one taken: %s),"
                        " received %u of %u\n",
                        (unsigned)s_sent, (unsigned)s_n, s_tx_free ? "yes" : "no",
                        (unsigned)s_received, (unsigned)s_n);
            uart_puts(FW_CORE_TAG " done\n");
            fw_finish();
        }
    }
    const uint32_t us = demo_us() - t0;

#if defined(FW_TARGET_MP15_P1)
    uart_printf("ipcc_simplex: MPU sent %u messages on channel %u, checksum 0x%08x\n",
                (unsigned)s_n, (unsigned)TX_CH + 1u, (unsigned)tx_sum);
    uart_printf("ipcc_simplex: MPU received %u of %u messages on channel %u, checksum 0x%08x,"
                " errors %u\n",
                (unsigned)s_received, (unsigned)s_n, (unsigned)RX_CH + 1u, (unsigned)s_rx_sum,
                (unsigned)s_rx_errors);
    uart_printf("ipcc_simplex: %u ms for %u messages each way\n", (unsigned)(us / 1000u),
                (unsigned)s_n);
#else
    (void)us;
    uart_printf("ipcc_simplex: M4 received %u of %u messages on channel %u, checksum 0x%08x,"
                " errors %u\n",
                (unsigned)s_received, (unsigned)s_n, (unsigned)RX_CH + 1u, (unsigned)s_rx_sum,
                (unsigned)s_rx_errors);
    uart_printf("ipcc_simplex: M4 sent %u messages on channel %u, checksum 0x%08x\n",
                (unsigned)s_n, (unsigned)TX_CH + 1u, (unsigned)tx_sum);
#endif
    uart_puts(FW_CORE_TAG " done\n");
    fw_finish();
}
