/*
 * uart_wakeup_stop_cm7.c (CM7) - ST's UART_WakeUpFromStopUsingFIFO (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/UART/UART_WakeUpFromStopUsingFIFO/CM7), register for
 * register as its HAL calls touch USART3, RCC, GPIOD, PWR and the SCB.  Pair: idle_cm4.elf.
 *
 *   HAL_UART_MspInit: RCC_D2CCIP2R.USART234578SEL = 011 (HSI, 64 MHz); RCC_AHB4ENR.GPIODEN
 *     and RCC_APB1LENR.USART3EN, each read back; PD8/PD9 alternate function 7; NVIC USART3
 *     (IRQ 39) priority 0, enabled.
 *   HAL_UART_Init, 9600 baud, UART_WORDLENGTH_8B + UART_PARITY_ODD (7 data bits + odd
 *     parity: "8O1" in the CR1 sense), oversampling 16, prescaler 1:
 *     CR1.UE = 0; UART_SetConfig: CR1 M/PCE/PS/TE/RE/OVER8/FIFOEN = PCE|PS|TE|RE, CR2.STOP =
 *     00, CR3 RTSE/CTSE/ONEBIT/TXFTCFG/RXFTCFG = 0, PRESC = 0, BRR = (64 MHz + 4800) / 9600
 *     = 6667; CR2 LINEN/CLKEN = 0; CR3 SCEN/HDSEL/IREN = 0; CR1.UE = 1; wait TEACK, REACK.
 *   HAL_UARTEx_SetRxFifoThreshold(1/4): save CR1, UE = 0, CR3.RXFTCFG = 001, CR1 = saved;
 *     NbRxDataToProcess = 16 * 1/4 = 4.
 *   HAL_UARTEx_EnableFifoMode: save CR1, UE = 0, CR1 = saved | FIFOEN.
 *   HAL_UART_Transmit (polling): each byte after TXFNF, then wait TC.
 *   Part 1: HAL_UARTEx_EnableStopMode (CR1.UESM = 1); __HAL_UART_ENABLE_IT(RXFT) (CR3.RXFTIE);
 *     __HAL_UART_ENABLE_IT(WUF) (CR3.WUFIE); HAL_UART_Receive_IT(3): CR3.EIE, and because
 *     3 < NbRxDataToProcess (4) the one-per-frame path: CR1.PEIE|RXFNEIE (UART_RxISR_8BIT);
 *     HAL_PWR_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI): PWR_CR1.LPDS = 0,
 *     PWR_CPUCR.PDDS_D1 = PDDS_D3 = 0 (DUAL_CORE, CM7), SCB_SCR.SLEEPDEEP = 1, DSB, ISB, WFI,
 *     SLEEPDEEP = 0.  Then spin until the reception is done; clear WUFIE, RXFTIE, UESM.
 *   Part 2: UESM; __HAL_UART_ENABLE_IT(RXFF) (CR1.RXFFIE); WUFIE; HAL_UART_Receive_IT(15):
 *     CR3.EIE, and as 15 >= 4 the FIFO path: CR1.PEIE, CR3.RXFTIE (UART_RxISR_8BIT_FIFOEN);
 *     Stop as above; spin until done; clear WUFIE, RXFFIE, UESM.
 *   HAL_UART_IRQHandler: without PE/FE/ORE/NE/RTOF, RXFNE with RXFNEIE or RXFTIE calls the
 *     RxISR; errors cleared through ICR (and ORE ends the reception, as HAL); WUF with WUFIE
 *     cleared by ICR.WUCF (HAL_UARTEx_WakeupCallback: empty); RXFF with RXFFIE calls the
 *     empty HAL_UARTEx_RxFifoFullCallback.
 *
 * So with the HAL as it is, RM0399's usart_wkup (EXTI line 28, unmasked in C1IMR1 at reset)
 * restarts the CM7 in part 1 at the first byte (RXFNEIE, which Receive_IT(3) sets), and in
 * part 2 when the RXFIFO reaches the 1/4 threshold (RXFTIE, which Receive_IT(15) sets),
 * counting a 4th byte left from part 1; RXFFIE alone would wait for 16 data.  The readme's
 * "send 4 bytes" / "send 16 bytes" are enough either way.
 *
 * Left out, as they do not change what USART3 sees: MPU and cache set-up, the 400 MHz PLL
 * (SystemClock_Config; USART3 runs from HSI anyway), the wait for RCC_CR.D2CKRDY = 0 (ST's
 * CM4 parks D2 in Stop first; idle_cm4 does not), the NUCLEO LEDs.
 *
 * Console (USART3 itself, so 7-bit ASCII): "uart_wakeup: part 1: entering Stop, send 4
 * bytes", then after the wake-up "uart_wakeup: woke up on the RXFIFO threshold, got '<3
 * bytes>'", "uart_wakeup: part 2: entering Stop, send 16 bytes", "uart_wakeup: woke up on
 * the RXFIFO full, got '<15 bytes>'", "uart_wakeup: example finished successfully",
 * "CM7 done".  Failures: "uart_wakeup: <what> (ISR=0x..., CR1=0x..., CR3=0x...)", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"
#include "st_uart_irq.h"

#define WAKEUP_KERNEL_HZ 64000000u /* HSI */
#define WAKEUP_BAUD      9600u
#define WAKEUP_BRR       ((WAKEUP_KERNEL_HZ + WAKEUP_BAUD / 2u) / WAKEUP_BAUD)
_Static_assert(WAKEUP_BRR == 6667u, "BRR for 9600 at 64 MHz");

#define WAKEUP_WAIT_MS 1000u
#define WAKEUP_POLLS   50000000u
#define GPIO_AF7       7u
#define PORT_D         3u
#define RX_MASK        0x7Fu /* UART_MASK_COMPUTATION: 8-bit word with parity */

DEMO_TIME_DEFINE()

/* The part of UART_HandleTypeDef this demo needs. */
struct uart_h {
    uint8_t *rx_ptr;
    volatile uint16_t rx_count;
    volatile int rx_busy; /* RxState == BUSY_RX */
    int fifo_isr;         /* RxISR == UART_RxISR_8BIT_FIFOEN (else UART_RxISR_8BIT) */
    uint16_t nb_rx;       /* NbRxDataToProcess */
    volatile uint32_t errors;
};

static struct uart_h s_uart;
static uint8_t s_rx[16];

void USART3_IRQHandler(void);

/* ATOMIC_SET_BIT / ATOMIC_CLEAR_BIT (LDREX/STREX in HAL: interrupts masked here). */
static void reg_set(volatile uint32_t *reg, uint32_t bits)
{
    cm_disable_irq();
    *reg |= bits;
    cm_enable_irq();
}

static void reg_clear(volatile uint32_t *reg, uint32_t bits)
{
    cm_disable_irq();
    *reg &= ~bits;
    cm_enable_irq();
}

static int wait_isr_set(uint32_t mask)
{
    struct demo_deadline d;
    deadline_start(&d, WAKEUP_WAIT_MS, WAKEUP_POLLS);
    while (!(USART3->ISR & mask)) {
        if (deadline_expired(&d)) {
            return 0;
        }
    }
    return 1;
}

static void fail(const char *what)
{
    nvic_disable_irq(USART3_IRQn);
    uart_printf("uart_wakeup: %s (ISR=0x%08x, CR1=0x%08x, CR3=0x%08x)\n", what,
                (unsigned)USART3->ISR, (unsigned)USART3->CR1, (unsigned)USART3->CR3);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

/* ---- HAL_UART_MspInit, HAL_UART_Init, FIFO set-up -------------------------------- */

static void uart_msp_init(void)
{
    RCC->D2CCIP2R = (RCC->D2CCIP2R & ~RCC_D2CCIP2R_USART234578SEL_Msk) |
                    RCC_D2CCIP2R_USART234578SEL_HSI;
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIODEN;
    (void)RCC->AHB4ENR;
    RCC->APB1LENR |= RCC_APB1LENR_USART3EN;
    (void)RCC->APB1LENR;

    struct h7_gpio *gpio = GPIO(PORT_D);
    for (uint32_t pin = 8u; pin <= 9u; ++pin) {
        gpio->OSPEEDR &= ~(3u << (2u * pin));
        gpio->OTYPER &= ~(1u << pin);
        gpio->PUPDR &= ~(3u << (2u * pin));
        gpio->AFR[1] = (gpio->AFR[1] & ~(0xFu << GPIO_AFR_AFSEL_Pos(pin))) |
                       (GPIO_AF7 << GPIO_AFR_AFSEL_Pos(pin));
        gpio->MODER = (gpio->MODER & ~(3u << (2u * pin))) | (GPIO_MODER_AF << (2u * pin));
    }
    NVIC->IPR[USART3_IRQn] = 0u; /* HAL_NVIC_SetPriority(USARTx_IRQn, 0, 1) */
    nvic_enable_irq(USART3_IRQn);
}

static int uart_hal_init(struct uart_h *h)
{
    uart_msp_init();
    USART3->CR1 &= ~USART_CR1_UE;
    USART3->CR1 = (USART3->CR1 & ~(USART_CR1_M0 | USART_CR1_M1 | USART_CR1_PCE | USART_CR1_PS |
                                   USART_CR1_TE | USART_CR1_RE | USART_CR1_OVER8 |
                                   USART_CR1_FIFOEN)) |
                  USART_CR1_PCE | USART_CR1_PS | USART_CR1_TE | USART_CR1_RE;
    USART3->CR2 &= ~USART_CR2_STOP_Msk;
    USART3->CR3 &= ~(USART_CR3_RTSE | USART_CR3_CTSE | USART_CR3_ONEBIT | USART_CR3_TXFTCFG_Msk |
                     USART_CR3_RXFTCFG_Msk);
    USART3->PRESC &= ~USART_PRESC_PRESCALER_Msk;
    USART3->BRR = WAKEUP_BRR;
    h->nb_rx = 1u;
    USART3->CR2 &= ~(USART_CR2_LINEN | USART_CR2_CLKEN);
    USART3->CR3 &= ~(USART_CR3_SCEN | USART_CR3_HDSEL | USART_CR3_IREN);
    USART3->CR1 |= USART_CR1_UE;
    return wait_isr_set(USART_ISR_TEACK) && wait_isr_set(USART_ISR_REACK);
}

/* HAL_UARTEx_SetRxFifoThreshold(UART_RXFIFO_THRESHOLD_1_4), then EnableFifoMode. */
static void uart_fifo_setup(struct uart_h *h)
{
    uint32_t cr1 = USART3->CR1;
    USART3->CR1 = cr1 & ~USART_CR1_UE;
    USART3->CR3 = (USART3->CR3 & ~USART_CR3_RXFTCFG_Msk) |
                  (USART_FIFO_THRESHOLD_1_4 << USART_CR3_RXFTCFG_Pos);
    USART3->CR1 = cr1; /* FIFO mode still off: NbRxDataToProcess stays 1 */

    cr1 = USART3->CR1;
    USART3->CR1 = cr1 & ~USART_CR1_UE;
    USART3->CR1 = cr1 | USART_CR1_FIFOEN;
    h->nb_rx = (uint16_t)(USART_FIFO_DEPTH / 4u); /* UARTEx_SetNbDataToProcess: 16 * 1/4 */
}

/* HAL_UART_Transmit, polling. */
static void uart_transmit(const char *s)
{
    for (; *s != '\0'; ++s) {
        if (!wait_isr_set(USART_ISR_TXFNF)) {
            fail("TXFNF never set");
        }
        USART3->TDR = (uint8_t)*s;
    }
    if (!wait_isr_set(USART_ISR_TC)) {
        fail("TC never set");
    }
}

/* ---- reception --------------------------------------------------------------------- */

/* UART_Start_Receive_IT, 8-bit word. */
static void uart_receive_it(struct uart_h *h, uint8_t *buf, uint16_t size)
{
    h->rx_ptr = buf;
    h->rx_count = size;
    h->rx_busy = 1;
    reg_set(&USART3->CR3, USART_CR3_EIE);
    if (size >= h->nb_rx && h->nb_rx > 1u) {
        h->fifo_isr = 1;
        reg_set(&USART3->CR1, USART_CR1_PEIE); /* parity on */
        reg_set(&USART3->CR3, USART_CR3_RXFTIE);
    } else {
        h->fifo_isr = 0;
        reg_set(&USART3->CR1, USART_CR1_PEIE | USART_CR1_RXFNEIE);
    }
}

/* UART_RxISR_8BIT */
static void uart_rx_isr_8bit(struct uart_h *h)
{
    if (!h->rx_busy) {
        USART3->RQR = USART_RQR_RXFRQ;
        return;
    }
    *h->rx_ptr++ = (uint8_t)(USART3->RDR & RX_MASK);
    if (--h->rx_count == 0u) {
        USART3->CR1 &= ~(USART_CR1_RXFNEIE | USART_CR1_PEIE);
        USART3->CR3 &= ~USART_CR3_EIE;
        h->rx_busy = 0;
    }
}

/* UART_RxISR_8BIT_FIFOEN */
static void uart_rx_isr_8bit_fifoen(struct uart_h *h)
{
    if (!h->rx_busy) {
        USART3->RQR = USART_RQR_RXFRQ;
        return;
    }
    uint32_t isr = USART3->ISR;
    for (uint16_t n = h->nb_rx; n > 0u && (isr & USART_ISR_RXFNE); --n) {
        *h->rx_ptr++ = (uint8_t)(USART3->RDR & RX_MASK);
        h->rx_count--;
        isr = USART3->ISR;
        if (h->rx_count == 0u) {
            USART3->CR1 &= ~USART_CR1_PEIE;
            USART3->CR3 &= ~(USART_CR3_EIE | USART_CR3_RXFTIE);
            h->rx_busy = 0;
            return;
        }
    }
    /* Fewer left than the threshold: one interrupt per frame from now on. */
    if (h->rx_count != 0u && h->rx_count < h->nb_rx) {
        USART3->CR3 &= ~USART_CR3_RXFTIE;
        h->fifo_isr = 0;
        USART3->CR1 |= USART_CR1_RXFNEIE;
    }
}

static void uart_rx_isr(struct uart_h *h)
{
    if (h->fifo_isr) {
        uart_rx_isr_8bit_fifoen(h);
    } else {
        uart_rx_isr_8bit(h);
    }
}

/* HAL_UART_IRQHandler, the parts this configuration reaches. */
void USART3_IRQHandler(void)
{
    struct uart_h *h = &s_uart;
    const uint32_t isr = USART3->ISR;
    const uint32_t cr1 = USART3->CR1;
    const uint32_t cr3 = USART3->CR3;
    const int rx_enabled = (cr1 & USART_CR1_RXFNEIE) || (cr3 & USART_CR3_RXFTIE);

    if ((isr & ST_UART_ISR_ERRORS) == 0u && (isr & USART_ISR_RXFNE) && rx_enabled) {
        uart_rx_isr(h);
        return;
    }
    if (st_uart_error_branch(isr, cr1, cr3)) {
        const uint32_t clear = st_uart_clear_errors(USART3, isr, cr1, cr3);
        h->errors |= clear;
        if ((isr & USART_ISR_RXFNE) && rx_enabled) {
            uart_rx_isr(h);
        }
        if (clear & USART_ICR_ORECF) { /* UART_EndRxTransfer: overrun is blocking */
            reg_clear(&USART3->CR1, USART_CR1_RXFNEIE | USART_CR1_PEIE);
            reg_clear(&USART3->CR3, USART_CR3_EIE | USART_CR3_RXFTIE);
            h->rx_busy = 0;
        }
        return;
    }
    if ((isr & USART_ISR_WUF) && (cr3 & USART_CR3_WUFIE)) {
        USART3->ICR = USART_ICR_WUCF; /* then HAL_UARTEx_WakeupCallback (empty) */
        return;
    }
    if ((isr & USART_ISR_RXFF) && (cr1 & USART_CR1_RXFFIE)) {
        return; /* HAL_UARTEx_RxFifoFullCallback (empty) */
    }
}

/* The main loop's "while (HAL_UART_GetState() != HAL_UART_STATE_READY)", bounded. */
static void wait_reception(const char *what)
{
    struct demo_deadline d;
    deadline_start(&d, 60u * WAKEUP_WAIT_MS, 60u * WAKEUP_POLLS);
    while (s_uart.rx_busy) {
        if (deadline_expired(&d)) {
            fail(what);
        }
    }
}

static void report(const char *prefix, uint16_t n)
{
    char line[80];
    uint32_t k = 0;
    for (const char *p = prefix; *p != '\0'; ++p) {
        line[k++] = *p;
    }
    for (uint16_t i = 0; i < n; ++i) {
        line[k++] = (char)s_rx[i];
    }
    line[k++] = '\'';
    line[k++] = '\r';
    line[k++] = '\n';
    line[k] = '\0';
    uart_transmit(line);
}

int main(void)
{
    demo_time_start();
    if (!demo_time_running(WAKEUP_POLLS)) {
        uart_puts("uart_wakeup: SysTick not running\nCM7 done\n");
        cm_idle_forever();
    }
    if (!uart_hal_init(&s_uart)) {
        fail("TEACK/REACK not set");
    }
    uart_fifo_setup(&s_uart);
    uart_transmit("uart_wakeup: UART WakeUp from stop mode using FIFO\r\n");

    /* Part 1: RXFIFO threshold */
    reg_set(&USART3->CR1, USART_CR1_UESM);
    reg_set(&USART3->CR3, USART_CR3_RXFTIE);
    reg_set(&USART3->CR3, USART_CR3_WUFIE);
    uart_transmit("uart_wakeup: part 1: entering Stop, send 4 bytes\r\n");
    uart_receive_it(&s_uart, s_rx, 3u);
    hal_pwr_enter_stop_mode(0, 0); /* HAL_PWR_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI) */
    wait_reception("part 1: reception not complete");
    reg_clear(&USART3->CR3, USART_CR3_WUFIE);
    reg_clear(&USART3->CR3, USART_CR3_RXFTIE);
    reg_clear(&USART3->CR1, USART_CR1_UESM);
    report("uart_wakeup: woke up on the RXFIFO threshold, got '", 3u);

    /* Part 2: RXFIFO full */
    reg_set(&USART3->CR1, USART_CR1_UESM);
    reg_set(&USART3->CR1, USART_CR1_RXFFIE);
    reg_set(&USART3->CR3, USART_CR3_WUFIE);
    uart_transmit("uart_wakeup: part 2: entering Stop, send 16 bytes\r\n");
    uart_receive_it(&s_uart, s_rx, 15u);
    hal_pwr_enter_stop_mode(0, 0); /* HAL_PWR_EnterSTOPMode(PWR_MAINREGULATOR_ON, PWR_STOPENTRY_WFI) */
    wait_reception("part 2: reception not complete");
    reg_clear(&USART3->CR3, USART_CR3_WUFIE);
    reg_clear(&USART3->CR1, USART_CR1_RXFFIE);
    reg_clear(&USART3->CR1, USART_CR1_UESM);
    report("uart_wakeup: woke up on the RXFIFO full, got '", 15u);

    if (s_uart.errors != 0u) {
        uart_printf("uart_wakeup: receive errors (ICR bits 0x%x)\n", (unsigned)s_uart.errors);
    }
    uart_transmit("uart_wakeup: example finished successfully\r\nCM7 done\r\n");
    cm_idle_forever();
}
