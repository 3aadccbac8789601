/*
 * lab_cm7.c - the CM7 of remote_service and payload (lab_ipc.h; LAB_PAYLOAD selects).
 *   uart_init; HSEM clock; C1IER bit 2; NVIC HSEM1 (125)
 *   LAB_REQUESTS times: sleep until HSEM 2 is freed, then
 *     remote service: print "service: CM4 asks: <text>"
 *     payload:        sum the samples, "payload: <n> samples from the CM4, sum <s>, min <a>, max <b>"
 *   answer: result, answered = request, ring HSEM 3
 *   "CM7: <n> requests served", "CM7 done"
 */
#include <stdint.h>

#include "console.h"
#include "lab_ipc.h"
#include "platform.h"
#include "shared_layout.h"
#include "stm32h745_irq.h"

AMPVP_SHARED_DEFINE();
LAB_MAILBOX_DEFINE();

static volatile uint32_t s_request;

void HSEM1_IRQHandler(void);
void HSEM1_IRQHandler(void)
{
    HSEM->C1ICR = HSEM->C1MISR;
    s_request = 1u;
}

int main(void)
{
    uart_init();
    hsem_clock_enable();
    HSEM->C1IER |= HSEM_SEM_BIT(LAB_HSEM_REQUEST);
    nvic_enable_irq(HSEM1_IRQn);
    lab_mailbox.cm7_ready = SHARED_READY_MAGIC; /* a ring before this would be lost */
    cm_dsb();
    uart_puts("CM7: USART3 is mine; waiting for requests (HSEM 2)\n");
    for (uint32_t n = 1; n <= LAB_REQUESTS; n++) {
        lab_wait(&s_request);
        cm_dmb();
#ifdef LAB_PAYLOAD
        int32_t sum = 0, lo = 32767, hi = -32768;
        for (uint32_t i = 0; i < LAB_SAMPLES; i++) {
            const int32_t v = lab_mailbox.samples[i];
            sum += v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        uart_printf("payload: %u samples from the CM4, sum %d, min %d, max %d\n", (unsigned)LAB_SAMPLES,
                    (int)sum, (int)lo, (int)hi);
        lab_mailbox.result = (uint32_t)sum;
#else
        char text[sizeof(lab_mailbox.text)];
        for (unsigned i = 0; i < sizeof(text); i++) {
            text[i] = lab_mailbox.text[i];
        }
        text[sizeof(text) - 1] = 0;
        uart_printf("service: CM4 asks: %s\n", text);
        lab_mailbox.result = 0u;
#endif
        lab_mailbox.answered = lab_mailbox.request;
        lab_ring(LAB_HSEM_ANSWER);
    }
    uart_printf("CM7: %u requests served\n", (unsigned)LAB_REQUESTS);
    uart_puts("CM7 done\n");
    fw_finish();
}
