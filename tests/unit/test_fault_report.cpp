// Fault reports (fault_report.h): the Armv7-M ARM's fault status bits by name,
// the faulting PC/LR with function names, and fault addresses checked against
// the machine's map.
#include "fault_report.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

MachineDesc h745() { return MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json"); }

// Armv7-M ARM B3.2.15: CFSR = MMFSR (bits 0-7) | BFSR (8-15) | UFSR (16-31).
TEST(FaultReport, CfsrBitsByName)
{
    EXPECT_EQ(cfsr_names(0x00000082u), "DACCVIOL MMARVALID");
    EXPECT_EQ(cfsr_names(0x00008200u), "PRECISERR BFARVALID");
    EXPECT_EQ(cfsr_names(0x02010000u), "UNDEFINSTR DIVBYZERO");
    EXPECT_EQ(cfsr_names(0), "");
}

// B3.2.16: HFSR.FORCED (bit 30) marks a fault escalated to HardFault, VECTTBL (1)
// a vector table read error.
TEST(FaultReport, HfsrBitsByName)
{
    EXPECT_EQ(hfsr_names(0x40000000u), "FORCED");
    EXPECT_EQ(hfsr_names(0x00000002u), "VECTTBL");
}

// One line: core, exception and causes, PC/LR with symbols, and BFAR only when
// BFARVALID, marked unmapped when no memory or window of the core holds it.
TEST(FaultReport, BusFaultLineWithSymbolsAndUnmappedAddress)
{
    auto m = h745();
    ElfImage img;
    img.functions = {{"main", 0x08000100, 0x40}, {"read_it", 0x08000200, 0x10}};
    FaultInfo f{5, 0x08000204, 0x08000121, 0x00008200u, 0, 0, 0x60000000u, ""};
    EXPECT_EQ(fault_report("cm7", f, &img, m, 0),
              "cm7: BusFault (PRECISERR BFARVALID) at 0x08000204 <read_it+0x4>, lr 0x08000121 "
              "<main+0x21>, BFAR 0x60000000 (unmapped)");
    f.bfar = 0x40004800; // USART3: inside the peripheral window
    EXPECT_EQ(fault_report("cm7", f, nullptr, m, 0).find("unmapped"), std::string::npos);
    f.cfsr = 0x00000200u; // PRECISERR without BFARVALID: no BFAR shown
    EXPECT_EQ(fault_report("cm7", f, nullptr, m, 0).find("BFAR"), std::string::npos);
}

// An escalated fault names HFSR first, then the original cause.
TEST(FaultReport, ForcedHardFaultNamesTheOriginalCause)
{
    auto m = h745();
    FaultInfo f{3, 0x08000204, 0x0800010B, 0x00010000u, 0x40000000u, 0, 0, ""};
    EXPECT_EQ(fault_report("cm4", f, nullptr, m, 1).rfind("cm4: HardFault (FORCED, UNDEFINSTR) at 0x08000204", 0), 0u);
}

// Lockup: QEMU's reason in the line.
TEST(FaultReport, LockupLine)
{
    auto m = h745();
    FaultInfo f{0xFFFF, 0x0800010E, 0x08000101, 0, 0, 0, 0, "can't escalate a fault to HardFault"};
    EXPECT_EQ(fault_report("cm7", f, nullptr, m, 0),
              "cm7: lockup (can't escalate a fault to HardFault) at 0x0800010e, lr 0x08000101");
}

} // namespace
