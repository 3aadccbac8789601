// STM32H7 HSEM, one RM0399 rule per test (RM0399 Rev 4, "Hardware semaphore
// (HSEM)"; rules paraphrased).  Core 0 is the CM7 (COREID 3, CPU1), core 1
// the CM4 (COREID 1, CPU2), as in machine/stm32h745.json.
#include "models/stm32_hsem.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct Lines : IrqSink {
    void set_irq(CoreId, unsigned, bool) override {}
    void send_event(CoreId) override {}
};

struct HsemTest : ::testing::Test {
    Stm32Hsem h{"HSEM"};
    testutil::LogCapture cap;
    void SetUp() override
    {
        h.configure({{"coreid.cm7", "3"}, {"coreid.cm4", "1"}, {"cpu1", "cm7"}, {"cpu2", "cm4"}},
                    {"cm7", "cm4"});
    }
    BusAccess acc(CoreId core, uint32_t off)
    {
        BusAccess a;
        a.core = core;
        a.core_name = core == 0 ? "cm7" : "cm4";
        a.offset = off;
        a.addr = 0x58026400 + off;
        return a;
    }
    uint32_t rd(CoreId core, uint32_t off)
    {
        auto a = acc(core, off);
        return h.read(a);
    }
    void wr(CoreId core, uint32_t off, uint32_t v)
    {
        auto a = acc(core, off);
        h.write(a, v);
    }
    static uint32_t R(unsigned n) { return 4 * n; }
    static uint32_t RLR(unsigned n) { return 0x80 + 4 * n; }
    enum { CM7 = 0, CM4 = 1, C1IER = 0x100, C1ICR = 0x104, C1ISR = 0x108, C1MISR = 0x10C,
           C2IER = 0x110, C2ICR = 0x114, C2ISR = 0x118, C2MISR = 0x11C, CR = 0x140, KEYR = 0x144 };
};

// RM0399: 2-step lock: writing R[n] with LOCK=1 takes a free semaphore; the
// read-back shows LOCK, COREID and PROCID of the owner.
TEST_F(HsemTest, TwoStepLockTakesAFreeSemaphore)
{
    wr(CM7, R(0), 0x80000305);
    EXPECT_EQ(rd(CM7, R(0)), 0x80000305u);
}

// RM0399: a lock attempt on a semaphore held by another core fails; the
// read-back shows the holder, not the requester.
TEST_F(HsemTest, LockByOneCoreBlocksTheOther)
{
    wr(CM7, R(3), 0x80000300);
    wr(CM4, R(3), 0x80000100);
    EXPECT_EQ(rd(CM4, R(3)), 0x80000300u);
}

// RM0399: the COREID of a lock is the bus master's; writing another core's
// COREID does not take the semaphore.
TEST_F(HsemTest, WrittenCoreidMustBeTheWritersOwn)
{
    wr(CM4, R(1), 0x80000300); // the CM4 pretends to be the CM7
    EXPECT_EQ(rd(CM4, R(1)), 0u);
}

// RM0399: unlock needs LOCK=0 with the holder's COREID and PROCID; anything
// else is ignored.
TEST_F(HsemTest, UnlockWithWrongCoreidIsIgnored)
{
    wr(CM7, R(2), 0x80000300);
    wr(CM4, R(2), 0x00000100); // another core
    EXPECT_EQ(rd(CM7, R(2)), 0x80000300u);
    wr(CM4, R(2), 0x00000300); // another core claiming the holder's COREID
    EXPECT_EQ(rd(CM7, R(2)), 0x80000300u);
    wr(CM7, R(2), 0x00000300);
    EXPECT_EQ(rd(CM7, R(2)), 0u);
}

TEST_F(HsemTest, UnlockWithWrongProcidIsIgnored)
{
    wr(CM7, R(4), 0x80000307);
    wr(CM7, R(4), 0x00000306);
    EXPECT_EQ(rd(CM7, R(4)), 0x80000307u);
    wr(CM7, R(4), 0x00000307);
    EXPECT_EQ(rd(CM7, R(4)), 0u);
}

// RM0399: 1-step lock: reading RLR[n] takes a free semaphore for the reading
// core with PROCID 0 and returns the locked state.
TEST_F(HsemTest, RlrReadLocksWithProcid0)
{
    EXPECT_EQ(rd(CM7, RLR(0)), 0x80000300u);
    EXPECT_EQ(rd(CM7, R(0)), 0x80000300u);
}

// RM0399: an RLR read of a semaphore already held returns the holder and
// changes nothing.
TEST_F(HsemTest, RlrReadOfAHeldSemaphoreReturnsTheHolder)
{
    EXPECT_EQ(rd(CM4, RLR(6)), 0x80000100u);
    EXPECT_EQ(rd(CM7, RLR(6)), 0x80000100u);
}

// RM0399: freeing a semaphore sets the status bit only for a CPU whose
// interrupt enable bit for it is set; the masked status drives its line.
TEST_F(HsemTest, InterruptOnFreeOnlyForTheEnablingCpu)
{
    struct Sink : IrqSink {
        std::vector<std::pair<CoreId, unsigned>> raised;
        void set_irq(CoreId c, unsigned l, bool v) override
        {
            if (v) {
                raised.push_back({c, l});
            }
        }
        void send_event(CoreId) override {}
    } sink;
    h.irq("int1")->connect(&sink, CM7, 125);
    h.irq("int2")->connect(&sink, CM4, 126);
    wr(CM4, C2IER, 1u << 0);
    rd(CM7, RLR(0));
    wr(CM7, R(0), 0x00000300);
    EXPECT_EQ(rd(CM4, C2ISR), 1u);
    EXPECT_EQ(rd(CM4, C2MISR), 1u);
    EXPECT_EQ(rd(CM7, C1ISR), 0u);
    ASSERT_EQ(sink.raised.size(), 1u);
    EXPECT_EQ(sink.raised[0], std::make_pair(CoreId(CM4), 126u));
}

// RM0399: taking a semaphore does not set status; only freeing does.
TEST_F(HsemTest, LockingDoesNotInterrupt)
{
    wr(CM4, C2IER, 1u << 0);
    rd(CM7, RLR(0));
    EXPECT_EQ(rd(CM4, C2ISR), 0u);
}

// RM0399: writing 1 to a CnICR bit clears the status bit; the line drops.
TEST_F(HsemTest, IcrClearsTheStatus)
{
    wr(CM4, C2IER, 1u << 9);
    rd(CM7, RLR(9));
    wr(CM7, R(9), 0x00000300);
    EXPECT_TRUE(h.irq("int2")->level());
    wr(CM4, C2ICR, 1u << 9);
    EXPECT_EQ(rd(CM4, C2ISR), 0u);
    EXPECT_FALSE(h.irq("int2")->level());
}

// RM0399: CnMISR is CnISR masked by CnIER.
TEST_F(HsemTest, MisrIsIsrAndIer)
{
    wr(CM7, C1IER, 0x3);
    rd(CM4, RLR(0));
    wr(CM4, R(0), 0x100);
    rd(CM4, RLR(1));
    wr(CM4, R(1), 0x100);
    wr(CM7, C1IER, 0x2);
    EXPECT_EQ(rd(CM7, C1ISR), 0x3u);
    EXPECT_EQ(rd(CM7, C1MISR), 0x2u);
}

// RM0399: CR frees every semaphore of the given COREID, only when KEY
// matches KEYR; with a wrong key it is ignored.
TEST_F(HsemTest, CrWithWrongKeyIsIgnored)
{
    rd(CM4, RLR(0));
    rd(CM4, RLR(1));
    wr(CM7, KEYR, 0xABCD0000);
    wr(CM7, CR, 0x12340100);
    EXPECT_EQ(rd(CM4, R(0)), 0x80000100u);
}

TEST_F(HsemTest, CrWithTheKeyClearsEverySemaphoreOfThatCore)
{
    rd(CM4, RLR(0));
    rd(CM4, RLR(1));
    rd(CM7, RLR(2));
    wr(CM7, KEYR, 0xABCD0000);
    wr(CM7, CR, 0xABCD0100);
    // What the bus shows: the CM7 reads each R[n] for the first time, so it
    // sees the current state (no missed lock window to report).
    EXPECT_EQ(rd(CM7, R(0)), 0u);
    EXPECT_EQ(rd(CM7, R(1)), 0u);
    EXPECT_EQ(rd(CM7, R(2)), 0x80000300u);
}

// A core's take immediately followed by its release is observable by the
// other core's polling loop (ST code waits for exactly that).
TEST_F(HsemTest, TakeAndReleaseIsObservedByAPollingCore)
{
    EXPECT_EQ(rd(CM4, R(0)), 0u); // the CM4 polls: free
    rd(CM7, RLR(0));              // CM7 takes ...
    wr(CM7, R(0), 0x300);         // ... and releases before the next poll
    EXPECT_EQ(rd(CM4, R(0)), 0x80000300u); // the poll still sees the take
    EXPECT_EQ(rd(CM4, R(0)), 0u);          // and then the release
}

TEST_F(HsemTest, AFirstReadSeesTheCurrentState)
{
    rd(CM7, RLR(0));
    wr(CM7, R(0), 0x300);
    EXPECT_EQ(rd(CM4, R(0)), 0u);
}

TEST_F(HsemTest, ACoreDoesNotSeeItsOwnPastLock)
{
    EXPECT_EQ(rd(CM7, R(0)), 0u);
    rd(CM7, RLR(0));
    wr(CM7, R(0), 0x300);
    EXPECT_EQ(rd(CM7, R(0)), 0u);
}

} // namespace
