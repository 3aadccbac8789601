/*
 * mp15_gpio_exti.c - ST's GPIO_EXTI example for the STM32MP157C-DK2 (STM32CubeMP1
 * Projects/STM32MP157C-DK2/Examples/GPIO/GPIO_EXTI), register for register and in ST's
 * order (ampvp's own code; facts from ST's main.c, stm32mp1xx_it.c,
 * stm32mp1xx_hal_gpio.c and stm32mp1xx_hal_exti.c, none of their code copied).
 * Machine stm32mp157, engineering boot (--option-byte boot_pins=4).
 *
 *  1. HAL_Init; engineering boot: SystemClock_Config (mp15_hal_lite.h); HSEM clock.
 *  2. BSP_LED_Init(LED7) (PH7, under HSEM 0), LED off.
 *  3. EXTI14_IRQHandler_Config (mp15_exti14_user1_config): PA14 (USER1) input, no pull;
 *     EXTI line 14, falling edge only, port A (EXTICR4), unmasked for the M4 (C2IMR1),
 *     NVIC EXTI14 (121) at priority DEFAULT_IRQ_PRIO + 2.
 *  4. Main loop: nothing.  EXTI14_IRQHandler -> HAL_EXTI_IRQHandler: FPR1 bit 14 set ->
 *     written back to clear it -> Exti14FallingCb: BSP_LED_Toggle(LED7).
 * The demo adds console lines on USART3: "mp15_gpio_exti: SystemCoreClock <hz> Hz,
 * waiting for USER1" and, in the callback, "mp15_gpio_exti: EXTI14 falling edge <n>,
 * FPR1 bit 14 cleared: <0|1>, LED7 <on|off>".
 */
#include <stdint.h>

#include "console.h"
#include "mp15_hal_lite.h"

void EXTI14_IRQHandler(void);

static unsigned s_edges;

/* Exti14FallingCb */
static void exti14_falling_cb(void)
{
    bsp_led7_toggle();
    s_edges++;
    uart_printf("mp15_gpio_exti: EXTI14 falling edge %u, FPR1 bit 14 cleared: %u, LED7 %s\n", s_edges,
                (unsigned)!(MP15_EXTI_FPR1 & (1u << MP15_USER1_PIN)),
                (GPIO(MP15_LED7_PORT)->ODR & (1u << MP15_LED7_PIN)) ? "on" : "off");
}

void EXTI14_IRQHandler(void) { mp15_exti14_irq(exti14_falling_cb); }

int main(void)
{
    const char *clk_err = mp15_example_start(0);
    if (clk_err) {
        uart_printf("mp15_gpio_exti: Error_Handler (%s)\n", clk_err);
        fw_finish();
    }
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN;
    if (!bsp_led7_init() || !mp15_exti14_user1_config()) {
        uart_puts("mp15_gpio_exti: Error_Handler (PERIPH_LOCK timed out)\n");
        fw_finish();
    }
    uart_printf("mp15_gpio_exti: SystemCoreClock %u Hz, waiting for USER1\n", (unsigned)SystemCoreClock);
    while (1) { /* ST's loop is empty; this one sleeps between interrupts */
        cm_wfi();
    }
}
