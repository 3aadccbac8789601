/*
 * lone_run_cm7.c - a core running alone in deterministic mode (docs/determinism.md,
 * protocol 2.6 GRANT). With the option byte BCM4 = 0 the CM4 stays in reset, so the
 * CM7 runs alone and need not stop at every quantum end. Between long computations
 * (no bus access: nothing for the hub to do) it makes the three kinds of events that
 * must still land at a quantum end, and counts its own loop turns until each reached
 * it:
 *   1. its own EXTI0 interrupt: C1IMR1 bit 0, then SWIER1 bit 0 (a posted write; the
 *      hub raises NVIC line 6 on the async channel);
 *   2. TIM6 one-pulse, 1 MHz, ARR 999 (1 ms), UIE: a model timer set during the run;
 *   3. the release of the gated CM4 (RCC_GCR.BOOT_C2), which writes
 *      boot_released_running in SRAM4 as it starts.
 * Each count says when, in virtual time, the event reached the CM7: a run with
 * --lone-run 0 (a stop at every quantum end) and one with grants print the same.
 *
 *   ampvp run --machine stm32h745 --option-byte bcm4=0 --deterministic \
 *             --cm7 lone_run_cm7.elf --cm4 lone_run_cm4.elf
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "shared_layout.h"
#include "stm32h745_regs.h"

AMPVP_SHARED_DEFINE();

#define TIM6_REG(off) (*(volatile uint32_t *)(0x40001000u + (off)))
#define EXTI0_IRQ 6u
#define TIM6_IRQ 54u
#define WORK 400000u     /* LCG steps between the events: ~4 instructions each */
#define SPIN 100000000u  /* bound on each wait */

static volatile uint32_t exti0_taken, tim6_taken;

void EXTI0_IRQHandler(void);
void TIM6_DAC_IRQHandler(void);
void EXTI0_IRQHandler(void)
{
    EXTI->C1PR1 = 1u; /* rc_w1: the line's pending bit */
    exti0_taken = 1u;
}
void TIM6_DAC_IRQHandler(void)
{
    TIM6_REG(0x10) = ~1u; /* SR: clear UIF (rc_w0) */
    tim6_taken = 1u;
}

static uint32_t compute(uint32_t x)
{
    for (uint32_t i = 0; i < WORK; i++) {
        x = x * 1103515245u + 12345u;
    }
    return x;
}

static uint32_t turns_until(volatile uint32_t *flag, uint32_t value)
{
    uint32_t n = 0;
    while (*flag != value && n < SPIN) {
        n++;
    }
    return n;
}

int main(void)
{
    uart_init();
    uart_puts("lone_run: CM7 alone, CM4 gated\n");
    uint32_t x = compute(1u);

    EXTI->C1IMR1 |= 1u;
    NVIC->IPR[EXTI0_IRQ] = 0x00;
    nvic_enable_irq(EXTI0_IRQ);
    EXTI->SWIER1 = 1u;
    const uint32_t n_exti = turns_until(&exti0_taken, 1u);
    x = compute(x);

    RCC->APB1LENR |= RCC_APB1LENR_TIM6EN;
    (void)RCC->APB1LENR;
    TIM6_REG(0x28) = 64000000u / 1000000u - 1u; /* PSC: 1 MHz (TIMxCLK 64 MHz at reset) */
    TIM6_REG(0x2C) = 999u;                      /* ARR: 1 ms */
    TIM6_REG(0x14) = 1u;                        /* EGR.UG: load PSC */
    TIM6_REG(0x10) = 0u;                        /* SR: clear the UIF UG set */
    TIM6_REG(0x0C) = 1u;                        /* DIER.UIE */
    NVIC->IPR[TIM6_IRQ] = 0x00;
    nvic_enable_irq(TIM6_IRQ);
    TIM6_REG(0x00) = (1u << 3) | 1u;            /* CR1: OPM, CEN */
    const uint32_t n_tim6 = turns_until(&tim6_taken, 1u);
    x = compute(x);

    ampvp_shared.boot_released_running = 0u;
    RCC->GCR |= RCC_GCR_BOOT_C2;
    const uint32_t n_cm4 = turns_until(&ampvp_shared.boot_released_running, SHARED_READY_MAGIC);

    uart_printf("lone_run: EXTI0 after %u turns, TIM6 after %u, CM4 after %u (x %08x)\n",
                (unsigned)n_exti, (unsigned)n_tim6, (unsigned)n_cm4, (unsigned)x);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
