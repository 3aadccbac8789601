/*
 * startup.c - vector table, reset and fault handlers (ampvp's own, for all targets).
 *
 * Reset_Handler: SP = _estack, SystemInit(), copy .data from its flash load address,
 * zero .bss, __libc_init_array(), main(); if main returns, fw_finish().
 *
 * Vector table: 16 Armv7-M system entries, then the 150 peripheral interrupt entries
 * 0..149 of the chip (stm32h745_irq.h for the STM32H745 targets, stm32mp15_irq.h for
 * the STM32MP15 ones), each a weak alias of Default_Handler so a demo overrides one by
 * defining e.g. USART3_IRQHandler(). The table is the section .isr_vector, placed by
 * the linker scripts at the start of flash (H7), of RETRAM (MP15 M4) or of SYSRAM
 * (MP15 P1), which they ASSERT.
 */
#include <stdint.h>

#include "console.h"
#include "cortex_m.h"
#include "platform.h"
#if defined(FW_TARGET_MP15)
#include "stm32mp15_irq.h"
#define FW_IRQ_LIST  STM32MP15_IRQ_LIST
#define FW_IRQ_COUNT STM32MP15_IRQ_COUNT
#elif !defined(FW_TARGET_MPS2)
#include "stm32h745_irq.h"
#define FW_IRQ_LIST  STM32H745_IRQ_LIST
#define FW_IRQ_COUNT STM32H745_IRQ_COUNT
#else
#define FW_IRQ_COUNT 0
#endif

/* Linker-script symbols */
extern uint32_t _sidata[]; /* .data load address (flash)        */
extern uint32_t _sdata[];  /* .data run address start           */
extern uint32_t _edata[];
extern uint32_t _sbss[];
extern uint32_t _ebss[];
extern char     _estack[]; /* initial stack pointer             */

extern void __libc_init_array(void);
void _init(void);
void _fini(void);
extern int main(void);

void Reset_Handler(void) __attribute__((naked, noreturn));
void Default_Handler(void);
/* Weak: an image reproducing an application's own handler (ST's while (1) {}) may
 * define it; the others get the report below. */
void HardFault_Handler(void) __attribute__((naked, weak));
void fw_reset_c(void) __attribute__((used, noreturn));
void fw_hardfault_report(const uint32_t *frame, uint32_t exc_return) __attribute__((used, noreturn));

/* Armv7-M system exceptions other than reset and HardFault: weak, overridable. */
#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;

#if defined(FW_IRQ_LIST)
#define DECLARE_IRQ_HANDLER(n, name) void name##_IRQHandler(void) WEAK_DEFAULT;
FW_IRQ_LIST(DECLARE_IRQ_HANDLER)
#undef DECLARE_IRQ_HANDLER
#endif

/* ---- vector table ------------------------------------------------------------ */
typedef union {
    void (*handler)(void);
    const void *stack_top;
} vector_entry;

#define VECTOR_TABLE_ENTRIES (16 + FW_IRQ_COUNT)

__attribute__((section(".isr_vector"), used))
const vector_entry g_vector_table[VECTOR_TABLE_ENTRIES] = {
    [0]  = { .stack_top = _estack },
    [1]  = { .handler = Reset_Handler },
    [2]  = { .handler = NMI_Handler },
    [3]  = { .handler = HardFault_Handler },
    [4]  = { .handler = MemManage_Handler },
    [5]  = { .handler = BusFault_Handler },
    [6]  = { .handler = UsageFault_Handler },
    /* 7..10 reserved */
    [11] = { .handler = SVC_Handler },
    [12] = { .handler = DebugMon_Handler },
    /* 13 reserved */
    [14] = { .handler = PendSV_Handler },
    [15] = { .handler = SysTick_Handler },
#if defined(FW_IRQ_LIST)
#define IRQ_VECTOR_ENTRY(n, name) [16 + (n)] = { .handler = name##_IRQHandler },
    FW_IRQ_LIST(IRQ_VECTOR_ENTRY)
#undef IRQ_VECTOR_ENTRY
#endif
};

/* ---- reset --------------------------------------------------------------------- */
void Reset_Handler(void)
{
    /* Load SP explicitly as well (a debugger or a boot loader may jump here). */
    __asm volatile(
        "ldr r0, =_estack\n"
        "mov sp, r0\n"
        "b fw_reset_c\n");
}

void fw_reset_c(void)
{
    SystemInit();

    /* .data: copy initial values from flash; .bss: zero. */
    const uint32_t *src = _sidata;
    for (uint32_t *dst = _sdata; dst < _edata; ++dst, ++src) {
        *dst = *src;
    }
    for (uint32_t *dst = _sbss; dst < _ebss; ++dst) {
        *dst = 0u;
    }

    __libc_init_array();
    (void)main();
    fw_finish();
}

/* newlib's __libc_init_array() calls _init() between .preinit_array and .init_array;
 * we link without crti/crtn (-nostartfiles), so provide the empty hooks here. */
void _init(void) {}
void _fini(void) {}

/* ---- faults --------------------------------------------------------------------- */
void Default_Handler(void)
{
    uint32_t exc = cm_get_ipsr() & 0x1FFu;
    uart_emergency_puts("Unhandled exception ");
    uart_printf("%u (IRQ %d)\n", (unsigned)exc, (int)exc - 16);
    fw_fatal_stop();
}

/* Find the stacked frame (MSP or PSP, from EXC_RETURN bit 2) and report it. */
void HardFault_Handler(void)
{
    __asm volatile(
        "tst lr, #4\n"
        "ite eq\n"
        "mrseq r0, msp\n"
        "mrsne r0, psp\n"
        "mov r1, lr\n"
        "b fw_hardfault_report\n");
}

void fw_hardfault_report(const uint32_t *frame, uint32_t exc_return)
{
    uart_emergency_puts("HardFault");
    /* frame: r0 r1 r2 r3 r12 lr pc xpsr */
    uart_printf(" pc=0x%08x lr=0x%08x xpsr=0x%08x cfsr=0x%08x hfsr=0x%08x bfar=0x%08x"
                " mmfar=0x%08x exc_return=0x%08x\n",
                (unsigned)frame[6], (unsigned)frame[5], (unsigned)frame[7],
                (unsigned)SCB->CFSR, (unsigned)SCB->HFSR, (unsigned)SCB->BFAR,
                (unsigned)SCB->MMFAR, (unsigned)exc_return);
    fw_fatal_stop();
}
