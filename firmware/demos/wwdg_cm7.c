/*
 * wwdg_cm7.c (CM7) - ST's WWDG_Example for the NUCLEO-H745ZI-Q (STM32CubeH7,
 * Projects/NUCLEO-H745ZI-Q/Examples/WWDG/WWDG_Example/CM7) - the HAL_WWDG_Init /
 * HAL_WWDG_Refresh register sequences and the check of RCC_FLAG_WWDG1RST after the
 * restart - with the early wake-up interrupt, and both reset scopes RM0399 gives
 * WWDG1: CPU1 alone (RCC_GCR.WW1RSC = 0, the reset value) and the system (WW1RSC = 1).
 * Lives are counted in the backup SRAM.  Pair: wwdg_cm4.elf (a heartbeat).
 *
 * Each boot: RCC_RSR (this core's copy) read, console, __HAL_RCC_CLEAR_RESET_FLAGS.
 *  PCLK3 = HSI / 16 = 4 MHz (RCC_D1CFGR.D1PPRE = 111): one counter step at prescaler 8
 *     is 4096 x 8 / 4 MHz = 8.2 ms, which leaves the early wake-up handler time to print
 *     before the reset (at 64 MHz it would have 0.5 ms).
 *  life 0: WWDG1 clock (RCC_APB3ENR.WWDG1EN); NVIC WWDG_IRQn (0) on; HAL_WWDG_Init with
 *     counter 0x7F, window 0x50, prescaler 8, EWI on: CR = WDGA | 0x7F, CFR = EWI |
 *     WDGTB 3 | 0x50 (0x7F -> 0x3F in 524 ms).  Three
 *     refreshes (CR = 0x7F) once the counter is below the window; then none: the early
 *     wake-up interrupt comes at 0x40 (WWDG_IRQHandler: EWIF cleared, no refresh, the
 *     counter noted in the backup SRAM), then the reset - of CPU1 only: the CM4 runs on.
 *  life 1: RSR = WWDG1RSTF | C1RSTF (no C2RSTF); the CM4's heartbeat still advances.
 *     RCC_GCR.WW1RSC = 1, the watchdog started again (CR = WDGA | 0x7F) and not
 *     refreshed: now a system reset.
 *  life 2: RSR = WWDG1RSTF | C1RSTF | C2RSTF | PINRSTF; both cores restarted.
 * Console: "wwdg: life <n>, RSR=0x<flags>", "wwdg: refresh <k> at counter 0x<t>",
 * "wwdg: early wake-up was taken at counter 0x<t>, then the reset", "wwdg: CPU1 reset by WWDG1
 * (WW1RSC=0), CM4 ran on (heartbeat +<n>)", "wwdg: WW1RSC=1, no refresh", "wwdg: system
 * reset by WWDG1 (WW1RSC=1)", "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"
#include "st_lowpower.h"

#define WWDG_WINDOW  0x50u
#define WWDG_COUNTER 0x7Fu
#define WWDG_PRESCALER_8 (3u << WWDG_CFR_WDGTB_Pos)

DEMO_TIME_DEFINE()

void WWDG_IRQHandler(void);
void WWDG_IRQHandler(void)
{
    /* HAL_WWDG_IRQHandler: EWI enabled and EWIF set -> clear EWIF, the callback. */
    if ((WWDG1->CFR & WWDG_CFR_EWI) && (WWDG1->SR & WWDG_SR_EWIF)) {
        WWDG1->SR = 0;
        /* HAL_WWDG_EarlyWakeupCallback: no refresh; the counter is kept for the next
         * life (a line printed here might be cut by the reset one step later). */
        LP_KEEP->t_ms = 0x100u | (WWDG1->CR & WWDG_CR_T_Msk);
    }
}

static void done(void)
{
    uart_puts("CM7 done\n");
    cm_idle_forever();
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    uart_init();
    demo_time_start();
    lp_keep_enable();
    const uint32_t life = LP_KEEP->life;
    uart_printf("wwdg: life %u, RSR=0x%08x\n", (unsigned)life, (unsigned)(rsr & RCC_RSR_FLAGS));
    RCC->RSR |= RCC_RSR_RMVF;
    RCC->APB3ENR |= RCC_APB3ENR_WWDG1EN; /* __HAL_RCC_WWDG1_CLK_ENABLE */
    (void)RCC->APB3ENR;
    RCC->D1CFGR = (RCC->D1CFGR & ~(7u << 4)) | (7u << 4); /* D1PPRE: rcc_pclk3 = HCLK / 16 */

    if (life == 0) {
        LP_KEEP->life = 1;
        NVIC->IPR[WWDG_IRQn] = 0x00u;
        nvic_enable_irq(WWDG_IRQn);
        WWDG1->CR = WWDG_CR_WDGA | WWDG_COUNTER;                  /* HAL_WWDG_Init */
        WWDG1->CFR = WWDG_CFR_EWI | WWDG_PRESCALER_8 | WWDG_WINDOW;
        for (unsigned k = 1; k <= 3; k++) {
            while ((WWDG1->CR & WWDG_CR_T_Msk) >= WWDG_WINDOW) {
            }
            const uint32_t t = WWDG1->CR & WWDG_CR_T_Msk;
            WWDG1->CR = WWDG_COUNTER; /* HAL_WWDG_Refresh */
            uart_printf("wwdg: refresh %u at counter 0x%02x\n", k, (unsigned)t);
        }
        for (;;) {
        }
    }
    if (life == 1) {
        const uint32_t want = RCC_RSR_WWDG1RSTF | RCC_RSR_C1RSTF;
        if ((rsr & 0xFFFE0000u) != want) {
            uart_printf("wwdg: expected RSR flags 0x%08x\n", (unsigned)want);
            done();
        }
        const uint32_t b0 = LP_KEEP->cm4_beats;
        hal_delay_ms(50u);
        if (LP_KEEP->t_ms & 0x100u) {
            uart_printf("wwdg: early wake-up was taken at counter 0x%02x, then the reset\n",
                        (unsigned)(LP_KEEP->t_ms & 0x7Fu));
        }
        uart_printf("wwdg: CPU1 reset by WWDG1 (WW1RSC=0), CM4 ran on (heartbeat +%u)\n",
                    (unsigned)(LP_KEEP->cm4_beats - b0));
        LP_KEEP->life = 2;
        RCC->GCR |= RCC_GCR_WW1RSC;
        uart_puts("wwdg: WW1RSC=1, no refresh\n");
        WWDG1->CR = WWDG_CR_WDGA | WWDG_COUNTER;
        WWDG1->CFR = WWDG_PRESCALER_8 | WWDG_WINDOW;
        for (;;) {
        }
    }
    const uint32_t want = RCC_RSR_WWDG1RSTF | RCC_RSR_C1RSTF | RCC_RSR_C2RSTF | RCC_RSR_PINRSTF;
    if ((rsr & want) != want) {
        uart_printf("wwdg: expected RSR flags 0x%08x\n", (unsigned)want);
        done();
    }
    uart_puts("wwdg: system reset by WWDG1 (WW1RSC=1)\n");
    LP_KEEP->life = 3;
    done();
}
