/*
 * dmamux1_reqgen_cm7.c (CM7) - DMAMUX1's request generators driving DMA1/DMA2 streams,
 * the DMAMUX2 example (ST's DMA/DMAMUX_RequestGen, dmamux_reqgen_cm7.c) done the same way
 * on the D2 DMAs, with two of DMAMUX1's trigger inputs (RM0399 DMAMUX1 table; ST's
 * HAL_DMAMUX1_REQ_GEN_*): EXTI0 (6, SYSCFG's line 0 multiplexer: PA0) and LPTIM1_OUT (3).
 * Register sequences: HAL_DMA_Init, HAL_DMAEx_ConfigMuxRequestGenerator,
 * HAL_DMAEx_EnableMuxRequestGenerator, HAL_DMA_Start_IT, HAL_DMA_IRQHandler,
 * HAL_DMAEx_MUX_IRQHandler (st_dma_lite.h); HAL_GPIO_Init (input), HAL_LPTIM_Init,
 * HAL_LPTIM_PWM_Start.  Reset clocks (HSI 64 MHz).
 *
 * Part 1: DMA2 stream 0 (DMAMUX1 channel 8), DMA_REQUEST_GENERATOR0, memory-to-peripheral
 *   from 8 words in AXI SRAM to 8 words in SRAM4 (both ports incrementing, normal mode);
 *   generator 0 on EXTI0, rising edge, 2 requests per edge.  PA0 is an input (SYSCFG
 *   EXTICR1 = port A); the host drives it (--gpio PA0=1@...).  Each rising edge moves 2
 *   words: printed "dmamux1: EXTI0 edge: DMA2 stream 0 NDTR <n>" as NDTR falls; at the
 *   end "dmamux1: 8 words on 4 EXTI0 edges, transfer-complete <t>, destination <matches|
 *   differs>".
 * Part 2: DMA1 stream 1 (DMAMUX1 channel 1), generator 1 on LPTIM1_OUT (LPTIM1 on the
 *   LSI, PWM with ARR 31, CMP 15: 1 ms period, rising 16 ticks after the start), rising
 *   edge, 1 request; one word, normal mode.  The first edge is served and the stream
 *   ends; the second finds the stream off, the request waits; the third is a trigger
 *   overrun: RGSR.OF1, DMAMUX1_OVR (IRQ 102) with OIE (set by HAL_DMA_Start_IT), and
 *   HAL_DMAEx_MUX_IRQHandler clears it (HAL_DMA_ERROR_REQGEN).  Printed "dmamux1:
 *   LPTIM1_OUT: 1 transfer, trigger overrun <us> us after it (RGSR was 0x<r>)".
 * Then "CM7 done".  Failure lines: "dmamux1: <what>".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "st_dma_lite.h"
#include "st_lowpower.h"
#include "st_tim_lite.h"
#include "stm32h745_irq.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

#define HAL_DMAMUX1_REQ_GEN_LPTIM1_OUT 3u
#define HAL_DMAMUX1_REQ_GEN_EXTI0      6u
#define GPIO_MODE_INPUT 0u
#define WORDS 8u
#define WAIT_MS 5000u
#define WAIT_POLLS 200000000u

static uint32_t s_src[WORDS] __attribute__((section(".axisram"), aligned(32)));
static uint32_t s_dst[WORDS + 1u] __attribute__((section(".shared"), aligned(32)));
static uint32_t s_word __attribute__((section(".axisram"))); /* DMA1/DMA2 reach no DTCM */
static struct dma_handle s_exti = {.instance = &DMA2->S[0]};
static struct dma_handle s_lptim = {.instance = &DMA1->S[1]};
static volatile uint32_t s_tc_us, s_ovr_us, s_rgsr;

void DMA2_Stream0_IRQHandler(void);
void DMA2_Stream0_IRQHandler(void) { dma_irq_handler(&s_exti); }
void DMA1_Stream1_IRQHandler(void);
void DMA1_Stream1_IRQHandler(void)
{
    dma_irq_handler(&s_lptim);
    if (s_lptim.completes && !s_tc_us) {
        s_tc_us = demo_us();
    }
}
void DMAMUX1_OVR_IRQHandler(void);
void DMAMUX1_OVR_IRQHandler(void)
{
    s_rgsr = DMAMUX1->RGSR;
    dma_mux_irq_handler(&s_exti);
    dma_mux_irq_handler(&s_lptim);
    if ((s_lptim.mux_errors & HAL_DMA_ERROR_REQGEN) && !s_ovr_us) {
        s_ovr_us = demo_us();
    }
}

static void finish(const char *failure)
{
    if (failure) {
        uart_printf("dmamux1: %s\n", failure);
    }
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

static void part_exti0(void)
{
    for (uint32_t i = 0; i < WORDS; i++) {
        s_src[i] = 0xC0DE0000u + i;
        s_dst[i] = 0u;
    }
    s_dst[WORDS] = 0xFEEDu; /* a guard: nothing is written past the 8 words */
    gpio_init_pin_pull(0u, 0u, GPIO_MODE_INPUT, 0u, GPIO_NOPULL); /* PA0: input */
    RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
    (void)RCC->APB4ENR;
    SYSCFG->EXTICR[0] &= ~0xFu; /* EXTI0 <- port A */

    RCC->AHB1ENR |= RCC_AHB1ENR_DMA2EN;
    (void)RCC->AHB1ENR;
    dma_init(&s_exti, DMA_SxCR_DIR_M2P | DMA_SxCR_PINC | DMA_SxCR_MINC | DMA_SxCR_PSIZE_W | DMA_SxCR_MSIZE_W |
                          DMA_SxCR_PL_HIGH,
             DMA_REQUEST_GENERATOR0);
    dmamux_request_generator(DMAMUX1, s_exti.request, HAL_DMAMUX1_REQ_GEN_EXTI0, HAL_DMAMUX_REQ_GEN_RISING, 2u);
    NVIC->IPR[DMA2_Stream0_IRQn] = 0x00u;
    nvic_enable_irq(DMA2_Stream0_IRQn);
    dma_start_it(&s_exti, (uint32_t)(uintptr_t)s_src, (uint32_t)(uintptr_t)s_dst, WORDS);
    uart_puts("dmamux1: DMA2 stream 0 <- DMAMUX1 generator 0 <- EXTI0 (PA0), 2 requests per rising edge\n");

    uint32_t last = WORDS;
    struct demo_deadline d;
    deadline_start(&d, WAIT_MS, WAIT_POLLS);
    while (!s_exti.completes) {
        const uint32_t ndtr = s_exti.instance->NDTR;
        if (ndtr != last && (s_exti.instance->CR & DMA_SxCR_EN)) {
            uart_printf("dmamux1: EXTI0 edge: DMA2 stream 0 NDTR %u\n", (unsigned)ndtr);
            last = ndtr;
            deadline_restart(&d);
        }
        if (deadline_expired(&d)) {
            finish("EXTI0 edges did not complete the transfer");
        }
        cm_wfi();
    }
    unsigned same = s_dst[WORDS] == 0xFEEDu;
    for (uint32_t i = 0; i < WORDS; i++) {
        same &= s_dst[i] == s_src[i];
    }
    uart_printf("dmamux1: %u words on %u EXTI0 edges, transfer-complete %u, destination %s\n", (unsigned)WORDS,
                (unsigned)(WORDS / 2u), (unsigned)s_exti.completes, same ? "matches" : "differs");
}

static void part_lptim1(void)
{
    s_word = 0x5A5A5A5Au;
    RCC->CSR |= RCC_CSR_LSION;
    if (!lp_wait_set(&RCC->CSR, RCC_CSR_LSIRDY)) {
        finish("LSI not ready");
    }
    RCC->D2CCIP2R = (RCC->D2CCIP2R & ~RCC_D2CCIP2R_LPTIM1SEL_Msk) | (RCC_LPTIMSEL_LSI << RCC_D2CCIP2R_LPTIM1SEL_Pos);
    RCC->APB1LENR |= RCC_APB1LENR_LPTIM1EN;
    (void)RCC->APB1LENR;

    RCC->AHB1ENR |= RCC_AHB1ENR_DMA1EN;
    (void)RCC->AHB1ENR;
    dma_init(&s_lptim, DMA_SxCR_DIR_M2P | DMA_SxCR_PSIZE_W | DMA_SxCR_MSIZE_W, DMA_REQUEST_GENERATOR0 + 1u);
    dmamux_request_generator(DMAMUX1, s_lptim.request, HAL_DMAMUX1_REQ_GEN_LPTIM1_OUT, HAL_DMAMUX_REQ_GEN_RISING, 1u);
    NVIC->IPR[DMA1_Stream1_IRQn] = 0x00u;
    nvic_enable_irq(DMA1_Stream1_IRQn);
    NVIC->IPR[DMAMUX1_OVR_IRQn] = 0x00u;
    nvic_enable_irq(DMAMUX1_OVR_IRQn);
    dma_start_it(&s_lptim, (uint32_t)(uintptr_t)&s_word, (uint32_t)(uintptr_t)&s_dst[WORDS], 1u);

    lptim_init(LPTIM1, 0u); /* prescaler /1, output polarity high, immediate update */
    if (!lptim_pwm_start(LPTIM1, 31u, 15u)) {
        finish("HAL_LPTIM_PWM_Start timed out");
    }
    uart_puts("dmamux1: DMA1 stream 1 <- DMAMUX1 generator 1 <- LPTIM1_OUT (LSI, ARR 31, CMP 15)\n");

    struct demo_deadline d;
    deadline_start(&d, WAIT_MS, WAIT_POLLS);
    while (!(s_lptim.mux_errors & HAL_DMA_ERROR_REQGEN)) {
        if (deadline_expired(&d)) {
            finish("no trigger overrun on LPTIM1_OUT");
        }
        cm_wfi();
    }
    dmamux_request_generator_off(DMAMUX1, s_lptim.request);
    LPTIM1->CR = 0u;
    uart_printf("dmamux1: LPTIM1_OUT: %u transfer, trigger overrun %u us after it (RGSR was 0x%x), word %s\n",
                (unsigned)s_lptim.completes, (unsigned)(s_ovr_us - s_tc_us), (unsigned)s_rgsr,
                s_dst[WORDS] == s_word ? "written" : "not written");
}

int main(void)
{
    uart_init();
    demo_time_start();
    part_exti0();
    part_lptim1();
    finish(0);
}
