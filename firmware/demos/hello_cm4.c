/*
 * hello_cm4.c - first dual-core demo, Cortex-M4 side.
 *
 *   1. USART3 console up; print "hello from Cortex-M4, CPUID=0x410fc241"
 *   2. spin reading ampvp_shared.hello_magic (SRAM4, 0x38000000; volatile) until it
 *      equals HELLO_MAGIC, at most HELLO_CM4_WAIT_ITERATIONS polls (CMake variable),
 *      then print "CM4 read 0xc0ffee45 from SRAM4", or on timeout
 *      "CM4 timed out waiting for SRAM4"
 *   3. print "CM4 done", then WFI forever.
 * The CM4 only reads the shared word, never clears it.
 */
#include <stdint.h>

#include "console.h"
#include "core_name.h"
#include "cortex_m.h"
#include "platform.h"
#include "shared_layout.h"

#ifndef HELLO_CM4_WAIT_ITERATIONS
#error "HELLO_CM4_WAIT_ITERATIONS must be defined (CMake variable)"
#endif

AMPVP_SHARED_DEFINE();

int main(void)
{
    uart_attach(); // the CM7 owns USART3 and sets it up

    uint32_t cpuid = SCB->CPUID;
    uart_printf("hello from %s, CPUID=0x%08x\n", core_name_from_cpuid(cpuid), (unsigned)cpuid);

    uint32_t seen = 0;
    for (uint32_t i = 0; i < (uint32_t)HELLO_CM4_WAIT_ITERATIONS; ++i) {
        seen = ampvp_shared.hello_magic;
        if (seen == HELLO_MAGIC) {
            break;
        }
    }

    if (seen == HELLO_MAGIC) {
        uart_printf("CM4 read 0x%08x from SRAM4\n", (unsigned)seen);
    } else {
        uart_puts("CM4 timed out waiting for SRAM4\n");
    }

    uart_puts("CM4 done\n");
    fw_finish();
}
