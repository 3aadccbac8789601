/*
 * bench_loop.c - CPU-bound loop for measuring guest MIPS.
 *
 * Built as bench_loop_cm7_<N>.elf (ampvp, STM32H745 CM7, USART3 console, then WFI) and
 * bench_loop_mps2_<N>.elf (stock qemu-system-arm -M mps2-an500, CMSDK UART0 console,
 * then semihosting SYS_EXIT). N = BENCH_ITERATIONS, set by CMake (BENCH_LOOP_COUNTS).
 * Run two N and subtract to remove start-up cost:
 *     MIPS = (N_long - N_short) * 5 / (t_long - t_short) / 1e6
 *
 * Prints:  "bench start"
 *          "bench done iterations=<N> instructions_per_iteration=5"
 */
#include <stdint.h>

#include "bench_kernels.h"
#include "console.h"
#include "platform.h"

#ifndef BENCH_ITERATIONS
#error "BENCH_ITERATIONS must be defined (CMake BENCH_LOOP_COUNTS)"
#endif
_Static_assert(BENCH_ITERATIONS > 0u && BENCH_ITERATIONS <= 0xFFFFFFFFu, "iteration count");

volatile uint32_t g_bench_sink;

int main(void)
{
    uart_init();
    uart_puts("bench start\n");
    g_bench_sink = bench_cpu_loop((uint32_t)BENCH_ITERATIONS);
    uart_printf("bench done iterations=%u instructions_per_iteration=%u\n",
                (unsigned)BENCH_ITERATIONS, (unsigned)BENCH_LOOP_INSNS_PER_ITER);
    fw_finish();
}
