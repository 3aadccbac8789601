/*
 * fault_cm7.c - provokes one kind of Cortex-M fault (test payload for ampvp's
 * fault reports, docs/debugging.md).  Built once per kind (FAULT_KIND):
 *
 *   busfault   load from 0x60000000 (no memory there on the H745: the FMC bank is
 *              not enabled): BusFault, PRECISERR + BFARVALID, BFAR 0x60000000
 *              (SHCSR.BUSFAULTENA set first, as a debug-friendly firmware does)
 *   forced     the same load with BUSFAULTENA clear: HardFault FORCED (escalated)
 *   udf        UDF #0: UsageFault UNDEFINSTR
 *   divzero    CCR.DIV_0_TRP set, SDIV by zero: UsageFault DIVBYZERO
 *   mpu        MPU region 0 over SRAM4 with no access, MemManage enabled, then a store
 *              there: MemManage DACCVIOL + MMARVALID, MMFAR 0x38000000
 *   lockup     FAULTMASK set (execution priority -1, as in a HardFault handler), then
 *              UDF: a fault that cannot escalate, so the core locks up (Armv7-M ARM
 *              B1.5.15)
 *   handled    as busfault, but the firmware's own BusFault handler skips the load
 *              and the program goes on: "fault_cm7: handled, still running"
 *
 * Each prints "fault_cm7: <kind> next" before the faulting instruction, which sits in
 * its own function (fault_here) so a report names it.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"

#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)

#define STR2(x) #x
#define STR(x) STR2(x)

volatile uint32_t sink;

__attribute__((noinline, unused)) static uint32_t fault_here(volatile uint32_t *p)
{
    return *p; /* the faulting load (busfault, forced, handled) */
}

#if defined(FAULT_HANDLED)
static volatile int handled;
/* Skip the faulting 16-bit load: add 2 to the stacked PC (frame word 6). */
void BusFault_Handler(void) __attribute__((naked));
void BusFault_Handler(void);
void BusFault_Handler(void)
{
    __asm volatile("tst lr, #4\n"
                   "ite eq\n"
                   "mrseq r0, msp\n"
                   "mrsne r0, psp\n"
                   "ldr r1, [r0, #24]\n"
                   "adds r1, r1, #2\n"
                   "str r1, [r0, #24]\n"
                   "ldr r1, =handled\n"
                   "movs r2, #1\n"
                   "str r2, [r1]\n"
                   "ldr r1, =0xE000ED28\n" /* CFSR: write 1s to clear */
                   "ldr r2, [r1]\n"
                   "str r2, [r1]\n"
                   "bx lr\n");
}
#endif

int main(void)
{
    uart_init();
    uart_puts("fault_cm7: " STR(FAULT_NAME) " next\n");
#if defined(FAULT_BUSFAULT) || defined(FAULT_HANDLED)
    SCB->SHCSR |= SHCSR_BUSFAULTENA;
    cm_dsb();
    sink = fault_here((volatile uint32_t *)0x60000000u);
#elif defined(FAULT_FORCED)
    sink = fault_here((volatile uint32_t *)0x60000000u);
#elif defined(FAULT_UDF)
    SCB->SHCSR |= SHCSR_USGFAULTENA;
    __asm volatile("udf #0");
#elif defined(FAULT_DIVZERO)
    SCB->SHCSR |= SHCSR_USGFAULTENA;
    SCB->CCR |= SCB_CCR_DIV_0_TRP;
    volatile int32_t zero = 0, one = 1;
    sink = (uint32_t)(one / zero);
#elif defined(FAULT_MPU)
    SCB->SHCSR |= SHCSR_MEMFAULTENA;
    MPU_RNR = 0;
    MPU_RBAR = 0x38000000u;
    /* 64 KB (SIZE 15), AP = 000 no access, XN; background map for the rest. */
    MPU_RASR = (1u << 28) | (15u << MPU_RASR_SIZE_Pos) | MPU_RASR_ENABLE;
    MPU_CTRL = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
    cm_dsb();
    cm_isb();
    *(volatile uint32_t *)0x38000000u = 1;
#elif defined(FAULT_LOCKUP)
    __asm volatile("cpsid f\n"
                   "udf #1");
#endif
#if defined(FAULT_HANDLED)
    uart_printf("fault_cm7: handled (%d), still running\n", handled);
#else
    uart_puts("fault_cm7: no fault happened\n");
#endif
    fw_finish();
}
