// STM32MP15 IPCC, one RM0436 rule per test (RM0436, "Inter-processor
// communication controller (IPCC)"; rules paraphrased, the same IP as RM0434 /
// RM0453 describe).  Core 0 is processor 1 (the Cortex-A7's place, "ca7"),
// core 1 processor 2 (the Cortex-M4, "cm4").
#include "models/stm32_ipcc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <map>

using namespace ampvp;

namespace {

// Output lines as a core's interrupt controller sees them: the last level of
// each (core, line).
struct Lines : IrqSink {
    std::map<std::pair<CoreId, unsigned>, bool> level;
    int changes = 0;
    void set_irq(CoreId c, unsigned l, bool v) override
    {
        level[{c, l}] = v;
        changes++;
    }
    void send_event(CoreId) override {}
    bool at(CoreId c, unsigned l) const
    {
        auto it = level.find({c, l});
        return it != level.end() && it->second;
    }
};

enum : uint32_t { C1CR = 0x00, C1MR = 0x04, C1SCR = 0x08, C1TOC2SR = 0x0C, C2CR = 0x10, C2MR = 0x14,
                  C2SCR = 0x18, C2TOC1SR = 0x1C, HWCFGR = 0x3F0, VERR = 0x3F4, IPIDR = 0x3F8,
                  SIDR = 0x3FC };
enum : uint32_t { RXOIE = 1u << 0, TXFIE = 1u << 16 };
constexpr uint32_t CHC(unsigned n) { return 1u << (n - 1); }   // CxSCR.CHnC, CxMR.CHnOM, CHnF
constexpr uint32_t CHS(unsigned n) { return 1u << (n + 15); }  // CxSCR.CHnS, CxMR.CHnFM
constexpr uint32_t ALL_MASKED = 0x003F003F;
// Interrupt numbers of the fake interrupt controllers (the M4's NVIC numbers
// from stm32mp157cxx_cm4.h: IPCC_RX0/TX0 100/101, IPCC_RX1/TX1 103/104).
enum : unsigned { RX1 = 100, TX1 = 101, EXTI1 = 61, RX2 = 103, TX2 = 104, EXTI2 = 62 };
enum : CoreId { P1 = 0, P2 = 1 };

struct IpccTest : ::testing::Test {
    Stm32Ipcc ipcc{"IPCC"};
    Lines lines;
    testutil::LogCapture cap;
    void SetUp() override
    {
        ipcc.configure({{"processor1", "ca7"}, {"processor2", "cm4"}}, {"ca7", "cm4"});
        ipcc.irq("c1.rx")->connect(&lines, P1, RX1);
        ipcc.irq("c1.tx")->connect(&lines, P1, TX1);
        ipcc.irq("c1.exti")->connect(&lines, P1, EXTI1);
        ipcc.irq("c2.rx")->connect(&lines, P2, RX2);
        ipcc.irq("c2.tx")->connect(&lines, P2, TX2);
        ipcc.irq("c2.exti")->connect(&lines, P2, EXTI2);
    }
    uint32_t rd(CoreId c, uint32_t off) { return testutil::reg_read(ipcc, off, c); }
    void wr(CoreId c, uint32_t off, uint32_t v) { testutil::reg_write(ipcc, off, v, c); }
};

// RM0436 reset values: CxCR 0, CxMR 0xFFFFFFFF (everything masked), status
// flags 0 (all channels free); HWCFGR.CHANNELS = 6, VERR 0x10, IPIDR
// 0x00100071, SIDR 0xA3C5DD01.
TEST_F(IpccTest, ResetValues)
{
    EXPECT_EQ(rd(P1, C1CR), 0u);
    EXPECT_EQ(rd(P1, C1MR), 0xFFFFFFFFu);
    EXPECT_EQ(rd(P1, C1TOC2SR), 0u);
    EXPECT_EQ(rd(P2, C2CR), 0u);
    EXPECT_EQ(rd(P2, C2MR), 0xFFFFFFFFu);
    EXPECT_EQ(rd(P2, C2TOC1SR), 0u);
    EXPECT_EQ(rd(P1, HWCFGR), 6u);
    EXPECT_EQ(rd(P1, VERR), 0x10u);
    EXPECT_EQ(rd(P1, IPIDR), 0x00100071u);
    EXPECT_EQ(rd(P1, SIDR), 0xA3C5DD01u);
}

// RM0436: "CHnS: processor x transmit channel n status set" -- a sender marks
// its own channel occupied in CxTOCySR; the other direction is untouched.
TEST_F(IpccTest, ChannelSetMarksTheSendersOwnFlag)
{
    wr(P2, C2SCR, CHS(2));
    EXPECT_EQ(rd(P2, C2TOC1SR), CHC(2));
    EXPECT_EQ(rd(P2, C1TOC2SR), 0u);
}

// RM0436: "CHnC: processor x receive channel n status clear" -- the receiver
// frees the channel the OTHER processor posted on (CyTOCxSR), not its own.
TEST_F(IpccTest, ChannelClearFreesTheOtherProcessorsFlag)
{
    wr(P1, C1SCR, CHS(1) | CHS(3));
    wr(P2, C2SCR, CHS(1));
    wr(P2, C2SCR, CHC(1));
    EXPECT_EQ(rd(P1, C1TOC2SR), CHC(3));
    EXPECT_EQ(rd(P1, C2TOC1SR), CHC(1)) << "C2SCR.CH1C must not touch processor 2's own flag";
}

// RM0436: "Reading this register always returns 0x0000 0000" (CxSCR); ST's
// HAL sets bits with SCR |= bit, so an earlier set does not repeat itself.
TEST_F(IpccTest, StatusSetClearRegisterReadsZeroSoReadModifyWriteIsSafe)
{
    wr(P2, C2SCR, rd(P2, C2SCR) | CHS(1));
    EXPECT_EQ(rd(P2, C2SCR), 0u);
    wr(P1, C1SCR, CHC(1)); // processor 1 takes the message
    wr(P2, C2SCR, rd(P2, C2SCR) | CHS(2));
    EXPECT_EQ(rd(P2, C2TOC1SR), CHC(2));
}

// RM0436: the status registers CxTOCySR are read-only: only CxSCR changes them.
TEST_F(IpccTest, StatusRegistersAreReadOnly)
{
    wr(P1, C1TOC2SR, 0x3F);
    wr(P1, C1SCR, CHS(4));
    wr(P1, C1TOC2SR, 0);
    EXPECT_EQ(rd(P1, C1TOC2SR), CHC(4));
}

// RM0436: channels 1-6 only: bits 6-15 and 22-31 of CxSCR are reserved and
// set or clear nothing.
TEST_F(IpccTest, BitsBeyondChannelSixAreReserved)
{
    wr(P1, C1SCR, 0xFFC0FFC0);
    EXPECT_EQ(rd(P1, C1TOC2SR), 0u);
    EXPECT_TRUE(cap.has("reserved bits of IPCC.C1SCR"));
}

// RM0436: RX-occupied interrupt to processor x = CxCR.RXOIE and a channel n
// with CyTOCxSR.CHnF = 1 and CxMR.CHnOM = 0.  A masked channel does not
// interrupt; unmasking a channel already occupied does.
TEST_F(IpccTest, RxOccupiedNeedsEnableFlagAndUnmaskedChannel)
{
    wr(P2, C2CR, RXOIE);
    wr(P1, C1SCR, CHS(2));
    EXPECT_FALSE(lines.at(P2, RX2)) << "channel 2 is masked (reset C2MR)";
    wr(P2, C2MR, ALL_MASKED & ~CHC(2));
    EXPECT_TRUE(lines.at(P2, RX2));
    wr(P2, C2CR, 0);
    EXPECT_FALSE(lines.at(P2, RX2)) << "RXOIE = 0";
    EXPECT_FALSE(lines.at(P1, RX1)) << "processor 1 receives nothing";
}

// RM0436: the RX-occupied interrupt is a level that lasts until the receiver
// frees the channel (CxSCR.CHnC).
TEST_F(IpccTest, RxOccupiedFallsWhenTheReceiverClearsTheChannel)
{
    wr(P1, C1CR, RXOIE);
    wr(P1, C1MR, ALL_MASKED & ~CHC(1));
    wr(P2, C2SCR, CHS(1));
    ASSERT_TRUE(lines.at(P1, RX1));
    wr(P1, C1SCR, CHC(1));
    EXPECT_FALSE(lines.at(P1, RX1));
}

// RM0436: TX-free interrupt to processor x = CxCR.TXFIE and a channel n with
// CxTOCySR.CHnF = 0 and CxMR.CHnFM = 0: it follows the channel back to free.
TEST_F(IpccTest, TxFreeFollowsTheSendersUnmaskedChannel)
{
    wr(P1, C1CR, TXFIE);
    EXPECT_FALSE(lines.at(P1, TX1)) << "every channel's free mask is set at reset";
    wr(P1, C1SCR, CHS(3));
    wr(P1, C1MR, ALL_MASKED & ~CHS(3));
    EXPECT_FALSE(lines.at(P1, TX1)) << "channel 3 is occupied";
    wr(P2, C2SCR, CHC(3));
    EXPECT_TRUE(lines.at(P1, TX1)) << "the receiver freed channel 3";
    EXPECT_FALSE(lines.at(P2, TX2));
}

// The EXTI sees one IPCC interrupt per processor (RM0436 EXTI event inputs 61
// "IPCC interrupt CPU1" and 62 "IPCC interrupt CPU2"): high while that
// processor's RX-occupied or TX-free interrupt is.
TEST_F(IpccTest, ExtiLineIsTheProcessorsRxOrTx)
{
    wr(P2, C2CR, RXOIE | TXFIE);
    wr(P2, C2MR, ALL_MASKED & ~CHC(1));
    wr(P1, C1SCR, CHS(1));
    EXPECT_TRUE(lines.at(P2, EXTI2));
    wr(P2, C2SCR, CHC(1));
    EXPECT_FALSE(lines.at(P2, EXTI2));
    wr(P2, C2MR, ALL_MASKED & ~CHS(1));
    EXPECT_TRUE(lines.at(P2, EXTI2)) << "TX free on channel 1";
    EXPECT_FALSE(lines.at(P1, EXTI1));
}

// RM0436 names no initiator check: the register set is chosen by address.
// Processor 2 reads processor 1's C1TOC2SR (the HAL and Linux read the other
// side's status this way) and a write by processor 2 to C1SCR acts as
// processor 1's own.
TEST_F(IpccTest, RegisterSetIsChosenByAddressNotByInitiator)
{
    wr(P1, C1SCR, CHS(5));
    EXPECT_EQ(rd(P2, C1TOC2SR), CHC(5));
    wr(P2, C1SCR, CHS(6));
    EXPECT_EQ(rd(P1, C1TOC2SR), CHC(5) | CHC(6));
    EXPECT_EQ(rd(P1, C2TOC1SR), 0u);
}

// A reset frees every channel and drops every interrupt.
TEST_F(IpccTest, ResetFreesChannelsAndDropsLines)
{
    wr(P2, C2CR, RXOIE);
    wr(P2, C2MR, 0);
    wr(P1, C1SCR, CHS(1));
    ASSERT_TRUE(lines.at(P2, RX2));
    ipcc.reset();
    EXPECT_FALSE(lines.at(P2, RX2));
    EXPECT_EQ(rd(P2, C1TOC2SR), 0u);
    EXPECT_EQ(rd(P2, C2MR), 0xFFFFFFFFu);
}

// A machine description must name both processors' cores.
TEST(IpccConfig, BothProcessorsMustNameACore)
{
    Stm32Ipcc ipcc("IPCC");
    EXPECT_THROW(ipcc.configure({{"processor1", "ca7"}}, {"ca7", "cm4"}), ConfigError);
    EXPECT_THROW(ipcc.configure({{"processor1", "ca7"}, {"processor2", "m0"}}, {"ca7", "cm4"}),
                 ConfigError);
}

} // namespace
