/*
 * dmamux_reqgen_cm7.c (CM7) - ST's DMA/DMAMUX_RequestGen for the STM32H745I-DISCO (LED1,
 * PJ2) and the STM32H747I-DISCO (LED4, PI15; build define DMAMUX_REQGEN_H747): the BDMA
 * toggles an LED with no CPU, each time the LPTIM2 output rises, through DMAMUX2 request
 * generator 0.  Register for register as the example and the HAL do it (the example's
 * MPU and cache set-up left out: no effect here):
 *
 *  1. HAL_Init (SysTick 1 kHz); SystemClock_Config: 400 MHz from the 25 MHz HSE
 *     (st_clock_lite.h).
 *  2. BSP_LED_Init(toggle LED), BSP_LED_Init(error LED): GPIO clock, output push-pull,
 *     pull-up, very high speed, then the pin set (LED off: active low).
 *  3. __HAL_RCC_BDMA_CLK_ENABLE; HAL_DMA_Init(BDMA channel 0, BDMA_REQUEST_GENERATOR0,
 *     memory-to-peripheral, memory increment, words, circular, low priority): CCR.EN = 0,
 *     CCR, DMAMUX2 C0CR = 1, CFR, RG0CR = 0, RGCFR, IFCR.CGIF0 (st_bdma_lite.h).  NVIC
 *     BDMA_Channel0 (129).
 *  4. HAL_DMAEx_ConfigMuxRequestGenerator(HAL_DMAMUX2_REQ_GEN_LPTIM2_OUT = 10, rising, 1
 *     request): RG0CR = 10 | GPOL 01 | GNBREQ 0; NVIC DMAMUX2_OVR (128);
 *     HAL_DMAEx_EnableMuxRequestGenerator: RG0CR |= GE.
 *  5. LPTIM_Config (st_lowpower.h): HAL_RCC_OscConfig(LSE on): PWR_CR1.DBP, wait it;
 *     RCC_BDCR.LSEON, wait LSERDY.  HAL_RCCEx_PeriphCLKConfig: RCC_D3CCIPR.LPTIM2SEL = 011 (LSE).
 *     __HAL_RCC_LPTIM2_CLK_ENABLE: RCC_APB4ENR.LPTIM2EN.  HAL_LPTIM_Init: CFGR read-
 *     modify-write: PRESC /4, WAVPOL (LPTIM_OUTPUTPOLARITY_LOW), PRELOAD
 *     (LPTIM_UPDATE_ENDOFPERIOD), internal clock, software trigger; CFGR2 = 0.
 *     HAL_LPTIM_PWM_Start(period (2 * 32768) / 4 = 16384, pulse 8192): CFGR.WAVE = 0;
 *     CR.ENABLE; ICR.ARROKCF; ARR; wait ARROK; ICR.CMPOKCF; CMP; wait CMPOK;
 *     CR.CNTSTRT.  LPTIM2_OUT: high while CNT <= CMP (inverted PWM), so it rises at each
 *     period's start (every 16385 / 8192 Hz = 2.000122 s) and once already when WAVPOL
 *     is written (RM0399: the polarity takes effect at once): that first request waits
 *     for the BDMA.
 *  6. HAL_DMA_Start_IT(SRAM4 buffer {LED on, LED off}, &GPIOx->ODR, 2): CCR.EN = 0;
 *     DMAMUX2 CFR, RGCFR; IFCR.CGIF0; CNDTR = 2; CPAR = ODR; CM0AR = buffer;
 *     TCIE | TEIE (no half-transfer callback); RG0CR |= OIE; EN.
 * Then the example loops on its error flag; here the core sleeps (WFI) between the
 * interrupts (BDMA channel 0 TC every 2 toggles; DMAMUX2_OVR: HAL_DMAEx_MUX_IRQHandler).
 * The board shows the LED: "[board] LED1 on" / "off" (H747: LED4) every 2 s.
 * Console: "dmamux_reqgen: BDMA channel 0 <- DMAMUX2 generator 0 <- LPTIM2_OUT (LSE / 4,
 * ARR 16384, CMP 8192), toggling <LED>", after TOGGLE_ROUNDS transfer-complete
 * interrupts "dmamux_reqgen: <n> transfer-complete interrupts (<2n> LED writes), errors
 * 0x<e>", "CM7 done"; an error turns the error LED on and prints "dmamux_reqgen: error
 * 0x<e>".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "st_bdma_lite.h"
#include "st_clock_disco_lite.h"
#include "st_lowpower.h"
#include "st_tim_lite.h"
#include "stm32h745_irq.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

#if defined(DMAMUX_REQGEN_H747)
#define LED_NAME   "LED4"
#define LED_PORT   8u  /* GPIOI */
#define LED_PIN    15u
#define ERR_PORT   8u  /* LED3: PI14 */
#define ERR_PIN    14u
#else
#define LED_NAME   "LED1"
#define LED_PORT   9u  /* GPIOJ */
#define LED_PIN    2u
#define ERR_PORT   8u  /* LED2: PI13 */
#define ERR_PIN    13u
#endif
#ifndef TOGGLE_ROUNDS
#define TOGGLE_ROUNDS 2u
#endif

#define LPTIM_PRESCALER_DIV4 (2u << 9)
#define HAL_DMAMUX2_REQ_GEN_LPTIM2_OUT 10u
#define LSE_VALUE 32768u

/* The BDMA reaches D3 only: the buffer is in SRAM4 (the example's .RAM_D3; a NOLOAD
 * section here, so it is filled at run time). */
static uint32_t s_led_values[2] __attribute__((section(".shared"), aligned(32)));
static struct bdma_handle s_h = {.ch = 0u, .request = BDMA_REQUEST_GENERATOR0, .has_half_cb = 0};

void BDMA_Channel0_IRQHandler(void);
void BDMA_Channel0_IRQHandler(void) { hal_bdma_irq_handler(&s_h); }
void DMAMUX2_OVR_IRQHandler(void);
void DMAMUX2_OVR_IRQHandler(void) { hal_bdma_mux_irq_handler(&s_h); }

static void error_handler(const char *what)
{
    GPIO(ERR_PORT)->BSRR = 1u << (ERR_PIN + 16u); /* BSP_LED_On(error LED): active low */
    uart_printf("dmamux_reqgen: %s (error 0x%x)\n", what, (unsigned)s_h.error);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

/* BSP_LED_Init: output push-pull with pull-up, then off (pin set). */
static void bsp_led_init(unsigned port, unsigned pin)
{
    gpio_init_pin_pull(port, pin, GPIO_MODE_OUTPUT, 0u, GPIO_PULLUP);
    GPIO(port)->BSRR = 1u << pin;
}

static void lptim_config(void)
{
    if (!rcc_lse_on()) {
        error_handler("LSE not ready");
    }
    RCC->D3CCIPR = (RCC->D3CCIPR & ~RCC_D3CCIPR_LPTIM2SEL_Msk) | (RCC_LPTIMSEL_LSE << RCC_D3CCIPR_LPTIM2SEL_Pos);
    RCC->APB4ENR |= RCC_APB4ENR_LPTIM2EN; /* __HAL_RCC_LPTIM2_CLK_ENABLE */
    (void)RCC->APB4ENR;
    /* LPTIM_OUTPUTPOLARITY_LOW = WAVPOL, LPTIM_UPDATE_ENDOFPERIOD = PRELOAD. */
    lptim_init(LPTIM2, LPTIM_PRESCALER_DIV4 | LPTIM_CFGR_WAVPOL | LPTIM_CFGR_PRELOAD);
    const uint32_t period = (2u * LSE_VALUE) / 4u, pulse = period / 2u;
    if (!lptim_pwm_start(LPTIM2, period, pulse)) {
        error_handler("HAL_LPTIM_PWM_Start timed out");
    }
}

int main(void)
{
    uart_init();
    demo_time_start();
    s_led_values[0] = 0xFFFFu & ~(1u << LED_PIN); /* LED on (active low) */
    s_led_values[1] = 0xFFFFu;                    /* LED off */
    if (!disco_system_clock_config()) {
        error_handler("SystemClock_Config failed");
    }
    bsp_led_init(LED_PORT, LED_PIN);
    bsp_led_init(ERR_PORT, ERR_PIN);

    RCC->AHB4ENR |= RCC_AHB4ENR_BDMAEN; /* __HAL_RCC_BDMA_CLK_ENABLE */
    (void)RCC->AHB4ENR;
    hal_bdma_init(&s_h, BDMA_CCR_DIR | BDMA_CCR_MINC | BDMA_CCR_PSIZE_W | BDMA_CCR_MSIZE_W | BDMA_CCR_CIRC);
    NVIC->IPR[BDMA_Channel0_IRQn] = 0x00u;
    nvic_enable_irq(BDMA_Channel0_IRQn);
    dmamux_request_generator(DMAMUX2, s_h.request, HAL_DMAMUX2_REQ_GEN_LPTIM2_OUT, HAL_DMAMUX_REQ_GEN_RISING, 1u);
    NVIC->IPR[DMAMUX2_OVR_IRQn] = 0x00u;
    nvic_enable_irq(DMAMUX2_OVR_IRQn);

    lptim_config();
    uart_printf("dmamux_reqgen: BDMA channel 0 <- DMAMUX2 generator 0 <- LPTIM2_OUT (LSE / 4, "
                "ARR 16384, CMP 8192), toggling " LED_NAME "\n");
    hal_bdma_start_it(&s_h, (uint32_t)(uintptr_t)s_led_values, (uint32_t)(uintptr_t)&GPIO(LED_PORT)->ODR, 2u);

    while (s_h.completes < TOGGLE_ROUNDS && s_h.error == 0u) {
        cm_wfi();
    }
    if (s_h.error != 0u) {
        error_handler("transfer or request generator error");
    }
    uart_printf("dmamux_reqgen: %u transfer-complete interrupts (%u LED writes), errors 0x%x\n",
                (unsigned)s_h.completes, 2u * (unsigned)s_h.completes, (unsigned)s_h.error);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
