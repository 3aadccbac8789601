/* Cortex-M4: wait for the console and for the CM7's value in SRAM4. */
#include "board.h"

int main(void)
{
    uart_attach();
    while (SHARED_MAILBOX != MAILBOX_VALUE) {
    }
    uart_puts("example: cm4 got ");
    uart_puthex(SHARED_MAILBOX);
    uart_puts("\n");
    return 0;
}
