/*
 * pwr_standby_cm4.c (CM4) - the Cortex-M4 side of pwr_standby_cm7.elf: ST's
 * PWR_D1ON_D2OFF CM4 (STM32CubeH7, Projects/NUCLEO-H745ZI-Q/Examples/PWR/PWR_D1ON_D2OFF/
 * CM4) in its first life, ST's PWR_D2ON_D1OFF CM4 (the D1 check) in its second.
 *
 * First life (power-on):
 *  __HAL_RCC_CLEAR_RESET_FLAGS (its RCC_C2_RSR); the boot park (HSEM clock, NVIC
 *  HSEM2_IRQn, HAL_HSEM_ActivateNotification(0), HAL_PWREx_ClearPendingEvent,
 *  HAL_PWREx_EnterSTOPMode(.., PWR_STOPENTRY_WFE, PWR_D2_DOMAIN),
 *  HAL_HSEM_DeactivateNotification(0)); HAL_Init; the notification armed again (so the
 *  CM7 can wake D2 later); HAL_PWREx_EnterSTANDBYMode(PWR_D3_DOMAIN) (PDDS_D3 in both
 *  registers); HAL_PWREx_EnterSTANDBYMode(PWR_D2_DOMAIN) (PDDS_D2 in PWR_CPUCR and
 *  PWR_CPU2CR, SLEEPDEEP, WFI).  Nothing runs after that: leaving DStandby is a reset.
 * Second life (RCC_C2_RSR = D2RSTF | C2RSTF):
 *  report; then as ST's PWR_D2ON_D1OFF CM4: __HAL_PWR_GET_FLAG(PWR_FLAG_SB_D1) and
 *  D1CKRDY = 0 once the CM7 took D1 to DStandby; then wait for D1CKRDY = 1 (the RTC
 *  woke D1) and print the time D1 was off against the 500 ms programmed.
 * Console: "CM4: boot after D2 left DStandby (RSR=0x<flags>, SBF_D2=1)", "CM4: D1 in
 * DStandby (SBF_D1=1, D1CKRDY=0)", "CM4: D1 back after <ms> ms (wake-up timer 500 ms)",
 * "CM4 done".
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

DEMO_TIME_DEFINE()

void HSEM2_IRQHandler(void);
void HSEM2_IRQHandler(void)
{
    const uint32_t misr = HSEM->C2MISR; /* HAL_HSEM_IRQHandler */
    HSEM->C2IER &= ~misr;
    HSEM->C2ICR = misr;
}

static void done(void)
{
    uart_puts("CM4 done\n");
    cm_idle_forever();
}

int main(void)
{
    const uint32_t rsr = RCC->RSR;
    if ((rsr & RCC_RSR_D2RSTF) && !(rsr & RCC_RSR_PORRSTF)) {
        demo_time_start();
        uart_attach();
        uart_printf("CM4: boot after D2 left DStandby (RSR=0x%08x, SBF_D2=%u)\n", (unsigned)(rsr & RCC_RSR_FLAGS),
                    (PWR->CPU2CR & PWR_CPU2CR_SBF_D2) ? 1u : 0u);
        RCC->RSR |= RCC_RSR_RMVF;
        uint32_t t0 = demo_ms();
        while (!(PWR->CPU2CR & PWR_CPU2CR_SBF_D1) || (RCC->CR & RCC_CR_D1CKRDY)) {
            if (demo_ms() - t0 > 3000u) {
                uart_puts("CM4: D1 did not enter DStandby\n");
                done();
            }
            cm_wfi(); /* one look per SysTick */
        }
        const uint32_t t1 = demo_ms();
        uart_puts("CM4: D1 in DStandby (SBF_D1=1, D1CKRDY=0)\n");
        while (!(RCC->CR & RCC_CR_D1CKRDY)) {
            if (demo_ms() - t1 > 3000u) {
                uart_puts("CM4: D1 did not come back\n");
                done();
            }
            cm_wfi();
        }
        const uint32_t off = demo_ms() - t1;
        /* The CM7 boots again and sets the console up anew: print after it did. */
        lp_keep_enable();
        const uint32_t t2 = demo_ms();
        while (LP_KEEP->t_ms != 0xD1D1u && demo_ms() - t2 < 2000u) {
            cm_wfi();
        }
        uart_printf("CM4: D1 back after %u ms (wake-up timer 500 ms)\n", (unsigned)off);
        done();
    }
    RCC->RSR |= RCC_RSR_RMVF;
    RCC->AHB4ENR |= RCC_AHB4ENR_HSEMEN;
    (void)RCC->AHB4ENR;
    NVIC->IPR[HSEM2_IRQn] = 0x00u;
    nvic_enable_irq(HSEM2_IRQn);
    HSEM->C2IER |= HSEM_SEM_BIT(0);
    pwr_clear_pending_event();
    pwr_enter_stop(LP_D2, 1);
    HSEM->C2IER &= ~HSEM_SEM_BIT(0);
    demo_time_start();
    hal_delay_ms(10u); /* HAL_Init and the rest of the start-up, as on the chip: the CM7
                        * looks at D2CKRDY once per millisecond */
    /* The CM7's next release of semaphore 0 must wake D2 out of DStandby: the status of
     * the first one cleared (__HAL_HSEM_CLEAR_FLAG: it may still be set if the
     * notification was deactivated before its interrupt was taken), then armed again. */
    HSEM->C2ICR = HSEM_SEM_BIT(0);
    HSEM->C2IER |= HSEM_SEM_BIT(0);
    pwr_enter_standby(LP_D3);
    pwr_enter_standby(LP_D2);
    for (;;) {
    }
}
