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

} // namespace
