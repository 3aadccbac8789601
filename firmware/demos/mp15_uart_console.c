/*
 * mp15_uart_console.c - ST's UART_Receive_Transmit_Console example for the
 * STM32MP157C-DK2 (STM32CubeMP1 Projects/STM32MP157C-DK2/Examples/UART/
 * UART_Receive_Transmit_Console), register for register and in ST's order (ampvp's own
 * code; facts from ST's main.c, stm32mp1xx_hal_msp.c, stm32mp1xx_hal_uart.c and
 * _uart_ex.c, none of their code copied; the printed text is the example's own user
 * dialogue).  Machine stm32mp157, engineering boot (--option-byte boot_pins=4); the
 * host talks to USART3 with --serial stdin.
 *
 *  1. HAL_Init (HAL_MspInit: HSEM clock); engineering boot: SystemClock_Config (PCLK1 =
 *     MLHCLK / 2 = 104.44 MHz, mp15_hal_lite.h).  MX_GPIO_Init: GPIOB, GPIOG clocks.
 *  2. MX_USART3_UART_Init -> HAL_UART_Init: HAL_UART_MspInit: __HAL_RCC_USART3_CLK_ENABLE
 *     (RCC_MC_APB1ENSETR bit 15), __HAL_RCC_USART3_FORCE_RESET / RELEASE_RESET
 *     (RCC_APB1RSTSETR / RSTCLRR bit 15), GPIOG/GPIOB clocks, PB10 (TX, AF7) and PB12
 *     (RX, AF8) as alternate function push-pull, pull-up, low speed, each under
 *     PERIPH_LOCK(GPIOB).  CR1.UE = 0; UART_SetConfig: CR1 M = 8 bits, no parity, TE |
 *     RE, OVER8 = 1; CR2.STOP = 1 bit; CR3 RTSE/CTSE/ONEBIT/TXFTCFG/RXFTCFG = 0; PRESC =
 *     /1; kernel clock = PCLK1 (UART35CKSELR = 0), BRR by UART_DIV_SAMPLING8:
 *     usartdiv = (2 x PCLK1 + 115200 / 2) / 115200, BRR = (usartdiv & 0xFFF0) |
 *     ((usartdiv & 0xF) >> 1); CR2 LINEN/CLKEN = 0, CR3 SCEN/HDSEL/IREN = 0; UE = 1;
 *     UART_CheckIdleState: TEACK, REACK.  Then HAL_UARTEx_SetTxFifoThreshold(1/8),
 *     SetRxFifoThreshold(1/8), DisableFifoMode: each saves CR1, clears UE, changes CR3
 *     (or FIFOEN in the saved value) and writes CR1 back.
 *  3. BSP_LED_Init(LED7).  The dialogue: __io_putchar = HAL_UART_Transmit (TXE, TDR,
 *     then TC); __io_getchar = __HAL_UART_CLEAR_OREFLAG (ICR.ORECF), HAL_UART_Receive of
 *     one byte (RXNE, RDR & 0xFF) and its echo.  "c" continues; the menu reads up to 5
 *     characters (Serial_Scanf stops at CR/LF): "Test1" toggles LED7 50 times every
 *     100 ms, "Test2" 10 times every 500 ms, "Test3" ends the menu; anything else is an
 *     invalid choice.  Then LED7 on and the closing banner.
 * HAL_UART_Receive's 0xFFFF ms time-out returns 0 (an invalid character), as ST's does.
 * The demo adds one line before the dialogue: "mp15_uart: USART3 BRR 0x<brr> (PCLK1
 * <hz> Hz, OVER8)", and "CM4 done" after it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "mp15_hal_lite.h"

#define USART3_BAUD 115200u
#define UART_TIMEOUT_MS 0xFFFFu
#define RCC_APB1RSTSETR MP15_REG(RCC_BASE, 0x980u)
#define RCC_APB1RSTCLRR MP15_REG(RCC_BASE, 0x984u)
#define RCC_APB1_USART3 (1u << 15)
#define GPIO_PORT_B 1u
#define GPIO_PORT_G 6u
#define GPIO_MODER_AF 2u

/* HAL_GPIO_Init for an alternate-function push-pull pin: OSPEEDR, OTYPER, PUPDR, AFR,
 * MODER, under PERIPH_LOCK(GPIOx). */
static int gpio_init_af(unsigned port, unsigned pin, uint32_t pull, uint32_t speed, uint32_t af)
{
    struct mp15_gpio *g = GPIO(port);
    if (!periph_lock(MP15_HSEM_GPIO)) {
        return 0;
    }
    g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (speed << (2u * pin));
    g->OTYPER &= ~(1u << pin);
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pin))) | (pull << (2u * pin));
    g->AFR[pin >> 3] = (g->AFR[pin >> 3] & ~(0xFu << (4u * (pin & 7u)))) | (af << (4u * (pin & 7u)));
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | (GPIO_MODER_AF << (2u * pin));
    hal_hsem_release(MP15_HSEM_GPIO);
    return 1;
}

/* UART_WaitOnFlagUntilTimeout: 1 once (ISR & flag) == want, 0 after `timeout` ms. */
static int uart_wait(uint32_t flag, uint32_t want, uint32_t timeout)
{
    const uint32_t start = hal_get_tick();
    while ((USART3->ISR & flag) != want) {
        if (hal_get_tick() - start > timeout) {
            return 0;
        }
    }
    return 1;
}

/* HAL_UART_Init for USART3, 115200 8N1, OVER8, no flow control, prescaler /1. */
static int hal_uart_init(void)
{
    /* HAL_UART_MspInit */
    RCC->MC_APB1ENSETR = RCC_APB1ENSETR_USART3EN;
    RCC_APB1RSTSETR = RCC_APB1_USART3;
    RCC_APB1RSTCLRR = RCC_APB1_USART3;
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(GPIO_PORT_G);
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(GPIO_PORT_B);
    if (!gpio_init_af(GPIO_PORT_B, 10u, GPIO_PUPDR_PULLUP, 0u, 7u) ||
        !gpio_init_af(GPIO_PORT_B, 12u, GPIO_PUPDR_PULLUP, 0u, 8u)) {
        return 0;
    }
    USART3->CR1 &= ~USART_CR1_UE;
    /* UART_SetConfig */
    USART3->CR1 = (USART3->CR1 & ~(USART_CR1_M0 | USART_CR1_M1 | USART_CR1_PCE | USART_CR1_PS | USART_CR1_TE |
                                   USART_CR1_RE | USART_CR1_OVER8)) |
                  USART_CR1_TE | USART_CR1_RE | USART_CR1_OVER8;
    USART3->CR2 &= ~USART_CR2_STOP_Msk;
    USART3->CR3 &= ~(USART_CR3_RTSE | USART_CR3_CTSE | USART_CR3_ONEBIT | USART_CR3_TXFTCFG_Msk |
                     USART_CR3_RXFTCFG_Msk);
    USART3->PRESC &= ~USART_PRESC_PRESCALER_Msk;
    const uint32_t pclk = hal_rcc_get_pclk1_freq(); /* UART35CKSELR = 0: PCLK1 */
    const uint32_t usartdiv = (pclk * 2u + USART3_BAUD / 2u) / USART3_BAUD;
    USART3->BRR = (usartdiv & 0xFFF0u) | ((usartdiv & 0xFu) >> 1);
    USART3->CR2 &= ~(USART_CR2_LINEN | USART_CR2_CLKEN);
    USART3->CR3 &= ~(USART_CR3_SCEN | USART_CR3_HDSEL | USART_CR3_IREN);
    USART3->CR1 |= USART_CR1_UE;
    /* UART_CheckIdleState (HAL_UART_TIMEOUT_VALUE, 0x1FFFFFF ms) */
    return uart_wait(USART_ISR_TEACK, USART_ISR_TEACK, 0x1FFFFFFu) &&
           uart_wait(USART_ISR_REACK, USART_ISR_REACK, 0x1FFFFFFu);
}

/* HAL_UARTEx_SetTxFifoThreshold / SetRxFifoThreshold / DisableFifoMode. */
static void hal_uartex_fifo(uint32_t cr3_mask, uint32_t cr3_value, uint32_t cr1_clear)
{
    uint32_t cr1 = USART3->CR1;
    USART3->CR1 &= ~USART_CR1_UE;
    USART3->CR3 = (USART3->CR3 & ~cr3_mask) | cr3_value;
    cr1 &= ~cr1_clear;
    USART3->CR1 = cr1;
}

/* __io_putchar: HAL_UART_Transmit of one byte. */
static void io_putchar(char ch)
{
    if (uart_wait(USART_ISR_TXE, USART_ISR_TXE, UART_TIMEOUT_MS)) {
        USART3->TDR = (uint8_t)ch;
        (void)uart_wait(USART_ISR_TC, USART_ISR_TC, UART_TIMEOUT_MS);
    }
}

/* __io_getchar: clear ORE, HAL_UART_Receive of one byte (0 on time-out), echo it. */
static int io_getchar(void)
{
    uint8_t ch = 0u;
    USART3->ICR = USART_ICR_ORECF;
    if (uart_wait(USART_ISR_RXNE, USART_ISR_RXNE, UART_TIMEOUT_MS)) {
        ch = (uint8_t)(USART3->RDR & 0xFFu);
    }
    io_putchar((char)ch);
    return ch;
}

/* printf through __io_putchar (the example's strings carry their own \n\r). */
static void uart3_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void uart3_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_vformat(io_putchar, fmt, ap);
    va_end(ap);
}

/* Serial_Scanf: up to `len` characters, stopping after a CR or LF. */
static int serial_scanf(char *ptr, int len)
{
    int n = 0;
    int c = ' ';
    while (c != '\n' && c != '\r' && n < len) {
        c = io_getchar();
        *ptr++ = (char)c;
        n++;
    }
    return n;
}

static void test_validation_menu(void)
{
    int stop_test = 0;
    char menu_select[5];
    do {
        uart3_printf("\r\n        Select the test options:\r\n");
        uart3_printf("\r\n          Test1: Fast Toggle LED");
        uart3_printf("\r\n          Test2: Slow Toggle LED");
        uart3_printf("\r\n          Test3: Exit \r\n");
        memcpy(menu_select, "MENU0", 5);
        const int option = serial_scanf(menu_select, 5);
        unsigned duration = 0;
        if (strncmp(menu_select, "Test1", (size_t)option) == 0) {
            uart3_printf("\r\n                ** Start Fast Toggle Test : see LED7!\r\n");
            while (duration++ < 50u) {
                bsp_led7_toggle();
                hal_delay(100u);
            }
            uart3_printf("\r\n                ** Fast Toggle Test is Finished!\r\n");
        } else if (strncmp(menu_select, "Test2", (size_t)option) == 0) {
            uart3_printf("\r\n                ** Start Slow Toggle Test : see LED7!\r\n");
            while (duration++ < 10u) {
                bsp_led7_toggle();
                hal_delay(500u);
            }
            uart3_printf("\r\n                ** Slow Toggle Test is Finished!\r\n");
        } else if (strncmp(menu_select, "Test3", (size_t)option) == 0) {
            uart3_printf("\n\r  >> Getchar = Test finished successfully. ** \n\r");
            stop_test = 1;
        } else {
            uart3_printf("\r\n                !! INVALID CHOICE\r\n");
        }
    } while (!stop_test);
}

int main(void)
{
    char name[5] = {'S', 'T', 'A', 'R', 'T'};
    hal_init();
    RCC->MC_AHB3ENSETR = RCC_AHB3ENSETR_HSEMEN; /* HAL_MspInit */
    if (is_engineering_boot_mode() && mp15_system_clock_config_dk2() != 0) {
        for (;;) { /* ST: Error_Handler */
        }
    }
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(GPIO_PORT_B);
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(GPIO_PORT_G);
    if (!hal_uart_init()) {
        for (;;) {
        }
    }
    hal_uartex_fifo(USART_CR3_TXFTCFG_Msk, USART_FIFO_THRESHOLD_1_8 << USART_CR3_TXFTCFG_Pos, 0u);
    hal_uartex_fifo(USART_CR3_RXFTCFG_Msk, USART_FIFO_THRESHOLD_1_8 << USART_CR3_RXFTCFG_Pos, 0u);
    hal_uartex_fifo(0u, 0u, USART_CR1_FIFOEN);
    (void)bsp_led7_init();

    uart3_printf("\n\rmp15_uart: USART3 BRR 0x%x (PCLK1 %u Hz, OVER8)", (unsigned)USART3->BRR,
                 (unsigned)hal_rcc_get_pclk1_freq());
    uart3_printf("\n\r*********************************************");
    uart3_printf("\n\r** Start UART Receive and Transmit Example **");
    uart3_printf("\n\r*********************************************\n\r");
    uart3_printf("\n\r");
    uart3_printf("\n\r    ** Retarget the C library 'printf' function to the UART\n\r");
    uart3_printf("\n\r        >> Printf = Test finished successfully. ** \n\r");
    uart3_printf("\n\r    ** Press c to continue with 'getchar' test !!! \r\n");
    while (name[0] != 'c') {
        serial_scanf(name, 1);
        if (name[0] != 'c') {
            uart3_printf("\n\r !!! Invalid Character, please press c to continue the test !!! \r\n");
        }
    }
    test_validation_menu();
    bsp_led7_on();
    uart3_printf("\n\r");
    uart3_printf("\n\r********************************************");
    uart3_printf("\n\r** Stop UART Receive and Transmit Example **");
    uart3_printf("\n\r********************************************\n\r");
    uart3_printf("\n\rCM4 done\n\r");
    fw_finish();
}
