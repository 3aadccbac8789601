/*
 * boot_cm4_gated_ram_cm4.c - the CM4 half of the "CM4 gated, boots from SRAM" demo.
 *
 * Linked for SRAM at 0x10000000 (ld/stm32h745_cm4_sram.ld), turned into a raw binary
 * and embedded in boot_cm4_gated_ram_cm7.elf, which copies it to 0x10000000 and
 * releases the CM4. Run with the option byte BCM4 = 0 and no CM4 image:
 *
 *   ampvp run --machine stm32h745 --option-byte bcm4=0 --cm7 boot_cm4_gated_ram_cm7.elf
 *
 * Prints where it runs (the PC, which must be in SRAM) and the VTOR it was started
 * with, then tells the CM7 through SRAM4.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "shared_layout.h"

AMPVP_SHARED_DEFINE();

int main(void)
{
    uint32_t pc;
    __asm volatile("mov %0, pc" : "=r"(pc));
    uart_attach(); /* the CM7 set USART3 up before releasing us */
    uart_printf("CM4: booted from SRAM, VTOR=0x%08x, running at 0x%08x\n", (unsigned)SCB->VTOR,
                (unsigned)pc);
    ampvp_shared.boot_released_running = SHARED_READY_MAGIC;
    uart_puts("CM4 done\n");
    cm_idle_forever();
}
