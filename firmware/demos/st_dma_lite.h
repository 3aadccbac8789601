/*
 * st_dma_lite.h - DMA1/DMA2 streams and DMAMUX1 the way ST's HAL drives them
 * (stm32h7xx_hal_dma.c, stm32mp1xx_hal_dma.c: HAL_DMA_Init, HAL_DMA_DeInit,
 * HAL_DMA_Start_IT, HAL_DMA_IRQHandler; the DMAMUX1 part in st_dmamux_lite.h; the same IP
 * and sequences on the STM32H7 and the STM32MP15), written for this project (the same
 * sequences as dma_m2m_cm7.c, for the peripheral-request demos).
 * One definition per image (static functions).
 * Addresses: the STM32H745's unless the including file defines ST_DMA1_BASE,
 * ST_DMA2_BASE and ST_DMAMUX1_BASE first (STM32MP15: 0x48000000, 0x48001000,
 * 0x48002000).
 */
#ifndef AMPVP_ST_DMA_LITE_H
#define AMPVP_ST_DMA_LITE_H

#include <stdint.h>

#include "st_dmamux_lite.h"

struct dma_stream {
    volatile uint32_t CR, NDTR, PAR, M0AR, M1AR, FCR;
};
struct dma {
    volatile uint32_t LISR, HISR, LIFCR, HIFCR;
    struct dma_stream S[8];
};
#ifndef ST_DMA1_BASE
#define ST_DMA1_BASE    0x40020000u
#endif
#ifndef ST_DMA2_BASE
#define ST_DMA2_BASE    0x40020400u
#endif
#define DMA1 ((struct dma *)ST_DMA1_BASE)
#define DMA2 ((struct dma *)ST_DMA2_BASE)
#define DMA_REQUEST_GENERATOR0 1u /* DMAMUX1 lines 1-8: request generators 0-7 */

#define DMA_SxCR_EN      (1u << 0)
#define DMA_SxCR_DMEIE   (1u << 1)
#define DMA_SxCR_TEIE    (1u << 2)
#define DMA_SxCR_HTIE    (1u << 3)
#define DMA_SxCR_TCIE    (1u << 4)
#define DMA_SxCR_DIR     (3u << 6)
#define DMA_SxCR_DIR_M2P (1u << 6)
#define DMA_SxCR_DIR_M2M (2u << 6)
#define DMA_SxCR_CIRC    (1u << 8)
#define DMA_SxCR_PINC    (1u << 9)
#define DMA_SxCR_MINC    (1u << 10)
#define DMA_SxCR_PSIZE   (3u << 11)
#define DMA_SxCR_PSIZE_W (2u << 11)
#define DMA_SxCR_MSIZE   (3u << 13)
#define DMA_SxCR_MSIZE_W (2u << 13)
#define DMA_SxCR_PL      (3u << 16)
#define DMA_SxCR_PL_HIGH (2u << 16)
#define DMA_SxCR_DBM     (1u << 18)
#define DMA_SxCR_CT      (1u << 19)
#define DMA_SxCR_MBURST  (3u << 23)
#define DMA_SxCR_MBURST_INC4 (1u << 23)
#define DMA_SxCR_PBURST  (3u << 21)
#define DMA_SxCR_PBURST_INC4 (1u << 21)
#define DMA_SxFCR_FTH    (3u << 0)
#define DMA_SxFCR_FTH_FULL (3u << 0)
#define DMA_SxFCR_DMDIS  (1u << 2)
#define DMA_SxFCR_FEIE   (1u << 7)
#define DMA_FLAG_FEIF    (1u << 0)
#define DMA_FLAG_DMEIF   (1u << 2)
#define DMA_FLAG_TEIF    (1u << 3)
#define DMA_FLAG_HTIF    (1u << 4)
#define DMA_FLAG_TCIF    (1u << 5)
#define RCC_AHB1ENR_DMA1EN (1u << 0)
#define RCC_AHB1ENR_DMA2EN (1u << 1)

struct dma_handle {
    struct dma_stream *instance;
    volatile uint32_t *isr, *ifcr;
    unsigned index, mux_channel;
    unsigned request;                /* DMAMUX1 line; 1-8: a request generator */
    volatile uint32_t halves, completes, errors, mux_errors; /* mux: HAL_DMA_ERROR_SYNC / _REQGEN */
    void (*xfer_half)(struct dma_handle *);
    void (*xfer_cplt)(struct dma_handle *);
    void (*xfer_error)(struct dma_handle *); /* after TE, FE or DME, as HAL's ErrorCallback */
};

/* DMA_CalcBaseAndBitshift + DMA_CalcDMAMUXChannelBaseAndMask: the stream's flag
 * register and bit offset, its DMAMUX1 channel (the stream, + 8 on DMA2). */
static void dma_calc_base(struct dma_handle *h)
{
    static const uint8_t shift[4] = {0u, 6u, 16u, 22u};
    struct dma_stream *s = h->instance;
    struct dma *d = (struct dma *)((uintptr_t)s & ~(uintptr_t)0x3FFu);
    const unsigned n = (unsigned)(s - &d->S[0]);
    h->index = shift[n & 3u];
    h->isr = n > 3u ? &d->HISR : &d->LISR;
    h->ifcr = n > 3u ? &d->HIFCR : &d->LIFCR;
    h->mux_channel = d == DMA2 ? n + 8u : n;
}

/* HAL_DMA_Init for a DMA1/DMA2 stream: `config` = Direction | PeriphInc | MemInc | sizes |
 * Mode | Priority, plus MemBurst | PeriphBurst when `fcr` selects the FIFO (DMDIS | FTH;
 * 0: direct mode, single bursts); DMAMUX1 request (channel = stream, + 8 for DMA2;
 * memory to memory: request 0, DMA_REQUEST_MEM2MEM, as the HAL forces it); a generator
 * request also clears the generator (RGxCR = 0, RGCFR). */
static void dma_init_fifo(struct dma_handle *h, uint32_t config, uint32_t fcr, uint32_t request)
{
    struct dma_stream *s = h->instance;
    s->CR &= ~DMA_SxCR_EN;
    while (s->CR & DMA_SxCR_EN) {
    }
    uint32_t reg = s->CR;
    reg &= ~(DMA_SxCR_MBURST | DMA_SxCR_PBURST | DMA_SxCR_PL | DMA_SxCR_MSIZE | DMA_SxCR_PSIZE |
             DMA_SxCR_MINC | DMA_SxCR_PINC | DMA_SxCR_CIRC | DMA_SxCR_DIR | DMA_SxCR_CT | DMA_SxCR_DBM);
    s->CR = reg | config;
    s->FCR = (s->FCR & ~(DMA_SxFCR_DMDIS | DMA_SxFCR_FTH)) | fcr;
    dma_calc_base(h);
    h->request = (config & DMA_SxCR_DIR) == DMA_SxCR_DIR_M2M ? 0u : request & 0xFFu;
    *h->ifcr = 0x3Fu << h->index;
    dmamux_init(DMAMUX1, h->mux_channel, h->request);
}

/* HAL_DMA_Init in direct mode (no FIFO), single bursts. */
static inline void dma_init(struct dma_handle *h, uint32_t config, uint32_t request)
{
    dma_init_fifo(h, config, 0u, request);
}

/* HAL_DMA_DeInit: stream disabled, its registers to their reset values (FCR 0x21), its
 * flags cleared; the DMAMUX1 channel (and generator) cleared (st_dmamux_lite.h). */
static inline void dma_deinit(struct dma_handle *h)
{
    struct dma_stream *s = h->instance;
    dma_calc_base(h);
    s->CR &= ~DMA_SxCR_EN;
    s->CR = 0u;
    s->NDTR = 0u;
    s->PAR = 0u;
    s->M0AR = 0u;
    s->M1AR = 0u;
    s->FCR = 0x21u;
    *h->ifcr = 0x3Fu << h->index;
    dmamux_deinit(DMAMUX1, h->mux_channel, h->request);
}

/* HAL_DMA_Start_IT: DMA_SetConfig, the interrupt enables (TC, TE, DME; HT only with a
 * half-transfer callback), DMAMUX1 CxCR.SOIE when synchronized and RGxCR.OIE with a
 * generator, EN. */
static void dma_start_it(struct dma_handle *h, uint32_t src, uint32_t dst, uint32_t n)
{
    struct dma_stream *s = h->instance;
    s->CR &= ~DMA_SxCR_EN;
    dmamux_clear_flags(DMAMUX1, h->mux_channel, h->request);
    *h->ifcr = 0x3Fu << h->index;
    s->CR &= ~DMA_SxCR_DBM;
    s->NDTR = n;
    if ((s->CR & DMA_SxCR_DIR) == DMA_SxCR_DIR_M2P) {
        s->PAR = dst;
        s->M0AR = src;
    } else {
        s->PAR = src;
        s->M0AR = dst;
    }
    s->CR = (s->CR & ~(DMA_SxCR_TCIE | DMA_SxCR_TEIE | DMA_SxCR_DMEIE | DMA_SxCR_HTIE)) | DMA_SxCR_TCIE |
            DMA_SxCR_TEIE | DMA_SxCR_DMEIE;
    if (h->xfer_half) {
        s->CR |= DMA_SxCR_HTIE;
    }
    dmamux_enable_it(DMAMUX1, h->mux_channel, h->request);
    s->CR |= DMA_SxCR_EN;
}

/* HAL_DMAEx_MUX_IRQHandler (DMAMUX1_OVR_IRQHandler). */
static inline void dma_mux_irq_handler(struct dma_handle *h)
{
    h->mux_errors |= dmamux_irq_handler(DMAMUX1, h->mux_channel, h->request);
}

/* HAL_DMA_IRQHandler: TE, FE, DME, HT, TC (circular streams keep their enables), then
 * the error callback if one of the first three was seen. */
static void dma_irq_handler(struct dma_handle *h)
{
    struct dma_stream *s = h->instance;
    const uint32_t isr = *h->isr;
    const uint32_t errors0 = h->errors;
    if ((isr & (DMA_FLAG_TEIF << h->index)) && (s->CR & DMA_SxCR_TEIE)) {
        s->CR &= ~DMA_SxCR_TEIE;
        *h->ifcr = DMA_FLAG_TEIF << h->index;
        h->errors++;
    }
    if ((isr & (DMA_FLAG_FEIF << h->index)) && (s->FCR & DMA_SxFCR_FEIE)) {
        *h->ifcr = DMA_FLAG_FEIF << h->index;
        h->errors++;
    }
    if ((isr & (DMA_FLAG_DMEIF << h->index)) && (s->CR & DMA_SxCR_DMEIE)) {
        *h->ifcr = DMA_FLAG_DMEIF << h->index;
        h->errors++;
    }
    if ((isr & (DMA_FLAG_HTIF << h->index)) && (s->CR & DMA_SxCR_HTIE)) {
        *h->ifcr = DMA_FLAG_HTIF << h->index;
        if (!(s->CR & DMA_SxCR_CIRC)) {
            s->CR &= ~DMA_SxCR_HTIE;
        }
        h->halves++;
        if (h->xfer_half) {
            h->xfer_half(h);
        }
    }
    if ((isr & (DMA_FLAG_TCIF << h->index)) && (s->CR & DMA_SxCR_TCIE)) {
        *h->ifcr = DMA_FLAG_TCIF << h->index;
        if (!(s->CR & DMA_SxCR_CIRC)) {
            s->CR &= ~DMA_SxCR_TCIE;
        }
        h->completes++;
        if (h->xfer_cplt) {
            h->xfer_cplt(h);
        }
    }
    if (h->errors != errors0 && h->xfer_error) {
        h->xfer_error(h);
    }
}

#endif /* AMPVP_ST_DMA_LITE_H */
