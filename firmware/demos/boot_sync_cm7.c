/*
 * boot_sync_cm7.c - ST's dual-core boot handshake, Cortex-M7 side (ampvp's own code,
 * written from RM0399 register facts; same register sequence as ST's templates).
 *
 *   1. Spin until RCC_CR.D2CKRDY (bit 15) reads 0, i.e. the CM4 sits in D2 STOP.
 *      ST's templates allow 0xFFFF polls; we poll 0xFFFF times and then up to
 *      BOOT_SYNC_EXTRA_SPIN more (CMake, default 2,000,000): under emulation the two
 *      cores are separate processes whose start-up is not in lock step, so the CM4 may
 *      reach its WFE well after the CM7 started polling. On timeout:
 *      "CM7: CM4 never entered D2 STOP", then stop (WFI; like ST's Error_Handler).
 *   2. uart_init(); "CM7: CM4 is in D2 STOP (D2CKRDY=0)"
 *   3. RCC_AHB4ENR |= HSEMEN, read back; 1-step lock of HSEM 0 (read HSEM_RLR0, must
 *      be 0x80000300 = locked by COREID 3, else
 *      "CM7: HSEM 0 1-step lock failed (RLR0=0x<value>)"), then release it (HSEM_R0 =
 *      0x00000300). Freeing semaphore 0 notifies the CM4 (its C2IER bit 0): HSEM2 IRQ
 *      pending -> SEVONPEND event -> its WFE returns and D2 leaves STOP.
 *      BOOT_SYNC_NO_RELEASE (boot_sync_norelease_cm7.elf) skips the take/release and
 *      prints "CM7: not releasing HSEM 0 (negative test)": the CM4 must stay asleep.
 *   4. Spin (same budget) until D2CKRDY reads 1: "CM7: CM4 woke up (D2CKRDY=1)", or on
 *      timeout "CM7: CM4 still in D2 STOP" (the expected line of the negative test).
 *   5. "CM7 done", WFI forever.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "hsem.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef BOOT_SYNC_EXTRA_SPIN
#error "BOOT_SYNC_EXTRA_SPIN must be defined (CMake variable)"
#endif

#define BOOT_SYNC_SEMAPHORE 0u
#define BOOT_SYNC_ST_SPIN   0xFFFFu  /* the bound ST's templates use */

/* Poll RCC_CR until D2CKRDY reads `want`: 0xFFFF polls, then BOOT_SYNC_EXTRA_SPIN more.
 * Returns 1 if it did. */
static int wait_d2ckrdy(uint32_t want)
{
    for (uint32_t i = 0; i < BOOT_SYNC_ST_SPIN; ++i) {
        if (((RCC->CR & RCC_CR_D2CKRDY) != 0u) == (want != 0u)) {
            return 1;
        }
    }
#if BOOT_SYNC_EXTRA_SPIN > 0
    for (uint32_t i = 0; i < (uint32_t)BOOT_SYNC_EXTRA_SPIN; ++i) {
        if (((RCC->CR & RCC_CR_D2CKRDY) != 0u) == (want != 0u)) {
            return 1;
        }
    }
#endif
    return 0;
}

#if defined(BOOT_SYNC_TIM6_MS)
#define TIM6_REG(off) (*(volatile uint32_t *)(0x40001000u + (off)))
#define RCC_TIM6_REG_APB1LENR (*(volatile uint32_t *)0x580244E8u)
static volatile uint32_t tim6_ticks;
void TIM6_DAC_IRQHandler(void);
void TIM6_DAC_IRQHandler(void)
{
    if (TIM6_REG(0x10) & 1u) {
        TIM6_REG(0x10) = ~1u; /* rc_w0: clear UIF only */
        tim6_ticks++;
    }
}
#endif

int main(void)
{
    if (!wait_d2ckrdy(0u)) {
        uart_init();
        uart_puts("CM7: CM4 never entered D2 STOP\n");
        fw_finish();
    }

    uart_init();
    uart_puts("CM7: CM4 is in D2 STOP (D2CKRDY=0)\n");

#if defined(BOOT_SYNC_TIM6_MS)
    /* ST's FreeRTOS AMP projects: the CM7's HAL time base is TIM6 (1 kHz, IRQ 54, wired
     * to both cores' NVICs) and runs while the CM4 sits in D2 STOP.  The CM4's clock is
     * stopped (CStop): TIM6 is no EXTI input, so it must not wake it, not even through
     * SEVONPEND.  Count BOOT_SYNC_TIM6_MS ticks (HAL_Delay) before releasing. */
    RCC_TIM6_REG_APB1LENR |= 1u << 4; /* TIM6EN */
    (void)RCC_TIM6_REG_APB1LENR;
    TIM6_REG(0x28) = 64000000u / 1000000u - 1u; /* PSC: 1 MHz (TIMxCLK 64 MHz at reset) */
    TIM6_REG(0x2C) = 999u;                      /* ARR: 1 ms */
    TIM6_REG(0x14) = 1u;                        /* EGR.UG */
    TIM6_REG(0x10) = 0u;
    TIM6_REG(0x0C) = 1u;                        /* DIER.UIE */
    nvic_enable_irq(54);
    TIM6_REG(0x00) = 1u;                        /* CR1.CEN */
    while (tim6_ticks < (uint32_t)BOOT_SYNC_TIM6_MS) {
        cm_wfi();
    }
    uart_printf("CM7: %u TIM6 ticks while the CM4 stayed in D2 STOP (D2CKRDY=%u)\n",
                (unsigned)BOOT_SYNC_TIM6_MS, (unsigned)((RCC->CR & RCC_CR_D2CKRDY) != 0u));
#endif

    hsem_clock_enable();
#if defined(BOOT_SYNC_NO_RELEASE)
    uart_puts("CM7: not releasing HSEM 0 (negative test)\n");
#else
    uint32_t rlr = hsem_fast_take_raw(BOOT_SYNC_SEMAPHORE);
    if (rlr != hsem_locked_value(HSEM_COREID_CM7, 0u)) {
        uart_printf("CM7: HSEM 0 1-step lock failed (RLR0=0x%08x)\n", (unsigned)rlr);
    }
    hsem_release(BOOT_SYNC_SEMAPHORE, HSEM_COREID_CM7, 0u);
#endif

    if (wait_d2ckrdy(1u)) {
        uart_puts("CM7: CM4 woke up (D2CKRDY=1)\n");
    } else {
        uart_puts("CM7: CM4 still in D2 STOP\n");
    }

    uart_puts("CM7 done\n");
    fw_finish();
}
