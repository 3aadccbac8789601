/*
 * boot_cm7_gated_cm4.c - "CM7 gated" boot, CM4 side. With the option byte BCM7 = 0
 * only the CM4 boots at reset (from flash bank 2); it owns the console, then releases
 * the CM7 with RCC_GCR.BOOT_C1 (HAL_RCCEx_EnableBootCore(RCC_BOOT_C1)) and waits
 * (bounded) for the CM7's word in SRAM4.
 *
 *   ampvp run --machine stm32h745 --option-byte bcm7=0 \
 *             --cm7 boot_cm7_gated_cm7.elf --cm4 boot_cm7_gated_cm4.elf
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "shared_layout.h"
#include "stm32h745_regs.h"

AMPVP_SHARED_DEFINE();

#define RUNNING_SPIN 200000000u

int main(void)
{
    uart_init(); /* the CM7 is not running: this core owns USART3 */
    const uint32_t optsr = FLASH_OPTSR_CUR;
    uart_printf("CM4: first to run; option bytes BCM7=%u BCM4=%u\n",
                (unsigned)((optsr & FLASH_OPTSR_BCM7) != 0),
                (unsigned)((optsr & FLASH_OPTSR_BCM4) != 0));
    ampvp_shared.boot_released_running = 0u;
    uart_puts("CM4: releasing the CM7 (RCC_GCR.BOOT_C1)\n");
    RCC->GCR |= RCC_GCR_BOOT_C1;

    uint32_t i = 0;
    while (ampvp_shared.boot_released_running != SHARED_READY_MAGIC && i < RUNNING_SPIN) {
        i++;
    }
    uart_puts(ampvp_shared.boot_released_running == SHARED_READY_MAGIC
                  ? "CM4: the CM7 is running\n"
                  : "CM4: the CM7 did not start\n");
    uart_puts("CM4 done\n");
    cm_idle_forever();
}
