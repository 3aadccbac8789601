// STM32H7 RCC and PWR behaviour the dual-core boot handshake depends on, one
// RM0399 rule per test (RM0399 Rev 4, "Reset and clock control (RCC)" and
// "Power control (PWR)").  Core 0 = CM7 (CPU1, D1), core 1 = CM4 (CPU2, D2).
#include "models/stm32h7_pwr.h"
#include "models/stm32h7_rcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {
// RM0399 RCC_CR: D1CKRDY bit 14, D2CKRDY bit 15.
constexpr uint32_t RCC_CR_D1CKRDY = 1u << 14, RCC_CR_D2CKRDY = 1u << 15;


template <class D> struct Dev {
    D d{"X"};
    uint32_t rd(uint32_t off) { return testutil::reg_read(d, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(d, off, v); }
};

struct RccTest : ::testing::Test, Dev<Stm32h7Rcc> {
    testutil::LogCapture cap;
    void SetUp() override { d.configure({{"d1_core", "cm7"}, {"d2_core", "cm4"}}, {"cm7", "cm4"}); }
};

// RM0399 RCC_CR: D2CKRDY reads 1 while the D2 domain clocks run; it drops
// to 0 when the CPU of D2 (the CM4) enters deep sleep (D2 in DStop) and
// comes back when it wakes.
TEST_F(RccTest, D2ckrdyFollowsTheCm4DeepSleep)
{
    EXPECT_TRUE(rd(0x00) & RCC_CR_D2CKRDY);
    d.core_power_changed(1, CorePower::DeepSleep);
    EXPECT_FALSE(rd(0x00) & RCC_CR_D2CKRDY);
    EXPECT_TRUE(rd(0x00) & RCC_CR_D1CKRDY);
    d.core_power_changed(1, CorePower::Run);
    EXPECT_TRUE(rd(0x00) & RCC_CR_D2CKRDY);
}

// Plain sleep (SLEEPDEEP=0) keeps the domain clocked (CSleep, not CStop).
TEST_F(RccTest, SleepWithoutSleepdeepKeepsD2Clocked)
{
    d.core_power_changed(1, CorePower::Sleep);
    EXPECT_TRUE(rd(0x00) & RCC_CR_D2CKRDY);
}

TEST_F(RccTest, D1ckrdyFollowsTheCm7)
{
    d.core_power_changed(0, CorePower::DeepSleep);
    EXPECT_FALSE(rd(0x00) & RCC_CR_D1CKRDY);
}

// RM0399 RCC_CR reset value: HSI on and ready.
TEST_F(RccTest, CrResetHasHsiOnAndReady) { EXPECT_EQ(rd(0x00) & 0x3Fu, 0x25u); }

// RM0399: an oscillator's or PLL's ready flag follows its enable.
TEST_F(RccTest, ReadyFlagsFollowEnables)
{
    wr(0x00, rd(0x00) | (1u << 16) | (1u << 24)); // HSEON, PLL1ON
    EXPECT_TRUE(rd(0x00) & (1u << 17));
    EXPECT_TRUE(rd(0x00) & (1u << 25));
    wr(0x00, rd(0x00) & ~(1u << 24));
    EXPECT_FALSE(rd(0x00) & (1u << 25));
}

// RM0399 RCC_CFGR: SWS reports the clock source SW selected.
TEST_F(RccTest, SwsFollowsSw)
{
    wr(0x10, 3);
    EXPECT_EQ((rd(0x10) >> 3) & 7u, 3u);
}

// Clock enables read back (HAL reads them back after setting, as a delay).
TEST_F(RccTest, EnableRegistersReadBack)
{
    wr(0xE0, 1u << 25); // AHB4ENR.HSEMEN
    EXPECT_EQ(rd(0xE0), 1u << 25);
    wr(0x190 + 0x18, 1u << 18); // C2_APB1LENR
    EXPECT_EQ(rd(0x190 + 0x18), 1u << 18);
}

// RM0399 (dual core): the common addresses of the clock-enable registers
// reach the bank of the CPU that accesses them, so the CM4's
// __HAL_RCC_HSEM_CLK_ENABLE (RCC_AHB4ENR |= HSEMEN) lands in RCC_C2_AHB4ENR
// and the CM7 does not see it at the same address; RSR likewise.
TEST_F(RccTest, CommonEnableAddressesReachTheAccessingCoresBank)
{
    testutil::reg_write(d, 0xE0, 1u << 25, 1); // CM4: AHB4ENR.HSEMEN
    EXPECT_EQ(testutil::reg_read(d, 0xE0, 1), 1u << 25);
    EXPECT_EQ(rd(0x190 + 0x10), 1u << 25); // RCC_C2_AHB4ENR
    EXPECT_EQ(rd(0x130 + 0x10), 0u);       // RCC_C1_AHB4ENR
    EXPECT_EQ(rd(0xE0), 0u);               // the CM7's view of the same address
    wr(0xD0, 1u << 16);                    // CM7: RSR.RMVF
    EXPECT_EQ(rd(0x130) & 0xFFFE0000u, 0u); // RCC_C1_RSR flags cleared (RMVF itself reads 1)
    EXPECT_NE(rd(0x190), 0u);              // RCC_C2_RSR keeps its power-on flags
    EXPECT_NE(testutil::reg_read(d, 0xD0, 1), 0u);
}

struct Releases : BootControl {
    std::vector<std::pair<CoreId, std::string>> got;
    void release_core(CoreId core, const std::string &by) override { got.emplace_back(core, by); }
};

// RM0399 RCC_GCR: BOOT_C2 (bit 3) forces the CM4 to boot, BOOT_C1 (bit 2) the
// CM7, when its BCMx option bit is 0; the bits are set-only (writing 0 does
// not clear them) and a second write of 1 releases nothing new.
TEST_F(RccTest, GcrBootBitsReleaseTheGatedCore)
{
    Releases rel;
    DeviceContext ctx;
    ctx.boot = &rel;
    d.set_context(ctx);
    testutil::reg_write(d, 0xA0, 1u << 3, 0); // by the CM7
    ASSERT_EQ(rel.got.size(), 1u);
    EXPECT_EQ(rel.got[0], std::make_pair(CoreId(1), std::string("cm7")));
    EXPECT_EQ(rd(0xA0), 1u << 3);
    wr(0xA0, 0);
    EXPECT_EQ(rd(0xA0), 1u << 3); // set-only
    wr(0xA0, 1u << 3);
    EXPECT_EQ(rel.got.size(), 1u);
    testutil::reg_write(d, 0xA0, 1u << 2, 1); // by the CM4
    ASSERT_EQ(rel.got.size(), 2u);
    EXPECT_EQ(rel.got[1], std::make_pair(CoreId(0), std::string("cm4")));
}

struct PwrTest : ::testing::Test, Dev<Stm32h7Pwr> {
    testutil::LogCapture cap;
    void SetUp() override { d.configure({{"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"}); }
};

// RM0399 PWR_CR3 reset value 0x0000 0046.
TEST_F(PwrTest, Cr3ResetValue) { EXPECT_EQ(rd(0x0C), 0x46u); }

// RM0399 PWR_CR3: bit 6 is reserved but 1 at reset; HAL_PWREx_ConfigSupply's
// read-modify-write (PWR_DIRECT_SMPS_SUPPLY: 0x46 -> 0x44) writes it back as
// 1, which must be accepted silently, and SDEN/LDOEN take the new value.
TEST_F(PwrTest, SupplyConfigReadModifyWriteKeepsReservedBit6)
{
    testutil::LogCapture c;
    wr(0x0C, (rd(0x0C) & ~0x3Fu) | 0x04u);
    EXPECT_EQ(rd(0x0C), 0x44u);
    EXPECT_EQ(c.count("guest error"), 0) << "bit 6 written back as read must not be a guest error";
    EXPECT_EQ(c.count("reserved bits of X.CR3"), 0);
    wr(0x0C, 0x04u); // writing 0 there is ignored too: it reads 1
    EXPECT_EQ(rd(0x0C), 0x44u);
    EXPECT_EQ(c.count("guest error"), 0);
}

// RM0399 PWR_CR3: bit 7 is reserved (and reads 0); writing it is a guest
// error, reported once naming the core, the bits and the register, and ignored.
TEST_F(PwrTest, WritingReservedCr3Bit7IsAGuestError)
{
    testutil::LogCapture c;
    wr(0x0C, rd(0x0C) | 0x80u);
    EXPECT_EQ(rd(0x0C), 0x46u);
    ASSERT_EQ(c.lines.size(), 1u);
    EXPECT_EQ(c.lines[0],
              "ampvp: guest error: cm7: writes 0x00000080 to reserved bits of X.CR3 (ignored)");
}

// RM0399 PWR_D3CR: VOSRDY reports the requested scale reached (instant here).
TEST_F(PwrTest, VosrdySetAfterScaleChange)
{
    wr(0x18, 3u << 14);
    EXPECT_EQ(rd(0x18) & 0xE000u, 0xE000u);
    EXPECT_TRUE(rd(0x04) & (1u << 13)); // CSR1.ACTVOSRDY
    EXPECT_EQ((rd(0x04) >> 14) & 3u, 3u); // CSR1.ACTVOS follows
}

// RM0399 PWR_CPUxCR: STOPF is set when the system entered Stop (both CPUs
// in deep sleep); CSSF (write 1) clears it.
TEST_F(PwrTest, StopfWhenTheSystemStopsAndCssfClears)
{
    d.core_power_changed(1, CorePower::DeepSleep);
    EXPECT_FALSE(rd(0x14) & (1u << 5));
    d.core_power_changed(0, CorePower::DeepSleep);
    EXPECT_TRUE(rd(0x14) & (1u << 5));
    EXPECT_TRUE(rd(0x10) & (1u << 5));
    wr(0x14, 1u << 9);
    EXPECT_FALSE(rd(0x14) & (1u << 5));
}

TEST_F(PwrTest, PddsBitsReadBack)
{
    wr(0x14, 0x2);
    EXPECT_EQ(rd(0x14) & 0x7u, 0x2u);
}

} // namespace
