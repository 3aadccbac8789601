/*
 * hsem_latency_cm4.c - HSEM notification latency workload, Cortex-M4 side (ampvp's own).
 * See hsem_latency_cm7.c.
 *
 *   uart_attach; HSEM clock; HSEM_C2ICR = bit 2 and NVIC ICPR (IRQ 126): nothing stale;
 *   HSEM_C2IER |= bit 2 (notify the CM4 when semaphore 2 becomes free);
 *   NVIC: HSEM2 (IRQ 126) priority 0, enabled;
 *   lat_count = 0; DSB; lat_cm4_ready = SHARED_READY_MAGIC; DSB
 *   WFI loop (HSEM_LATENCY_BUSY: a RAM polling loop instead). HSEM2_IRQHandler: HSEM_C2ICR = bit 2; lat_count++; DSB.
 *   After HSEM_LATENCY_SAMPLES notifications: "CM4 done", then WFI forever (the
 *   notification stays armed; further ones are still counted).
 * No SysTick on this core: the only interrupt it takes is HSEM2.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "hsem.h"
#include "platform.h"
#include "shared_layout.h"
#include "stm32h745_irq.h"

#ifndef HSEM_LATENCY_SAMPLES
#error "HSEM_LATENCY_SAMPLES must be defined (CMake variable)"
#endif

#define LAT_SEMAPHORE 2u

AMPVP_SHARED_DEFINE();

void HSEM2_IRQHandler(void);
void HSEM2_IRQHandler(void)
{
    HSEM->C2ICR = HSEM_SEM_BIT(LAT_SEMAPHORE);
    ampvp_shared.lat_count = ampvp_shared.lat_count + 1u;
    cm_dsb();
}

int main(void)
{
    uart_attach(); /* the CM7 owns USART3 */
    hsem_clock_enable();

    HSEM->C2ICR = HSEM_SEM_BIT(LAT_SEMAPHORE);
    nvic_clear_pending(HSEM2_IRQn);
    HSEM->C2IER |= HSEM_SEM_BIT(LAT_SEMAPHORE);
    NVIC->IPR[HSEM2_IRQn] = 0u; /* priority 0 (highest) */
    nvic_enable_irq(HSEM2_IRQn);

    ampvp_shared.lat_count = 0u;
    cm_dsb();
    ampvp_shared.lat_cm4_ready = SHARED_READY_MAGIC;
    cm_dsb();

#if defined(HSEM_LATENCY_BUSY)
    /* Busy: poll the count in RAM (no WFI), as ST's OpenAMP main loops poll their
     * message flag; the notification interrupts a running core. */
    while (ampvp_shared.lat_count < (uint32_t)HSEM_LATENCY_SAMPLES) {
    }
#else
    /* Sleep until K notifications were taken. PRIMASK around the check: WFI still
     * wakes on the pending interrupt, which is then taken at cpsie, so a notification
     * arriving between the check and the WFI is not slept through. */
    for (;;) {
        cm_disable_irq();
        if (ampvp_shared.lat_count >= (uint32_t)HSEM_LATENCY_SAMPLES) {
            cm_enable_irq();
            break;
        }
        cm_wfi();
        cm_enable_irq();
        cm_isb(); /* the pending HSEM2 interrupt is taken here */
    }
#endif

    uart_puts("CM4 done\n");
    fw_finish();
}
