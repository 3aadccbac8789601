/*
 * mp15_crc.c - ST's CRC_UserDefinedPolynomial example for the STM32MP157C-DK2
 * (STM32CubeMP1 Projects/STM32MP157C-DK2/Examples/CRC/CRC_UserDefinedPolynomial), register
 * for register and in ST's order (ampvp's own code; facts from ST's main.c,
 * stm32mp1xx_hal_msp.c and stm32mp1xx_hal_crc.c / _crc_ex.c, none of their code copied).
 * Machine stm32mp157, engineering boot (--option-byte boot_pins=4).
 *
 *  1. HAL_Init; engineering boot: SystemClock_Config (mp15_hal_lite.h); HSEM clock
 *     (RCC_MC_AHB3ENSETR.HSEMEN).
 *  2. MX_GPIO_Init: GPIOH, D, G, B, F, C, E, A, I clocks (RCC_MC_AHB4ENSETR).
 *  3. MX_CRC2_Init -> HAL_CRC_Init: HAL_CRC_MspInit (__HAL_RCC_CRC2_CLK_ENABLE:
 *     RCC_MC_AHB3ENSETR.CRC2EN, bit 7); user polynomial 155 = 0x9B on 8 bits
 *     (HAL_CRCEx_Polynomial_Set: POL = 0x9B, CR.POLYSIZE = 10); default init value
 *     (INIT = 0xFFFFFFFF); CR.REV_IN = 00, CR.REV_OUT = 0.
 *  4. BSP_LED_Init(LED7) (PH7, under HSEM 0), LED off.
 *  5. HAL_CRC_Calculate(&hcrc2, &aDataBuffer, 1): CR.RESET = 1; DR = 0x00001234 (one
 *     word); read DR.  Expected 0xEF: LED7 on; else Error_Handler (LED7 blinks, 1 s).
 * The demo adds console lines on USART3 (kernel clock HSI, see mp15_console_init):
 *   "mp15_crc: SystemCoreClock <hz> Hz" (after SystemClock_Config, or the reset clock)
 *   "mp15_crc: CRC2 of 0x00001234 (poly 0x9B, 8 bits, init 0xFF) = 0x<crc>, expected 0xEF"
 *   "mp15_crc: LED7 on" or "mp15_crc: Error_Handler (<why>)", then "CM4 done".
 */
#include <stdint.h>

#include "console.h"
#include "mp15_hal_lite.h"

#define CRC2_BASE 0x4C004000u
struct crc {
    volatile uint32_t DR;   /* 0x00 */
    volatile uint32_t IDR;  /* 0x04 */
    volatile uint32_t CR;   /* 0x08 */
    uint32_t          r0;
    volatile uint32_t INIT; /* 0x10 */
    volatile uint32_t POL;  /* 0x14 */
};
#define CRC2 ((struct crc *)CRC2_BASE)
#define CRC_CR_RESET       (1u << 0)
#define CRC_CR_POLYSIZE    (3u << 3)
#define CRC_CR_POLYSIZE_8B (2u << 3)
#define CRC_CR_REV_IN      (3u << 5)
#define CRC_CR_REV_OUT     (1u << 7)

static const uint32_t aDataBuffer = 0x1234u;
static const uint32_t uwExpectedCRCValue = 0xEFu;

static void error_handler(const char *why)
{
    uart_printf("mp15_crc: Error_Handler (%s)\n", why);
    uart_puts("CM4 done\n");
    for (;;) { /* ST: LED7 toggles every second */
        bsp_led7_toggle();
        hal_delay(1000u);
    }
}

/* HAL_CRCEx_Polynomial_Set: an odd polynomial whose degree fits the length. */
static int crc_polynomial_set(uint32_t pol, uint32_t polysize, unsigned bits)
{
    if (!(pol & 1u) || (bits < 32u && (pol >> bits) != 0u)) {
        return 0;
    }
    CRC2->POL = pol;
    CRC2->CR = (CRC2->CR & ~CRC_CR_POLYSIZE) | polysize;
    return 1;
}

int main(void)
{
    int engi;
    const char *clk_err = mp15_example_start(&engi);
    if (clk_err) {
        error_handler(clk_err);
    }
    uart_printf("mp15_crc: %s, SystemCoreClock %u Hz\n",
                engi ? "engineering boot, SystemClock_Config done" : "production boot",
                (unsigned)SystemCoreClock);
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN;

    mp15_mx_gpio_init_dk2(); /* MX_GPIO_Init */

    /* MX_CRC2_Init */
    RCC_MC_AHB3ENSETR_R = RCC_AHB3_CRC2EN;
    if (!crc_polynomial_set(155u, CRC_CR_POLYSIZE_8B, 8u)) {
        error_handler("HAL_CRC_Init");
    }
    CRC2->INIT = 0xFFFFFFFFu;
    CRC2->CR &= ~CRC_CR_REV_IN;
    CRC2->CR &= ~CRC_CR_REV_OUT;

    if (!bsp_led7_init()) {
        error_handler("BSP_LED_Init: HSEM 0 not granted");
    }

    /* HAL_CRC_Calculate, words */
    CRC2->CR |= CRC_CR_RESET;
    CRC2->DR = aDataBuffer;
    const uint32_t uwCRCValue = CRC2->DR;
    uart_printf("mp15_crc: CRC2 of 0x%08x (poly 0x9B, 8 bits, init 0xFF) = 0x%02x, expected 0x%02x\n",
                (unsigned)aDataBuffer, (unsigned)uwCRCValue, (unsigned)uwExpectedCRCValue);
    if (uwCRCValue != uwExpectedCRCValue) {
        error_handler("wrong CRC value");
    }
    bsp_led7_on();
    uart_puts("mp15_crc: LED7 on\n");
    uart_puts("CM4 done\n");
    fw_finish();
}
