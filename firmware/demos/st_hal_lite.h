/*
 * st_hal_lite.h - the few HAL/CMSIS services both st_boot images need, written for this
 * project from ST's behaviour (one definition for both cores, included once per image):
 * the 1 kHz tick (HAL_IncTick / HAL_GetTick / HAL_Delay), NVIC priority grouping and
 * SysTick_Config as CMSIS does them, and HAL_RCC_GetSysClockFreq computed from the RCC
 * registers the way HAL does (PLL1 with fractional N, in single-precision float).
 * The including file defines HSI_VALUE, CSI_VALUE and HSE_VALUE.
 */
#ifndef AMPVP_ST_HAL_LITE_H
#define AMPVP_ST_HAL_LITE_H

#include <stdint.h>

#include "cortex_m.h"
#include "stm32h745_regs.h"

/* HAL's table for the AHB (HPRE, D1CPRE: index = field value) and APB (DxPPRE: index =
 * 3-bit value) prescalers as shifts. */
static const uint8_t D1CorePrescTable[16] = {0, 0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 4, 6, 7, 8, 9};

/* ---- HAL tick ------------------------------------------------------------------------ */
static volatile uint32_t uwTick;

void SysTick_Handler(void);
void SysTick_Handler(void) { uwTick += 1u; } /* HAL_IncTick, uwTickFreq = 1 kHz */

static uint32_t hal_get_tick(void) { return uwTick; }

/* HAL_Delay: at least Delay ms; one tick is added to guarantee the minimum wait. */
static void hal_delay(uint32_t delay)
{
    const uint32_t tickstart = hal_get_tick();
    uint32_t wait = delay;
    if (wait < 0xFFFFFFFFu) {
        wait += 1u;
    }
    while ((hal_get_tick() - tickstart) < wait) {
    }
}

/* ---- NVIC / SysTick as CMSIS and HAL_CORTEX do it ------------------------------------- */
static void nvic_set_priority_grouping(uint32_t group)
{
    uint32_t reg = SCB->AIRCR;
    reg &= ~(0xFFFFu << 16 | SCB_AIRCR_PRIGROUP_Msk);
    reg |= SCB_AIRCR_VECTKEY | ((group & 7u) << SCB_AIRCR_PRIGROUP_Pos);
    SCB->AIRCR = reg;
}

/* SHPR3 byte of SysTick (exception 15): 4 implemented priority bits. */
static void systick_set_priority(uint32_t prio) { SCB->SHPR[15u - 4u] = (uint8_t)((prio << 4) & 0xFFu); }

static uint32_t systick_config(uint32_t ticks)
{
    if ((ticks - 1u) > 0x00FFFFFFu) {
        return 1u;
    }
    SYSTICK->RVR = ticks - 1u;
    systick_set_priority((1u << 4) - 1u);
    SYSTICK->CVR = 0u;
    SYSTICK->CSR = SYSTICK_CSR_CLKSOURCE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_ENABLE;
    return 0u;
}

/* ---- HAL_RCC_GetSysClockFreq (the RCC is shared: either core reads what the CM7 set) -- */
static uint32_t hal_rcc_get_sys_clock_freq(void)
{
    const uint32_t cr = RCC->CR;
    switch ((RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos) {
    case RCC_CFGR_SW_HSI:
        return (cr & RCC_CR_HSIDIVF) ? HSI_VALUE >> ((cr & RCC_CR_HSIDIV_Msk) >> 3) : HSI_VALUE;
    case RCC_CFGR_SW_CSI:
        return CSI_VALUE;
    case RCC_CFGR_SW_HSE:
        return HSE_VALUE;
    case RCC_CFGR_SW_PLL1: {
        const uint32_t pllsource = RCC->PLLCKSELR & RCC_PLLCKSELR_PLLSRC_Msk;
        const uint32_t pllm = (RCC->PLLCKSELR & RCC_PLLCKSELR_DIVM1_Msk) >> RCC_PLLCKSELR_DIVM1_Pos;
        const uint32_t pllfracen = RCC->PLLCFGR & RCC_PLLCFGR_PLL1FRACEN;
        const float fracn1 =
            (float)(pllfracen * ((RCC->PLL1FRACR & RCC_PLL1FRACR_FRACN1_Msk) >> RCC_PLL1FRACR_FRACN1_Pos));
        if (pllm == 0u) {
            return 0u;
        }
        float src;
        switch (pllsource) {
        case RCC_PLLCKSELR_PLLSRC_HSI: {
            const uint32_t c = RCC->CR;
            src = (float)((c & RCC_CR_HSIDIVF) ? HSI_VALUE >> ((c & RCC_CR_HSIDIV_Msk) >> 3) : HSI_VALUE);
            break;
        }
        case RCC_PLLCKSELR_PLLSRC_HSE: src = (float)HSE_VALUE; break;
        default:                        src = (float)CSI_VALUE; break;
        }
        const float pllvco = (src / (float)pllm) *
                             ((float)(RCC->PLL1DIVR & RCC_PLL1DIVR_DIVN1_Msk) + (fracn1 / (float)0x2000) + 1.0f);
        const uint32_t pllp = ((RCC->PLL1DIVR & RCC_PLL1DIVR_DIVP1_Msk) >> RCC_PLL1DIVR_DIVP1_Pos) + 1u;
        return (uint32_t)(float)(pllvco / (float)pllp);
    }
    default:
        return CSI_VALUE;
    }
}

#endif /* AMPVP_ST_HAL_LITE_H */
