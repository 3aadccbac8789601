/*
 * console_cmsdk.c - polled console on the MPS2 CMSDK APB UART0 (0x40004000), which
 * stock QEMU's mps2-an500 connects to its first serial port (stdout with -nographic).
 * Same API as the USART3 console so the benchmark sources are shared.
 */
#include "console.h"

struct cmsdk_uart {
    volatile uint32_t DATA;      /* 0x00 */
    volatile uint32_t STATE;     /* 0x04 bit0 TX buffer full, bit1 RX buffer full */
    volatile uint32_t CTRL;      /* 0x08 bit0 TX enable, bit1 RX enable            */
    volatile uint32_t INTSTATUS; /* 0x0C */
    volatile uint32_t BAUDDIV;   /* 0x10 (>= 16)                                    */
};
#define CMSDK_UART0 ((struct cmsdk_uart *)0x40004000u)
#define CMSDK_UART_STATE_TXFULL (1u << 0)
#define CMSDK_UART_CTRL_TXEN    (1u << 0)
#define CMSDK_UART_CTRL_RXEN    (1u << 1)
#define CMSDK_SPIN_LIMIT        200000u

void uart_init(void)
{
    CMSDK_UART0->BAUDDIV = 25000000u / CONSOLE_BAUD;
    CMSDK_UART0->CTRL = CMSDK_UART_CTRL_TXEN | CMSDK_UART_CTRL_RXEN;
}

int uart_is_ready(void)
{
    return (CMSDK_UART0->CTRL & CMSDK_UART_CTRL_TXEN) != 0;
}

static void put_raw(char c)
{
    for (uint32_t i = 0; i < CMSDK_SPIN_LIMIT; ++i) {
        if (!(CMSDK_UART0->STATE & CMSDK_UART_STATE_TXFULL)) {
            break;
        }
    }
    CMSDK_UART0->DATA = (uint8_t)c;
}

void uart_flush(void)
{
}

void uart_putc(char c)
{
    if (c == '\n') {
        put_raw('\r');
    }
    put_raw(c);
}

void uart_emergency_puts(const char *s)
{
    if (!uart_is_ready()) {
        uart_init();
    }
    uart_puts(s);
}
