/*
 * flash_payload_cm4.c (CM4) - the program flash_cm7.elf writes into flash bank 2: ST's
 * FLASH_CoreConfiguration copies a dedicated CM4 program into bank 2 from the CM7 and
 * then releases the CM4 (RCC_GCR.BOOT_C2).  Linked for bank 2 (0x08100000), made a raw
 * binary and embedded in the CM7 image (flash_payload.S).  It prints
 * "flash_cm4: running from flash bank 2, vector table at 0x<VTOR>" and "CM4 done"
 * through the CM7's console.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"

int main(void)
{
    uart_attach();
    uart_printf("flash_cm4: running from flash bank 2, vector table at 0x%08x\n", (unsigned)SCB->VTOR);
    uart_puts("CM4 done\n");
    for (;;) {
        cm_wfi();
    }
}
