// STM32MP15 SYSCFG as the Cortex-M4's firmware reads it, one RM0436 rule per
// test (RM0436, "System configuration controller (SYSCFG)"; rules paraphrased).
#include "models/stm32mp1_syscfg.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

enum : uint32_t { BOOTR = 0x00, PMCSETR = 0x04, CMPCR = 0x20, CMPENSETR = 0x24, CMPENCLRR = 0x28, PMCCLRR = 0x44 };

struct Mp1Syscfg : ::testing::Test {
    testutil::LogCapture cap;
    Stm32mp1Syscfg s{"SYSCFG"};
    uint32_t rd(uint32_t off) { return testutil::reg_read(s, off, 0); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(s, off, v, 0); }
};

// RM0436 SYSCFG register map: after reset every register reads its reset
// value (BOOTR: the BOOT pins, 0b101 by default).
TEST_F(Mp1Syscfg, EveryRegisterReadsItsResetValue)
{
    for (const Register &r : s.bank().registers()) {
        EXPECT_EQ(rd(r.offset()), r.reset_value()) << r.name();
    }
}

// RM0436 SYSCFG_BOOTR.BOOT[2:0]: the BOOT pins as latched at reset.  0b100
// is the engineering boot that ST's M4 HAL tests ((BOOTR & 7) == 4).
TEST_F(Mp1Syscfg, BootrShowsTheConfiguredBootPins)
{
    s.configure({{"boot_pins", "0b100"}}, {"cm4"});
    EXPECT_EQ(rd(BOOTR) & 7u, 4u);
    s.configure({{"boot_pins", "0x2"}}, {"cm4"});
    EXPECT_EQ(rd(BOOTR) & 7u, 2u);
}

// Without the option byte the pins are those of a DK2 booting Linux from
// the SD card: BOOT2 = BOOT0 = 1.
TEST_F(Mp1Syscfg, BootPinsDefaultToSdCard)
{
    s.configure({}, {"cm4"});
    EXPECT_EQ(rd(BOOTR) & 7u, 0b101u);
}

// RM0436 SYSCFG_BOOTR: BOOT0-2 are read-only; the pull-down controls
// BOOTx_PD (bits 4-6) are read/write.
TEST_F(Mp1Syscfg, BootPinsAreReadOnly)
{
    wr(BOOTR, 0x70);
    EXPECT_EQ(rd(BOOTR), 0x75u);
}

// The BOOT pins are latched again at reset: a reset keeps the configured pins.
TEST_F(Mp1Syscfg, ResetLatchesTheConfiguredPins)
{
    s.configure({{"boot_pins", "4"}}, {"cm4"});
    wr(BOOTR, 0x10);
    s.reset();
    EXPECT_EQ(rd(BOOTR), 4u);
}

// Option byte "boot_pins" must be a number that fits the three pins.
TEST_F(Mp1Syscfg, BadBootPinsAreRejected)
{
    EXPECT_THROW(s.configure({{"boot_pins", "8"}}, {"cm4"}), ConfigError);
    EXPECT_THROW(s.configure({{"boot_pins", "0b12"}}, {"cm4"}), ConfigError);
    EXPECT_THROW(s.configure({{"boot_pins", ""}}, {"cm4"}), ConfigError);
}

// RM0436 SYSCFG_CMPCR.READY: the compensation cell reports ready once it is
// enabled for the MPU or the MCU (CMPENSETR), at once here.
TEST_F(Mp1Syscfg, CompensationCellReadyOnceEnabled)
{
    EXPECT_FALSE(rd(CMPCR) & (1u << 8));
    wr(CMPENSETR, 1u << 1); // MCU_EN
    EXPECT_TRUE(rd(CMPCR) & (1u << 8));
    EXPECT_EQ(rd(CMPENCLRR), 2u);
    wr(CMPENCLRR, 1u << 1);
    EXPECT_FALSE(rd(CMPCR) & (1u << 8));
}

// RM0436 SYSCFG_PMCSETR / PMCCLRR: 1 sets / clears, 0 has no effect, both
// read the configuration.
TEST_F(Mp1Syscfg, PeripheralModeSetAndClear)
{
    wr(PMCSETR, 1u << 8); // EN_BOOSTER
    EXPECT_EQ(rd(PMCCLRR), 1u << 8);
    wr(PMCCLRR, 0);
    EXPECT_EQ(rd(PMCSETR), 1u << 8);
    wr(PMCCLRR, 1u << 8);
    EXPECT_EQ(rd(PMCSETR), 0u);
}

} // namespace
