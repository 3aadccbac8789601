/* Cortex-M7: bring up the console, hand the CM4 a value through SRAM4. */
#include "board.h"

int main(void)
{
    uart_init();
    uart_puts("example: cm7 up\n");
    SHARED_MAILBOX = MAILBOX_VALUE;
    __asm__ volatile("dsb" ::: "memory");
    uart_puts("example: cm7 sent ");
    uart_puthex(MAILBOX_VALUE);
    uart_puts("\nexample: cm7 done\n");
    return 0;
}
