/*
 * mp15_wwdg.c - ST's WWDG_Example for the STM32MP157C-DK2 (STM32CubeMP1
 * Projects/STM32MP157C-DK2/Examples/WWDG/WWDG_Example), register for register and in ST's
 * order (ampvp's own code; facts from ST's main.c, stm32mp1xx_hal_msp.c,
 * stm32mp1xx_it.c, stm32mp1xx_hal_wwdg.c and stm32mp1xx_hal_exti.c, none of their code
 * copied).  Machine stm32mp157, engineering boot (--option-byte boot_pins=4).
 *
 *  1. HAL_Init.  If RCC_MC_RSTSCLRR.WWDG1RSTF (bit 10) is clear and the boot is an
 *     engineering boot: SystemClock_Config (after a WWDG1 reset the clocks are still
 *     set: an MCU reset does not reset the RCC).  HSEM clock; BSP_LED_Init(LED7).
 *  2. WWDG1RSTF set: LED7 on, HAL_Delay(4000), LED7 off.  Then
 *     __HAL_RCC_CLEAR_RESET_FLAGS: MC_RSTSCLRR = 0x7FF.
 *  3. MX_GPIO_Init; MX_WWDG1_Init -> HAL_WWDG_Init: __HAL_RCC_WWDG1_CLK_ENABLE
 *     (RCC_MC_APB1ENSETR bit 28); CFR = EWI off | WDGTB 3 (/8) | W 0x50; CR = WDGA |
 *     0x7F.
 *  4. EXTI14_IRQHandler_Config (mp15_exti14_user1_config): PA14 input, EXTI line 14
 *     on its falling edge to the M4, NVIC EXTI14 (121).
 *  5. delay = TimeoutCalculation(0x7F - 0x50 + 1) + 1 = 4096 x 8 x 48 / (PCLK1 / 1000)
 *     + 1 ms (PCLK1 from HAL_RCC_GetPCLK1Freq); loop: BSP_LED_Toggle(LED7),
 *     HAL_Delay(delay), HAL_WWDG_Refresh (CR = 0x7F).
 *  6. USER1 (PA14 falling, EXTI14_IRQHandler -> HAL_EXTI_IRQHandler: FPR1 bit 14 written
 *     back to clear it, then the falling callback): a store to 0xA0003000, nothing
 *     there: HardFault, whose handler loops; the WWDG is no longer refreshed and resets
 *     the MCU when its counter rolls from 0x40 to 0x3F; the M4 boots again (step 1).
 * The demo adds console lines on USART3:
 *   "mp15_wwdg: boot, MC_RSTSCLRR=0x<flags>, SystemCoreClock <hz> Hz"
 *   "mp15_wwdg: WWDG1RSTF set: LED7 on for 4 s"                  (after a WWDG1 reset)
 *   "mp15_wwdg: WWDG1 started (W 0x50, T 0x7F, WDGTB 3, PCLK1 <hz> Hz), refreshed every
 *    <ms> ms"
 *   "mp15_wwdg: USER1: WWDG1 counter 0x<t>, store to 0xA0003000" (in the EXTI callback)
 * then ST's HardFault_Handler loops, silent, until the WWDG1 reset.
 */
#include <stdint.h>

#include "console.h"
#include "mp15_hal_lite.h"

#define WWDG1_BASE 0x4000A000u
#define WWDG1_CR   MP15_REG(WWDG1_BASE, 0x00u)
#define WWDG1_CFR  MP15_REG(WWDG1_BASE, 0x04u)
#define WWDG_CR_WDGA (1u << 7)
#define WWDG_PRESCALER_8 (3u << 11)
#define WWDG_WINDOW  0x50u
#define WWDG_COUNTER 0x7Fu


static volatile uint32_t WWDGStatus;

void EXTI14_IRQHandler(void);
void HardFault_Handler(void);

/* Exti14FallingCb: the simulated software failure. */
static void exti14_falling_cb(void)
{
    uart_printf("mp15_wwdg: USER1: WWDG1 counter 0x%02x, store to 0xA0003000\n", (unsigned)(WWDG1_CR & 0x7Fu));
    *(volatile uint32_t *)0xA0003000u = 0xFFu;
}

void EXTI14_IRQHandler(void) { mp15_exti14_irq(exti14_falling_cb); }

/* ST's HardFault_Handler: while (1) {} (the WWDG is no longer refreshed). */
void HardFault_Handler(void)
{
    for (;;) {
    }
}

static void error_handler(const char *why)
{
    bsp_led7_off();
    WWDGStatus = 0xEu;
    uart_printf("mp15_wwdg: Error_Handler (%s)\n", why);
    for (;;) {
    }
}

/* TimeoutCalculation: ms for `timevalue` counter steps at PCLK1 / 4096 / 2^WDGTB. */
static uint32_t timeout_calculation(uint32_t timevalue)
{
    const uint32_t pclk1 = hal_rcc_get_pclk1_freq();
    const uint32_t wdgtb = 1u << (WWDG_PRESCALER_8 >> 11);
    return (4096u * wdgtb * timevalue) / (pclk1 / 1000u);
}

int main(void)
{
    hal_init();
    const uint32_t flags = RCC_MC_RSTSCLRR_R;
    const char *clk_err = 0;
    if (!(flags & RCC_MC_RSTSCLRR_WWDG1RSTF) && is_engineering_boot_mode()) {
        clk_err = mp15_system_clock_config_dk2();
    }
    mp15_console_init();
    if (clk_err) {
        error_handler(clk_err);
    }
    uart_printf("mp15_wwdg: boot, MC_RSTSCLRR=0x%08x, SystemCoreClock %u Hz\n", (unsigned)flags,
                (unsigned)SystemCoreClock);
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN;
    if (!bsp_led7_init()) {
        error_handler("BSP_LED_Init: HSEM 0 not granted");
    }
    if (RCC_MC_RSTSCLRR_R & RCC_MC_RSTSCLRR_WWDG1RSTF) {
        WWDGStatus = 1u;
        bsp_led7_on();
        uart_puts("mp15_wwdg: WWDG1RSTF set: LED7 on for 4 s\n");
        hal_delay(4000u);
        bsp_led7_off();
    }
    RCC_MC_RSTSCLRR_R = RCC_MC_RSTSCLRR_ALL; /* __HAL_RCC_CLEAR_RESET_FLAGS */
    WWDGStatus = 0u;

    mp15_mx_gpio_init_dk2(); /* MX_GPIO_Init */
    /* MX_WWDG1_Init -> HAL_WWDG_Init (HAL_WWDG_MspInit: the WWDG1 clock) */
    RCC_MC_APB1ENSETR_R = RCC_APB1_WWDG1EN;
    WWDG1_CFR = 0u | WWDG_PRESCALER_8 | WWDG_WINDOW;
    WWDG1_CR = WWDG_CR_WDGA | WWDG_COUNTER;

    if (!mp15_exti14_user1_config()) { /* EXTI14_IRQHandler_Config */
        error_handler("PERIPH_LOCK(GPIOA / EXTI)");
    }

    const uint32_t delay = timeout_calculation((WWDG_COUNTER - WWDG_WINDOW) + 1u) + 1u;
    uart_printf("mp15_wwdg: WWDG1 started (W 0x50, T 0x7F, WDGTB 3, PCLK1 %u Hz), refreshed every %u ms\n",
                (unsigned)hal_rcc_get_pclk1_freq(), (unsigned)delay);
    while (1) {
        bsp_led7_toggle();
        hal_delay(delay);
        WWDG1_CR = WWDG_COUNTER; /* HAL_WWDG_Refresh */
    }
}
