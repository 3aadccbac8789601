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

// Records the waveforms an output gives another device's input.
struct WaveIn : Device {
    std::vector<Waveform> got;
    WaveIn() : Device("EXTI") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input_wave(unsigned, const Waveform &w) override { got.push_back(w.normalized()); }
    // What the input sees now (a line starts low; only changes are sent).
    Waveform last() const { return got.empty() ? Waveform::constant(false) : got.back(); }
};

// RM0399 LPTIM "Waveform generation", PWM mode (WAVE = 0), WAVPOL = 0: the
// output is active while the counter is above CMP, up to ARR (ST's LPTIM_PWM
// examples: duty = 1 - (CMP + 1) / (ARR + 1)); continuous counting makes it
// periodic: ARR + 1 ticks, high ARR - CMP of them, rising when CNT = CMP + 1.
// Inactive (low) before the start and after ENABLE = 0.
TEST_F(LptimTest, PwmOutputIsActiveAboveCmp)
{
    WaveIn exti;
    t.irq("out")->connect_input(&exti, 99);
    wr(CR, ENABLE);
    wr(ARR, 99);
    wr(CMP, 49);
    const uint64_t t0 = time.now;
    wr(CR, ENABLE | CNTSTRT);
    ASSERT_FALSE(exti.got.empty());
    const Waveform w = exti.last();
    EXPECT_EQ(w.period_ns, 100 * TICK);
    EXPECT_EQ(w.high_ns, 50 * TICK) << "50% duty";
    EXPECT_EQ(w.start_ns, (t0 + 50 * TICK) % w.period_ns) << "rises at CNT = CMP + 1";
    EXPECT_FALSE(w.level_at(t0 + 49 * TICK));
    EXPECT_TRUE(w.level_at(t0 + 99 * TICK));
    wr(CR, 0);
    EXPECT_EQ(exti.last(), Waveform::constant(false));
}

// RM0399 LPTIM_CFGR.WAVPOL = 1 inverts the output: high from 0 to CMP.
TEST_F(LptimTest, WavpolInvertsTheOutput)
{
    WaveIn exti;
    t.irq("out")->connect_input(&exti, 99);
    wr(CFGR, 1u << 21);
    EXPECT_EQ(exti.last(), Waveform::constant(true)) << "inactive = high";
    wr(CR, ENABLE);
    wr(ARR, 9);
    wr(CMP, 2);
    const uint64_t t0 = time.now;
    wr(CR, ENABLE | CNTSTRT);
    const Waveform w = exti.last();
    EXPECT_EQ(w.high_ns, 3 * TICK);
    EXPECT_TRUE(w.level_at(t0 + 1 * TICK));
    EXPECT_FALSE(w.level_at(t0 + 5 * TICK));
}

// RM0399 LPTIM one-pulse (SNGSTRT): the output is active once, from
// CNT = CMP + 1 to the ARR match, then inactive as the counter stops.
TEST_F(LptimTest, SingleStartGivesOnePulse)
{
    WaveIn exti;
    t.irq("out")->connect_input(&exti, 99);
    wr(CR, ENABLE);
    wr(ARR, 20);
    wr(CMP, 10);
    wr(CR, ENABLE | SNGSTRT);
    EXPECT_EQ(exti.last(), Waveform::constant(false));
    time.advance(11 * TICK + TICK / 2);
    EXPECT_EQ(exti.last(), Waveform::constant(true));
    time.advance(10 * TICK);
    EXPECT_EQ(exti.last(), Waveform::constant(false));
    EXPECT_EQ(exti.got.size(), 2u) << "one rise, one fall";
}

// RM0399 RCC_D3AMR: an LPTIM in D3 whose kernel clock the RCC stops (input
// CLOCK_OFF: its CPU in CStop without LPTIMxAMEN) stands still: the counter
// keeps its value and no match happens; it counts on when the clock returns.
TEST_F(LptimTest, NoKernelClockHoldsTheCounter)
{
    start(99);
    time.advance(40 * TICK + TICK / 2);
    EXPECT_EQ(rd(CNT), 40u);
    t.input(Stm32Lptim::CLOCK_OFF, true);
    time.advance(200 * TICK);
    EXPECT_EQ(rd(CNT), 40u);
    EXPECT_EQ(rd(ISR) & ARRM, 0u) << "no ARR match while stopped";
    t.input(Stm32Lptim::CLOCK_OFF, false);
    time.advance(60 * TICK);
    EXPECT_EQ(rd(ISR) & ARRM, ARRM);
}

} // namespace
