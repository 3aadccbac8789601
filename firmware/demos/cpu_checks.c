/*
 * cpu_checks.c - what RTOS ports and ST's HAL check about the core itself,
 * built for both cores (cpu_checks_cm7.elf, cpu_checks_cm4.elf).
 *
 * - NVIC priority bits: write 0xFF to a priority byte and read it back; the
 *   implemented bits read as 1 (STM32H7: 4 bits -> 0xF0).  FreeRTOS's
 *   Cortex-M port does exactly this and asserts on the count.
 * - SCB->CPUID revision and part number (FreeRTOS rejects CM7 r0p0/r0p1).
 * Prints one line per check; the CM7 owns USART3 (uart_init), the CM4 attaches.
 */
#include <stdint.h>

#include "console.h"
#include "core_name.h"
#include "cortex_m.h"
#include "platform.h"

int main(void)
{
    const uint32_t cpuid = SCB->CPUID;
    const int is_cm7 = ((cpuid >> 4) & 0xFFFu) == 0xC27u;
    if (is_cm7) {
        uart_init();
    } else {
        uart_attach();
    }
    const char *name = is_cm7 ? "CM7" : "CM4";

    /* FreeRTOS port style: save, write all ones, read back, restore. */
    volatile uint8_t *prio = &NVIC->IPR[0];
    const uint8_t saved = *prio;
    *prio = 0xFFu;
    const uint8_t readback = *prio;
    *prio = saved;
    unsigned bits = 0;
    for (uint8_t v = readback; v & 0x80u; v = (uint8_t)(v << 1)) {
        ++bits;
    }
    uart_printf("%s: NVIC priority bits %u (0xff reads back 0x%02x)\n", name, bits,
                (unsigned)readback);
    uart_printf("%s: CPUID 0x%08x %s r%up%u\n", name, (unsigned)cpuid, core_name_from_cpuid(cpuid),
                (unsigned)((cpuid >> 20) & 0xFu), (unsigned)(cpuid & 0xFu));
    uart_printf("%s done\n", name);
    for (;;) {
        cm_wfi();
    }
}
