/*
 * blink.c - GPIO LEDs the way ST's BSP drives them, built for both cores of a
 * NUCLEO-H745ZI-Q (blink_cm7.elf, blink_cm4.elf).
 *
 * CM7: LED1 = PB0.  RCC_AHB4ENR.GPIOBEN (read back), PB0 as push-pull output
 *      (MODER=01, OTYPER=0, OSPEEDR low, PUPDR none), then BLINK_TIMES times:
 *      BSRR = 1<<0 (on), BSRR = 1<<16 (off), printing each change.
 * CM4: LED2 = PE1.  Same set-up for port E; toggles the BSP way: read ODR,
 *      write BSRR with the pin's set or reset bit accordingly.
 * Active-high LEDs on this board, so "on" is the pin high.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

#ifndef BLINK_TIMES
#define BLINK_TIMES 3
#endif

static void pin_output(unsigned port, unsigned pin)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(port);
    (void)RCC->AHB4ENR;
    struct h7_gpio *g = GPIO(port);
    g->MODER = (g->MODER & ~(3u << (2 * pin))) | (GPIO_MODER_OUTPUT << (2 * pin));
    g->OTYPER &= ~(1u << pin);
    g->OSPEEDR &= ~(3u << (2 * pin));
    g->PUPDR &= ~(3u << (2 * pin));
}

/* BSP_LED_Toggle style: read the output, set or reset through BSRR. */
static void toggle(unsigned port, unsigned pin)
{
    struct h7_gpio *g = GPIO(port);
    g->BSRR = (g->ODR & (1u << pin)) ? (1u << (pin + 16)) : (1u << pin);
}

int main(void)
{
    const int is_cm7 = ((SCB->CPUID >> 4) & 0xFFFu) == 0xC27u;
    if (is_cm7) {
        uart_init();
        pin_output(1, 0); /* PB0 = LED1 */
        for (int i = 0; i < BLINK_TIMES; i++) {
            GPIOB->BSRR = 1u << 0;
            uart_printf("CM7: LED1 set (IDR=%u)\n", (unsigned)(GPIOB->IDR & 1u));
            GPIOB->BSRR = 1u << 16;
            uart_printf("CM7: LED1 reset (IDR=%u)\n", (unsigned)(GPIOB->IDR & 1u));
        }
        uart_puts("CM7 done\n");
    } else {
        uart_attach();
        pin_output(4, 1); /* PE1 = LED2 */
        for (int i = 0; i < 2 * BLINK_TIMES; i++) {
            toggle(4, 1);
        }
        uart_printf("CM4: LED2 toggled %u times\n", 2u * BLINK_TIMES);
        uart_puts("CM4 done\n");
    }
    for (;;) {
        cm_wfi();
    }
}
