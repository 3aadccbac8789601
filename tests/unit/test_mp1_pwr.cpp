// STM32MP15 PWR as the Cortex-M4's HAL polls it, one RM0436 rule per test
// (RM0436, "Power control (PWR)"; rules paraphrased).
#include "models/stm32mp1_pwr.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

enum : uint32_t { CR1 = 0x00, CR2 = 0x08, CR3 = 0x0C, MCUCR = 0x14, WKUPCR = 0x20 };

struct Mp1Pwr : ::testing::Test {
    testutil::LogCapture cap;
    Stm32mp1Pwr p{"PWR"};
    uint32_t rd(uint32_t off) { return testutil::reg_read(p, off, 0); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(p, off, v, 0); }
};

// RM0436 PWR register map: after reset every register reads its reset value
// (CR3: the 1.8 V and 1.1 V regulators enabled and ready).
TEST_F(Mp1Pwr, EveryRegisterReadsItsResetValue)
{
    for (const Register &r : p.bank().registers()) {
        EXPECT_EQ(rd(r.offset()), r.reset_value()) << r.name();
    }
    EXPECT_EQ(rd(CR3), 0xF0000000u);
}

// RM0436 PWR_CR1.DBP: disables the backup domain write protection; it reads
// back (HAL_PWR_EnableBkUpAccess and the LSE setup poll it).
TEST_F(Mp1Pwr, DbpReadsBack)
{
    wr(CR1, 1u << 8);
    EXPECT_EQ(rd(CR1), 1u << 8);
}

// RM0436 PWR_CR2: BRRDY is set once the backup regulator enabled by BREN is
// ready; RRRDY likewise for RREN.
TEST_F(Mp1Pwr, BackupAndRetentionRegulatorsReady)
{
    wr(CR2, 1u << 0);
    EXPECT_EQ(rd(CR2), (1u << 0) | (1u << 16));
    wr(CR2, 1u << 1);
    EXPECT_EQ(rd(CR2), (1u << 1) | (1u << 17));
    wr(CR2, 0);
    EXPECT_EQ(rd(CR2), 0u);
}

// RM0436 PWR_CR3: USB33RDY follows USB33DEN; REG18RDY / REG11RDY follow
// REG18EN / REG11EN.
TEST_F(Mp1Pwr, Cr3ReadyFlagsFollowTheirEnables)
{
    wr(CR3, (1u << 24) | (1u << 28));
    EXPECT_EQ(rd(CR3), (1u << 24) | (1u << 26) | (1u << 28) | (1u << 29));
}

// RM0436 PWR_MCUCR: PDDS (the M4's deep sleep is Standby) reads back; CSSF
// always reads 0.
TEST_F(Mp1Pwr, McucrPddsReadsBackAndCssfReadsZero)
{
    wr(MCUCR, (1u << 0) | (1u << 9));
    EXPECT_EQ(rd(MCUCR), 1u);
}

// RM0436 PWR_WKUPCR: WKUPCx clear the wake-up flags and read 0; the
// polarity bits read back.
TEST_F(Mp1Pwr, WakeupClearBitsReadZero)
{
    wr(WKUPCR, 0x3F | (1u << 8));
    EXPECT_EQ(rd(WKUPCR), 1u << 8);
}

} // namespace
