// STM32H7 independent watchdog, one RM0399 rule per test (RM0399 Rev 4,
// "Independent watchdog (IWDG)"; rules paraphrased).  LSI = 32 kHz; time
// comes from a fake scheduler.
#include "fake_time.h"
#include "models/stm32_iwdg.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

using FakeTime = testutil::FakeScheduler;

// Counts the pulses of the reset output (what the RCC receives).
struct Resets : Device {
    int count = 0;
    Resets() : Device("RCC") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned, bool level) override { count += level; }
};

constexpr uint64_t MS = 1000000ull;
enum : uint32_t { KR = 0x00, PR = 0x04, RLR = 0x08, SR = 0x0C, WINR = 0x10 };

struct IwdgTest : ::testing::Test {
    Stm32Iwdg w{"IWDG1"};
    FakeTime time;
    Resets rcc;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        w.set_context(ctx);
        w.configure({}, {"cm7", "cm4"});
        w.irq("rst")->connect_input(&rcc, 0);
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(w, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(w, off, v); }
    // HAL_IWDG_Init: start, unlock, PR, RLR, wait for SR = 0, refresh.
    void init(uint32_t pr, uint32_t rl)
    {
        wr(KR, 0xCCCC);
        wr(KR, 0x5555);
        wr(PR, pr);
        wr(RLR, rl);
        time.advance(MS); // the update crosses to the LSI domain
        ASSERT_EQ(rd(SR), 0u);
        wr(KR, 0xAAAA);
    }
};

// RM0399 IWDG: once started (0xCCCC) the down-counter runs from the reload
// value at LSI / prescaler; reaching 0 resets (here PR = 4: / 64, RL = 499:
// 500 x 64 / 32 kHz = 1 s).
TEST_F(IwdgTest, NotRefreshedItResets)
{
    init(4, 499);
    time.advance(990 * MS);
    EXPECT_EQ(rcc.count, 0);
    time.advance(20 * MS);
    EXPECT_EQ(rcc.count, 1);
}

// RM0399 IWDG_KR: writing 0xAAAA reloads the counter with RLR (refresh).
TEST_F(IwdgTest, RefreshReloadsTheCounter)
{
    init(4, 499);
    for (int i = 0; i < 5; i++) {
        time.advance(900 * MS);
        wr(KR, 0xAAAA);
    }
    EXPECT_EQ(rcc.count, 0);
}

// RM0399: the watchdog does nothing until started; it cannot be stopped but by
// a reset.
TEST_F(IwdgTest, NothingBeforeStartStoppedOnlyByReset)
{
    time.advance(10000 * MS);
    EXPECT_EQ(rcc.count, 0);
    wr(KR, 0xCCCC);
    EXPECT_TRUE(w.running());
    w.reset();
    EXPECT_FALSE(w.running());
    time.advance(10000 * MS);
    EXPECT_EQ(rcc.count, 0);
}

// RM0399 IWDG_KR: PR, RLR and WINR are write-protected; 0x5555 enables the
// access, any other key protects them again.
TEST_F(IwdgTest, RegistersNeedTheUnlockKey)
{
    wr(PR, 3);
    EXPECT_EQ(rd(PR), 0u);
    EXPECT_TRUE(cap.has("0x5555"));
    wr(KR, 0x5555);
    wr(PR, 3);
    EXPECT_EQ(rd(PR), 3u);
    wr(KR, 0xAAAA);
    wr(RLR, 5);
    EXPECT_EQ(rd(RLR), 0xFFFu);
}

// RM0399 IWDG_SR: PVU / RVU / WVU are set while the written value is being
// transferred to the LSI domain (a few LSI cycles), then cleared.
TEST_F(IwdgTest, UpdateFlagsWhileTheValueCrosses)
{
    wr(KR, 0x5555);
    wr(RLR, 100);
    EXPECT_EQ(rd(SR), 2u);
    wr(PR, 1);
    EXPECT_EQ(rd(SR), 3u);
    time.advance(MS);
    EXPECT_EQ(rd(SR), 0u);
}

// RM0399 window option: refreshing while the counter is above WINR resets;
// writing WINR reloads the counter.
TEST_F(IwdgTest, RefreshAboveTheWindowResets)
{
    init(4, 499);
    wr(KR, 0x5555);
    wr(WINR, 250); // reloads: counter 499
    time.advance(10 * MS);
    wr(KR, 0xAAAA); // counter ~494 > 250
    EXPECT_EQ(rcc.count, 1);
}

TEST_F(IwdgTest, RefreshInsideTheWindowIsFine)
{
    init(4, 499);
    wr(KR, 0x5555);
    wr(WINR, 250);
    time.advance(600 * MS); // counter ~199 <= 250
    wr(KR, 0xAAAA);
    EXPECT_EQ(rcc.count, 0);
}

// RM0399 IWDG_RLR and IWDG_WINR reset to 0xFFF.
TEST_F(IwdgTest, ResetValues)
{
    EXPECT_EQ(rd(RLR), 0xFFFu);
    EXPECT_EQ(rd(WINR), 0xFFFu);
    EXPECT_EQ(rd(PR), 0u);
}

} // namespace
