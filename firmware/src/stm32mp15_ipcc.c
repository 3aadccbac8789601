/*
 * stm32mp15_ipcc.c - IPCC driver for the MP15 images (ampvp's own); the behaviour and
 * the reasons are in stm32mp15_ipcc.h.
 */
#include "stm32mp15_ipcc.h"

#include "platform.h"

void ipcc_clock_enable(void)
{
#if defined(FW_TARGET_MP15_P1)
    RCC->MP_AHB3ENSETR = RCC_AHB3ENSETR_IPCCEN;
#else
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_IPCCEN;
#endif
}

static uint32_t mask_bit(uint32_t channel, enum ipcc_dir dir)
{
    return dir == IPCC_DIR_TX ? IPCC_MR_CHnFM(channel) : IPCC_MR_CHnOM(channel);
}

void ipcc_init(struct ipcc_handle *h)
{
    struct mp15_ipcc_bank *own = IPCC_OWN;

    /* Own bank back to its reset state: interrupts off, every channel masked both
     * ways, and every flag the other side had set cleared. */
    own->CR = 0u;
    own->MR = IPCC_ALL_TX_BUF | IPCC_ALL_RX_BUF;
    own->SCR = IPCC_ALL_RX_BUF;

    /* Both interrupts on; the per-channel masks decide what fires. */
    own->CR |= IPCC_CR_RXOIE | IPCC_CR_TXFIE;

    for (uint32_t n = 0; n < IPCC_CHANNELS; ++n) {
        h->rx_cb[n] = 0;
        h->tx_cb[n] = 0;
    }
    h->callback_request = 0u;
}

void ipcc_activate_notification(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir,
                                ipcc_callback cb)
{
    if (dir == IPCC_DIR_TX) {
        h->tx_cb[channel] = cb;
    } else {
        h->rx_cb[channel] = cb;
    }
    h->callback_request |= mask_bit(channel, dir);

    /* Only reception is unmasked now; a TX channel is unmasked by ipcc_notify_cpu(TX). */
    if (dir == IPCC_DIR_RX) {
        IPCC_OWN->MR &= ~mask_bit(channel, dir);
    }
}

void ipcc_deactivate_notification(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir)
{
    h->callback_request &= ~mask_bit(channel, dir);
    if (dir == IPCC_DIR_TX) {
        h->tx_cb[channel] = 0;
    } else {
        h->rx_cb[channel] = 0;
    }
    IPCC_OWN->MR |= mask_bit(channel, dir);
}

enum ipcc_status ipcc_get_channel_status(uint32_t channel, enum ipcc_dir dir)
{
    const struct mp15_ipcc_bank *bank = dir == IPCC_DIR_TX ? IPCC_OWN : IPCC_OTHER;
    return (bank->TOSR & IPCC_SR_CHnF(channel)) ? IPCC_CHANNEL_OCCUPIED : IPCC_CHANNEL_FREE;
}

void ipcc_notify_cpu(struct ipcc_handle *h, uint32_t channel, enum ipcc_dir dir)
{
    struct mp15_ipcc_bank *own = IPCC_OWN;

    own->SCR |= dir == IPCC_DIR_TX ? IPCC_SCR_CHnS(channel) : IPCC_SCR_CHnC(channel);

    const uint32_t bit = mask_bit(channel, dir);
    if (h->callback_request & bit) {
        own->MR &= ~bit;
    }
}

void ipcc_rx_irq_handler(struct ipcc_handle *h)
{
    struct mp15_ipcc_bank *own = IPCC_OWN;

    /* Occupied channels (the other side's flags) whose RX interrupt is unmasked. */
    uint32_t pending = ~own->MR & IPCC_ALL_RX_BUF;
    pending &= IPCC_OTHER->TOSR;

    for (uint32_t n = 0; pending != 0u; ++n) {
        const uint32_t bit = IPCC_MR_CHnOM(n);
        if (pending & bit) {
            own->MR |= bit; /* masked until the callback frees the channel */
            if (h->rx_cb[n]) {
                h->rx_cb[n](h, n, IPCC_DIR_RX);
            }
            pending &= ~bit;
        }
    }
}

void ipcc_tx_irq_handler(struct ipcc_handle *h)
{
    struct mp15_ipcc_bank *own = IPCC_OWN;

    /* Free channels (own flags at 0) whose TX interrupt is unmasked. */
    uint32_t pending = ~own->MR & IPCC_ALL_TX_BUF;
    pending &= ~(own->TOSR << 16);

    for (uint32_t n = 0; pending != 0u; ++n) {
        const uint32_t bit = IPCC_MR_CHnFM(n);
        if (pending & bit) {
            own->MR |= bit; /* one "free" per notify(TX) */
            if (h->tx_cb[n]) {
                h->tx_cb[n](h, n, IPCC_DIR_TX);
            }
            pending &= ~bit;
        }
    }
}
