/*
 * dma_m2m_cm7.c (CM7) - DMA1 memory-to-memory copy and USART3 transmission by DMA,
 * register for register as ST's HAL does them (stm32h7xx_hal_dma.c: HAL_DMA_Init,
 * HAL_DMA_Start_IT, HAL_DMA_IRQHandler; stm32h7xx_hal_uart.c: HAL_UART_Transmit_DMA,
 * UART_DMATransmitCplt, UART_EndTransmit_IT).
 *
 * Part 1, memory to memory, as ST's DMA_FIFOMode example for the STM32H743I-EVAL sets it
 * up (there DMA1_Stream7 with DMA_REQUEST_MEM2MEM: on the H7 DMA1 and DMA2 both do
 * memory-to-memory, unlike the F4 where only DMA2 can):
 *   __HAL_RCC_DMA1_CLK_ENABLE: RCC_AHB1ENR.DMA1EN, read back.
 *   HAL_DMA_Init (DMA1 stream 0, direction memory-to-memory, both increments, word
 *     sizes, normal mode, priority high, FIFO on with threshold full, single bursts):
 *     SxCR.EN = 0 and wait for it; SxCR = configuration; SxFCR = DMDIS | FTH; LIFCR =
 *     0x3F << 0 (all the stream's flags); DMAMUX1 channel 0: C0CR = DMA_REQUEST_MEM2MEM
 *     (0), CFR = 1 << 0.
 *   NVIC: DMA1_Stream0 (IRQ 11) priority 0, enabled.
 *   HAL_DMA_Start_IT (with a half-transfer callback): SxCR.EN = 0; DMA_SetConfig
 *     (DMAMUX1 CFR, LIFCR = 0x3F, SxCR.DBM = 0, SxNDTR, SxPAR = source, SxM0AR =
 *     destination); SxCR TCIE | TEIE | DMEIE, then HTIE; SxCR.EN = 1.
 *   HAL_DMA_IRQHandler order: TE, FE, DME, HT, TC; in normal mode HT and TC disable
 *     their interrupt enable once handled.
 * The source is DMA_M2M_WORDS words in AXI SRAM, w[i] = (i * 0x9E3779B1 + 0x12345678)
 * mod 2^32; the destination is in SRAM4 (D3 domain).  DMA1 cannot reach the CM7's
 * DTCM (RM0399 bus matrix), where this image keeps .data/.bss: both buffers are
 * elsewhere.  Right after EN = 1 the CM7 reads SxCR.EN and SxNDTR once (a copy of
 * 16 KiB takes 128 us at the 64 MHz reset clock), then sleeps until the TC callback.
 * Printed: "dma_m2m: first poll after EN=1: EN=<e> NDTR=<n>" (timing information, not
 * a result), then "dma_m2m: DMA1 stream 0 copied <bytes> bytes from 0x<src> to
 * 0x<dst>: half-transfer <h>, transfer-complete <t>, errors <e>, mismatches <m>,
 * checksum 0x<c>" where c = c * 31 + w over the destination words, mod 2^32.
 *
 * Part 2, USART3 transmission by DMA (HAL_UART_Transmit_DMA on the console USART, which
 * uart_init left enabled at 115200 8N1; the console waits for TC before the switch):
 *   HAL_DMA_Init (DMA1 stream 1, DMA_REQUEST_USART3_TX = 46, memory-to-peripheral,
 *     memory increment, byte sizes, normal mode, priority low, FIFO off): as above, plus
 *     SxCR.TRBUFF for a USART request on silicon revision V and later (DBGMCU_IDCODE
 *     REV_ID >= 0x2000: HAL's workaround of erratum 2.22); DMAMUX1 C1CR = 46.
 *   NVIC: DMA1_Stream1 (IRQ 12) and USART3 (IRQ 39), priority 0, enabled.
 *   HAL_UART_Transmit_DMA: HAL_DMA_Start_IT(buffer, &USART3->TDR, length) with
 *     half-transfer and complete callbacks; ICR.TCCF; CR3.DMAT (interrupts masked around
 *     the read-modify-write, as HAL's ATOMIC_SET_BIT).
 *   UART_DMATransmitCplt (the DMA's TC callback, normal mode): CR3.DMAT = 0, CR1.TCIE = 1.
 *   USART3_IRQHandler, TC with TCIE: UART_EndTransmit_IT clears TCIE; the transmission
 *     is complete.
 * The line sent is "dma_uart: this line went out by DMA1 stream 1, DMAMUX1 request 46
 * (USART3_TX)"; then "dma_uart: transmit complete, DMA half-transfer <h>,
 * transfer-complete <t>, errors <e>" by the console, and "CM7 done".
 * Failure lines (then "CM7 done"): "dma_m2m: <what> did not happen (...)".
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32_usart.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

#ifndef DMA_M2M_WORDS
#define DMA_M2M_WORDS 4096u
#endif
#define DMA_WAIT_MS    1000u      /* bound of every wait on the hardware */
#define DMA_WAIT_POLLS 50000000u

DEMO_TIME_DEFINE()

/* ---- DMA1 and DMAMUX1 (RM0399 register maps and bit names) ------------------------ */
struct dma_stream {
    volatile uint32_t CR;   /* 0x00 SxCR */
    volatile uint32_t NDTR; /* 0x04 SxNDTR */
    volatile uint32_t PAR;  /* 0x08 SxPAR */
    volatile uint32_t M0AR; /* 0x0C SxM0AR */
    volatile uint32_t M1AR; /* 0x10 SxM1AR */
    volatile uint32_t FCR;  /* 0x14 SxFCR */
};
struct dma {
    volatile uint32_t LISR, HISR, LIFCR, HIFCR; /* 0x00-0x0C */
    struct dma_stream S[8];                     /* 0x10 + 0x18 * x */
};
_Static_assert(sizeof(struct dma_stream) == 0x18, "DMA stream stride");
#define DMA1_BASE    0x40020000u
#define DMA1         ((struct dma *)DMA1_BASE)
#define DMAMUX1_BASE 0x40020800u
#define DMAMUX1_CCR(c) (*(volatile uint32_t *)(DMAMUX1_BASE + 4u * (c))) /* CxCR */
#define DMAMUX1_CFR    (*(volatile uint32_t *)(DMAMUX1_BASE + 0x84u))

#define DMA_SxCR_EN       (1u << 0)
#define DMA_SxCR_DMEIE    (1u << 1)
#define DMA_SxCR_TEIE     (1u << 2)
#define DMA_SxCR_HTIE     (1u << 3)
#define DMA_SxCR_TCIE     (1u << 4)
#define DMA_SxCR_DIR_M2P  (1u << 6)
#define DMA_SxCR_DIR_M2M  (2u << 6)
#define DMA_SxCR_DIR      (3u << 6)
#define DMA_SxCR_CIRC     (1u << 8)
#define DMA_SxCR_PINC     (1u << 9)
#define DMA_SxCR_MINC     (1u << 10)
#define DMA_SxCR_PSIZE    (3u << 11)
#define DMA_SxCR_PSIZE_W  (2u << 11)
#define DMA_SxCR_MSIZE    (3u << 13)
#define DMA_SxCR_MSIZE_W  (2u << 13)
#define DMA_SxCR_PL       (3u << 16)
#define DMA_SxCR_PL_HIGH  (2u << 16)
#define DMA_SxCR_DBM      (1u << 18)
#define DMA_SxCR_CT       (1u << 19)
#define DMA_SxCR_TRBUFF   (1u << 20)
#define DMA_SxCR_PBURST   (3u << 21)
#define DMA_SxCR_MBURST   (3u << 23)
#define DMA_SxFCR_FTH     (3u << 0)
#define DMA_SxFCR_FTH_FULL (3u << 0)
#define DMA_SxFCR_DMDIS   (1u << 2)
#define DMA_SxFCR_FEIE    (1u << 7)
/* A stream's flags, shifted by its StreamIndex (0, 6, 16, 22) in LISR/HISR. */
#define DMA_FLAG_FEIF     (1u << 0)
#define DMA_FLAG_DMEIF    (1u << 2)
#define DMA_FLAG_TEIF     (1u << 3)
#define DMA_FLAG_HTIF     (1u << 4)
#define DMA_FLAG_TCIF     (1u << 5)

#define RCC_AHB1ENR_DMA1EN     (1u << 0)
#define DMA_REQUEST_MEM2MEM    0u   /* stm32h7xx_hal_dma.h */
#define DMA_REQUEST_USART3_TX  46u  /* RM0399 DMAMUX1 table: usart3_tx_dma */

/* HAL_DMA_ERROR_* bits. */
#define DMA_ERROR_TE  (1u << 0)
#define DMA_ERROR_FE  (1u << 1)
#define DMA_ERROR_DME (1u << 2)

enum { DMA_READY, DMA_BUSY, DMA_ABORT };

/* The part of DMA_HandleTypeDef this demo needs. */
struct dma_handle {
    struct dma_stream *instance;
    unsigned mux_channel;            /* DMAMUX1 channel: the stream (+8 for DMA2) */
    volatile uint32_t *isr, *ifcr;   /* StreamBaseAddress: LISR/LIFCR or HISR/HIFCR */
    unsigned index;                  /* StreamIndex */
    volatile int state;
    volatile uint32_t error;         /* ErrorCode */
    volatile uint32_t halves, completes;
    void (*xfer_cplt)(struct dma_handle *);
    void (*xfer_half)(struct dma_handle *);
    void (*xfer_error)(struct dma_handle *);
};

/* DMA_CalcBaseAndBitshift for DMA1. */
static void dma_calc_base(struct dma_handle *h)
{
    static const uint8_t shift[8] = {0u, 6u, 16u, 22u, 0u, 6u, 16u, 22u};
    const unsigned n = (unsigned)(h->instance - &DMA1->S[0]);
    h->index = shift[n & 7u];
    h->isr = n > 3u ? &DMA1->HISR : &DMA1->LISR;
    h->ifcr = n > 3u ? &DMA1->HIFCR : &DMA1->LIFCR;
    h->mux_channel = n;
}

static int wait_en_clear(struct dma_stream *s)
{
    struct demo_deadline d;
    deadline_start(&d, DMA_WAIT_MS, DMA_WAIT_POLLS);
    while (s->CR & DMA_SxCR_EN) {
        if (deadline_expired(&d)) {
            return 0;
        }
    }
    return 1;
}

/* HAL_DMA_Init for a DMA1 stream: `config` holds Direction | PeriphInc | MemInc |
 * PeriphDataAlignment | MemDataAlignment | Mode | Priority; `fcr` FIFOMode |
 * FIFOThreshold (0: direct mode). */
static int hal_dma_init(struct dma_handle *h, uint32_t config, uint32_t fcr, uint32_t request)
{
    h->state = DMA_BUSY;
    h->instance->CR &= ~DMA_SxCR_EN;
    if (!wait_en_clear(h->instance)) {
        return 0;
    }
    uint32_t reg = h->instance->CR;
    reg &= ~(DMA_SxCR_MBURST | DMA_SxCR_PBURST | DMA_SxCR_PL | DMA_SxCR_MSIZE | DMA_SxCR_PSIZE |
             DMA_SxCR_MINC | DMA_SxCR_PINC | DMA_SxCR_CIRC | DMA_SxCR_DIR | DMA_SxCR_CT |
             DMA_SxCR_DBM);
    reg |= config; /* single bursts: MBURST = PBURST = 0 */
    /* Erratum 2.22 workaround (USART requests on revision V and later). */
    if ((DBGMCU->IDCODE & 0xFFFF0000u) >= 0x20000000u && request == DMA_REQUEST_USART3_TX) {
        reg |= DMA_SxCR_TRBUFF;
    }
    h->instance->CR = reg;
    reg = h->instance->FCR;
    reg &= ~(DMA_SxFCR_DMDIS | DMA_SxFCR_FTH);
    reg |= fcr;
    h->instance->FCR = reg;
    dma_calc_base(h);
    *h->ifcr = 0x3Fu << h->index;
    /* DMAMUX1 channel: the request (memory-to-memory: 0), its overrun flag cleared. */
    DMAMUX1_CCR(h->mux_channel) = request & 0xFFu;
    DMAMUX1_CFR = 1u << h->mux_channel;
    h->error = 0u;
    h->state = DMA_READY;
    return 1;
}

/* HAL_DMA_Start_IT: DMA_SetConfig, the interrupt enables, EN. */
static int hal_dma_start_it(struct dma_handle *h, uint32_t src, uint32_t dst, uint32_t n)
{
    if (h->state != DMA_READY) {
        return 0;
    }
    h->state = DMA_BUSY;
    h->error = 0u;
    h->instance->CR &= ~DMA_SxCR_EN;
    DMAMUX1_CFR = 1u << h->mux_channel;
    *h->ifcr = 0x3Fu << h->index;
    h->instance->CR &= ~DMA_SxCR_DBM;
    h->instance->NDTR = n;
    if ((h->instance->CR & DMA_SxCR_DIR) == DMA_SxCR_DIR_M2P) {
        h->instance->PAR = dst;
        h->instance->M0AR = src;
    } else {
        h->instance->PAR = src;
        h->instance->M0AR = dst;
    }
    h->instance->CR = (h->instance->CR & ~(DMA_SxCR_TCIE | DMA_SxCR_TEIE | DMA_SxCR_DMEIE |
                                           DMA_SxCR_HTIE)) |
                      DMA_SxCR_TCIE | DMA_SxCR_TEIE | DMA_SxCR_DMEIE;
    if (h->xfer_half) {
        h->instance->CR |= DMA_SxCR_HTIE;
    }
    h->instance->CR |= DMA_SxCR_EN;
    return 1;
}

/* HAL_DMA_IRQHandler for a DMA1/DMA2 stream. */
static void hal_dma_irq_handler(struct dma_handle *h)
{
    struct dma_stream *s = h->instance;
    const uint32_t isr = *h->isr;
    if ((isr & (DMA_FLAG_TEIF << h->index)) && (s->CR & DMA_SxCR_TEIE)) {
        s->CR &= ~DMA_SxCR_TEIE;
        *h->ifcr = DMA_FLAG_TEIF << h->index;
        h->error |= DMA_ERROR_TE;
    }
    if ((isr & (DMA_FLAG_FEIF << h->index)) && (s->FCR & DMA_SxFCR_FEIE)) {
        *h->ifcr = DMA_FLAG_FEIF << h->index;
        h->error |= DMA_ERROR_FE;
    }
    if ((isr & (DMA_FLAG_DMEIF << h->index)) && (s->CR & DMA_SxCR_DMEIE)) {
        *h->ifcr = DMA_FLAG_DMEIF << h->index;
        h->error |= DMA_ERROR_DME;
    }
    if ((isr & (DMA_FLAG_HTIF << h->index)) && (s->CR & DMA_SxCR_HTIE)) {
        *h->ifcr = DMA_FLAG_HTIF << h->index;
        if (!(s->CR & DMA_SxCR_CIRC)) {
            s->CR &= ~DMA_SxCR_HTIE;
        }
        if (h->xfer_half) {
            h->xfer_half(h);
        }
    }
    if ((isr & (DMA_FLAG_TCIF << h->index)) && (s->CR & DMA_SxCR_TCIE)) {
        *h->ifcr = DMA_FLAG_TCIF << h->index;
        if (!(s->CR & DMA_SxCR_CIRC)) {
            s->CR &= ~DMA_SxCR_TCIE;
            h->state = DMA_READY;
        }
        if (h->xfer_cplt) {
            h->xfer_cplt(h);
        }
    }
    if (h->error) {
        if (h->error & DMA_ERROR_TE) {
            h->state = DMA_ABORT;
            s->CR &= ~DMA_SxCR_EN;
            h->state = wait_en_clear(s) ? DMA_READY : DMA_BUSY;
        }
        if (h->xfer_error) {
            h->xfer_error(h);
        }
    }
}

/* ---- part 1: memory to memory ------------------------------------------------------ */
static uint32_t s_src[DMA_M2M_WORDS] __attribute__((section(".axisram"), aligned(32)));
static uint32_t s_dst[DMA_M2M_WORDS] __attribute__((section(".shared"), aligned(32)));

static struct dma_handle s_m2m = {.instance = &DMA1->S[0]};
static volatile int s_m2m_done;

static void m2m_half(struct dma_handle *h) { h->halves++; }
static void m2m_cplt(struct dma_handle *h)
{
    h->completes++;
    s_m2m_done = 1;
}
static void m2m_error(struct dma_handle *h)
{
    (void)h;
    s_m2m_done = 1;
}

void DMA1_Stream0_IRQHandler(void);
void DMA1_Stream0_IRQHandler(void) { hal_dma_irq_handler(&s_m2m); }

/* ---- part 2: USART3 transmit by DMA ---------------------------------------------- */
static char s_tx[96] __attribute__((section(".axisram"), aligned(32)));
static struct dma_handle s_uart_tx = {.instance = &DMA1->S[1]};
static volatile int s_tx_busy;

/* UART_DMATransmitCplt, normal mode: DMAT off, TCIE on; TC ends the transmission. */
static void uart_dma_transmit_cplt(struct dma_handle *h)
{
    h->completes++;
    cm_disable_irq();
    USART3->CR3 &= ~USART_CR3_DMAT;
    USART3->CR1 |= USART_CR1_TCIE;
    cm_enable_irq();
}
static void uart_dma_tx_half(struct dma_handle *h) { h->halves++; }
static void uart_dma_error(struct dma_handle *h)
{
    (void)h;
    s_tx_busy = 0;
}

void USART3_IRQHandler(void);
void USART3_IRQHandler(void)
{
    /* UART_EndTransmit_IT: TC with TCIE. */
    if ((USART3->ISR & USART_ISR_TC) && (USART3->CR1 & USART_CR1_TCIE)) {
        USART3->CR1 &= ~USART_CR1_TCIE;
        s_tx_busy = 0;
    }
}

void DMA1_Stream1_IRQHandler(void);
void DMA1_Stream1_IRQHandler(void) { hal_dma_irq_handler(&s_uart_tx); }

/* HAL_UART_Transmit_DMA. */
static int hal_uart_transmit_dma(const char *buf, uint32_t n)
{
    s_tx_busy = 1;
    s_uart_tx.xfer_cplt = uart_dma_transmit_cplt;
    s_uart_tx.xfer_half = uart_dma_tx_half;
    s_uart_tx.xfer_error = uart_dma_error;
    if (!hal_dma_start_it(&s_uart_tx, (uint32_t)(uintptr_t)buf, (uint32_t)(uintptr_t)&USART3->TDR,
                          n)) {
        s_tx_busy = 0;
        return 0;
    }
    USART3->ICR = USART_ICR_TCCF;
    cm_disable_irq();
    USART3->CR3 |= USART_CR3_DMAT;
    cm_enable_irq();
    return 1;
}

static int wait_flag_clear(volatile int *flag)
{
    struct demo_deadline d;
    deadline_start(&d, DMA_WAIT_MS, DMA_WAIT_POLLS);
    while (*flag) {
        if (deadline_expired(&d)) {
            return 0;
        }
        cm_wfi();
    }
    return 1;
}

static int wait_flag_set(volatile int *flag)
{
    struct demo_deadline d;
    deadline_start(&d, DMA_WAIT_MS, DMA_WAIT_POLLS);
    while (!*flag) {
        if (deadline_expired(&d)) {
            return 0;
        }
        cm_wfi();
    }
    return 1;
}

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

    /* __HAL_RCC_DMA1_CLK_ENABLE */
    RCC->AHB1ENR |= RCC_AHB1ENR_DMA1EN;
    (void)RCC->AHB1ENR;

    /* ---- part 1 ---- */
    for (uint32_t i = 0; i < DMA_M2M_WORDS; i++) {
        s_src[i] = i * 0x9E3779B1u + 0x12345678u;
        s_dst[i] = 0u;
    }
    s_m2m.xfer_cplt = m2m_cplt;
    s_m2m.xfer_half = m2m_half;
    s_m2m.xfer_error = m2m_error;
    if (!hal_dma_init(&s_m2m,
                      DMA_SxCR_DIR_M2M | DMA_SxCR_PINC | DMA_SxCR_MINC | DMA_SxCR_PSIZE_W |
                          DMA_SxCR_MSIZE_W | DMA_SxCR_PL_HIGH,
                      DMA_SxFCR_DMDIS | DMA_SxFCR_FTH_FULL, DMA_REQUEST_MEM2MEM)) {
        uart_puts("dma_m2m: stream 0 disable did not happen (SxCR.EN stays 1)\n");
        finish();
    }
    NVIC->IPR[DMA1_Stream0_IRQn] = 0x00;
    nvic_enable_irq(DMA1_Stream0_IRQn);

    hal_dma_start_it(&s_m2m, (uint32_t)(uintptr_t)s_src, (uint32_t)(uintptr_t)s_dst,
                     DMA_M2M_WORDS);
    /* What HAL_DMA_PollForTransfer would see first. */
    const uint32_t en0 = s_m2m.instance->CR & DMA_SxCR_EN;
    const uint32_t ndtr0 = s_m2m.instance->NDTR;
    if (!wait_flag_set(&s_m2m_done)) {
        uart_printf("dma_m2m: transfer complete did not happen (LISR=0x%08x, S0CR=0x%08x, "
                    "S0NDTR=%u)\n",
                    (unsigned)DMA1->LISR, (unsigned)s_m2m.instance->CR,
                    (unsigned)s_m2m.instance->NDTR);
        finish();
    }
    uint32_t c = 0u, mismatches = 0u;
    for (uint32_t i = 0; i < DMA_M2M_WORDS; i++) {
        c = c * 31u + s_dst[i];
        mismatches += s_dst[i] != s_src[i];
    }
    uart_printf("dma_m2m: first poll after EN=1: EN=%u NDTR=%u\n", (unsigned)en0,
                (unsigned)ndtr0);
    uart_printf("dma_m2m: DMA1 stream 0 copied %u bytes from 0x%08x to 0x%08x: half-transfer "
                "%u, transfer-complete %u, errors %u, mismatches %u, checksum 0x%08x\n",
                (unsigned)(4u * DMA_M2M_WORDS), (unsigned)(uintptr_t)s_src,
                (unsigned)(uintptr_t)s_dst, (unsigned)s_m2m.halves, (unsigned)s_m2m.completes,
                (unsigned)s_m2m.error, (unsigned)mismatches, (unsigned)c);

    /* ---- part 2 ---- */
    if (!hal_dma_init(&s_uart_tx, DMA_SxCR_DIR_M2P | DMA_SxCR_MINC, 0u, DMA_REQUEST_USART3_TX)) {
        uart_puts("dma_m2m: stream 1 disable did not happen (SxCR.EN stays 1)\n");
        finish();
    }
    NVIC->IPR[DMA1_Stream1_IRQn] = 0x00;
    NVIC->IPR[USART3_IRQn] = 0x00;
    nvic_enable_irq(DMA1_Stream1_IRQn);
    nvic_enable_irq(USART3_IRQn);
    static const char line[] =
        "dma_uart: this line went out by DMA1 stream 1, DMAMUX1 request 46 (USART3_TX)\r\n";
    _Static_assert(sizeof(line) <= sizeof(s_tx), "DMA buffer");
    memcpy(s_tx, line, sizeof(line) - 1u);
    uart_flush(); /* the console's last character is out (TC) */
    if (!hal_uart_transmit_dma(s_tx, sizeof(line) - 1u) || !wait_flag_clear(&s_tx_busy)) {
        uart_printf("dma_m2m: USART3 DMA transmission did not happen (LISR=0x%08x, "
                    "S1CR=0x%08x, S1NDTR=%u, USART3 ISR=0x%08x CR3=0x%08x)\n",
                    (unsigned)DMA1->LISR, (unsigned)s_uart_tx.instance->CR,
                    (unsigned)s_uart_tx.instance->NDTR, (unsigned)USART3->ISR,
                    (unsigned)USART3->CR3);
        finish();
    }
    uart_printf("dma_uart: transmit complete, DMA half-transfer %u, transfer-complete %u, "
                "errors %u\n",
                (unsigned)s_uart_tx.halves, (unsigned)s_uart_tx.completes,
                (unsigned)s_uart_tx.error);
    finish();
}
