// FLASH interface, DBGMCU and SYSCFG as ST's SystemInit / HAL read them, one
// RM0399 rule per test (RM0399 Rev 4; rules paraphrased).
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
    f.configure({{"bcm7", "1"}, {"bcm4", "0"}}, {"cm7", "cm4"});
    EXPECT_TRUE(rd(f, 0x01C) & (1u << 23));
    EXPECT_FALSE(rd(f, 0x01C) & (1u << 22));
    EXPECT_EQ((rd(f, 0x01C) >> 8) & 0xFFu, 0xAAu); // RDP level 0
}

// RM0399 FLASH_BOOT7_CUR / BOOT4_CUR hold the boot addresses >> 16.
TEST(Flash, BootAddresses)
{
    Stm32h7Flash f("FLASH");
    f.configure({{"boot7", "0x08000000"}, {"boot4", "0x08100000"}}, {});
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

// ST's gated-boot template writes the CM4 boot address into UR3[31:16].
TEST(Syscfg, Ur3HoldsTheCm4BootAddressAndIsWritable)
{
    Stm32h7Syscfg s("SYSCFG");
    s.configure({{"boot4", "0x08100000"}}, {});
    EXPECT_EQ(rd(s, 0x30C) >> 16, 0x0810u);
    wr(s, 0x30C, 0x1000u << 16);
    EXPECT_EQ(rd(s, 0x30C) >> 16, 0x1000u);
}

} // namespace
