// FLASH interface, DBGMCU and SYSCFG as ST's SystemInit / HAL read them, one
// RM0399 rule per test (RM0399 Rev 4; rules paraphrased).
#include "bus.h"
#include "machine.h"
#include "models/stm32h7_flash.h"
#include "models/stm32h7_sys.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

using testutil::reg_read;
using testutil::reg_write;
template <class D> uint32_t rd(D &d, uint32_t off) { return reg_read(d, off); }
template <class D> void wr(D &d, uint32_t off, uint32_t v) { reg_write(d, off, v); }

// RM0399 FLASH_ACR: LATENCY and WRHIGHFREQ read back what was written (HAL
// checks the latency and calls Error_Handler on a mismatch); reset 0x37.
TEST(Flash, AcrLatencyReadsBack)
{
    Stm32h7Flash f("FLASH");
    EXPECT_EQ(rd(f, 0x000), 0x37u);
    wr(f, 0x000, 0x24);
    EXPECT_EQ(rd(f, 0x000) & 0xFu, 4u);
    EXPECT_EQ(rd(f, 0x100) & 0xFu, 4u); // the bank-2 address is the same register
    wr(f, 0x100, 0x22);
    EXPECT_EQ(rd(f, 0x000), 0x22u);
}

// RM0399 FLASH_OPTSR_CUR: BCM7 (bit 23) and BCM4 (bit 22) say which cores boot.
TEST(Flash, OptsrBootBitsComeFromTheMachine)
{
    testutil::LogCapture cap;
    Stm32h7Flash f("FLASH");
    f.configure({{"bcm7", "1"}, {"bcm4", "0"}, {"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"});
    EXPECT_TRUE(rd(f, 0x01C) & (1u << 23));
    EXPECT_FALSE(rd(f, 0x01C) & (1u << 22));
    EXPECT_EQ((rd(f, 0x01C) >> 8) & 0xFFu, 0xAAu); // RDP level 0
}

// RM0399 boot configuration: a CPU whose BCMx option bit is 0 does not boot
// at reset (it waits for RCC_GCR.BOOT_Cx); the FLASH model tells the hub.
TEST(Flash, BcmZeroGatesThatCore)
{
    Stm32h7Flash f("FLASH");
    f.configure({{"bcm7", "1"}, {"bcm4", "0"}, {"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"});
    EXPECT_EQ(f.boot_gated(0), std::optional<bool>(false));
    EXPECT_EQ(f.boot_gated(1), std::optional<bool>(true));
    EXPECT_EQ(f.boot_gated(2), std::nullopt); // not a core it knows
    f.configure({{"bcm7", "0"}, {"bcm4", "1"}, {"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"});
    EXPECT_EQ(f.boot_gated(0), std::optional<bool>(true));
    EXPECT_EQ(f.boot_gated(1), std::optional<bool>(false));
}

// RM0399 FLASH_BOOT7_CUR / BOOT4_CUR hold the boot addresses >> 16.
TEST(Flash, BootAddresses)
{
    Stm32h7Flash f("FLASH");
    f.configure({{"boot7", "0x08000000"}, {"boot4", "0x08100000"}, {"cpu1", "cm7"}, {"cpu2", "cm4"}},
                {"cm7", "cm4"});
    EXPECT_EQ(rd(f, 0x040) & 0xFFFFu, 0x0800u);
    EXPECT_EQ(rd(f, 0x048) & 0xFFFFu, 0x0810u);
}

// RM0399 DBGMCU_IDCODE: DEV_ID 0x450; REV_ID 0x2003 is revision V (SystemInit
// applies the AXI fix only for revision Y, < 0x2000).
TEST(Dbgmcu, IdcodeRevisionV)
{
    Stm32h7Dbgmcu d("DBGMCU");
    EXPECT_EQ(rd(d, 0x000), 0x20036450u);
    wr(d, 0x000, 0);
    EXPECT_EQ(rd(d, 0x000), 0x20036450u); // read-only
}

// RM0399 SYSCFG_CCCSR: READY reports the compensation cell ready after EN.
TEST(Syscfg, CompensationCellReadyAfterEnable)
{
    Stm32h7Syscfg s("SYSCFG");
    EXPECT_FALSE(rd(s, 0x020) & (1u << 8));
    wr(s, 0x020, 1);
    EXPECT_TRUE(rd(s, 0x020) & (1u << 8));
}

// RM0399 SYSCFG_EXTICRx: four bits per EXTI line select the GPIO port.
TEST(Syscfg, ExticrSelectsThePortOfEachLine)
{
    Stm32h7Syscfg s("SYSCFG");
    wr(s, 0x014, 0x2u << 4); // EXTICR4: line 13 -> port C (PC13, the user button)
    EXPECT_EQ(s.exti_port(13), 2u);
    EXPECT_EQ(s.exti_port(12), 0u);
}

// RM0399 SYSCFG_EXTICRx: EXTI line n takes pin n of the selected port only;
// re-selecting the port re-routes at once.
TEST(Syscfg, ExtiMultiplexerFollowsExticr)
{
    Stm32h7Syscfg s("SYSCFG");
    std::vector<std::pair<unsigned, bool>> seen;
    struct Probe : Device {
        std::vector<std::pair<unsigned, bool>> *s;
        explicit Probe(std::vector<std::pair<unsigned, bool>> *v) : Device("p"), s(v) {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input(unsigned n, bool l) override { s->emplace_back(n, l); }
    } probe(&seen);
    s.irq("exti13")->connect_input(&probe, 13);
    s.input(16 * 2 + 13, true); // PC13 high, line 13 still on port A
    EXPECT_TRUE(seen.empty());
    wr(s, 0x014, 0x2u << 4);    // EXTICR4: EXTI13 = port C
    EXPECT_EQ(seen, (std::vector<std::pair<unsigned, bool>>{{13, true}}));
    s.input(16 * 0 + 13, true); // PA13: not selected
    s.input(16 * 2 + 13, false);
    EXPECT_EQ(seen.back(), std::make_pair(13u, false));
    EXPECT_EQ(seen.size(), 2u);
}

// RM0399 SYSCFG_UR1-UR4 mirror the option bytes: UR1 BCM4 (bit 0) and BCM7
// (bit 16); UR2[31:16] BCM7_ADD0; UR3[15:0] BCM7_ADD1, UR3[31:16] BCM4_ADD0;
// UR4[15:0] BCM4_ADD1 (addresses >> 16).
TEST(Syscfg, UserRegistersMirrorTheOptionBytes)
{
    Stm32h7Syscfg s("SYSCFG");
    s.configure({{"bcm7", "1"}, {"bcm4", "0"}, {"boot7", "0x08000000"}, {"boot4", "0x08100000"},
                 {"cpu1", "cm7"}, {"cpu2", "cm4"}},
                {"cm7", "cm4"});
    EXPECT_EQ(rd(s, 0x304), 0x00010000u);
    EXPECT_EQ(rd(s, 0x308) >> 16, 0x0800u);
    EXPECT_EQ(rd(s, 0x30C), 0x08100800u);
    EXPECT_EQ(rd(s, 0x310) & 0xFFFFu, 0x0810u);
    EXPECT_EQ(s.boot_address(0), std::optional<uint32_t>(0x08000000u));
    EXPECT_EQ(s.boot_address(1), std::optional<uint32_t>(0x08100000u));
}

// ST's BootCM7_CM4Gated_RAM template (HAL_SYSCFG_CM4BootAddConfig with
// SYSCFG_BOOT_ADDR0) writes 0x1000 into UR3[31:16] before releasing the CM4:
// the CM4 must then boot from 0x10000000.
TEST(Syscfg, Ur3Cm4BootAddressIsWritableAndIsWhereTheCm4Boots)
{
    Stm32h7Syscfg s("SYSCFG");
    s.configure({{"boot4", "0x08100000"}, {"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"});
    EXPECT_EQ(rd(s, 0x30C) >> 16, 0x0810u);
    wr(s, 0x30C, (0x1000u << 16) | (rd(s, 0x30C) & 0xFFFFu));
    EXPECT_EQ(rd(s, 0x30C) >> 16, 0x1000u);
    EXPECT_EQ(s.boot_address(1), std::optional<uint32_t>(0x10000000u));
}

} // namespace

namespace {
// RM0399 FMC: BCR1 resets to 0x000030DB (bank 1 enabled), BCR2-4 to
// 0x000030D2, BTRx to 0x0FFFFFFF; ST's CM7 SystemInit writes BCR1 = 0x30D2
// and must read it back.
TEST(Fmc, BankRegistersResetAndReadBack)
{
    testutil::LogCapture cap;
    Stm32h7Fmc f("FMC");
    EXPECT_EQ(rd(f, 0x000), 0x000030DBu);
    EXPECT_EQ(rd(f, 0x008), 0x000030D2u);
    EXPECT_EQ(rd(f, 0x004), 0x0FFFFFFFu);
    wr(f, 0x000, 0x000030D2);
    EXPECT_EQ(rd(f, 0x000), 0x000030D2u);
}

// The CM4's HAL_Init: ART_CTR PCACHEADDR = 0x081 (flash bank 2), then EN.
TEST(Art, CtrReadsBack)
{
    testutil::LogCapture cap;
    Stm32h7Art a("ART");
    wr(a, 0x000, (0x081u << 8) | 1u);
    EXPECT_EQ(rd(a, 0x000), (0x081u << 8) | 1u);
}
} // namespace

namespace {
// ST's CM7 SystemInit on revision Y writes 1 to AXI_TARG7_FN_MOD
// (0x51008108, READ_ISS_OVERRIDE) and nothing else in the AXI block.
TEST(Axi, Targ7FnModReadsBack)
{
    testutil::LogCapture cap;
    Stm32h7Axi a("AXI");
    EXPECT_EQ(rd(a, 0x8108), 0u);
    wr(a, 0x8108, 1u);
    EXPECT_EQ(rd(a, 0x8108), 1u);
}
} // namespace

namespace {
// Issue 9.5: what the machine description configures (option bytes, boot
// addresses, IDCODE) is the state a reset restores, not the table's value.
const std::map<std::string, std::string> kGatedCm4FromSram = {
    {"bcm7", "1"}, {"bcm4", "0"}, {"boot7", "0x08000000"}, {"boot4", "0x10000000"},
    {"cpu1", "cm7"}, {"cpu2", "cm4"}};

// RM0399 FLASH_OPTSR_CUR / BOOT4_CUR are loaded from the option bytes at
// reset: after a reset they show the configured BCM4 = 0 and BOOT_CM4_ADD0 =
// 0x1000 again, and the CM4 is still gated; ACR returns to its reset value.
TEST(Flash, ResetRestoresTheConfiguredOptionBytes)
{
    testutil::LogCapture cap;
    Stm32h7Flash f("FLASH");
    f.configure(kGatedCm4FromSram, {"cm7", "cm4"});
    wr(f, 0x000, 0x22);        // ACR
    wr(f, 0x01C, 0xFFFFFFFF);  // OPTSR_CUR: read-only, ignored
    wr(f, 0x048, 0);           // BOOT4_CUR: read-only, ignored
    f.reset();
    EXPECT_EQ(rd(f, 0x000), 0x37u);
    EXPECT_EQ(rd(f, 0x01C), 0x0080AAF0u); // BCM7 1, BCM4 0, RDP level 0
    EXPECT_EQ(rd(f, 0x040), 0x08000800u);
    EXPECT_EQ(rd(f, 0x048), 0x10001000u);
    EXPECT_EQ(f.boot_gated(1), std::optional<bool>(true));
    EXPECT_EQ(f.boot_gated(0), std::optional<bool>(false));
}

// RM0399 SYSCFG_UR1-UR4 mirror the option bytes: a boot address the firmware
// wrote (HAL_SYSCFG_CM4BootAddConfig) is forgotten at reset and the
// configured one comes back.
TEST(Syscfg, ResetRestoresTheConfiguredUserRegisters)
{
    testutil::LogCapture cap;
    Stm32h7Syscfg s("SYSCFG");
    s.configure(kGatedCm4FromSram, {"cm7", "cm4"});
    wr(s, 0x304, 0x00010001);               // UR1: BCM4 = 1
    wr(s, 0x30C, (0x0810u << 16) | 0x0900u); // UR3: BCM4_ADD0, BCM7_ADD1
    wr(s, 0x310, 0x0810);                   // UR4: BCM4_ADD1
    EXPECT_EQ(s.boot_address(1), std::optional<uint32_t>(0x08100000u));
    s.reset();
    EXPECT_EQ(rd(s, 0x304), 0x00010000u);
    EXPECT_EQ(rd(s, 0x308), 0x08000000u);
    EXPECT_EQ(rd(s, 0x30C), 0x10000800u);
    EXPECT_EQ(rd(s, 0x310), 0x00001000u);
    EXPECT_EQ(s.boot_address(1), std::optional<uint32_t>(0x10000000u));
    EXPECT_EQ(s.boot_address(0), std::optional<uint32_t>(0x08000000u));
}

// DBGMCU_IDCODE is what the machine says (a part or revision other than the
// default); a reset keeps it.
TEST(Dbgmcu, ResetKeepsTheConfiguredIdcode)
{
    Stm32h7Dbgmcu d("DBGMCU");
    d.configure({{"idcode", "0x10036450"}}, {"cm7", "cm4"}); // revision Y
    EXPECT_EQ(rd(d, 0x000), 0x10036450u);
    wr(d, 0x000, 0);
    d.reset();
    EXPECT_EQ(rd(d, 0x000), 0x10036450u);
}

// The whole machine: --option-byte bcm4=0 boot4=0x10000000, registers changed
// through the bus, Bus::reset(): the bus shows the configured option bytes
// and boot addresses again, and the CM4 is gated and boots from SRAM.
TEST(SysOnTheBus, BusResetRestoresConfiguredOptionBytesAndBootAddresses)
{
    testutil::LogCapture cap;
    struct : IrqSink {
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
    } irqs;
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    m.set_option_byte("bcm4", "0");
    m.set_option_byte("boot4", "0x10000000");
    DeviceContext ctx;
    Bus bus(m, ctx, &irqs);
    const CoreId cm7 = m.core_index("cm7"), cm4 = m.core_index("cm4");
    auto rd32 = [&](uint64_t addr) {
        BusAccess a;
        a.core = cm7;
        a.core_name = "cm7";
        a.addr = addr;
        a.size = 4;
        return bus.read(a);
    };
    auto wr32 = [&](uint64_t addr, uint32_t v) {
        BusAccess a;
        a.core = cm7;
        a.core_name = "cm7";
        a.addr = addr;
        a.size = 4;
        bus.write(a, v);
    };
    const uint64_t flash = 0x52002000, syscfg = 0x58000400, dbgmcu = 0x5C001000;
    wr32(syscfg + 0x30C, (0x0810u << 16) | 0x0800u); // UR3: CM4 boot address back to flash
    wr32(syscfg + 0x304, 0x00010001);                // UR1: BCM4 = 1
    wr32(flash + 0x000, 0x24);                       // FLASH_ACR
    EXPECT_EQ(bus.boot_address(cm4), std::optional<uint32_t>(0x08100000u));
    bus.reset();
    EXPECT_EQ(rd32(flash + 0x000), 0x37u);
    EXPECT_EQ(rd32(flash + 0x01C) & (3u << 22), 1u << 23); // OPTSR_CUR: BCM7 1, BCM4 0
    EXPECT_EQ(rd32(flash + 0x048), 0x10001000u);           // BOOT4_CUR
    EXPECT_EQ(rd32(syscfg + 0x304), 0x00010000u);          // UR1: BCM7 1, BCM4 0
    EXPECT_EQ(rd32(syscfg + 0x30C) >> 16, 0x1000u);        // UR3: BCM4_ADD0
    EXPECT_EQ(rd32(dbgmcu + 0x000), 0x20036450u);
    EXPECT_EQ(bus.boot_gated(cm4), std::optional<bool>(true));
    EXPECT_EQ(bus.boot_gated(cm7), std::optional<bool>(false));
    EXPECT_EQ(bus.boot_address(cm4), std::optional<uint32_t>(0x10000000u));
}
} // namespace
