// STM32H7 RCC and PWR behaviour the dual-core boot handshake depends on, one
// RM0399 rule per test (RM0399 Rev 4, "Reset and clock control (RCC)" and
// "Power control (PWR)").  Core 0 = CM7 (CPU1, D1), core 1 = CM4 (CPU2, D2).
#include "models/stm32h7_pwr.h"
#include "models/stm32h7_rcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

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
    EXPECT_TRUE(rd(0x00) & Stm32h7Rcc::CR_D2CKRDY);
    d.core_power_changed(1, CorePower::DeepSleep);
    EXPECT_FALSE(rd(0x00) & Stm32h7Rcc::CR_D2CKRDY);
    EXPECT_TRUE(rd(0x00) & Stm32h7Rcc::CR_D1CKRDY);
    d.core_power_changed(1, CorePower::Run);
    EXPECT_TRUE(rd(0x00) & Stm32h7Rcc::CR_D2CKRDY);
}

// Plain sleep (SLEEPDEEP=0) keeps the domain clocked (CSleep, not CStop).
TEST_F(RccTest, SleepWithoutSleepdeepKeepsD2Clocked)
{
    d.core_power_changed(1, CorePower::Sleep);
    EXPECT_TRUE(rd(0x00) & Stm32h7Rcc::CR_D2CKRDY);
}

TEST_F(RccTest, D1ckrdyFollowsTheCm7)
{
    d.core_power_changed(0, CorePower::DeepSleep);
    EXPECT_FALSE(rd(0x00) & Stm32h7Rcc::CR_D1CKRDY);
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

struct PwrTest : ::testing::Test, Dev<Stm32h7Pwr> {
    testutil::LogCapture cap;
    void SetUp() override { d.configure({{"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"}); }
};

// RM0399 PWR_CR3 reset value 0x0000 0046.
TEST_F(PwrTest, Cr3ResetValue) { EXPECT_EQ(rd(0x0C), 0x46u); }

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
