/*
 * sysreset_cm7.c (CM7) - a system reset requested by software, as ST's HAL asks for
 * one (HAL_NVIC_SystemReset -> CMSIS __NVIC_SystemReset: DSB; SCB->AIRCR = VECTKEY |
 * PRIGROUP kept | SYSRESETREQ; DSB; wait).  RM0399 "Reset": SYSRESETREQ of CPU1 resets
 * the whole system: both cores boot again from their reset vectors; RCC_RSR (each
 * CPU's copy) then shows SFT1RSTF with PINRSTF, C1RSTF and C2RSTF; the backup domain
 * (backup SRAM here) and the option bytes are kept.  Pair: wwdg_cm4.elf (prints its
 * boot count and RSR at each boot: "CM4: boot <n>, RSR=0x<flags>").
 * Boot count and a pattern live in the backup SRAM (st_lowpower.h LP_KEEP).
 * Console:
 *   life 0: "sysreset: life 0, RSR=0x<flags>, OPTSR=0x<FLASH_OPTSR_CUR>", then, once
 *           the CM4 has booted, "sysreset: NVIC_SystemReset"
 *   life 1: "sysreset: life 1, RSR=0x<flags>, OPTSR=0x<...>", then
 *           "sysreset: system reset by CPU1 (SFT1RSTF), backup SRAM kept" or what differs
 *   "CM7 done"
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

#define KEEP_PATTERN 0x5EC0FFEEu

static void done(void)
{
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

/* CMSIS __NVIC_SystemReset. */
static void nvic_system_reset(void)
{
    cm_dsb();
    SCB->AIRCR = SCB_AIRCR_VECTKEY | (SCB->AIRCR & SCB_AIRCR_PRIGROUP_Msk) | SCB_AIRCR_SYSRESETREQ;
    cm_dsb();
    for (;;) {
        __asm volatile("nop");
    }
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    uart_init();
    demo_time_start();
    lp_keep_enable();
    const uint32_t life = LP_KEEP->life;
    LP_KEEP->life = life + 1u;
    uart_printf("sysreset: life %u, RSR=0x%08x, OPTSR=0x%08x\n", (unsigned)life,
                (unsigned)(rsr & RCC_RSR_FLAGS), (unsigned)FLASH_OPTSR_CUR);
    RCC->RSR |= RCC_RSR_RMVF; /* __HAL_RCC_CLEAR_RESET_FLAGS */
    if (life == 0u) {
        LP_KEEP->t_ms = KEEP_PATTERN;
        const uint32_t t0 = demo_ms();
        while (LP_KEEP->cm4_life == 0u || LP_KEEP->cm4_beats < 3u) { /* the CM4 runs */
            if (demo_ms() - t0 > 2000u) {
                uart_puts("sysreset: the CM4 does not run\n");
                done();
            }
        }
        uart_puts("sysreset: NVIC_SystemReset\n");
        nvic_system_reset();
    }
    if (life == 1u) {
        const uint32_t want = RCC_RSR_SFT1RSTF | RCC_RSR_PINRSTF | RCC_RSR_C1RSTF | RCC_RSR_C2RSTF;
        if ((rsr & RCC_RSR_FLAGS) != want) {
            uart_printf("sysreset: RSR 0x%08x after SYSRESETREQ, expected 0x%08x\n",
                        (unsigned)(rsr & RCC_RSR_FLAGS), (unsigned)want);
        } else if (LP_KEEP->t_ms != KEEP_PATTERN) {
            uart_puts("sysreset: backup SRAM lost\n");
        } else {
            uart_puts("sysreset: system reset by CPU1 (SFT1RSTF), backup SRAM kept\n");
        }
    }
    done();
}
