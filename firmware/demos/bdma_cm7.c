/*
 * bdma_cm7.c (CM7) - the BDMA and DMAMUX2 of the D3 domain, register for register as
 * ST's HAL drives them (stm32h7xx_hal_dma.c, its BDMA branch: HAL_DMA_Init,
 * DMA_SetConfig, HAL_DMA_Start_IT, HAL_DMA_IRQHandler; in st_bdma_lite.h).
 *
 *   __HAL_RCC_BDMA_CLK_ENABLE: RCC_AHB4ENR.BDMAEN, read back.
 *   HAL_DMA_Init (BDMA channel 0, DMA_MEMORY_TO_MEMORY -> CCR.MEM2MEM, both increments,
 *     word sizes, normal mode, priority high): CCR.EN = 0; CCR = configuration; DMAMUX2
 *     channel 0: C0CR = request 0 (none, memory-to-memory), CFR = 1 << 0; IFCR = CGIF0.
 *   NVIC: BDMA_Channel0 (IRQ 129) priority 0, enabled.
 *   HAL_DMA_Start_IT: CCR.EN = 0; DMAMUX2 CFR; IFCR = CGIF0; CNDTR; CPAR = source, CM0AR
 *     = destination; CCR |= TCIE | TEIE (| HTIE with a half-transfer callback); EN = 1.
 *   HAL_DMA_IRQHandler (BDMA): HT (IFCR.CHTIF, HTIE off in normal mode), TC (IFCR.CTCIF,
 *     TE/TC off in normal mode), TE (all off, CGIF, HAL_DMA_ERROR_TE).
 * Part 1: DMA_WORDS words from SRAM4 to the backup SRAM, both in D3.  Printed: "bdma:
 * channel 0 copied <bytes> bytes SRAM4 -> backup SRAM: half-transfer <h>,
 * transfer-complete <t>, errors 0x<e>, mismatches <m>, checksum 0x<c>" with
 * c = c * 31 + w over the destination words, mod 2^32, w[i] = i * 0x01000193 + 7.
 * Part 2: the same from AXI SRAM (D1), which RM0399's bus matrix does not give the BDMA:
 * a transfer error.  Printed: "bdma: channel 0 from AXI SRAM: transfer-complete <t>,
 * errors 0x<e>, EN after the error <en>, destination untouched <yes|no>".
 * Then "CM7 done".  Failure lines: "bdma: <what> did not happen (...)".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "st_bdma_lite.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

#ifndef DMA_WORDS
#define DMA_WORDS 512u
#endif
#define WAIT_MS    1000u
#define WAIT_POLLS 50000000u

static struct bdma_handle s_h = {.ch = 0u, .request = BDMA_REQUEST_MEM2MEM, .has_half_cb = 1};

void BDMA_Channel0_IRQHandler(void);
void BDMA_Channel0_IRQHandler(void) { hal_bdma_irq_handler(&s_h); }

static uint32_t s_src[DMA_WORDS] __attribute__((section(".shared"), aligned(32))); /* SRAM4 */
static uint32_t *const s_dst = (uint32_t *)0x38800000u;  /* backup SRAM (D3) */
static uint32_t s_axi[16] __attribute__((section(".axisram"), aligned(32)));

static int wait_done(void) { return demo_wait_flag(&s_h.done, WAIT_MS, WAIT_POLLS); }

static void finish(void)
{
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

int main(void)
{
    uart_init();
    demo_time_start();
    /* __HAL_RCC_BDMA_CLK_ENABLE */
    RCC->AHB4ENR |= RCC_AHB4ENR_BDMAEN;
    (void)RCC->AHB4ENR;
    NVIC->IPR[BDMA_Channel0_IRQn] = 0x00;
    nvic_enable_irq(BDMA_Channel0_IRQn);

    /* ---- part 1: SRAM4 -> backup SRAM ---- */
    for (uint32_t i = 0; i < DMA_WORDS; i++) {
        s_src[i] = i * 0x01000193u + 7u;
        s_dst[i] = 0u;
    }
    const uint32_t m2m = BDMA_CCR_MEM2MEM | BDMA_CCR_PINC | BDMA_CCR_MINC | BDMA_CCR_PSIZE_W |
                         BDMA_CCR_MSIZE_W | BDMA_CCR_PL_HIGH;
    hal_bdma_init(&s_h, m2m);
    hal_bdma_start_it(&s_h, (uint32_t)(uintptr_t)s_src, (uint32_t)(uintptr_t)s_dst, DMA_WORDS);
    if (!wait_done()) {
        uart_printf("bdma: transfer complete did not happen (ISR=0x%08x CCR=0x%08x CNDTR=%u)\n",
                    (unsigned)BDMA->ISR, (unsigned)BDMA->C[0].CCR, (unsigned)BDMA->C[0].CNDTR);
        finish();
    }
    uint32_t c = 0u;
    unsigned mismatches = 0u;
    for (uint32_t i = 0; i < DMA_WORDS; i++) {
        c = c * 31u + s_dst[i];
        mismatches += s_dst[i] != s_src[i];
    }
    uart_printf("bdma: channel 0 copied %u bytes SRAM4 -> backup SRAM: half-transfer %u, "
                "transfer-complete %u, errors 0x%x, mismatches %u, checksum 0x%08x\n",
                (unsigned)(4u * DMA_WORDS), (unsigned)s_h.halves, (unsigned)s_h.completes,
                (unsigned)s_h.error, mismatches, (unsigned)c);

    /* ---- part 2: from AXI SRAM, outside the BDMA's reach ---- */
    for (uint32_t i = 0; i < 16u; i++) {
        s_axi[i] = 0xA5A50000u + i;
        s_dst[i] = 0u;
    }
    s_h.completes = 0u;
    hal_bdma_init(&s_h, m2m);
    hal_bdma_start_it(&s_h, (uint32_t)(uintptr_t)s_axi, (uint32_t)(uintptr_t)s_dst, 16u);
    if (!wait_done()) {
        uart_printf("bdma: transfer error did not happen (ISR=0x%08x CCR=0x%08x)\n",
                    (unsigned)BDMA->ISR, (unsigned)BDMA->C[0].CCR);
        finish();
    }
    unsigned untouched = 1u;
    for (uint32_t i = 0; i < 16u; i++) {
        untouched &= s_dst[i] == 0u;
    }
    uart_printf("bdma: channel 0 from AXI SRAM: transfer-complete %u, errors 0x%x, EN after the "
                "error %u, destination untouched %s\n",
                (unsigned)s_h.completes, (unsigned)s_h.error,
                (unsigned)(BDMA->C[0].CCR & BDMA_CCR_EN), untouched ? "yes" : "no");
    finish();
}
