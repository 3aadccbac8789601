// STM32H7 timer time base, one RM0399 rule per test (RM0399 Rev 4, basic and
// general-purpose timers; rules paraphrased).  Time comes from a fake
// scheduler; the kernel clock is 64 MHz unless a test says otherwise.
#include "models/stm32_tim.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct FakeTime : Scheduler, ClockSource {
    uint64_t now = 1000;
    std::map<std::pair<Device *, unsigned>, uint64_t> due;
    uint64_t rate = 64000000;
    uint64_t now_ns() const override { return now; }
    void schedule(Device *d, unsigned tag, uint64_t at) override
    {
        if (at) {
            due[{d, tag}] = at;
        } else {
            due.erase({d, tag});
        }
    }
    ClockId clock_id(const std::string &) const override { return 0; }
    uint64_t hz(ClockId) const override { return rate; }
    // Advance time, firing deadlines in order.
    void advance(uint64_t ns)
    {
        const uint64_t end = now + ns;
        for (;;) {
            auto it = due.begin();
            if (it == due.end() || it->second > end) {
                break;
            }
            now = it->second;
            auto key = it->first;
            due.erase(it);
            key.first->timer_fired(key.second);
        }
        now = end;
    }
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

enum : uint32_t { CR1 = 0x00, DIER = 0x0C, SR = 0x10, EGR = 0x14, CNT = 0x24, PSC = 0x28, ARR = 0x2C };
// Bits as RM0399 names them (TIMx_CR1, TIMx_DIER, TIMx_SR, TIMx_EGR).
enum : uint32_t {
    CR1_CEN = 1u << 0, CR1_UDIS = 1u << 1, CR1_URS = 1u << 2, CR1_OPM = 1u << 3,
    CR1_ARPE = 1u << 7, DIER_UIE = 1u << 0, SR_UIF = 1u << 0, EGR_UG = 1u << 0,
};

struct TimTest : ::testing::Test {
    Stm32Tim t{"TIM6"};
    FakeTime time;
    Level irq;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        t.set_context(ctx);
        t.irq("irq")->connect(&irq, 0, 54);
    }
    // HAL_TIM_Base_Init + HAL_TIM_Base_Start_IT for a 1 kHz tick at 64 MHz.
    void start_1khz()
    {
        reg_write(t, PSC, 63);  // 1 MHz counter
        reg_write(t, ARR, 999); // 1000 ticks = 1 ms
        reg_write(t, EGR, EGR_UG);    // load PSC/ARR
        reg_write(t, SR, 0);          // HAL clears the UIF that UG set
        reg_write(t, DIER, DIER_UIE);
        reg_write(t, CR1, CR1_CEN);
    }
};

// RM0399: ARR resets to 0xFFFF; the counter is stopped after reset.
TEST_F(TimTest, ResetValues)
{
    EXPECT_EQ(reg_read(t, ARR), 0xFFFFu);
    EXPECT_EQ(reg_read(t, CR1), 0u);
    time.advance(1000000);
    EXPECT_EQ(reg_read(t, CNT), 0u);
}

// RM0399: setting UG re-initialises the counter, loads the prescaler and
// auto-reload shadows and sets UIF (unless URS).
TEST_F(TimTest, UgLoadsShadowsAndSetsUif)
{
    reg_write(t, PSC, 63);
    reg_write(t, EGR, EGR_UG);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    reg_write(t, SR, 0);
    reg_write(t, CR1, CR1_URS); // only overflow sets UIF
    reg_write(t, EGR, EGR_UG);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
}

// RM0399: SR flags are rc_w0: writing 1 leaves them, writing 0 clears them.
TEST_F(TimTest, SrIsClearedByWritingZero)
{
    reg_write(t, EGR, EGR_UG);
    reg_write(t, SR, SR_UIF);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    reg_write(t, SR, 0);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
}

// RM0399: the counter counts at CK_CNT = TIMxCLK / (PSC + 1).
TEST_F(TimTest, CounterAdvancesAtTheDividedClock)
{
    start_1khz();
    time.advance(250000); // 250 us at 1 MHz
    EXPECT_EQ(reg_read(t, CNT), 250u);
}

// RM0399: at the overflow (CNT passes ARR) an update event sets UIF; with
// UIE the interrupt is raised and stays until software clears UIF.
TEST_F(TimTest, OverflowRaisesTheUpdateInterruptEveryPeriod)
{
    start_1khz();
    EXPECT_FALSE(irq.level);
    time.advance(999000);
    EXPECT_FALSE(irq.level);
    time.advance(2000);
    EXPECT_TRUE(irq.level);
    reg_write(t, SR, 0);
    EXPECT_FALSE(irq.level);
    time.advance(10 * 1000000);
    EXPECT_EQ(irq.raises, 2); // UIF stayed set (not cleared) after the second
}

TEST_F(TimTest, TenMillisecondsGiveTenUpdates)
{
    start_1khz();
    int n = 0;
    for (int i = 0; i < 10; i++) {
        time.advance(1000000);
        if (reg_read(t, SR) & SR_UIF) {
            n++;
            reg_write(t, SR, 0);
        }
    }
    EXPECT_EQ(n, 10);
}

// RM0399: UDIS disables update events (no UIF on overflow).
TEST_F(TimTest, UdisSuppressesUpdates)
{
    start_1khz();
    reg_write(t, CR1, CR1_CEN | CR1_UDIS);
    time.advance(5000000);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
}

// RM0399: in one-pulse mode the counter stops (CEN cleared) at the update.
TEST_F(TimTest, OnePulseModeStopsAtTheUpdate)
{
    start_1khz();
    reg_write(t, CR1, CR1_CEN | CR1_OPM);
    time.advance(1500000);
    EXPECT_EQ(reg_read(t, CR1) & CR1_CEN, 0u);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
}

// RM0399: PSC is buffered: a new prescaler applies from the next update.
TEST_F(TimTest, PrescalerChangeWaitsForTheNextUpdate)
{
    start_1khz();
    reg_write(t, PSC, 127); // half speed, but only after the update
    time.advance(500000);
    EXPECT_EQ(reg_read(t, CNT), 500u);
    time.advance(500000); // update at 1 ms loads PSC 127
    time.advance(1000000);
    EXPECT_EQ(reg_read(t, CNT), 500u);
}

// Timers follow the kernel clock the RCC reports (here 200 MHz).
TEST_F(TimTest, CountingFollowsTheKernelClock)
{
    time.rate = 200000000;
    reg_write(t, PSC, 199);
    reg_write(t, EGR, EGR_UG);
    reg_write(t, CR1, CR1_CEN);
    time.advance(1000000);
    EXPECT_EQ(reg_read(t, CNT), 1000u);
}

// RM0399 ARPE = 0: TIMx_ARR is not buffered; a new auto-reload value applies
// to the running count at once.
TEST_F(TimTest, ArrWithoutArpeAppliesAtOnce)
{
    start_1khz();
    time.advance(100000);
    reg_write(t, ARR, 499);
    time.advance(399000); // CNT 499
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    time.advance(1000); // passes ARR = 499
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    EXPECT_EQ(reg_read(t, CNT), 0u);
}

// RM0399 ARPE = 1: TIMx_ARR is buffered; the new value is loaded into the
// shadow register at the next update event.
TEST_F(TimTest, ArrWithArpeWaitsForTheNextUpdate)
{
    start_1khz();
    reg_write(t, CR1, CR1_CEN | CR1_ARPE);
    time.advance(100000);
    reg_write(t, ARR, 499);
    time.advance(500000); // 600 us: the old period (1 ms) still runs
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    EXPECT_EQ(reg_read(t, CNT), 600u);
    time.advance(400000); // the update at 1 ms loads ARR = 499
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    reg_write(t, SR, 0);
    time.advance(500000); // one 500 us period later
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
}

// RM0399 CEN = 0 stops the counter: CNT keeps its value and no update comes.
TEST_F(TimTest, ClearingCenFreezesTheCounter)
{
    start_1khz();
    time.advance(300000);
    reg_write(t, CR1, 0);
    time.advance(5000000);
    EXPECT_EQ(reg_read(t, CNT), 300u);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    EXPECT_FALSE(irq.level);
    reg_write(t, CR1, CR1_CEN); // counting resumes from 300
    time.advance(100000);
    EXPECT_EQ(reg_read(t, CNT), 400u);
}

// RM0399 TIMx_CNT is read/write: a running counter continues from the value
// written.
TEST_F(TimTest, WritingCntContinuesFromTheValueWritten)
{
    start_1khz();
    time.advance(100000);
    reg_write(t, CNT, 900);
    time.advance(99000); // CNT 999
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    time.advance(1000);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    EXPECT_TRUE(irq.level);
}

// RM0399 TIMx_EGR: a write-only register; UG clears itself and reads as 0.
TEST_F(TimTest, EgrReadsZero)
{
    reg_write(t, EGR, EGR_UG);
    EXPECT_EQ(reg_read(t, EGR), 0u);
}

} // namespace
