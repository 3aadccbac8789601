/*
 * sw_exti_doorbell_common.h - what both doorbell images share, placed as ST places it.
 *
 * ST's FreeRTOS_AMP_Dual_RTOS keeps the message-buffer handles in SRAM4 and its
 * STM32CubeIDE linker scripts emit that section as PROGBITS (LMA = VMA in SRAM4) in the
 * CM7 image AND in the CM4 image: a debugger loads both.  So do these two images
 * (section .RAM_D3, firmware/ld/sections.ld): the CM7 stores its "handle" there, the
 * CM4 checks it before it takes doorbells.
 */
#ifndef SW_EXTI_DOORBELL_COMMON_H
#define SW_EXTI_DOORBELL_COMMON_H

#include <stdint.h>

#define DB_HANDLE_MAGIC 0x4D424846u /* "MBHF": the CM7 created its message buffer */

/* Zero-initialised in both images, loaded into SRAM4 by both. */
__attribute__((section(".RAM_D3"), used)) volatile uint32_t db_message_buffer_handle = 0u;

#endif
