/*
 * wwdg_cm4.c (CM4) - the Cortex-M4 beside wwdg_cm7.elf: at each boot it prints its own
 * reset flags (RCC_C2_RSR through RCC_RSR) and clears them, then counts a heartbeat in
 * the backup SRAM every 10 ms, so the CM7 can see it ran on through the CM7's own
 * WWDG1 reset, and its next boot line shows the system reset.
 * Console: "CM4: boot <n>, RSR=0x<flags>".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

DEMO_TIME_DEFINE()

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    demo_time_start();
    lp_keep_enable();
    const uint32_t boot = LP_KEEP->cm4_life;
    LP_KEEP->cm4_life = boot + 1u;
    uart_attach();
    uart_printf("CM4: boot %u, RSR=0x%08x\n", (unsigned)boot, (unsigned)(rsr & RCC_RSR_FLAGS));
    RCC->RSR |= RCC_RSR_RMVF;
    for (;;) {
        hal_delay_ms(10u);
        LP_KEEP->cm4_beats = LP_KEEP->cm4_beats + 1u;
    }
}
