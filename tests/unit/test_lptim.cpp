// STM32H7 low-power timer, one RM0399 rule per test (RM0399 Rev 4, "Low-power
// timer (LPTIM)"; rules paraphrased).  Kernel clock 32.768 kHz (the LSE).
#include "fake_time.h"
#include "models/stm32_lptim.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    ClockId clock_id(const std::string &) const override { return 0; }
    uint64_t hz(ClockId) const override { return 32768; }
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
enum : uint32_t { ISR = 0x00, ICR = 0x04, IER = 0x08, CFGR = 0x0C, CR = 0x10, CMP = 0x14, ARR = 0x18, CNT = 0x1C };
enum : uint32_t {
    CMPM = 1u << 0, ARRM = 1u << 1, CMPOK = 1u << 3, ARROK = 1u << 4,
    ENABLE = 1u << 0, SNGSTRT = 1u << 1, CNTSTRT = 1u << 2, COUNTRST = 1u << 3,
};

struct LptimTest : ::testing::Test {
    Stm32Lptim t{"LPTIM1"};
    FakeTime time;
    Level irq, wkup;
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

// ---- the output waveform ------------------------------------------------------------

enum : uint32_t { WAVE = 1u << 20, WAVPOL = 1u << 21, PRELOAD = 1u << 22 };

// Receives the output as a DMAMUX trigger input would: whole waveforms.
struct OutSink : Device {
    Waveform last;
    int messages = 0;
    OutSink() : Device("sink") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned n, bool level) override { input_wave(n, Waveform::constant(level)); }
    void input_wave(unsigned, const Waveform &w) override
    {
        last = w;
        messages++;
    }
};

struct LptimOutTest : LptimTest {
    OutSink out;
    // One tick of the 32.768 kHz clock, in ps (RM0399: f_LPTIM / 2^PRESC).
    static constexpr uint64_t TICK_PS = (1000000000000ull + 16384) / 32768;
    static uint64_t ticks_ns(uint64_t n) { return (n * TICK_PS + 500) / 1000; }
    // The first nanosecond at which n ticks have passed since the start.
    static uint64_t tick_at(uint64_t n) { return (n * TICK_PS + 999) / 1000; }
    void SetUp() override
    {
        LptimTest::SetUp();
        t.irq("out")->connect_input(&out, 0);
    }
    // HAL_LPTIM_Init (CFGR while disabled), then HAL_LPTIM_PWM_Start: WAVE
    // cleared, ENABLE, ARR (wait ARROK), CMP (wait CMPOK), CNTSTRT.
    void pwm(uint32_t cfgr, uint32_t arr, uint32_t cmp, uint32_t start = CNTSTRT)
    {
        wr(CFGR, cfgr);
        wr(CR, ENABLE);
        wr(ICR, ARROK);
        wr(ARR, arr);
        wr(ICR, CMPOK);
        wr(CMP, cmp);
        wr(CR, ENABLE | start);
    }
    bool level() { return out.last.level_at(time.now); }
};

// RM0399 "Waveform generation", PWM mode: the output is set when the counter
// exceeds CMP and reset at the end of the period (high for CMP + 1 .. ARR:
// duty (ARR - CMP) / (ARR + 1), as ST's LPTIM_PWM_LSE example computes it).
// Continuous counting makes it one periodic signal.
TEST_F(LptimOutTest, PwmIsHighWhileTheCounterExceedsCmp)
{
    const uint64_t t0 = time.now;
    pwm(0, 99, 49);
    ASSERT_TRUE(out.last.periodic());
    EXPECT_EQ(out.last.period_ns, ticks_ns(100));
    EXPECT_EQ(out.last.high_ns, ticks_ns(50));
    EXPECT_EQ(out.last.describe(), "pwm 50% 327.7 Hz");
    EXPECT_EQ(out.last.next_edge(t0, true), t0 + tick_at(50)) << "rises as CNT becomes 50";
    EXPECT_FALSE(level());
    const int before = out.messages;
    time.advance(10 * ticks_ns(100));
    EXPECT_EQ(out.messages, before) << "one message, not one per edge";
}

// RM0399 CFGR.WAVPOL: the output is the inverse; the change takes effect at
// once, so the output's default level changes even before the timer is
// enabled.
TEST_F(LptimOutTest, WavpolInvertsAtOnceEvenWhileDisabled)
{
    EXPECT_FALSE(level());
    wr(CFGR, WAVPOL);
    EXPECT_TRUE(level()) << "disabled: the default level follows WAVPOL";
    wr(CR, ENABLE);
    wr(ARR, 99);
    wr(CMP, 24);
    wr(CR, ENABLE | CNTSTRT);
    EXPECT_NEAR(static_cast<double>(out.last.high_ns), static_cast<double>(ticks_ns(25)), 1.0)
        << "inverted: high for CNT 0 .. CMP";
    wr(CR, 0);
    EXPECT_FALSE(out.last.periodic());
    EXPECT_TRUE(level());
}

// RM0399 one-pulse mode (WAVE = 0, SNGSTRT): the first pulse of the PWM, then
// the output stays reset.
TEST_F(LptimOutTest, SingleModeGivesOnePulse)
{
    pwm(0, 100, 60, SNGSTRT);
    time.advance(tick_at(61) - 1);
    EXPECT_FALSE(level());
    time.advance(1);
    EXPECT_TRUE(level()) << "CNT = 61 > CMP";
    time.advance(tick_at(101) - tick_at(61) - 1);
    EXPECT_TRUE(level()) << "through CNT = ARR";
    time.advance(1);
    EXPECT_FALSE(level()) << "the period is over: reset";
    time.advance(ticks_ns(500));
    EXPECT_FALSE(level());
    EXPECT_EQ(rd(CNT), 0u);
}

// RM0399 set-once mode (WAVE = 1): like one pulse, but the output keeps its
// last level; disabling the LPTIM returns it to the default.
TEST_F(LptimOutTest, SetOnceKeepsTheOutputHigh)
{
    pwm(WAVE, 100, 60, SNGSTRT);
    time.advance(tick_at(61));
    EXPECT_TRUE(level());
    time.advance(ticks_ns(300));
    EXPECT_TRUE(level()) << "kept after the period";
    wr(CR, 0);
    EXPECT_FALSE(level());
}

// RM0399: the waveforms need ARR > CMP; with CMP >= ARR the counter never
// exceeds CMP and the output stays reset.
TEST_F(LptimOutTest, CmpNotBelowArrKeepsTheOutputLow)
{
    pwm(0, 50, 50);
    EXPECT_FALSE(out.last.periodic());
    time.advance(ticks_ns(200));
    EXPECT_FALSE(level());
}

// ST's DMAMUX_RequestGen: LSE / 4 (PRESC = 010), ARR = 16384, CMP = 8192,
// WAVPOL, PRELOAD: a 2 s period, the inverted output rising at each period's
// start.  The tick is kept to the picosecond, so the period is 16385 ticks of
// 122.07 us (2.000122 s), not a rounded nanosecond tick times 16385.
TEST_F(LptimOutTest, TwoSecondPeriodOnTheLseDividedByFour)
{
    const uint64_t t0 = time.now;
    pwm((2u << 9) | WAVPOL | PRELOAD, 16384, 8192);
    ASSERT_TRUE(out.last.periodic());
    const uint64_t tick4 = (4000000000000ull + 16384) / 32768;
    EXPECT_EQ(out.last.period_ns, (16385 * tick4 + 500) / 1000);
    EXPECT_NEAR(static_cast<double>(out.last.period_ns), 2000122070.3, 10.0);
    EXPECT_TRUE(level()) << "WAVPOL: high while CNT <= CMP";
    const uint64_t rise = out.last.next_edge(t0, true);
    EXPECT_NEAR(static_cast<double>(rise - t0), 2000122070.3, 10.0);
}

} // namespace
