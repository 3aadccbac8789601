/*
 * demo_time.h - 1 kHz SysTick time base and bounded waits for the dual-core demos.
 *
 * Both cores run at 64 MHz after reset (HSI), so SysTick with CLKSOURCE = processor
 * clock and RVR = 64000 - 1 interrupts once per millisecond. One translation unit per
 * image puts DEMO_TIME_DEFINE() at file scope: it defines the millisecond counter and
 * SysTick_Handler (overriding the weak default of the vector table).
 *
 * struct demo_deadline bounds every wait twice: by SysTick time (limit_ms) and by a
 * count of polls (poll_limit), so a wait also ends if SysTick itself does not run.
 */
#ifndef AMPVP_DEMO_TIME_H
#define AMPVP_DEMO_TIME_H

#include <stdint.h>

#include "cortex_m.h"
#include "platform.h"

#define DEMO_TICK_HZ 1000u

extern volatile uint32_t g_demo_ms;
void SysTick_Handler(void);

#define DEMO_TIME_DEFINE()                                  \
    volatile uint32_t g_demo_ms;                            \
    void SysTick_Handler(void) { g_demo_ms = g_demo_ms + 1u; }

/* SysTick at 1 kHz from the processor clock, lowest priority (like the HAL's tick). */
static inline void demo_time_start(void)
{
    SYSTICK->CSR = 0u;
    SYSTICK->RVR = SystemCoreClock / DEMO_TICK_HZ - 1u;
    SYSTICK->CVR = 0u;
    SCB->SHPR[11] = 0xF0u; /* SHPR3[31:24]: SysTick (exception 15) priority 15 of 16 */
    SYSTICK->CSR = SYSTICK_CSR_CLKSOURCE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_ENABLE;
}

static inline uint32_t demo_ms(void)
{
    return g_demo_ms;
}

/* 1 if the millisecond counter advances within max_polls polls. */
static inline int demo_time_running(uint32_t max_polls)
{
    uint32_t t0 = g_demo_ms;
    for (uint32_t i = 0; i < max_polls; ++i) {
        if (g_demo_ms != t0) {
            return 1;
        }
    }
    return 0;
}

/* Microseconds since demo_time_start(): ms counter plus the part of the current
 * millisecond SysTick has counted down (CVR counts RVR..0). Wraps after ~71 minutes. */
static inline uint32_t demo_us(void)
{
    uint32_t ms, cvr;
    do {
        ms = g_demo_ms;
        cvr = SYSTICK->CVR;
    } while (ms != g_demo_ms);
    uint32_t reload = SYSTICK->RVR;
    if (cvr > reload) {
        cvr = reload;
    }
    return ms * 1000u + (reload - cvr) * 1000u / (reload + 1u);
}

struct demo_deadline {
    uint32_t start_ms;
    uint32_t limit_ms;
    uint32_t polls;
    uint32_t poll_limit;
};

static inline void deadline_start(struct demo_deadline *d, uint32_t limit_ms, uint32_t poll_limit)
{
    d->start_ms = g_demo_ms;
    d->limit_ms = limit_ms;
    d->polls = 0u;
    d->poll_limit = poll_limit;
}

/* Progress was made: the wait starts over. */
static inline void deadline_restart(struct demo_deadline *d)
{
    d->start_ms = g_demo_ms;
    d->polls = 0u;
}

/* Count one poll; 1 once either bound is used up. */
static inline int deadline_expired(struct demo_deadline *d)
{
    return (g_demo_ms - d->start_ms) >= d->limit_ms || ++d->polls >= d->poll_limit;
}

/* Sleep (WFI) until an interrupt handler sets *flag; 0 if the deadline passes first. */
static inline int demo_wait_flag(volatile int *flag, uint32_t limit_ms, uint32_t poll_limit)
{
    struct demo_deadline d;
    deadline_start(&d, limit_ms, poll_limit);
    while (!*flag) {
        if (deadline_expired(&d)) {
            return 0;
        }
        cm_wfi();
    }
    return 1;
}

#endif /* AMPVP_DEMO_TIME_H */
