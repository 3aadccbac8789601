// STM32H7 EXTI (dual core), one RM0399 rule per test (RM0399 Rev 4, "Extended
// interrupt and event controller (EXTI)").  CPU1 = core 0 (CM7), CPU2 = core 1.
#include "models/stm32h7_exti.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct Sink : IrqSink {
    std::vector<std::tuple<CoreId, unsigned, bool>> irqs;
    std::vector<CoreId> events;
    void set_irq(CoreId c, unsigned l, bool v) override { irqs.emplace_back(c, l, v); }
    void send_event(CoreId c) override { events.push_back(c); }
};

struct ExtiTest : ::testing::Test {
    Stm32h7Exti e{"EXTI"};
    Sink sink;
    testutil::LogCapture cap;
    enum : uint32_t { RTSR1 = 0x00, FTSR1 = 0x04, SWIER1 = 0x08, C1IMR1 = 0x80, C1EMR1 = 0x84,
                      C1PR1 = 0x88, C1IMR3 = 0xA0, C1EMR3 = 0xA4, C2IMR1 = 0xC0, C2EMR1 = 0xC4,
                      C2PR1 = 0xC8, C2IMR3 = 0xE0, C2EMR3 = 0xE4 };
    void SetUp() override
    {
        e.irq("c1.event")->connect_event(&sink, 0);
        e.irq("c2.event")->connect_event(&sink, 1);
        e.irq("c1.exti0")->connect(&sink, 0, 6);
        e.irq("c2.exti0")->connect(&sink, 1, 6);
        e.irq("c2.line80")->connect(&sink, 1, 64);
        wr(C1IMR1, 0); // start with everything masked (reset unmasks CPU1's direct lines)
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(e, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(e, off, v); }
};

// RM0399: a software trigger on a configurable line sets the pending bit of
// each CPU that unmasked the line (CnIMR) and interrupts only that CPU.
TEST_F(ExtiTest, SoftwareTriggerInterruptsOnlyTheUnmaskingCpu)
{
    wr(C2IMR1, 1);
    wr(SWIER1, 1);
    EXPECT_EQ(rd(C2PR1), 1u);
    EXPECT_EQ(rd(C1PR1), 0u);
    ASSERT_EQ(sink.irqs.size(), 1u);
    EXPECT_EQ(sink.irqs[0], std::make_tuple(CoreId(1), 6u, true));
}

// RM0399: writing 1 to a CnPR bit clears it and the interrupt.
TEST_F(ExtiTest, PendingBitClearsOnWriteOfOne)
{
    wr(C2IMR1, 1);
    wr(SWIER1, 1);
    wr(C2PR1, 1);
    EXPECT_EQ(rd(C2PR1), 0u);
    EXPECT_EQ(sink.irqs.back(), std::make_tuple(CoreId(1), 6u, false));
}

// Every write of 1 to SWIER triggers again (the FreeRTOS doorbell relies on
// it): SWIER reads 0 so a read-modify-write works each time.
TEST_F(ExtiTest, EveryWriteOfOneToSwierTriggersAgain)
{
    wr(C2IMR1, 1);
    for (int i = 0; i < 3; i++) {
        wr(SWIER1, rd(SWIER1) | 1);
        EXPECT_EQ(rd(C2PR1), 1u) << i;
        wr(C2PR1, 1);
    }
    EXPECT_EQ(rd(SWIER1), 0u);
}

// RM0399: masks are per CPU: CPU1's IMR does not interrupt CPU2.
TEST_F(ExtiTest, MasksArePerCpu)
{
    wr(C1IMR1, 1);
    wr(SWIER1, 1);
    EXPECT_EQ(rd(C1PR1), 1u);
    EXPECT_EQ(rd(C2PR1), 0u);
}

// RM0399: an enabled rising edge on a configurable line's input triggers it;
// without RTSR it does not.
TEST_F(ExtiTest, RisingEdgeTriggersOnlyWhenEnabled)
{
    wr(C1IMR1, 1u << 3);
    e.input(3, true);
    EXPECT_EQ(rd(C1PR1), 0u);
    e.input(3, false);
    wr(RTSR1, 1u << 3);
    e.input(3, true);
    EXPECT_EQ(rd(C1PR1), 1u << 3);
}

TEST_F(ExtiTest, FallingEdgeTriggersWithFtsr)
{
    wr(C1IMR1, 1u << 2);
    wr(FTSR1, 1u << 2);
    e.input(2, true);
    EXPECT_EQ(rd(C1PR1), 0u);
    e.input(2, false);
    EXPECT_EQ(rd(C1PR1), 1u << 2);
}

// RM0399: a configurable line with CnEMR set generates an event to that CPU.
TEST_F(ExtiTest, EventMaskRoutesConfigurableLineEvents)
{
    wr(C2EMR1, 1);
    wr(SWIER1, 1);
    EXPECT_EQ(sink.events, std::vector<CoreId>{1});
}

// CPU event routing: the CM7's SEV enters EXTI as line 80 and reaches the CM4
// as an event only when C2EMR3 bit 16 (line 80) is set.
TEST_F(ExtiTest, SevReachesTheOtherCoreOnlyWhenItsEventMaskAllows)
{
    e.input(80, true);
    e.input(80, false);
    EXPECT_TRUE(sink.events.empty());
    wr(C2EMR3, 1u << 16);
    e.input(80, true);
    e.input(80, false);
    EXPECT_EQ(sink.events, std::vector<CoreId>{1});
}

// RM0399 / CMSIS CM7_SEV_IRQn (64): with C2IMR3 bit 16 the CM7's SEV is an
// interrupt on the CM4.
TEST_F(ExtiTest, SevAsInterruptWithTheInterruptMask)
{
    wr(C2IMR3, 1u << 16);
    e.input(80, true);
    e.input(80, false);
    ASSERT_EQ(sink.irqs.size(), 2u); // a pulse: raise, lower (the NVIC latches it)
    EXPECT_EQ(sink.irqs[0], std::make_tuple(CoreId(1), 64u, true));
}

// Line 78 carries HSEM interrupt 2: with C2EMR3 bit 14 (ST's SystemInit sets
// it) an HSEM notification wakes the CM4 from Stop through an event.
TEST_F(ExtiTest, HsemLine78IsAnEventForCpu2)
{
    wr(C2EMR3, 1u << 14);
    e.input(78, true);
    EXPECT_EQ(sink.events, std::vector<CoreId>{1});
    e.input(78, false);
    e.input(78, true);
    EXPECT_EQ(sink.events.size(), 2u);
}

// RM0399 reset values: CPU1's direct lines are unmasked after reset; CPU2's too
// (ST's SVD for the CM4: C2IMR1 0xFFC00000, C2IMR2 0xFFF5FFFF, C2IMR3 0x018BFFFF),
// the configurable lines masked for both.
TEST(ExtiReset, DirectLinesUnmaskedAtResetForBothCpus)
{
    Stm32h7Exti e("EXTI");
    EXPECT_EQ(testutil::reg_read(e, 0x80), 0xFFC00000u);
    EXPECT_EQ(testutil::reg_read(e, 0xC0), 0xFFC00000u);
    EXPECT_EQ(testutil::reg_read(e, 0xD0), 0xFFF5FFFFu);
    EXPECT_EQ(testutil::reg_read(e, 0xE0), 0x018BFFFFu);
}

// Wake-up from CStop.  RM0399 EXTI: "The EXTI wakeup requests allow the system to
// be woken up from Stop modes, and the CPU to be woken up from CStop"; each CPU has
// its own wake-up output (c1_wakeup, c2_wakeup), gated by that CPU's masks.
struct ExtiWake : ExtiTest {
    struct WakeSink : IrqSink {
        std::vector<std::pair<CoreId, bool>> wake;
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
        void set_wakeup(CoreId c, bool v) override { wake.emplace_back(c, v); }
    } ws;
    void SetUp() override
    {
        ExtiTest::SetUp();
        wr(C2IMR1, 0);
        wr(C2IMR3, 0);
        wr(C1IMR3, 0);
        e.irq("c1.wakeup")->connect_wakeup(&ws, 0);
        e.irq("c2.wakeup")->connect_wakeup(&ws, 1);
    }
};

// A configurable line pending for a CPU (CnPR with CnIMR) holds that CPU's wake-up
// request until the pending bit is cleared; the other CPU is not woken.
TEST_F(ExtiWake, PendingConfigurableLineHoldsOnlyItsCpusWakeup)
{
    wr(C2IMR1, 1);
    wr(SWIER1, 1);
    ASSERT_EQ(ws.wake.size(), 1u);
    EXPECT_EQ(ws.wake[0], std::make_pair(CoreId(1), true));
    wr(C2PR1, 1);
    EXPECT_EQ(ws.wake.back(), std::make_pair(CoreId(1), false));
}

// An event sent to a CPU (CnEMR) also wakes it: a pulse on its wake-up request.
TEST_F(ExtiWake, EventToACpuPulsesItsWakeup)
{
    wr(C1EMR1, 1);
    wr(SWIER1, 1);
    EXPECT_EQ(ws.wake, (std::vector<std::pair<CoreId, bool>>{{0, true}, {0, false}}));
}

// A direct line (HSEM's CPU2 interrupt, line 78) wakes CPU2 while its input is high
// and C2IMR3 bit 14 is set; masked, it wakes nobody.
TEST_F(ExtiWake, DirectLineWakesWhileHighIfUnmasked)
{
    e.input(78, true);
    e.input(78, false);
    EXPECT_TRUE(ws.wake.empty()) << "masked direct line must not wake";
    wr(C2IMR3, 1u << 14);
    e.input(78, true);
    EXPECT_EQ(ws.wake.back(), std::make_pair(CoreId(1), true));
    e.input(78, false);
    EXPECT_EQ(ws.wake.back(), std::make_pair(CoreId(1), false));
}

// With the reset masks, HSEM's interrupt for CPU2 wakes CPU2 and never CPU1
// (ST's boot handshake relies on it with no EXTI set-up on the CM4).
TEST(ExtiReset, HsemCpu2InterruptWakesTheCm4WithResetMasks)
{
    Stm32h7Exti e("EXTI");
    struct : IrqSink {
        std::vector<std::pair<CoreId, bool>> wake;
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
        void set_wakeup(CoreId c, bool v) override { wake.emplace_back(c, v); }
    } ws;
    e.irq("c1.wakeup")->connect_wakeup(&ws, 0);
    e.irq("c2.wakeup")->connect_wakeup(&ws, 1);
    e.input(78, true);
    ASSERT_FALSE(ws.wake.empty());
    for (const auto &w : ws.wake) {
        EXPECT_EQ(w.first, 1) << "line 78 woke CPU1";
    }
}

} // namespace
