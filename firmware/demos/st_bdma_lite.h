/*
 * st_bdma_lite.h - the BDMA and DMAMUX2 of the D3 domain the way ST's HAL drives them
 * (stm32h7xx_hal_dma.c, its BDMA branch: HAL_DMA_Init, DMA_SetConfig, HAL_DMA_Start_IT,
 * HAL_DMA_IRQHandler; the DMAMUX2 part in st_dmamux_lite.h), written for this project.
 * Register names as in RM0399.  One definition per image (static functions).
 */
#ifndef AMPVP_ST_BDMA_LITE_H
#define AMPVP_ST_BDMA_LITE_H

#include <stdint.h>

#include "st_dmamux_lite.h"
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

/* HAL_DMA_Init, BDMA: CCR.EN = 0; CCR = configuration; DMAMUX2 channel (dmamux_init);
 * flags cleared (IFCR.CGIF). */
static void hal_bdma_init(struct bdma_handle *h, uint32_t config)
{
    struct bdma_channel *c = &BDMA->C[h->ch];
    c->CCR &= ~BDMA_CCR_EN;
    c->CCR = config;
    dmamux_init(DMAMUX2, h->ch, h->request);
    BDMA->IFCR = BDMA_ISR_GIF(h->ch);
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
    dmamux_clear_flags(DMAMUX2, h->ch, h->request);
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
    dmamux_enable_it(DMAMUX2, h->ch, h->request);
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

/* HAL_DMAEx_MUX_IRQHandler (DMAMUX2_OVR_IRQHandler). */
static inline void hal_bdma_mux_irq_handler(struct bdma_handle *h)
{
    h->error |= dmamux_irq_handler(DMAMUX2, h->ch, h->request);
}

#endif /* AMPVP_ST_BDMA_LITE_H */
