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

namespace {

struct Clocks : ClockSink {
    std::vector<std::pair<CoreId, uint64_t>> sent;
    void set_core_clock(CoreId c, uint64_t hz) override { sent.push_back({c, hz}); }
};

// RM0399 clock tree, driven the way HAL_RCC_OscConfig / ClockConfig do it on
// a NUCLEO-H745ZI-Q: HSE 8 MHz, PLL1 M=4 N=400 P=2 -> 400 MHz; D1CPRE /1,
// HPRE /2 -> CM7 400 MHz, CM4 (HCLK) 200 MHz, APBs /2 -> 100 MHz.  Each core
// is told its new clock when SW selects PLL1, so its SysTick follows.
struct RccClocks : ::testing::Test {
    testutil::LogCapture cap;
    Clocks sink;
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

// RM0399 RCC_BDCR / RCC_CSR: LSERDY follows LSEON, LSIRDY follows LSION.
TEST_F(RccClocks, LowSpeedOscillatorsBecomeReady)
{
    using testutil::reg_read;
    using testutil::reg_write;
    EXPECT_EQ(reg_read(rcc, 0x070) & 2u, 0u);
    reg_write(rcc, 0x070, 1u);
    EXPECT_EQ(reg_read(rcc, 0x070) & 3u, 3u);
    reg_write(rcc, 0x074, 1u);
    EXPECT_EQ(reg_read(rcc, 0x074) & 3u, 3u);
    reg_write(rcc, 0x074, 0u);
    EXPECT_EQ(reg_read(rcc, 0x074) & 3u, 0u);
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

} // namespace
