// One line per guest fault (issue 12): what a Cortex-M core's fault status
// registers say, by name, as the Armv7-M Architecture Reference Manual
// defines them (B3.2.15 CFSR = MMFSR | BFSR << 8 | UFSR << 16, B3.2.16 HFSR,
// B3.2.17 MMFAR, B3.2.18 BFAR).  Pure formatting: unit-tested alone.
#pragma once

#include "elf_loader.h"
#include "machine.h"

#include <cstdint>
#include <string>

namespace ampvp {

struct FaultInfo {
    uint32_t exc = 0; // 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault; 0xFFFF lockup
    uint32_t pc = 0, lr = 0, cfsr = 0, hfsr = 0, mmfar = 0, bfar = 0;
    std::string why; // lockup: QEMU's reason
};

// The names of the set CFSR bits ("PRECISERR BFARVALID"), and of HFSR's.
std::string cfsr_names(uint32_t cfsr);
std::string hfsr_names(uint32_t hfsr);

// "cm7: BusFault (PRECISERR) at 0x08000412 <main+0x12>, lr 0x08000301 <...>,
// BFAR 0x60000000 (unmapped)": the core, the exception and why, where (with
// the image's function names when it has symbols), and the valid fault
// address, marked "(unmapped)" when no memory of the core's view nor a
// bridge window holds it.  `image` may be null.
std::string fault_report(const std::string &core, const FaultInfo &f, const ElfImage *image,
                         const MachineDesc &m, CoreId c);

} // namespace ampvp
