// STM32H745 high-resolution timer HRTIM1, one RM0399 rule per test (RM0399 Rev 4,
// "High-Resolution Timer (HRTIM)"; rules paraphrased).  Time comes from a fake
// scheduler; fHRTIM is 200 MHz (5 ns) unless a test says otherwise, as in ST's
// HRTIM_MultiplePWM example (HRTIM clock = 2 x PCLK2 = HCLK).
#include "fake_time.h"
#include "models/stm32_hrtim.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    uint64_t rate = 200000000;
    ClockId clock_id(const std::string &) const override { return 0; }
    uint64_t hz(ClockId) const override { return rate; }
};

struct Level : IrqSink {
    std::map<unsigned, bool> level;
    void set_irq(CoreId, unsigned line, bool l) override { level[line] = l; }
    void send_event(CoreId) override {}
};

// Offsets (RM0399 HRTIM register map): master timer, timer x at 0x80 + 0x80 * x
// (A = 0), common registers at 0x380.
enum : uint32_t {
    MCR = 0x00, MISR = 0x04, MICR = 0x08, MDIER = 0x0C, MCNTR = 0x10, MPER = 0x14, MREP = 0x18,
    MCMP1R = 0x1C,
    TIMxCR = 0x00, TIMxISR = 0x04, TIMxICR = 0x08, TIMxDIER = 0x0C, CNTxR = 0x10, PERxR = 0x14,
    REPxR = 0x18, CMP1xR = 0x1C, CMP1CxR = 0x20, CMP2xR = 0x24, SETx1R = 0x3C, RSTx1R = 0x40,
    SETx2R = 0x44, RSTx2R = 0x48, DTxR = 0x38, OUTxR = 0x64,
    CR1 = 0x380, CR2 = 0x384, ISR = 0x388, IER = 0x390, OENR = 0x394, ODISR = 0x398, ODSR = 0x39C,
    EECR1 = 0x3B0,
};
constexpr uint32_t tim(unsigned x, uint32_t reg) { return 0x80 + 0x80 * x + reg; }
// Bits as RM0399 (and ST's CMSIS header) name them.
enum : uint32_t {
    CKPSC_DIV1 = 5, CKPSC_DIV2 = 6, CKPSC_DIV4 = 7, CONT = 1u << 3, RETRIG = 1u << 4,
    PSHPLL = 1u << 6, TREPU = 1u << 17, TRSTU = 1u << 18, PREEN = 1u << 27,
    MCEN = 1u << 16, TACEN = 1u << 17, MREPU = 1u << 29,
    F_CMP1 = 1u << 0, F_CMP2 = 1u << 1, F_REP = 1u << 4, F_UPD = 1u << 6, F_SET1 = 1u << 9,
    F_RST1 = 1u << 10, F_RST = 1u << 13,
    SRC_SOFT = 1u << 0, SRC_PER = 1u << 2, SRC_CMP1 = 1u << 3, SRC_CMP2 = 1u << 4,
    SRC_MSTPER = 1u << 7,
    POL1 = 1u << 1, IDLES1 = 1u << 3, DTEN = 1u << 8,
    TAUDIS = 1u << 1, TASWU = 1u << 1, TARST = 1u << 9,
    TA1OEN = 1u << 0, TA2OEN = 1u << 1,
};

struct HrtimTest : ::testing::Test {
    Stm32Hrtim h{"HRTIM1"};
    FakeTime time;
    Level irq;
    testutil::WaveSink pins; // input 2 * x + y - 1: output Txy
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        h.set_context(ctx);
        h.irq("master")->connect(&irq, 0, 103);
        h.irq("tima")->connect(&irq, 0, 104);
        h.irq("timb")->connect(&irq, 0, 105);
        for (unsigned x = 0; x < 5; x++) {
            for (unsigned y = 1; y <= 2; y++) {
                h.irq(std::string("ch") + char('a' + x) + char('0' + y))->connect_input(&pins, 2 * x + y - 1);
            }
        }
        h.reset();
    }
    uint32_t rd(uint32_t off) { return reg_read(h, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(h, off, v); }
    // HAL_HRTIM_TimeBaseConfig (continuous, DIV1, period, repetition 0) +
    // HAL_HRTIM_SimplePWMChannelConfig (output 1, polarity low, idle inactive,
    // pulse) + HAL_HRTIM_SimplePWMStart on timer x, as ST's example does them.
    void simple_pwm(unsigned x, uint32_t period, uint32_t pulse)
    {
        wr(tim(x, TIMxCR), (rd(tim(x, TIMxCR)) & ~0x1Fu) | CKPSC_DIV1 | CONT);
        wr(tim(x, PERxR), period);
        wr(tim(x, REPxR), 0);
        wr(tim(x, CMP1xR), pulse);
        (void)rd(tim(x, DTxR));
        wr(tim(x, SETx1R), SRC_CMP1);
        wr(tim(x, RSTx1R), SRC_PER);
        wr(tim(x, OUTxR), (rd(tim(x, OUTxR)) & ~0xFEu) | POL1);
        wr(tim(x, TIMxCR), rd(tim(x, TIMxCR)) | PREEN);
        wr(OENR, rd(OENR) | (TA1OEN << (2 * x)));
        wr(MCR, rd(MCR) | (TACEN << x));
    }
    // Timer A counting continuously at fHRTIM with this period, no output.
    void count_a(uint32_t period, uint32_t cr = 0)
    {
        wr(tim(0, TIMxCR), CKPSC_DIV1 | CONT | cr);
        wr(tim(0, PERxR), period);
        wr(MCR, TACEN);
    }
};

// RM0399 register map: the period registers reset to 0xFFFF, the counters are
// stopped, the outputs disabled.
TEST_F(HrtimTest, ResetValues)
{
    EXPECT_EQ(rd(MPER), 0xFFFFu);
    EXPECT_EQ(rd(tim(0, PERxR)), 0xFFFFu);
    EXPECT_EQ(rd(tim(4, PERxR)), 0xFFFFu);
    EXPECT_EQ(rd(MCR), 0u);
    EXPECT_EQ(rd(OENR), 0u);
    time.advance(1000000);
    EXPECT_EQ(rd(tim(0, CNTxR)), 0u);
}

// RM0399: this HRTIM has no delay-locked loop; offset 0x4C of the common
// registers (the DLLCR of other STM32 HRTIMs) is reserved.
TEST_F(HrtimTest, NoDllControlRegister)
{
    (void)rd(0x380 + 0x4C);
    EXPECT_TRUE(cap.has("no such register in the model"));
}

// RM0399: the counter clock is fHRTIM x 32 / 2^CKPSC: CKPSC 101 counts at
// fHRTIM, 110 at fHRTIM / 2, 111 at fHRTIM / 4.
TEST_F(HrtimTest, CounterCountsAtFhrtimDividedByThePrescaler)
{
    wr(tim(0, TIMxCR), CKPSC_DIV1 | CONT);
    wr(tim(1, TIMxCR), CKPSC_DIV2 | CONT);
    wr(tim(2, TIMxCR), CKPSC_DIV4 | CONT);
    wr(MCR, TACEN | (TACEN << 1) | (TACEN << 2));
    time.advance(1000); // 1 us = 200 ticks of 5 ns
    EXPECT_EQ(rd(tim(0, CNTxR)), 200u);
    EXPECT_EQ(rd(tim(1, CNTxR)), 100u);
    EXPECT_EQ(rd(tim(2, CNTxR)), 50u);
}

// RM0399: CKPSC codes 000-100 are reserved on this device (no DLL; the reset
// value 000 included): a counter started with one is a guest error; it counts
// at fHRTIM.
TEST_F(HrtimTest, ReservedPrescalerCodeIsAGuestError)
{
    wr(tim(0, TIMxCR), CONT);
    EXPECT_FALSE(cap.has("is reserved"));
    wr(MCR, TACEN);
    EXPECT_TRUE(cap.has("timer A counts with CKPSC = 0, reserved"));
    time.advance(100);
    EXPECT_EQ(rd(tim(0, CNTxR)), 20u);
}

// RM0399 continuous mode: the counter rolls over to 0 when it reaches the
// period value (period event): a period is PER counter ticks; the roll-over
// sets RST.
TEST_F(HrtimTest, CounterRollsOverAtThePeriodValue)
{
    count_a(100);
    time.advance(495); // tick 99
    EXPECT_EQ(rd(tim(0, CNTxR)), 99u);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_RST, 0u);
    time.advance(10); // tick 101
    EXPECT_EQ(rd(tim(0, CNTxR)), 1u);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_RST, F_RST);
}

// RM0399: a compare event when the counter reaches CMPx sets the CMPx flag; with
// CMPxIE the timer's interrupt line rises; writing 1 to xICR clears the flag.
TEST_F(HrtimTest, CompareEventSetsItsFlagAndInterrupt)
{
    wr(tim(0, CMP1xR), 15);
    wr(tim(0, TIMxDIER), F_CMP1);
    count_a(100);
    time.advance(70); // tick 14
    EXPECT_FALSE(irq.level[104]);
    time.advance(5); // tick 15: the deadline fires without any access
    EXPECT_TRUE(irq.level[104]);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_CMP1, F_CMP1);
    wr(tim(0, TIMxICR), F_CMP1);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_CMP1, 0u);
    EXPECT_FALSE(irq.level[104]);
    time.advance(500); // the next period's compare
    EXPECT_TRUE(irq.level[104]);
}

// RM0399: the repetition counter counts period events down from REP; a period
// event finding it at 0 is a repetition event (REP flag) and reloads it: one
// every REP + 1 periods.
TEST_F(HrtimTest, RepetitionEventEveryRepPlusOnePeriods)
{
    wr(tim(0, REPxR), 2);
    wr(tim(0, TIMxDIER), F_REP);
    count_a(100);
    time.advance(2 * 500 + 10);
    EXPECT_FALSE(irq.level[104]);
    time.advance(500);
    EXPECT_TRUE(irq.level[104]);
    wr(tim(0, TIMxICR), F_REP);
    time.advance(2 * 500);
    EXPECT_FALSE(irq.level[104]);
    time.advance(500);
    EXPECT_TRUE(irq.level[104]);
}

// RM0399 timer counter: flags of events nobody waits for are still set when
// they happen (here found on a read, long after).
TEST_F(HrtimTest, FlagsOfUnwatchedEventsAreSeenOnRead)
{
    wr(tim(0, CMP1xR), 50);
    count_a(100);
    time.advance(10000000);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & (F_CMP1 | F_REP | F_RST), F_CMP1 | F_REP | F_RST);
}

// RM0399 single-shot mode (CONT = 0): the counter stops at 0 when it reaches
// the period, TxCEN staying set; a software reset restarts it.
TEST_F(HrtimTest, SingleShotStopsAtThePeriodUntilAReset)
{
    wr(tim(0, TIMxCR), CKPSC_DIV1);
    wr(tim(0, PERxR), 100);
    wr(MCR, TACEN);
    time.advance(250);
    EXPECT_EQ(rd(tim(0, CNTxR)), 50u);
    time.advance(1000);
    EXPECT_EQ(rd(tim(0, CNTxR)), 0u);
    EXPECT_EQ(rd(MCR) & TACEN, TACEN);
    time.advance(1000);
    EXPECT_EQ(rd(tim(0, CNTxR)), 0u);
    wr(CR2, TARST);
    time.advance(100);
    EXPECT_EQ(rd(tim(0, CNTxR)), 20u);
}

// RM0399: a non-retriggerable single shot ignores a reset while it counts; with
// RETRIG the reset restarts it from 0.
TEST_F(HrtimTest, RetriggerableSingleShotRestartsOnReset)
{
    wr(tim(0, TIMxCR), CKPSC_DIV1);
    wr(tim(0, PERxR), 100);
    wr(MCR, TACEN);
    time.advance(250);
    wr(CR2, TARST);
    EXPECT_EQ(rd(tim(0, CNTxR)), 50u);
    wr(tim(0, TIMxCR), CKPSC_DIV1 | RETRIG);
    wr(CR2, TARST);
    EXPECT_EQ(rd(tim(0, CNTxR)), 0u);
    time.advance(100);
    EXPECT_EQ(rd(tim(0, CNTxR)), 20u);
}

// RM0399: the counter register can be written only while the timer is stopped.
TEST_F(HrtimTest, CounterIsWritableOnlyWhileStopped)
{
    wr(tim(0, CNTxR), 40);
    EXPECT_EQ(rd(tim(0, CNTxR)), 40u);
    count_a(100);
    time.advance(50);
    EXPECT_EQ(rd(tim(0, CNTxR)), 50u); // counting went on from 40
    wr(tim(0, CNTxR), 7);
    EXPECT_TRUE(cap.has("while it is enabled (ignored)"));
    EXPECT_EQ(rd(tim(0, CNTxR)), 50u);
}

// ST's HRTIM_MultiplePWM: SETx1R = CMP1, RSTx1R = PER, POL1 = 1 (active low),
// output enabled, period 100 at 200 MHz: the pin is high for CMP1 ticks of
// each 100: 2 MHz, 15 %, 25 %, 40 %, 60 %, 80 % on TA1-TE1, one waveform each.
TEST_F(HrtimTest, SimplePwmOfTheExampleGivesTheProgrammedDuty)
{
    const uint32_t pulse[5] = {15, 25, 40, 60, 80};
    for (unsigned x = 0; x < 5; x++) {
        simple_pwm(x, 100, pulse[x]);
    }
    const char *want[5] = {"pwm 15% 2 MHz", "pwm 25% 2 MHz", "pwm 40% 2 MHz", "pwm 60% 2 MHz", "pwm 80% 2 MHz"};
    for (unsigned x = 0; x < 5; x++) {
        EXPECT_EQ(pins.last[2 * x].describe(), want[x]) << "timer " << char('A' + x);
    }
    const int msgs = pins.messages[0];
    time.advance(10000000); // 20000 periods: the same waveform, no message
    (void)rd(tim(0, TIMxISR));
    EXPECT_EQ(pins.messages[0], msgs);
    // The high phase starts with the period (the counter at 0).
    const Waveform &w = pins.last[0];
    EXPECT_EQ(w.period_ns, 500u);
    EXPECT_EQ(w.high_ns, 75u);
}

// RM0399 output stage: while its output enable bit is clear the output is in
// the IDLE state, at the level IDLESy (0 inactive, 1 active) seen through the
// polarity POLy (1: active low).
TEST_F(HrtimTest, DisabledOutputShowsItsIdleLevelThroughThePolarity)
{
    EXPECT_FALSE(pins.last[0].level);
    wr(tim(0, OUTxR), POL1); // inactive, active low: high
    EXPECT_TRUE(pins.last[0].level);
    wr(tim(0, OUTxR), POL1 | IDLES1); // active, active low: low
    EXPECT_FALSE(pins.last[0].level);
    wr(tim(0, OUTxR), IDLES1);
    EXPECT_TRUE(pins.last[0].level);
}

// RM0399 output stage: an output in IDLE state is driven at its idle level
// (not floating), from the start: the pin is told before any change.
TEST_F(HrtimTest, IdleOutputsDriveTheirPinsFromTheStart)
{
    Stm32Hrtim fresh{"HRTIM1"};
    testutil::WaveSink p;
    fresh.irq("cha1")->connect_input(&p, 0);
    fresh.irq("che2")->connect_input(&p, 9);
    fresh.run_started();
    EXPECT_EQ(p.messages[0], 1);
    EXPECT_EQ(p.messages[9], 1);
    EXPECT_FALSE(p.last[0].level);
}

// RM0399 HRTIM_OENR: writing 1 enables an output, 0 has no effect, a read gives
// the enable state; HRTIM_ODISR: writing 1 disables it (back to IDLE), reads 0.
TEST_F(HrtimTest, OenrEnablesAndOdisrDisablesOutputs)
{
    wr(OENR, TA1OEN | TA2OEN);
    wr(OENR, 0);
    EXPECT_EQ(rd(OENR), TA1OEN | TA2OEN);
    wr(ODISR, TA1OEN);
    EXPECT_EQ(rd(OENR), TA2OEN);
    EXPECT_EQ(rd(ODISR), 0u);
    EXPECT_EQ(rd(ODSR), 0u);
}

// RM0399: disabling a running output puts it back at its idle level.
TEST_F(HrtimTest, DisablingAPwmOutputReturnsToIdle)
{
    simple_pwm(0, 100, 15);
    EXPECT_TRUE(pins.last[0].periodic());
    wr(ODISR, TA1OEN);
    EXPECT_FALSE(pins.last[0].periodic());
    EXPECT_TRUE(pins.last[0].level); // idle inactive, active low
}

// RM0399 preload (PREEN = 1): a compare value written goes to the preload
// register and takes effect at an update event; the software update
// (HRTIM_CR2.TxSWU) transfers it at once and sets UPD.
TEST_F(HrtimTest, PreloadedCompareWaitsForTheSoftwareUpdate)
{
    simple_pwm(0, 100, 15);
    wr(tim(0, CMP1xR), 50);
    EXPECT_EQ(rd(tim(0, CMP1xR)), 50u); // the preload register reads back
    time.advance(5000);
    (void)rd(tim(0, TIMxISR));
    EXPECT_EQ(pins.last[0].describe(), "pwm 15% 2 MHz");
    wr(CR2, TASWU);
    EXPECT_EQ(pins.last[0].describe(), "pwm 50% 2 MHz");
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_UPD, F_UPD);
}

// RM0399 TxREPU: with preload, the update takes place at the repetition event
// (here every period), not before: the new duty starts with the next period.
TEST_F(HrtimTest, RepetitionUpdateTransfersAtTheRepetitionEvent)
{
    simple_pwm(0, 100, 15);
    wr(tim(0, TIMxCR), rd(tim(0, TIMxCR)) | TREPU);
    time.advance(1100); // 0.2 period into the third period
    wr(tim(0, CMP1xR), 60);
    time.advance(395); // just before the period ends
    EXPECT_EQ(pins.last[0].describe(), "pwm 15% 2 MHz");
    time.advance(10);
    EXPECT_EQ(pins.last[0].describe(), "pwm 60% 2 MHz");
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_UPD, F_UPD);
}

// RM0399 HRTIM_CR1.TxUDIS: the automatic updates of timer x are disabled while
// it is set; once cleared, the next update event transfers.
TEST_F(HrtimTest, UpdateDisableHoldsBackTheTransfer)
{
    simple_pwm(0, 100, 15);
    wr(tim(0, TIMxCR), rd(tim(0, TIMxCR)) | TREPU);
    wr(CR1, TAUDIS);
    wr(tim(0, CMP1xR), 60);
    time.advance(5000);
    (void)rd(tim(0, TIMxISR));
    EXPECT_EQ(pins.last[0].describe(), "pwm 15% 2 MHz");
    wr(CR1, 0);
    time.advance(500);
    EXPECT_EQ(pins.last[0].describe(), "pwm 60% 2 MHz");
}

// RM0399: without preload (PREEN = 0) a written period or compare value is
// active at once.
TEST_F(HrtimTest, WithoutPreloadWritesAreActiveAtOnce)
{
    simple_pwm(0, 100, 15);
    wr(tim(0, TIMxCR), rd(tim(0, TIMxCR)) & ~PREEN);
    wr(tim(0, PERxR), 200);
    EXPECT_EQ(pins.last[0].describe(), "pwm 7.5% 1 MHz");
}

// RM0399 TxRSTU: an update at each counter reset / roll-over.
TEST_F(HrtimTest, ResetUpdateTransfersAtTheRollOver)
{
    simple_pwm(0, 100, 15);
    wr(tim(0, TIMxCR), rd(tim(0, TIMxCR)) | TRSTU);
    wr(tim(0, CMP1xR), 25);
    time.advance(500);
    EXPECT_EQ(pins.last[0].describe(), "pwm 25% 2 MHz");
}

// RM0399 HRTIM_CMP1CxR: the compare 1 value and the repetition value in one
// word: it writes and reads CMP1xR and REPxR.
TEST_F(HrtimTest, CompoundRegisterIsCmp1AndRep)
{
    wr(tim(1, CMP1CxR), (3u << 16) | 1234);
    EXPECT_EQ(rd(tim(1, CMP1xR)), 1234u);
    EXPECT_EQ(rd(tim(1, REPxR)), 3u);
    wr(tim(1, CMP1xR), 77);
    EXPECT_EQ(rd(tim(1, CMP1CxR)), (3u << 16) | 77);
}

// RM0399 SETxyR.SST / RSTxyR.SRT: software forces the output active /
// inactive (set/reset flags too); the bits read 0.
TEST_F(HrtimTest, SoftwareSetAndResetForceTheOutput)
{
    wr(OENR, TA1OEN);
    EXPECT_FALSE(pins.last[0].level);
    wr(tim(0, SETx1R), SRC_SOFT);
    EXPECT_TRUE(pins.last[0].level);
    EXPECT_EQ(rd(tim(0, SETx1R)), 0u);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_SET1, F_SET1);
    wr(tim(0, RSTx1R), SRC_SOFT);
    EXPECT_FALSE(pins.last[0].level);
    EXPECT_EQ(rd(tim(0, TIMxISR)) & F_RST1, F_RST1);
}

// RM0399 crossbar: an event selected both to set and to reset an output
// toggles it: a square wave of two periods.
TEST_F(HrtimTest, SameEventInSetAndResetToggles)
{
    wr(tim(0, CMP1xR), 30);
    wr(tim(0, SETx1R), SRC_CMP1);
    wr(tim(0, RSTx1R), SRC_CMP1);
    wr(OENR, TA1OEN);
    count_a(100);
    EXPECT_EQ(pins.last[0].describe(), "pwm 50% 1 MHz");
}

// RM0399 crossbar: set and reset requests from different events at the same
// time: the reset has priority.
TEST_F(HrtimTest, SimultaneousSetAndResetResetWins)
{
    wr(tim(0, CMP1xR), 0); // the compare matches at the roll-over
    wr(tim(0, SETx1R), SRC_PER);
    wr(tim(0, RSTx1R), SRC_CMP1);
    wr(OENR, TA1OEN);
    count_a(100);
    time.advance(10000);
    (void)rd(tim(0, TIMxISR));
    EXPECT_FALSE(pins.last[0].periodic());
    EXPECT_FALSE(pins.last[0].level);
}

// RM0399 crossbar: output 2 has its own set/reset registers; a waveform
// starting with the compare events (set on CMP1, reset on CMP2).
TEST_F(HrtimTest, SecondOutputFollowsItsOwnCrossbar)
{
    wr(tim(0, CMP1xR), 20);
    wr(tim(0, CMP2xR), 70);
    wr(tim(0, SETx2R), SRC_CMP1);
    wr(tim(0, RSTx2R), SRC_CMP2);
    wr(OENR, TA2OEN);
    count_a(100);
    const Waveform &w = pins.last[1];
    EXPECT_EQ(w.describe(), "pwm 50% 2 MHz");
    EXPECT_TRUE(w.level_at(1000 + 20 * 5));   // counting started at 1000 ns
    EXPECT_FALSE(w.level_at(1000 + 19 * 5));
    EXPECT_FALSE(w.level_at(1000 + 70 * 5));
}

// A set-only output reaches its level at the event (a deadline, no access).
TEST_F(HrtimTest, SetOnlyOutputChangesAtItsEvent)
{
    wr(tim(0, CMP1xR), 40);
    wr(tim(0, SETx1R), SRC_CMP1);
    wr(OENR, TA1OEN);
    count_a(100);
    EXPECT_FALSE(pins.last[0].level);
    time.advance(195);
    EXPECT_FALSE(pins.last[0].level);
    time.advance(5);
    EXPECT_TRUE(pins.last[0].level);
}

// RM0399: the master timer counts like the timing units: MCEN, MPER, MCMPx
// with the MCMPxIE interrupt on HRTIM1_Master.
TEST_F(HrtimTest, MasterTimerComparesAndInterrupts)
{
    wr(MCR, CKPSC_DIV2 | CONT);
    wr(MPER, 1000);
    wr(MCMP1R, 300);
    wr(MDIER, F_CMP1);
    wr(MCR, CKPSC_DIV2 | CONT | MCEN);
    time.advance(2990);
    EXPECT_FALSE(irq.level[103]);
    time.advance(10);
    EXPECT_TRUE(irq.level[103]);
    EXPECT_EQ(rd(MCNTR), 300u);
    wr(MICR, F_CMP1);
    EXPECT_FALSE(irq.level[103]);
}

// RM0399 MREPU: the master's preloaded registers update at its repetition
// event (MREP 0: every period; MREP and MUPD flags).
TEST_F(HrtimTest, MasterRepetitionUpdate)
{
    wr(MCR, CKPSC_DIV1 | CONT | PREEN | MREPU);
    wr(MPER, 100); // preloaded: the active period is still 0xFFFF
    wr(MCR, CKPSC_DIV1 | CONT | PREEN | MREPU | MCEN);
    time.advance(65534 * 5);
    EXPECT_EQ(rd(MCNTR), 65534u);
    EXPECT_EQ(rd(MISR) & (F_REP | F_UPD), 0u);
    time.advance(10);
    EXPECT_EQ(rd(MISR) & (F_REP | F_UPD), F_REP | F_UPD);
    EXPECT_EQ(rd(MCNTR), 1u);
    time.advance(500); // 100 ticks: one new period
    EXPECT_EQ(rd(MCNTR), 1u);
}

// RM0399 RCC: fHRTIM follows the kernel clock; the model takes a change at its
// next access, from the last counter tick on.
TEST_F(HrtimTest, KernelClockChangeChangesTheRate)
{
    count_a(0xFFFF);
    time.advance(1000);
    EXPECT_EQ(rd(tim(0, CNTxR)), 200u);
    time.rate = 400000000;
    (void)rd(ISR);
    time.advance(1000);
    EXPECT_EQ(rd(tim(0, CNTxR)), 600u);
}

// Features the model does not have are stored and reported once: dead time,
// push-pull, master-period crossbar source, external events.
TEST_F(HrtimTest, UnmodelledFeaturesAreReported)
{
    wr(tim(0, OUTxR), DTEN);
    EXPECT_TRUE(cap.has("HRTIM1.OUTAR.DTEN"));
    EXPECT_EQ(rd(tim(0, OUTxR)), DTEN);
    wr(tim(0, TIMxCR), PSHPLL);
    EXPECT_TRUE(cap.has("HRTIM1.TIMACR.PSHPLL"));
    wr(tim(0, SETx1R), SRC_MSTPER);
    EXPECT_TRUE(cap.has("HRTIM1.SETA1R.MSTPER"));
    wr(EECR1, 1);
    EXPECT_TRUE(cap.has("HRTIM1.EECR1"));
}

// An output making several pulses per period is not one waveform: reported.
TEST_F(HrtimTest, SeveralPulsesPerPeriodAreReported)
{
    wr(tim(0, CMP1xR), 10);
    wr(tim(0, CMP2xR), 20);
    wr(tim(0, SETx1R), SRC_PER | SRC_CMP2);
    wr(tim(0, RSTx1R), SRC_CMP1);
    wr(tim(0, RSTx2R), 0);
    wr(0x80 + 0x2C, 60); // CMP4AR
    wr(tim(0, RSTx1R), SRC_CMP1 | (SRC_CMP1 << 3));
    wr(OENR, TA1OEN);
    count_a(100);
    EXPECT_TRUE(cap.has("several pulses per period"));
}

// RM0399 HRTIM_ISR / HRTIM_IER: fault and burst-mode flags drive HRTIM1_FLT;
// the model never sets them.
TEST_F(HrtimTest, CommonFlagsStayClear)
{
    wr(IER, 0x2003F);
    simple_pwm(0, 100, 15);
    time.advance(100000);
    EXPECT_EQ(rd(ISR), 0u);
}

} // namespace
