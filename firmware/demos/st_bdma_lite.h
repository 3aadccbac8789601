/*
 * st_bdma_lite.h - the BDMA and DMAMUX2 of the D3 domain the way ST's HAL drives them
 * (stm32h7xx_hal_dma.c, its BDMA branch: HAL_DMA_Init, DMA_SetConfig, HAL_DMA_Start_IT,
 * HAL_DMA_IRQHandler; stm32h7xx_hal_dma_ex.c: HAL_DMAEx_ConfigMuxRequestGenerator,
 * HAL_DMAEx_EnableMuxRequestGenerator, HAL_DMAEx_MUX_IRQHandler), written for this
 * project.  Register names as in RM0399.  One definition per image (static functions).
 */
#ifndef AMPVP_ST_BDMA_LITE_H
#define AMPVP_ST_BDMA_LITE_H

#include <stdint.h>

#include "stm32h745_regs.h"

struct bdma_channel {
    volatile uint32_t CCR, CNDTR, CPAR, CM0AR, CM1AR;
};
struct bdma {
    volatile uint32_t ISR, IFCR;
    struct bdma_channel C[8];
};
_Static_assert(sizeof(struct bdma_channel) == 0x14, "BDMA channel stride");
#define BDMA ((struct bdma *)0x58025400u)
#define DMAMUX2_BASE   0x58025800u
#define DMAMUX2_CCR(c) (*(volatile uint32_t *)(DMAMUX2_BASE + 4u * (c)))
#define DMAMUX2_CSR    (*(volatile uint32_t *)(DMAMUX2_BASE + 0x80u))
#define DMAMUX2_CFR    (*(volatile uint32_t *)(DMAMUX2_BASE + 0x84u))
#define DMAMUX2_RGCR(g) (*(volatile uint32_t *)(DMAMUX2_BASE + 0x100u + 4u * (g)))
#define DMAMUX2_RGSR   (*(volatile uint32_t *)(DMAMUX2_BASE + 0x140u))
#define DMAMUX2_RGCFR  (*(volatile uint32_t *)(DMAMUX2_BASE + 0x144u))

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
#define DMAMUX_CxCR_SE   (1u << 16)
#define DMAMUX_CxCR_SOIE (1u << 8)
#define DMAMUX_RGxCR_OIE (1u << 8)
#define DMAMUX_RGxCR_GE  (1u << 16)
#define DMAMUX_RGxCR_GPOL_RISING (1u << 17)
#define DMAMUX_RGxCR_GNBREQ_Pos 19u
#define DMA_ERROR_TE     (1u << 0)
#define DMA_ERROR_SYNC   (1u << 9)  /* HAL_DMA_ERROR_SYNC */
#define DMA_ERROR_REQGEN (1u << 10) /* HAL_DMA_ERROR_REQGEN */
/* DMAMUX2 request lines (ST's BDMA_REQUEST_*): 0 memory-to-memory, 1-8 generators 0-7. */
#define BDMA_REQUEST_MEM2MEM    0u
#define BDMA_REQUEST_GENERATOR0 1u

struct bdma_handle {
    unsigned ch;
    unsigned request;  /* DMAMUX2 line: a generator for 1..8 */
    int has_half_cb;   /* HAL_DMA_Start_IT enables HTIE only with a half-transfer callback */
    volatile uint32_t halves, completes, error;
    volatile int done;
};

static inline int bdma_uses_generator(const struct bdma_handle *h)
{
    return h->request >= 1u && h->request <= 8u;
}

/* HAL_DMA_Init, BDMA: CCR.EN = 0; CCR = configuration; DMAMUX2 channel: CxCR = request,
 * CFR; a generator request: RGxCR = 0, RGCFR; flags cleared (IFCR.CGIF). */
static void hal_bdma_init(struct bdma_handle *h, uint32_t config)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    c->CCR &= ~BDMA_CCR_EN;
    c->CCR = config;
    DMAMUX2_CCR(h->ch) = h->request & 0xFFu;
    DMAMUX2_CFR = 1u << h->ch;
    if (bdma_uses_generator(h)) {
        DMAMUX2_RGCR(h->request - 1u) = 0u;
        DMAMUX2_RGCFR = 1u << (h->request - 1u);
    }
    BDMA->IFCR = BDMA_ISR_GIF(h->ch);
}

/* HAL_DMAEx_ConfigMuxRequestGenerator + HAL_DMAEx_EnableMuxRequestGenerator. */
static void hal_bdma_mux_request_generator(struct bdma_handle *h, uint32_t signal_id, uint32_t polarity,
                                           uint32_t requests)
{
    volatile uint32_t *rgcr = &DMAMUX2_RGCR(h->request - 1u);
    *rgcr = signal_id | ((requests - 1u) << DMAMUX_RGxCR_GNBREQ_Pos) | polarity;
    *rgcr |= DMAMUX_RGxCR_GE;
}

/* HAL_DMA_Start_IT, BDMA: EN = 0; DMA_SetConfig (DMAMUX2 CFR, RGCFR with a generator,
 * IFCR.CGIF, CNDTR, CPAR/CM0AR by direction); TCIE | TEIE (| HTIE); CxCR.SOIE if
 * synchronized, RGxCR.OIE with a generator; EN = 1. */
static void hal_bdma_start_it(struct bdma_handle *h, uint32_t src, uint32_t dst, uint32_t n)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    h->done = 0;
    h->error = 0u;
    c->CCR &= ~BDMA_CCR_EN;
    DMAMUX2_CFR = 1u << h->ch;
    if (bdma_uses_generator(h)) {
        DMAMUX2_RGCFR = 1u << (h->request - 1u);
    }
    BDMA->IFCR = BDMA_ISR_GIF(h->ch);
    c->CNDTR = n;
    if (c->CCR & BDMA_CCR_DIR) {
        c->CPAR = dst;
        c->CM0AR = src;
    } else {
        c->CPAR = src;
        c->CM0AR = dst;
    }
    c->CCR = (c->CCR & ~(BDMA_CCR_TCIE | BDMA_CCR_HTIE | BDMA_CCR_TEIE)) | BDMA_CCR_TCIE | BDMA_CCR_TEIE;
    if (h->has_half_cb) {
        c->CCR |= BDMA_CCR_HTIE;
    }
    if (DMAMUX2_CCR(h->ch) & DMAMUX_CxCR_SE) {
        DMAMUX2_CCR(h->ch) |= DMAMUX_CxCR_SOIE;
    }
    if (bdma_uses_generator(h)) {
        DMAMUX2_RGCR(h->request - 1u) |= DMAMUX_RGxCR_OIE;
    }
    c->CCR |= BDMA_CCR_EN;
}

/* HAL_DMA_IRQHandler, BDMA branch: HT (IFCR.CHTIF, HTIE off in normal mode), TC
 * (IFCR.CTCIF, TE/TC off in normal mode), TE (all off, CGIF, HAL_DMA_ERROR_TE). */
static void hal_bdma_irq_handler(struct bdma_handle *h)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    const uint32_t isr = BDMA->ISR;
    const uint32_t ccr = c->CCR;
    if ((isr & BDMA_ISR_HTIF(h->ch)) && (ccr & BDMA_CCR_HTIE)) {
        BDMA->IFCR = BDMA_ISR_HTIF(h->ch);
        if (!(ccr & BDMA_CCR_CIRC)) {
            c->CCR &= ~BDMA_CCR_HTIE;
        }
        h->halves++;
    } else if ((isr & BDMA_ISR_TCIF(h->ch)) && (ccr & BDMA_CCR_TCIE)) {
        BDMA->IFCR = BDMA_ISR_TCIF(h->ch);
        if (!(ccr & BDMA_CCR_CIRC)) {
            c->CCR &= ~(BDMA_CCR_TEIE | BDMA_CCR_TCIE);
        }
        h->completes++;
        h->done = 1;
    } else if ((isr & BDMA_ISR_TEIF(h->ch)) && (ccr & BDMA_CCR_TEIE)) {
        c->CCR &= ~(BDMA_CCR_TEIE | BDMA_CCR_TCIE | BDMA_CCR_HTIE);
        BDMA->IFCR = BDMA_ISR_GIF(h->ch);
        h->error |= DMA_ERROR_TE;
        h->done = 1;
    }
}

/* HAL_DMAEx_MUX_IRQHandler: a synchronization overrun of the channel (SOIE off, CFR) or
 * a trigger overrun of its generator (OIE off, RGCFR) is an error. */
static void hal_bdma_mux_irq_handler(struct bdma_handle *h)
{
    if (DMAMUX2_CSR & (1u << h->ch)) {
        DMAMUX2_CCR(h->ch) &= ~DMAMUX_CxCR_SOIE;
        DMAMUX2_CFR = 1u << h->ch;
        h->error |= DMA_ERROR_SYNC;
    }
    if (bdma_uses_generator(h) && (DMAMUX2_RGSR & (1u << (h->request - 1u)))) {
        DMAMUX2_RGCR(h->request - 1u) &= ~DMAMUX_RGxCR_OIE;
        DMAMUX2_RGCFR = 1u << (h->request - 1u);
        h->error |= DMA_ERROR_REQGEN;
    }
}

#endif /* AMPVP_ST_BDMA_LITE_H */
