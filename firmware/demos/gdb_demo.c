/*
 * gdb_demo.c - both cores count in SRAM4 forever, for debugging with ampvp's GDB stubs
 * (docs/debugging.md, tests/integration/gdb.sh).  Built for each core (FW_TARGET_CM7 /
 * FW_TARGET_CM4): core_tick() is called once per loop iteration and is where a
 * breakpoint goes; ampvp_shared.gdb_cm7_count / gdb_cm4_count (0x380000E0 / E4) are the
 * counters a debugger reads from either core.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "shared_layout.h"

AMPVP_SHARED_DEFINE();

#if defined(FW_TARGET_CM7)
#define MY_COUNT ampvp_shared.gdb_cm7_count
#define ME "cm7"
#else
#define MY_COUNT ampvp_shared.gdb_cm4_count
#define ME "cm4"
#endif

void core_tick(uint32_t n);
__attribute__((noinline)) void core_tick(uint32_t n)
{
    MY_COUNT = n;
    cm_dsb();
}

int main(void)
{
#if defined(FW_TARGET_CM7)
    uart_init(); /* the CM7 owns the console; the CM4 only counts */
    uart_puts("gdb_demo: " ME " counting\n");
#endif
    for (uint32_t n = 1;; n++) {
        core_tick(n);
    }
}
