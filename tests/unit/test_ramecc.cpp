// STM32H7 RAMECC, one RM0399 rule per test (RM0399 Rev 4, "RAM ECC monitoring
// (RAMECC)"; rules paraphrased).  Register use as ST's HAL does it
// (stm32h7xx_hal_ramecc.c).  Offsets: IER 0x00; monitor x at 0x20 * x: CR +0,
// SR +4, FAR +8, FDRL +0xC, FDRH +0x10, FECR +0x14.
#include "models/stm32h7_ramecc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct Level : IrqSink {
    bool level = false;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

enum : uint32_t { IER = 0x00 };
constexpr uint32_t CR(unsigned x) { return 0x20 * x; }
constexpr uint32_t SR(unsigned x) { return 0x20 * x + 0x04; }
constexpr uint32_t FAR(unsigned x) { return 0x20 * x + 0x08; }
constexpr uint32_t FDRL(unsigned x) { return 0x20 * x + 0x0C; }
constexpr uint32_t FDRH(unsigned x) { return 0x20 * x + 0x10; }
constexpr uint32_t FECR(unsigned x) { return 0x20 * x + 0x14; }
enum : uint32_t { GIE = 1u << 0, GECCSEIE = 1u << 1, GECCDEIE = 1u << 2, GECCDEBWIE = 1u << 3 };
enum : uint32_t { ECCSEIE = 1u << 2, ECCDEIE = 1u << 3, ECCDEBWIE = 1u << 4, ECCELEN = 1u << 5 };
enum : uint32_t { SEDCF = 1u << 0, DEDF = 1u << 1, DEBWDF = 1u << 2 };
using E = Stm32h7Ramecc::Error;

struct RameccTest : ::testing::Test {
    Stm32h7Ramecc ecc{"RAMECC1"};
    Level irq;
    void SetUp() override
    {
        ecc.set_context(DeviceContext{});
        ecc.configure({{"monitors", "5"}}, {});
        ecc.reset();
        ecc.irq("irq")->connect(&irq, 0, 145);
    }
};

// RM0399 RAMECC registers: every register resets to 0; monitor x's registers
// follow at 0x20 * x (RAMECC1 has 5 monitors).
TEST_F(RameccTest, RegistersResetToZeroAtTheirOffsets)
{
    EXPECT_EQ(ecc.monitors(), 5u);
    EXPECT_EQ(reg_read(ecc, IER), 0u);
    for (unsigned x = 1; x <= 5; x++) {
        for (uint32_t off : {CR(x), SR(x), FAR(x), FDRL(x), FDRH(x), FECR(x)}) {
            EXPECT_EQ(reg_read(ecc, off), 0u) << "offset " << off;
        }
    }
    ASSERT_NE(ecc.bank().at(CR(5)), nullptr);
    EXPECT_EQ(ecc.bank().at(CR(5))->name(), "M5CR");
    EXPECT_EQ(ecc.bank().at(CR(6)), nullptr) << "no sixth monitor in RAMECC1";
}

// HAL_RAMECC_StartMonitor / EnableNotification: the enables read back as written.
TEST_F(RameccTest, EnablesReadBackAsTheHalWritesThem)
{
    reg_write(ecc, IER, GIE | GECCSEIE | GECCDEIE | GECCDEBWIE);
    reg_write(ecc, CR(2), ECCELEN | ECCSEIE | ECCDEIE | ECCDEBWIE);
    EXPECT_EQ(reg_read(ecc, IER), GIE | GECCSEIE | GECCDEIE | GECCDEBWIE);
    EXPECT_EQ(reg_read(ecc, CR(2)), ECCELEN | ECCSEIE | ECCDEIE | ECCDEBWIE);
}

// The emulated SRAM has no bit errors: a monitor started with every interrupt
// enabled shows no flag and raises no ECC interrupt.
TEST_F(RameccTest, NoErrorUnlessInjected)
{
    reg_write(ecc, IER, GIE);
    for (unsigned x = 1; x <= 5; x++) {
        reg_write(ecc, CR(x), ECCELEN | ECCSEIE | ECCDEIE | ECCDEBWIE);
        EXPECT_EQ(reg_read(ecc, SR(x)), 0u);
    }
    EXPECT_FALSE(irq.level);
}

// RM0399: with ECCELEN set, an ECC error latches the failing address, data
// and ECC code in MxFAR / MxFDRL / MxFDRH / MxFECR; SEDCF flags a single
// error detected and corrected.
TEST_F(RameccTest, LatchingEnabledKeepsTheFailingContext)
{
    reg_write(ecc, CR(1), ECCELEN);
    ASSERT_TRUE(ecc.inject(1, E::SingleCorrected, 0x24000100, 0x1122334455667788ull, 0x5A));
    EXPECT_EQ(reg_read(ecc, SR(1)), SEDCF);
    EXPECT_EQ(reg_read(ecc, FAR(1)), 0x24000100u);
    EXPECT_EQ(reg_read(ecc, FDRL(1)), 0x55667788u);
    EXPECT_EQ(reg_read(ecc, FDRH(1)), 0x11223344u);
    EXPECT_EQ(reg_read(ecc, FECR(1)), 0x5Au);
    EXPECT_FALSE(irq.level) << "no interrupt enabled";
}

// RM0399: without ECCELEN the failing context is not latched; the flag is.
TEST_F(RameccTest, WithoutLatchingOnlyTheFlagIsSet)
{
    ASSERT_TRUE(ecc.inject(3, E::DoubleRead, 0x20000040));
    EXPECT_EQ(reg_read(ecc, SR(3)), DEDF);
    EXPECT_EQ(reg_read(ecc, FAR(3)), 0u);
}

// RM0399 MxSR flags are rc_w0: writing 0 clears (HAL: __HAL_RAMECC_CLEAR_FLAG,
// SR &= ~flag), writing 1 keeps; the failing-context registers are read-only.
TEST_F(RameccTest, FlagsClearByWritingZero)
{
    reg_write(ecc, CR(2), ECCELEN);
    ecc.inject(2, E::SingleCorrected, 0x100);
    ecc.inject(2, E::DoubleByteWrite, 0x104);
    EXPECT_EQ(reg_read(ecc, SR(2)), SEDCF | DEBWDF);
    reg_write(ecc, SR(2), reg_read(ecc, SR(2)) & ~SEDCF); // the HAL: SR &= ~flag
    EXPECT_EQ(reg_read(ecc, SR(2)), DEBWDF);
    reg_write(ecc, FAR(2), 0);
    EXPECT_EQ(reg_read(ecc, FAR(2)), 0x104u);
}

// A flag raises ECC_IRQn when its kind is enabled at monitor level (MxCR
// ECCxxIE) and stays low when only another kind is; clearing the flag lowers it.
TEST_F(RameccTest, MonitorEnableRaisesTheInterruptForItsKind)
{
    reg_write(ecc, CR(4), ECCELEN | ECCDEIE);
    ecc.inject(4, E::SingleCorrected, 0x0);
    EXPECT_FALSE(irq.level) << "single errors not enabled";
    ecc.inject(4, E::DoubleRead, 0x8);
    EXPECT_TRUE(irq.level);
    reg_write(ecc, SR(4), 0);
    EXPECT_FALSE(irq.level);
}

// Unit level: GECCxxIE enables a kind for every monitor; GIE enables them all
// (HAL_RAMECC_IRQHandler treats GIE as every global enable).
TEST_F(RameccTest, GlobalEnablesCoverEveryMonitor)
{
    reg_write(ecc, IER, GECCDEBWIE);
    ecc.inject(5, E::DoubleByteWrite, 0x0);
    EXPECT_TRUE(irq.level);
    reg_write(ecc, SR(5), 0);
    reg_write(ecc, IER, 0);
    ecc.inject(1, E::SingleCorrected, 0x0);
    EXPECT_FALSE(irq.level);
    reg_write(ecc, IER, GIE);
    EXPECT_TRUE(irq.level);
}

// A monitor that does not exist cannot take an injected error.
TEST_F(RameccTest, InjectionNeedsAnExistingMonitor)
{
    EXPECT_FALSE(ecc.inject(0, E::DoubleRead, 0));
    EXPECT_FALSE(ecc.inject(6, E::DoubleRead, 0));
}

} // namespace
