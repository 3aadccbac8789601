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
#include "st_clock_lite.h" /* HAL_Init, SystemClock_Config, the console at those clocks */
#define D2CKRDY_SPIN             0xFFFF  /* the template's bound, in polls */
#define HSEM_ID_0                0u

/* ---- MPU_Config of the template ------------------------------------------------------- */
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

/* ---- boot handshake with the CM4 ------------------------------------------------------- */
/* while ((D2CKRDY set) == want_set... ) && (timeout-- > 0));  if (timeout < 0) error */
static int wait_d2ckrdy(uint32_t want)
{
    int32_t timeout = D2CKRDY_SPIN;
    while ((((RCC->CR & RCC_CR_D2CKRDY) != 0u) != (want != 0u)) && (timeout-- > 0)) {
    }
    return timeout >= 0;
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
