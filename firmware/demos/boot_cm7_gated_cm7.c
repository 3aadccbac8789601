/*
 * boot_cm7_gated_cm7.c - "CM7 gated" boot, CM7 side: started only when the CM4 sets
 * RCC_GCR.BOOT_C1; prints through the console the CM4 set up and reports in SRAM4.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "shared_layout.h"

AMPVP_SHARED_DEFINE();

int main(void)
{
    uart_attach(); /* the CM4 owns USART3 in this boot mode */
    uart_printf("CM7: released by the CM4, VTOR=0x%08x\n", (unsigned)SCB->VTOR);
    ampvp_shared.boot_released_running = SHARED_READY_MAGIC;
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
