// STM32H7 low-power timer, one RM0399 rule per test (RM0399 Rev 4, "Low-power
// timer (LPTIM)"; rules paraphrased, quoted where short).  Kernel clock
// 32.768 kHz (the LSE) unless a test turns it off.
#include "bus.h"
#include "fake_time.h"
#include "machine.h"
#include "models/stm32_lptim.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    uint64_t rate = 32768;
    ClockId clock_id(const std::string &) const override { return 0; }
    uint64_t hz(ClockId) const override { return rate; }
};

struct Level : IrqSink {
    bool level = false;
    int raises = 0;
    void set_irq(CoreId, unsigned, bool l) override
    {
        raises += l && !level;
        level = l;
    }
    void send_event(CoreId) override {}
};

constexpr uint64_t TICK = 1000000000ull / 32768; // ~30.5 us (rounded down)
constexpr uint64_t TICK_PS = 1000000000000ull / 32768; // the model's tick, in ps
enum : uint32_t {
    ISR = 0x00, ICR = 0x04, IER = 0x08, CFGR = 0x0C, CR = 0x10, CMP = 0x14, ARR = 0x18, CNT = 0x1C,
    CFGR2 = 0x24,
};
enum : uint32_t {
    CMPM = 1u << 0, ARRM = 1u << 1, EXTTRIG = 1u << 2, CMPOK = 1u << 3, ARROK = 1u << 4,
    ENABLE = 1u << 0, SNGSTRT = 1u << 1, CNTSTRT = 1u << 2, COUNTRST = 1u << 3,
    CKSEL = 1u << 0, CKPOL_FALLING = 1u << 1, CKPOL_BOTH = 2u << 1, CKPOL_RESERVED = 3u << 1,
    TRIGEN_RISING = 1u << 17, TRIGEN_FALLING = 2u << 17, TIMOUT = 1u << 19, WAVE = 1u << 20,
    WAVPOL = 1u << 21, PRELOAD = 1u << 22, COUNTMODE = 1u << 23,
};
constexpr uint32_t presc(uint32_t v) { return v << 9; }
constexpr uint32_t trigsel(uint32_t v) { return v << 13; }
enum : unsigned { IN1 = Stm32Lptim::IN_IN1, ETR = Stm32Lptim::IN_ETR };

struct LptimTest : ::testing::Test {
    Stm32Lptim t{"LPTIM1"};
    FakeTime time;
    Level irq, wkup;
    testutil::WaveSink pins; // input 0: what LPTIM_OUT drives
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        t.set_context(ctx);
        t.configure({{"clock", "lptim1"}}, {"cm7", "cm4"});
        t.irq("irq")->connect(&irq, 1, 93);
        t.irq("wkup")->connect(&wkup, 1, 0);
        t.irq("out")->connect_input(&pins, 0);
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(t, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(t, off, v); }
    // HAL_LPTIM_Counter_Start_IT: IER while disabled, enable, ARR, start.
    void start(uint32_t arr, uint32_t ier = ARRM)
    {
        wr(IER, ier);
        wr(CR, ENABLE);
        wr(ARR, arr);
        wr(CR, ENABLE | CNTSTRT);
    }
    // The same with CMP (HAL_LPTIM_PWM_Start / OnePulse / SetOnce): CFGR first.
    void start_wave(uint32_t cfgr, uint32_t arr, uint32_t cmp, uint32_t startbit)
    {
        wr(CFGR, cfgr);
        wr(CR, ENABLE);
        wr(ARR, arr);
        wr(CMP, cmp);
        wr(CR, ENABLE | startbit);
    }
    // Pulses on a pin: a rising then a falling edge each.
    void pulses(unsigned in, unsigned n)
    {
        for (unsigned i = 0; i < n; i++) {
            t.input(in, true);
            t.input(in, false);
        }
    }
    bool out() const { return pins.last.count(0) && pins.last.at(0).level; }
};

// RM0399 "LPTIM continuous mode": the counter counts from 0 to ARR; ARRM is
// set when it reaches ARR, and the interrupt line (and the EXTI wake-up
// line) follows ISR & IER.
TEST_F(LptimTest, ArrMatchEveryPeriod)
{
    start(32767); // 32768 ticks = 1 s
    time.advance(32766 * TICK);
    EXPECT_FALSE(rd(ISR) & ARRM);
    time.advance(3 * TICK);
    EXPECT_TRUE(rd(ISR) & ARRM);
    EXPECT_TRUE(irq.level);
    EXPECT_TRUE(wkup.level);
    wr(ICR, ARRM);
    EXPECT_FALSE(irq.level);
    time.advance(32768 * TICK + 2 * TICK);
    EXPECT_TRUE(rd(ISR) & ARRM) << "continuous: again one period later";
}

// RM0399 LPTIM_CNT counts the kernel clock divided by 2^PRESC.
TEST_F(LptimTest, CounterFollowsThePrescaler)
{
    wr(CFGR, 3u << 9); // / 8
    start(0xFFFF, 0);
    time.advance(800 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 100u);
}

// RM0399: CMPM is set when the counter equals CMP.
TEST_F(LptimTest, CompareMatch)
{
    wr(IER, CMPM);
    wr(CR, ENABLE);
    wr(ARR, 1000);
    wr(CMP, 100);
    wr(CR, ENABLE | CNTSTRT);
    time.advance(99 * TICK);
    EXPECT_FALSE(rd(ISR) & CMPM);
    time.advance(2 * TICK);
    EXPECT_TRUE(rd(ISR) & CMPM);
    EXPECT_FALSE(rd(ISR) & ARRM);
    EXPECT_TRUE(irq.level);
}

// RM0399 "LPTIM one-shot mode" (SNGSTRT): one period, then the counter stops.
TEST_F(LptimTest, SingleModeStopsAfterOnePeriod)
{
    wr(IER, ARRM);
    wr(CR, ENABLE);
    wr(ARR, 100);
    wr(CR, ENABLE | SNGSTRT);
    time.advance(102 * TICK);
    EXPECT_TRUE(rd(ISR) & ARRM);
    wr(ICR, ARRM);
    time.advance(1000 * TICK);
    EXPECT_FALSE(rd(ISR) & ARRM);
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 LPTIM_ARR / LPTIM_CMP: written only while ENABLE = 1; ARROK / CMPOK
// tell the write reached the counter.  CFGR and IER only while ENABLE = 0.
TEST_F(LptimTest, RegisterWriteConditionsAndOkFlags)
{
    wr(ARR, 50);
    EXPECT_EQ(rd(ARR), 1u) << "disabled: ARR write ignored";
    EXPECT_TRUE(cap.has("only when CR.ENABLE = 1"));
    wr(CR, ENABLE);
    wr(ARR, 50);
    wr(CMP, 10);
    EXPECT_EQ(rd(ARR), 50u);
    EXPECT_EQ(rd(ISR) & (ARROK | CMPOK), ARROK | CMPOK);
    wr(ICR, ARROK | CMPOK);
    EXPECT_EQ(rd(ISR) & (ARROK | CMPOK), 0u);
    wr(IER, ARRM);
    EXPECT_EQ(rd(IER), 0u) << "enabled: IER write ignored";
    wr(CFGR, 1u << 9);
    EXPECT_EQ(rd(CFGR), 0u);
}

// RM0399 LPTIM_CR.COUNTRST resets the counter (and clears itself); clearing
// ENABLE stops the timer.
TEST_F(LptimTest, CountrstAndDisable)
{
    start(0xFFFF, 0);
    time.advance(500 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 500u);
    wr(CR, ENABLE | CNTSTRT | COUNTRST);
    EXPECT_EQ(rd(CNT), 0u);
    EXPECT_FALSE(rd(CR) & COUNTRST);
    wr(CR, 0);
    time.advance(500 * TICK);
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 LPTIM_ARR reset value 0x0000 0001.
TEST_F(LptimTest, ResetValues)
{
    EXPECT_EQ(rd(ARR), 1u);
    EXPECT_EQ(rd(CNT), 0u);
    EXPECT_EQ(rd(ISR), 0u);
}


// RM0399 LPTIM_CR: SNGSTRT, CNTSTRT and COUNTRST are "set by software and
// cleared by hardware".
TEST_F(LptimTest, StartBitsAreClearedByHardware)
{
    start(100, 0);
    EXPECT_EQ(rd(CR), ENABLE);
    time.advance(10 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 10u) << "the counter runs although CNTSTRT reads 0";
}

// RM0399 LPTIM_CFGR.PRELOAD: "1: registers are updated at the end of the
// current LPTIM period"; 0: after each APB write.
TEST_F(LptimTest, PreloadAppliesArrAtTheEndOfThePeriod)
{
    wr(CFGR, PRELOAD);
    start(99);
    time.advance(10 * TICK);
    wr(ARR, 49);
    time.advance(89 * TICK + TICK / 2); // count 99: CNT reaches the old ARR
    EXPECT_TRUE(rd(ISR) & ARRM);
    wr(ICR, ARRM);
    time.advance(49 * TICK); // count 148: CNT 48 in the new period (0 at count 100)
    EXPECT_FALSE(rd(ISR) & ARRM);
    EXPECT_EQ(rd(CNT), 48u);
    time.advance(TICK); // count 149: CNT reaches the new ARR, 49
    EXPECT_TRUE(rd(ISR) & ARRM);
}

// RM0399 "LPTIM counter mode", CKSEL = 0, COUNTMODE = 1: "The LPTIM external
// Input1 is sampled with the internal clock provided to the LPTIM"; the
// counter is incremented following each valid pulse on Input1 (CKPOL = 00:
// rising edges).  ARRM when CNT reaches ARR, then it restarts from 0.
TEST_F(LptimTest, CountmodeCountsRisingEdgesOfInput1)
{
    wr(CFGR, COUNTMODE);
    start(4);
    time.advance(1000 * TICK);
    EXPECT_EQ(rd(CNT), 0u) << "the internal clock does not count";
    pulses(IN1, 3);
    EXPECT_EQ(rd(CNT), 3u);
    t.input(IN1, true);
    EXPECT_EQ(rd(CNT), 4u);
    EXPECT_TRUE(rd(ISR) & ARRM);
    EXPECT_TRUE(irq.level);
    t.input(IN1, false);
    EXPECT_EQ(rd(CNT), 4u) << "falling edges do not count";
    wr(ICR, ARRM);
    pulses(IN1, 1);
    EXPECT_EQ(rd(CNT), 0u);
    EXPECT_FALSE(rd(ISR) & ARRM);
}

// RM0399 LPTIM_CFGR.CKPOL: "01: the counter is clocked on the falling edge;
// 10: both edges are active edges".
TEST_F(LptimTest, CkpolSelectsFallingOrBothEdges)
{
    wr(CFGR, COUNTMODE | CKPOL_FALLING);
    start(100);
    t.input(IN1, true);
    EXPECT_EQ(rd(CNT), 0u);
    t.input(IN1, false);
    EXPECT_EQ(rd(CNT), 1u);
    wr(CR, 0);
    wr(CFGR, COUNTMODE | CKPOL_BOTH);
    start(100);
    pulses(IN1, 3);
    EXPECT_EQ(rd(CNT), 6u);
}

// RM0399 CFGR.CKPOL = 11 "not allowed": a guest error, no edge counts.
TEST_F(LptimTest, CkpolElevenIsAGuestError)
{
    wr(CFGR, COUNTMODE | CKPOL_RESERVED);
    EXPECT_TRUE(cap.has("CKPOL = 11 is not allowed"));
    start(100);
    pulses(IN1, 3);
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 "LPTIM counter mode": with COUNTMODE = 1 Input1 is sampled with the
// internal clock: without one (the kernel clock off) no edge is seen.
TEST_F(LptimTest, CountmodeNeedsTheInternalClock)
{
    time.rate = 0;
    wr(CFGR, COUNTMODE);
    start(100);
    pulses(IN1, 5);
    EXPECT_EQ(rd(CNT), 0u);
    time.rate = 32768;
    pulses(IN1, 5);
    EXPECT_EQ(rd(CNT), 5u);
}

// RM0399 "LPTIM counter mode": with COUNTMODE = 1 "the internal clock provided
// to the LPTIM must not be prescaled (PRESC[2:0] = 000)".
TEST_F(LptimTest, CountmodeWithAPrescalerIsAGuestError)
{
    wr(CFGR, COUNTMODE | presc(1));
    EXPECT_TRUE(cap.has("must not be prescaled"));
}

// RM0399 "LPTIM counter mode", CKSEL = 1: the LPTIM needs no internal clock;
// "the first five active edges on the LPTIM external Input1 (after LPTIM is
// enabled) are lost".
TEST_F(LptimTest, ExternalClockLosesTheFirstFiveEdges)
{
    time.rate = 0; // no internal clock at all
    wr(CFGR, CKSEL);
    wr(CR, ENABLE);
    pulses(IN1, 3); // enabled, not started: they still clock the kernel logic
    wr(ARR, 100);
    wr(CR, ENABLE | CNTSTRT);
    pulses(IN1, 2);
    EXPECT_EQ(rd(CNT), 0u) << "five edges lost";
    pulses(IN1, 7);
    EXPECT_EQ(rd(CNT), 7u);
    time.advance(1000 * TICK);
    EXPECT_EQ(rd(CNT), 7u);
    wr(CR, 0); // disabled and enabled again: five more are lost
    start(100);
    pulses(IN1, 6);
    EXPECT_EQ(rd(CNT), 1u);
}

// RM0399 "LPTIM counter mode", CKSEL = 1: "the LPTIM counter can be updated
// either on rising edges or falling edges of the input1 clock signal but not
// on both".
TEST_F(LptimTest, ExternalClockOnBothEdgesIsAGuestError)
{
    wr(CFGR, CKSEL | CKPOL_BOTH);
    EXPECT_TRUE(cap.has("not both"));
}

// RM0399 "LPTIM prescaler": the counter is preceded by a 2^PRESC prescaler;
// with CKSEL = 1 it divides the Input1 clock.
TEST_F(LptimTest, ExternalClockIsPrescaled)
{
    wr(CFGR, CKSEL | presc(2)); // / 4
    start(100);
    pulses(IN1, 5 + 4 * 3 + 2);
    EXPECT_EQ(rd(CNT), 3u);
}

// RM0399 LPTIM_CFGR2.IN1SEL: 00 selects the LPTIM_IN1 pin; the comparator
// outputs (01 ...) are not modelled: reported, and the pin is no longer counted.
TEST_F(LptimTest, In1selOtherThanThePinIsReported)
{
    wr(CFGR, COUNTMODE);
    wr(CFGR2, 1);
    EXPECT_TRUE(cap.has("CFGR2.IN1SEL: stored, but its effect is not modelled"));
    start(100);
    pulses(IN1, 3);
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 "Trigger multiplexer": with TRIGEN != 00 the counter starts "as soon
// as an active edge is detected" on the trigger TRIGSEL selects (0: the
// LPTIM_ETR pin); "a two-counter-clock period latency is needed before the
// timer starts running"; ISR.EXTTRIG is set.
TEST_F(LptimTest, TriggerEdgeStartsTheCounterTwoClocksLater)
{
    wr(CFGR, TRIGEN_RISING | trigsel(0));
    wr(IER, EXTTRIG);
    start(1000, EXTTRIG);
    time.advance(100 * TICK);
    EXPECT_EQ(rd(CNT), 0u) << "CNTSTRT only chose the mode";
    EXPECT_FALSE(rd(ISR) & EXTTRIG);
    t.input(ETR, true);
    EXPECT_TRUE(rd(ISR) & EXTTRIG);
    EXPECT_TRUE(irq.level);
    time.advance(2 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 0u);
    time.advance(TICK);
    EXPECT_EQ(rd(CNT), 1u);
}

// RM0399 "Trigger multiplexer": "If a new trigger event occurs when the timer
// is already started it will be ignored"; EXTTRIG: "If the trigger is ignored
// because the timer has already started, then this flag is not set".
// TRIGEN = 10: falling edges.
TEST_F(LptimTest, TriggerOnFallingEdgesIgnoredOnceStarted)
{
    wr(CFGR, TRIGEN_FALLING);
    start(1000, 0);
    t.input(ETR, true);
    EXPECT_FALSE(rd(ISR) & EXTTRIG);
    t.input(ETR, false);
    EXPECT_TRUE(rd(ISR) & EXTTRIG);
    wr(ICR, EXTTRIG);
    time.advance(52 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 50u);
    pulses(ETR, 1);
    EXPECT_FALSE(rd(ISR) & EXTTRIG);
    EXPECT_EQ(rd(CNT), 50u);
}

// RM0399 "Trigger multiplexer": TRIGSEL selects one of eight trigger inputs;
// only lptim_ext_trig0 (the LPTIM_ETR pin) is modelled: the others (RTC
// alarms and tampers, comparators) are reported.
TEST_F(LptimTest, OtherTriggerSourcesAreReported)
{
    wr(CFGR, TRIGEN_RISING | trigsel(1));
    EXPECT_TRUE(cap.has("lptim_ext_trig1"));
    start(1000, 0);
    pulses(ETR, 1);
    time.advance(10 * TICK);
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 "Timeout function": "The first trigger event will start the timer,
// any successive trigger event will reset the counter and the timer will
// restart"; "if no trigger occurs within the expected time frame, the MCU is
// waked-up by the compare match event".
TEST_F(LptimTest, TimeoutModeTriggerResetsTheCounter)
{
    wr(CFGR, TIMOUT | TRIGEN_RISING);
    wr(IER, CMPM);
    wr(CR, ENABLE);
    wr(ARR, 1000);
    wr(CMP, 100);
    wr(CR, ENABLE | CNTSTRT);
    for (int i = 0; i < 5; i++) {
        pulses(ETR, 1);
        EXPECT_TRUE(rd(ISR) & EXTTRIG) << "a trigger that resets the counter is not ignored";
        wr(ICR, EXTTRIG);
        time.advance(80 * TICK);
    }
    EXPECT_FALSE(rd(ISR) & CMPM) << "kept below CMP by the triggers";
    time.advance(21 * TICK); // count 99 after the last trigger's 2-clock latency
    EXPECT_FALSE(rd(ISR) & CMPM);
    time.advance(2 * TICK);
    EXPECT_TRUE(rd(ISR) & CMPM);
    EXPECT_TRUE(irq.level);
}

// RM0399 "One-shot mode": "each external trigger event arriving after the
// SNGSTRT bit is set, and after the counter register has stopped (contains
// zero value), will start the counter for a new one-shot counting cycle".
TEST_F(LptimTest, OneShotRestartsOnEachTriggerAfterItStopped)
{
    wr(CFGR, TRIGEN_RISING);
    wr(CR, ENABLE);
    wr(ARR, 10);
    wr(CR, ENABLE | SNGSTRT);
    for (int i = 0; i < 2; i++) {
        pulses(ETR, 1);
        EXPECT_TRUE(rd(ISR) & EXTTRIG);
        wr(ICR, EXTTRIG | ARRM);
        time.advance(5 * TICK);
        pulses(ETR, 1);
        EXPECT_FALSE(rd(ISR) & EXTTRIG) << "ignored while counting";
        time.advance(20 * TICK);
        EXPECT_TRUE(rd(ISR) & ARRM);
        EXPECT_EQ(rd(CNT), 0u) << "stopped";
    }
}

// RM0399 "Set-once mode activated": "the counter is only started once
// following the first trigger, and any subsequent trigger event is discarded".
TEST_F(LptimTest, SetOnceStartsOnlyOnTheFirstTrigger)
{
    wr(CFGR, TRIGEN_RISING | WAVE);
    wr(CR, ENABLE);
    wr(ARR, 10);
    wr(CR, ENABLE | SNGSTRT);
    pulses(ETR, 1);
    time.advance(20 * TICK);
    EXPECT_TRUE(rd(ISR) & ARRM);
    wr(ICR, EXTTRIG | ARRM);
    pulses(ETR, 1);
    EXPECT_FALSE(rd(ISR) & EXTTRIG);
    time.advance(20 * TICK);
    EXPECT_FALSE(rd(ISR) & ARRM);
}

// RM0399 LPTIM_CR.SNGSTRT: "If this bit is set when the LPTIM is in
// continuous counting mode, then the LPTIM will stop at the following match
// between LPTIM_ARR and LPTIM_CNT registers".
TEST_F(LptimTest, SngstrtDuringContinuousStopsAtTheNextMatch)
{
    start(100);
    time.advance(150 * TICK);
    wr(ICR, ARRM);
    wr(CR, ENABLE | SNGSTRT);
    time.advance(60 * TICK); // count 210: the match at 201 came
    EXPECT_TRUE(rd(ISR) & ARRM);
    EXPECT_EQ(rd(CNT), 0u);
    time.advance(200 * TICK);
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 "Waveform generation", PWM mode: "the LPTIM output is set as soon as
// the counter value in LPTIM_CNT exceeds the compare value in LPTIM_CMP" and
// reset at the end of the period: high ARR - CMP of every ARR + 1 counter
// clocks (ST's LPTIM_PWM examples: duty = 1 - (CMP + 1) / (ARR + 1)).
TEST_F(LptimTest, PwmOutputIsOnePeriodicWaveform)
{
    const uint64_t t0 = time.now;
    start_wave(0, 99, 49, CNTSTRT);
    ASSERT_TRUE(pins.last.count(0));
    const Waveform w = pins.last.at(0);
    ASSERT_TRUE(w.periodic());
    EXPECT_EQ(w.period_ns, (100 * TICK_PS + 500) / 1000);
    EXPECT_EQ(w.high_ns, (50 * TICK_PS + 500) / 1000);
    EXPECT_FALSE(w.level_at(t0 + 49 * TICK + TICK / 2)); // CNT = 49 = CMP
    EXPECT_TRUE(w.level_at(t0 + 50 * TICK + TICK / 2));  // CNT = 50 > CMP
    EXPECT_TRUE(w.level_at(t0 + 99 * TICK + TICK / 2));  // CNT = ARR
    EXPECT_FALSE(w.level_at(t0 + 100 * TICK + TICK / 2)); // CNT = 0 again
    const int msgs = pins.messages[0];
    time.advance(1000 * TICK);
    EXPECT_EQ(pins.messages[0], msgs) << "one message for the whole signal, not one per edge";
    wr(CR, 0);
    EXPECT_FALSE(pins.last.at(0).periodic());
    EXPECT_FALSE(out());
}

// RM0399 LPTIM_CFGR.WAVPOL: "1: The LPTIM output reflects the inverse of the
// compare results"; "The change takes effect immediately, so the output
// default value will change immediately after the polarity is re-configured,
// even before the timer is enabled."
TEST_F(LptimTest, WavpolInvertsTheOutputEvenBeforeEnable)
{
    EXPECT_FALSE(out());
    wr(CFGR, WAVPOL);
    EXPECT_TRUE(out());
    const uint64_t t0 = time.now;
    start_wave(WAVPOL, 99, 49, CNTSTRT);
    const Waveform w = pins.last.at(0);
    EXPECT_TRUE(w.level_at(t0 + 10 * TICK + TICK / 2));
    EXPECT_FALSE(w.level_at(t0 + 60 * TICK + TICK / 2));
    wr(CR, 0);
    EXPECT_FALSE(pins.last.at(0).periodic());
    EXPECT_TRUE(out()) << "disabled again: the default level WAVPOL gives";
}

// RM0399 "Waveform generation", one-pulse mode (WAVE = 0, SNGSTRT): "the
// output waveform is similar to the one of the PWM mode for the first pulse,
// then the output is permanently reset".
TEST_F(LptimTest, OnePulseOutput)
{
    start_wave(0, 99, 49, SNGSTRT);
    time.advance(49 * TICK + TICK / 2);
    EXPECT_FALSE(out());
    time.advance(TICK);
    EXPECT_TRUE(out());
    time.advance(49 * TICK); // count 99.5: CNT = ARR
    EXPECT_TRUE(out());
    time.advance(TICK);
    EXPECT_FALSE(out());
    time.advance(500 * TICK);
    EXPECT_FALSE(out());
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 "Waveform generation", set-once mode (WAVE = 1): "similar to the
// One-pulse mode except that the output is kept to the last signal level".
TEST_F(LptimTest, SetOnceOutputStaysSet)
{
    start_wave(WAVE, 99, 49, SNGSTRT);
    time.advance(49 * TICK + TICK / 2);
    EXPECT_FALSE(out());
    time.advance(TICK);
    EXPECT_TRUE(out());
    time.advance(500 * TICK);
    EXPECT_TRUE(out()) << "kept after the counter stopped";
    wr(CR, 0);
    EXPECT_FALSE(out()) << "until the LPTIM is disabled";
}

// RM0399 "Waveform generation": the waveforms need ARR > CMP; with CMP >= ARR
// the counter never exceeds CMP and the output stays reset.
TEST_F(LptimTest, CmpNotBelowArrKeepsTheOutputLow)
{
    start_wave(0, 50, 50, CNTSTRT);
    EXPECT_FALSE(pins.last.count(0) && pins.last.at(0).periodic());
    for (int i = 0; i < 4; i++) {
        time.advance(30 * TICK);
        EXPECT_FALSE(out()) << "CNT " << rd(CNT);
    }
}

// ST's DMAMUX_RequestGen (H745I/H747I-DISCO) triggers DMAMUX2's request
// generator on LPTIM2's output: LSE / 4 (PRESC = 010), ARR = 16384, CMP =
// 8192, WAVPOL, PRELOAD: RM0399 "LPTIM prescaler" f / 2^PRESC, a period of
// ARR + 1 counts = 16385 * 4 / 32768 s = 2.000122 s, and the inverted output
// (high while CNT <= CMP) rises at each period's start, the first time one
// period after CNTSTRT: none at CNTSTRT itself, where it was high already
// (each rising edge is a DMAMUX trigger).  The count is kept in ps, so the
// period is not a rounded-ns tick times 16385.
TEST_F(LptimTest, TwoSecondPeriodOnTheLseDividedByFour)
{
    const uint64_t t0 = time.now;
    start_wave(presc(2) | WAVPOL | PRELOAD, 16384, 8192, CNTSTRT);
    const Waveform w = pins.last.at(0);
    ASSERT_TRUE(w.periodic());
    EXPECT_EQ(w.period_ns, (16385 * (TICK_PS << 2) + 500) / 1000);
    EXPECT_NEAR(static_cast<double>(w.period_ns), 2000122070.3, 10.0);
    EXPECT_TRUE(out()) << "WAVPOL: high while CNT <= CMP";
    EXPECT_NEAR(static_cast<double>(w.next_edge(t0, true) - t0), 2000122070.3, 10.0);
}

// RM0399 "Waveform generation" with the counter clocked by Input1: the output
// follows the counter, set when CNT exceeds CMP, reset when the period ends.
TEST_F(LptimTest, OutputFollowsTheInput1Count)
{
    start_wave(COUNTMODE, 4, 1, CNTSTRT);
    pulses(IN1, 1);
    EXPECT_FALSE(out()) << "CNT = 1 = CMP";
    pulses(IN1, 1);
    EXPECT_TRUE(out());
    pulses(IN1, 2);
    EXPECT_TRUE(out()) << "CNT = 4 = ARR";
    pulses(IN1, 1);
    EXPECT_FALSE(out()) << "CNT = 0";
}

// A periodic signal (another peripheral's PWM on the pin) is not counted
// edge by edge: said, not silently dropped.
TEST_F(LptimTest, PeriodicInputIsReported)
{
    Waveform w;
    w.period_ns = 1000000;
    w.high_ns = 500000;
    t.input_wave(IN1, w);
    EXPECT_TRUE(cap.has("its edges are not counted"));
}

// ST's LPTIM_PulseCounter (NUCLEO-H745ZI-Q, STM32H745I-DISCO, STM32H747I-DISCO):
// HAL_LPTIM_Init (internal clock, counter source external, PRESC /1, software
// trigger, CFGR2 = 0) and HAL_LPTIM_Counter_Start_IT(1000), whose
// __HAL_LPTIM_DISABLE is LPTIM_Disable (save, RCC reset, restore ARR with
// ENABLE and an ARROK wait, restore IER, CFGR, CFGR2 while disabled).  The
// readme: "each time the counter counts (1000 + 1) rising edges on LPTIM1_IN1
// pin, an interrupt is generated"; RM0399 ARRM: set when "LPTIM_CNT
// register's value reached the LPTIM_ARR register's value" (from 0: after
// 1000 edges the first time).
TEST_F(LptimTest, StPulseCounterSequence)
{
    wr(CFGR, rd(CFGR) | COUNTMODE);
    wr(CFGR2, 0);
    wr(CFGR, rd(CFGR) & ~presc(7));
    wr(CR, rd(CR) | ENABLE);
    wr(ICR, ARROK);
    wr(ARR, 1000);
    ASSERT_TRUE(rd(ISR) & ARROK);
    const uint32_t ier = rd(IER), cfgr = rd(CFGR), arr = rd(ARR), cfgr2 = rd(CFGR2);
    EXPECT_EQ(rd(CMP), 0u);
    wr(CR, rd(CR) | ENABLE); // LPTIM_Disable restores ARR (CMP is 0)
    wr(ARR, arr);
    ASSERT_TRUE(rd(ISR) & ARROK);
    wr(ICR, ARROK);
    wr(CR, rd(CR) & ~ENABLE);
    wr(IER, ier);
    wr(CFGR, cfgr);
    wr(CFGR2, cfgr2);
    wr(IER, rd(IER) | ARROK);
    wr(IER, rd(IER) | ARRM);
    wr(CR, rd(CR) | ENABLE);
    wr(CR, rd(CR) | CNTSTRT);
    EXPECT_FALSE(cap.has("guest error"));
    EXPECT_FALSE(cap.has("unimplemented"));
    pulses(IN1, 999);
    EXPECT_FALSE(irq.level);
    pulses(IN1, 1);
    EXPECT_TRUE(irq.level) << "ARRM after the 1000th edge";
    EXPECT_TRUE(wkup.level) << "and the EXTI wake-up of the CPU in Stop";
    wr(ICR, ARRM); // HAL_LPTIM_IRQHandler
    pulses(IN1, 1000);
    EXPECT_FALSE(irq.level);
    pulses(IN1, 1);
    EXPECT_TRUE(irq.level) << "then every 1001 edges";
    EXPECT_EQ(irq.raises, 2);
}


// The STM32H745's wiring (datasheet alternate functions, as ST's
// LPTIM_PulseCounter's HAL_LPTIM_MspInit uses them): LPTIM1_IN1 is AF1 of PD12,
// LPTIM1_OUT AF1 of PD13.  Through the bus of the machine description: pulses
// on PD12 count, and the PWM reaches PD13 (its IDR reads the waveform).
TEST(LptimMachine, Pd12IsInput1AndPd13CarriesTheOutput)
{
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    FakeTime time; // no RCC as clock source: the model's 32.768 kHz
    DeviceContext ctx;
    ctx.scheduler = &time;
    Level sink;
    Bus bus(m, ctx, &sink);
    auto wr = [&](uint64_t addr, uint32_t v) {
        BusAccess a{0, "cm7", addr, 0, 4};
        bus.write(a, v);
    };
    auto rd = [&](uint64_t addr) {
        BusAccess a{0, "cm7", addr, 0, 4};
        return bus.read(a);
    };
    constexpr uint64_t GPIOD = 0x58020C00, LPTIM1 = 0x40002400;
    wr(GPIOD + 0x24, (1u << 16) | (1u << 20));       // AFRH: PD12, PD13 AF1
    wr(GPIOD + 0x00, 0xFFFFFFFFu & ~(1u << 24) & ~(1u << 26)); // MODER: PD12, PD13 AF (10)
    wr(LPTIM1 + CFGR, COUNTMODE);
    wr(LPTIM1 + CR, ENABLE);
    wr(LPTIM1 + ARR, 100);
    wr(LPTIM1 + CR, ENABLE | CNTSTRT);
    Device *portd = bus.device("GPIOD");
    for (int i = 0; i < 7; i++) {
        portd->input(12, true);
        portd->input(12, false);
    }
    EXPECT_EQ(rd(LPTIM1 + CNT), 7u);
    // PWM on the internal clock, high while 49 < CNT <= 99.  The RCC's reset
    // LPTIM1SEL = 000: rcc_pclk1, 64 MHz (HSI): a count every 15.625 ns.
    wr(LPTIM1 + CR, 0);
    wr(LPTIM1 + CFGR, 0);
    wr(LPTIM1 + CR, ENABLE);
    wr(LPTIM1 + ARR, 99);
    wr(LPTIM1 + CMP, 49);
    wr(LPTIM1 + CR, ENABLE | CNTSTRT);
    time.advance(164); // 10.5 counts
    EXPECT_EQ(rd(LPTIM1 + CNT), 10u);
    EXPECT_FALSE(rd(GPIOD + 0x10) & (1u << 13));
    time.advance(781); // 60.5 counts
    EXPECT_EQ(rd(LPTIM1 + CNT), 60u);
    EXPECT_TRUE(rd(GPIOD + 0x10) & (1u << 13));
    time.advance(15625); // 10 periods (1562.5 ns each) on: the same phase
    EXPECT_EQ(rd(LPTIM1 + CNT), 60u);
    EXPECT_TRUE(rd(GPIOD + 0x10) & (1u << 13));
}

// RM0399 RCC_D3AMR: an LPTIM in D3 whose kernel clock the RCC stops (input
// IN_CLOCK_OFF: its CPU in CStop without LPTIMxAMEN) stands still: the counter
// keeps its value, no match happens and the PWM output holds its level; it
// counts on from the same value when the clock returns.
TEST_F(LptimTest, NoKernelClockHoldsTheCounter)
{
    start(99);
    time.advance(40 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 40u);
    t.input(Stm32Lptim::IN_CLOCK_OFF, true);
    time.advance(200 * TICK);
    EXPECT_EQ(rd(CNT), 40u);
    EXPECT_EQ(rd(ISR) & ARRM, 0u) << "no ARR match while stopped";
    t.input(Stm32Lptim::IN_CLOCK_OFF, false);
    time.advance(58 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 98u);
    EXPECT_EQ(rd(ISR) & ARRM, 0u);
    time.advance(TICK);
    EXPECT_EQ(rd(ISR) & ARRM, ARRM) << "the match one period of running clock later";
}

// The same gate stops the PWM waveform on LPTIM_OUT (the D3 pendclear source
// of LPTIM4/5): a constant level while the clock is off, the periodic
// waveform again when it returns.
TEST_F(LptimTest, NoKernelClockStopsTheWaveform)
{
    start_wave(0, 9, 4, CNTSTRT);
    EXPECT_TRUE(pins.last[0].periodic());
    t.input(Stm32Lptim::IN_CLOCK_OFF, true);
    EXPECT_FALSE(pins.last[0].periodic());
    t.input(Stm32Lptim::IN_CLOCK_OFF, false);
    EXPECT_TRUE(pins.last[0].periodic());
}

} // namespace
