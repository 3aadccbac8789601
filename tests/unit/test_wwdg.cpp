// STM32H7 system window watchdog, one RM0399 rule per test (RM0399 Rev 4,
// "System window watchdog (WWDG)"; rules paraphrased).  PCLK = 100 MHz, so
// one counter step is 4096 x 2^WDGTB / 100 MHz (40.96 us at WDGTB = 0).
#include "fake_time.h"
#include "models/stm32_wwdg.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    ClockId clock_id(const std::string &) const override { return 0; }
    uint64_t hz(ClockId) const override { return 100000000; }
};

struct Resets : Device {
    int count = 0;
    Resets() : Device("RCC") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned, bool level) override { count += level; }
};

struct Level : IrqSink {
    bool level = false;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

constexpr uint64_t STEP = 40960; // ns per counter step at WDGTB = 0, 100 MHz
enum : uint32_t { CR = 0x00, CFR = 0x04, SR = 0x08 };
enum : uint32_t { CR_WDGA = 1u << 7, CFR_EWI = 1u << 9 };

struct WwdgTest : ::testing::Test {
    Stm32Wwdg w{"WWDG1"};
    FakeTime time;
    Resets rcc;
    Level ewi;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        w.set_context(ctx);
        w.configure({{"clock", "pclk3"}}, {"cm7", "cm4"});
        w.irq("rst")->connect_input(&rcc, 2);
        w.irq("ewi")->connect(&ewi, 0, 0);
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(w, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(w, off, v); }
};

// RM0399: once WDGA is set the 7-bit counter decrements; when it rolls from
// 0x40 to 0x3F (T6 cleared) the watchdog resets.
TEST_F(WwdgTest, CounterRollingPast0x40Resets)
{
    wr(CFR, 0x7F);
    wr(CR, CR_WDGA | 0x7F);
    time.advance((0x7F - 0x40) * STEP - 10);
    EXPECT_EQ(rcc.count, 0);
    EXPECT_EQ(rd(CR) & 0x7F, 0x41u);
    time.advance(STEP + 20);
    EXPECT_EQ(rcc.count, 1);
}

// RM0399 WWDG_CFR.WDGTB: the counter clock is PCLK / 4096 / 2^WDGTB.
TEST_F(WwdgTest, PrescalerSlowsTheCounter)
{
    wr(CFR, 0x7F | (3u << 11)); // / 8
    wr(CR, CR_WDGA | 0x50);
    time.advance(8 * STEP * 0x10 - 10);
    EXPECT_EQ(rcc.count, 0);
    time.advance(8 * STEP + 20);
    EXPECT_EQ(rcc.count, 1);
}

// RM0399: refreshing (writing CR) while the counter is above the window W
// resets; below it, the counter is reloaded.
TEST_F(WwdgTest, RefreshOutsideTheWindowResets)
{
    wr(CFR, 0x50);
    wr(CR, CR_WDGA | 0x7F);
    wr(CR, 0x7F); // counter 0x7F > 0x50
    EXPECT_EQ(rcc.count, 1);
}

TEST_F(WwdgTest, RefreshInsideTheWindowReloads)
{
    wr(CFR, 0x50);
    wr(CR, CR_WDGA | 0x7F);
    time.advance(0x30 * STEP + STEP / 2); // counter 0x4F
    wr(CR, 0x7F);
    EXPECT_EQ(rcc.count, 0);
    EXPECT_EQ(rd(CR) & 0x7F, 0x7Fu);
    time.advance(0x30 * STEP);
    EXPECT_EQ(rcc.count, 0);
}

// RM0399 WWDG_CR: writing T6 = 0 while the watchdog runs resets at once.
TEST_F(WwdgTest, WritingT6ClearResets)
{
    wr(CR, CR_WDGA | 0x7F);
    time.advance(0x40 * STEP); // inside the default window (W = 0x7F)
    wr(CR, 0x3F);
    EXPECT_EQ(rcc.count, 1);
}

// RM0399 "Early wakeup interrupt": EWIF is set when the counter reaches 0x40
// and, with EWI, raises the interrupt; EWIF is cleared by writing 0; EWI and
// WDGA cannot be cleared by software.
TEST_F(WwdgTest, EarlyWakeupInterruptAt0x40)
{
    wr(CFR, CFR_EWI | 0x7F);
    wr(CR, CR_WDGA | 0x45);
    time.advance(5 * STEP - 10);
    EXPECT_FALSE(ewi.level);
    time.advance(20);
    EXPECT_TRUE(rd(SR) & 1u);
    EXPECT_TRUE(ewi.level);
    wr(CR, 0x7F); // the ISR refreshes (0x40 <= W)
    wr(SR, 0);
    EXPECT_FALSE(ewi.level);
    EXPECT_EQ(rcc.count, 0);
    wr(CFR, 0x7F);
    EXPECT_TRUE(rd(CFR) & CFR_EWI);
    wr(CR, 0x7F);
    EXPECT_TRUE(rd(CR) & CR_WDGA);
}

// RM0436 (STM32MP15) "Reset": WWDG1 belongs to the MCU and is reset with it
// (mcu_rst, after its own time-out or MP_GRSTCSETR.MCURST) without a system
// reset: input 0 returns it to its reset state, stopped (WDGA = 0, CR =
// 0x7F), so it does not reset the MCU again before the firmware restarts it.
TEST_F(WwdgTest, DomainResetInputStopsTheWatchdog)
{
    wr(CFR, 0x50 | (3u << 11));
    wr(CR, CR_WDGA | 0x7F);
    time.advance(8 * STEP * (0x7F - 0x3F) + 20);
    EXPECT_EQ(rcc.count, 1);
    w.input(0, true);
    EXPECT_EQ(rd(CR), 0x7Fu);
    EXPECT_EQ(rd(CFR), 0x7Fu);
    time.advance(1000 * 8 * STEP);
    EXPECT_EQ(rcc.count, 1);
    wr(CR, CR_WDGA | 0x7F); // HAL_WWDG_Init again: a start, not a refresh
    time.advance(STEP * (0x7F - 0x3F) + 20);
    EXPECT_EQ(rcc.count, 2);
}

// Nothing happens before WDGA; a system reset stops the watchdog.
TEST_F(WwdgTest, StoppedUntilEnabledAndByReset)
{
    time.advance(1000 * STEP);
    EXPECT_EQ(rcc.count, 0);
    wr(CR, CR_WDGA | 0x7F);
    w.reset();
    time.advance(1000 * STEP);
    EXPECT_EQ(rcc.count, 0);
    EXPECT_EQ(rd(CR), 0x7Fu);
}

} // namespace
