/* Polled USART3 console, shared by both cores; the CM7 sets it up. */
#include "board.h"

void uart_init(void)
{
    RCC_APB1LENR |= RCC_APB1LENR_USART3EN;
    (void)RCC_APB1LENR;
    USART3_CR1 = 0;
    USART3_BRR = (64000000u + 57600u) / 115200u;
    USART3_CR1 = USART_CR1_TE | USART_CR1_UE;
    while (!(USART3_ISR & USART_ISR_TEACK)) {
    }
}

void uart_attach(void)
{
    while ((USART3_CR1 & (USART_CR1_UE | USART_CR1_TE)) != (USART_CR1_UE | USART_CR1_TE) ||
           !(USART3_ISR & USART_ISR_TEACK)) {
    }
}

static void putc_raw(char c)
{
    while (!(USART3_ISR & USART_ISR_TXE)) {
    }
    USART3_TDR = (uint8_t)c;
}

void uart_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') {
            putc_raw('\r');
        }
        putc_raw(*s);
    }
    while (!(USART3_ISR & USART_ISR_TC)) {
    }
}

void uart_puthex(uint32_t v)
{
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++) {
        buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    }
    buf[10] = 0;
    uart_puts(buf);
}
