/*
 * rng_cm7.c (CM7, STM32H745I-DISCO) - what ST's RNG_MultiRNG example does: fill an
 * 8-entry array with 32-bit random numbers, and again at each press of the user button,
 * register for register as the HAL does (stm32h7xx_hal_rng.c):
 *   HAL_RNG_MspInit: HSI48 on (RCC_CR.HSI48ON, wait HSI48RDY), RNGSEL = HSI48
 *     (RCC_D2CCIP2R[9:8] = 00... the reset value, written anyway), RCC_AHB2ENR.RNGEN.
 *   HAL_RNG_Init: CR.CED = 0 (clock error detection on), CR.RNGEN; SR.SEIS must be 0.
 *   HAL_RNG_GenerateRandomNumber: wait SR.DRDY (bounded), read DR; SECS/CECS must be 0.
 *   HAL_RNG_GenerateRandomNumber_IT + HAL_RNG_IRQHandler (RNG_IRQn 80): CR.IE; the
 *     handler sees DRDY, disables IE, reads DR.
 * Printed: "rng: aRandom32bit = <8 x 0x%08x>" (polling), "rng: waiting for B1", then
 * after a press on B1 (PC13, active high, polled as BSP_PB_GetState does):
 * "rng: aRandom32bit = <8 more>" (by interrupt), "CM7 done".  Errors: "rng: ... error".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

struct rng {
    volatile uint32_t CR, SR, DR;
};
#define RNG ((struct rng *)0x48021800u)
#define RNG_CR_RNGEN (1u << 2)
#define RNG_CR_IE    (1u << 3)
#define RNG_CR_CED   (1u << 5)
#define RNG_SR_DRDY  (1u << 0)
#define RNG_SR_CECS  (1u << 1)
#define RNG_SR_SECS  (1u << 2)
#define RNG_SR_CEIS  (1u << 5)
#define RNG_SR_SEIS  (1u << 6)
#define RNG_IRQn     80u
#define RCC_AHB2ENR_RNGEN (1u << 6)
#define RCC_D2CCIP2R_RNGSEL (3u << 8)

static volatile uint32_t s_it_value;
static volatile int s_it_ready;

void RNG_IRQHandler(void);
void RNG_IRQHandler(void)
{
    /* HAL_RNG_IRQHandler: errors first, then data ready. */
    if (RNG->SR & (RNG_SR_CEIS | RNG_SR_SEIS)) {
        RNG->SR = ~(RNG_SR_CEIS | RNG_SR_SEIS);
        return;
    }
    if (RNG->SR & RNG_SR_DRDY) {
        RNG->CR &= ~RNG_CR_IE;
        s_it_value = RNG->DR;
        s_it_ready = 1;
    }
}

static void fail(const char *what)
{
    uart_printf("rng: %s error\n", what);
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}

/* HAL_RNG_GenerateRandomNumber. */
static uint32_t rng_get(void)
{
    const uint32_t t0 = demo_ms();
    while (!(RNG->SR & RNG_SR_DRDY)) {
        if (demo_ms() - t0 > 2u) {
            fail("timeout");
        }
    }
    const uint32_t v = RNG->DR;
    if (RNG->SR & (RNG_SR_SECS | RNG_SR_CECS)) {
        fail("seed or clock");
    }
    return v;
}

/* HAL_RNG_GenerateRandomNumber_IT, then wait for the callback. */
static uint32_t rng_get_it(void)
{
    s_it_ready = 0;
    RNG->CR |= RNG_CR_IE;
    const uint32_t t0 = demo_ms();
    while (!s_it_ready) {
        if (demo_ms() - t0 > 2u) {
            fail("interrupt timeout");
        }
        cm_wfi();
    }
    return s_it_value;
}

static void print_array(const uint32_t *a)
{
    uart_printf("rng: aRandom32bit = 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x\n",
                (unsigned)a[0], (unsigned)a[1], (unsigned)a[2], (unsigned)a[3], (unsigned)a[4],
                (unsigned)a[5], (unsigned)a[6], (unsigned)a[7]);
}

int main(void)
{
    uint32_t a[8];
    uart_init();
    demo_time_start();

    RCC->CR |= RCC_CR_HSI48ON;
    while (!(RCC->CR & RCC_CR_HSI48RDY)) {
    }
    RCC->D2CCIP2R &= ~RCC_D2CCIP2R_RNGSEL; /* HSI48 */
    RCC->AHB2ENR |= RCC_AHB2ENR_RNGEN;
    (void)RCC->AHB2ENR;
    RNG->CR &= ~RNG_CR_CED; /* HAL_RNG_Init: clock error detection enabled */
    RNG->CR |= RNG_CR_RNGEN;
    if (RNG->SR & RNG_SR_SEIS) {
        fail("seed");
    }
    NVIC->IPR[RNG_IRQn] = 0x00;
    nvic_enable_irq(RNG_IRQn);

    for (unsigned i = 0; i < 8; i++) {
        a[i] = rng_get();
    }
    print_array(a);

    /* BSP_PB_Init(BUTTON_USER, BUTTON_MODE_GPIO): PC13 input, no pull. */
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOCEN;
    (void)RCC->AHB4ENR;
    GPIOC->MODER &= ~(3u << 26);
    GPIOC->PUPDR &= ~(3u << 26);
    uart_puts("rng: waiting for B1\n");
    const uint32_t t0 = demo_ms();
    while (!(GPIOC->IDR & (1u << 13))) {
        if (demo_ms() - t0 > 5000u) {
            fail("no press on B1:");
        }
    }
    for (unsigned i = 0; i < 8; i++) {
        a[i] = rng_get_it();
    }
    print_array(a);
    uart_puts("CM7 done\n");
    for (;;) {
        cm_wfi();
    }
}
