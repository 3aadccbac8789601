/*
 * uart_it_cm7.c (CM7) - USART3 driven by interrupts, register for register as ST's HAL
 * does it (HAL_UART_Init, HAL_UART_Transmit_IT, HAL_UART_Receive_IT, HAL_UART_IRQHandler),
 * 115200 8N1, oversampling 16, prescaler 1, kernel clock rcc_pclk1 = 64 MHz (HSI after
 * reset), so BRR = (64000000 + 115200/2) / 115200 = 556.
 *
 *   HAL_Init: SysTick 1 kHz (the HAL tick: bounds the waits).
 *   HAL_UART_MspInit: RCC_D2CCIP2R.USART234578SEL = 000 (rcc_pclk1);
 *     RCC_AHB4ENR.GPIODEN and RCC_APB1LENR.USART3EN, each read back; PD8 (TX) and PD9
 *     (RX) as HAL_GPIO_Init sets alternate function 7: OSPEEDR low, OTYPER push-pull,
 *     PUPDR none, AFRH AFSEL8/9 = 7, MODER = AF; NVIC USART3 (IRQ 39) priority 0, enabled.
 *   HAL_UART_Init: CR1.UE = 0; UART_SetConfig (CR1 M/PCE/PS/TE/RE/OVER8/FIFOEN, CR2.STOP,
 *     CR3 RTSE/CTSE/ONEBIT/TXFTCFG/RXFTCFG, PRESC, BRR); CR2 LINEN/CLKEN = 0; CR3
 *     SCEN/HDSEL/IREN = 0; CR1.UE = 1 last; UART_CheckIdleState: wait TEACK, then REACK.
 *   HAL_UART_Transmit_IT: sets CR1.TXEIE.  UART_TxISR_8BIT: on TXE writes the next byte to
 *     TDR; with none left, clears TXEIE and sets TCIE.  UART_EndTransmit_IT: on TC clears
 *     TCIE, then HAL_UART_TxCpltCallback.
 *   HAL_UART_Receive_IT (one byte at a time, re-armed from HAL_UART_RxCpltCallback, the
 *     usual pattern): sets CR3.EIE and CR1.RXNEIE.  UART_RxISR_8BIT: on RXNE reads RDR
 *     (masked to 8 bits); the last byte clears RXNEIE/PEIE and EIE, then the callback.
 *   HAL_UART_IRQHandler order: without PE/FE/ORE/NE/RTOF, RXNE first; with an error,
 *     clear it through ICR (PECF, FECF, NECF, ORECF), read a pending byte, and on an
 *     overrun end the reception (HAL treats ORE as blocking) before the error callback,
 *     which re-arms it; then TXE, then TC.
 *   Bits of CR1/CR3 that the interrupt also changes are set and cleared with interrupts
 *     masked (HAL uses LDREX/STREX, ATOMIC_SET_BIT, for the same reason).
 *
 * Prints "uart_it: ready", then echoes every line it receives (ended by CR or LF; empty
 * lines are skipped, lines longer than UART_IT_LINE_MAX are cut) as
 * "uart_it: got '<line>'".  After the line "quit": "uart_it: bye", "CM7 done".
 * Failure lines (then "CM7 done", printed by polling): "uart_it: SysTick not running",
 * "uart_it: TEACK/REACK not set (ISR=0x..., CR1=0x...)", "uart_it: transmission did not
 * complete (ISR=0x..., CR1=0x...)".  Before "uart_it: bye", only if it happened:
 * "uart_it: receive errors (ICR bits 0x<e>), <n> bytes lost".
 *
 * Built with UART_IT_LPUART (lpuart_it_cm7.elf): the same on LPUART1 (RM0399 "LPUART"),
 * as HAL_UART_Init does it for an LPUART instance: kernel clock rcc_pclk4 = 64 MHz
 * (RCC_D3CCIPR.LPUART1SEL = 000, RCC_APB4ENR.LPUART1EN), PB6 (TX) / PB7 (RX) in alternate
 * function 8, NVIC LPUART1 (IRQ 142), and UART_DIV_LPUART's BRR = (256 * 64000000 +
 * 115200/2) / 115200 = 142222 (no oversampling choice: HAL leaves OVER8 and ONEBIT,
 * reserved on an LPUART, at 0).  Its lines come out on LPUART1, so the host sees them as
 * "[cm7:LPUART1] uart_it: ...", and it reads what --serial LPUART1=stdin sends.
 *
 * The receiver is on from HAL_UART_Init: a byte that arrives before HAL_UART_Receive_IT
 * waits in RDR (the emulator holds the rest back meanwhile), so nothing sent early is lost.
 *
 * Built with UART_IT_FIFO (uart_it_fifo_cm7.elf): after HAL_UART_Init, as CubeMX-generated
 * code does, HAL_UARTEx_SetTxFifoThreshold(1/2), HAL_UARTEx_SetRxFifoThreshold(1/8) and
 * HAL_UARTEx_EnableFifoMode(): each saves CR1, clears UE, changes CR3 (or sets FIFOEN in
 * the saved value) and writes the saved CR1 back.  Clearing UE discards received data
 * (RM0399), so bytes sent before "uart_it: ready" can be lost, as on the chip.
 * HAL_UART_Transmit_IT then sets CR3.TXFTIE instead of TXEIE, and UART_TxISR_8BIT_FIFOEN
 * writes up to 8 bytes (NbTxDataToProcess = 16 * 1/2) per TXFT interrupt while TXFNF,
 * swapping TXFTIE for TCIE once all are written.  Receptions of one byte are shorter than NbRxDataToProcess
 * (16 * 1/8 = 2), so HAL_UART_Receive_IT uses RXFNEIE and UART_RxISR_8BIT exactly as
 * above; the RXFIFO holds what the host sends meanwhile.  A threshold reception
 * (RXFTIE) needs to know how many bytes come, which line input does not (HAL would use
 * HAL_UARTEx_ReceiveToIdle_IT, i.e. IDLE line timing, which the emulator does not model).
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"
#include "st_uart_irq.h"

#define UART_IT_KERNEL_HZ 64000000u
#define UART_IT_BAUD      115200u
#ifdef UART_IT_LPUART
#define UART_IT            LPUART1
#define UART_IT_IRQn       LPUART1_IRQn
#define UART_IT_IRQHandler LPUART1_IRQHandler
/* UART_DIV_LPUART: 256 * fck / baud, rounded as HAL does, in 64 bits. */
#define UART_IT_BRR \
    ((uint32_t)(((uint64_t)UART_IT_KERNEL_HZ * 256u + UART_IT_BAUD / 2u) / UART_IT_BAUD))
_Static_assert(UART_IT_BRR == 142222u, "LPUART BRR for 115200 at 64 MHz");
#define GPIO_AF_UART       8u     /* PB6 = LPUART1_TX, PB7 = LPUART1_RX (DS12110 AF table) */
#define UART_IT_PORT       1u     /* port B */
#define UART_IT_PIN_TX     6u
#else
#define UART_IT            USART3
#define UART_IT_IRQn       USART3_IRQn
#define UART_IT_IRQHandler USART3_IRQHandler
#define UART_IT_BRR       ((UART_IT_KERNEL_HZ + UART_IT_BAUD / 2u) / UART_IT_BAUD)
_Static_assert(UART_IT_BRR == 556u, "BRR for 115200 at 64 MHz");
#define GPIO_AF_UART       7u     /* PD8 = USART3_TX, PD9 = USART3_RX (DS12110 AF table) */
#define UART_IT_PORT       3u     /* port D */
#define UART_IT_PIN_TX     8u
#endif

#define UART_IT_LINE_MAX  64u
#define UART_IT_RING      256u   /* received bytes not yet handled by main (power of 2) */
#define UART_IT_WAIT_MS   1000u  /* bound of every wait on the hardware */
#define UART_IT_POLLS     50000000u

#define UART_IT_TX_THRESHOLD USART_FIFO_THRESHOLD_1_2 /* UART_IT_FIFO only */
#define UART_IT_RX_THRESHOLD USART_FIFO_THRESHOLD_1_8

DEMO_TIME_DEFINE()

/* The part of UART_HandleTypeDef this demo needs. */
struct uart_it {
    const uint8_t *tx_ptr;
    volatile uint16_t tx_count;
    volatile int tx_busy;            /* gState == BUSY_TX */
    uint8_t *rx_ptr;
    volatile uint16_t rx_count;
    volatile int rx_busy;            /* RxState == BUSY_RX */
    volatile uint32_t errors;        /* ICR clear bits of the errors seen (HAL ErrorCode) */
    uint16_t nb_tx;                  /* NbTxDataToProcess */
    uint16_t nb_rx;                  /* NbRxDataToProcess */
    int fifo;                        /* FifoMode */
};

static struct uart_it s_uart;
static uint8_t s_rx_byte;
static volatile uint8_t s_ring[UART_IT_RING];
static volatile uint32_t s_ring_head; /* written by the interrupt */
static uint32_t s_ring_tail;          /* written by main */
static volatile uint32_t s_ring_lost;

void UART_IT_IRQHandler(void);

/* ---- register helpers ------------------------------------------------------------ */

static void reg_set(volatile uint32_t *reg, uint32_t bits)
{
    cm_disable_irq();
    *reg |= bits;
    cm_enable_irq();
}

static int wait_isr_set(uint32_t mask)
{
    struct demo_deadline d;
    deadline_start(&d, UART_IT_WAIT_MS, UART_IT_POLLS);
    while (!(UART_IT->ISR & mask)) {
        if (deadline_expired(&d)) {
            return 0;
        }
    }
    return 1;
}

/* ---- HAL_UART_MspInit -------------------------------------------------------------- */

static void uart_msp_init(void)
{
#ifdef UART_IT_LPUART
    RCC->D3CCIPR &= ~RCC_D3CCIPR_LPUART1SEL_Msk; /* rcc_pclk4 */
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOBEN;
    (void)RCC->AHB4ENR;
    RCC->APB4ENR |= RCC_APB4ENR_LPUART1EN;
    (void)RCC->APB4ENR;
#else
    RCC->D2CCIP2R &= ~RCC_D2CCIP2R_USART234578SEL_Msk; /* rcc_pclk1 */
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIODEN;
    (void)RCC->AHB4ENR;
    RCC->APB1LENR |= RCC_APB1LENR_USART3EN;
    (void)RCC->APB1LENR;
#endif

    struct h7_gpio *gpio = GPIO(UART_IT_PORT);
    for (uint32_t pin = UART_IT_PIN_TX; pin <= UART_IT_PIN_TX + 1u; ++pin) {
        volatile uint32_t *afr = &gpio->AFR[pin / 8u];
        gpio->OSPEEDR &= ~(3u << (2u * pin));                 /* low speed */
        gpio->OTYPER &= ~(1u << pin);                         /* push-pull */
        gpio->PUPDR &= ~(3u << (2u * pin));                   /* no pull */
        *afr = (*afr & ~(0xFu << GPIO_AFR_AFSEL_Pos(pin))) | (GPIO_AF_UART << GPIO_AFR_AFSEL_Pos(pin));
        gpio->MODER = (gpio->MODER & ~(3u << (2u * pin))) | (GPIO_MODER_AF << (2u * pin));
    }

    NVIC->IPR[UART_IT_IRQn] = 0u; /* HAL_NVIC_SetPriority(UART_IT_IRQn, 0, 0) */
    nvic_enable_irq(UART_IT_IRQn);
}

/* ---- HAL_UART_Init and the FIFO configuration calls ------------------------------ */

#ifdef UART_IT_FIFO
/* UARTEx_SetNbDataToProcess: FIFO depth 16 times the threshold fraction. */
static void uart_set_nb_data(struct uart_it *h)
{
    static const uint8_t num[] = {1u, 1u, 1u, 3u, 7u, 1u};
    static const uint8_t den[] = {8u, 4u, 2u, 4u, 8u, 1u};
    if (!h->fifo) {
        h->nb_tx = 1u;
        h->nb_rx = 1u;
        return;
    }
    const uint32_t cr3 = UART_IT->CR3;
    const uint32_t tx = (cr3 & USART_CR3_TXFTCFG_Msk) >> USART_CR3_TXFTCFG_Pos;
    const uint32_t rx = (cr3 & USART_CR3_RXFTCFG_Msk) >> USART_CR3_RXFTCFG_Pos;
    h->nb_tx = (uint16_t)(USART_FIFO_DEPTH * num[tx] / den[tx]);
    h->nb_rx = (uint16_t)(USART_FIFO_DEPTH * num[rx] / den[rx]);
}

/* HAL_UARTEx_SetTxFifoThreshold / SetRxFifoThreshold. */
static void uart_set_fifo_threshold(struct uart_it *h, uint32_t mask, uint32_t value)
{
    const uint32_t cr1 = UART_IT->CR1;
    UART_IT->CR1 = cr1 & ~USART_CR1_UE;
    UART_IT->CR3 = (UART_IT->CR3 & ~mask) | value;
    uart_set_nb_data(h);
    UART_IT->CR1 = cr1;
}

/* HAL_UARTEx_EnableFifoMode / DisableFifoMode. */
static void uart_set_fifo_mode(struct uart_it *h, int on)
{
    uint32_t cr1 = UART_IT->CR1;
    UART_IT->CR1 = cr1 & ~USART_CR1_UE;
    cr1 = on ? (cr1 | USART_CR1_FIFOEN) : (cr1 & ~USART_CR1_FIFOEN);
    h->fifo = on;
    UART_IT->CR1 = cr1;
    uart_set_nb_data(h);
}
#endif

static int uart_init_it(struct uart_it *h)
{
    uart_msp_init();

    UART_IT->CR1 &= ~USART_CR1_UE;

    /* UART_SetConfig */
    UART_IT->CR1 = (UART_IT->CR1 & ~(USART_CR1_M0 | USART_CR1_M1 | USART_CR1_PCE | USART_CR1_PS |
                                   USART_CR1_TE | USART_CR1_RE | USART_CR1_OVER8 |
                                   USART_CR1_FIFOEN)) |
                  USART_CR1_TE | USART_CR1_RE;
    UART_IT->CR2 &= ~USART_CR2_STOP_Msk;
    UART_IT->CR3 &= ~(USART_CR3_RTSE | USART_CR3_CTSE | USART_CR3_ONEBIT | USART_CR3_TXFTCFG_Msk |
                     USART_CR3_RXFTCFG_Msk);
    UART_IT->PRESC &= ~USART_PRESC_PRESCALER_Msk;
    UART_IT->BRR = UART_IT_BRR;
    h->fifo = 0;
    h->nb_tx = h->nb_rx = 1u;

    UART_IT->CR2 &= ~(USART_CR2_LINEN | USART_CR2_CLKEN);
    UART_IT->CR3 &= ~(USART_CR3_SCEN | USART_CR3_HDSEL | USART_CR3_IREN);
    UART_IT->CR1 |= USART_CR1_UE;

    /* UART_CheckIdleState */
    if (!wait_isr_set(USART_ISR_TEACK) || !wait_isr_set(USART_ISR_REACK)) {
        return 0;
    }

#ifdef UART_IT_FIFO
    uart_set_fifo_threshold(h, USART_CR3_TXFTCFG_Msk,
                            UART_IT_TX_THRESHOLD << USART_CR3_TXFTCFG_Pos);
    uart_set_fifo_threshold(h, USART_CR3_RXFTCFG_Msk,
                            UART_IT_RX_THRESHOLD << USART_CR3_RXFTCFG_Pos);
    uart_set_fifo_mode(h, 1);
#endif
    return (UART_IT->ISR & (USART_ISR_TEACK | USART_ISR_REACK)) ==
           (USART_ISR_TEACK | USART_ISR_REACK);
}

/* ---- transmit ------------------------------------------------------------------------ */

/* HAL_UART_Transmit_IT */
static void uart_transmit_it(struct uart_it *h, const uint8_t *data, uint16_t size)
{
    h->tx_ptr = data;
    h->tx_count = size;
    h->tx_busy = 1;
    if (h->fifo) {
        reg_set(&UART_IT->CR3, USART_CR3_TXFTIE);
    } else {
        reg_set(&UART_IT->CR1, USART_CR1_TXEIE);
    }
}

/* UART_TxISR_8BIT and UART_TxISR_8BIT_FIFOEN (called from the interrupt). */
static void uart_tx_isr(struct uart_it *h)
{
    if (!h->tx_busy) {
        return;
    }
    if (!h->fifo) {
        if (h->tx_count == 0u) {
            UART_IT->CR1 &= ~USART_CR1_TXEIE;
            UART_IT->CR1 |= USART_CR1_TCIE;
        } else {
            UART_IT->TDR = *h->tx_ptr++;
            h->tx_count--;
        }
        return;
    }
    for (uint16_t n = h->nb_tx; n > 0u; --n) {
        if (h->tx_count == 0u) {
            UART_IT->CR3 &= ~USART_CR3_TXFTIE;
            UART_IT->CR1 |= USART_CR1_TCIE;
            break;
        }
        if (UART_IT->ISR & USART_ISR_TXFNF) {
            UART_IT->TDR = *h->tx_ptr++;
            h->tx_count--;
        }
    }
}

/* UART_EndTransmit_IT (the TX complete callback only marks the transfer done). */
static void uart_end_transmit(struct uart_it *h)
{
    UART_IT->CR1 &= ~USART_CR1_TCIE;
    h->tx_busy = 0;
}

/* Send a string and sleep until TC ended it; 0 if the interrupts never finished it. */
static int uart_send(struct uart_it *h, const char *s)
{
    uint16_t n = 0;
    while (s[n] != '\0') {
        ++n;
    }
    uart_transmit_it(h, (const uint8_t *)s, n);
    struct demo_deadline d;
    deadline_start(&d, UART_IT_WAIT_MS, UART_IT_POLLS);
    for (;;) {
        cm_disable_irq();
        if (!h->tx_busy) {
            cm_enable_irq();
            return 1;
        }
        cm_wfi(); /* wakes on the pending interrupt even with PRIMASK set */
        cm_enable_irq();
        if (deadline_expired(&d)) {
            return !h->tx_busy;
        }
    }
}

/* ---- receive ------------------------------------------------------------------------- */

/* UART_Start_Receive_IT for 7/8-bit data. */
static void uart_receive_it(struct uart_it *h, uint8_t *buf, uint16_t size)
{
    h->rx_ptr = buf;
    h->rx_count = size;
    h->rx_busy = 1;
    reg_set(&UART_IT->CR3, USART_CR3_EIE);
    if (h->fifo && size >= h->nb_rx) {
        reg_set(&UART_IT->CR3, USART_CR3_RXFTIE); /* not reached with 1-byte receptions */
    } else {
        reg_set(&UART_IT->CR1, USART_CR1_RXNEIE); /* RXFNEIE in FIFO mode */
    }
}

/* HAL_UART_RxCpltCallback of the application: keep the byte, ask for the next one. */
static void uart_rx_complete(struct uart_it *h)
{
    const uint32_t head = s_ring_head;
    if (head - s_ring_tail < UART_IT_RING) {
        s_ring[head % UART_IT_RING] = s_rx_byte;
        s_ring_head = head + 1u;
    } else {
        s_ring_lost = s_ring_lost + 1u;
    }
    uart_receive_it(h, &s_rx_byte, 1u);
}

/* UART_EndRxTransfer */
static void uart_end_rx(struct uart_it *h)
{
    UART_IT->CR1 &= ~(USART_CR1_RXNEIE | USART_CR1_PEIE);
    UART_IT->CR3 &= ~(USART_CR3_EIE | USART_CR3_RXFTIE);
    h->rx_busy = 0;
}

/* UART_RxISR_8BIT (mask 0xFF: 8 data bits, no parity). */
static void uart_rx_isr(struct uart_it *h)
{
    if (!h->rx_busy) {
        UART_IT->RQR = USART_RQR_RXFRQ; /* nobody waits: discard, as HAL does */
        return;
    }
    *h->rx_ptr++ = (uint8_t)(UART_IT->RDR & 0xFFu);
    if (--h->rx_count == 0u) {
        uart_end_rx(h);
        uart_rx_complete(h);
    }
}

/* HAL_UART_IRQHandler, the parts that apply to this configuration. */
void UART_IT_IRQHandler(void)
{
    struct uart_it *h = &s_uart;
    const uint32_t isr = UART_IT->ISR;
    const uint32_t cr1 = UART_IT->CR1;
    const uint32_t cr3 = UART_IT->CR3;
    const int rx_enabled = (cr1 & USART_CR1_RXNEIE) || (cr3 & USART_CR3_RXFTIE);

    if ((isr & ST_UART_ISR_ERRORS) == 0u && (isr & USART_ISR_RXNE) && rx_enabled) {
        uart_rx_isr(h);
        return;
    }
    if (st_uart_error_branch(isr, cr1, cr3)) {
        const uint32_t clear = st_uart_clear_errors(UART_IT, isr, cr1, cr3);
        h->errors |= clear;
        if ((isr & USART_ISR_RXNE) && rx_enabled) {
            uart_rx_isr(h);
        }
        if ((clear & USART_ICR_ORECF) && h->rx_busy) {
            uart_end_rx(h);                     /* an overrun ends the reception */
            uart_receive_it(h, &s_rx_byte, 1u); /* HAL_UART_ErrorCallback re-arms it */
        }
        return;
    }
    if ((isr & USART_ISR_TXE) && ((cr1 & USART_CR1_TXEIE) || (cr3 & USART_CR3_TXFTIE))) {
        uart_tx_isr(h);
        return;
    }
    if ((isr & USART_ISR_TC) && (cr1 & USART_CR1_TCIE)) {
        uart_end_transmit(h);
    }
}

/* ---- the demo ------------------------------------------------------------------------ */

static void fail(const char *what)
{
    nvic_disable_irq(UART_IT_IRQn);
    UART_IT->CR1 &= ~(USART_CR1_TXEIE | USART_CR1_TCIE | USART_CR1_RXNEIE);
    uart_printf("uart_it: %s (ISR=0x%08x, CR1=0x%08x)\n", what, (unsigned)UART_IT->ISR,
                (unsigned)UART_IT->CR1);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

static int str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

int main(void)
{
    static char line[UART_IT_LINE_MAX + 1u];
    static char out[UART_IT_LINE_MAX + 32u];
    uint32_t len = 0;

    demo_time_start();
    if (!demo_time_running(UART_IT_POLLS)) {
        uart_init();
        uart_puts("uart_it: SysTick not running\nCM7 done\n");
        cm_idle_forever();
    }
    if (!uart_init_it(&s_uart)) {
        fail("TEACK/REACK not set");
    }
    if (!uart_send(&s_uart, "uart_it: ready\r\n")) {
        fail("transmission did not complete");
    }
    uart_receive_it(&s_uart, &s_rx_byte, 1u);

    for (;;) {
        cm_disable_irq();
        if (s_ring_tail == s_ring_head) {
            cm_wfi();
            cm_enable_irq();
            continue;
        }
        cm_enable_irq();
        const char c = (char)s_ring[s_ring_tail % UART_IT_RING];
        s_ring_tail++;
        if (c != '\r' && c != '\n') {
            if (len < UART_IT_LINE_MAX) {
                line[len++] = c;
            }
            continue;
        }
        if (len == 0u) {
            continue; /* the LF of a CR LF pair, or an empty line */
        }
        line[len] = '\0';
        len = 0;

        uint32_t n = 0;
        for (const char *p = "uart_it: got '"; *p != '\0'; ++p) {
            out[n++] = *p;
        }
        for (const char *p = line; *p != '\0'; ++p) {
            out[n++] = *p;
        }
        out[n++] = '\'';
        out[n++] = '\r';
        out[n++] = '\n';
        out[n] = '\0';
        if (!uart_send(&s_uart, out)) {
            fail("transmission did not complete");
        }
        if (str_eq(line, "quit")) {
            break;
        }
    }
    if (s_uart.errors != 0u || s_ring_lost != 0u) {
        nvic_disable_irq(UART_IT_IRQn);
        uart_printf("uart_it: receive errors (ICR bits 0x%x), %u bytes lost\n",
                    (unsigned)s_uart.errors, (unsigned)s_ring_lost);
        nvic_enable_irq(UART_IT_IRQn);
    }
    if (!uart_send(&s_uart, "uart_it: bye\r\n") || !uart_send(&s_uart, "CM7 done\r\n")) {
        fail("transmission did not complete");
    }
    cm_idle_forever();
}
