// STM32H7 RCC rules beyond the boot handshake (those are in test_power.cpp),
// one RM0399 rule per test (RM0399 Rev 4, "Reset and clock control (RCC)").
// Core 0 = CM7 (D1), core 1 = CM4 (D2).
#include "models/stm32h7_rcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct Told : ClockSink {
    std::vector<std::pair<CoreId, uint64_t>> sent;
    void set_core_clock(CoreId c, uint64_t hz) override { sent.push_back({c, hz}); }
};

// A fresh RCC on a board with a 25 MHz HSE (STM32H747I-DISCO), both cores
// known, clock changes recorded.
struct Rcc : ::testing::Test {
    testutil::LogCapture cap;
    Told told;
    Stm32h7Rcc rcc{"RCC"};
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.clocks = &told;
        rcc.set_context(ctx);
        rcc.configure({{"d1_core", "cm7"}, {"d2_core", "cm4"}, {"hse_hz", "25000000"}}, {"cm7", "cm4"});
        told.sent.clear();
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(rcc, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(rcc, off, v); }
};

// RM0399 RCC_BDCR: LSERDY (bit 1) is set by hardware once the LSE runs after
// LSEON (bit 0); cleared when LSEON is cleared.
TEST_F(Rcc, LserdyFollowsLseon)
{
    EXPECT_EQ(rd(0x070) & 3u, 0u);
    wr(0x070, 1u);
    EXPECT_EQ(rd(0x070) & 3u, 3u);
    wr(0x070, 0u);
    EXPECT_EQ(rd(0x070) & 3u, 0u);
}

// RM0399 RCC_CSR: LSIRDY (bit 1) follows LSION (bit 0).
TEST_F(Rcc, LsirdyFollowsLsion)
{
    wr(0x074, 1u);
    EXPECT_EQ(rd(0x074), 3u);
    wr(0x074, 0u);
    EXPECT_EQ(rd(0x074), 0u);
}

// RM0399 RCC_CR: HSIDIV (bits 4:3) divides the 64 MHz HSI by 1, 2, 4 or 8;
// with SW = HSI both cores run at the divided clock.
TEST_F(Rcc, HsidivDividesTheSystemClock)
{
    wr(0x000, rd(0x000) | (2u << 3)); // HSIDIV /4
    EXPECT_EQ(rcc.clock_hz("sysclk"), 16000000u);
    ASSERT_FALSE(told.sent.empty());
    EXPECT_EQ(told.sent.back().second, 16000000u);
}

// RM0399 PLLs: with PLLxFRACEN the VCO multiplier is DIVN + 1 + FRACN / 2^13
// (RCC_PLLxFRACR FRACN [15:3]).  HSE 25 MHz / M 5 * (N 159 + 1 + 4096/8192)
// = 802.5 MHz, / P 2 = 401.25 MHz; SW = PLL1 gives the CM7 that clock.
TEST_F(Rcc, Pll1FractionalMultiplierAppliesWithFracen)
{
    wr(0x000, rd(0x000) | (1u << 16));           // HSEON
    wr(0x028, (5u << 4) | 2u);                   // PLLCKSELR: DIVM1 5, source HSE
    wr(0x030, (1u << 9) | 159u);                 // PLL1DIVR: P /2, N 160
    wr(0x034, 4096u << 3);                       // PLL1FRACR: FRACN 4096
    wr(0x000, rd(0x000) | (1u << 24));           // PLL1ON
    EXPECT_EQ(rcc.clock_hz("pll1_p"), 400000000u);   // FRACEN still 0
    wr(0x02C, rd(0x02C) | 1u);                   // PLLCFGR: PLL1FRACEN
    EXPECT_EQ(rcc.clock_hz("pll1_p"), 401250000u);
    wr(0x010, 3u);                               // CFGR.SW = PLL1
    EXPECT_EQ((rd(0x010) >> 3) & 7u, 3u);        // SWS = PLL1
    ASSERT_FALSE(told.sent.empty());
    EXPECT_EQ(told.sent.front(), std::make_pair(CoreId(0), uint64_t(401250000u)));
}

// RM0399 RCC_PLLCFGR: an output whose DIVyxEN is clear gives no clock.
TEST_F(Rcc, PllOutputDisabledByItsDivEnable)
{
    wr(0x028, (4u << 20) | 0u);               // DIVM3 4, source HSI
    wr(0x000, rd(0x000) | (1u << 28));        // PLL3ON
    EXPECT_TRUE(rd(0x000) & (1u << 29));      // PLL3RDY
    EXPECT_EQ(rcc.clock_hz("pll3_p"), 64000000u / 4 * 129 / 2);
    wr(0x02C, rd(0x02C) & ~(1u << 22));       // DIVP3EN off
    EXPECT_EQ(rcc.clock_hz("pll3_p"), 0u);
    EXPECT_NE(rcc.clock_hz("pll3_q"), 0u);
}

// RM0399 RCC_D2CCIP2R USART16SEL (bits 5:3) = 5 selects the LSE: no clock
// until LSEON, then 32768 Hz.
TEST_F(Rcc, Usart16KernelClockFromLse)
{
    wr(0x054, 5u << 3);
    EXPECT_EQ(rcc.clock_hz("usart16"), 0u);
    wr(0x070, 1u);
    EXPECT_EQ(rcc.clock_hz("usart16"), 32768u);
    EXPECT_EQ(rcc.clock_hz("usart234578"), rcc.clock_hz("pclk1")); // its own selection: PCLK1
}

// RM0399 RCC_RSR: RMVF clears the reset flags; a reset (power-on) sets
// D1RSTF, D2RSTF, BORRSTF, PINRSTF and PORRSTF again.
TEST_F(Rcc, ResetRestoresThePowerOnResetFlags)
{
    wr(0x0D0, 1u << 16); // CM7: RSR.RMVF (its bank, RCC_C1_RSR)
    EXPECT_EQ(rd(0x0D0) & 0xFFFE0000u, 0u);
    rcc.reset();
    EXPECT_EQ(rd(0x0D0), 0x00F80000u);
}

// RM0399 system reset: the clock tree returns to HSI 64 MHz (CFGR.SW = 0,
// PLLs off) and each core is told its reset clock again.
TEST_F(Rcc, ResetReturnsBothCoresToTheHsi)
{
    wr(0x000, rd(0x000) | (1u << 16)); // HSEON
    wr(0x010, 2u);                     // SW = HSE
    EXPECT_EQ(told.sent.back().second, 25000000u);
    rcc.reset();
    EXPECT_EQ(rd(0x010), 0u);
    EXPECT_EQ(rd(0x000) & 0x3FFFFFu & ~(3u << 14), 0x25u);
    EXPECT_EQ(told.sent.size(), 4u); // HSE for both, then HSI for both
    EXPECT_EQ(told.sent[2], std::make_pair(CoreId(0), uint64_t(64000000u)));
    EXPECT_EQ(told.sent[3], std::make_pair(CoreId(1), uint64_t(64000000u)));
}

// The board's HSE frequency is configuration, not register state: after a
// reset, selecting the HSE again runs both cores at 25 MHz.
TEST_F(Rcc, ResetKeepsTheBoardsHseFrequency)
{
    rcc.reset();
    told.sent.clear();
    wr(0x000, rd(0x000) | (1u << 16)); // HSEON
    EXPECT_TRUE(rd(0x000) & (1u << 17)); // HSERDY
    wr(0x010, 2u);                       // SW = HSE
    EXPECT_EQ((rd(0x010) >> 3) & 7u, 2u);
    ASSERT_EQ(told.sent.size(), 2u);
    EXPECT_EQ(told.sent[0], std::make_pair(CoreId(0), uint64_t(25000000u)));
    EXPECT_EQ(told.sent[1], std::make_pair(CoreId(1), uint64_t(25000000u)));
}

// RM0399 RCC_GCR: BOOT_C1 / BOOT_C2 are set-only until a system reset; after
// the reset they read 0 and a new write of 1 releases the core again.
TEST_F(Rcc, GcrBootBitsClearAtReset)
{
    struct : BootControl {
        int n = 0;
        void release_core(CoreId, const std::string &) override { n++; }
    } rel;
    DeviceContext ctx;
    ctx.boot = &rel;
    rcc.set_context(ctx);
    wr(0x0A0, 1u << 3);
    EXPECT_EQ(rel.n, 1);
    rcc.reset();
    EXPECT_EQ(rd(0x0A0), 0u);
    wr(0x0A0, 1u << 3);
    EXPECT_EQ(rel.n, 2);
}

} // namespace
