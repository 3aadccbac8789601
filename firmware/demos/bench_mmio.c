/*
 * bench_mmio.c - cost of one peripheral register read (ampvp, STM32H745 CM7).
 *
 * Reads USART3_ISR (0x4000481C) N times (N = BENCH_READS, CMake BENCH_MMIO_COUNTS),
 * 3 instructions and one 32-bit load per iteration (see bench_kernels.h). Build two N
 * and subtract: cost per read = (t_long - t_short) / (N_long - N_short).
 *
 * Prints:  "mmio start"
 *          "mmio done reads=<N>"
 * then sits in WFI.
 */
#include <stdint.h>

#include "bench_kernels.h"
#include "console.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef BENCH_READS
#error "BENCH_READS must be defined (CMake BENCH_MMIO_COUNTS)"
#endif
_Static_assert(BENCH_READS > 0u && BENCH_READS <= 0xFFFFFFFFu, "read count");

volatile uint32_t g_bench_sink;

int main(void)
{
    uart_init();
    uart_puts("mmio start\n");
    g_bench_sink = bench_mmio_loop(&USART3->ISR, (uint32_t)BENCH_READS);
    uart_printf("mmio done reads=%u\n", (unsigned)BENCH_READS);
    fw_finish();
}
