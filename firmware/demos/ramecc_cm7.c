/*
 * ramecc_cm7.c (CM7) - what an application that watches its RAMs with the RAMECC
 * monitors does (ST's RAMECC HAL driver, stm32h7xx_hal_ramecc.c), register for
 * register as the HAL does it, on every monitor of the STM32H745 (RM0399 "RAM ECC
 * monitoring"): RAMECC1 (D1, 0x52009000, 5 monitors), RAMECC2 (D2, 0x48023000,
 * 5 monitors), RAMECC3 (D3, 0x58027000, 2 monitors); ECC_IRQn 145.
 *   HAL_RAMECC_Init: MxCR.ECCELEN = 0, IER &= ~(GIE | GECCSEIE | GECCDEIE |
 *     GECCDEBWIE), MxCR &= ~(ECCSEIE | ECCDEIE | ECCDEBWIE), MxSR &= ~all flags.
 *   HAL_RAMECC_EnableNotification(RAMECC_IT_MONITOR_ALL): MxCR |= ECCSEIE |
 *     ECCDEIE | ECCDEBWIE; (RAMECC_IT_GLOBAL_ENABLE): IER |= GIE.
 *   HAL_RAMECC_StartMonitor: MxCR |= ECCELEN.
 *   NVIC: ECC_IRQn enabled; ECC_IRQHandler counts (HAL_RAMECC_IRQHandler clears
 *     the enabled flags it finds).
 * Then word, half-word and byte writes with read-back over 4 KiB of AXI SRAM,
 * SRAM1, SRAM2, SRAM3 and SRAM4, and every monitor's SR and FAR read
 * (HAL_RAMECC_IsECCSingleErrorDetected / IsECCDoubleErrorDetected /
 * GetFailingAddress).  The emulated RAMs have no bit errors, so:
 *   "ramecc: 12 monitors started, 5 RAMs x 4096 bytes checked, 0 ECC errors, 0 ECC interrupts"
 *   "CM7 done"
 * A flag, a failing address, an interrupt or a read-back mismatch prints
 * "ramecc: ... error" instead.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"

struct ramecc_monitor {
    volatile uint32_t CR, SR, FAR, FDRL, FDRH, FECR;
};
#define RAMECC_MONITOR(base, x) ((struct ramecc_monitor *)((base) + 0x20u * (x)))
#define RAMECC_IER(base)        (*(volatile uint32_t *)(base))
#define RAMECC1_BASE 0x52009000u
#define RAMECC2_BASE 0x48023000u
#define RAMECC3_BASE 0x58027000u
#define RAMECC_IER_GIE        (1u << 0)
#define RAMECC_IER_GECCSEIE   (1u << 1)
#define RAMECC_IER_GECCDEIE   (1u << 2)
#define RAMECC_IER_GECCDEBWIE (1u << 3)
#define RAMECC_CR_ECCSEIE     (1u << 2)
#define RAMECC_CR_ECCDEIE     (1u << 3)
#define RAMECC_CR_ECCDEBWIE   (1u << 4)
#define RAMECC_CR_ECCELEN     (1u << 5)
#define RAMECC_SR_SEDCF       (1u << 0)
#define RAMECC_SR_DEDF        (1u << 1)
#define RAMECC_SR_DEBWDF      (1u << 2)
#define RAMECC_FLAGS_ALL      (RAMECC_SR_SEDCF | RAMECC_SR_DEDF | RAMECC_SR_DEBWDF)
#define ECC_IRQn 145u

static const struct {
    uint32_t base;
    unsigned monitors;
} s_units[3] = {{RAMECC1_BASE, 5u}, {RAMECC2_BASE, 5u}, {RAMECC3_BASE, 2u}};

/* 4 KiB at the top of each RAM the CM7 does not use itself. */
static const uint32_t s_rams[5] = {0x2407F000u, 0x3001F000u, 0x3003F000u, 0x30047000u, 0x3800F000u};
#define RAM_BYTES 4096u

static volatile unsigned s_ecc_irqs;

void ECC_IRQHandler(void);
void ECC_IRQHandler(void)
{
    /* HAL_RAMECC_IRQHandler per monitor: clear the flags whose interrupt is enabled. */
    s_ecc_irqs++;
    for (unsigned u = 0; u < 3u; u++) {
        for (unsigned x = 1; x <= s_units[u].monitors; x++) {
            struct ramecc_monitor *m = RAMECC_MONITOR(s_units[u].base, x);
            m->SR &= ~m->SR;
        }
    }
}

static void fail(const char *what, uint32_t a, uint32_t b)
{
    uart_printf("ramecc: %s error (0x%08x, 0x%08x)\n", what, (unsigned)a, (unsigned)b);
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

static void hal_ramecc_init(uint32_t base, struct ramecc_monitor *m)
{
    m->CR &= ~RAMECC_CR_ECCELEN;
    RAMECC_IER(base) &= ~(RAMECC_IER_GIE | RAMECC_IER_GECCSEIE | RAMECC_IER_GECCDEIE | RAMECC_IER_GECCDEBWIE);
    m->CR &= ~(RAMECC_CR_ECCSEIE | RAMECC_CR_ECCDEIE | RAMECC_CR_ECCDEBWIE);
    m->SR &= ~RAMECC_FLAGS_ALL;
}

static void check_ram(uint32_t addr)
{
    volatile uint32_t *w = (volatile uint32_t *)addr;
    volatile uint16_t *h = (volatile uint16_t *)addr;
    volatile uint8_t *b = (volatile uint8_t *)addr;
    for (uint32_t i = 0; i < RAM_BYTES / 4u; i++) {
        w[i] = addr ^ (i * 0x9E3779B9u);
    }
    for (uint32_t i = 0; i < RAM_BYTES / 4u; i++) {
        if (w[i] != (addr ^ (i * 0x9E3779B9u))) {
            fail("word read-back", addr + 4u * i, w[i]);
        }
    }
    for (uint32_t i = 0; i < RAM_BYTES / 2u; i += 7u) { /* half-words and bytes: ECC read-modify-write */
        h[i] = (uint16_t)(i * 3u);
        if (h[i] != (uint16_t)(i * 3u)) {
            fail("half-word read-back", addr + 2u * i, h[i]);
        }
    }
    for (uint32_t i = 0; i < RAM_BYTES; i += 5u) {
        b[i] = (uint8_t)i;
        if (b[i] != (uint8_t)i) {
            fail("byte read-back", addr + i, b[i]);
        }
    }
}

int main(void)
{
    uart_init();
    unsigned started = 0;
    for (unsigned u = 0; u < 3u; u++) {
        for (unsigned x = 1; x <= s_units[u].monitors; x++) {
            struct ramecc_monitor *m = RAMECC_MONITOR(s_units[u].base, x);
            hal_ramecc_init(s_units[u].base, m);
            m->CR |= RAMECC_CR_ECCSEIE | RAMECC_CR_ECCDEIE | RAMECC_CR_ECCDEBWIE;
            m->CR |= RAMECC_CR_ECCELEN;
            if ((m->CR & 0x3Cu) != 0x3Cu) {
                fail("CR read-back", s_units[u].base + 0x20u * x, m->CR);
            }
            started++;
        }
        RAMECC_IER(s_units[u].base) |= RAMECC_IER_GIE;
    }
    nvic_clear_pending(ECC_IRQn);
    nvic_enable_irq(ECC_IRQn);
    for (unsigned r = 0; r < 5u; r++) {
        check_ram(s_rams[r]);
    }
    unsigned errors = 0;
    for (unsigned u = 0; u < 3u; u++) {
        for (unsigned x = 1; x <= s_units[u].monitors; x++) {
            struct ramecc_monitor *m = RAMECC_MONITOR(s_units[u].base, x);
            if (m->SR & RAMECC_FLAGS_ALL) {
                errors++;
                uart_printf("ramecc: monitor %u of RAMECC%u flags 0x%x at 0x%08x\n", x, u + 1u,
                            (unsigned)m->SR, (unsigned)m->FAR);
            } else if (m->FAR != 0u) {
                fail("failing address without a flag", s_units[u].base + 0x20u * x, m->FAR);
            }
        }
    }
    uart_printf("ramecc: %u monitors started, 5 RAMs x %u bytes checked, %u ECC errors, %u ECC interrupts\n",
                started, RAM_BYTES, errors, s_ecc_irqs);
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}
