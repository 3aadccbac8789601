/*
 * tim_pwm_cm7.c (CM7, NUCLEO-H745ZI-Q) - what ST's TIM_PWMOutput example does with TIM1
 * (four PWM signals with different duty cycles on PE9/PE11/PE13/PE14), plus a PWM on the
 * board's LED1 and an input capture, register for register as the HAL does them
 * (st_tim_lite.h).  Reset clocks: HSI 64 MHz, APB prescalers 1, so TIM1CLK = TIM2CLK =
 * TIM3CLK = 64 MHz.
 *
 *  1. TIM1 (HAL_TIM_PWM_Init, HAL_TIM_PWM_ConfigChannel x4, HAL_TIM_PWM_Start x4 with
 *     BDTR.MOE): counter clock 16 MHz (PSC 3), period 800 ticks (ARR 799): 20 kHz, as
 *     ST's example; CCR1-4 = 400, 300, 200, 100: duty 50 %, 37.5 %, 25 %, 12.5 %.  Pins
 *     PE9, PE11, PE13, PE14 in alternate function 1 (TIM1_CH1-CH4).
 *  2. TIM3 channel 3 on PB0 (AF2, LED1 of the board): 1 kHz (PSC 63: 1 MHz, ARR 999),
 *     CCR3 = 500 (50 %); 200 ms later CCR3 = 250 (25 %, preloaded: from the next
 *     period); 200 ms later the channel is switched off (CCER.CC3E = 0: LED1 off).
 *  3. TIM2 channel 1 on PA0 (AF1) in input capture, rising edges, interrupt (IRQ 28,
 *     HAL_TIM_IC_Start_IT / HAL_TIM_IRQHandler: CC1IF cleared by writing ~CC1IF, then
 *     CCR1 read): counter at 1 MHz (PSC 63), 32 bits, armed first of all.  The host
 *     drives PA0 (--gpio); after the PWM steps and 3 rising edges (waiting up to 3 s)
 *     the two intervals are printed in microseconds.
 * Printed: "tim_pwm: TIM1 CH1-CH4 20 kHz, CCR 400/300/200/100 of 800",
 * "tim_pwm: LED1 duty 50%", "tim_pwm: LED1 duty 25%", "tim_pwm: LED1 off",
 * "tim_ic: TIM2 CH1 (PA0) captures rising edges" first, "tim_ic: rising edges <a> us and <b> us
 * apart", "CM7 done" (also "tim_ic: only <n> rising edges" after 3 s without them).
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "st_tim_lite.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

#define TIM2_IRQn 28u
#define PORT_A 0u
#define PORT_B 1u
#define PORT_E 4u

static volatile uint32_t s_capture[3];
static volatile unsigned s_captures;

void TIM2_IRQHandler(void);
void TIM2_IRQHandler(void)
{
    /* HAL_TIM_IRQHandler, capture/compare 1. */
    if ((TIM2->SR & TIM_SR_CC1IF) && (TIM2->DIER & TIM_DIER_CC1IE)) {
        TIM2->SR = ~TIM_SR_CC1IF;
        if (TIM2->CCMR1 & TIM_CCMR_CCS) { /* input capture: HAL_TIM_IC_CaptureCallback */
            const uint32_t v = TIM2->CCR[0];
            if (s_captures < 3u) {
                s_capture[s_captures] = v;
            }
            s_captures++;
        }
    }
}

static void delay_ms(uint32_t ms)
{
    const uint32_t t0 = demo_ms();
    while (demo_ms() - t0 < ms) {
        cm_wfi();
    }
}

int main(void)
{
    uart_init();
    demo_time_start();

    /* ---- 3. TIM2 CH1 on PA0: input capture ---- */
    RCC->APB1LENR |= RCC_APB1LENR_TIM2EN;
    (void)RCC->APB1LENR;
    gpio_init_pin(PORT_A, 0, GPIO_MODE_AF, 1);
    tim_base_set_config(TIM2, 64u - 1u, 0xFFFFFFFFu);
    tim_ic_config_channel(TIM2, 1, 0u);
    NVIC->IPR[TIM2_IRQn] = 0x00;
    nvic_enable_irq(TIM2_IRQn);
    TIM2->DIER |= TIM_DIER_CC1IE; /* HAL_TIM_IC_Start_IT */
    tim_ccx_channel_cmd(TIM2, 1, 1);
    TIM2->CR1 |= TIM_CR1_CEN;
    uart_puts("tim_ic: TIM2 CH1 (PA0) captures rising edges\n");

    /* ---- 1. TIM1, four PWM channels ---- */
    RCC->APB2ENR |= RCC_APB2ENR_TIM1EN;
    (void)RCC->APB2ENR;
    gpio_init_pin(PORT_E, 9, GPIO_MODE_AF, 1);
    gpio_init_pin(PORT_E, 11, GPIO_MODE_AF, 1);
    gpio_init_pin(PORT_E, 13, GPIO_MODE_AF, 1);
    gpio_init_pin(PORT_E, 14, GPIO_MODE_AF, 1);
    tim_base_set_config(TIM1, 64000000u / 16000000u - 1u, 800u - 1u);
    static const uint32_t pulse[4] = {400u, 300u, 200u, 100u};
    for (unsigned ch = 1; ch <= 4; ch++) {
        tim_pwm_config_channel(TIM1, ch, pulse[ch - 1u]);
    }
    for (unsigned ch = 1; ch <= 4; ch++) {
        tim_pwm_start(TIM1, ch);
    }
    uart_puts("tim_pwm: TIM1 CH1-CH4 20 kHz, CCR 400/300/200/100 of 800\n");

    /* ---- 2. TIM3 CH3 on PB0: LED1 ---- */
    RCC->APB1LENR |= RCC_APB1LENR_TIM3EN;
    (void)RCC->APB1LENR;
    gpio_init_pin(PORT_B, 0, GPIO_MODE_AF, 2);
    tim_base_set_config(TIM3, 64u - 1u, 1000u - 1u);
    tim_pwm_config_channel(TIM3, 3, 500u);
    tim_pwm_start(TIM3, 3);
    uart_puts("tim_pwm: LED1 duty 50%\n");
    delay_ms(200);
    TIM3->CCR[2] = 250u; /* __HAL_TIM_SET_COMPARE: preloaded, from the next update */
    uart_puts("tim_pwm: LED1 duty 25%\n");
    delay_ms(200);
    tim_ccx_channel_cmd(TIM3, 3, 0); /* HAL_TIM_PWM_Stop's channel part */
    uart_puts("tim_pwm: LED1 off\n");

    const uint32_t t0 = demo_ms();
    while (s_captures < 3u && demo_ms() - t0 < 3000u) { /* edges the host drives (--gpio) */
        cm_wfi();
    }
    if (s_captures < 3u) {
        uart_printf("tim_ic: only %u rising edges\n", (unsigned)s_captures);
    } else {
        uart_printf("tim_ic: rising edges %u us and %u us apart\n",
                    (unsigned)(s_capture[1] - s_capture[0]), (unsigned)(s_capture[2] - s_capture[1]));
    }
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}
