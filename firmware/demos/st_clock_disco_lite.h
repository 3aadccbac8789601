/*
 * st_clock_disco_lite.h - SystemClock_Config of ST's STM32H745I-DISCO / STM32H747I-DISCO
 * examples (DMA/DMAMUX_RequestGen, TIM/TIM_DMA ...), written for this project from the
 * HAL's register sequences for that one configuration (stm32h7xx_hal_rcc.c
 * HAL_RCC_OscConfig / HAL_RCC_ClockConfig, stm32h7xx_hal.c HAL_EnableCompensationCell):
 *
 *   __HAL_PWR_VOLTAGESCALING_CONFIG(SCALE1): PWR_D3CR.VOS = 11, wait VOSRDY.
 *   HAL_RCC_OscConfig (HSE on, PLL1 from HSE): RCC_CR.HSEON, wait HSERDY; PLL1 off, wait
 *     PLL1RDY = 0; PLLCKSELR source HSE, DIVM1 5 (25 MHz crystal: 5 MHz reference);
 *     PLL1DIVR N 160, P 2, Q 4, R 2 (800 MHz VCO, 400 MHz P); FRACN off, FRACN1 0; PLLCFGR
 *     PLL1RGE 2 (4-8 MHz), wide VCO, DIVP1EN/DIVQ1EN/DIVR1EN, FRACEN; PLL1 on, wait PLL1RDY.
 *   HAL_RCC_ClockConfig(FLASH_LATENCY_4): FLASH_ACR.LATENCY 4 (read back); D1PPRE, D2PPRE1,
 *     D2PPRE2, D3PPRE, HPRE /2 (raised before the switch); D1CPRE /1; CFGR.SW = PLL1, wait
 *     SWS; then HAL_InitTick at the new SystemCoreClock (400 MHz on the CM7).
 *   __HAL_RCC_CSI_ENABLE, __HAL_RCC_SYSCFG_CLK_ENABLE, HAL_EnableCompensationCell.
 *
 * Result: SYSCLK 400 MHz (CM7), HCLK 200 MHz (CM4, AXI, AHB1-4), APB1-4 100 MHz, timer
 * clocks 200 MHz (RM0399: twice the APB clock when its prescaler is not 1).  The ST code
 * has no time-outs in its VOSRDY loop; those of the HAL on HSERDY and PLL1RDY end here in
 * a return of 0 instead of the HAL's HAL_TIMEOUT.
 */
#ifndef AMPVP_ST_CLOCK_DISCO_LITE_H
#define AMPVP_ST_CLOCK_DISCO_LITE_H

#include <stdint.h>

#include "demo_time.h"
#include "platform.h"
#include "st_lowpower.h"
#include "stm32h745_regs.h"

#define DISCO_SYSCLK_HZ 400000000u

/* 1 when the system runs at 400 MHz from the PLL. */
static inline int disco_system_clock_config(void)
{
    PWR->D3CR = (PWR->D3CR & ~PWR_D3CR_VOS_Msk) | (3u << PWR_D3CR_VOS_Pos);
    while (!(PWR->D3CR & PWR_D3CR_VOSRDY)) {
    }
    RCC->CR |= RCC_CR_HSEON;
    if (!lp_wait_set(&RCC->CR, RCC_CR_HSERDY)) {
        return 0;
    }
    RCC->CR &= ~RCC_CR_PLL1ON;
    if (!lp_wait_clear(&RCC->CR, RCC_CR_PLL1RDY)) {
        return 0;
    }
    RCC->PLLCKSELR = (RCC->PLLCKSELR & ~(RCC_PLLCKSELR_PLLSRC_Msk | RCC_PLLCKSELR_DIVM1_Msk)) |
                     RCC_PLLCKSELR_PLLSRC_HSE | (5u << RCC_PLLCKSELR_DIVM1_Pos);
    RCC->PLL1DIVR = ((160u - 1u) << RCC_PLL1DIVR_DIVN1_Pos) | ((2u - 1u) << RCC_PLL1DIVR_DIVP1_Pos) |
                    ((4u - 1u) << RCC_PLL1DIVR_DIVQ1_Pos) | ((2u - 1u) << RCC_PLL1DIVR_DIVR1_Pos);
    RCC->PLLCFGR &= ~RCC_PLLCFGR_PLL1FRACEN;
    RCC->PLL1FRACR &= ~RCC_PLL1FRACR_FRACN1_Msk;
    RCC->PLLCFGR = (RCC->PLLCFGR & ~RCC_PLLCFGR_PLL1RGE_Msk) | (2u << RCC_PLLCFGR_PLL1RGE_Pos);
    RCC->PLLCFGR &= ~RCC_PLLCFGR_PLL1VCOSEL;
    RCC->PLLCFGR |= RCC_PLLCFGR_DIVP1EN;
    RCC->PLLCFGR |= RCC_PLLCFGR_DIVQ1EN;
    RCC->PLLCFGR |= RCC_PLLCFGR_DIVR1EN;
    RCC->PLLCFGR |= RCC_PLLCFGR_PLL1FRACEN;
    RCC->CR |= RCC_CR_PLL1ON;
    if (!lp_wait_set(&RCC->CR, RCC_CR_PLL1RDY)) {
        return 0;
    }

    FLASH_ACR = (FLASH_ACR & ~FLASH_ACR_LATENCY_Msk) | 4u;
    if ((FLASH_ACR & FLASH_ACR_LATENCY_Msk) != 4u) {
        return 0;
    }
    RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_D1PPRE_Msk) | (RCC_PPRE_DIV2 << RCC_D1CFGR_D1PPRE_Pos);
    RCC->D2CFGR = (RCC->D2CFGR & ~RCC_D2CFGR_D2PPRE1_Msk) | (RCC_PPRE_DIV2 << RCC_D2CFGR_D2PPRE1_Pos);
    RCC->D2CFGR = (RCC->D2CFGR & ~RCC_D2CFGR_D2PPRE2_Msk) | (RCC_PPRE_DIV2 << RCC_D2CFGR_D2PPRE2_Pos);
    RCC->D3CFGR = (RCC->D3CFGR & ~RCC_D3CFGR_D3PPRE_Msk) | (RCC_PPRE_DIV2 << RCC_D3CFGR_D3PPRE_Pos);
    RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_HPRE_Msk) | (RCC_HPRE_DIV2 << RCC_D1CFGR_HPRE_Pos);
    RCC->D1CFGR = (RCC->D1CFGR & ~RCC_D1CFGR_D1CPRE_Msk) | (RCC_HPRE_DIV1 << RCC_D1CFGR_D1CPRE_Pos);
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | RCC_CFGR_SW_PLL1;
    for (uint32_t i = 0; (RCC->CFGR & RCC_CFGR_SWS_Msk) != (RCC_CFGR_SW_PLL1 << RCC_CFGR_SWS_Pos); i++) {
        if (i > LP_WAIT_POLLS) {
            return 0;
        }
    }
    SystemCoreClock = DISCO_SYSCLK_HZ;
    demo_time_start(); /* HAL_InitTick at the new clock */

    RCC->CR |= RCC_CR_CSION;
    RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
    (void)RCC->APB4ENR;
    SYSCFG->CCCSR |= SYSCFG_CCCSR_EN;
    return 1;
}

#endif /* AMPVP_ST_CLOCK_DISCO_LITE_H */
