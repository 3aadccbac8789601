/*
 * system_mps2.c - SystemInit and exit hooks for the stock-QEMU "mps2-an500" images
 * (Cortex-M7, code in ZBT SSRAM1 at 0x00000000, data in SSRAM2/3 at 0x20000000).
 * QEMU must be started with -semihosting: the image leaves through SYS_EXIT.
 */
#include "platform.h"
#include "cortex_m.h"
#include "semihosting.h"

uint32_t SystemCoreClock = 25000000u; /* AN500 FPGA system clock */

void SystemInit(void)
{
    SCB->CPACR |= SCB_CPACR_CP10_FULL | SCB_CPACR_CP11_FULL;
    SCB->SCR |= SCB_SCR_SEVONPEND;
    SCB->VTOR = FW_VECTOR_TABLE_BASE;
    cm_dsb();
    cm_isb();
}

void fw_fatal_stop(void)
{
    semihost_exit(SEMIHOST_ADP_STOPPED_RUNTIME_ERROR);
}

void fw_finish(void)
{
    semihost_exit(SEMIHOST_ADP_STOPPED_APPLICATION_EXIT);
}
