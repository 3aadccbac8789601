/*
 * boot_sync_cm4.c - ST's dual-core boot handshake, Cortex-M4 side (ampvp's own code,
 * written from RM0399 register facts; the register sequence is the one ST's dual-core
 * templates run through HAL calls).
 *
 * First thing in main, before any printing:
 *   1. RCC_AHB4ENR |= HSEMEN, read back                  (HSEM clock)
 *   2. HSEM_C2IER |= bit 0                               (notify CM4 when HSEM 0 frees)
 *   3. SEV; WFE                                          (clear the event latch)
 *   4. D2 STOP, entered with WFE:
 *        PWR_CR1 &= ~LPDS          main regulator on in STOP
 *        PWR_CPU2CR &= ~PDDS_D2    D2 goes to STOP (not STANDBY) when the CM4 sleeps deep
 *        SCB->SCR |= SLEEPDEEP; DSB; ISB; WFE; SCB->SCR &= ~SLEEPDEEP
 *   5. after wake-up: HSEM_C2ICR = bit 0 (clear the status), NVIC ICPR: HSEM2 (IRQ 126)
 *      no longer pending (it was pended with the interrupt disabled; SEVONPEND, set by
 *      SystemInit, is what turned that into the event ending the WFE).
 * Then: console (uart_attach: the CM7 owns USART3) and
 *   "CM4 woke up from D2 STOP (HSEM 0 notification)"
 *   "CM4 done"
 * then WFI forever. With boot_sync_norelease_cm7.elf nothing frees HSEM 0: the CM4 must
 * stay in D2 STOP and print nothing at all.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "hsem.h"
#include "platform.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

#define BOOT_SYNC_SEMAPHORE 0u

#if defined(BOOT_SYNC_SYSTICK)
static volatile uint32_t cm4_ticks;
void SysTick_Handler(void);
void SysTick_Handler(void) { cm4_ticks++; }
#endif

int main(void)
{
    /* 1-2: HSEM clock, notification of semaphore 0 for CPU2. */
    hsem_clock_enable();
    HSEM->C2IER |= HSEM_SEM_BIT(BOOT_SYNC_SEMAPHORE);

#if defined(BOOT_SYNC_SYSTICK)
    /* HAL_Init -> HAL_InitTick before STOP, as ST's PWR examples do in their loops: a
     * 1 kHz SysTick.  It counts on the CPU clock, which CStop stops: no tick may wake
     * the core, and it resumes counting after the wake-up. */
    SYSTICK->RVR = 64000u - 1u;
    SYSTICK->CVR = 0u;
    SYSTICK->CSR = 7u;
#endif

    /* 3: clear a pending event: SEV sets our own event register, WFE consumes it. */
    cm_sev();
    cm_wfe();

    /* 4: STOP mode for domain D2, entry by WFE. */
    PWR->CR1 &= ~PWR_CR1_LPDS;
    PWR->CPU2CR &= ~PWR_CPU2CR_PDDS_D2;
    SCB->SCR |= SCB_SCR_SLEEPDEEP;
    cm_dsb();
    cm_isb();
#if defined(BOOT_SYNC_SYSTICK)
    /* With SysTick running, a tick between the clearing WFE above and this one sets the
     * event register (exception entry/return), and this WFE returns at once, on the chip
     * as here.  So wait for the notification itself; every WFE that does sleep is CStop,
     * and no tick may end it (the test checks no wake-up comes before the release). */
    while (!(HSEM->C2ISR & HSEM_SEM_BIT(BOOT_SYNC_SEMAPHORE))) {
        cm_wfe();
    }
#else
    cm_wfe();
#endif
    SCB->SCR &= ~SCB_SCR_SLEEPDEEP;

    /* 5: woken: clear the HSEM 0 status and the NVIC pending state of HSEM2. */
    HSEM->C2ICR = HSEM_SEM_BIT(BOOT_SYNC_SEMAPHORE);
    nvic_clear_pending(HSEM2_IRQn);

    uart_attach();
    uart_puts("CM4 woke up from D2 STOP (HSEM 0 notification)\n");
#if defined(BOOT_SYNC_SYSTICK)
    const uint32_t t0 = cm4_ticks;
    while (cm4_ticks - t0 < 10u) {
        cm_wfi();
    }
    uart_puts("CM4: SysTick runs again after the wake-up\n");
#endif
    uart_puts("CM4 done\n");
    fw_finish();
}
