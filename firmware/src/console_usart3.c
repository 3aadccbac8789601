/*
 * console_usart3.c - polled console on USART3: STM32H745 (0x40004800) and STM32MP15
 * (0x4000F000), the same USART IP on both.
 *
 * uart_init() follows what ST's HAL does for HAL_UART_Init() on USART3 with
 * 115200 baud, 8 data bits, no parity, 1 stop bit, oversampling 16, no flow control,
 * FIFO disabled, prescaler 1, kernel clock = rcc_pclk1 (64 MHz HSI after reset):
 *   1. RCC_APB1LENR.USART3EN = 1, then read RCC_APB1LENR back (clock-enable delay);
 *      STM32MP15: one write of RCC_MC_APB1ENSETR (M4) or RCC_MP_APB1ENSETR (the core
 *      playing the Cortex-A7) = USART3EN, as the MP1 HAL's __HAL_RCC_USART3_CLK_ENABLE
 *      does on CORE_CM4 / CORE_CA7; kernel clock pclk1 (UART35CKSELR reset value), the
 *      64 MHz HSI after reset
 *   2. CR1.UE = 0
 *   3. CR1: M1=M0=0 (8 bits), PCE=0, PS=0, OVER8=0, FIFOEN=0, TE=1, RE=1
 *   4. CR2: STOP=00 (1 stop bit); CR3: RTSE=CTSE=ONEBIT=0, TXFTCFG=RXFTCFG=0
 *   5. PRESC = 0 (divide by 1); BRR = round(pclk / baud)
 *      (HAL rounds: (64000000 + 57600) / 115200 = 556 = 0x22C)
 *   6. CR2: LINEN=CLKEN=0; CR3: SCEN=HDSEL=IREN=0
 *   7. CR1.UE = 1; poll ISR.TEACK (bit 21), then ISR.REACK (bit 22)
 * uart_putc(): poll ISR.TXE (bit 7), write TDR; after a line, poll ISR.TC (bit 6).
 *
 * Both cores use this same USART3 (it is shared on the chip; the emulator keeps the
 * two cores' output apart).  Exactly one core may run uart_init(): its first step
 * clears UE, which would cut off the other core in the middle of a character.  The
 * other core calls uart_attach(), which waits until the owner has the transmitter
 * running, as ST's dual-core examples let one core own a peripheral's set-up.
 */
#include "console.h"
#include "platform.h"

#if defined(FW_TARGET_MP15)
#include "stm32mp15_regs.h"
#if defined(FW_TARGET_MP15_P1)
#define CONSOLE_CLK_ENABLE() (RCC->MP_APB1ENSETR = RCC_APB1ENSETR_USART3EN)
#else
#define CONSOLE_CLK_ENABLE() (RCC->MC_APB1ENSETR = RCC_APB1ENSETR_USART3EN)
#endif
/* The kernel clock runs while either processor has it enabled. */
#define CONSOLE_CLK_IS_ON() \
    (((RCC->MP_APB1ENSETR | RCC->MC_APB1ENSETR) & RCC_APB1ENSETR_USART3EN) != 0u)
#else
#include "stm32h745_regs.h"
#define CONSOLE_CLK_ENABLE()                    \
    do {                                        \
        RCC->APB1LENR |= RCC_APB1LENR_USART3EN; \
        (void)RCC->APB1LENR;                    \
    } while (0)
#define CONSOLE_CLK_IS_ON() ((RCC->APB1LENR & RCC_APB1LENR_USART3EN) != 0u)
#endif

#ifndef CONSOLE_PCLK_HZ
#define CONSOLE_PCLK_HZ 64000000u
#endif
#ifndef CONSOLE_SPIN_LIMIT
#define CONSOLE_SPIN_LIMIT 200000u   /* polls per flag before giving up */
#endif
#define CONSOLE_SPIN_LIMIT_DEGRADED 64u

#define USART_BRR_OVER16(pclk, baud) (((pclk) + ((baud) / 2u)) / (baud))
_Static_assert(USART_BRR_OVER16(64000000u, 115200u) == 0x22Cu, "BRR for 115200 @ 64 MHz");

#define CONSOLE_UART USART3

static uint32_t s_spin_limit = CONSOLE_SPIN_LIMIT;

/* Poll until (ISR & mask) != 0. Returns 1 on success, 0 on timeout. */
static int wait_isr(uint32_t mask)
{
    for (uint32_t i = 0; i < s_spin_limit; ++i) {
        if (CONSOLE_UART->ISR & mask) {
            return 1;
        }
    }
    s_spin_limit = CONSOLE_SPIN_LIMIT_DEGRADED;
    return 0;
}

void uart_init(void)
{
    s_spin_limit = CONSOLE_SPIN_LIMIT;

    CONSOLE_CLK_ENABLE();

    CONSOLE_UART->CR1 &= ~USART_CR1_UE;

    uint32_t cr1 = CONSOLE_UART->CR1;
    cr1 &= ~(USART_CR1_M0 | USART_CR1_M1 | USART_CR1_PCE | USART_CR1_PS | USART_CR1_TE |
             USART_CR1_RE | USART_CR1_OVER8 | USART_CR1_FIFOEN);
    cr1 |= USART_CR1_TE | USART_CR1_RE;
    CONSOLE_UART->CR1 = cr1;

    CONSOLE_UART->CR2 &= ~USART_CR2_STOP_Msk;
    CONSOLE_UART->CR3 &= ~(USART_CR3_RTSE | USART_CR3_CTSE | USART_CR3_ONEBIT |
                           USART_CR3_TXFTCFG_Msk | USART_CR3_RXFTCFG_Msk);
    CONSOLE_UART->PRESC &= ~USART_PRESC_PRESCALER_Msk;
    CONSOLE_UART->BRR = USART_BRR_OVER16(CONSOLE_PCLK_HZ, CONSOLE_BAUD);

    CONSOLE_UART->CR2 &= ~(USART_CR2_LINEN | USART_CR2_CLKEN);
    CONSOLE_UART->CR3 &= ~(USART_CR3_SCEN | USART_CR3_HDSEL | USART_CR3_IREN);

    CONSOLE_UART->CR1 |= USART_CR1_UE;

    (void)wait_isr(USART_ISR_TEACK);
    (void)wait_isr(USART_ISR_REACK);
}

int uart_attach(void)
{
    /* Generous: the owner may still be in its start-up code. */
    for (uint32_t i = 0; i < 50u * CONSOLE_SPIN_LIMIT; ++i) {
        if ((CONSOLE_UART->CR1 & (USART_CR1_UE | USART_CR1_TE)) == (USART_CR1_UE | USART_CR1_TE) &&
            (CONSOLE_UART->ISR & USART_ISR_TEACK)) {
            s_spin_limit = CONSOLE_SPIN_LIMIT;
            return 1;
        }
    }
    uart_init(); /* nobody owns it: this core is alone */
    return 0;
}

int uart_is_ready(void)
{
    return CONSOLE_CLK_IS_ON() && (CONSOLE_UART->CR1 & USART_CR1_UE) &&
           (CONSOLE_UART->CR1 & USART_CR1_TE);
}

static void put_raw(char c)
{
    (void)wait_isr(USART_ISR_TXE);
    CONSOLE_UART->TDR = (uint8_t)c;
}

void uart_flush(void)
{
    (void)wait_isr(USART_ISR_TC);
}

void uart_putc(char c)
{
    if (c == '\n') {
        put_raw('\r');
        put_raw('\n');
        uart_flush();
    } else {
        put_raw(c);
    }
}

void uart_emergency_puts(const char *s)
{
    if (!uart_is_ready()) {
        uart_init();
    }
    s_spin_limit = CONSOLE_SPIN_LIMIT_DEGRADED * 16u;
    uart_puts(s);
}
