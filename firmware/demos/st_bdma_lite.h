/*
 * st_bdma_lite.h - the BDMA and DMAMUX2 of the D3 domain as ST's HAL drives them
 * (stm32h7xx_hal_dma.c, its BDMA branch: HAL_DMA_Init, DMA_SetConfig,
 * HAL_DMA_Start_IT, HAL_DMA_IRQHandler; stm32h7xx_hal_dma_ex.c: HAL_DMAEx_ConfigMuxSync,
 * HAL_DMAEx_ConfigMuxRequestGenerator, HAL_DMAEx_EnableMuxRequestGenerator,
 * HAL_DMAEx_MUX_IRQHandler), written for this project (ST's public sources were read for
 * the order of the accesses; no code or text is copied).  One definition per image
 * (static functions).
 *
 *   hal_bdma_init      CCR = configuration; IFCR = CGIFx; DMAMUX2 CxCR = request (0 for
 *                      memory-to-memory), CFR = 1 << x; a request generator's RGxCR = 0
 *                      and RGCFR = 1 << g when the request is one (1-8)
 *   hal_bdma_start_it  CCR.EN = 0; DMAMUX2 CFR (and RGCFR); IFCR = CGIFx; CNDTR; CPAR and
 *                      CM0AR by direction; TCIE | TEIE (| HTIE with a half-transfer
 *                      callback); the generator's OIE; EN = 1
 *   hal_bdma_irq_handler  HT (CHTIF; HTIE off in normal mode), else TC (CTCIF; TE/TC/HT
 *                      off in normal mode), else TE (CGIF, all off, error TE)
 *   hal_dmamux_config_sync, hal_dmamux_config_req_gen, hal_dmamux_enable_req_gen,
 *   hal_dmamux_irq_handler  the DMAEx functions named above
 */
#ifndef AMPVP_ST_BDMA_LITE_H
#define AMPVP_ST_BDMA_LITE_H

#include <stdint.h>

/* ---- BDMA and DMAMUX2 (RM0399 register maps and bit names) -------------------------- */
struct bdma_channel {
    volatile uint32_t CCR, CNDTR, CPAR, CM0AR, CM1AR;
};
struct bdma {
    volatile uint32_t ISR, IFCR;
    struct bdma_channel C[8];
};
_Static_assert(sizeof(struct bdma_channel) == 0x14, "BDMA channel stride");
#define BDMA ((struct bdma *)0x58025400u)
#define DMAMUX2_BASE      0x58025800u
#define DMAMUX2_CCR(c)    (*(volatile uint32_t *)(DMAMUX2_BASE + 4u * (c)))
#define DMAMUX2_CSR       (*(volatile uint32_t *)(DMAMUX2_BASE + 0x80u))
#define DMAMUX2_CFR       (*(volatile uint32_t *)(DMAMUX2_BASE + 0x84u))
#define DMAMUX2_RGCR(g)   (*(volatile uint32_t *)(DMAMUX2_BASE + 0x100u + 4u * (g)))
#define DMAMUX2_RGSR      (*(volatile uint32_t *)(DMAMUX2_BASE + 0x140u))
#define DMAMUX2_RGCFR     (*(volatile uint32_t *)(DMAMUX2_BASE + 0x144u))

#define BDMA_CCR_EN      (1u << 0)
#define BDMA_CCR_TCIE    (1u << 1)
#define BDMA_CCR_HTIE    (1u << 2)
#define BDMA_CCR_TEIE    (1u << 3)
#define BDMA_CCR_DIR     (1u << 4)
#define BDMA_CCR_CIRC    (1u << 5)
#define BDMA_CCR_PINC    (1u << 6)
#define BDMA_CCR_MINC    (1u << 7)
#define BDMA_CCR_PSIZE_W (2u << 8)
#define BDMA_CCR_MSIZE_W (2u << 10)
#define BDMA_CCR_PL_HIGH (2u << 12)
#define BDMA_CCR_MEM2MEM (1u << 14)
#define BDMA_ISR_GIF(c)  (1u << (4u * (c)))
#define BDMA_ISR_TCIF(c) (2u << (4u * (c)))
#define BDMA_ISR_HTIF(c) (4u << (4u * (c)))
#define BDMA_ISR_TEIF(c) (8u << (4u * (c)))
#define DMA_ERROR_TE     (1u << 0)
#define DMA_ERROR_SYNC   (1u << 9)  /* HAL_DMA_ERROR_SYNC */
#define DMA_ERROR_REQGEN (1u << 10) /* HAL_DMA_ERROR_REQGEN */

/* DMAMUX_CxCR and DMAMUX_RGxCR fields */
#define DMAMUX_CxCR_DMAREQ_ID_Msk 0xFFu
#define DMAMUX_CxCR_SOIE          (1u << 8)
#define DMAMUX_CxCR_EGE           (1u << 9)
#define DMAMUX_CxCR_SE            (1u << 16)
#define DMAMUX_CxCR_NBREQ_Pos     19u
#define DMAMUX_RGxCR_OIE          (1u << 8)
#define DMAMUX_RGxCR_GE           (1u << 16)
#define DMAMUX_RGxCR_GPOL_RISING  (1u << 17)
#define DMAMUX_RGxCR_GNBREQ_Pos   19u
/* BDMA_REQUEST_GENERATOR0..7: DMAMUX2 request lines 1-8. */
#define BDMA_REQUEST_GENERATOR(g) (1u + (g))

struct bdma_handle {
    unsigned ch;
    uint32_t request;  /* DMAMUX2 request line (0: memory-to-memory) */
    int half_cb;       /* a half-transfer callback is registered (HTIE) */
    volatile uint32_t halves, completes, error;
    volatile int done;
};

/* The request generator a handle uses (HAL's DMAmuxRequestGen), or -1. */
static inline int bdma_req_gen(const struct bdma_handle *h)
{
    return h->request >= 1u && h->request <= 8u ? (int)h->request - 1 : -1;
}

/* HAL_DMA_Init, BDMA channel: `config` = CCR's direction, increments, sizes, mode and
 * priority bits. */
static inline void hal_bdma_init(struct bdma_handle *h, uint32_t config)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    c->CCR &= ~BDMA_CCR_EN;
    c->CCR = config;
    BDMA->IFCR = BDMA_ISR_GIF(h->ch);
    if (config & BDMA_CCR_MEM2MEM) {
        h->request = 0u; /* DMA_REQUEST_MEM2MEM */
    }
    DMAMUX2_CCR(h->ch) = h->request & DMAMUX_CxCR_DMAREQ_ID_Msk;
    DMAMUX2_CFR = 1u << h->ch;
    const int g = bdma_req_gen(h);
    if (g >= 0) {
        DMAMUX2_RGCR(g) = 0u;
        DMAMUX2_RGCFR = 1u << g;
    }
}

/* HAL_DMA_Start_IT, BDMA channel (DMA_SetConfig inside). */
static inline void hal_bdma_start_it(struct bdma_handle *h, uint32_t src, uint32_t dst, uint32_t n)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    const int g = bdma_req_gen(h);
    h->done = 0;
    h->error = 0u;
    c->CCR &= ~BDMA_CCR_EN;
    DMAMUX2_CFR = 1u << h->ch;
    if (g >= 0) {
        DMAMUX2_RGCFR = 1u << g;
    }
    BDMA->IFCR = BDMA_ISR_GIF(h->ch);
    c->CNDTR = n;
    if (c->CCR & BDMA_CCR_DIR) { /* memory to peripheral */
        c->CPAR = dst;
        c->CM0AR = src;
    } else {
        c->CPAR = src;
        c->CM0AR = dst;
    }
    c->CCR = (c->CCR & ~(BDMA_CCR_TCIE | BDMA_CCR_HTIE | BDMA_CCR_TEIE)) | BDMA_CCR_TCIE | BDMA_CCR_TEIE;
    if (h->half_cb) {
        c->CCR |= BDMA_CCR_HTIE;
    }
    if (DMAMUX2_CCR(h->ch) & DMAMUX_CxCR_SE) {
        DMAMUX2_CCR(h->ch) |= DMAMUX_CxCR_SOIE;
    }
    if (g >= 0) {
        DMAMUX2_RGCR(g) |= DMAMUX_RGxCR_OIE;
    }
    c->CCR |= BDMA_CCR_EN;
}

/* HAL_DMA_IRQHandler, BDMA branch. */
static inline void hal_bdma_irq_handler(struct bdma_handle *h)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    const uint32_t isr = BDMA->ISR;
    if ((isr & BDMA_ISR_HTIF(h->ch)) && (c->CCR & BDMA_CCR_HTIE)) {
        if (!(c->CCR & BDMA_CCR_CIRC)) {
            c->CCR &= ~BDMA_CCR_HTIE;
        }
        BDMA->IFCR = BDMA_ISR_HTIF(h->ch);
        h->halves++;
    } else if ((isr & BDMA_ISR_TCIF(h->ch)) && (c->CCR & BDMA_CCR_TCIE)) {
        if (!(c->CCR & BDMA_CCR_CIRC)) {
            c->CCR &= ~(BDMA_CCR_TEIE | BDMA_CCR_TCIE | BDMA_CCR_HTIE);
        }
        BDMA->IFCR = BDMA_ISR_TCIF(h->ch);
        h->completes++;
        h->done = 1;
    } else if ((isr & BDMA_ISR_TEIF(h->ch)) && (c->CCR & BDMA_CCR_TEIE)) {
        c->CCR &= ~(BDMA_CCR_TEIE | BDMA_CCR_TCIE | BDMA_CCR_HTIE);
        BDMA->IFCR = BDMA_ISR_GIF(h->ch);
        h->error = DMA_ERROR_TE;
        h->done = 1;
    }
}

/* HAL_DMAEx_ConfigMuxSync: SE and EGE cleared, then SYNC_ID, NBREQ = requests - 1,
 * polarity, SE and EGE in one write keeping DMAREQ_ID (no synchronization: ID and
 * polarity 0). */
static inline void hal_dmamux_config_sync(const struct bdma_handle *h, uint32_t requests, int events)
{
    DMAMUX2_CCR(h->ch) &= ~(DMAMUX_CxCR_SE | DMAMUX_CxCR_EGE);
    DMAMUX2_CCR(h->ch) = (DMAMUX2_CCR(h->ch) & DMAMUX_CxCR_DMAREQ_ID_Msk) |
                         ((requests - 1u) << DMAMUX_CxCR_NBREQ_Pos) | (events ? DMAMUX_CxCR_EGE : 0u);
}

/* HAL_DMAEx_ConfigMuxRequestGenerator (the generator must be off): RGxCR = SIG_ID |
 * GNBREQ = requests - 1 | polarity.  0 if refused. */
static inline int hal_dmamux_config_req_gen(const struct bdma_handle *h, uint32_t signal, uint32_t polarity,
                                            uint32_t requests)
{
    const int g = bdma_req_gen(h);
    if (g < 0 || (DMAMUX2_RGCR(g) & DMAMUX_RGxCR_GE)) {
        return 0;
    }
    DMAMUX2_RGCR(g) = signal | ((requests - 1u) << DMAMUX_RGxCR_GNBREQ_Pos) | polarity;
    return 1;
}

/* HAL_DMAEx_EnableMuxRequestGenerator. */
static inline void hal_dmamux_enable_req_gen(const struct bdma_handle *h)
{
    DMAMUX2_RGCR(bdma_req_gen(h)) |= DMAMUX_RGxCR_GE;
}

/* HAL_DMAEx_MUX_IRQHandler: a synchronization overrun (SOIE off, CFR) or a request
 * generator overrun (OIE off, RGCFR) becomes the handle's error. */
static inline void hal_dmamux_irq_handler(struct bdma_handle *h)
{
    if (DMAMUX2_CSR & (1u << h->ch)) {
        DMAMUX2_CCR(h->ch) &= ~DMAMUX_CxCR_SOIE;
        DMAMUX2_CFR = 1u << h->ch;
        h->error |= DMA_ERROR_SYNC;
    }
    const int g = bdma_req_gen(h);
    if (g >= 0 && (DMAMUX2_RGSR & (1u << g))) {
        DMAMUX2_RGCR(g) &= ~DMAMUX_RGxCR_OIE;
        DMAMUX2_RGCFR = 1u << g;
        h->error |= DMA_ERROR_REQGEN;
    }
}

#endif /* AMPVP_ST_BDMA_LITE_H */
