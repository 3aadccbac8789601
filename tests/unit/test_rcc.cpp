// STM32H7 RCC rules beyond the boot handshake (those are in test_power.cpp),
// one RM0399 rule per test (RM0399 Rev 4, "Reset and clock control (RCC)").
// Core 0 = CM7 (D1), core 1 = CM4 (D2).
#include "models/stm32h7_rcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <map>

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

// RM0399 RCC_RSR: after power-on D1RSTF, D2RSTF, BORRSTF, PINRSTF and
// PORRSTF are set; RMVF clears them; a system reset (Device::reset) "sets all
// registers to their reset values except the reset flags in RCC_RSR".
TEST_F(Rcc, SystemResetKeepsTheResetFlags)
{
    EXPECT_EQ(rd(0x0D0), 0x00F80000u);
    wr(0x0D0, 1u << 16); // CM7: RSR.RMVF (its bank, RCC_C1_RSR)
    EXPECT_EQ(rd(0x0D0) & 0xFFFE0000u, 0u);
    rcc.reset();
    EXPECT_EQ(rd(0x0D0) & 0xFFFE0000u, 0u);
    EXPECT_EQ(testutil::reg_read(rcc, 0x0D0, 1), 0x00F80000u) << "the CM4's copy was not cleared";
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

// RM0399 clock tree, driven the way HAL_RCC_OscConfig / ClockConfig do it on
// a NUCLEO-H745ZI-Q: HSE 8 MHz, PLL1 M=4 N=400 P=2 -> 400 MHz; D1CPRE /1,
// HPRE /2 -> CM7 400 MHz, CM4 (HCLK) 200 MHz, APBs /2 -> 100 MHz.  Each core
// is told its new clock when SW selects PLL1, so its SysTick follows.
struct RccClocks : ::testing::Test {
    testutil::LogCapture cap;
    Told sink;
    Stm32h7Rcc rcc{"RCC"};
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.clocks = &sink;
        rcc.set_context(ctx);
        rcc.configure({{"d1_core", "cm7"}, {"d2_core", "cm4"}, {"hse_hz", "8000000"}}, {"cm7", "cm4"});
    }
};

TEST_F(RccClocks, Hal400MHzConfigurationRetimesBothCores)
{
    ASSERT_EQ(sink.sent.size(), 2u); // the reset clocks: 64 MHz HSI for both
    EXPECT_EQ(sink.sent[0].second, 64000000u);
    using testutil::reg_read;
    using testutil::reg_write;
    reg_write(rcc, 0x000, reg_read(rcc, 0x000) | (1u << 16) | (1u << 18)); // HSEON, HSEBYP
    reg_write(rcc, 0x028, (4u << 4) | 2u);                                  // PLLCKSELR: DIVM1 4, HSE
    reg_write(rcc, 0x030, (1u << 9) | 399u);                                // PLL1DIVR: P /2, N 400
    reg_write(rcc, 0x000, reg_read(rcc, 0x000) | (1u << 24));               // PLL1ON
    reg_write(rcc, 0x018, (0x8u << 0) | (0x4u << 4));                       // D1CFGR: HPRE /2, D1PPRE /2
    reg_write(rcc, 0x01C, (0x4u << 4) | (0x4u << 8));                       // D2CFGR: /2, /2
    reg_write(rcc, 0x020, 0x4u << 4);                                       // D3CFGR: /2
    sink.sent.clear();
    reg_write(rcc, 0x010, 3);                                               // CFGR.SW = PLL1
    // What other models and the cores see: the named clocks and the CLOCK messages.
    EXPECT_EQ(rcc.clock_hz("sysclk"), 400000000u);
    EXPECT_EQ(rcc.clock_hz("hclk"), 200000000u);
    EXPECT_EQ(rcc.clock_hz("pclk1"), 100000000u);
    EXPECT_EQ(rcc.clock_hz("pclk4"), 100000000u);
    ASSERT_EQ(sink.sent.size(), 2u);
    EXPECT_EQ(sink.sent[0], std::make_pair(CoreId(0), uint64_t(400000000)));
    EXPECT_EQ(sink.sent[1], std::make_pair(CoreId(1), uint64_t(200000000)));
}

// RM0399 PLL2/PLL3 and kernel clocks: HAL_RCCEx_PeriphCLKConfig for USART3
// from pll2_q: PLL2 from HSE 8 MHz, DIVM2 = 1, DIVN2 = 100, DIVQ2 = 8 ->
// 100 MHz; D2CCIP2R.USART234578SEL = 1 selects it; 0 is PCLK1.
TEST_F(RccClocks, Pll2QFeedsTheUsartKernelClock)
{
    using testutil::reg_read;
    using testutil::reg_write;
    reg_write(rcc, 0x000, reg_read(rcc, 0x000) | (1u << 16));        // HSEON
    reg_write(rcc, 0x028, (1u << 12) | 2u);                          // DIVM2 = 1, source HSE
    reg_write(rcc, 0x038, (7u << 16) | (1u << 9) | 99u);             // PLL2DIVR: Q /8, P /2, N 100
    EXPECT_EQ(rcc.clock_hz("pll2_q"), 0u);                               // PLL2 still off
    reg_write(rcc, 0x000, reg_read(rcc, 0x000) | (1u << 26));        // PLL2ON
    EXPECT_TRUE(reg_read(rcc, 0x000) & (1u << 27));                  // PLL2RDY
    EXPECT_EQ(rcc.clock_hz("pll2_q"), 100000000u);
    EXPECT_EQ(rcc.clock_hz("pll2_p"), 400000000u);
    EXPECT_EQ(rcc.clock_hz("usart234578"), 64000000u);               // PCLK1 at reset
    reg_write(rcc, 0x054, 1u);                                       // D2CCIP2R: pll2_q
    EXPECT_EQ(rcc.clock_hz("usart234578"), 100000000u);
    EXPECT_EQ(rcc.clock_hz("usart16"), 64000000u);                   // PCLK2
    reg_write(rcc, 0x02C, 0x01FF0000u & ~(1u << 20));                // PLLCFGR: DIVQ2EN = 0
    EXPECT_EQ(rcc.clock_hz("usart234578"), 0u);
}

// HSIDIV divides the 64 MHz HSI; the cores are told only when it changes.
TEST_F(RccClocks, HsidivSlowsHsiAndOnlyChangesAreSent)
{
    sink.sent.clear();
    testutil::reg_write(rcc, 0x000, testutil::reg_read(rcc, 0x000) | (1u << 3)); // HSIDIV /2
    ASSERT_EQ(sink.sent.size(), 2u);
    EXPECT_EQ(sink.sent[0], std::make_pair(CoreId(0), uint64_t(32000000))); // the CM7's clock
    testutil::reg_write(rcc, 0x000, testutil::reg_read(rcc, 0x000)); // no change
    EXPECT_EQ(sink.sent.size(), 2u);
}

// The RCC as reset controller: reset requests come in on numbered inputs and
// run from the hub's loop (a fake scheduler here); the resets asked of the
// hub are recorded.
struct ResetLog : BootControl, Scheduler {
    std::vector<std::string> got; // "system: why" / "core N: why"
    uint64_t t = 1000, due = 0;
    void release_core(CoreId, const std::string &) override {}
    void reset_core(CoreId c, const std::string &why) override { got.push_back("core " + std::to_string(c) + ": " + why); }
    void reset_system(const std::string &why) override { got.push_back("system: " + why); }
    uint64_t now_ns() const override { return t; }
    void schedule(Device *, unsigned, uint64_t at) override { due = at; }
};

struct RccReset : Rcc {
    ResetLog hub;
    void SetUp() override
    {
        Rcc::SetUp();
        DeviceContext ctx;
        ctx.clocks = &told;
        ctx.boot = &hub;
        ctx.scheduler = &hub;
        rcc.set_context(ctx);
        testutil::reg_write(rcc, 0x0D0, 1u << 16, 0); // both CPUs clear their flags
        testutil::reg_write(rcc, 0x0D0, 1u << 16, 1);
    }
    uint32_t flags(CoreId c) { return testutil::reg_read(rcc, 0x0D0, c) & 0xFFFE0000u; }
    void run_loop()
    {
        ASSERT_NE(hub.due, 0u) << "the reset was not scheduled";
        hub.due = 0;
        rcc.timer_fired(1);
    }
};

// RM0399 "System reset": an IWDG1 time-out resets the system; RCC_RSR shows
// IWDG1RSTF, with PINRSTF (the reset drives NRST) and both CPUs' CxRSTF, in
// each CPU's copy.  The reset itself comes after the request, from the loop.
TEST_F(RccReset, Iwdg1TimeoutIsASystemResetWithItsFlags)
{
    rcc.input(Stm32h7Rcc::IWDG1, true);
    EXPECT_TRUE(hub.got.empty());
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("system: IWDG1", 0), 0u) << hub.got[0];
    const uint32_t want = Stm32h7Rcc::IWDG1RSTF | Stm32h7Rcc::PINRSTF | Stm32h7Rcc::C1RSTF | Stm32h7Rcc::C2RSTF;
    EXPECT_EQ(flags(0), want);
    EXPECT_EQ(flags(1), want);
    rcc.reset(); // what the hub's system reset does to the RCC
    EXPECT_EQ(flags(0), want) << "the flags survive the reset they describe";
}

TEST_F(RccReset, Iwdg2TimeoutIsASystemResetToo)
{
    rcc.input(Stm32h7Rcc::IWDG2, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("system: ", 0), 0u);
    EXPECT_TRUE(flags(1) & Stm32h7Rcc::IWDG2RSTF);
}

// RM0399 RCC_GCR.WW1RSC = 0 (reset value): WWDG1 resets CPU1 only, with
// WWDG1RSTF and C1RSTF; the CM4 is not reset.
TEST_F(RccReset, Wwdg1ResetsOnlyCpu1WhenWw1rscIsClear)
{
    rcc.input(Stm32h7Rcc::WWDG1, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("core 0: WWDG1", 0), 0u) << hub.got[0];
    EXPECT_EQ(flags(0), Stm32h7Rcc::WWDG1RSTF | Stm32h7Rcc::C1RSTF);
}

// RM0399 RCC_GCR.WW1RSC = 1: WWDG1 resets the whole system.
TEST_F(RccReset, Wwdg1ResetsTheSystemWhenWw1rscIsSet)
{
    wr(0x0A0, 1u << 0);
    rcc.input(Stm32h7Rcc::WWDG1, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("system: WWDG1", 0), 0u);
    EXPECT_TRUE(flags(1) & Stm32h7Rcc::WWDG1RSTF);
}

// RM0399 RCC_GCR.WW2RSC: the same for WWDG2 and CPU2.
TEST_F(RccReset, Wwdg2ResetsOnlyCpu2WhenWw2rscIsClear)
{
    rcc.input(Stm32h7Rcc::WWDG2, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("core 1: WWDG2", 0), 0u) << hub.got[0];
    EXPECT_EQ(flags(1), Stm32h7Rcc::WWDG2RSTF | Stm32h7Rcc::C2RSTF);
}

// RM0399 RCC_RSR.D2RSTF "D2 domain power switch reset flag": set when D2 leaves
// DStandby, which resets CPU2 (C2RSTF).
TEST_F(RccReset, D2LeavingDStandbyResetsCpu2)
{
    rcc.input(Stm32h7Rcc::D2_STANDBY_EXIT, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("core 1: ", 0), 0u);
    EXPECT_EQ(flags(1), Stm32h7Rcc::D2RSTF | Stm32h7Rcc::C2RSTF);
    EXPECT_EQ(flags(0), Stm32h7Rcc::D2RSTF | Stm32h7Rcc::C2RSTF);
}

// Leaving system Standby is a system reset: D1RSTF and D2RSTF (both domains
// were powered off) and both CPUs' flags.
TEST_F(RccReset, LeavingStandbyIsASystemReset)
{
    rcc.input(Stm32h7Rcc::STANDBY_EXIT, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0].rfind("system: ", 0), 0u);
    EXPECT_EQ(flags(0), Stm32h7Rcc::D1RSTF | Stm32h7Rcc::D2RSTF | Stm32h7Rcc::C1RSTF | Stm32h7Rcc::C2RSTF);
}

// RM0399 "Reset source identification": SYSRESETREQ from CPU1 (the CM7's
// NVIC_SystemReset) is a system reset: SFT1RSTF, PINRSTF, C1RSTF and C2RSTF in
// RCC_RSR and both CPUs' copies, kept through the reset itself.
TEST_F(RccReset, Cpu1SysresetreqIsASystemResetWithSft1rstf)
{
    rcc.input(Stm32h7Rcc::SYSRESETREQ1, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0], "system: SYSRESETREQ from CPU1");
    const uint32_t want = Stm32h7Rcc::SFT1RSTF | Stm32h7Rcc::PINRSTF | Stm32h7Rcc::C1RSTF | Stm32h7Rcc::C2RSTF;
    EXPECT_EQ(flags(0), want);
    EXPECT_EQ(flags(1), want);
    EXPECT_EQ(testutil::reg_read(rcc, 0x130, 0) & 0xFFFE0000u, want) << "RCC_C1_RSR";
    EXPECT_EQ(testutil::reg_read(rcc, 0x190, 1) & 0xFFFE0000u, want) << "RCC_C2_RSR";
    rcc.reset();
    EXPECT_EQ(flags(0), want) << "the flags survive the reset they describe";
}

// The same from CPU2 (the CM4): SFT2RSTF, not SFT1RSTF.
TEST_F(RccReset, Cpu2SysresetreqIsASystemResetWithSft2rstf)
{
    rcc.input(Stm32h7Rcc::SYSRESETREQ2, true);
    run_loop();
    ASSERT_EQ(hub.got.size(), 1u);
    EXPECT_EQ(hub.got[0], "system: SYSRESETREQ from CPU2");
    EXPECT_EQ(flags(1), Stm32h7Rcc::SFT2RSTF | Stm32h7Rcc::PINRSTF | Stm32h7Rcc::C1RSTF | Stm32h7Rcc::C2RSTF);
}

// RM0399 "Stop mode": in system Stop the PLLs and the HSE stop; the system
// leaves Stop on HSI (CFGR.STOPWUCK = 0) or CSI (STOPWUCK = 1).
TEST_F(Rcc, SystemStopLeavesThePllAndRunsOnHsi)
{
    wr(0x000, rd(0x000) | (1u << 16) | (1u << 24)); // HSEON, PLL1ON
    wr(0x010, 2u);                                   // SW = HSE
    rcc.input(Stm32h7Rcc::SYS_STOP, true);
    EXPECT_EQ(rd(0x010) & 0x3Fu, 0u) << "SW = SWS = HSI";
    EXPECT_FALSE(rd(0x000) & ((1u << 16) | (1u << 24)));
    EXPECT_EQ(told.sent.back().second, 64000000u);
    rcc.input(Stm32h7Rcc::SYS_STOP, false);
    wr(0x010, 0x40u); // STOPWUCK
    rcc.input(Stm32h7Rcc::SYS_STOP, true);
    EXPECT_EQ(rd(0x010) & 0x3Fu, 0x09u) << "SW = SWS = CSI";
}

// RM0399 RCC_BDCR.BDRST resets the backup domain (the RTC: output "bdrst");
// a system reset keeps BDCR (LSE on, RTC clock selection).
TEST_F(Rcc, BdrstResetsTheBackupDomainASystemResetDoesNot)
{
    struct Rtc : Device {
        int n = 0;
        Rtc() : Device("RTC") {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input(unsigned, bool l) override { n += l; }
    } rtc;
    rcc.irq("bdrst")->connect_input(&rtc, 0);
    wr(0x070, 1u | (1u << 8) | (1u << 15)); // LSEON, RTCSEL = LSE, RTCEN
    rcc.reset();
    EXPECT_EQ(rd(0x070) & 0xFFFFu, 0x8103u);
    wr(0x070, rd(0x070) | (1u << 16));
    EXPECT_EQ(rtc.n, 1);
    EXPECT_EQ(rd(0x070), 1u << 16) << "the other fields reset while BDRST is 1";
}

// RM0399 RCC_BDCR.RTCSEL (with RTCEN) selects the RTC clock: LSE, LSI, or
// HSE / RTCPRE; LPTIM1SEL (RCC_D2CCIP2R) and LPTIM2SEL / LPTIM345SEL
// (RCC_D3CCIPR) the low-power timers' kernel clocks.
TEST_F(Rcc, RtcAndLptimKernelClocks)
{
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 0u);
    wr(0x070, 1u | (1u << 8) | (1u << 15)); // LSE
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 32768u);
    wr(0x074, 1u); // LSION
    wr(0x070, 1u | (2u << 8) | (1u << 15)); // LSI
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 32000u);
    wr(0x070, 1u | (2u << 8)); // RTCEN = 0
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 0u);
    EXPECT_EQ(rcc.clock_hz("lptim1"), rcc.clock_hz("pclk1"));
    wr(0x054, 3u << 28); // LPTIM1SEL = LSE
    EXPECT_EQ(rcc.clock_hz("lptim1"), 32768u);
    wr(0x058, (4u << 10) | (3u << 13)); // LPTIM2SEL = LSI, LPTIM345SEL = LSE
    EXPECT_EQ(rcc.clock_hz("lptim2"), 32000u);
    EXPECT_EQ(rcc.clock_hz("lptim345"), 32768u);
}

// RM0399 RCC_D3CCIPR.ADCSEL: "00: pll2_p_ck (default after reset), 01: pll3_r_ck,
// 10: per_ck"; RCC_D1CCIPR.CKPERSEL: "00: hsi_ker_ck (default), 01: csi_ker_ck,
// 10: hse_ck, 11: disabled".  After reset PLL2 is off: the ADC has no clock until
// the firmware selects one that runs.
TEST_F(Rcc, AdcKernelClockFollowsAdcselAndPerCk)
{
    EXPECT_EQ(rcc.clock_hz("adc"), 0u) << "pll2_p_ck, PLL2 off";
    wr(0x058, 2u << 16); // ADCSEL = per_ck
    EXPECT_EQ(rcc.clock_hz("per_ck"), 64000000u);
    EXPECT_EQ(rcc.clock_hz("adc"), 64000000u) << "per_ck = hsi_ker_ck";
    wr(0x04C, 1u << 28); // CKPERSEL = csi_ker_ck
    EXPECT_EQ(rcc.clock_hz("adc"), 4000000u);
    wr(0x04C, 2u << 28); // CKPERSEL = hse_ck, HSE still off
    EXPECT_EQ(rcc.clock_hz("adc"), 0u);
    wr(0x000, rd(0x000) | (1u << 16)); // HSEON
    EXPECT_EQ(rcc.clock_hz("adc"), 25000000u);
    wr(0x04C, 3u << 28); // CKPERSEL = disabled
    EXPECT_EQ(rcc.clock_hz("adc"), 0u);
}

// RM0399 RCC_D2CCIP2R.RNGSEL: "00: hsi48_ck (default after reset), 01: pll1_q_ck,
// 10: lse_ck, 11: lsi_ck".
TEST_F(Rcc, RngKernelClockFollowsRngsel)
{
    EXPECT_EQ(rcc.clock_hz("rng"), 0u) << "HSI48 off after reset";
    wr(0x000, rd(0x000) | (1u << 12)); // HSI48ON
    EXPECT_EQ(rcc.clock_hz("rng"), 48000000u);
    wr(0x054, 2u << 8); // LSE, off
    EXPECT_EQ(rcc.clock_hz("rng"), 0u);
    wr(0x074, 1u);      // LSION
    wr(0x054, 3u << 8); // LSI
    EXPECT_EQ(rcc.clock_hz("rng"), 32000u);
    wr(0x054, 1u << 8); // pll1_q_ck: PLL1 off
    EXPECT_EQ(rcc.clock_hz("rng"), rcc.clock_hz("pll1_q"));
}

// RM0399 RCC_CFGR.HRTIMSEL: the HRTIM prescaler clock is the APB2 timers' clock
// (rcc_timy_ker_ck: twice PCLK2 when the APB2 prescaler divides), or with
// HRTIMSEL = 1 the CPU clock (c_ck).
TEST_F(Rcc, HrtimselSelectsTheTimerOrTheCpuClock)
{
    EXPECT_EQ(rcc.clock_hz("hrtim"), 64000000u); // HSI, no prescaler
    wr(0x01C, 4u << 8);                          // RCC_D2CFGR.D2PPRE2 = /2
    EXPECT_EQ(rcc.clock_hz("pclk2"), 32000000u);
    EXPECT_EQ(rcc.clock_hz("hrtim"), 64000000u); // twice the divided APB2 clock
    wr(0x018, 8u);                               // RCC_D1CFGR.HPRE = /2: HCLK 32 MHz
    EXPECT_EQ(rcc.clock_hz("hrtim"), 32000000u);
    wr(0x010, 1u << 14);                         // RCC_CFGR.HRTIMSEL = 1: c_ck
    EXPECT_EQ(rcc.clock_hz("hrtim"), 64000000u);
}

// ---- D3 autonomous mode (RCC_D3AMR) ---------------------------------------------------

// Records each "ck_off.<block>" output's level (high: the block's clocks stop).
struct ClockGates : Device {
    std::map<unsigned, bool> off;
    ClockGates() : Device("gates") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned n, bool l) override { off[n] = l; }
};

struct RccD3 : Rcc {
    ClockGates g;
    enum : unsigned { BDMA, LPUART1, LPTIM2, LPTIM4, SRAM4, BKPSRAM };
    // RM0399 register offsets and bits (ST's CMSIS names).
    enum : uint32_t { D3CCIPR = 0x058, D3AMR = 0x0A8, AHB4ENR = 0x0E0, APB4ENR = 0x0F4 };
    enum : uint32_t { BDMAEN = 1u << 21, BKPRAMEN = 1u << 28, LPUART1EN = 1u << 3, LPTIM2EN = 1u << 9,
                      LPTIM4EN = 1u << 11 };
    enum : uint32_t { BDMAAMEN = 1u << 0, LPUART1AMEN = 1u << 3, LPTIM2AMEN = 1u << 9, LPTIM4AMEN = 1u << 11,
                      BKPRAMAMEN = 1u << 28, SRAM4AMEN = 1u << 29 };
    void SetUp() override
    {
        Rcc::SetUp();
        const char *names[] = {"bdma", "lpuart1", "lptim2", "lptim4", "sram4", "bkpsram"};
        for (unsigned i = 0; i < 6; i++) {
            rcc.irq(std::string("ck_off.") + names[i])->connect_input(&g, i);
        }
    }
    // __HAL_RCC_xxx_CLK_ENABLE on core `core`: the common address reaches its bank.
    void enable(uint32_t reg, uint32_t bit, CoreId core)
    {
        testutil::reg_write(rcc, reg, testutil::reg_read(rcc, reg, core) | bit, core);
    }
    void cpu(CoreId core, CorePower p) { rcc.core_power_changed(core, p); }
    void d3_stop(bool stop) { rcc.input(Stm32h7Rcc::SYS_STOP, stop); }
};

// RM0399 "Peripheral clock gating control": the clocks of a peripheral
// allocated to a CPU (its PERxEN in that CPU's RCC_Cx bank) stop when that CPU
// enters CStop, unless the peripheral has its autonomous bit in RCC_D3AMR:
// then they run as long as D3 is in Run (ST's PWR_Domain3SystemControl sets
// BDMAAMEN so the BDMA works while the CM7 is stopped).
TEST_F(RccD3, AllocatedBlockStopsWithItsCpuUnlessAutonomous)
{
    enable(AHB4ENR, BDMAEN, 0);
    EXPECT_EQ(rd(0x130 + 0x10) & BDMAEN, BDMAEN) << "in RCC_C1_AHB4ENR";
    cpu(0, CorePower::DeepSleep);
    EXPECT_TRUE(g.off[BDMA]) << "CPU1 in CStop, BDMAAMEN = 0";
    wr(D3AMR, BDMAAMEN);
    EXPECT_FALSE(g.off[BDMA]) << "autonomous: runs while D3 runs";
    wr(D3AMR, 0);
    EXPECT_TRUE(g.off[BDMA]);
    cpu(0, CorePower::Run);
    EXPECT_FALSE(g.off[BDMA]);
}

// RM0399: a peripheral allocated to CPU2 only keeps its clocks while CPU2 runs,
// whatever CPU1 does; one allocated to both runs while either does.
TEST_F(RccD3, OnlyTheAllocatingCpuMatters)
{
    enable(APB4ENR, LPTIM4EN, 1);
    cpu(1, CorePower::DeepSleep);
    EXPECT_TRUE(g.off[LPTIM4]) << "CPU2 stopped, CPU1 running but not its owner";
    enable(APB4ENR, LPTIM4EN, 0);
    EXPECT_FALSE(g.off[LPTIM4]) << "CPU1 allocated it too";
    cpu(0, CorePower::DeepSleep);
    EXPECT_TRUE(g.off[LPTIM4]);
    cpu(1, CorePower::Sleep);
    EXPECT_FALSE(g.off[LPTIM4]) << "CSleep keeps the clocks (PERxLPEN is not modelled)";
}

// RM0399 SRAM4 has no enable bit (both CPUs use it): its clock stops only
// when both CPUs are in CStop, and SRAM4AMEN keeps it while D3 runs; the
// backup SRAM follows BKPRAMEN / BKPRAMAMEN.
TEST_F(RccD3, Sram4StopsWithBothCpusUnlessAutonomous)
{
    cpu(0, CorePower::DeepSleep);
    EXPECT_FALSE(g.off[SRAM4]);
    cpu(1, CorePower::DeepSleep);
    EXPECT_TRUE(g.off[SRAM4]);
    wr(D3AMR, SRAM4AMEN);
    EXPECT_FALSE(g.off[SRAM4]);
    EXPECT_TRUE(g.off[BKPSRAM]);
    wr(D3AMR, SRAM4AMEN | BKPRAMAMEN);
    EXPECT_FALSE(g.off[BKPSRAM]);
}

// RM0399 RCC_D3AMR in D3 DStop (system Stop): bus clocks stop, so an
// autonomous BDMA or SRAM4 stops too; an autonomous LPUART1 or LPTIM keeps a
// kernel clock that runs in Stop (LPUART1SEL = HSI, which the LPUART
// requests in Stop; LPTIMxSEL = LSE / LSI), not one from PCLK4.
TEST_F(RccD3, InD3StopOnlyAutonomousBlocksWithAStopKernelClockRun)
{
    enable(AHB4ENR, BDMAEN, 0);
    enable(APB4ENR, LPUART1EN | LPTIM2EN, 0);
    wr(D3AMR, BDMAAMEN | LPUART1AMEN | LPTIM2AMEN | SRAM4AMEN);
    cpu(0, CorePower::DeepSleep);
    cpu(1, CorePower::DeepSleep);
    EXPECT_FALSE(g.off[BDMA] || g.off[LPUART1] || g.off[LPTIM2] || g.off[SRAM4]) << "D3 still runs";
    d3_stop(true);
    EXPECT_TRUE(g.off[BDMA]);
    EXPECT_TRUE(g.off[SRAM4]);
    EXPECT_TRUE(g.off[LPUART1]) << "LPUART1SEL = 000: rcc_pclk4 stops in Stop";
    EXPECT_TRUE(g.off[LPTIM2]) << "LPTIM2SEL = 000: rcc_pclk4";
    wr(D3CCIPR, (3u << 0) | (3u << 10)); // LPUART1SEL = hsi_ker, LPTIM2SEL = lse
    EXPECT_FALSE(g.off[LPUART1]);
    EXPECT_FALSE(g.off[LPTIM2]);
    wr(D3AMR, SRAM4AMEN);
    EXPECT_TRUE(g.off[LPUART1]) << "no autonomous bit: nothing runs in Stop";
    EXPECT_TRUE(g.off[LPTIM2]);
    d3_stop(false);
    EXPECT_TRUE(g.off[LPUART1]) << "D3 runs again, but its CPU is still stopped";
    EXPECT_FALSE(g.off[SRAM4]);
}

// RM0399 RCC_D3AMR register: BDMAAMEN 0, LPUART1AMEN 3, LPTIM2-5AMEN 9-12,
// BKPRAMAMEN 28, SRAM4AMEN 29 are modelled; the autonomous bits of blocks
// ampvp does not gate (SPI6, I2C4, COMP12, VREF, RTC, CRC, SAI4, ADC3) are
// stored and reported.
TEST_F(RccD3, D3amrFieldsWhereTheRmPutsThem)
{
    const Register &r = rcc.bank()["D3AMR"];
    EXPECT_EQ(r.find("SRAM4AMEN")->lsb, 29u);
    EXPECT_EQ(r.find("LPTIM5AMEN")->lsb, 12u);
    EXPECT_FALSE(r.find("BDMAAMEN")->unimplemented);
    EXPECT_TRUE(r.find("ADC3AMEN")->unimplemented);
    wr(D3AMR, 1u << 24);
    EXPECT_TRUE(cap.has("ADC3AMEN"));
    EXPECT_EQ(rd(D3AMR), 1u << 24);
}

} // namespace
