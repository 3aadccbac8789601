// STM32MP15 RCC as the Cortex-M4's firmware uses it, one RM0436 rule per test
// (RM0436, "Reset and clock control (RCC)"; rules paraphrased).  Core 0 is
// the Cortex-M4 ("cm4"); the board is an STM32MP157C-DK2 (24 MHz HSE).
#include "models/stm32mp1_rcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct Told : ClockSink {
    std::vector<std::pair<CoreId, uint64_t>> sent;
    void set_core_clock(CoreId c, uint64_t hz) override { sent.push_back({c, hz}); }
};

struct Released : BootControl {
    std::vector<std::pair<CoreId, std::string>> calls;
    std::vector<std::pair<CoreId, std::string>> resets;
    void release_core(CoreId c, const std::string &by) override { calls.push_back({c, by}); }
    void reset_core(CoreId c, const std::string &why) override { resets.push_back({c, why}); }
};

// Counts the pulses of an output (RCC "mcu_rst" to WWDG1).
struct Pulses : Device {
    int count = 0;
    Pulses() : Device("WWDG1") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned, bool level) override { count += level; }
};

// Register offsets (ST's CMSIS RCC_TypeDef for the STM32MP15).
enum : uint32_t {
    OCENSETR = 0x00C, OCENCLRR = 0x010, HSICFGR = 0x018, MP_GCR = 0x10C, BDCR = 0x140, RDLSICR = 0x144,
    MP_RSTSCLRR = 0x408, MP_RSTSSETR = 0x420, OCRDYR = 0x808, RCK3SELR = 0x820, RCK4SELR = 0x824,
    TIMG1PRER = 0x828, MCUDIVR = 0x830, APB1DIVR = 0x834, APB2DIVR = 0x838, PLL3CR = 0x880,
    PLL3CFGR1 = 0x884, PLL3CFGR2 = 0x888, PLL3FRACR = 0x88C, PLL4CR = 0x894, PLL4CFGR1 = 0x898,
    PLL4CFGR2 = 0x89C, UART6CKSELR = 0x8E4, UART24CKSELR = 0x8E8, UART1CKSELR = 0x0C8,
    MSSCKSELR = 0x048, MC_AHB4ENSETR = 0xAA8, MC_AHB4ENCLRR = 0xAAC, MC_RSTSCLRR = 0xC00,
};
enum : uint32_t { HSION = 1u << 0, CSION = 1u << 4, HSEON = 1u << 8, HSECSSON = 1u << 11 };
enum : uint32_t { HSIRDY = 1u << 0, HSIDIVRDY = 1u << 2, CSIRDY = 1u << 4, HSERDY = 1u << 8 };
enum : uint32_t { PLLON = 1u << 0, PLLRDY = 1u << 1, DIVPEN = 1u << 4, DIVQEN = 1u << 5, DIVREN = 1u << 6 };
constexpr uint32_t kRdy31 = 1u << 31; // MCUSSRCRDY, MCUDIVRDY, APBxDIVRDY ...

// A fresh RCC with the M4 known, clock changes and core releases recorded.
struct Mp1Rcc : ::testing::Test {
    testutil::LogCapture cap;
    Told told;
    Released rel;
    Stm32mp1Rcc rcc{"RCC"};
    void SetUp() override { setup({{"mcu_core", "cm4"}, {"hse_hz", "24000000"}}); }
    void setup(const std::map<std::string, std::string> &params)
    {
        DeviceContext ctx;
        ctx.clocks = &told;
        ctx.boot = &rel;
        rcc.set_context(ctx);
        rcc.configure(params, {"cm4"});
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(rcc, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(rcc, off, v); }
    // PLL3 as TF-A leaves it on a DK2: HSE 24 MHz / (DIVM3 1 + 1) * (DIVN 33 +
    // 1 + FRACV 0x1A04 / 8192) / (DIVP 1 + 1), DIVQ 17, DIVR 36.
    void dk2_pll3()
    {
        wr(OCENSETR, HSEON);
        wr(RCK3SELR, 1);                             // PLL3SRC = HSE
        wr(PLL3CFGR1, (1u << 16) | 33u);             // DIVM3 1, DIVN 33
        wr(PLL3CFGR2, (36u << 16) | (17u << 8) | 1u); // DIVR 36, DIVQ 17, DIVP 1
        wr(PLL3FRACR, 0x1A04u << 3);                 // FRACV (FRACLE still 0)
        wr(PLL3FRACR, (0x1A04u << 3) | (1u << 16));  // FRACLE latches FRACV
        wr(PLL3CR, PLLON);
        wr(PLL3CR, PLLON | DIVPEN | DIVQEN | DIVREN);
    }
};

// 24e6 * ((34 << 13) + 0x1A04) / (2 << 13), then / 2: the DK2's ~209 MHz.
constexpr uint64_t kDk2Pll3Vco = 24000000ull * ((34ull << 13) + 0x1A04) / (2ull << 13);
constexpr uint64_t kDk2Pll3P = kDk2Pll3Vco / 2;

// RM0436 RCC register map: after reset every register reads its reset value
// (ST's description of RM0436; OCRDYR shows the HSI and MPU/AXI clocks ready).
TEST_F(Mp1Rcc, EveryRegisterReadsItsResetValue)
{
    for (const Register &r : rcc.bank().registers()) {
        EXPECT_EQ(rd(r.offset()), r.reset_value()) << r.name();
    }
    EXPECT_EQ(rd(MC_RSTSCLRR), 0x15u);   // PORRSTF, PADRSTF, VCORERSTF
    EXPECT_EQ(rd(OCENSETR), HSION);      // only the HSI runs
    EXPECT_EQ(rd(MSSCKSELR), kRdy31);    // MCU on the HSI, switch done
}

// RM0436 MCU clock tree: after reset the MCU runs from the HSI at 64 MHz
// (MSSCKSELR.MCUSSRC = HSI, MCUDIV /1); the M4 is told at configure.
TEST_F(Mp1Rcc, ResetClockIsTheHsiAt64MHz)
{
    EXPECT_EQ(rcc.clock_hz("mcu"), 64000000u);
    EXPECT_EQ(rcc.clock_hz("pclk1"), 64000000u);
    ASSERT_EQ(told.sent.size(), 1u);
    EXPECT_EQ(told.sent[0], std::make_pair(CoreId(0), uint64_t(64000000)));
}

// RM0436 RCC_HSICFGR: HSIDIV divides the HSI by 1, 2, 4 or 8; HSIDIVRDY
// (OCRDYR) reports the new division effective; the M4's clock follows.
TEST_F(Mp1Rcc, HsidivDividesTheHsi)
{
    wr(HSICFGR, 2); // /4
    EXPECT_TRUE(rd(OCRDYR) & HSIDIVRDY);
    EXPECT_EQ(rcc.clock_hz("hsi"), 16000000u);
    EXPECT_EQ(rcc.clock_hz("mcu"), 16000000u);
    EXPECT_EQ(told.sent.back(), std::make_pair(CoreId(0), uint64_t(16000000)));
}

// A clock is sent to the core only when it changes.
TEST_F(Mp1Rcc, OnlyClockChangesAreSent)
{
    wr(HSICFGR, 0); // the same /1
    wr(OCENSETR, CSION);
    EXPECT_EQ(told.sent.size(), 1u);
}

// RM0436 RCC_OCENSETR / OCENCLRR: writing 1 to OCENSETR sets the enable,
// writing 1 to OCENCLRR clears it, 0 has no effect; both read the enables.
TEST_F(Mp1Rcc, OscillatorEnableSetAndClearRegisters)
{
    wr(OCENSETR, HSEON);
    EXPECT_EQ(rd(OCENSETR), HSION | HSEON);
    EXPECT_EQ(rd(OCENCLRR), HSION | HSEON);
    wr(OCENSETR, 0);
    wr(OCENCLRR, 0);
    EXPECT_EQ(rd(OCENSETR), HSION | HSEON);
    wr(OCENCLRR, HSEON);
    EXPECT_EQ(rd(OCENSETR), HSION);
}

// RM0436 RCC_OCENSETR.HSECSSON: the HSE clock security can be set but not
// cleared by software (OCENCLRR has no HSECSSON bit).
TEST_F(Mp1Rcc, HsecssonIsSetOnly)
{
    wr(OCENSETR, HSECSSON);
    wr(OCENCLRR, HSECSSON);
    EXPECT_TRUE(rd(OCENSETR) & HSECSSON);
}

// RM0436 RCC_OCRDYR.HSERDY: set once the HSE oscillates after HSEON
// (the DK2's 24 MHz crystal), cleared when HSEON is cleared.
TEST_F(Mp1Rcc, HserdyFollowsHseon)
{
    EXPECT_FALSE(rd(OCRDYR) & HSERDY);
    wr(OCENSETR, HSEON);
    EXPECT_TRUE(rd(OCRDYR) & HSERDY);
    EXPECT_EQ(rcc.clock_hz("hse"), 24000000u);
    wr(OCENCLRR, HSEON);
    EXPECT_FALSE(rd(OCRDYR) & HSERDY);
    EXPECT_EQ(rcc.clock_hz("hse"), 0u);
}

// A board without an HSE crystal (no "hse_hz"): HSERDY never comes.
TEST_F(Mp1Rcc, HseNeverReadyWithoutABoardCrystal)
{
    setup({{"mcu_core", "cm4"}});
    wr(OCENSETR, HSEON);
    EXPECT_FALSE(rd(OCRDYR) & HSERDY);
}

// RM0436 RCC_OCRDYR.CSIRDY follows CSION (the 4 MHz CSI); HSIRDY follows HSION.
TEST_F(Mp1Rcc, CsirdyAndHsirdyFollowTheirEnables)
{
    EXPECT_EQ(rd(OCRDYR) & (HSIRDY | CSIRDY), HSIRDY);
    wr(OCENSETR, CSION);
    EXPECT_EQ(rd(OCRDYR) & (HSIRDY | CSIRDY), HSIRDY | CSIRDY);
    EXPECT_EQ(rcc.clock_hz("csi"), 4000000u);
}

// RM0436 RCC_BDCR: LSERDY (bit 2) is set once the LSE runs after LSEON
// (bit 0), cleared with LSEON.
TEST_F(Mp1Rcc, LserdyFollowsLseon)
{
    wr(BDCR, rd(BDCR) | 1u);
    EXPECT_TRUE(rd(BDCR) & (1u << 2));
    EXPECT_EQ(rcc.clock_hz("lse"), 32768u);
    wr(BDCR, rd(BDCR) & ~1u);
    EXPECT_FALSE(rd(BDCR) & (1u << 2));
}

// RM0436 RCC_RDLSICR: LSIRDY (bit 1) follows LSION (bit 0), the 32 kHz LSI.
TEST_F(Mp1Rcc, LsirdyFollowsLsion)
{
    wr(RDLSICR, 1u);
    EXPECT_EQ(rd(RDLSICR) & 3u, 3u);
    EXPECT_EQ(rcc.clock_hz("lsi"), 32000u);
    wr(RDLSICR, 0);
    EXPECT_EQ(rd(RDLSICR) & 3u, 0u);
}

// RM0436 RCC_PLL3CR.PLL3RDY: the PLL locks after PLLON once its reference
// clock (RCK3SELR.PLL3SRC) runs.
TEST_F(Mp1Rcc, Pll3LocksOnceOnAndItsReferenceRuns)
{
    wr(RCK3SELR, 1); // HSE, still off
    EXPECT_TRUE(rd(RCK3SELR) & kRdy31);
    wr(PLL3CR, PLLON);
    EXPECT_FALSE(rd(PLL3CR) & PLLRDY);
    wr(OCENSETR, HSEON);
    EXPECT_TRUE(rd(PLL3CR) & PLLRDY);
    wr(PLL3CR, 0);
    EXPECT_FALSE(rd(PLL3CR) & PLLRDY);
}

// RM0436 PLL output: Fref / (DIVM3 + 1) * (DIVN + 1 + FRACV / 2^13) /
// (DIVx + 1), with FRACV counting once FRACLE latched it.
TEST_F(Mp1Rcc, Pll3FractionalOutputFrequency)
{
    dk2_pll3();
    EXPECT_EQ(rcc.clock_hz("pll3_p"), kDk2Pll3P);
    EXPECT_EQ(rcc.clock_hz("pll3_q"), kDk2Pll3Vco / 18);
    EXPECT_EQ(rcc.clock_hz("pll3_r"), kDk2Pll3Vco / 37);
    wr(PLL3FRACR, 0x1A04u << 3); // FRACLE cleared: integer multiplier
    EXPECT_EQ(rcc.clock_hz("pll3_p"), 24000000u / 2 * 34 / 2);
}

// RM0436 RCC_PLLxCR.DIVyEN: an output divider that is not enabled gives no clock.
TEST_F(Mp1Rcc, PllOutputNeedsItsDividerEnable)
{
    dk2_pll3();
    wr(PLL3CR, PLLON | DIVQEN);
    EXPECT_EQ(rcc.clock_hz("pll3_p"), 0u);
    EXPECT_NE(rcc.clock_hz("pll3_q"), 0u);
}

// RM0436 RCC_MSSCKSELR: MCUSSRC = 3 runs the MCU from PLL3 P; MCUSSRCRDY
// reports the switch done; the M4 is told its new clock (SysTick follows).
TEST_F(Mp1Rcc, Pll3PRunsTheM4)
{
    dk2_pll3();
    told.sent.clear();
    wr(MSSCKSELR, 3);
    EXPECT_EQ(rd(MSSCKSELR), kRdy31 | 3u);
    EXPECT_EQ(rcc.clock_hz("mcu"), kDk2Pll3P);
    ASSERT_EQ(told.sent.size(), 1u);
    EXPECT_EQ(told.sent[0], std::make_pair(CoreId(0), kDk2Pll3P));
}

// RM0436 RCC_MSSCKSELR: the switch to a source that does not run waits for
// it (MCUSSRCRDY = 0, the MCU keeps its clock) and completes once it runs.
TEST_F(Mp1Rcc, McuSwitchWaitsForTheSelectedSource)
{
    wr(MSSCKSELR, 1); // HSE, off
    EXPECT_FALSE(rd(MSSCKSELR) & kRdy31);
    EXPECT_EQ(rcc.clock_hz("mcu"), 64000000u);
    EXPECT_EQ(told.sent.size(), 1u);
    EXPECT_TRUE(cap.has("not running"));
    wr(OCENSETR, HSEON);
    EXPECT_TRUE(rd(MSSCKSELR) & kRdy31);
    EXPECT_EQ(told.sent.back(), std::make_pair(CoreId(0), uint64_t(24000000)));
}

// RM0436 RCC_MCUDIVR: MLHCLK = MCU sub-system clock / 2^MCUDIV, 512 for
// MCUDIV >= 9; MCUDIVRDY reads 1.
TEST_F(Mp1Rcc, McudivDividesTheM4Clock)
{
    wr(MCUDIVR, 1);
    EXPECT_EQ(rd(MCUDIVR), kRdy31 | 1u);
    EXPECT_EQ(rcc.clock_hz("mcu"), 32000000u);
    EXPECT_EQ(rcc.clock_hz("mcuss"), 64000000u);
    EXPECT_EQ(told.sent.back().second, 32000000u);
    wr(MCUDIVR, 15);
    EXPECT_EQ(rcc.clock_hz("mcu"), 64000000u / 512);
}

// RM0436 RCC_APBxDIVR: PCLKx = MLHCLK / 1, 2, 4, 8 or 16 (APBxDIV 4-7: /16);
// APBxDIVRDY reads 1.
TEST_F(Mp1Rcc, ApbDividersGiveThePclks)
{
    wr(APB1DIVR, 1);
    EXPECT_EQ(rd(APB1DIVR), kRdy31 | 1u);
    EXPECT_EQ(rcc.clock_hz("pclk1"), 32000000u);
    wr(APB2DIVR, 7);
    EXPECT_EQ(rcc.clock_hz("pclk2"), 4000000u);
    EXPECT_EQ(rcc.clock_hz("pclk3"), 64000000u);
}

// RM0436 RCC_TIMG1PRER, TIMG1PRE = 0: the APB1 timers run at twice PCLK1,
// but not faster than MLHCLK.
TEST_F(Mp1Rcc, TimerClockIsTwicePclkUpToMlhclk)
{
    const uint32_t want[5] = {64000000, 64000000, 32000000, 16000000, 8000000};
    for (uint32_t div = 0; div < 5; div++) {
        wr(APB1DIVR, div);
        EXPECT_EQ(rcc.clock_hz("timg1"), want[div]) << "APB1DIV " << div;
    }
}

// RM0436 RCC_TIMG1PRER, TIMG1PRE = 1: four times PCLK1, not above MLHCLK.
TEST_F(Mp1Rcc, Timg1preGivesFourTimesPclk)
{
    wr(TIMG1PRER, 1);
    EXPECT_EQ(rd(TIMG1PRER), kRdy31 | 1u);
    wr(APB1DIVR, 2); // /4
    EXPECT_EQ(rcc.clock_hz("timg1"), 64000000u);
    wr(APB1DIVR, 3); // /8
    EXPECT_EQ(rcc.clock_hz("timg1"), 32000000u);
    EXPECT_EQ(rcc.clock_hz("timg2"), 64000000u); // its own prescaler, APB2 /1
}

// RM0436 RCC_UART24CKSELR.UART24SRC: 0 pclk1, 1 pll4_q, 2 hsi_ker, 3
// csi_ker, 4 hse_ker, other values no clock.
TEST_F(Mp1Rcc, Uart24KernelClockSelection)
{
    wr(APB1DIVR, 1);
    EXPECT_EQ(rcc.clock_hz("uart24"), 32000000u);
    wr(UART24CKSELR, 2);
    EXPECT_EQ(rcc.clock_hz("uart24"), 64000000u);
    wr(UART24CKSELR, 3);
    EXPECT_EQ(rcc.clock_hz("uart24"), 0u); // CSI off
    wr(OCENSETR, CSION);
    EXPECT_EQ(rcc.clock_hz("uart24"), 4000000u);
    wr(UART24CKSELR, 4);
    wr(OCENSETR, HSEON);
    EXPECT_EQ(rcc.clock_hz("uart24"), 24000000u);
    wr(RCK4SELR, 0);                     // PLL4 from the HSI
    wr(PLL4CFGR1, (3u << 16) | 49u);     // 64 MHz / 4 * 50 = 800 MHz
    wr(PLL4CFGR2, (7u << 8) | 1u);       // DIVQ /8, DIVP /2
    wr(PLL4CR, PLLON | DIVQEN);
    wr(UART24CKSELR, 1);
    EXPECT_EQ(rcc.clock_hz("uart24"), 100000000u);
    wr(UART24CKSELR, 5);
    EXPECT_EQ(rcc.clock_hz("uart24"), 0u);
    EXPECT_EQ(rcc.clock_hz("uart35"), 32000000u); // its own selection: pclk1
}

// RM0436 RCC_UART6CKSELR.UART6SRC = 0 selects pclk2.
TEST_F(Mp1Rcc, Uart6DefaultsToPclk2)
{
    wr(APB2DIVR, 2);
    EXPECT_EQ(rcc.clock_hz("uart6"), 16000000u);
    wr(UART6CKSELR, 2);
    EXPECT_EQ(rcc.clock_hz("uart6"), 64000000u);
}

// RM0436 RCC_UART1CKSELR.UART1SRC (USART1): 0 pclk5, 1 pll3_q, 5 hse_ker.
TEST_F(Mp1Rcc, Usart1KernelClockSelection)
{
    EXPECT_EQ(rcc.clock_hz("uart1"), 64000000u); // pclk5: HSI AXI clock, /1
    dk2_pll3();
    wr(UART1CKSELR, 1);
    EXPECT_EQ(rcc.clock_hz("uart1"), kDk2Pll3Vco / 18);
    wr(UART1CKSELR, 5);
    EXPECT_EQ(rcc.clock_hz("uart1"), 24000000u);
}

// RM0436 RCC_MC_AHB4ENSETR / ENCLRR (the M4's GPIO clock enables, as
// __HAL_RCC_GPIOH_CLK_ENABLE writes them): 1 sets / clears, 0 no effect,
// both read the enables.
TEST_F(Mp1Rcc, PeripheralClockEnableSetAndClear)
{
    wr(MC_AHB4ENSETR, 1u << 7); // GPIOHEN
    wr(MC_AHB4ENSETR, 1u << 0); // GPIOAEN
    EXPECT_EQ(rd(MC_AHB4ENSETR), 0x81u);
    EXPECT_EQ(rd(MC_AHB4ENCLRR), 0x81u);
    wr(MC_AHB4ENCLRR, 1u << 7);
    EXPECT_EQ(rd(MC_AHB4ENSETR), 0x01u);
    wr(MC_AHB4ENSETR, 0);
    EXPECT_EQ(rd(MC_AHB4ENSETR), 0x01u);
}

// RM0436 RCC_MC_RSTSCLRR: the reset flags (power-on: PORRSTF, PADRSTF,
// VCORERSTF) are cleared by writing 1, 0 has no effect.
TEST_F(Mp1Rcc, McuResetFlagsClearByWritingOne)
{
    wr(MC_RSTSCLRR, 0);
    EXPECT_EQ(rd(MC_RSTSCLRR), 0x15u);
    wr(MC_RSTSCLRR, 0x01);
    EXPECT_EQ(rd(MC_RSTSCLRR), 0x14u);
    wr(MC_RSTSCLRR, 0x7FF);
    EXPECT_EQ(rd(MC_RSTSCLRR), 0u);
}

// RM0436 RCC_MP_RSTSSETR: writing 1 sets the flag in MP_RSTSCLRR, which
// writing 1 there clears; both read the flags.
TEST_F(Mp1Rcc, MpuResetFlagsSetAndClear)
{
    wr(MP_RSTSSETR, 1u << 11); // STDBYRSTF
    EXPECT_EQ(rd(MP_RSTSCLRR), 1u << 11);
    EXPECT_EQ(rd(MP_RSTSSETR), 1u << 11);
    wr(MP_RSTSCLRR, 1u << 11);
    EXPECT_EQ(rd(MP_RSTSCLRR), 0u);
}

// RM0436 MCU HOLD_BOOT: outside the engineering boot the MCU waits in
// HOLD_BOOT after a power-on reset; MP_GCR.BOOT_MCU = 1 lets it boot.  Linux
// writes 1 then 0 (the next MCU reset holds it again): one release.
TEST_F(Mp1Rcc, BootMcuReleasesTheHeldM4)
{
    EXPECT_EQ(rcc.boot_gated(0), std::optional<bool>(true)); // default BOOT pins 0b101 (SD card)
    EXPECT_TRUE(rel.calls.empty());
    wr(MP_GCR, 1);
    ASSERT_EQ(rel.calls.size(), 1u);
    EXPECT_EQ(rel.calls[0], std::make_pair(CoreId(0), std::string("RCC MP_GCR.BOOT_MCU")));
    EXPECT_EQ(rd(MP_GCR), 1u);
    wr(MP_GCR, 0);
    EXPECT_EQ(rd(MP_GCR), 0u);
    wr(MP_GCR, 1); // the M4 runs already
    EXPECT_EQ(rel.calls.size(), 1u);
}

// RM0436 Boot modes: with the BOOT pins at 0b100 (engineering boot) the M4
// runs at once; BOOT_MCU releases nothing.
TEST_F(Mp1Rcc, EngineeringBootRunsTheM4AtOnce)
{
    setup({{"mcu_core", "cm4"}, {"boot_pins", "0b100"}});
    EXPECT_EQ(rcc.boot_gated(0), std::optional<bool>(false));
    wr(MP_GCR, 1);
    EXPECT_TRUE(rel.calls.empty());
}

// RM0436 memory map: the M4 boots from RETRAM, at 0x00000000 in its view.
TEST_F(Mp1Rcc, M4BootsFromRetram)
{
    EXPECT_EQ(rcc.boot_address(0), std::optional<uint32_t>(0u));
    EXPECT_EQ(rcc.boot_address(1), std::nullopt);
    EXPECT_EQ(rcc.boot_gated(1), std::nullopt);
}

// RM0436 system reset: the MCU returns to the HSI at 64 MHz (the M4 is told)
// and to HOLD_BOOT (BOOT_MCU reads 0 and releases it again).
TEST_F(Mp1Rcc, ResetReturnsToHsiAndHoldBoot)
{
    wr(MP_GCR, 1);
    wr(OCENSETR, HSEON);
    wr(MSSCKSELR, 1);
    EXPECT_EQ(told.sent.back().second, 24000000u);
    rcc.reset();
    EXPECT_EQ(rd(MP_GCR), 0u);
    EXPECT_EQ(rd(MSSCKSELR), kRdy31);
    EXPECT_EQ(told.sent.back(), std::make_pair(CoreId(0), uint64_t(64000000)));
    wr(MP_GCR, 1);
    EXPECT_EQ(rel.calls.size(), 2u);
}

// The board's HSE frequency is configuration, not register state.
TEST_F(Mp1Rcc, ResetKeepsTheBoardsHse)
{
    rcc.reset();
    wr(OCENSETR, HSEON);
    EXPECT_EQ(rcc.clock_hz("hse"), 24000000u);
}

// Clock names the model does not know answer -1 / 0 Hz.
TEST_F(Mp1Rcc, UnknownClockName)
{
    EXPECT_EQ(rcc.clock_id("usart234578"), -1);
    EXPECT_EQ(rcc.clock_hz("nope"), 0u);
    EXPECT_NE(rcc.clock_id("pll4_r"), -1);
}

// RM0436 RCC_HSICFGR: "HSICAL represents the sum of the engineering option
// byte calibration value and HSITRIM bits value" (HSICAL = HSITRIM +
// engineering calibration, 0 after reset here).  The emulated HSI is exact:
// trimming leaves it at 64 MHz.
TEST_F(Mp1Rcc, HsicalIsTheCalibrationPlusHsitrim)
{
    EXPECT_EQ((rd(HSICFGR) >> 16) & 0xFFFu, 0u);
    wr(HSICFGR, 16u << 8); // ST's DK2 SystemClock_Config: HSICalibrationValue 16
    EXPECT_EQ((rd(HSICFGR) >> 8) & 0x7Fu, 16u);
    EXPECT_EQ((rd(HSICFGR) >> 16) & 0xFFFu, 16u);
    EXPECT_EQ(rcc.clock_hz("hsi"), 64000000u);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// RM0436 RCC_MPCKSELR: MPUSRC selects the MPU clock (0 HSI, 1 HSE, 2 PLL1 P,
// 3 MPUDIV); MPUSRCRDY is set by hardware once the selected source is the
// MPU's clock, so it stays 0 while the source does not run.
TEST_F(Mp1Rcc, MpusrcrdyWaitsForTheSelectedSource)
{
    constexpr uint32_t MPCKSELR = 0x020, PLL1CR = 0x080;
    EXPECT_TRUE(rd(MPCKSELR) & kRdy31); // HSI
    wr(MPCKSELR, 2);                    // PLL1 P, PLL1 off
    EXPECT_FALSE(rd(MPCKSELR) & kRdy31);
    wr(PLL1CR, PLLON | DIVPEN); // PLL1 from the HSI (RCK12SELR reset value)
    EXPECT_TRUE(rd(MPCKSELR) & kRdy31);
    wr(MPCKSELR, 1); // HSE, off
    EXPECT_FALSE(rd(MPCKSELR) & kRdy31);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// RM0436 RCC_PLL3CFGR1.IFRGE: the PLL3 input (reference / DIVM3) must lie in
// the selected range, 00 = 4 to 8 MHz, 01 = 8 to 16 MHz.  ST's DK2 set-up
// (HSE 24 MHz / 2 = 12 MHz, IFRGE = 01) is right; the same PLL enabled with
// IFRGE = 00 is the firmware's mistake (reported, the model's PLL locks).
TEST_F(Mp1Rcc, Pll3InputOutsideIfrgeIsAGuestError)
{
    dk2_pll3(); // IFRGE left at 00: 12 MHz is outside 4-8 MHz
    EXPECT_EQ(cap.count("outside the input range"), 1);
    EXPECT_TRUE(rd(PLL3CR) & PLLRDY);
    wr(PLL3CR, 0);
    wr(PLL3CFGR1, (1u << 24) | (1u << 16) | 33u); // IFRGE 01
    wr(PLL3CR, PLLON);
    EXPECT_EQ(cap.count("outside the input range"), 1);
    EXPECT_EQ(rcc.clock_id("pll3_p") >= 0, true);
}

// RM0436 RCC_BDCR.RTCSRC selects the RTC clock (00 none, 01 LSE, 10 LSI, 11
// HSE divided by RCC_RTCDIVR.RTCDIV + 1), RTCCKEN enables it.  ST's DK2
// examples set RTCDIV = 24 - 1: the 24 MHz HSE gives a 1 MHz RTC clock.
TEST_F(Mp1Rcc, RtcClockFollowsRtcsrcRtcdivAndRtccken)
{
    constexpr uint32_t RTCDIVR = 0x044;
    wr(OCENSETR, HSEON);
    wr(RTCDIVR, 23);
    wr(BDCR, rd(BDCR) | (3u << 16)); // HSE / RTCDIV, not enabled
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 0u);
    wr(BDCR, rd(BDCR) | (1u << 20)); // RTCCKEN
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 1000000u);
    wr(BDCR, (rd(BDCR) & ~(3u << 16)) | (1u << 16) | 1u); // LSE, LSEON
    EXPECT_EQ(rcc.clock_hz("rtcclk"), 32768u);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// RM0436 "Reset" / RCC_MC_RSTSCLRR: a WWDG1 time-out resets the MCU
// (mcu_rst) and sets WWDG1RSTF (bit 10); the MCU reset does not reset the
// RCC, so the MCU keeps the clock the firmware chose (ST's WWDG_Example skips
// SystemClock_Config when it finds WWDG1RSTF), and WWDG1 is reset with the
// MCU (output "mcu_rst").  MCURSTF (bit 5) is for MP_GRSTCSETR.MCURST only:
// it is not part of the power-on value 0x15 although a power-on resets the
// MCU too.
TEST_F(Mp1Rcc, Wwdg1TimeoutResetsTheMcuAndSetsWwdg1rstf)
{
    Pulses wwdg;
    rcc.irq("mcu_rst")->connect_input(&wwdg, 0);
    wr(MC_RSTSCLRR, 0x7FF); // HAL: __HAL_RCC_CLEAR_RESET_FLAGS
    dk2_pll3();
    wr(MSSCKSELR, 3); // MCU on PLL3 P
    rcc.input(Stm32mp1Rcc::kInputWwdg1, true);
    rcc.input(Stm32mp1Rcc::kInputWwdg1, false);
    EXPECT_EQ(rd(MC_RSTSCLRR), 1u << 10);
    ASSERT_EQ(rel.resets.size(), 1u);
    EXPECT_EQ(rel.resets[0].first, CoreId(0));
    EXPECT_EQ(wwdg.count, 1);
    EXPECT_EQ(rcc.clock_hz("mcu"), kDk2Pll3P);
    EXPECT_EQ(rd(MSSCKSELR) & 3u, 3u);
}

// RM0436 RCC_MP_GRSTCSETR.MCURST: writing 1 resets the MCU (the bit reads
// 0: it clears itself); RCC_MC_RSTSCLRR.MCURSTF records it.
TEST_F(Mp1Rcc, McurstResetsTheMcuWithMcurstf)
{
    constexpr uint32_t MP_GRSTCSETR = 0x404;
    wr(MC_RSTSCLRR, 0x7FF);
    wr(MP_GRSTCSETR, 1u << 1);
    EXPECT_EQ(rd(MP_GRSTCSETR), 0u);
    EXPECT_EQ(rd(MC_RSTSCLRR), 1u << 5);
    ASSERT_EQ(rel.resets.size(), 1u);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// RM0436 RCC_AHB2RSTSETR / RCC_AHB2RSTCLRR: writing 1 to a bit of RSTSETR
// holds that peripheral in reset (ADC12RST, bit 5) until 1 is written to the
// same bit of RSTCLRR; both read the bits held.  Output "rst.AHB2.5" carries
// the bit (one rise per reset: the peripheral resets on it).
TEST_F(Mp1Rcc, ResetSetAndClearRegistersDriveTheResetLines)
{
    constexpr uint32_t AHB2RSTSETR = 0x998, AHB2RSTCLRR = 0x99C;
    Pulses adc;
    rcc.irq("rst.AHB2.5")->connect_input(&adc, 0);
    wr(AHB2RSTSETR, 1u << 5);
    EXPECT_EQ(rd(AHB2RSTSETR), 1u << 5);
    EXPECT_EQ(rd(AHB2RSTCLRR), 1u << 5);
    EXPECT_EQ(adc.count, 1);
    wr(AHB2RSTSETR, 1u << 5); // already held: no new rise
    EXPECT_EQ(adc.count, 1);
    wr(AHB2RSTCLRR, 1u << 5);
    EXPECT_EQ(rd(AHB2RSTSETR), 0u);
    wr(AHB2RSTSETR, 1u << 5);
    EXPECT_EQ(adc.count, 2);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// RM0436 RCC_ADCCKSELR.ADCSRC selects the ADC1/ADC2 kernel clock: 0 pll4_r
// (the reset value), 1 per_ck, 2 pll3_q; RCC_CPERCKSELR.CKPERSRC selects per_ck:
// 0 hsi_ker, 1 csi_ker, 2 hse_ker, 3 off.  ST's ADC example in engineering
// boot selects per_ck (RCC_ADCCLKSOURCE_PER), the HSI after reset.
TEST_F(Mp1Rcc, AdcKernelClockFollowsAdcsrcAndCkpersrc)
{
    constexpr uint32_t CPERCKSELR = 0x0D0, ADCCKSELR = 0x928;
    EXPECT_EQ(rcc.clock_hz("adc"), 0u); // PLL4 off
    wr(ADCCKSELR, 1);
    EXPECT_EQ(rcc.clock_hz("per_ck"), 64000000u);
    EXPECT_EQ(rcc.clock_hz("adc"), 64000000u);
    wr(OCENSETR, HSEON);
    wr(CPERCKSELR, 2);
    EXPECT_EQ(rcc.clock_hz("adc"), 24000000u);
    wr(CPERCKSELR, 3);
    EXPECT_EQ(rcc.clock_hz("adc"), 0u);
    dk2_pll3();
    wr(ADCCKSELR, 2); // PLL3 Q: the DK2's VCO / (DIVQ 17 + 1)
    EXPECT_EQ(rcc.clock_hz("adc"), kDk2Pll3Vco / 18);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// Configuration errors: "mcu_core" must name a core; "boot_pins" must fit
// the three BOOT pins.
TEST(Mp1RccConfig, BadParamsAreRejected)
{
    Stm32mp1Rcc rcc{"RCC"};
    EXPECT_THROW(rcc.configure({}, {"cm4"}), ConfigError);
    EXPECT_THROW(rcc.configure({{"mcu_core", "cm4"}, {"boot_pins", "0b1000"}}, {"cm4"}), ConfigError);
    EXPECT_THROW(rcc.configure({{"mcu_core", "cm4"}, {"boot_pins", "sd"}}, {"cm4"}), ConfigError);
}

} // namespace
