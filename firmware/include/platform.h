/*
 * platform.h - what differs between the three kinds of image we build.
 *
 * Exactly one of these is defined by CMake for every object:
 *   FW_TARGET_CM7   STM32H745 Cortex-M7 (ampvp): flash bank 1, DTCM, USART3 console
 *   FW_TARGET_CM4   STM32H745 Cortex-M4 (ampvp): flash bank 2, SRAM1-3 alias, USART3
 *   FW_TARGET_MPS2  stock QEMU "mps2-an500" (Cortex-M7): SSRAM at 0, CMSDK UART0,
 *                   semihosting exit
 *   FW_TARGET_MP15_M4  STM32MP15 Cortex-M4 (ampvp): vector table in RETRAM at 0,
 *                   code/data in MCU SRAM, USART3 console, IPCC processor 2
 *   FW_TARGET_MP15_P1  the Cortex-M core that plays the Cortex-A7 (IPCC processor 1)
 *                   on ampvp's "stm32mp157-2m" machine: everything in SYSRAM
 *                   (0x2FFC0000), USART3 console
 * FW_TARGET_MP15 is defined for both MP15 kinds.
 */
#ifndef AMPVP_PLATFORM_H
#define AMPVP_PLATFORM_H

#include <stdint.h>

#if (defined(FW_TARGET_CM7) + defined(FW_TARGET_CM4) + defined(FW_TARGET_MPS2) + \
     defined(FW_TARGET_MP15_M4) + defined(FW_TARGET_MP15_P1)) != 1
#error "define exactly one of FW_TARGET_CM7, FW_TARGET_CM4, FW_TARGET_MPS2, FW_TARGET_MP15_M4, FW_TARGET_MP15_P1"
#endif
#if defined(FW_TARGET_MP15_M4) || defined(FW_TARGET_MP15_P1)
#define FW_TARGET_MP15 1
#endif

#if defined(FW_TARGET_CM7)
#define FW_VECTOR_TABLE_BASE 0x08000000u /* FLASH_BANK1_BASE */
#define FW_CORE_TAG          "CM7"
#elif defined(FW_TARGET_CM4)
#define FW_VECTOR_TABLE_BASE 0x08100000u /* FLASH_BANK2_BASE */
#define FW_CORE_TAG          "CM4"
#elif defined(FW_TARGET_MP15_M4)
#define FW_VECTOR_TABLE_BASE 0x00000000u /* RETRAM */
#define FW_CORE_TAG          "CM4"
#elif defined(FW_TARGET_MP15_P1)
#define FW_VECTOR_TABLE_BASE 0x2FFC0000u /* SYSRAM */
#define FW_CORE_TAG          "MPU"
#else
#define FW_VECTOR_TABLE_BASE 0x00000000u /* MPS2 ZBT SSRAM1 */
#define FW_CORE_TAG          "MPS2"
#endif

/* Called after a fatal fault has been reported: never returns. On the STM32 targets it
 * sits in a WFI loop; on MPS2 it ends QEMU through semihosting with a failure code. */
void fw_fatal_stop(void) __attribute__((noreturn));

/* Called at the end of a demo: STM32 targets sit in WFI forever; MPS2 exits QEMU
 * with ADP_Stopped_ApplicationExit (exit status 0). */
void fw_finish(void) __attribute__((noreturn));

void SystemInit(void);
extern uint32_t SystemCoreClock;

#endif /* AMPVP_PLATFORM_H */
