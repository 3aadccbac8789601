/*
 * st_clock_lite.h - the CM7 side of ST's NUCLEO-H745ZI-Q examples up to the user code,
 * written for this project from ST's behaviour (stm32h7xx_hal.c, stm32h7xx_hal_rcc.c,
 * stm32h7xx_hal_pwr_ex.c, stm32h7xx_hal_uart.c, core_cm7.h): HAL_Init (CM7),
 * CPU_CACHE_Enable, SystemClock_Config to 400 MHz from the 8 MHz HSE in bypass (PLL1
 * M 4, N 400, P 2; HCLK 200 MHz, APB1-4 100 MHz, FLASH_LATENCY_4; supply
 * PWR_DIRECT_SMPS_SUPPLY, voltage scale 1), and HAL_UART_Init of the USART3 console at
 * the clocks the RCC registers then give.  st_boot_cm7.c describes every step.  The
 * including file includes st_hal_lite.h first and defines
 *   static void error_handler(const char *what) __attribute__((noreturn));
 * (ST's Error_Handler: the failed step's name in s_failed).
 */
#ifndef AMPVP_ST_CLOCK_LITE_H
#define AMPVP_ST_CLOCK_LITE_H

#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "stm32h745_regs.h"

/* ST's constants for this board (stm32h7xx_hal_conf.h, stm32h7xx_hal_rcc.h, _pwr_ex.c) */
#define HSE_STARTUP_TIMEOUT_MS   100u
#define TICK_INT_PRIORITY        15u
/* HAL timeouts (stm32h7xx_hal_rcc.h, stm32h7xx_hal_pwr_ex.c) */
#define PLL_TIMEOUT_MS           2u
#define CLOCKSWITCH_TIMEOUT_MS   5000u
#define PWR_FLAG_SETTING_DELAY_MS 1000u
#define FLASH_LATENCY_4          4u
#define UART_TIMEOUT_MS          100u    /* TEACK/REACK (HAL's own bound is 0x1FFFFFF ms) */

static uint32_t SystemD2Clock = 64000000u;  /* CM4, AXI and AHB clock (HCLK) */
static uint32_t uwTickPrio = 16u; /* "invalid" until HAL_InitTick */

/* ---- results ------------------------------------------------------------------------- */
enum st_status { ST_OK = 0, ST_ERROR, ST_TIMEOUT };
static const char *s_failed = "";  /* what the last ST_ERROR / ST_TIMEOUT was */

static inline enum st_status fail(enum st_status st, const char *what)
{
    s_failed = what;
    return st;
}

static void error_handler(const char *what) __attribute__((noreturn));

/* HAL_NVIC_SetPriority(SysTick_IRQn, prio, 0) with the grouping read back from AIRCR. */
static inline void hal_nvic_set_priority_systick(uint32_t preempt)
{
    const uint32_t group = (SCB->AIRCR & SCB_AIRCR_PRIGROUP_Msk) >> SCB_AIRCR_PRIGROUP_Pos;
    const uint32_t pre_bits = (7u - group) > 4u ? 4u : 7u - group;
    const uint32_t sub_bits = (group + 4u) < 7u ? 0u : group + 4u - 7u;
    const uint32_t enc = ((preempt & ((1u << pre_bits) - 1u)) << sub_bits);
    systick_set_priority(enc);
}

static inline enum st_status hal_init_tick(uint32_t prio)
{
    if (systick_config(SystemCoreClock / 1000u) > 0u) {
        return fail(ST_ERROR, "HAL_InitTick: SysTick reload out of range");
    }
    if (prio < 16u) {
        hal_nvic_set_priority_systick(prio);
        uwTickPrio = prio;
    } else {
        return fail(ST_ERROR, "HAL_InitTick: bad priority");
    }
    return ST_OK;
}

/* ---- clock frequencies from the RCC registers, as HAL computes them -------------------- */

/* HAL_RCC_GetHCLKFreq: updates SystemCoreClock (CM7: the D1 core clock) and SystemD2Clock. */
static inline uint32_t hal_rcc_get_hclk_freq(void)
{
    const uint32_t common = hal_rcc_get_sys_clock_freq() >>
        (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_D1CPRE_Msk) >> RCC_D1CFGR_D1CPRE_Pos] & 0x1Fu);
    SystemD2Clock = common >> (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_HPRE_Msk) >> RCC_D1CFGR_HPRE_Pos] & 0x1Fu);
    SystemCoreClock = common;
    return SystemD2Clock;
}

static inline uint32_t hal_rcc_get_pclk1_freq(void)
{
    return hal_rcc_get_hclk_freq() >>
           (D1CorePrescTable[(RCC->D2CFGR & RCC_D2CFGR_D2PPRE1_Msk) >> RCC_D2CFGR_D2PPRE1_Pos] & 0x1Fu);
}

/* The SystemCoreClock update HAL_Init and HAL_RCC_ClockConfig do. */
static inline void update_system_core_clock(void)
{
    const uint32_t common = hal_rcc_get_sys_clock_freq() >>
        (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_D1CPRE_Msk) >> RCC_D1CFGR_D1CPRE_Pos] & 0x1Fu);
    SystemD2Clock = common >> (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_HPRE_Msk) >> RCC_D1CFGR_HPRE_Pos] & 0x1Fu);
    SystemCoreClock = common;
}

/* ---- HAL_Init (CM7) -------------------------------------------------------------------- */
static inline enum st_status hal_init(void)
{
    nvic_set_priority_grouping(3u); /* NVIC_PRIORITYGROUP_4: 4 bits preemption */
    update_system_core_clock();
    if (hal_init_tick(TICK_INT_PRIORITY) != ST_OK) {
        return ST_ERROR;
    }
    /* HAL_MspInit: empty in the template. */
    return ST_OK;
}

static inline void cpu_cache_enable(void)
{
    /* SCB_EnableICache */
    if (!(SCB->CCR & SCB_CCR_IC)) {
        cm_dsb();
        cm_isb();
        SCB_ICIALLU = 0u;
        cm_dsb();
        cm_isb();
        SCB->CCR |= SCB_CCR_IC;
        cm_dsb();
        cm_isb();
    }
    /* SCB_EnableDCache: invalidate every set and way of the L1 data cache, then enable. */
    if (!(SCB->CCR & SCB_CCR_DC)) {
        SCB->CSSELR = 0u;
        cm_dsb();
        const uint32_t ccsidr = SCB->CCSIDR;
        uint32_t sets = CCSIDR_SETS(ccsidr);
        do {
            uint32_t ways = CCSIDR_WAYS(ccsidr);
            do {
                SCB_DCISW = ((sets << SCB_DCISW_SET_Pos) & SCB_DCISW_SET_Msk) |
                            ((ways << SCB_DCISW_WAY_Pos) & SCB_DCISW_WAY_Msk);
            } while (ways-- != 0u);
        } while (sets-- != 0u);
        cm_dsb();
        SCB->CCR |= SCB_CCR_DC;
        cm_dsb();
        cm_isb();
    }
}

/* ---- HAL_PWREx_ConfigSupply(PWR_DIRECT_SMPS_SUPPLY) ------------------------------------ */
#define PWR_SUPPLY_CONFIG_MASK (PWR_CR3_SDLEVEL_Msk | PWR_CR3_SDEXTHP | PWR_CR3_SDEN | PWR_CR3_LDOEN | PWR_CR3_BYPASS)
#define PWR_DIRECT_SMPS_SUPPLY PWR_CR3_SDEN

static inline enum st_status hal_pwrex_config_supply(uint32_t supply)
{
    /* Already configured (the supply configuration is write-once until power-on)? */
    if ((PWR->CR3 & (PWR_CR3_SDEN | PWR_CR3_LDOEN | PWR_CR3_BYPASS)) != (PWR_CR3_SDEN | PWR_CR3_LDOEN)) {
        if ((PWR->CR3 & PWR_SUPPLY_CONFIG_MASK) != supply) {
            return fail(ST_ERROR, "HAL_PWREx_ConfigSupply: supply already locked to another configuration");
        }
        return ST_OK;
    }
    PWR->CR3 = (PWR->CR3 & ~PWR_SUPPLY_CONFIG_MASK) | supply;
    const uint32_t tickstart = hal_get_tick();
    while (!(PWR->CSR1 & PWR_CSR1_ACTVOSRDY)) {
        if ((hal_get_tick() - tickstart) > PWR_FLAG_SETTING_DELAY_MS) {
            return fail(ST_ERROR, "HAL_PWREx_ConfigSupply: PWR_CSR1.ACTVOSRDY not set within 1000 ms");
        }
    }
    return ST_OK;
}

/* ---- HAL_RCC_OscConfig: HSE bypass, PLL1 on ------------------------------------------- */
struct pll_init {
    uint32_t source, m, n, p, q, r, fracn, rge, vcosel;
};

static inline enum st_status hal_rcc_osc_config_hse_bypass_pll1(const struct pll_init *pll)
{
    uint32_t tickstart;

    /* HSE: not the system clock, nor the PLL source while PLL1 is the system clock. */
    const uint32_t sws = (RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos;
    const uint32_t pllckselr = RCC->PLLCKSELR;
    if (sws == RCC_CFGR_SW_HSE ||
        (sws == RCC_CFGR_SW_PLL1 && (pllckselr & RCC_PLLCKSELR_PLLSRC_Msk) == RCC_PLLCKSELR_PLLSRC_HSE)) {
        /* HSE in use: only switching it off would be refused; nothing to do for bypass. */
    } else {
        RCC->CR |= RCC_CR_HSEBYP; /* __HAL_RCC_HSE_CONFIG(RCC_HSE_BYPASS) */
        RCC->CR |= RCC_CR_HSEON;
        tickstart = hal_get_tick();
        while (!(RCC->CR & RCC_CR_HSERDY)) {
            if ((hal_get_tick() - tickstart) > HSE_STARTUP_TIMEOUT_MS) {
                return fail(ST_TIMEOUT, "HAL_RCC_OscConfig: RCC_CR.HSERDY not set within 100 ms");
            }
        }
    }

    /* PLL1 (RCC_PLL_ON), only while it does not clock the system. */
    if (((RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos) == RCC_CFGR_SW_PLL1) {
        return fail(ST_ERROR, "HAL_RCC_OscConfig: PLL1 already clocks the system");
    }
    RCC->CR &= ~RCC_CR_PLL1ON; /* __HAL_RCC_PLL_DISABLE */
    tickstart = hal_get_tick();
    while (RCC->CR & RCC_CR_PLL1RDY) {
        if ((hal_get_tick() - tickstart) > PLL_TIMEOUT_MS) {
            return fail(ST_TIMEOUT, "HAL_RCC_OscConfig: RCC_CR.PLL1RDY not cleared within 2 ms");
        }
    }
    /* __HAL_RCC_PLL_CONFIG */
    RCC->PLLCKSELR = (RCC->PLLCKSELR & ~(RCC_PLLCKSELR_PLLSRC_Msk | RCC_PLLCKSELR_DIVM1_Msk)) |
                     pll->source | (pll->m << RCC_PLLCKSELR_DIVM1_Pos);
    RCC->PLL1DIVR = ((pll->n - 1u) & RCC_PLL1DIVR_DIVN1_Msk) |
                    (((pll->p - 1u) << RCC_PLL1DIVR_DIVP1_Pos) & RCC_PLL1DIVR_DIVP1_Msk) |
                    (((pll->q - 1u) << RCC_PLL1DIVR_DIVQ1_Pos) & RCC_PLL1DIVR_DIVQ1_Msk) |
                    (((pll->r - 1u) << RCC_PLL1DIVR_DIVR1_Pos) & RCC_PLL1DIVR_DIVR1_Msk);
    RCC->PLLCFGR &= ~RCC_PLLCFGR_PLL1FRACEN;                                  /* __HAL_RCC_PLLFRACN_DISABLE */
    RCC->PLL1FRACR = (RCC->PLL1FRACR & ~RCC_PLL1FRACR_FRACN1_Msk) |
                     (pll->fracn << RCC_PLL1FRACR_FRACN1_Pos);                 /* __HAL_RCC_PLLFRACN_CONFIG */
    RCC->PLLCFGR = (RCC->PLLCFGR & ~RCC_PLLCFGR_PLL1RGE_Msk) | pll->rge;      /* __HAL_RCC_PLL_VCIRANGE */
    RCC->PLLCFGR = (RCC->PLLCFGR & ~RCC_PLLCFGR_PLL1VCOSEL) | pll->vcosel;    /* __HAL_RCC_PLL_VCORANGE */
    RCC->PLLCFGR |= RCC_PLLCFGR_DIVP1EN;                                      /* __HAL_RCC_PLLCLKOUT_ENABLE */
    RCC->PLLCFGR |= RCC_PLLCFGR_DIVQ1EN;
    RCC->PLLCFGR |= RCC_PLLCFGR_DIVR1EN;
    RCC->PLLCFGR |= RCC_PLLCFGR_PLL1FRACEN;                                   /* __HAL_RCC_PLLFRACN_ENABLE */
    RCC->CR |= RCC_CR_PLL1ON;                                                 /* __HAL_RCC_PLL_ENABLE */
    tickstart = hal_get_tick();
    while (!(RCC->CR & RCC_CR_PLL1RDY)) {
        if ((hal_get_tick() - tickstart) > PLL_TIMEOUT_MS) {
            return fail(ST_TIMEOUT, "HAL_RCC_OscConfig: RCC_CR.PLL1RDY not set within 2 ms");
        }
    }
    return ST_OK;
}

/* ---- HAL_RCC_ClockConfig ------------------------------------------------------------------ */
struct clk_init {
    uint32_t sysclk_source;  /* RCC_CFGR.SW code */
    uint32_t sysclk_div;     /* D1CPRE field value */
    uint32_t ahb_div;        /* HPRE field value */
    uint32_t apb3_div, apb1_div, apb2_div, apb4_div; /* DxPPREx field values */
};

static inline uint32_t flash_get_latency(void) { return FLASH_ACR & FLASH_ACR_LATENCY_Msk; }
static inline void flash_set_latency(uint32_t l) { FLASH_ACR = (FLASH_ACR & ~FLASH_ACR_LATENCY_Msk) | l; }

/* Field helpers: the register value of field f (mask m, position p). */
#define FIELD(reg, m, p) (((reg) & (m)) >> (p))

static inline enum st_status hal_rcc_clock_config(const struct clk_init *c, uint32_t latency)
{
    /* Increasing the CPU frequency: more wait states first. */
    if (latency > flash_get_latency()) {
        flash_set_latency(latency);
        if (flash_get_latency() != latency) {
            return fail(ST_ERROR, "HAL_RCC_ClockConfig: FLASH_ACR.LATENCY did not read back");
        }
    }
    /* Increasing the bus dividers (before the switch). */
    if (c->apb3_div > FIELD(RCC->D1CFGR, RCC_D1CFGR_D1PPRE_Msk, RCC_D1CFGR_D1PPRE_Pos)) {
        RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_D1PPRE_Msk) | (c->apb3_div << RCC_D1CFGR_D1PPRE_Pos);
    }
    if (c->apb1_div > FIELD(RCC->D2CFGR, RCC_D2CFGR_D2PPRE1_Msk, RCC_D2CFGR_D2PPRE1_Pos)) {
        RCC->D2CFGR = (RCC->D2CFGR & ~RCC_D2CFGR_D2PPRE1_Msk) | (c->apb1_div << RCC_D2CFGR_D2PPRE1_Pos);
    }
    if (c->apb2_div > FIELD(RCC->D2CFGR, RCC_D2CFGR_D2PPRE2_Msk, RCC_D2CFGR_D2PPRE2_Pos)) {
        RCC->D2CFGR = (RCC->D2CFGR & ~RCC_D2CFGR_D2PPRE2_Msk) | (c->apb2_div << RCC_D2CFGR_D2PPRE2_Pos);
    }
    if (c->apb4_div > FIELD(RCC->D3CFGR, RCC_D3CFGR_D3PPRE_Msk, RCC_D3CFGR_D3PPRE_Pos)) {
        RCC->D3CFGR = (RCC->D3CFGR & ~RCC_D3CFGR_D3PPRE_Msk) | (c->apb4_div << RCC_D3CFGR_D3PPRE_Pos);
    }
    if (c->ahb_div > FIELD(RCC->D1CFGR, RCC_D1CFGR_HPRE_Msk, RCC_D1CFGR_HPRE_Pos)) {
        RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_HPRE_Msk) | (c->ahb_div << RCC_D1CFGR_HPRE_Pos);
    }

    /* SYSCLK */
    RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_D1CPRE_Msk) | (c->sysclk_div << RCC_D1CFGR_D1CPRE_Pos);
    if (c->sysclk_source == RCC_CFGR_SW_PLL1 && !(RCC->CR & RCC_CR_PLL1RDY)) {
        return fail(ST_ERROR, "HAL_RCC_ClockConfig: PLL1 not ready");
    }
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | c->sysclk_source;
    const uint32_t tickstart = hal_get_tick();
    while (FIELD(RCC->CFGR, RCC_CFGR_SWS_Msk, RCC_CFGR_SWS_Pos) != c->sysclk_source) {
        if ((hal_get_tick() - tickstart) > CLOCKSWITCH_TIMEOUT_MS) {
            return fail(ST_TIMEOUT, "HAL_RCC_ClockConfig: RCC_CFGR.SWS did not show PLL1 within 5000 ms");
        }
    }

    /* Decreasing the dividers and the wait states (after the switch). */
    if (c->ahb_div < FIELD(RCC->D1CFGR, RCC_D1CFGR_HPRE_Msk, RCC_D1CFGR_HPRE_Pos)) {
        RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_HPRE_Msk) | (c->ahb_div << RCC_D1CFGR_HPRE_Pos);
    }
    if (latency < flash_get_latency()) {
        flash_set_latency(latency);
        if (flash_get_latency() != latency) {
            return fail(ST_ERROR, "HAL_RCC_ClockConfig: FLASH_ACR.LATENCY did not read back");
        }
    }
    if (c->apb3_div < FIELD(RCC->D1CFGR, RCC_D1CFGR_D1PPRE_Msk, RCC_D1CFGR_D1PPRE_Pos)) {
        RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_D1PPRE_Msk) | (c->apb3_div << RCC_D1CFGR_D1PPRE_Pos);
    }
    if (c->apb1_div < FIELD(RCC->D2CFGR, RCC_D2CFGR_D2PPRE1_Msk, RCC_D2CFGR_D2PPRE1_Pos)) {
        RCC->D2CFGR = (RCC->D2CFGR & ~RCC_D2CFGR_D2PPRE1_Msk) | (c->apb1_div << RCC_D2CFGR_D2PPRE1_Pos);
    }
    if (c->apb2_div < FIELD(RCC->D2CFGR, RCC_D2CFGR_D2PPRE2_Msk, RCC_D2CFGR_D2PPRE2_Pos)) {
        RCC->D2CFGR = (RCC->D2CFGR & ~RCC_D2CFGR_D2PPRE2_Msk) | (c->apb2_div << RCC_D2CFGR_D2PPRE2_Pos);
    }
    if (c->apb4_div < FIELD(RCC->D3CFGR, RCC_D3CFGR_D3PPRE_Msk, RCC_D3CFGR_D3PPRE_Pos)) {
        RCC->D3CFGR = (RCC->D3CFGR & ~RCC_D3CFGR_D3PPRE_Msk) | (c->apb4_div << RCC_D3CFGR_D3PPRE_Pos);
    }

    update_system_core_clock();
    return hal_init_tick(uwTickPrio);
}

/* ---- SystemClock_Config of the template --------------------------------------------- */
/* Its steps after the supply: voltage scale 1, HSE bypass and PLL1, the bus dividers
 * (ST's PWR_Domain3SystemControl has exactly these, without HAL_PWREx_ConfigSupply). */
static inline void system_clock_config_pll1_400mhz(void)
{
    /* __HAL_PWR_VOLTAGESCALING_CONFIG(PWR_REGULATOR_VOLTAGE_SCALE1) */
    SYSCFG->PWRCR &= ~SYSCFG_PWRCR_ODEN;
    (void)(SYSCFG->PWRCR & SYSCFG_PWRCR_ODEN);
    PWR->D3CR = (PWR->D3CR & ~PWR_D3CR_VOS_Msk) | (3u << PWR_D3CR_VOS_Pos);
    (void)(PWR->D3CR & PWR_D3CR_VOS_Msk);
    while (!(PWR->D3CR & PWR_D3CR_VOSRDY)) {
        /* no timeout in ST's code */
    }

    static const struct pll_init pll = {
        .source = RCC_PLLCKSELR_PLLSRC_HSE, .m = 4u, .n = 400u, .p = 2u, .q = 4u, .r = 2u,
        .fracn = 0u, .rge = 1u << RCC_PLLCFGR_PLL1RGE_Pos /* RCC_PLL1VCIRANGE_1: 2-4 MHz */,
        .vcosel = 0u /* RCC_PLL1VCOWIDE */,
    };
    if (hal_rcc_osc_config_hse_bypass_pll1(&pll) != ST_OK) {
        error_handler(s_failed);
    }

    static const struct clk_init clk = {
        .sysclk_source = RCC_CFGR_SW_PLL1, .sysclk_div = RCC_HPRE_DIV1, .ahb_div = RCC_HPRE_DIV2,
        .apb3_div = RCC_PPRE_DIV2, .apb1_div = RCC_PPRE_DIV2, .apb2_div = RCC_PPRE_DIV2,
        .apb4_div = RCC_PPRE_DIV2,
    };
    if (hal_rcc_clock_config(&clk, FLASH_LATENCY_4) != ST_OK) {
        error_handler(s_failed);
    }
}

static inline void system_clock_config(void)
{
    if (hal_pwrex_config_supply(PWR_DIRECT_SMPS_SUPPLY) != ST_OK) {
        error_handler(s_failed);
    }
    system_clock_config_pll1_400mhz();
}

/* ---- console: USART3 as HAL_UART_Init at the clocks the RCC registers give ---------------- */
#define USART_BRR_OVER16(pclk, baud) (((pclk) + ((baud) / 2u)) / (baud))
_Static_assert(USART_BRR_OVER16(100000000u, 115200u) == 868u, "BRR for 115200 @ 100 MHz");

static uint32_t s_console_pclk;

static inline void wait_isr_flag(uint32_t flag)
{
    const uint32_t tickstart = hal_get_tick();
    uint32_t polls = 0u;
    while (!(USART3->ISR & flag)) {
        /* bounded by the HAL tick, and by a poll count in case SysTick is not set up yet */
        if ((hal_get_tick() - tickstart) > UART_TIMEOUT_MS || ++polls > 200000u) {
            return;
        }
    }
}

static inline void console_init_from_rcc(void)
{
    /* HAL_UART_MspInit equivalent: the USART3 bus clock (the console needs no pins here). */
    RCC->APB1LENR |= RCC_APB1LENR_USART3EN;
    (void)RCC->APB1LENR;
    USART3->CR1 &= ~USART_CR1_UE;
    /* UART_SetConfig: 8 data bits, no parity, TX and RX, oversampling 16, FIFO off */
    USART3->CR1 = (USART3->CR1 & ~(USART_CR1_M0 | USART_CR1_M1 | USART_CR1_PCE | USART_CR1_PS |
                                   USART_CR1_TE | USART_CR1_RE | USART_CR1_OVER8 | USART_CR1_FIFOEN)) |
                  USART_CR1_TE | USART_CR1_RE;
    USART3->CR2 &= ~USART_CR2_STOP_Msk;
    USART3->CR3 &= ~(USART_CR3_RTSE | USART_CR3_CTSE | USART_CR3_ONEBIT | USART_CR3_TXFTCFG_Msk |
                     USART_CR3_RXFTCFG_Msk);
    USART3->PRESC &= ~USART_PRESC_PRESCALER_Msk;
    /* UART_GETCLOCKSOURCE: USART234578SEL = 000 is rcc_pclk1 */
    uint32_t pclk = 0u;
    if ((RCC->D2CCIP2R & RCC_D2CCIP2R_USART234578SEL_Msk) == 0u) {
        pclk = hal_rcc_get_pclk1_freq();
    }
    s_console_pclk = pclk;
    const uint32_t div = USART_BRR_OVER16(pclk, CONSOLE_BAUD);
    if (div >= 16u && div <= 0xFFFFu) {
        USART3->BRR = div;
    }
    USART3->CR2 &= ~(USART_CR2_LINEN | USART_CR2_CLKEN);
    USART3->CR3 &= ~(USART_CR3_SCEN | USART_CR3_HDSEL | USART_CR3_IREN);
    USART3->CR1 |= USART_CR1_UE;
    /* UART_CheckIdleState */
    wait_isr_flag(USART_ISR_TEACK);
    wait_isr_flag(USART_ISR_REACK);
}


#endif /* AMPVP_ST_CLOCK_LITE_H */
