/* Minimal Cortex-M start-up: vector table, .data copy, .bss clear, main(). */
#include <stdint.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];
extern char _estack[];
int main(void);

void Reset_Handler(void)
{
    for (uint32_t *s = _sidata, *d = _sdata; d < _edata;) {
        *d++ = *s++;
    }
    for (uint32_t *d = _sbss; d < _ebss;) {
        *d++ = 0;
    }
    main();
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static void Default_Handler(void)
{
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) const void *const vectors[16] = {
    _estack,         Reset_Handler,   Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, 0, 0, 0, 0,
    Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
};
