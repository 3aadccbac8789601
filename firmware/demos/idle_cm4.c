/*
 * idle_cm4.c - Cortex-M4 image that does nothing: after the common startup
 * (SystemInit, .data/.bss) it sits in WFI forever and touches no peripheral.
 * Used when only the CM7 matters (e.g. benchmarks). Prints nothing.
 */
#include "cortex_m.h"

int main(void)
{
    cm_idle_forever();
}
