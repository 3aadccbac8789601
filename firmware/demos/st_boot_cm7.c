/*
 * st_boot_cm7.c - ST's dual-core template for the NUCLEO-H745ZI-Q, Cortex-M7 side,
 * register for register and in ST's order (ampvp's own code: the facts were read from
 * ST's public sources, none of their code or text is copied).
 *
 * What it reproduces (STM32CubeH7):
 *   Projects/NUCLEO-H745ZI-Q/Templates/BootCM4_CM7/CM7/Src/main.c   main, SystemClock_Config,
 *                                                                   MPU_Config, CPU_CACHE_Enable
 *   .../BootCM4_CM7/CM7/Inc/stm32h7xx_hal_conf.h                    HSE_VALUE 8 MHz,
 *                                                                   HSE_STARTUP_TIMEOUT 100 ms,
 *                                                                   TICK_INT_PRIORITY 15
 *   .../BootCM4_CM7/STM32CubeIDE/CM7/.cproject                      USE_PWR_DIRECT_SMPS_SUPPLY
 *   Drivers/STM32H7xx_HAL_Driver: stm32h7xx_hal.c (HAL_Init, HAL_InitTick, HAL_Delay),
 *     stm32h7xx_hal_rcc.c (HAL_RCC_OscConfig, HAL_RCC_ClockConfig, HAL_RCC_GetSysClockFreq,
 *     HAL_RCC_GetHCLKFreq, HAL_RCC_GetPCLK1Freq), stm32h7xx_hal_pwr_ex.c
 *     (HAL_PWREx_ConfigSupply), stm32h7xx_hal_pwr.h (__HAL_PWR_VOLTAGESCALING_CONFIG),
 *     stm32h7xx_hal_rcc.h (__HAL_RCC_HSE_CONFIG, __HAL_RCC_PLL_CONFIG ...),
 *     stm32h7xx_hal_hsem.c (HAL_HSEM_FastTake, HAL_HSEM_Release), stm32h7xx_hal_cortex.c
 *     (HAL_MPU_*, HAL_NVIC_*), CMSIS core_cm7.h (SysTick_Config, SCB_Enable*Cache).
 *
 * Before main, startup runs our full SystemInit (src/system_stm32h745.c: ST's CM7
 * SystemInit, RCC back to reset values, EXTI line 78, FMC bank 1 off, VTOR).  Where ST's
 * writes 0 to PLLCKSELR, PLLCFGR and PLLxDIVR, ours writes their RM0399 reset values;
 * the read-modify-writes below end in the same PLL1 configuration either way.
 *
 * main (CM7), in order:
 *  1. MPU_Config: DMB; SHCSR.MEMFAULTENA = 0; MPU_CTRL = 0; MPU_RNR = 0; MPU_RASR.ENABLE
 *     = 0; MPU_RBAR = 0; MPU_RASR = 0x1004873F (XN, no access, shareable, TEX 0, C = B =
 *     0, SRD 0x87, 4 GB, enabled: no access to 0x60000000-0xDFFFFFFF); MPU_CTRL =
 *     PRIVDEFENA | ENABLE; SHCSR.MEMFAULTENA = 1; DSB; ISB.
 *  2. CPU_CACHE_Enable: SCB_EnableICache (DSB, ISB, ICIALLU = 0, DSB, ISB, CCR.IC = 1,
 *     DSB, ISB) and SCB_EnableDCache (CSSELR = 0, DSB, read CCSIDR, DCISW for every set
 *     and way, DSB, CCR.DC = 1, DSB, ISB); both skip if already enabled.
 *  3. Spin until RCC_CR.D2CKRDY = 0 (the CM4 sits in D2 STOP), 0xFFFF polls; timeout =
 *     Error_Handler.
 *  4. HAL_Init: AIRCR.PRIGROUP = 3 (NVIC_PRIORITYGROUP_4); SystemCoreClock and
 *     SystemD2Clock from the RCC (HAL_RCC_GetSysClockFreq >> D1CPRE, >> HPRE); HAL_InitTick
 *     (15): SysTick_Config(SystemCoreClock / 1000) (LOAD, SHPR3 SysTick priority 15, VAL =
 *     0, CTRL = CLKSOURCE | TICKINT | ENABLE), then HAL_NVIC_SetPriority(SysTick, 15, 0).
 *     HAL_MspInit of the template does nothing.
 *  5. SystemClock_Config (400 MHz from HSE 8 MHz bypass):
 *     a. Supply: PWR_DIRECT_SMPS_SUPPLY (the board's default solder bridges; the
 *        template's projects define USE_PWR_DIRECT_SMPS_SUPPLY).  HAL_PWREx_ConfigSupply:
 *        if (PWR_CR3 & (SDEN | LDOEN | BYPASS)) != (SDEN | LDOEN) the supply is locked:
 *        OK if (CR3 & 0x3F) == SDEN, else error; otherwise CR3[5:0] = SDEN (read-modify-
 *        write) and poll PWR_CSR1.ACTVOSRDY for at most 1000 ms of HAL_GetTick.
 *        (The template revision read does this in ExitRun0Mode(), called by ST's startup
 *        before SystemInit: CR3 &= ~LDOEN, then an unbounded ACTVOSRDY poll; same CR3
 *        value.  CubeMX-generated code for this board calls HAL_PWREx_ConfigSupply at the
 *        start of SystemClock_Config, which is what is done here: our startup has no
 *        ExitRun0Mode hook.)
 *     b. __HAL_PWR_VOLTAGESCALING_CONFIG(SCALE1): SYSCFG_PWRCR.ODEN = 0, read PWRCR back;
 *        PWR_D3CR.VOS = 11, read VOS back.  Then poll PWR_D3CR.VOSRDY with NO bound.
 *     c. HAL_RCC_OscConfig(HSE bypass, PLL1 on from HSE, M 4, N 400, P 2, Q 4, R 2, FRACN 0,
 *        VCI range 1 (2-4 MHz), wide VCO):
 *        - read RCC_CFGR.SWS and RCC_PLLCKSELR (HSE neither SYSCLK nor PLL source):
 *          RCC_CR.HSEBYP = 1, then RCC_CR.HSEON = 1; poll HSERDY = 1 (100 ms);
 *        - read SWS (PLL1 not the system clock): PLL1ON = 0, poll PLL1RDY = 0 (2 ms);
 *          PLLCKSELR PLLSRC|DIVM1 = HSE | 4 << 4 (read-modify-write); PLL1DIVR =
 *          0x0103038F (N-1 = 399, P-1 = 1, Q-1 = 3, R-1 = 1); PLLCFGR.PLL1FRACEN = 0;
 *          PLL1FRACR.FRACN1 = 0; PLLCFGR.PLL1RGE = 01; PLLCFGR.PLL1VCOSEL = 0;
 *          PLLCFGR DIVP1EN, DIVQ1EN, DIVR1EN = 1 (three writes); PLLCFGR.PLL1FRACEN = 1;
 *          PLL1ON = 1, poll PLL1RDY = 1 (2 ms).  Each step is a read-modify-write.
 *     d. HAL_RCC_ClockConfig(SYSCLK = PLL1, /1, HCLK /2, APB3 /2, APB1 /2, APB2 /2,
 *        APB4 /2, FLASH_LATENCY_4): FLASH_ACR.LATENCY is 7 after reset, so nothing to do
 *        before the switch; D1CFGR.D1PPRE, D2CFGR.D2PPRE1, D2CFGR.D2PPRE2, D3CFGR.D3PPRE,
 *        D1CFGR.HPRE raised to /2 (each compared with the current value first);
 *        D1CFGR.D1CPRE = /1; PLL1RDY checked; CFGR.SW = PLL1, poll SWS = PLL1 (5000 ms);
 *        then, the latency being lower than the current one, FLASH_ACR.LATENCY = 4 and
 *        read back (mismatch = error); SystemCoreClock from the registers (PLL1 with its
 *        fractional part, in float as HAL_RCC_GetSysClockFreq) and HAL_InitTick(15) again.
 *  6. RCC_AHB4ENR.HSEMEN = 1, read back; HAL_HSEM_FastTake(0): read HSEM_RLR0 (0x80000300
 *     = taken by COREID 3); HAL_HSEM_Release(0, 0): HSEM_R0 = 0x00000300.  This frees
 *     semaphore 0 and wakes the CM4 (its HSEM_C2IER bit 0).
 *  7. Spin until RCC_CR.D2CKRDY = 1 (the CM4 is awake), 0xFFFF polls; timeout =
 *     Error_Handler.
 * ST's template ends there (while (1)).  This demo then adds a console and a report:
 *  8. USART3 as HAL_UART_Init does it at the new clocks (115200 8N1, oversampling 16):
 *     RCC_APB1LENR.USART3EN (read back); CR1.UE = 0; CR1/CR2/CR3/PRESC fields;
 *     the kernel clock from RCC_D2CCIP2R.USART234578SEL (000 = rcc_pclk1), PCLK1 from the
 *     registers as HAL_RCC_GetPCLK1Freq (100 MHz); BRR = (100000000 + 57600) / 115200 =
 *     868 = 0x364; CR2 LINEN/CLKEN = 0; CR3 SCEN/HDSEL/IREN = 0; CR1.UE = 1; TEACK, REACK.
 *  9. "CM7: SYSCLK=400000000 HCLK=200000000 (from RCC registers)" (HAL_RCC_GetSysClockFreq
 *     and HAL_RCC_GetHCLKFreq), HAL_Delay(100) between two HAL_GetTick reads:
 *     "CM7: HAL_GetTick advanced <n> ms over HAL_Delay(100)" (HAL_Delay waits at least one
 *     tick more than asked: 101), "CM7 done", WFI forever.
 *
 * Error_Handler (ST's: while (1)) here first brings up the console at whatever clocks the
 * RCC registers say, prints "CM7: Error_Handler: <what failed>" and stops (no "CM7 done").
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "stm32h745_regs.h"

/* ---- ST's constants for this board (stm32h7xx_hal_conf.h of the template) ---------- */
#define HSE_VALUE                8000000u
#define HSI_VALUE                64000000u
#define CSI_VALUE                4000000u
#include "st_hal_lite.h" /* needs the three oscillator values above */
#define HSE_STARTUP_TIMEOUT_MS   100u
#define TICK_INT_PRIORITY        15u
/* HAL timeouts (stm32h7xx_hal_rcc.h, stm32h7xx_hal_pwr_ex.c) */
#define PLL_TIMEOUT_MS           2u
#define CLOCKSWITCH_TIMEOUT_MS   5000u
#define PWR_FLAG_SETTING_DELAY_MS 1000u
#define D2CKRDY_SPIN             0xFFFF  /* the template's bound, in polls */
#define HSEM_ID_0                0u
#define FLASH_LATENCY_4          4u
#define UART_TIMEOUT_MS          100u    /* TEACK/REACK (HAL's own bound is 0x1FFFFFF ms) */


static uint32_t SystemD2Clock = 64000000u;  /* CM4, AXI and AHB clock (HCLK) */


static uint32_t uwTickPrio = 16u; /* "invalid" until HAL_InitTick */

/* ---- results ------------------------------------------------------------------------- */
enum st_status { ST_OK = 0, ST_ERROR, ST_TIMEOUT };
static const char *s_failed = "";  /* what the last ST_ERROR / ST_TIMEOUT was */

static enum st_status fail(enum st_status st, const char *what)
{
    s_failed = what;
    return st;
}

static void console_init_from_rcc(void);
static void error_handler(const char *what) __attribute__((noreturn));

/* HAL_NVIC_SetPriority(SysTick_IRQn, prio, 0) with the grouping read back from AIRCR. */
static void hal_nvic_set_priority_systick(uint32_t preempt)
{
    const uint32_t group = (SCB->AIRCR & SCB_AIRCR_PRIGROUP_Msk) >> SCB_AIRCR_PRIGROUP_Pos;
    const uint32_t pre_bits = (7u - group) > 4u ? 4u : 7u - group;
    const uint32_t sub_bits = (group + 4u) < 7u ? 0u : group + 4u - 7u;
    const uint32_t enc = ((preempt & ((1u << pre_bits) - 1u)) << sub_bits);
    systick_set_priority(enc);
}

static enum st_status hal_init_tick(uint32_t prio)
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
static uint32_t hal_rcc_get_hclk_freq(void)
{
    const uint32_t common = hal_rcc_get_sys_clock_freq() >>
        (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_D1CPRE_Msk) >> RCC_D1CFGR_D1CPRE_Pos] & 0x1Fu);
    SystemD2Clock = common >> (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_HPRE_Msk) >> RCC_D1CFGR_HPRE_Pos] & 0x1Fu);
    SystemCoreClock = common;
    return SystemD2Clock;
}

static uint32_t hal_rcc_get_pclk1_freq(void)
{
    return hal_rcc_get_hclk_freq() >>
           (D1CorePrescTable[(RCC->D2CFGR & RCC_D2CFGR_D2PPRE1_Msk) >> RCC_D2CFGR_D2PPRE1_Pos] & 0x1Fu);
}

/* The SystemCoreClock update HAL_Init and HAL_RCC_ClockConfig do. */
static void update_system_core_clock(void)
{
    const uint32_t common = hal_rcc_get_sys_clock_freq() >>
        (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_D1CPRE_Msk) >> RCC_D1CFGR_D1CPRE_Pos] & 0x1Fu);
    SystemD2Clock = common >> (D1CorePrescTable[(RCC->D1CFGR & RCC_D1CFGR_HPRE_Msk) >> RCC_D1CFGR_HPRE_Pos] & 0x1Fu);
    SystemCoreClock = common;
}

/* ---- HAL_Init (CM7) -------------------------------------------------------------------- */
static enum st_status hal_init(void)
{
    nvic_set_priority_grouping(3u); /* NVIC_PRIORITYGROUP_4: 4 bits preemption */
    update_system_core_clock();
    if (hal_init_tick(TICK_INT_PRIORITY) != ST_OK) {
        return ST_ERROR;
    }
    /* HAL_MspInit: empty in the template. */
    return ST_OK;
}

/* ---- MPU_Config and CPU_CACHE_Enable of the template ----------------------------------- */
static void mpu_config(void)
{
    /* HAL_MPU_Disable */
    cm_dmb();
    SCB->SHCSR &= ~SCB_SHCSR_MEMFAULTENA;
    MPU_CTRL = 0u;
    /* HAL_MPU_ConfigRegion: region 0, base 0, 4 GB, no access, XN, shareable, not
     * cacheable/bufferable, TEX 0, sub-regions 0, 1, 2 and 7 disabled (SRD = 0x87). */
    MPU_RNR = 0u;
    MPU_RASR &= ~MPU_RASR_ENABLE;
    MPU_RBAR = 0x00000000u;
    MPU_RASR = (1u << MPU_RASR_XN_Pos) | (0u << MPU_RASR_AP_Pos) | (0u << MPU_RASR_TEX_Pos) |
               (1u << MPU_RASR_S_Pos) | (0u << MPU_RASR_C_Pos) | (0u << MPU_RASR_B_Pos) |
               (0x87u << MPU_RASR_SRD_Pos) | (0x1Fu << MPU_RASR_SIZE_Pos) | MPU_RASR_ENABLE;
    /* HAL_MPU_Enable(MPU_PRIVILEGED_DEFAULT) */
    MPU_CTRL = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
    SCB->SHCSR |= SCB_SHCSR_MEMFAULTENA;
    cm_dsb();
    cm_isb();
}

static void cpu_cache_enable(void)
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

static enum st_status hal_pwrex_config_supply(uint32_t supply)
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

static enum st_status hal_rcc_osc_config_hse_bypass_pll1(const struct pll_init *pll)
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

static uint32_t flash_get_latency(void) { return FLASH_ACR & FLASH_ACR_LATENCY_Msk; }
static void flash_set_latency(uint32_t l) { FLASH_ACR = (FLASH_ACR & ~FLASH_ACR_LATENCY_Msk) | l; }

/* Field helpers: the register value of field f (mask m, position p). */
#define FIELD(reg, m, p) (((reg) & (m)) >> (p))

static enum st_status hal_rcc_clock_config(const struct clk_init *c, uint32_t latency)
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
static void system_clock_config(void)
{
    if (hal_pwrex_config_supply(PWR_DIRECT_SMPS_SUPPLY) != ST_OK) {
        error_handler(s_failed);
    }

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

/* ---- boot handshake with the CM4 ------------------------------------------------------- */
/* while ((D2CKRDY set) == want_set... ) && (timeout-- > 0));  if (timeout < 0) error */
static int wait_d2ckrdy(uint32_t want)
{
    int32_t timeout = D2CKRDY_SPIN;
    while ((((RCC->CR & RCC_CR_D2CKRDY) != 0u) != (want != 0u)) && (timeout-- > 0)) {
    }
    return timeout >= 0;
}

/* ---- console: USART3 as HAL_UART_Init at the clocks the RCC registers give ---------------- */
#define USART_BRR_OVER16(pclk, baud) (((pclk) + ((baud) / 2u)) / (baud))
_Static_assert(USART_BRR_OVER16(100000000u, 115200u) == 868u, "BRR for 115200 @ 100 MHz");

static uint32_t s_console_pclk;

static void wait_isr_flag(uint32_t flag)
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

static void console_init_from_rcc(void)
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

static void error_handler(const char *what)
{
    console_init_from_rcc();
    uart_printf("CM7: Error_Handler: %s\n", what);
    fw_fatal_stop();
}

int main(void)
{
    mpu_config();
    cpu_cache_enable();

    /* Wait until CPU2 boots and enters STOP mode, or timeout. */
    if (!wait_d2ckrdy(0u)) {
        error_handler("the CM4 never entered D2 STOP (RCC_CR.D2CKRDY stayed 1 for 0xFFFF polls)");
    }

    if (hal_init() != ST_OK) {
        error_handler(s_failed);
    }

    system_clock_config();

    /* Release the CM4: take and free HSEM 0 (its notification wakes CPU2). */
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN; /* __HAL_RCC_HSEM_CLK_ENABLE */
    (void)(RCC->AHB4ENR & RCC_AHB4ENR_HSEMEN);
    const uint32_t rlr = HSEM->RLR[HSEM_ID_0]; /* HAL_HSEM_FastTake */
    const int taken = rlr == (HSEM_R_LOCK | (HSEM_COREID_CM7 << HSEM_R_COREID_Pos));
    HSEM->R[HSEM_ID_0] = (0u | (HSEM_COREID_CM7 << HSEM_R_COREID_Pos)); /* HAL_HSEM_Release(0, 0) */

    /* Wait until CPU2 wakes up from STOP mode. */
    if (!wait_d2ckrdy(1u)) {
        error_handler("the CM4 did not wake up (RCC_CR.D2CKRDY stayed 0 for 0xFFFF polls)");
    }

    /* ---- ST's template stops here; the report ------------------------------------- */
    console_init_from_rcc();
    if (!taken) {
        uart_printf("CM7: HAL_HSEM_FastTake(0) failed (HSEM_RLR0=0x%08x)\n", (unsigned)rlr);
    }
    if (s_console_pclk != 100000000u) {
        uart_printf("CM7: PCLK1 is %u Hz, not 100000000\n", (unsigned)s_console_pclk);
    }
    const uint32_t sysclk = hal_rcc_get_sys_clock_freq();
    const uint32_t hclk = hal_rcc_get_hclk_freq();
    uart_printf("CM7: SYSCLK=%u HCLK=%u (from RCC registers)\n", (unsigned)sysclk, (unsigned)hclk);
    const uint32_t t0 = hal_get_tick();
    hal_delay(100u);
    const uint32_t t1 = hal_get_tick();
    uart_printf("CM7: HAL_GetTick advanced %u ms over HAL_Delay(100)\n", (unsigned)(t1 - t0));
    uart_puts("CM7 done\n");
    fw_finish();
}
