/*
 * system_stm32h745.c - SystemInit for the STM32H745 cores (ampvp's own).
 *
 * Does what ST's SystemInit does on each core, minus the clock-tree reset (see below):
 *   both cores: CPACR CP10/CP11 full access (FPU), SCB->SCR SEVONPEND;
 *   CM7: VTOR = 0x08000000 (flash bank 1); CM4: VTOR = 0x08100000 (flash bank 2); an
 *   image linked to run from SRAM sets VTOR to its own vector table.
 *
 * FW_FULL_SYSTEMINIT (CMake option, OFF by default) adds the rest of ST's CM7 sequence:
 * RCC registers back to their reset values, EXTI line 78 enabled as an event for CPU2
 * (EXTI_C2EMR3 bit 14), the revision-Y AXI SRAM read-issuing workaround and FMC bank 1
 * disabled. It stays off until the emulator models those registers.
 */
#include "platform.h"
#include "stm32h745_regs.h"

/* Core clock after reset: HSI 64 MHz, no dividers. */
uint32_t SystemCoreClock = 64000000u;

#if defined(FW_TARGET_CM7) && defined(FW_FULL_SYSTEMINIT)
static void system_init_cm7_full(void)
{
    /* Clock tree back to reset values: HSI on and selected, PLLs/HSE/CSI/HSI48 off. */
    RCC->CR |= RCC_CR_HSION;
    RCC->CFGR = 0u;
    /* Same bits as ST's mask 0xEAF6ED7F: CSION, CSIKERON, HSI48ON, HSEON, HSECSSON,
     * PLL1ON, PLL2ON, PLL3ON. */
    RCC->CR &= ~(RCC_CR_CSION | RCC_CR_CSIKERON | RCC_CR_HSI48ON | RCC_CR_HSEON |
                 RCC_CR_HSECSSON | RCC_CR_PLL1ON | RCC_CR_PLL2ON | RCC_CR_PLL3ON);
    RCC->D1CFGR = 0u;
    RCC->D2CFGR = 0u;
    RCC->D3CFGR = 0u;
    RCC->PLLCKSELR = RCC_PLLCKSELR_RESET;
    RCC->PLLCFGR = RCC_PLLCFGR_RESET;
    RCC->PLL1DIVR = RCC_PLLxDIVR_RESET;
    RCC->PLL1FRACR = 0u;
    RCC->PLL2DIVR = RCC_PLLxDIVR_RESET;
    RCC->PLL2FRACR = 0u;
    RCC->PLL3DIVR = RCC_PLLxDIVR_RESET;
    RCC->PLL3FRACR = 0u;
    RCC->CR &= ~RCC_CR_HSEBYP;
    RCC->CIER = 0u;

    /* EXTI line 78 (CPU1 SEV / HSEM event path, see RM0399 EXTI event table) as an
     * event input of CPU2. */
    EXTI->C2EMR3 |= EXTI_LINE_BIT3(78u);

    /* Revision Y only: AXI SRAM target read issuing capability = 1. */
    if ((DBGMCU->IDCODE >> DBGMCU_IDCODE_REV_ID_Pos) < 0x2000u) {
        AXI_TARG7_FN_MOD = 1u;
    }

    /* FMC bank 1 is enabled after reset: disable it (speculative accesses). */
    RCC->AHB3ENR |= RCC_AHB3ENR_FMCEN;
    (void)RCC->AHB3ENR;
    FMC_BTCR0 = 0x000030D2u;
    RCC->AHB3ENR &= ~RCC_AHB3ENR_FMCEN;
}
#endif

void SystemInit(void)
{
    /* FPU: CP10 and CP11 full access. */
    SCB->CPACR |= SCB_CPACR_CP10_FULL | SCB_CPACR_CP11_FULL;
    /* Pending interrupts (even disabled ones) wake WFE: used by the HSEM handshakes. */
    SCB->SCR |= SCB_SCR_SEVONPEND;

#if defined(FW_TARGET_CM7) && defined(FW_FULL_SYSTEMINIT)
    system_init_cm7_full();
#endif

    /* Where this image's vector table is linked: FW_VECTOR_TABLE_BASE (flash bank 1 or 2,
     * like ST's SystemInit) for the flash images, SRAM for an image another core copies
     * there and boots (boot_cm4_gated_ram). */
    extern const uint32_t __vector_table[];
    SCB->VTOR = (uint32_t)__vector_table;
    cm_dsb();
    cm_isb();
}

void fw_fatal_stop(void)
{
    cm_disable_irq();
    cm_idle_forever();
}

void fw_finish(void)
{
    cm_idle_forever();
}
