/*
 * lptim_wakeup_cm7.c (CM7) - the console and the clock of lptim_wakeup_cm4.elf: it owns
 * USART3 and times, with its SysTick, the CM4's returns from Stop (RCC_CR.D2CKRDY
 * rising), which LPTIM1's ARR match (200 ms on the LSI) causes.
 * Console: "lptim: CM4 woke 3 times, every <ms> ms on average (LPTIM1 period 200 ms)",
 * "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_regs.h"

DEMO_TIME_DEFINE()

static int wait_d2ckrdy(int level, uint32_t ms)
{
    const uint32_t t0 = demo_ms();
    while (((RCC->CR & RCC_CR_D2CKRDY) != 0) != level) {
        if (demo_ms() - t0 > ms) {
            return 0;
        }
        cm_wfi(); /* one look per SysTick: no flood of bus accesses */
    }
    return 1;
}

int main(void)
{
    uart_init();
    demo_time_start();
    uint32_t first = 0, last = 0;
    for (unsigned k = 0; k < 3; k++) {
        if (!wait_d2ckrdy(0, 2000u) || !wait_d2ckrdy(1, 2000u)) {
            uart_printf("lptim: the CM4 did not stop and wake (round %u)\n", k + 1u);
            uart_puts("CM7 done\n");
            cm_idle_forever();
        }
        last = demo_ms();
        if (k == 0) {
            first = last;
        }
    }
    uart_printf("lptim: CM4 woke 3 times, every %u ms on average (LPTIM1 period 200 ms)\n",
                (unsigned)((last - first) / 2u));
    uart_puts("CM7 done\n");
    cm_idle_forever();
}
