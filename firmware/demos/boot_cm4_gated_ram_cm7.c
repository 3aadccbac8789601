/*
 * boot_cm4_gated_ram_cm7.c - "CM4 gated, boots from SRAM", CM7 side: the sequence of
 * ST's BootCM7_CM4Gated_RAM template (STM32CubeH7), register for register.
 *
 * With the option byte BCM4 = 0 the CM4 does not boot at reset. The CM7:
 *   1. reads FLASH_OPTSR_CUR and reports BCM4 (0 expected);
 *   2. copies the CM4 program (cm4_payload, linked for 0x10000000) to D2 SRAM at
 *      0x10000000 (CMSIS D2_AXISRAM_BASE), like the template's memcpy;
 *   3. SYSCFG clock on, SYSCFG_UR3.BCM4_ADD0 = 0x1000 (HAL_SYSCFG_CM4BootAddConfig with
 *      SYSCFG_BOOT_ADDR0, a read-modify-write of UR3[31:16]);
 *   4. RCC_GCR |= BOOT_C2 (HAL_RCCEx_EnableBootCore(RCC_BOOT_C2));
 *   5. waits (bounded) for the CM4's word in SRAM4 and reports.
 *
 *   ampvp run --machine stm32h745 --option-byte bcm4=0 --cm7 boot_cm4_gated_ram_cm7.elf
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "cortex_m.h"
#include "shared_layout.h"
#include "stm32h745_regs.h"

AMPVP_SHARED_DEFINE();

extern const uint8_t cm4_payload[];
extern const uint8_t cm4_payload_end[];

#define D2_AXISRAM_BASE 0x10000000u
#define RUNNING_SPIN    200000000u

int main(void)
{
    uart_init();
    const uint32_t optsr = FLASH_OPTSR_CUR;
    uart_printf("CM7: option bytes BCM7=%u BCM4=%u\n", (unsigned)((optsr & FLASH_OPTSR_BCM7) != 0),
                (unsigned)((optsr & FLASH_OPTSR_BCM4) != 0));
    ampvp_shared.boot_released_running = 0u;

    const uint32_t size = (uint32_t)(cm4_payload_end - cm4_payload);
    memcpy((void *)D2_AXISRAM_BASE, cm4_payload, size);
    cm_dsb();
    uart_printf("CM7: copied %u bytes of CM4 code to 0x%08x\n", (unsigned)size,
                (unsigned)D2_AXISRAM_BASE);

    RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
    (void)RCC->APB4ENR;
    SYSCFG->UR[3] = (SYSCFG->UR[3] & ~SYSCFG_UR3_BCM4_ADD0) |
                    ((D2_AXISRAM_BASE >> 16) << SYSCFG_UR3_BCM4_ADD0_Pos);
    uart_printf("CM7: CM4 boot address 0x%08x, releasing the CM4 (RCC_GCR.BOOT_C2)\n",
                (unsigned)((SYSCFG->UR[3] >> SYSCFG_UR3_BCM4_ADD0_Pos) << 16));
    RCC->GCR |= RCC_GCR_BOOT_C2;

    uint32_t i = 0;
    while (ampvp_shared.boot_released_running != SHARED_READY_MAGIC && i < RUNNING_SPIN) {
        i++;
    }
    if (ampvp_shared.boot_released_running == SHARED_READY_MAGIC) {
        uart_puts("CM7: the CM4 runs the code it was given\n");
    } else {
        uart_puts("CM7: the CM4 did not start\n");
    }
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
