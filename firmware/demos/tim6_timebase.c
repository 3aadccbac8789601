/*
 * tim6_timebase.c (CM7) - TIM6 as the 1 kHz HAL time base, as STM32CubeH7's
 * RTOS templates set it up (HAL_InitTick with TIM6):
 *   RCC_APB1LENR.TIM6EN (read back); PSC = TIMxCLK / 1 MHz - 1; ARR = 999;
 *   EGR.UG; SR = 0 (clear the UIF that UG set); DIER.UIE; NVIC IRQ 54
 *   (TIM6_DAC) enabled; CR1.CEN.
 * The ISR clears UIF (write 0) and counts.  SysTick runs at 1 kHz beside it;
 * after TIM6_TICKS updates the image prints both counts, which must agree.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef TIM6_TICKS
#define TIM6_TICKS 300u
#endif

#define TIM6_REG(off) (*(volatile uint32_t *)(0x40001000u + (off)))
#define RCC_APB1LENR_REG (*(volatile uint32_t *)0x580244E8u)

static volatile uint32_t tim6_ticks, systicks;

void SysTick_Handler(void);
void TIM6_DAC_IRQHandler(void);
void SysTick_Handler(void) { systicks++; }
void TIM6_DAC_IRQHandler(void)
{
    if (TIM6_REG(0x10) & 1u) {
        TIM6_REG(0x10) = ~1u; /* rc_w0: clear UIF only */
        tim6_ticks++;
    }
}

int main(void)
{
    uart_init();
    RCC_APB1LENR_REG |= 1u << 4; /* TIM6EN */
    (void)RCC_APB1LENR_REG;
    TIM6_REG(0x28) = 64000000u / 1000000u - 1u; /* PSC: 1 MHz counter (TIMxCLK 64 MHz at reset) */
    TIM6_REG(0x2C) = 999u;                      /* ARR: 1 ms */
    TIM6_REG(0x14) = 1u;                        /* EGR.UG */
    TIM6_REG(0x10) = 0u;                        /* SR: clear UIF */
    TIM6_REG(0x0C) = 1u;                        /* DIER.UIE */
    NVIC->IPR[54] = 0x00;
    nvic_enable_irq(54);

    SYSTICK->RVR = 64000u - 1u;
    SYSTICK->CVR = 0;
    SYSTICK->CSR = 7u;
    TIM6_REG(0x00) = 1u;                        /* CR1.CEN */
    const uint32_t s0 = systicks;
    while (tim6_ticks < TIM6_TICKS) {
        cm_wfi();
    }
    const uint32_t s1 = systicks;
    uart_printf("tim6: %u updates while SysTick counted %u ms\n", (unsigned)TIM6_TICKS,
                (unsigned)(s1 - s0));
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}
