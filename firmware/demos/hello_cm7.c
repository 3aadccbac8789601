/*
 * hello_cm7.c - first dual-core demo, Cortex-M7 side.
 *
 *   1. USART3 console up; print "hello from Cortex-M7, CPUID=0x411fc271"
 *      (part from CPUID[15:4]: 0xC27 Cortex-M7, 0xC24 Cortex-M4, else "unknown core")
 *   2. write HELLO_MAGIC (0xC0FFEE45) once to ampvp_shared.hello_magic in SRAM4
 *      (0x38000000), then print "CM7 wrote 0xc0ffee45 to SRAM4"
 *   3. print "CM7 done", then WFI forever.
 * The CM4 side (hello_cm4.c) waits for the magic. The CM7 never clears the word: the
 * emulator starts SRAM4 zeroed, so the CM4 cannot see a stale value.
 */
#include <stdint.h>

#include "console.h"
#include "core_name.h"
#include "cortex_m.h"
#include "platform.h"
#include "shared_layout.h"

AMPVP_SHARED_DEFINE();

int main(void)
{
    uart_init();

    uint32_t cpuid = SCB->CPUID;
    uart_printf("hello from %s, CPUID=0x%08x\n", core_name_from_cpuid(cpuid), (unsigned)cpuid);

    ampvp_shared.hello_magic = HELLO_MAGIC;
    cm_dsb(); /* the store has left the core before we announce it */
    uart_printf("CM7 wrote 0x%08x to SRAM4\n", (unsigned)HELLO_MAGIC);

    uart_puts("CM7 done\n");
    fw_finish();
}
