/*
 * lone_run_cm4.c - the gated CM4 of lone_run_cm7.c: released by the CM7, it says so
 * in SRAM4 and goes to sleep.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "shared_layout.h"

AMPVP_SHARED_DEFINE();

int main(void)
{
    ampvp_shared.boot_released_running = SHARED_READY_MAGIC;
    uart_puts("CM4 done\n");
    cm_idle_forever();
}
