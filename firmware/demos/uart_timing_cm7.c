/*
 * uart_timing_cm7.c (CM7) - how long HAL_UART_Transmit of N bytes takes on USART3, timed
 * with SysTick.  RM0399 "USART transmitter": a frame of 8N1 is 10 bits (start, 8 data,
 * stop) of 1/baud each, and TDR plus the shift register let the next byte follow without
 * a gap; with oversampling 16 the baud rate is usart_ker_ck / BRR (RM0399 "USART baud rate
 * generation"), so a frame lasts exactly 10 * BRR kernel clock cycles.
 *
 * The console (uart_init: 115200 8N1, BRR = 556 at the 64 MHz rcc_pclk1 after reset, the
 * CPU clock too) prints the results.  Each measurement, for a BRR:
 *   - reprograms USART3 as HAL_UART_Init does (UE = 0, BRR, UE = 1, wait TEACK);
 *   - starts SysTick on the processor clock, no interrupt, RVR = 0xFFFFFF (24 bits: up to
 *     262 ms at 64 MHz) and reads CVR;
 *   - sends UART_TIMING_BYTES bytes (a line of digits ending in CR LF) as HAL_UART_Transmit
 *     does: for each byte poll ISR.TXE (UART_WaitOnFlagUntilTimeout), write TDR; then
 *     poll ISR.TC;
 *   - reads CVR again.
 * Then prints, at 115200 again:
 *   "uart_timing: <n> bytes at BRR <brr>: <cycles> cycles, expected <10 * brr * n>"
 * for BRR 556 (115108 baud) and BRR 1667 (38392 baud), then "CM7 done".  The digits line
 * itself reaches the console as "[cm7] 0123456789...".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef UART_TIMING_BYTES
#define UART_TIMING_BYTES 100u
#endif

#define POLL_LIMIT 10000000u

/* HAL_UART_Transmit's loop: TXE before each byte, TC at the end.  0 on a timeout. */
static int hal_uart_transmit(const uint8_t *data, uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t polls = 0;
        while (!(USART3->ISR & USART_ISR_TXE)) {
            if (++polls >= POLL_LIMIT) {
                return 0;
            }
        }
        USART3->TDR = data[i];
    }
    uint32_t polls = 0;
    while (!(USART3->ISR & USART_ISR_TC)) {
        if (++polls >= POLL_LIMIT) {
            return 0;
        }
    }
    return 1;
}

/* HAL_UART_Init's order for a new baud rate: UE = 0, BRR, UE = 1, TEACK. */
static void set_brr(uint32_t brr)
{
    USART3->CR1 &= ~USART_CR1_UE;
    USART3->BRR = brr;
    USART3->CR1 |= USART_CR1_UE;
    for (uint32_t i = 0; i < POLL_LIMIT && !(USART3->ISR & USART_ISR_TEACK); ++i) {
    }
}

static uint8_t s_line[UART_TIMING_BYTES];

/* Cycles SysTick counted while HAL_UART_Transmit sent the line at `brr`; 0 on a timeout. */
static uint32_t measure(uint32_t brr)
{
    set_brr(brr);
    SYSTICK->CSR = 0u;
    SYSTICK->RVR = 0x00FFFFFFu;
    SYSTICK->CVR = 0u;
    SYSTICK->CSR = SYSTICK_CSR_CLKSOURCE | SYSTICK_CSR_ENABLE;
    const uint32_t t0 = SYSTICK->CVR;
    const int ok = hal_uart_transmit(s_line, UART_TIMING_BYTES);
    const uint32_t t1 = SYSTICK->CVR;
    SYSTICK->CSR = 0u;
    set_brr(556u); /* the console's 115200 */
    return ok ? ((t0 - t1) & 0x00FFFFFFu) : 0u;
}

int main(void)
{
    uart_init();
    for (uint32_t i = 0; i + 2u < UART_TIMING_BYTES; ++i) {
        s_line[i] = (uint8_t)('0' + i % 10u);
    }
    s_line[UART_TIMING_BYTES - 2u] = '\r';
    s_line[UART_TIMING_BYTES - 1u] = '\n';
    uart_puts("uart_timing: start\n");
    static const uint32_t brrs[] = {556u, 1667u};
    for (unsigned k = 0; k < sizeof(brrs) / sizeof(brrs[0]); ++k) {
        const uint32_t cycles = measure(brrs[k]);
        uart_printf("uart_timing: %u bytes at BRR %u: %u cycles, expected %u\n",
                    (unsigned)UART_TIMING_BYTES, (unsigned)brrs[k], (unsigned)cycles,
                    (unsigned)(10u * brrs[k] * UART_TIMING_BYTES));
    }
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}
