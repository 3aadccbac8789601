/*
 * lab_cm4.c - the CM4 of remote_service and payload (lab_ipc.h; LAB_PAYLOAD selects).
 * It never touches USART3: everything it has to say goes through the CM7.
 *   HSEM clock; C2IER bit 3; NVIC HSEM2 (126); wait for cm7_ready
 *   for i in 1..LAB_REQUESTS:
 *     remote service: text = "hello <i> from the CM4"
 *     payload:        samples[k] = a triangle wave of period 16, amplitude 100 * i
 *     request = i; ring HSEM 2; sleep until HSEM 3 is freed (answered == i)
 *     payload: check the CM7's sum against its own
 *   then sleeps forever (WFI)
 */
#include <stdint.h>

#include "cortex_m.h"
#include "lab_ipc.h"
#include "platform.h"
#include "shared_layout.h"
#include "stm32h745_irq.h"

AMPVP_SHARED_DEFINE();
LAB_MAILBOX_DEFINE();

static volatile uint32_t s_answer;

void HSEM2_IRQHandler(void);
void HSEM2_IRQHandler(void)
{
    HSEM->C2ICR = HSEM->C2MISR;
    s_answer = 1u;
}

int main(void)
{
    hsem_clock_enable();
    HSEM->C2IER |= HSEM_SEM_BIT(LAB_HSEM_ANSWER);
    nvic_enable_irq(HSEM2_IRQn);
    while (lab_mailbox.cm7_ready != SHARED_READY_MAGIC) {
        /* the CM7 must listen before the first ring (a notification is not kept) */
    }
    for (uint32_t i = 1; i <= LAB_REQUESTS; i++) {
#ifdef LAB_PAYLOAD
        for (uint32_t k = 0; k < LAB_SAMPLES; k++) {
            const int32_t phase = (int32_t)(k % 16u);
            const int32_t tri = phase < 8 ? phase - 4 : 12 - phase; /* -4..4 */
            lab_mailbox.samples[k] = (int16_t)((tri * 25 + 10) * (int32_t)i);
        }
#else
        static const char msg[] = "hello N from the CM4";
        for (unsigned k = 0; k < sizeof(msg); k++) {
            lab_mailbox.text[k] = msg[k] == 'N' ? (char)('0' + i % 10u) : msg[k];
        }
#endif
        lab_mailbox.request = i;
        lab_ring(LAB_HSEM_REQUEST);
        while (lab_mailbox.answered != i) {
            lab_wait(&s_answer);
        }
    }
    cm_idle_forever();
}
