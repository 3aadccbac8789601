/*
 * st_dmamux_lite.h - the DMAMUX part of ST's HAL DMA sequences, for DMAMUX1 (DMA1/DMA2,
 * st_dma_lite.h) and DMAMUX2 (BDMA, st_bdma_lite.h) alike (stm32h7xx_hal_dma.c:
 * HAL_DMA_Init, DMA_SetConfig, HAL_DMA_Start_IT; stm32h7xx_hal_dma_ex.c:
 * HAL_DMAEx_ConfigMuxSync, HAL_DMAEx_ConfigMuxRequestGenerator, HAL_DMAEx_EnableMuxRequestGenerator,
 * HAL_DMAEx_DisableMuxRequestGenerator, HAL_DMAEx_MUX_IRQHandler), written for this
 * project.  Register names as in RM0399 "DMAMUX registers".
 */
#ifndef AMPVP_ST_DMAMUX_LITE_H
#define AMPVP_ST_DMAMUX_LITE_H

#include <stdint.h>

struct dmamux {
    volatile uint32_t CCR[16];   /* 0x000 CxCR */
    uint32_t reserved0[16];
    volatile uint32_t CSR, CFR;  /* 0x080 */
    uint32_t reserved1[30];
    volatile uint32_t RGCR[8];   /* 0x100 RGxCR */
    uint32_t reserved2[8];
    volatile uint32_t RGSR, RGCFR; /* 0x140 */
};
_Static_assert(sizeof(struct dmamux) == 0x148, "DMAMUX register map");
#ifndef ST_DMAMUX1_BASE
#define ST_DMAMUX1_BASE 0x40020800u /* STM32H745; STM32MP15: 0x48002000 */
#endif
#define DMAMUX1 ((struct dmamux *)ST_DMAMUX1_BASE)
#define DMAMUX2 ((struct dmamux *)0x58025800u)

#define DMAMUX_CxCR_DMAREQ_ID_Msk 0xFFu
#define DMAMUX_CxCR_SOIE (1u << 8)
#define DMAMUX_CxCR_EGE  (1u << 9)
#define DMAMUX_CxCR_SE   (1u << 16)
#define DMAMUX_CxCR_NBREQ_Pos   19u
#define DMAMUX_CxCR_SYNC_ID_Pos 24u
#define DMAMUX_RGxCR_OIE (1u << 8)
#define DMAMUX_RGxCR_GE  (1u << 16)
#define DMAMUX_RGxCR_GNBREQ_Pos 19u
#define HAL_DMAMUX_REQ_GEN_RISING (1u << 17)
#define HAL_DMA_ERROR_SYNC   (1u << 9)
#define HAL_DMA_ERROR_REQGEN (1u << 10)

/* Request lines 1-8 of both DMAMUXes are the request generators 0-7. */
static inline int dmamux_is_generator(unsigned request) { return request >= 1u && request <= 8u; }

/* HAL_DMA_Init's DMAMUX part: CxCR = request, CFR; a generator request: RGxCR = 0, RGCFR. */
static inline void dmamux_init(struct dmamux *m, unsigned ch, unsigned request)
{
    m->CCR[ch] = request & 0xFFu;
    m->CFR = 1u << ch;
    if (dmamux_is_generator(request)) {
        m->RGCR[request - 1u] = 0u;
        m->RGCFR = 1u << (request - 1u);
    }
}

/* HAL_DMA_DeInit's DMAMUX part: CxCR = 0, CFR; a generator request: RGxCR = 0, RGCFR. */
static inline void dmamux_deinit(struct dmamux *m, unsigned ch, unsigned request)
{
    dmamux_init(m, ch, 0u);
    if (dmamux_is_generator(request)) {
        m->RGCR[request - 1u] = 0u;
        m->RGCFR = 1u << (request - 1u);
    }
}

/* HAL_DMAEx_ConfigMuxSync: SE and EGE cleared first, then one write keeping DMAREQ_ID:
 * SYNC_ID, NBREQ = requests - 1, SPOL (`polarity`, already in place), SE, EGE. */
static inline void dmamux_config_sync(struct dmamux *m, unsigned ch, uint32_t sync_id, uint32_t polarity,
                                      int sync_enable, int event_enable, uint32_t requests)
{
    m->CCR[ch] &= ~(DMAMUX_CxCR_SE | DMAMUX_CxCR_EGE);
    m->CCR[ch] = (m->CCR[ch] & DMAMUX_CxCR_DMAREQ_ID_Msk) | (sync_id << DMAMUX_CxCR_SYNC_ID_Pos) |
                 ((requests - 1u) << DMAMUX_CxCR_NBREQ_Pos) | polarity | (sync_enable ? DMAMUX_CxCR_SE : 0u) |
                 (event_enable ? DMAMUX_CxCR_EGE : 0u);
}

/* HAL_DMAEx_ConfigMuxRequestGenerator + HAL_DMAEx_EnableMuxRequestGenerator. */
static inline void dmamux_request_generator(struct dmamux *m, unsigned request, uint32_t signal_id,
                                            uint32_t polarity, uint32_t requests)
{
    m->RGCR[request - 1u] = signal_id | ((requests - 1u) << DMAMUX_RGxCR_GNBREQ_Pos) | polarity;
    m->RGCR[request - 1u] |= DMAMUX_RGxCR_GE;
}

/* HAL_DMAEx_DisableMuxRequestGenerator. */
static inline void dmamux_request_generator_off(struct dmamux *m, unsigned request)
{
    m->RGCR[request - 1u] &= ~DMAMUX_RGxCR_GE;
}

/* DMA_SetConfig's DMAMUX part: CFR, and RGCFR for a generator. */
static inline void dmamux_clear_flags(struct dmamux *m, unsigned ch, unsigned request)
{
    m->CFR = 1u << ch;
    if (dmamux_is_generator(request)) {
        m->RGCFR = 1u << (request - 1u);
    }
}

/* HAL_DMA_Start_IT's DMAMUX part: SOIE when synchronized, OIE for a generator. */
static inline void dmamux_enable_it(struct dmamux *m, unsigned ch, unsigned request)
{
    if (m->CCR[ch] & DMAMUX_CxCR_SE) {
        m->CCR[ch] |= DMAMUX_CxCR_SOIE;
    }
    if (dmamux_is_generator(request)) {
        m->RGCR[request - 1u] |= DMAMUX_RGxCR_OIE;
    }
}

/* HAL_DMAEx_MUX_IRQHandler: a synchronization overrun of the channel (SOIE off, CFR) or
 * a trigger overrun of its generator (OIE off, RGCFR); returns the HAL error bits. */
static inline uint32_t dmamux_irq_handler(struct dmamux *m, unsigned ch, unsigned request)
{
    uint32_t error = 0u;
    if (m->CSR & (1u << ch)) {
        m->CCR[ch] &= ~DMAMUX_CxCR_SOIE;
        m->CFR = 1u << ch;
        error |= HAL_DMA_ERROR_SYNC;
    }
    if (dmamux_is_generator(request) && (m->RGSR & (1u << (request - 1u)))) {
        m->RGCR[request - 1u] &= ~DMAMUX_RGxCR_OIE;
        m->RGCFR = 1u << (request - 1u);
        error |= HAL_DMA_ERROR_REQGEN;
    }
    return error;
}

#endif /* AMPVP_ST_DMAMUX_LITE_H */
