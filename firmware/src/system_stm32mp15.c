/*
 * system_stm32mp15.c - SystemInit for the STM32MP15 images (ampvp's own).
 *
 * Cortex-M4 (FW_TARGET_MP15_M4), as ST's CubeMP1 SystemInit does it:
 *   CPACR CP10/CP11 full access (FPU);
 *   EXTI_C2IMR1/C2EMR1/C2IMR2/C2EMR2/C2IMR3/C2EMR3 = 0 (no EXTI line reaches the M4
 *   until the application asks for it);
 *   VTOR is left alone: the vector table is in RETRAM at 0x00000000, where the core
 *   looks for it after reset.
 * The "mpu" core of ampvp's stm32mp157-2m machine (FW_TARGET_MP15_P1), which plays the
 * Cortex-A7: CPACR, and VTOR = its table in SYSRAM (0x2FFC0000). It leaves the M4's
 * EXTI bank alone, as Linux does.
 *
 * Both run from the 64 MHz HSI after reset (all-zero RCC: MCUDIVR = 0, APB1DIVR = 0),
 * which is what SystemCoreClock says; on a DK2 under Linux the M4 would find PLL3 at
 * ~209 MHz instead (ST computes it from RCC; these demos only use the reset clocks).
 */
#include "platform.h"
#include "stm32mp15_regs.h"

uint32_t SystemCoreClock = 64000000u;

void SystemInit(void)
{
    /* FPU: CP10 and CP11 full access. */
    SCB->CPACR |= SCB_CPACR_CP10_FULL | SCB_CPACR_CP11_FULL;

#if defined(FW_TARGET_MP15_M4)
    EXTI_C2IMR1 = 0u;
    EXTI_C2EMR1 = 0u;
    EXTI_C2IMR2 = 0u;
    EXTI_C2EMR2 = 0u;
    EXTI_C2IMR3 = 0u;
    EXTI_C2EMR3 = 0u;
#else
    extern const uint32_t __vector_table[];
    SCB->VTOR = (uint32_t)__vector_table;
#endif
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
