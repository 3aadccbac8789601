/*
 * sw_exti_doorbell_cm7.c - the doorbell of FreeRTOS's "message buffers between two
 * kernels": EXTI software interrupt line 0 rung by the CM7 for the CM4. Cortex-M7
 * (sender) side. N = SW_EXTI_MESSAGES (CMake, default 200).
 *
 * Reproduces the CM7 of ST's STM32CubeH7 application Projects/NUCLEO-H745ZI-Q/
 * Applications/FreeRTOS/FreeRTOS_AMP_Dual_RTOS (main.c, and vGenerateCore2Interrupt,
 * which its FreeRTOSConfig.h installs as sbSEND_COMPLETED), with ST's HAL calls as
 * register accesses:
 *   once:        HAL_EXTI_EdgeConfig(EXTI_LINE0, EXTI_RISING_EDGE):
 *                  EXTI_FTSR1 &= ~1; EXTI_RTSR1 &= ~1; EXTI_RTSR1 |= 1
 *   per message, after the message is in the shared buffer:
 *                HAL_EXTI_D1_EventInputConfig(EXTI_LINE0, EXTI_MODE_IT, DISABLE):
 *                  EXTI_C1IMR1 &= ~1   (not to this core)
 *                HAL_EXTI_D2_EventInputConfig(EXTI_LINE0, EXTI_MODE_IT, ENABLE):
 *                  EXTI_C2IMR1 |= 1    (to the CM4)
 *                HAL_EXTI_GenerateSWInterrupt(EXTI_LINE0):
 *                  EXTI_SWIER1 |= 1    (SWIER1 reads 0: every write of 1 triggers again)
 * Each SWIER1 write sets EXTI_C2PR1 bit 0, not EXTI_C1PR1 (C1IMR1 bit 0 is 0), and so
 * raises EXTI0 (IRQ 6) on the CM4 only.
 *
 * ST's buffers carry the strings of an incrementing counter; here the message is one
 * SRAM4 word, db_message = sequence number i, and in place of the message buffer's free
 * space the CM4 acknowledges each message with db_ack = i, which the CM7 waits for
 * before it writes the next one (one message in flight: single writer, single reader).
 *
 *   uart_init; SysTick 1 kHz (checked running); HAL_EXTI_EdgeConfig as above
 *   sleep (WFI, woken by SysTick) until db_cm4_ready == SHARED_READY_MAGIC, at most 10 s
 *   for i in 1..N: db_message = i; DSB; the three EXTI writes above;
 *                  sleep (WFI) until db_ack == i, at most 1000 ms
 *   "sw_exti_doorbell: <N> messages delivered in order"
 *   "CM7 done"
 * Failures (sending stops): "sw_exti_doorbell: SysTick not running",
 * "sw_exti_doorbell: CM4 not ready", "sw_exti_doorbell: message <i> not acknowledged
 * within 1000 ms (ack=<v>)"; then "sw_exti_doorbell: <k> of <N> messages delivered" and
 * "CM7 done".
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "demo_time.h"
#include "platform.h"
#include "shared_layout.h"
#include "sw_exti_doorbell_common.h"
#include "stm32h745_regs.h"

#ifndef SW_EXTI_MESSAGES
#error "SW_EXTI_MESSAGES must be defined (CMake variable)"
#endif
_Static_assert(SW_EXTI_MESSAGES > 0u && SW_EXTI_MESSAGES <= 4000000u, "message count");

#define DB_LINE        EXTI_LINE_BIT1(0u)  /* EXTI_LINE0 */
#define DB_READY_MS    10000u
#define DB_ACK_MS      1000u
#define DB_POLL_LIMIT  1000000000u

AMPVP_SHARED_DEFINE();
DEMO_TIME_DEFINE()

static __attribute__((noreturn)) void finish(void)
{
    uart_puts("CM7 done\n");
    fw_finish();
}

static __attribute__((noreturn)) void give_up(uint32_t delivered)
{
    uart_printf("sw_exti_doorbell: %u of %u messages delivered\n", (unsigned)delivered,
                (unsigned)SW_EXTI_MESSAGES);
    finish();
}

/* vGenerateCore2Interrupt: the part after the message is written. */
static void ring_cm4(void)
{
    EXTI->C1IMR1 &= ~DB_LINE; /* HAL_EXTI_D1_EventInputConfig(EXTI_LINE0, IT, DISABLE) */
    EXTI->C2IMR1 |= DB_LINE;  /* HAL_EXTI_D2_EventInputConfig(EXTI_LINE0, IT, ENABLE)  */
    EXTI->SWIER1 |= DB_LINE;  /* HAL_EXTI_GenerateSWInterrupt(EXTI_LINE0)              */
}

int main(void)
{
    uart_init();
    demo_time_start();
    if (!demo_time_running(100000000u)) {
        uart_puts("sw_exti_doorbell: SysTick not running\n");
        give_up(0u);
    }

    db_message_buffer_handle = DB_HANDLE_MAGIC; /* xMessageBufferCreateStatic, in SRAM4 */
    cm_dsb();

    /* HAL_EXTI_EdgeConfig(EXTI_LINE0, EXTI_RISING_EDGE), configured only once */
    EXTI->FTSR1 &= ~DB_LINE;
    EXTI->RTSR1 &= ~DB_LINE;
    EXTI->RTSR1 |= DB_LINE;

    struct demo_deadline d;
    deadline_start(&d, DB_READY_MS, DB_POLL_LIMIT);
    while (ampvp_shared.db_cm4_ready != SHARED_READY_MAGIC) {
        cm_wfi();
        if (deadline_expired(&d)) {
            uart_puts("sw_exti_doorbell: CM4 not ready\n");
            give_up(0u);
        }
    }
    cm_dmb();

    const uint32_t n = (uint32_t)SW_EXTI_MESSAGES;
    for (uint32_t i = 1; i <= n; ++i) {
        ampvp_shared.db_message = i;
        cm_dsb(); /* the message is in SRAM4 before the doorbell rings */
        ring_cm4();
        deadline_start(&d, DB_ACK_MS, DB_POLL_LIMIT);
        while (ampvp_shared.db_ack != i) {
            cm_wfi();
            if (deadline_expired(&d)) {
                uart_printf("sw_exti_doorbell: message %u not acknowledged within %u ms (ack=%u)\n",
                            (unsigned)i, (unsigned)DB_ACK_MS, (unsigned)ampvp_shared.db_ack);
                give_up(i - 1u);
            }
        }
        cm_dmb();
    }

    uart_printf("sw_exti_doorbell: %u messages delivered in order\n", (unsigned)n);
    finish();
}
