/*
 * bench_kernels.h - the measured loops, in inline assembly so the executed
 * instruction count is exact and independent of compiler version or -O level.
 */
#ifndef AMPVP_BENCH_KERNELS_H
#define AMPVP_BENCH_KERNELS_H

#include <stdint.h>

/* CPU-bound loop: BENCH_LOOP_INSNS_PER_ITER instructions per iteration, all 16-bit
 * Thumb, no memory access:
 *     1:  adds  a, a, #1
 *         eors  b, b, a
 *         adds  c, c, b
 *         subs  n, n, #1
 *         bne   1b
 * Total executed in the loop = iterations * 5 (the last bne falls through). */
#define BENCH_LOOP_INSNS_PER_ITER 5u

static inline uint32_t bench_cpu_loop(uint32_t iterations)
{
    uint32_t a = 0, b = 0, c = 0;
    __asm volatile(
        "1:\n\t"
        "adds %[a], %[a], #1\n\t"
        "eors %[b], %[b], %[a]\n\t"
        "adds %[c], %[c], %[b]\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne  1b\n\t"
        : [n] "+l"(iterations), [a] "+l"(a), [b] "+l"(b), [c] "+l"(c)
        :
        : "cc");
    return c; /* keeps the work observable */
}

/* MMIO read loop: BENCH_MMIO_INSNS_PER_ITER instructions and exactly one 32-bit load
 * from `reg` per iteration:
 *     1:  ldr   t, [reg]
 *         subs  n, n, #1
 *         bne   1b                                                                  */
#define BENCH_MMIO_INSNS_PER_ITER 3u

static inline uint32_t bench_mmio_loop(const volatile uint32_t *reg, uint32_t reads)
{
    uint32_t t = 0;
    __asm volatile(
        "1:\n\t"
        "ldr  %[t], [%[r]]\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne  1b\n\t"
        : [n] "+l"(reads), [t] "=&l"(t)
        : [r] "l"(reg)
        : "cc", "memory");
    return t;
}

#endif /* AMPVP_BENCH_KERNELS_H */
