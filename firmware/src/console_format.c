/*
 * console_format.c - a small printf subset for the console (no newlib stdio).
 * Conversions: %s %c %d %i %u %x %X %p %%; flags '0' and '-'; a decimal width;
 * 'l' / 'h' length modifiers are accepted (all integers are 32 bits here).
 */
#include <stdint.h>

#include "console.h"

static void emit_padded(void (*put)(char), const char *s, unsigned len, int width,
                        char pad, int left)
{
    int fill = width > (int)len ? width - (int)len : 0;
    if (!left) {
        while (fill-- > 0) {
            put(pad);
        }
    }
    for (unsigned i = 0; i < len; ++i) {
        put(s[i]);
    }
    if (left) {
        while (fill-- > 0) {
            put(' ');
        }
    }
}

static void emit_number(void (*put)(char), uint32_t v, unsigned base, int upper, int negative,
                        int width, char pad, int left)
{
    char buf[12];
    unsigned n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[sizeof buf - 1 - n++] = digits[v % base];
        v /= base;
    } while (v != 0u);
    if (negative) {
        if (pad == '0' && !left) {
            /* sign before the zero padding: "-0042" */
            put('-');
            width = width > 0 ? width - 1 : 0;
        } else {
            buf[sizeof buf - 1 - n++] = '-';
        }
    }
    emit_padded(put, &buf[sizeof buf - n], n, width, pad, left);
}

void console_vformat(void (*put)(char), const char *fmt, va_list ap)
{
    for (; *fmt; ++fmt) {
        if (*fmt != '%') {
            put(*fmt);
            continue;
        }
        ++fmt;
        char pad = ' ';
        int left = 0;
        int width = 0;
        for (;; ++fmt) {
            if (*fmt == '0') {
                pad = '0';
            } else if (*fmt == '-') {
                left = 1;
            } else {
                break;
            }
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        int is_long = 0;
        while (*fmt == 'l' || *fmt == 'h') {
            is_long |= (*fmt == 'l');
            ++fmt;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int32_t v = is_long ? (int32_t)va_arg(ap, long) : (int32_t)va_arg(ap, int);
            uint32_t mag = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
            emit_number(put, mag, 10u, 0, v < 0, width, pad, left);
            break;
        }
        case 'u':
            emit_number(put, is_long ? (uint32_t)va_arg(ap, unsigned long) : va_arg(ap, unsigned),
                        10u, 0, 0, width, pad, left);
            break;
        case 'x':
        case 'X':
            emit_number(put, is_long ? (uint32_t)va_arg(ap, unsigned long) : va_arg(ap, unsigned),
                        16u, *fmt == 'X', 0, width, pad, left);
            break;
        case 'p':
            put('0');
            put('x');
            emit_number(put, (uint32_t)(uintptr_t)va_arg(ap, void *), 16u, 0, 0, 8, '0', 0);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            emit_padded(put, &c, 1u, width, ' ', left);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == 0) {
                s = "(null)";
            }
            unsigned len = 0;
            while (s[len]) {
                ++len;
            }
            emit_padded(put, s, len, width, ' ', left);
            break;
        }
        case '%':
            put('%');
            break;
        case '\0':
            return;
        default: /* unknown conversion: show it as written */
            put('%');
            put(*fmt);
            break;
        }
    }
}

static void put_console(char c)
{
    uart_putc(c);
}

void uart_vprintf(const char *fmt, va_list ap)
{
    console_vformat(put_console, fmt, ap);
}

void uart_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uart_vprintf(fmt, ap);
    va_end(ap);
}

/* Shared by every back end: only uart_putc() differs. */
void uart_puts(const char *s)
{
    while (*s) {
        uart_putc(*s++);
    }
}
