// STM32H7 EXTI (dual core), one RM0399 rule per test (RM0399 Rev 4, "Extended
// interrupt and event controller (EXTI)").  CPU1 = core 0 (CM7), CPU2 = core 1.
#include "models/stm32h7_exti.h"
#include "fake_time.h"
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

// ---- D3 domain wake-up (EXTI_D3PMRx, EXTI_D3PCRxL/H) ---------------------------------

// Records the level of "d3.wakeup" (the PWR's input) as it changes.
struct D3Pwr : Device {
    std::vector<bool> levels;
    D3Pwr() : Device("PWR") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned, bool l) override { levels.push_back(l); }
    bool high() const { return !levels.empty() && levels.back(); }
};

struct ExtiD3 : ::testing::Test {
    Stm32h7Exti e{"EXTI"};
    D3Pwr pwr;
    testutil::FakeScheduler time;
    testutil::LogCapture cap;
    // RM0399 EXTI register map: D3PMRx at 0x0C + 0x20 (x-1), D3PCRxL / D3PCRxH
    // right after it.
    enum : uint32_t { SWIER1 = 0x08, D3PMR1 = 0x0C, D3PCR1L = 0x10, D3PCR1H = 0x14, D3PMR2 = 0x2C,
                      D3PCR2L = 0x30, D3PCR2H = 0x34, D3PMR3 = 0x4C, D3PCR3H = 0x54, C1IMR1 = 0x80,
                      C1IMR2 = 0x90 };
    // D3PCR values: the D3 domain pendclear sources (inputs PENDCLEAR + k).
    enum : unsigned { DMACH6 = 0, DMACH7 = 1, LPTIM4 = 2, LPTIM5 = 3 };
    static constexpr unsigned LPUART1_RX_WKUP = 34;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        e.set_context(ctx);
        e.irq("d3.wakeup")->connect_input(&pwr, 3);
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(e, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(e, off, v); }
    void pendclear(unsigned k) { e.input(Stm32h7Exti::PENDCLEAR + k, true), e.input(Stm32h7Exti::PENDCLEAR + k, false); }
    // HAL_EXTI_D3_EventInputConfig(line, ENABLE, source): D3PMR bit set, then
    // MODIFY_REG of the 2-bit field at (line * 2) mod 32 of D3PCRxL/H.
    void d3_config(unsigned line, uint32_t source)
    {
        const uint32_t pmr = D3PMR1 + 0x20 * (line / 32);
        wr(pmr, rd(pmr) | (1u << (line % 32)));
        const uint32_t pcr = ((line >> 4) % 2 == 0 ? D3PCR1L : D3PCR1H) + 0x20 * (line / 32);
        const unsigned sh = (line * 2) & 0x1F;
        wr(pcr, (rd(pcr) & ~(3u << sh)) | (source << sh));
    }
};

// RM0399 EXTI_D3PMRx: mask bits exist only for the inputs whose wake-up target
// includes D3 (ST's CMSIS: 0-15, 19-21, 25 / 34, 35, 41, 48-53 / 88); the
// other bits are reserved, and the PCS fields sit at the same lines.
TEST_F(ExtiD3, MaskAndClearSelectionFieldsExistForTheD3Lines)
{
    EXPECT_EQ(e.bank()["D3PMR1"].defined_mask(), 0x0238FFFFu);
    EXPECT_EQ(e.bank()["D3PMR2"].defined_mask(), 0x003F020Cu);
    EXPECT_EQ(e.bank()["D3PMR3"].defined_mask(), 0x01000000u);
    EXPECT_EQ(e.bank()["D3PCR1L"].defined_mask(), 0xFFFFFFFFu);
    EXPECT_EQ(e.bank()["D3PCR1H"].defined_mask(), 0x000C0FC0u); // PCS19-21, PCS25
    EXPECT_EQ(e.bank()["D3PCR2L"].defined_mask(), 0x000C00F0u); // PCS34, PCS35, PCS41
    EXPECT_EQ(e.bank()["D3PCR2H"].defined_mask(), 0x00000FFFu); // PCS48-53
    EXPECT_EQ(e.bank()["D3PCR3H"].defined_mask(), 0x00030000u); // PCS88 (HAL's position)
    wr(D3PMR2, 0xFFFFFFFF);
    EXPECT_EQ(rd(D3PMR2), 0x003F020Cu);
}

// RM0399 EXTI D3 wake-up: an event on an input with its D3PMR bit set is a
// D3 domain wake-up request (exti_d3_wkup to the PWR), whatever the CPUs'
// interrupt masks; with the bit clear the same event does not wake D3.
TEST_F(ExtiD3, UnmaskedD3LineWakesTheD3Domain)
{
    wr(C1IMR2, 0); // no CPU takes line 34
    e.input(LPUART1_RX_WKUP, true);
    e.input(LPUART1_RX_WKUP, false);
    EXPECT_FALSE(pwr.high()) << "D3PMR clear: no D3 wake-up";
    d3_config(LPUART1_RX_WKUP, DMACH7);
    e.input(LPUART1_RX_WKUP, true);
    EXPECT_TRUE(pwr.high());
}

// RM0399 EXTI D3 pending: the request stays pending after the event input
// falls, until the pendclear source selected by D3PCR (here PCS34 = 01,
// dmamux2_evt7, as ST's BDMA_CH7_CLEAR) pulses; another source does not clear it.
TEST_F(ExtiD3, PendingRequestIsClearedOnlyByTheSelectedPendclearSource)
{
    d3_config(LPUART1_RX_WKUP, DMACH7);
    EXPECT_EQ(rd(D3PCR2L), 1u << 4) << "PCS34 at bits 5:4 of D3PCR2L";
    e.input(LPUART1_RX_WKUP, true);
    e.input(LPUART1_RX_WKUP, false);
    EXPECT_TRUE(pwr.high()) << "the request is latched";
    pendclear(DMACH6);
    pendclear(LPTIM4);
    pendclear(LPTIM5);
    EXPECT_TRUE(pwr.high()) << "not the selected source";
    pendclear(DMACH7);
    EXPECT_FALSE(pwr.high());
    e.input(LPUART1_RX_WKUP, true);
    EXPECT_TRUE(pwr.high()) << "the next event pends again";
}

// A configurable line (0, SWIER1) with its D3PMR bit set pends for D3 even
// while no CPU unmasked it; clearing D3PMR drops the pending request (ST's
// I2C D3 example disables and re-enables the line to do so).
TEST_F(ExtiD3, ConfigurableLinePendsForD3AndMaskingDropsTheRequest)
{
    wr(C1IMR1, 0);
    d3_config(0, LPTIM5);
    wr(SWIER1, 1);
    EXPECT_TRUE(pwr.high());
    wr(D3PMR1, 0);
    EXPECT_FALSE(pwr.high());
    wr(D3PMR1, 1);
    EXPECT_FALSE(pwr.high()) << "re-enabling does not bring the dropped request back";
}

// Two lines pending on different sources: D3 stays awake until both are
// cleared (exti_d3_wkup is the OR of the pending requests).
TEST_F(ExtiD3, WakeUpLastsUntilEveryPendingRequestIsCleared)
{
    d3_config(LPUART1_RX_WKUP, DMACH7);
    d3_config(52, LPTIM4); // LPTIM4 wake-up
    e.input(LPUART1_RX_WKUP, true);
    e.input(52, true);
    pendclear(DMACH7);
    EXPECT_TRUE(pwr.high());
    pendclear(LPTIM4);
    EXPECT_FALSE(pwr.high());
}

// An LPTIM output as pendclear source is a PWM waveform: the request is
// cleared at its next rising edge (lptim5_out: a 1 ms period rising at
// t = 250 us mod 1 ms).
TEST_F(ExtiD3, PeriodicPendclearSourceClearsAtItsNextRisingEdge)
{
    Waveform w;
    w.period_ns = 1000000;
    w.high_ns = 500000;
    w.start_ns = 250000;
    e.input_wave(Stm32h7Exti::PENDCLEAR + LPTIM5, w);
    d3_config(53, LPTIM5); // LPTIM5 wake-up
    time.now = 1300000;
    e.input(53, true);
    EXPECT_TRUE(pwr.high());
    time.advance(949000); // up to 2.249 ms
    EXPECT_TRUE(pwr.high());
    time.advance(1000);   // 2.25 ms: the rising edge
    EXPECT_FALSE(pwr.high());
}

// RM0399 EXTI_RTSR2 / FTSR2: only TR49 and TR51 exist (the other lines of the
// register are direct and their bits reserved).  ST's HAL_EXTI_EdgeConfig(34,
// rising) writes bit 2 anyway (PWR_Domain3SystemControl): it reads back 0 and
// nothing is reported; TR49 is stored and reported as not modelled.
TEST_F(ExtiD3, EdgeConfigOfADirectLineIsIgnoredSilently)
{
    enum : uint32_t { RTSR2 = 0x20, FTSR2 = 0x24 };
    wr(FTSR2, rd(FTSR2) & ~(1u << 2));
    wr(RTSR2, rd(RTSR2) & ~(1u << 2));
    wr(RTSR2, rd(RTSR2) | (1u << 2));
    EXPECT_EQ(rd(RTSR2), 0u);
    EXPECT_TRUE(cap.lines.empty()) << (cap.lines.empty() ? "" : cap.lines[0]);
    wr(RTSR2, 1u << 17);
    EXPECT_EQ(rd(RTSR2), 1u << 17);
    EXPECT_TRUE(cap.has("RTSR2.TR49"));
}

} // namespace
