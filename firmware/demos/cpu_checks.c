/*
 * cpu_checks.c - what RTOS ports and ST's HAL check about the core itself,
 * built for both cores (cpu_checks_cm7.elf, cpu_checks_cm4.elf).
 *
 * - NVIC priority bits: write 0xFF to a priority byte and read it back; the
 *   implemented bits read as 1 (STM32H7: 4 bits -> 0xF0).  FreeRTOS's
 *   Cortex-M port does exactly this and asserts on the count.
 * - SCB->CPUID revision and part number (FreeRTOS rejects CM7 r0p0/r0p1).
 * - CM7 only, as ST's templates start: the cache geometry from CLIDR/CTR/CCSIDR,
 *   CMSIS SCB_EnableICache / SCB_EnableDCache (invalidate all, the DCISW loop over
 *   every set and way, CCR.IC/DC), and MPU_Config: MPU_TYPE.DREGION (16 on the H7's
 *   CM7), region 0 no-access over 0x60000000-0xDFFFFFFF (4 GB with subregions
 *   0x87 disabled), region 1 SRAM4 non-cacheable shareable, MPU on with PRIVDEFENA;
 *   the regions read back and SRAM4 stays usable.
 * Prints one line per check; the CM7 owns USART3 (uart_init), the CM4 attaches.
 */
#include <stdint.h>

#include "console.h"
#include "core_name.h"
#include "cortex_m.h"
#include "platform.h"


static void cm7_caches(void)
{
    SCB->CSSELR = 0u; /* level 1 data cache */
    cm_dsb();
    const uint32_t ccsidr = SCB->CCSIDR;
    const uint32_t sets = ((ccsidr >> 13) & 0x7FFFu) + 1u;
    const uint32_t ways = ((ccsidr >> 3) & 0x3FFu) + 1u;
    const uint32_t line = 16u << (ccsidr & 7u);
    uart_printf("CM7: CLIDR 0x%08x CTR 0x%08x\n", (unsigned)SCB->CLIDR, (unsigned)SCB->CTR);
    uart_printf("CM7: D-cache %u KB: %u ways x %u sets x %u bytes (CCSIDR 0x%08x)\n",
                (unsigned)(sets * ways * line / 1024u), (unsigned)ways, (unsigned)sets,
                (unsigned)line, (unsigned)ccsidr);
    /* SCB_EnableICache */
    cm_dsb();
    cm_isb();
    SCB_ICIALLU = 0u;
    cm_dsb();
    cm_isb();
    SCB->CCR |= SCB_CCR_IC;
    cm_dsb();
    cm_isb();
    /* SCB_EnableDCache: invalidate by set/way, every set and way. */
    uint32_t ops = 0;
    for (uint32_t set = 0; set < sets; set++) {
        for (uint32_t way = 0; way < ways; way++) {
            SCB_DCISW = (set << SCB_DCISW_SET_Pos) | (way << SCB_DCISW_WAY_Pos);
            ops++;
        }
    }
    cm_dsb();
    SCB->CCR |= SCB_CCR_DC;
    cm_dsb();
    cm_isb();
    uart_printf("CM7: caches on: %u set/way invalidations, CCR.IC=%u CCR.DC=%u\n", (unsigned)ops,
                (unsigned)((SCB->CCR & SCB_CCR_IC) != 0u), (unsigned)((SCB->CCR & SCB_CCR_DC) != 0u));
}

static void cm7_mpu(void)
{
    const unsigned regions = (unsigned)MPU_TYPE_DREGION(MPU_TYPE);
    cm_dmb();
    MPU_CTRL = 0u; /* HAL_MPU_Disable */
    /* Region 0: 4 GB, subregions 0, 1, 2 and 7 disabled (SRD 0x87), no access, XN. */
    MPU_RNR = 0u;
    MPU_RBAR = 0x00000000u;
    MPU_RASR = (1u << MPU_RASR_XN_Pos) | (0x87u << MPU_RASR_SRD_Pos) | (31u << MPU_RASR_SIZE_Pos) | MPU_RASR_ENABLE;
    /* Region 1: SRAM4 64 KB, TEX 1 C 0 B 0 (normal, non-cacheable), shareable, full access. */
    MPU_RNR = 1u;
    MPU_RBAR = 0x38000000u;
    const uint32_t rasr1 = (3u << MPU_RASR_AP_Pos) | (1u << MPU_RASR_TEX_Pos) | (1u << MPU_RASR_S_Pos) |
                          (15u << MPU_RASR_SIZE_Pos) | MPU_RASR_ENABLE;
    MPU_RASR = rasr1;
    MPU_RNR = 15u; /* the last region exists on the H7's CM7 */
    const unsigned rnr15 = (unsigned)MPU_RNR;
    MPU_CTRL = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
    cm_dsb();
    cm_isb();
    MPU_RNR = 1u;
    const int ok = MPU_RBAR == (0x38000000u | 1u) && MPU_RASR == rasr1;
    volatile uint32_t *sram4 = (volatile uint32_t *)0x3800FF00u;
    *sram4 = 0x5A5A1234u;
    uart_printf("CM7: MPU %u regions, RNR 15 reads %u, region 1 reads back %s, SRAM4 %s\n", regions,
                rnr15, ok ? "exactly" : "DIFFERENTLY", *sram4 == 0x5A5A1234u ? "usable" : "BROKEN");
}

int main(void)
{
    const uint32_t cpuid = SCB->CPUID;
    const int is_cm7 = ((cpuid >> 4) & 0xFFFu) == 0xC27u;
    if (is_cm7) {
        uart_init();
    } else {
        uart_attach();
    }
    const char *name = is_cm7 ? "CM7" : "CM4";

    /* FreeRTOS port style: save, write all ones, read back, restore. */
    volatile uint8_t *prio = &NVIC->IPR[0];
    const uint8_t saved = *prio;
    *prio = 0xFFu;
    const uint8_t readback = *prio;
    *prio = saved;
    unsigned bits = 0;
    for (uint8_t v = readback; v & 0x80u; v = (uint8_t)(v << 1)) {
        ++bits;
    }
    uart_printf("%s: NVIC priority bits %u (0xff reads back 0x%02x)\n", name, bits,
                (unsigned)readback);
    uart_printf("%s: CPUID 0x%08x %s r%up%u\n", name, (unsigned)cpuid, core_name_from_cpuid(cpuid),
                (unsigned)((cpuid >> 20) & 0xFu), (unsigned)(cpuid & 0xFu));
    if (is_cm7) {
        cm7_caches();
        cm7_mpu();
    }
    uart_printf("%s done\n", name);
    for (;;) {
        cm_wfi();
    }
}
