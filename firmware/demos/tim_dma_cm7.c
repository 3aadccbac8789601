/*
 * tim_dma_cm7.c (CM7) - ST's TIM/TIM_DMA for the STM32H745I-DISCO and the STM32H747I-DISCO
 * (the same on both: TIM3 channel 1 on PA6, DMA1 stream 7): a PWM at 17.57 kHz whose duty
 * cycle the DMA rewrites every period from a table, with no CPU.  Register for register
 * as the example and the HAL do it (the example's MPU and cache set-up left out):
 *
 *  1. HAL_Init; SystemClock_Config: 400 MHz (st_clock_lite.h): TIM3CLK = 2 x PCLK1 =
 *     200 MHz.  BSP_LED_Init(LED2) (PI13, the error LED).
 *  2. uwTimerPeriod = (SystemCoreClock / 2) / 17570 - 1 = 11382; aCCValue_Buffer =
 *     {75, 50, 25} % of (uwTimerPeriod - 1) = {8535, 5690, 2845}.
 *  3. HAL_TIM_PWM_Init -> HAL_TIM_PWM_MspInit: RCC TIM3EN, GPIOAEN, DMA1EN; PA6 alternate
 *     function 2 push-pull, pull-up, very high speed; HAL_DMA_Init(DMA1 stream 7,
 *     DMA_REQUEST_TIM3_CH1 = 23, memory-to-peripheral, memory increment, words, circular,
 *     high priority, direct mode): DMAMUX1 C7CR = 23 (st_dma_lite.h); NVIC DMA1_Stream7
 *     (47).  TIM_Base_SetConfig: up-counting, ARR = 11382, PSC = 0, EGR.UG, UIF cleared
 *     (TIM3 has no repetition counter: the example's RepetitionCounter = 3 is not
 *     written).
 *  4. HAL_TIM_PWM_ConfigChannel(channel 1, PWM mode 1, pulse 8535, active high): CCMR1
 *     OC1M = PWM1, CCR1, CCER, then OC1PE (CCR1 preloaded: a new value becomes active at
 *     the next update event).
 *  5. HAL_TIM_PWM_Start_DMA(channel 1, aCCValue_Buffer, 3): HAL_DMA_Start_IT(buffer ->
 *     &TIM3->CCR1, 3) with the HT and TC interrupts; DIER.CC1DE; CCER.CC1E; CR1.CEN.
 * CR2.CCDS = 0: each CC1 event (the compare match CNT = CCR1) requests the DMA, which
 * writes the next table value into CCR1; the update event makes it active.  Duty per
 * period from the start: 75, 75, 50, 25, 75, 50, 25 ... % (the first write is 8535
 * again).  The waveform on PA6 changes at each update: "--trace gpio" shows one line per
 * period.  HAL_DMA_IRQHandler (DMA1_Stream7_IRQHandler) runs the HAL's callbacks; here
 * they count.  Console: "tim_dma: TIM3 CH1 (PA6) PWM, ARR 11382, CCR1 by DMA1 stream 7
 * from {8535, 5690, 2845}", after TC_ROUNDS transfer-complete interrupts "tim_dma: <t>
 * transfer-complete and <h> half-transfer interrupts, errors <e>", "CM7 done"; the PWM
 * goes on.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "st_clock_disco_lite.h"
#include "st_dma_lite.h"
#include "st_tim_lite.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

#ifndef TC_ROUNDS
#define TC_ROUNDS 10u
#endif
#define DMA_REQUEST_TIM3_CH1 23u
#define TIM_DIER_CC1DE (1u << 9)
#define PORT_A 0u
#define PORT_I 8u
#define LED2_PIN 13u

/* 32-byte aligned for the example's cache maintenance; in AXI SRAM (the example's RAM),
 * which DMA1 reaches (the CM7's DTCM it does not). */
static uint32_t s_cc_values[8] __attribute__((section(".axisram"), aligned(32)));
static struct dma_handle s_dma = {.instance = &DMA1->S[7]};

/* TIM_DMADelayPulseHalfCplt -> HAL_TIM_PWM_PulseFinishedHalfCpltCallback (empty in the
 * example; dma_irq_handler counts the interrupt). */
static void tim_dma_delay_pulse_half_cplt(struct dma_handle *h) { (void)h; }

void DMA1_Stream7_IRQHandler(void);
void DMA1_Stream7_IRQHandler(void) { dma_irq_handler(&s_dma); }

static void error_handler(const char *what)
{
    GPIO(PORT_I)->BSRR = 1u << (LED2_PIN + 16u); /* BSP_LED_On(LED2): active low */
    uart_printf("tim_dma: %s\n", what);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

int main(void)
{
    uart_init();
    demo_time_start();
    if (!disco_system_clock_config()) {
        error_handler("SystemClock_Config failed");
    }
    gpio_init_pin_pull(PORT_I, LED2_PIN, GPIO_MODE_OUTPUT, 0u, GPIO_PULLUP); /* BSP_LED_Init */
    GPIO(PORT_I)->BSRR = 1u << LED2_PIN;

    const uint32_t period = (SystemCoreClock / 2u) / 17570u - 1u;
    s_cc_values[0] = (75u * (period - 1u)) / 100u;
    s_cc_values[1] = (50u * (period - 1u)) / 100u;
    s_cc_values[2] = (25u * (period - 1u)) / 100u;

    /* HAL_TIM_PWM_MspInit */
    RCC->APB1LENR |= RCC_APB1LENR_TIM3EN;
    (void)RCC->APB1LENR;
    RCC->AHB1ENR |= RCC_AHB1ENR_DMA1EN;
    (void)RCC->AHB1ENR;
    gpio_init_pin_pull(PORT_A, 6u, GPIO_MODE_AF, 2u, GPIO_PULLUP);
    dma_init(&s_dma, DMA_SxCR_DIR_M2P | DMA_SxCR_MINC | DMA_SxCR_PSIZE_W | DMA_SxCR_MSIZE_W | DMA_SxCR_CIRC |
                         DMA_SxCR_PL_HIGH,
             DMA_REQUEST_TIM3_CH1);
    NVIC->IPR[DMA1_Stream7_IRQn] = 0x00u;
    nvic_enable_irq(DMA1_Stream7_IRQn);
    tim_base_set_config(TIM3, 0u, period);           /* HAL_TIM_PWM_Init */
    tim_pwm_config_channel(TIM3, 1u, s_cc_values[0]); /* HAL_TIM_PWM_ConfigChannel */

    /* HAL_TIM_PWM_Start_DMA: it installs the HAL's half-transfer callback
     * (TIM_DMADelayPulseHalfCplt), so HAL_DMA_Start_IT enables HT */
    s_dma.xfer_half = tim_dma_delay_pulse_half_cplt;
    dma_start_it(&s_dma, (uint32_t)(uintptr_t)s_cc_values, (uint32_t)(uintptr_t)&TIM3->CCR[0], 3u);
    TIM3->DIER |= TIM_DIER_CC1DE;
    tim_pwm_start(TIM3, 1u);
    uart_printf("tim_dma: TIM3 CH1 (PA6) PWM, ARR %u, CCR1 by DMA1 stream 7 from {%u, %u, %u}\n",
                (unsigned)period, (unsigned)s_cc_values[0], (unsigned)s_cc_values[1], (unsigned)s_cc_values[2]);

    while (s_dma.completes < TC_ROUNDS && s_dma.errors == 0u) {
        cm_wfi();
    }
    if (s_dma.errors != 0u) {
        error_handler("DMA transfer error");
    }
    uart_printf("tim_dma: %u transfer-complete and %u half-transfer interrupts, errors %u\n",
                (unsigned)s_dma.completes, (unsigned)s_dma.halves, (unsigned)s_dma.errors);
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
