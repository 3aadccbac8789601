/*
 * mp15_hal_lite.h - the STM32CubeMP1 HAL and DK2 BSP services ST's STM32MP157C-DK2
 * Cortex-M4 examples use around their peripheral code, written for this project from
 * ST's behaviour (stm32mp1xx_hal.c: HAL_Init, HAL_InitTick, HAL_IncTick, HAL_Delay;
 * stm32mp1xx_hal_rcc.c / _rcc_ex.c: HAL_RCC_OscConfig, HAL_RCC_HSEConfig,
 * HAL_RCC_LSEConfig, RCC_PLL1_Config, RCCEx_PLL2/3/4_Config, HAL_RCC_ClockConfig,
 * RCC_MPUConfig, RCC_AXISSConfig, RCC_MCUConfig, HAL_RCC_GetSystemCoreClockFreq,
 * HAL_RCC_GetPCLK1Freq; stm32mp1xx_hal_hsem.c: HAL_HSEM_FastTake, HAL_HSEM_Release; the
 * examples' lock_resource.c: PERIPH_LOCK / PERIPH_UNLOCK; stm32mp15xx_disco.c:
 * BSP_LED_Init / On / Off / Toggle; stm32mp1xx_hal_gpio.c: HAL_GPIO_Init for an output
 * or input pin).  No ST code or text is copied.  One definition per image (static
 * functions; the including file defines nothing first).
 *
 * The examples' main() begins
 *     HAL_Init();
 *     if (IS_ENGINEERING_BOOT_MODE()) SystemClock_Config();
 * with the same SystemClock_Config in every DK2 example (mp15_system_clock_config_dk2
 * below, in the HAL's order): PWR_CR1.DBP; BDCR.LSEDRV = medium high; HSE digital
 * bypass (24 MHz on the DK2); HSI on, trimmed 16, /1; LSE on; PLL1 HSE/3 x (81 +
 * 0x800/8192) P/Q/R /1 (MPU 650 MHz); PLL2 HSE/3 x (66 + 0x1400/8192) P /2 (AXI
 * 266 MHz); PLL3 HSE/2 x (34 + 0x1A04/8192), input range 8-16 MHz, P /2 (MCU
 * 208.9 MHz), Q /17, R /37; PLL4 HSE/4 x 99, input range 4-8 MHz, P /6, Q /8, R /8
 * (integer mode); MPU from PLL1, AXI from PLL2 /1, MCU from PLL3 /1, APB4 /2, APB5 /4,
 * APB1-3 /2; RTCDIV = 24 - 1 (the RTC's HSE clock at 1 MHz).
 */
#ifndef AMPVP_MP15_HAL_LITE_H
#define AMPVP_MP15_HAL_LITE_H

#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32mp15_regs.h"

/* Register offsets of ST's CMSIS RCC_TypeDef / PWR_TypeDef (stm32mp157cxx_cm4.h). */
#define MP15_REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define RCC_OCENSETR   MP15_REG(RCC_BASE, 0x00Cu)
#define RCC_OCENCLRR   MP15_REG(RCC_BASE, 0x010u)
#define RCC_HSICFGR_R  MP15_REG(RCC_BASE, 0x018u)
#define RCC_MPCKSELR   MP15_REG(RCC_BASE, 0x020u)
#define RCC_ASSCKSELR  MP15_REG(RCC_BASE, 0x024u)
#define RCC_RCK12SELR  MP15_REG(RCC_BASE, 0x028u)
#define RCC_AXIDIVR    MP15_REG(RCC_BASE, 0x030u)
#define RCC_APB4DIVR   MP15_REG(RCC_BASE, 0x03Cu)
#define RCC_APB5DIVR   MP15_REG(RCC_BASE, 0x040u)
#define RCC_RTCDIVR    MP15_REG(RCC_BASE, 0x044u)
#define RCC_MSSCKSELR_R MP15_REG(RCC_BASE, 0x048u)
#define RCC_PLLCR(n)   MP15_REG(RCC_BASE, ((n) <= 2u ? 0x080u + 0x14u * ((n) - 1u) : 0x880u + 0x14u * ((n) - 3u)))
#define RCC_PLLCFGR1(n) MP15_REG(RCC_BASE, ((n) <= 2u ? 0x084u + 0x14u * ((n) - 1u) : 0x884u + 0x14u * ((n) - 3u)))
#define RCC_PLLCFGR2(n) MP15_REG(RCC_BASE, ((n) <= 2u ? 0x088u + 0x14u * ((n) - 1u) : 0x888u + 0x14u * ((n) - 3u)))
#define RCC_PLLFRACR(n) MP15_REG(RCC_BASE, ((n) <= 2u ? 0x08Cu + 0x14u * ((n) - 1u) : 0x88Cu + 0x14u * ((n) - 3u)))
#define RCC_BDCR       MP15_REG(RCC_BASE, 0x140u)
#define RCC_OCRDYR     MP15_REG(RCC_BASE, 0x808u)
#define RCC_RCK3SELR_R MP15_REG(RCC_BASE, 0x820u)
#define RCC_RCK4SELR   MP15_REG(RCC_BASE, 0x824u)
#define RCC_MCUDIVR_R  MP15_REG(RCC_BASE, 0x830u)
#define RCC_APBDIVR(n) MP15_REG(RCC_BASE, 0x834u + 4u * ((n) - 1u)) /* APB1-3 */
#define RCC_UART35CKSELR_R MP15_REG(RCC_BASE, 0x8ECu)
#define RCC_MC_APB1ENSETR_R MP15_REG(RCC_BASE, 0xA80u)
#define RCC_MC_AHB2ENSETR MP15_REG(RCC_BASE, 0xA98u)
#define RCC_MC_AHB3ENSETR_R MP15_REG(RCC_BASE, 0xAA0u)
#define RCC_MC_AHB4ENSETR_R MP15_REG(RCC_BASE, 0xAA8u)
#define RCC_MC_RSTSCLRR_R MP15_REG(RCC_BASE, 0xC00u)
#define PWR_CR1        MP15_REG(PWR_BASE, 0x000u)

#define RCC_OCENR_HSEON  (1u << 8)
#define RCC_OCENR_DIGBYP (1u << 7)
#define RCC_OCENR_HSEBYP (1u << 10)
#define RCC_OCRDYR_HSIRDY    (1u << 0)
#define RCC_OCRDYR_HSIDIVRDY (1u << 2)
#define RCC_OCRDYR_HSERDY    (1u << 8)
#define RCC_HSICFGR_HSIDIV   (3u << 0)
#define RCC_HSICFGR_HSITRIM  (0x7Fu << 8)
#define RCC_BDCR_LSEON   (1u << 0)
#define RCC_BDCR_LSEBYP  (1u << 1)
#define RCC_BDCR_LSERDY  (1u << 2)
#define RCC_BDCR_DIGBYP  (1u << 3)
#define RCC_BDCR_LSEDRV  (3u << 4)
#define RCC_PLLCR_PLLON  (1u << 0)
#define RCC_PLLCR_PLLRDY (1u << 1)
#define RCC_PLLCR_SSCG_CTRL (1u << 2)
#define RCC_PLLCR_DIVEN  (7u << 4)   /* DIVPEN | DIVQEN | DIVREN */
#define RCC_PLLCFGR1_DIVN (0x1FFu << 0)
#define RCC_PLLCFGR1_DIVM (0x3Fu << 16)
#define RCC_PLLCFGR1_IFRGE (3u << 24)
#define RCC_PLLCFGR2_DIVPQR 0x007F7F7Fu
#define RCC_PLLFRACR_FRACV (0x1FFFu << 3)
#define RCC_PLLFRACR_FRACLE (1u << 16)
#define RCC_SRC_Msk       7u         /* xxxSRC fields of the clock switches */
#define RCC_RDY31         (1u << 31) /* xxxSRCRDY, xxxDIVRDY */
#define PWR_CR1_DBP       (1u << 8)
#define RCC_AHB2_DMA1EN    (1u << 0)
#define RCC_AHB2_DMA2EN    (1u << 1)
#define RCC_AHB2_DMAMUXEN  (1u << 2)
#define RCC_AHB2_ADC12EN   (1u << 5)
#define RCC_AHB3_CRC2EN    (1u << 7)
#define RCC_APB1_WWDG1EN   (1u << 28)
/* RCC_MC_RSTSCLRR flags (RM0436; HAL RCC_MASK_ALL_RESET_FLAGS = 0x7FF on the M4) */
#define RCC_MC_RSTSCLRR_MCURSTF   (1u << 5)
#define RCC_MC_RSTSCLRR_WWDG1RSTF (1u << 10)
#define RCC_MC_RSTSCLRR_ALL       0x7FFu

#define MP15_HSI_VALUE 64000000u
#define MP15_HSE_VALUE 24000000u /* the DK2's HSE (HAL conf HSE_VALUE) */
#define MP15_CSI_VALUE 4000000u
#define MP15_TICK_INT_PRIORITY 0x0Fu /* the examples' stm32mp1xx_hal_conf.h */
#define MP15_TIMEOUT_MS 5000u        /* bound of every HAL wait here (HAL: 100-5000 ms) */

/* ---- HAL tick ------------------------------------------------------------------------ */
static volatile uint32_t uwTick;
void SysTick_Handler(void);
void SysTick_Handler(void) { uwTick += 1u; } /* HAL_IncTick (1 kHz) */
static inline uint32_t hal_get_tick(void) { return uwTick; }

/* HAL_Delay: at least `delay` ms (one tick added for the minimum wait). */
static inline void hal_delay(uint32_t delay)
{
    const uint32_t start = hal_get_tick();
    uint32_t wait = delay;
    if (wait < 0xFFFFFFFFu) {
        wait += 1u;
    }
    while (hal_get_tick() - start < wait) {
    }
}

/* A HAL wait: poll until (*reg & mask) == want, bounded by MP15_TIMEOUT_MS of ticks. */
static inline int hal_wait(volatile uint32_t *reg, uint32_t mask, uint32_t want)
{
    const uint32_t start = hal_get_tick();
    while ((*reg & mask) != want) {
        if (hal_get_tick() - start > MP15_TIMEOUT_MS) {
            return 0;
        }
    }
    return 1;
}

/* HAL_NVIC_SetPriority with priority grouping 4 (all 4 bits preempt). */
static inline void hal_nvic_set_priority(int irq, uint32_t preempt)
{
    const uint8_t v = (uint8_t)((preempt & 0xFu) << 4);
    if (irq < 0) {
        SCB->SHPR[(unsigned)(irq + 16) - 4u] = v; /* system handler: SHPR byte 4..15 */
    } else {
        NVIC->IPR[irq] = v;
    }
}

/* ---- clocks -------------------------------------------------------------------------- */
/* HAL_RCC_GetPLL3ClockFreq / PLL4: Fref / (DIVM + 1) * (DIVN + 1 + FRACV / 8192) /
 * (DIVy + 1), in single-precision float as the HAL computes it; y = 0 P, 1 Q, 2 R. */
static inline uint32_t hal_pll_freq(unsigned n, unsigned y)
{
    uint32_t src_sel = n <= 2u ? RCC_RCK12SELR & 3u : n == 3u ? RCC_RCK3SELR_R & 3u : RCC_RCK4SELR & 3u;
    float src;
    switch (src_sel) {
    case 0u: src = (float)(MP15_HSI_VALUE >> (RCC_HSICFGR_R & RCC_HSICFGR_HSIDIV)); break;
    case 1u: src = (float)MP15_HSE_VALUE; break;
    case 2u: src = n >= 3u ? (float)MP15_CSI_VALUE : 0.0f; break;
    default: src = 0.0f; break;
    }
    const uint32_t c1 = RCC_PLLCFGR1(n), c2 = RCC_PLLCFGR2(n);
    const float m = (float)(((c1 & RCC_PLLCFGR1_DIVM) >> 16) + 1u);
    const float frac = (float)((RCC_PLLFRACR(n) & RCC_PLLFRACR_FRACV) >> 3);
    const float vco = src / m * ((float)((c1 & RCC_PLLCFGR1_DIVN) + 1u) + frac / 8192.0f);
    return (uint32_t)(vco / (float)(((c2 >> (8u * y)) & 0x7Fu) + 1u));
}

/* HAL_RCC_GetSystemCoreClockFreq on the M4 (HAL_RCC_GetMCUFreq): the MCU sub-system
 * clock (MSSCKSELR.MCUSSRC) >> MCUDIV. */
static inline uint32_t hal_rcc_get_mcu_freq(void)
{
    uint32_t f;
    switch (RCC_MSSCKSELR_R & 3u) {
    case 0u: f = MP15_HSI_VALUE >> (RCC_HSICFGR_R & RCC_HSICFGR_HSIDIV); break;
    case 1u: f = MP15_HSE_VALUE; break;
    case 2u: f = MP15_CSI_VALUE; break;
    default: f = hal_pll_freq(3u, 0u); break;
    }
    return f >> (RCC_MCUDIVR_R & 0xFu);
}

/* HAL_RCC_GetPCLK1Freq: MLHCLK >> APB1DIV (0 /1 ... 4 and above /16). */
static inline uint32_t hal_rcc_get_pclk1_freq(void)
{
    uint32_t div = RCC_APBDIVR(1) & 7u;
    return hal_rcc_get_mcu_freq() >> (div > 4u ? 4u : div);
}

/* HAL_InitTick: SysTick_Config(SystemCoreClock / 1000), SysTick priority. */
static inline int hal_init_tick(uint32_t prio)
{
    const uint32_t ticks = SystemCoreClock / 1000u;
    if (ticks - 1u > 0xFFFFFFu) {
        return 0;
    }
    SYSTICK->RVR = ticks - 1u;
    hal_nvic_set_priority(-1, 0xFu); /* SysTick_Config sets the lowest, then the HAL ... */
    SYSTICK->CVR = 0u;
    SYSTICK->CSR = SYSTICK_CSR_CLKSOURCE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_ENABLE;
    hal_nvic_set_priority(-1, prio); /* ... HAL_NVIC_SetPriority(SysTick_IRQn, prio) */
    return 1;
}

/* HAL_Init (CM4): priority grouping 4, SystemCoreClock from the RCC, 1 ms tick. */
static inline void hal_init(void)
{
    uint32_t aircr = SCB->AIRCR;
    aircr &= ~(0xFFFFu << 16 | SCB_AIRCR_PRIGROUP_Msk);
    SCB->AIRCR = aircr | SCB_AIRCR_VECTKEY | (3u << SCB_AIRCR_PRIGROUP_Pos);
    SystemCoreClock = hal_rcc_get_mcu_freq();
    (void)hal_init_tick(MP15_TICK_INT_PRIORITY);
}

/* IS_ENGINEERING_BOOT_MODE(): SYSCFG_BOOTR.BOOT = 0b100. */
static inline int is_engineering_boot_mode(void)
{
    return (SYSCFG_BOOTR & SYSCFG_BOOTR_BOOT_Msk) == SYSCFG_BOOTR_BOOT_ENGI;
}

/* MODIFY_REG */
static inline void modify(volatile uint32_t *r, uint32_t clear, uint32_t set) { *r = (*r & ~clear) | set; }

/* RCC_PLL1_Config / RCCEx_PLL2/3/4_Config for PLL n, ON, not in use: post-dividers and
 * PLL off, wait PLLxRDY = 0; source (PLL1/2 share RCK12SELR) and its ready flag;
 * input range (PLL3/4); DIVM/DIVN, DIVP/Q/R; FRACLE = 0, FRACV, FRACLE = 1; SSCG off;
 * PLLON, wait PLLxRDY; post-dividers on.  m, n_, p, q, r as the HAL's PLLM ... PLLR. */
static inline int hal_pll_config(unsigned n, uint32_t source, uint32_t ifrge, uint32_t m, uint32_t n_,
                          uint32_t p, uint32_t q, uint32_t r, uint32_t fracv)
{
    volatile uint32_t *cr = &RCC_PLLCR(n);
    *cr &= ~RCC_PLLCR_DIVEN;
    *cr &= ~RCC_PLLCR_PLLON;
    if (!hal_wait(cr, RCC_PLLCR_PLLRDY, 0u)) {
        return 0;
    }
    volatile uint32_t *sel = n <= 2u ? &RCC_RCK12SELR : n == 3u ? &RCC_RCK3SELR_R : &RCC_RCK4SELR;
    modify(sel, 3u, source);
    if (!hal_wait(sel, RCC_RDY31, RCC_RDY31)) {
        return 0;
    }
    if (n >= 3u) {
        modify(&RCC_PLLCFGR1(n), RCC_PLLCFGR1_IFRGE, ifrge << 24);
    }
    modify(&RCC_PLLCFGR1(n), RCC_PLLCFGR1_DIVN | RCC_PLLCFGR1_DIVM, (n_ - 1u) | ((m - 1u) << 16));
    modify(&RCC_PLLCFGR2(n), RCC_PLLCFGR2_DIVPQR, (p - 1u) | ((q - 1u) << 8) | ((r - 1u) << 16));
    RCC_PLLFRACR(n) &= ~RCC_PLLFRACR_FRACLE;
    modify(&RCC_PLLFRACR(n), RCC_PLLFRACR_FRACV, fracv << 3);
    RCC_PLLFRACR(n) |= RCC_PLLFRACR_FRACLE;
    *cr &= ~RCC_PLLCR_SSCG_CTRL;
    *cr |= RCC_PLLCR_PLLON;
    if (!hal_wait(cr, RCC_PLLCR_PLLRDY, RCC_PLLCR_PLLRDY)) {
        return 0;
    }
    *cr |= RCC_PLLCR_DIVEN;
    return 1;
}

/* A clock switch or divider write and its ready flag (bit 31). */
static inline int hal_switch(volatile uint32_t *r, uint32_t mask, uint32_t v)
{
    modify(r, mask, v);
    return hal_wait(r, RCC_RDY31, RCC_RDY31);
}

/* ST's SystemClock_Config of the DK2 examples (engineering boot): see the file header.
 * Returns NULL, or the step that failed (the examples call Error_Handler). */
static const char *mp15_system_clock_config_dk2(void)
{
    /* HAL_PWR_EnableBkUpAccess; __HAL_RCC_LSEDRIVE_CONFIG(RCC_LSEDRIVE_MEDIUMHIGH) */
    PWR_CR1 |= PWR_CR1_DBP;
    modify(&RCC_BDCR, RCC_BDCR_LSEDRV, 2u << 4);

    /* HAL_RCC_OscConfig, HSE (not in use): HAL_RCC_HSEConfig(RCC_HSE_BYPASS_DIG) */
    RCC_OCENCLRR = RCC_OCENR_HSEON;
    if (!hal_wait(&RCC_OCRDYR, RCC_OCRDYR_HSERDY, 0u)) {
        return "HSE off";
    }
    RCC_OCENCLRR = RCC_OCENR_DIGBYP | RCC_OCENR_HSEBYP;
    RCC_OCENSETR |= RCC_OCENR_DIGBYP;
    RCC_OCENSETR |= RCC_OCENR_HSEBYP;
    RCC_OCENSETR |= RCC_OCENR_HSEON;
    if (!hal_wait(&RCC_OCRDYR, RCC_OCRDYR_HSERDY, RCC_OCRDYR_HSERDY)) {
        return "HSE ready";
    }
    /* HSI, in use by the MCU: calibration, then HSIDIV (no PLL runs from the HSI) */
    modify(&RCC_HSICFGR_R, RCC_HSICFGR_HSITRIM, 16u << 8);
    modify(&RCC_HSICFGR_R, RCC_HSICFGR_HSIDIV, 0u);
    if (!hal_wait(&RCC_OCRDYR, RCC_OCRDYR_HSIDIVRDY, RCC_OCRDYR_HSIDIVRDY)) {
        return "HSIDIV ready";
    }
    SystemCoreClock = hal_rcc_get_mcu_freq();
    (void)hal_init_tick(MP15_TICK_INT_PRIORITY);
    /* LSE: DBP (and its poll), HAL_RCC_LSEConfig(RCC_LSE_ON) */
    PWR_CR1 |= PWR_CR1_DBP;
    if (!hal_wait(&PWR_CR1, PWR_CR1_DBP, PWR_CR1_DBP)) {
        return "DBP";
    }
    RCC_BDCR &= ~RCC_BDCR_LSEON;
    if (!hal_wait(&RCC_BDCR, RCC_BDCR_LSERDY, 0u)) {
        return "LSE off";
    }
    RCC_BDCR &= ~(RCC_BDCR_LSEBYP | RCC_BDCR_DIGBYP);
    RCC_BDCR |= RCC_BDCR_LSEON;
    if (!hal_wait(&RCC_BDCR, RCC_BDCR_LSERDY, RCC_BDCR_LSERDY)) {
        return "LSE ready";
    }
    /* PLL1-PLL4 (source 1 = HSE) */
    if (!hal_pll_config(1u, 1u, 0u, 3u, 81u, 1u, 1u, 1u, 0x800u) ||
        !hal_pll_config(2u, 1u, 0u, 3u, 66u, 2u, 1u, 1u, 0x1400u) ||
        !hal_pll_config(3u, 1u, 1u, 2u, 34u, 2u, 17u, 37u, 0x1A04u) ||
        !hal_pll_config(4u, 1u, 0u, 4u, 99u, 6u, 8u, 8u, 0u)) {
        return "PLL";
    }

    /* HAL_RCC_ClockConfig: MPU from PLL1 (RCC_MPUSOURCE_PLL1 = 2) */
    if (!(RCC_PLLCR(1) & RCC_PLLCR_PLLRDY) || !hal_switch(&RCC_MPCKSELR, 3u, 2u)) {
        return "MPU clock";
    }
    /* AXI from PLL2 (2), /1 */
    if (!(RCC_PLLCR(2) & RCC_PLLCR_PLLRDY) || !hal_switch(&RCC_ASSCKSELR, RCC_SRC_Msk, 2u) ||
        !hal_switch(&RCC_AXIDIVR, 7u, 0u)) {
        return "AXI clock";
    }
    /* MCU from PLL3 (3), SystemCoreClock and the tick follow; MCUDIV /1 */
    if (!(RCC_PLLCR(3) & RCC_PLLCR_PLLRDY) || !hal_switch(&RCC_MSSCKSELR_R, 3u, 3u)) {
        return "MCU clock";
    }
    SystemCoreClock = hal_rcc_get_mcu_freq();
    (void)hal_init_tick(MP15_TICK_INT_PRIORITY);
    if (!hal_switch(&RCC_MCUDIVR_R, 0xFu, 0u)) {
        return "MCUDIV";
    }
    SystemCoreClock = hal_rcc_get_mcu_freq();
    (void)hal_init_tick(MP15_TICK_INT_PRIORITY);
    /* APB4 /2, APB5 /4, APB1-3 /2 */
    if (!hal_switch(&RCC_APB4DIVR, 7u, 1u) || !hal_switch(&RCC_APB5DIVR, 7u, 2u) ||
        !hal_switch(&RCC_APBDIVR(1), 7u, 1u) || !hal_switch(&RCC_APBDIVR(2), 7u, 1u) ||
        !hal_switch(&RCC_APBDIVR(3), 7u, 1u)) {
        return "APB dividers";
    }
    /* __HAL_RCC_RTC_HSEDIV(24) */
    modify(&RCC_RTCDIVR, 0x3Fu, 24u - 1u);
    return 0;
}

/* The examples' first lines: HAL_Init, SystemClock_Config in engineering boot; then the
 * demos' console (mp15_console_init, below).  Returns NULL or the step that failed;
 * *engineering (if not NULL) tells the boot mode. */
static inline void mp15_console_init(void);
static inline const char *mp15_example_start(int *engineering)
{
    hal_init();
    const int engi = is_engineering_boot_mode();
    const char *err = engi ? mp15_system_clock_config_dk2() : 0;
    mp15_console_init();
    if (engineering) {
        *engineering = engi;
    }
    return err;
}

/* MX_GPIO_Init of the DK2 examples: the clocks of GPIOH, D, G, B, F, C, E, A, I. */
static inline void mp15_mx_gpio_init_dk2(void)
{
    static const uint8_t ports[] = {7u, 3u, 6u, 1u, 5u, 2u, 4u, 0u, 8u};
    for (unsigned i = 0; i < sizeof(ports); i++) {
        RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(ports[i]);
    }
}

/* ---- HSEM and the examples' PERIPH_LOCK ------------------------------------------------ */
#define MP15_HSEM_GPIO 0u /* GET_HSEM_SEM_INDEX: GPIOA-K, Z */
#define MP15_HSEM_EXTI 1u

/* HAL_HSEM_FastTake: the 1-step read lock (RLR reads LOCK | COREID 2 when granted). */
static inline int hal_hsem_fast_take(unsigned n)
{
    return HSEM->RLR[n] == (HSEM_R_LOCK | (HSEM_COREID_MCU << HSEM_R_COREID_Pos));
}
/* HAL_HSEM_Release(n, 0) */
static inline void hal_hsem_release(unsigned n) { HSEM->R[n] = HSEM_COREID_MCU << HSEM_R_COREID_Pos; }

/* Periph_Lock with LOCK_RESOURCE_TIMEOUT (100 ms): 0 on time-out (ST: Error_Handler). */
static inline int periph_lock(unsigned sem)
{
    const uint32_t start = hal_get_tick();
    while (!hal_hsem_fast_take(sem)) {
        if (hal_get_tick() - start > 100u) {
            return 0;
        }
    }
    return 1;
}

/* ---- GPIO and the DK2 BSP LEDs --------------------------------------------------------- */
/* HAL_GPIO_Init for one pin: output push-pull (OSPEEDR, OTYPER, PUPDR, MODER) or input
 * (PUPDR, MODER), under PERIPH_LOCK(GPIOx) as the BSP and the examples take it. */
static inline int hal_gpio_init(unsigned port, unsigned pin, int output, uint32_t pull, uint32_t speed)
{
    struct mp15_gpio *g = GPIO(port);
    if (!periph_lock(MP15_HSEM_GPIO)) {
        return 0;
    }
    if (output) {
        g->OSPEEDR = (g->OSPEEDR & ~(3u << (2u * pin))) | (speed << (2u * pin));
        g->OTYPER &= ~(1u << pin);
    }
    g->PUPDR = (g->PUPDR & ~(3u << (2u * pin))) | (pull << (2u * pin));
    g->MODER = (g->MODER & ~(3u << (2u * pin))) | ((output ? GPIO_MODER_OUTPUT : 0u) << (2u * pin));
    hal_hsem_release(MP15_HSEM_GPIO);
    return 1;
}

/* LED7: PH7, active high (LED5 PA14 / LED6 PA13 are active low). */
#define MP15_LED7_PORT GPIO_PORT_H
#define MP15_LED7_PIN  7u

static inline void bsp_led7_on(void) { GPIO(MP15_LED7_PORT)->BSRR = 1u << MP15_LED7_PIN; }
static inline void bsp_led7_off(void) { GPIO(MP15_LED7_PORT)->BSRR = 1u << (MP15_LED7_PIN + 16u); }
/* HAL_GPIO_TogglePin: BSRR = ((ODR & pin) << 16) | (~ODR & pin) */
static inline void bsp_led7_toggle(void)
{
    const uint32_t odr = GPIO(MP15_LED7_PORT)->ODR, pin = 1u << MP15_LED7_PIN;
    GPIO(MP15_LED7_PORT)->BSRR = ((odr & pin) << 16) | (~odr & pin);
}

/* BSP_LED_Init(LED7): GPIOH clock, output push-pull with pull-up, very high speed,
 * then the LED off. */
static inline int bsp_led7_init(void)
{
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(MP15_LED7_PORT);
    if (!hal_gpio_init(MP15_LED7_PORT, MP15_LED7_PIN, 1, GPIO_PUPDR_PULLUP, GPIO_OSPEEDR_VERY_HIGH)) {
        return 0;
    }
    bsp_led7_off();
    return 1;
}

/* ---- EXTI14 on USER1 (PA14) -------------------------------------------------------------- */
#define MP15_EXTI_RTSR1 MP15_REG(EXTI_BASE, 0x00u)
#define MP15_EXTI_FTSR1 MP15_REG(EXTI_BASE, 0x04u)
#define MP15_EXTI_FPR1  MP15_REG(EXTI_BASE, 0x10u)
#define MP15_EXTI_EXTICR(n) MP15_REG(EXTI_BASE, 0x60u + 4u * (n))
#define MP15_EXTI14_IRQn 121
#define MP15_DEFAULT_IRQ_PRIO 1u /* the examples' main.h */
#define MP15_USER1_PIN 14u

/* EXTI14_IRQHandler_Config of the DK2 examples (GPIO_EXTI, WWDG, ADC): GPIOA clock; PA14
 * input, no pull, under PERIPH_LOCK(GPIOA); HAL_EXTI_SetConfigLine(line 14, falling, port
 * A, C2 interrupt) under PERIPH_LOCK(EXTI) (HSEM 1): RTSR1 bit 14 = 0, FTSR1 bit 14 = 1,
 * EXTICR4 EXTI14 (bits 23:16) = 0 (GPIOA), C2IMR1 bit 14 = 1, C2EMR1 bit 14 = 0; NVIC
 * EXTI14 (121), priority DEFAULT_IRQ_PRIO + 2, enabled.  0 if a lock times out. */
static inline int mp15_exti14_user1_config(void)
{
    const uint32_t bit = 1u << MP15_USER1_PIN, shift = 8u * (MP15_USER1_PIN & 3u);
    RCC->MC_AHB4ENSETR = RCC_AHB4ENSETR_GPIOEN(GPIO_PORT_A);
    if (!hal_gpio_init(GPIO_PORT_A, MP15_USER1_PIN, 0, 0u, 0u) || !periph_lock(MP15_HSEM_EXTI)) {
        return 0;
    }
    MP15_EXTI_RTSR1 &= ~bit;
    MP15_EXTI_FTSR1 |= bit;
    MP15_EXTI_EXTICR(MP15_USER1_PIN >> 2) = (MP15_EXTI_EXTICR(MP15_USER1_PIN >> 2) & ~(0xFFu << shift)) | (0u << shift);
    EXTI_C2IMR1 |= bit;
    EXTI_C2EMR1 &= ~bit;
    hal_hsem_release(MP15_HSEM_EXTI);
    hal_nvic_set_priority(MP15_EXTI14_IRQn, MP15_DEFAULT_IRQ_PRIO + 2u);
    nvic_enable_irq(MP15_EXTI14_IRQn);
    return 1;
}

/* HAL_EXTI_IRQHandler for line 14 with a falling callback only: FPR1 bit 14 written
 * back to clear it, then the callback. */
static inline void mp15_exti14_irq(void (*falling)(void))
{
    const uint32_t bit = 1u << MP15_USER1_PIN;
    if (MP15_EXTI_FPR1 & bit) {
        MP15_EXTI_FPR1 = bit;
        falling();
    }
}

/* The console: USART3 on the HSI kernel clock (UART35CKSELR = 2, hsi_ker_ck), so its
 * 115200 baud survives SystemClock_Config's new PCLK1 (ST's examples print nothing;
 * this is the demos' own reporting channel). */
static inline void mp15_console_init(void)
{
    RCC_UART35CKSELR_R = 2u;
    uart_init();
}

#endif /* AMPVP_MP15_HAL_LITE_H */
