/*
 * st_tim_lite.h - what the timer demos need of ST's HAL, written for this project from
 * the HAL's register sequences (stm32h7xx_hal_tim.c, stm32h7xx_hal_gpio.c):
 * TIM_Base_SetConfig, TIM_OCx_SetConfig + HAL_TIM_PWM_ConfigChannel, HAL_TIM_PWM_Start
 * (TIM_CCxChannelCmd, BDTR.MOE on timers with a break input), TIM_TIx_SetConfig +
 * HAL_TIM_IC_ConfigChannel, HAL_TIM_IC_Start_IT, HAL_TIMEx_MasterConfigSynchronization,
 * and HAL_GPIO_Init for one pin.  Register names as in RM0399.  The timers are the same
 * IP on the STM32MP15 (stm32mp1xx_hal_tim.c, RM0436): an FW_TARGET_MP15 image gets its
 * addresses and the timer functions, without the H7's RCC bits and gpio_init_pin.
 */
#ifndef AMPVP_ST_TIM_LITE_H
#define AMPVP_ST_TIM_LITE_H

#include <stdint.h>

#if defined(FW_TARGET_MP15)
#include "stm32mp15_regs.h"
#else
#include "stm32h745_regs.h"
#endif

struct tim {
    volatile uint32_t CR1, CR2, SMCR, DIER, SR, EGR, CCMR1, CCMR2, CCER, CNT, PSC, ARR, RCR;
    volatile uint32_t CCR[4];
    volatile uint32_t BDTR, DCR, DMAR;
};
#if defined(FW_TARGET_MP15) /* RM0436 memory map */
#define TIM1 ((struct tim *)0x44000000u)
#define TIM2 ((struct tim *)0x40000000u)
#define TIM3 ((struct tim *)0x40001000u)
#define TIM6 ((struct tim *)0x40004000u)
#define TIM8 ((struct tim *)0x44001000u)
#else
#define TIM1 ((struct tim *)0x40010000u)
#define TIM2 ((struct tim *)0x40000000u)
#define TIM3 ((struct tim *)0x40000400u)
#define TIM6 ((struct tim *)0x40001000u)
#define TIM8 ((struct tim *)0x40010400u)
#endif

#define TIM_CR1_CEN      (1u << 0)
#define TIM_CR1_DIR      (1u << 4)
#define TIM_CR1_CMS      (3u << 5)
#define TIM_CR1_ARPE     (1u << 7)
#define TIM_CR1_CKD      (3u << 8)
#define TIM_CR2_MMS      (7u << 4)
#define TIM_CR2_MMS_UPDATE (2u << 4)
#define TIM_CR2_MMS2     (15u << 20)
#define TIM_CR2_OIS1     (1u << 8)
#define TIM_CR2_OIS1N    (1u << 9)
#define TIM_SMCR_SMS     ((7u << 0) | (1u << 16))
#define TIM_SMCR_MSM     (1u << 7)
#define TIM_DIER_CC1IE   (1u << 1)
#define TIM_SR_UIF       (1u << 0)
#define TIM_SR_CC1IF     (1u << 1)
#define TIM_EGR_UG       (1u << 0)
#define TIM_CCMR_CCS     (3u << 0)  /* channel 1 / 3 position; << 8 for 2 / 4 */
#define TIM_CCMR_OCFE    (1u << 2)
#define TIM_CCMR_OCPE    (1u << 3)
#define TIM_CCMR_OCM     ((7u << 4) | (1u << 16))
#define TIM_CCMR_ICPSC   (3u << 2)
#define TIM_CCMR_ICF     (15u << 4)
#define TIM_OCMODE_PWM1  (6u << 4)
#define TIM_ICSELECTION_DIRECTTI (1u << 0)
#define TIM_CCER_CCE     (1u << 0)  /* channel 1; << 4 * (ch - 1) */
#define TIM_CCER_CCP     (1u << 1)
#define TIM_CCER_CCNE    (1u << 2)
#define TIM_CCER_CCNP    (1u << 3)
#define TIM_BDTR_MOE     (1u << 15)

#define RCC_APB1LENR_TIM2EN (1u << 0)
#define RCC_APB1LENR_TIM3EN (1u << 1)
#define RCC_APB1LENR_TIM6EN (1u << 4)
#define RCC_APB2ENR_TIM1EN  (1u << 0)

static inline int tim_is_advanced(const struct tim *t) { return t == TIM1 || t == TIM8; }

/* TIM_Base_SetConfig: up-counting, no clock division, no ARR preload. */
static inline void tim_base_set_config(struct tim *t, uint32_t prescaler, uint32_t period)
{
    uint32_t cr1 = t->CR1;
    cr1 &= ~(TIM_CR1_DIR | TIM_CR1_CMS | TIM_CR1_CKD | TIM_CR1_ARPE);
    t->CR1 = cr1;
    t->ARR = period;
    t->PSC = prescaler;
    if (tim_is_advanced(t)) {
        t->RCR = 0u;
    }
    t->EGR = TIM_EGR_UG; /* load PSC (and ARR) at once */
    if (t->SR & TIM_SR_UIF) {
        t->SR = ~TIM_SR_UIF; /* the UG just made it */
    }
}

/* The channel's CCMRx register and its bit offset in it (0 or 8). */
static inline volatile uint32_t *tim_ccmr(struct tim *t, unsigned ch, unsigned *shift)
{
    *shift = ((ch - 1u) & 1u) ? 8u : 0u;
    return ch <= 2u ? &t->CCMR1 : &t->CCMR2;
}

/* TIM_OCx_SetConfig + the rest of HAL_TIM_PWM_ConfigChannel: PWM mode 1, active high
 * (OCNPolarity high, idle states reset), preload on, fast mode off. */
static inline void tim_pwm_config_channel(struct tim *t, unsigned ch, uint32_t pulse)
{
    const unsigned e = 4u * (ch - 1u);
    unsigned s;
    volatile uint32_t *ccmr = tim_ccmr(t, ch, &s);
    t->CCER &= ~(TIM_CCER_CCE << e);
    uint32_t ccer = t->CCER, cr2 = t->CR2, m = *ccmr;
    m &= ~((TIM_CCMR_OCM | TIM_CCMR_CCS) << s);
    m |= TIM_OCMODE_PWM1 << s;
    ccer &= ~(TIM_CCER_CCP << e);
    if (tim_is_advanced(t) && ch <= 3u) {
        ccer &= ~((TIM_CCER_CCNP | TIM_CCER_CCNE) << e);
    }
    if (tim_is_advanced(t)) {
        cr2 &= ~((TIM_CR2_OIS1 | TIM_CR2_OIS1N) << (2u * (ch - 1u)));
    }
    t->CR2 = cr2;
    *ccmr = m;
    t->CCR[ch - 1u] = pulse;
    t->CCER = ccer;
    *ccmr |= TIM_CCMR_OCPE << s;
    *ccmr &= ~(TIM_CCMR_OCFE << s);
}

/* TIM_CCxChannelCmd. */
static inline void tim_ccx_channel_cmd(struct tim *t, unsigned ch, int on)
{
    const uint32_t bit = TIM_CCER_CCE << (4u * (ch - 1u));
    t->CCER &= ~bit;
    t->CCER |= on ? bit : 0u;
}

/* HAL_TIM_PWM_Start: channel on, main output on (break instances), counter on unless a
 * slave mode with trigger controls it. */
static inline void tim_pwm_start(struct tim *t, unsigned ch)
{
    tim_ccx_channel_cmd(t, ch, 1);
    if (tim_is_advanced(t)) {
        t->BDTR |= TIM_BDTR_MOE;
    }
    if ((t->SMCR & TIM_SMCR_SMS) != (6u << 0)) { /* TIM_SLAVEMODE_TRIGGER */
        t->CR1 |= TIM_CR1_CEN;
    }
}

/* TIM_TI1_SetConfig (and TI2-4) + HAL_TIM_IC_ConfigChannel: direct TI, no filter,
 * polarity 0 = rising, no prescaler. */
static inline void tim_ic_config_channel(struct tim *t, unsigned ch, uint32_t polarity)
{
    const unsigned e = 4u * (ch - 1u);
    unsigned s;
    volatile uint32_t *ccmr = tim_ccmr(t, ch, &s);
    t->CCER &= ~(TIM_CCER_CCE << e);
    uint32_t m = *ccmr, ccer = t->CCER;
    m &= ~(TIM_CCMR_CCS << s);
    m |= TIM_ICSELECTION_DIRECTTI << s;
    m &= ~(TIM_CCMR_ICF << s);
    ccer &= ~((TIM_CCER_CCP | TIM_CCER_CCNP) << e);
    ccer |= (polarity & (TIM_CCER_CCP | TIM_CCER_CCNP)) << e;
    *ccmr = m;
    t->CCER = ccer;
    *ccmr &= ~(TIM_CCMR_ICPSC << s);
}

/* HAL_TIMEx_MasterConfigSynchronization: TRGO = update, TRGO2 reset, no master/slave. */
static inline void tim_master_trgo_update(struct tim *t)
{
    uint32_t cr2 = t->CR2, smcr = t->SMCR;
    if (tim_is_advanced(t)) {
        cr2 &= ~TIM_CR2_MMS2;
    }
    cr2 &= ~TIM_CR2_MMS;
    cr2 |= TIM_CR2_MMS_UPDATE;
    smcr &= ~TIM_SMCR_MSM;
    t->CR2 = cr2;
    t->SMCR = smcr;
}

#if !defined(FW_TARGET_MP15)
/* HAL_GPIO_Init for one pin: output or alternate function push-pull (speed very high,
 * type, pull, AF, mode, in the HAL's order), or analog; `pull` as GPIO_PUPDR (0 none,
 * 1 pull-up, 2 pull-down). */
#define GPIO_MODE_OUTPUT 1u
#define GPIO_MODE_AF     2u
#define GPIO_MODE_ANALOG 3u
#define GPIO_NOPULL      0u
#define GPIO_PULLUP      1u
static inline void gpio_init_pin_pull(unsigned port, unsigned pin, unsigned mode, unsigned af, unsigned pull)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(port);
    (void)RCC->AHB4ENR;
    struct h7_gpio *g = GPIO(port);
    if (mode == GPIO_MODE_AF || mode == GPIO_MODE_OUTPUT) {
        g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (3u << (2u * pin)); /* very high */
        g->OTYPER &= ~(1u << pin);
    }
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pin))) | (mode == GPIO_MODE_ANALOG ? 0u : pull << (2u * pin));
    if (mode == GPIO_MODE_AF) {
        volatile uint32_t *afr = &g->AFR[pin >> 3];
        const unsigned sh = 4u * (pin & 7u);
        *afr = (*afr & ~(15u << sh)) | (af << sh);
    }
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | (mode << (2u * pin));
}
static inline void gpio_init_pin(unsigned port, unsigned pin, unsigned mode, unsigned af)
{
    gpio_init_pin_pull(port, pin, mode, af, GPIO_NOPULL);
}
#endif /* !FW_TARGET_MP15 */

#endif /* AMPVP_ST_TIM_LITE_H */
