/*
 * dma2d_cm7.c (CM7) - the DMA2D as ST's DMA2D examples for the STM32H747I-DISCO drive it
 * (without the LCD), register for register as ST's HAL does (stm32h7xx_hal_dma2d.c:
 * HAL_DMA2D_Init, HAL_DMA2D_ConfigLayer, DMA2D_SetConfig, HAL_DMA2D_Start(_IT),
 * HAL_DMA2D_BlendingStart, HAL_DMA2D_PollForTransfer, HAL_DMA2D_IRQHandler).
 *   HAL_DMA2D_Init: CR.MODE (and LOM = 0); OPFCCR.CM (SB, AI, RBS 0); OOR = line offset.
 *   HAL_DMA2D_ConfigLayer: FGPFCCR / BGPFCCR = CM | AM << 16 | ALPHA << 24; FGOR / BGOR.
 *   DMA2D_SetConfig: NLR = width << 16 | height; OMAR; register-to-memory: OCOLR = the
 *     ARGB8888 colour converted to the output format; else FGMAR (and BGMAR).
 *   HAL_DMA2D_Start_IT: CR |= TEIE | TCIE | CEIE; CR |= START.  HAL_DMA2D_IRQHandler:
 *     TE / CE (IFCR, enables off), TC (TCIE off, IFCR.CTCIF, callback).
 *   HAL_DMA2D_PollForTransfer: wait for CR.START = 0; ISR.CEIF/TEIF are errors; then
 *     IFCR.CTCIF.
 * Part 1 (DMA2D_RegToMem-like): a 40x24 RGB565 area inside a 64-pixel-wide frame filled
 * with 0xFF0000FF (blue) by register-to-memory, interrupt mode (DMA2D_IRQn 90).
 * Part 2 (DMA2D_MemToMemWithPFC): a 32x16 RGB565 image converted to ARGB8888, polling.
 * Part 3 (DMA2D_MemToMemWithBlending): an ARGB4444 foreground with its alpha replaced by
 * 0x7F blended over an RGB565 background into RGB565, polling.
 * Each checked pixel by pixel against the conversion / blender formula of RM0399 done
 * by the CPU.  Printed per part: "dma2d: <what>: transfer-complete <t>, errors 0x<e>,
 * mismatches <m>, checksum 0x<c>" (c = c * 31 + pixel, mod 2^32), then "CM7 done".
 * Failure lines: "dma2d: <what> did not happen (...)".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

/* ---- DMA2D (RM0399 register map and bit names) ---------------------------------------- */
struct dma2d {
    volatile uint32_t CR, ISR, IFCR, FGMAR, FGOR, BGMAR, BGOR, FGPFCCR, FGCOLR, BGPFCCR,
        BGCOLR, FGCMAR, BGCMAR, OPFCCR, OCOLR, OMAR, OOR, NLR, LWR, AMTCR;
};
#define DMA2D ((struct dma2d *)0x52001000u)
#define DMA2D_CR_START (1u << 0)
#define DMA2D_CR_LOM   (1u << 6)
#define DMA2D_CR_TEIE  (1u << 8)
#define DMA2D_CR_TCIE  (1u << 9)
#define DMA2D_CR_CEIE  (1u << 13)
#define DMA2D_CR_MODE  (7u << 16)
#define DMA2D_M2M_PFC   (1u << 16)
#define DMA2D_M2M_BLEND (2u << 16)
#define DMA2D_R2M       (3u << 16)
#define DMA2D_ISR_TEIF (1u << 0)
#define DMA2D_ISR_TCIF (1u << 1)
#define DMA2D_ISR_CEIF (1u << 5)
#define CM_ARGB8888 0u
#define CM_RGB565   2u
#define CM_ARGB4444 4u
#define AM_REPLACE  (1u << 16)
#define RCC_AHB3ENR_DMA2DEN (1u << 4)

#define WAIT_MS    1000u
#define WAIT_POLLS 50000000u

static volatile uint32_t s_completes, s_errors;
static volatile int s_done;

void DMA2D_IRQHandler(void);
void DMA2D_IRQHandler(void)
{
    const uint32_t isr = DMA2D->ISR, cr = DMA2D->CR;
    if ((isr & DMA2D_ISR_TEIF) && (cr & DMA2D_CR_TEIE)) {
        DMA2D->CR &= ~DMA2D_CR_TEIE;
        DMA2D->IFCR = DMA2D_ISR_TEIF;
        s_errors |= 1u;
        s_done = 1;
    }
    if ((isr & DMA2D_ISR_CEIF) && (cr & DMA2D_CR_CEIE)) {
        DMA2D->CR &= ~DMA2D_CR_CEIE;
        DMA2D->IFCR = DMA2D_ISR_CEIF;
        s_errors |= 2u;
        s_done = 1;
    }
    if ((isr & DMA2D_ISR_TCIF) && (cr & DMA2D_CR_TCIE)) {
        DMA2D->CR &= ~DMA2D_CR_TCIE;
        DMA2D->IFCR = DMA2D_ISR_TCIF;
        s_completes++;
        s_done = 1;
    }
}

static void hal_dma2d_init(uint32_t mode, uint32_t out_cm, uint32_t out_offset)
{
    DMA2D->CR = (DMA2D->CR & ~(DMA2D_CR_MODE | DMA2D_CR_LOM)) | mode;
    DMA2D->OPFCCR = out_cm;
    DMA2D->OOR = out_offset;
}

static void hal_dma2d_config_layer(int fg, uint32_t cm, uint32_t am, uint32_t alpha, uint32_t off)
{
    const uint32_t v = cm | am | alpha << 24;
    if (fg) {
        DMA2D->FGPFCCR = v;
        DMA2D->FGOR = off;
    } else {
        DMA2D->BGPFCCR = v;
        DMA2D->BGOR = off;
    }
}

static void set_config(uint32_t src, uint32_t dst, uint32_t w, uint32_t h)
{
    DMA2D->NLR = w << 16 | h;
    DMA2D->OMAR = dst;
    if ((DMA2D->CR & DMA2D_CR_MODE) == DMA2D_R2M) {
        /* ARGB8888 colour -> output format (RGB565 here) */
        const uint32_t r = src >> 16 & 255, g = src >> 8 & 255, b = src & 255;
        DMA2D->OCOLR = (r >> 3) << 11 | (g >> 2) << 5 | b >> 3;
    } else {
        DMA2D->FGMAR = src;
    }
}

/* HAL_DMA2D_PollForTransfer: 1 when done without error. */
static int poll_for_transfer(void)
{
    struct demo_deadline d;
    deadline_start(&d, WAIT_MS, WAIT_POLLS);
    while (DMA2D->CR & DMA2D_CR_START) {
        if (DMA2D->ISR & (DMA2D_ISR_CEIF | DMA2D_ISR_TEIF)) {
            s_errors |= DMA2D->ISR & (DMA2D_ISR_CEIF | DMA2D_ISR_TEIF);
            DMA2D->IFCR = DMA2D_ISR_CEIF | DMA2D_ISR_TEIF;
            return 0;
        }
        if (deadline_expired(&d)) {
            return 0;
        }
    }
    if (DMA2D->ISR & (DMA2D_ISR_CEIF | DMA2D_ISR_TEIF)) {
        s_errors |= DMA2D->ISR & (DMA2D_ISR_CEIF | DMA2D_ISR_TEIF);
        return 0;
    }
    if (DMA2D->ISR & DMA2D_ISR_TCIF) {
        s_completes++;
    }
    DMA2D->IFCR = DMA2D_ISR_TCIF;
    return 1;
}

static void finish(void)
{
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

static void report(const char *what, unsigned mismatches, uint32_t c)
{
    uart_printf("dma2d: %s: transfer-complete %u, errors 0x%x, mismatches %u, checksum 0x%08x\n",
                what, (unsigned)s_completes, (unsigned)s_errors, mismatches, (unsigned)c);
    s_completes = 0u;
    s_errors = 0u;
}

/* RM0399 PFC: RGB565 / ARGB4444 widened by bit replication. */
static uint32_t rgb565_to_argb(uint16_t p)
{
    const uint32_t r = p >> 11 & 31, g = p >> 5 & 63, b = p & 31;
    return 0xFF000000u | (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
}

#define FRAME_W 64u
static uint16_t s_frame[FRAME_W * 24u] __attribute__((section(".axisram"), aligned(32)));
static uint16_t s_img565[32u * 16u] __attribute__((section(".axisram"), aligned(32)));
static uint32_t s_out8888[32u * 16u] __attribute__((section(".axisram"), aligned(32)));
static uint16_t s_fg4444[32u * 16u] __attribute__((section(".axisram"), aligned(32)));
static uint16_t s_blend[32u * 16u] __attribute__((section(".axisram"), aligned(32)));

int main(void)
{
    uart_init();
    demo_time_start();
    /* __HAL_RCC_DMA2D_CLK_ENABLE */
    RCC->AHB3ENR |= RCC_AHB3ENR_DMA2DEN;
    (void)RCC->AHB3ENR;
    NVIC->IPR[DMA2D_IRQn] = 0x00;
    nvic_enable_irq(DMA2D_IRQn);

    /* ---- part 1: register to memory, interrupt mode ---- */
    for (uint32_t i = 0; i < FRAME_W * 24u; i++) {
        s_frame[i] = 0x1234u;
    }
    hal_dma2d_init(DMA2D_R2M, CM_RGB565, FRAME_W - 40u);
    s_done = 0;
    set_config(0xFF0000FFu, (uint32_t)(uintptr_t)s_frame, 40u, 24u);
    DMA2D->CR |= DMA2D_CR_TEIE | DMA2D_CR_TCIE | DMA2D_CR_CEIE;
    DMA2D->CR |= DMA2D_CR_START;
    if (!demo_wait_flag(&s_done, WAIT_MS, WAIT_POLLS)) {
        uart_printf("dma2d: register-to-memory did not happen (CR=0x%08x ISR=0x%08x)\n",
                    (unsigned)DMA2D->CR, (unsigned)DMA2D->ISR);
        finish();
    }
    unsigned m = 0u;
    uint32_t c = 0u;
    for (uint32_t y = 0; y < 24u; y++) {
        for (uint32_t x = 0; x < FRAME_W; x++) {
            const uint16_t p = s_frame[y * FRAME_W + x];
            m += p != (x < 40u ? 0x001Fu : 0x1234u);
            c = c * 31u + p;
        }
    }
    report("register-to-memory RGB565 40x24 in a 64-pixel frame", m, c);

    /* ---- part 2: memory to memory with PFC, RGB565 -> ARGB8888, polling ---- */
    for (uint32_t i = 0; i < 32u * 16u; i++) {
        s_img565[i] = (uint16_t)(i * 0x2F1Bu + 0x0841u);
        s_out8888[i] = 0u;
    }
    hal_dma2d_init(DMA2D_M2M_PFC, CM_ARGB8888, 0u);
    hal_dma2d_config_layer(1, CM_RGB565, 0u, 0xFFu, 0u);
    set_config((uint32_t)(uintptr_t)s_img565, (uint32_t)(uintptr_t)s_out8888, 32u, 16u);
    DMA2D->CR |= DMA2D_CR_START;
    if (!poll_for_transfer()) {
        uart_printf("dma2d: pixel-format conversion did not happen (CR=0x%08x ISR=0x%08x)\n",
                    (unsigned)DMA2D->CR, (unsigned)DMA2D->ISR);
        finish();
    }
    m = 0u;
    c = 0u;
    for (uint32_t i = 0; i < 32u * 16u; i++) {
        m += s_out8888[i] != rgb565_to_argb(s_img565[i]);
        c = c * 31u + s_out8888[i];
    }
    report("memory-to-memory with PFC RGB565 -> ARGB8888 32x16", m, c);

    /* ---- part 3: blending, ARGB4444 (alpha replaced by 0x7F) over RGB565 ---- */
    for (uint32_t i = 0; i < 32u * 16u; i++) {
        s_fg4444[i] = (uint16_t)(i * 0x1357u);
        s_blend[i] = (uint16_t)(i * 0x0F0Fu + 0x4208u); /* background, blended in place */
    }
    hal_dma2d_init(DMA2D_M2M_BLEND, CM_RGB565, 0u);
    hal_dma2d_config_layer(1, CM_ARGB4444, AM_REPLACE, 0x7Fu, 0u);
    hal_dma2d_config_layer(0, CM_RGB565, 0u, 0xFFu, 0u);
    /* HAL_DMA2D_BlendingStart: BGMAR = background, then as HAL_DMA2D_Start. */
    DMA2D->BGMAR = (uint32_t)(uintptr_t)s_blend;
    static uint16_t expect[32u * 16u] __attribute__((section(".axisram"), aligned(32)));
    for (uint32_t i = 0; i < 32u * 16u; i++) {
        /* RM0399 blender, foreground alpha 0x7F, background opaque. */
        const uint16_t f = s_fg4444[i];
        const uint32_t fr = (f >> 8 & 15) * 17u, fg = (f >> 4 & 15) * 17u, fb = (f & 15) * 17u;
        const uint32_t bg = rgb565_to_argb(s_blend[i]);
        const uint32_t af = 0x7Fu, ab = 255u, am = af * ab / 255u, ao = af + ab - am;
        const uint32_t r = (fr * af + (bg >> 16 & 255) * ab - (bg >> 16 & 255) * am) / ao;
        const uint32_t g = (fg * af + (bg >> 8 & 255) * ab - (bg >> 8 & 255) * am) / ao;
        const uint32_t b = (fb * af + (bg & 255) * ab - (bg & 255) * am) / ao;
        expect[i] = (uint16_t)((r >> 3) << 11 | (g >> 2) << 5 | b >> 3);
    }
    set_config((uint32_t)(uintptr_t)s_fg4444, (uint32_t)(uintptr_t)s_blend, 32u, 16u);
    DMA2D->CR |= DMA2D_CR_START;
    if (!poll_for_transfer()) {
        uart_printf("dma2d: blending did not happen (CR=0x%08x ISR=0x%08x)\n",
                    (unsigned)DMA2D->CR, (unsigned)DMA2D->ISR);
        finish();
    }
    m = 0u;
    c = 0u;
    for (uint32_t i = 0; i < 32u * 16u; i++) {
        m += s_blend[i] != expect[i];
        c = c * 31u + s_blend[i];
    }
    report("blending ARGB4444 alpha 0x7F over RGB565 32x16", m, c);
    finish();
}
