/*
 * sw_exti_doorbell_cm4.c - the doorbell of FreeRTOS's "message buffers between two
 * kernels", Cortex-M4 (receiver) side. See sw_exti_doorbell_cm7.c.
 *
 * Reproduces the CM4 of ST's STM32CubeH7 application Projects/NUCLEO-H745ZI-Q/
 * Applications/FreeRTOS/FreeRTOS_AMP_Dual_RTOS (main.c, stm32h7xx_it.c):
 *   HAL_Init's NVIC_PRIORITYGROUP_4: AIRCR.PRIGROUP = 3;
 *   HAL_NVIC_SetPriority(EXTI0_IRQn, 0xF, 0): IPR[6] = 0xF0; HAL_NVIC_EnableIRQ(EXTI0_IRQn);
 *   EXTI0_IRQHandler = HAL_GPIO_EXTI_IRQHandler(GPIO_PIN_0), CM4 flavour: if EXTI_C2PR1
 *     bit 0 is set, write 1 to EXTI_C2PR1 (clear), then HAL_GPIO_EXTI_Callback:
 *     prvCore2InterruptHandler (here: count the doorbell, the task is woken by it), then
 *     HAL_EXTI_D2_ClearFlag(EXTI_LINE0): EXTI_C2PR1 = 1 once more.
 * The receiving task's work runs in thread mode, as the FreeRTOS task does once the
 * interrupt woke it: read the message (db_message), check it is the next sequence
 * number, release the buffer (db_ack = message). The acknowledgement is written only
 * after the handler returned, so the CM7's next doorbell can never be cleared by the
 * second C2PR1 write of the previous one.
 *
 *   uart_attach; AIRCR; NVIC EXTI0 as above; db_ack = 0; DSB;
 *   db_cm4_ready = SHARED_READY_MAGIC; DSB
 *   until N messages handled: sleep in WFI until the handler counted a doorbell that
 *     was not handled yet (PRIMASK set around the check: the WFI still wakes on the
 *     pending EXTI0, which is taken at CPSIE); read db_message; db_ack = it; DSB
 *   "CM4: <taken> doorbells taken", "CM4 done"
 * No SysTick on this core: nothing but a doorbell wakes it, so it sleeps between
 * doorbells. A message other than the expected one prints (once, before the count line)
 * "sw_exti_doorbell: CM4 got message <m>, expected <e>" and is acknowledged anyway (the
 * CM7 then reports the failure). If the CM7 stops sending, this core sleeps forever; the
 * CM7 reports why.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#include "shared_layout.h"
#include "sw_exti_doorbell_common.h"
#include "stm32h745_irq.h"
#include "stm32h745_regs.h"

#ifndef SW_EXTI_MESSAGES
#error "SW_EXTI_MESSAGES must be defined (CMake variable)"
#endif

#define DB_LINE     EXTI_LINE_BIT1(0u)  /* EXTI_LINE0 / GPIO_PIN_0 */
#define EXTI0_PRIO  0xF0u               /* HAL_NVIC_SetPriority(EXTI0_IRQn, 0xF, 0) */

AMPVP_SHARED_DEFINE();

static volatile uint32_t s_taken; /* doorbells taken by EXTI0_IRQHandler */

/* HAL_GPIO_EXTI_IRQHandler(GPIO_PIN_0) on the CM4, with ST's HAL_GPIO_EXTI_Callback. */
void EXTI0_IRQHandler(void);
void EXTI0_IRQHandler(void)
{
    if ((EXTI->C2PR1 & DB_LINE) != 0u) {
        EXTI->C2PR1 = DB_LINE;      /* __HAL_GPIO_EXTID2_CLEAR_IT */
        s_taken = s_taken + 1u;     /* prvCore2InterruptHandler: wake the task */
        EXTI->C2PR1 = DB_LINE;      /* HAL_EXTI_D2_ClearFlag(EXTI_LINE0) */
    }
}

int main(void)
{
    uart_attach(); /* the CM7 owns USART3 */

    uint32_t v = SCB->AIRCR; /* HAL_Init: NVIC_SetPriorityGrouping(NVIC_PRIORITYGROUP_4) */
    v &= ~(0xFFFFu << 16 | SCB_AIRCR_PRIGROUP_Msk);
    SCB->AIRCR = v | SCB_AIRCR_VECTKEY | (3u << SCB_AIRCR_PRIGROUP_Pos);
    NVIC->IPR[EXTI0_IRQn] = EXTI0_PRIO;
    nvic_enable_irq(EXTI0_IRQn);

    ampvp_shared.db_ack = 0u;
    cm_dsb();
    ampvp_shared.db_cm4_ready = SHARED_READY_MAGIC;
    cm_dsb();

    /* The CM7 created its message buffer before it looks at db_cm4_ready... */
    while (db_message_buffer_handle != DB_HANDLE_MAGIC) {
    }
    uart_printf("CM4: message-buffer handle 0x%08x in SRAM4 (.RAM_D3, loaded by both images)\n",
                (unsigned)db_message_buffer_handle);

    const uint32_t n = (uint32_t)SW_EXTI_MESSAGES;
    uint32_t handled = 0, bad = 0, bad_expected = 0;
    while (handled < n) {
        cm_disable_irq();
        if (s_taken == handled) {
            cm_wfi();
            cm_enable_irq();
            cm_isb(); /* the pending EXTI0 is taken here */
            continue;
        }
        cm_enable_irq();
        const uint32_t expected = handled + 1u;
        const uint32_t message = ampvp_shared.db_message;
        if (message != expected && bad_expected == 0u) {
            bad = message;
            bad_expected = expected;
        }
        handled = expected;
        ampvp_shared.db_ack = message; /* the buffer is free again */
        cm_dsb();
    }

    if (bad_expected != 0u) {
        uart_printf("sw_exti_doorbell: CM4 got message %u, expected %u\n", (unsigned)bad,
                    (unsigned)bad_expected);
    }
    uart_printf("CM4: %u doorbells taken\n", (unsigned)s_taken);
    uart_puts("CM4 done\n");
    fw_finish();
}
