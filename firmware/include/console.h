/*
 * console.h - tiny polled console on the board UART.
 *
 * STM32H745 images: USART3 (0x40004800), initialised the way ST's HAL does it for
 * 115200 8N1, oversampling 16, kernel clock = PCLK1 = 64 MHz (HSI, reset clocks).
 * MPS2 images: CMSDK APB UART0 (0x40004000), which QEMU connects to its serial 0.
 *
 * Every wait on a status flag is bounded (CONSOLE_SPIN_LIMIT polls); after the first
 * timeout the console switches to a short limit so a missing flag model cannot stall
 * the program for long (the character is written anyway: best effort).
 */
#ifndef AMPVP_CONSOLE_H
#define AMPVP_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

#define CONSOLE_BAUD 115200u

/* Enable the UART clock, configure 115200 8N1, enable TX+RX, wait TEACK/REACK. */
void uart_init(void);
/* For the core that does not own the UART: wait until the owner's uart_init() has
 * the transmitter running, then print through it without touching its set-up.
 * Returns 1, or 0 if no owner showed up and this core initialised it itself. */
int uart_attach(void);
/* 1 once uart_init() has run (and the UART is still enabled). */
int uart_is_ready(void);
/* Send one character (wait TXE, write TDR). '\n' is sent as "\r\n", followed by a
 * wait for TC (transmission complete), so every finished line is really out. */
void uart_putc(char c);
void uart_puts(const char *s);
/* Wait until the last character left the shift register (ISR.TC). */
void uart_flush(void);
/* printf subset: %s %c %d %i %u %x %X %p %%, flags '0' '-', a width, 'l' accepted. */
void uart_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void uart_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* For fault handlers: initialise the UART if nobody did, then print. */
void uart_emergency_puts(const char *s);

/* Formatter core, shared by all back ends: output goes through uart_putc(). */
void console_vformat(void (*put)(char), const char *fmt, va_list ap);

#endif /* AMPVP_CONSOLE_H */
