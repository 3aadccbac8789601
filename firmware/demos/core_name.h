/* core_name.h - tell the core type from SCB->CPUID (PARTNO = CPUID[15:4]). */
#ifndef AMPVP_CORE_NAME_H
#define AMPVP_CORE_NAME_H

#include <stdint.h>

#include "cortex_m.h"

static inline const char *core_name_from_cpuid(uint32_t cpuid)
{
    switch ((cpuid & SCB_CPUID_PARTNO_Msk) >> SCB_CPUID_PARTNO_Pos) {
    case CPUID_PARTNO_CORTEX_M7:
        return "Cortex-M7";
    case CPUID_PARTNO_CORTEX_M4:
        return "Cortex-M4";
    default:
        return "unknown core";
    }
}

#endif /* AMPVP_CORE_NAME_H */
