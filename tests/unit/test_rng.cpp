// STM32H7 RNG, one RM0399 rule per test (RM0399 Rev 4, "True random number
// generator (RNG)"; rules paraphrased).  Register sequences as ST's HAL uses
// them (stm32h7xx_hal_rng.c).  The RNG clock is 48 MHz: a number every 216
// cycles is 4.5 us.
#include "fake_time.h"
#include "models/stm32_rng.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

using FakeTime = testutil::FakeScheduler;

struct Level : IrqSink {
    bool level = false;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

enum : uint32_t { CR = 0x00, SR = 0x04, DR = 0x08 };
enum : uint32_t { RNGEN = 1u << 2, IE = 1u << 3, CED = 1u << 5, DRDY = 1u << 0, SECS = 1u << 2, CECS = 1u << 1 };
constexpr uint64_t kNumberNs = 4500; // 216 cycles at 48 MHz

struct RngTest : ::testing::Test {
    Stm32Rng rng{"RNG"};
    FakeTime time;
    Level irq;
    void SetUp() override { attach(rng); }
    void attach(Stm32Rng &r)
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        r.set_context(ctx);
        r.configure({}, {});
        r.reset();
    }
};

// RM0399 "RNG operation": after RNGEN the first random number is ready (DRDY)
// once the generator has produced it; DR reads 0 before.
TEST_F(RngTest, FirstNumberIsReadyAfterTheGenerationTime)
{
    reg_write(rng, CR, RNGEN);
    EXPECT_EQ(reg_read(rng, SR) & DRDY, 0u);
    EXPECT_EQ(reg_read(rng, DR), 0u);
    time.advance(kNumberNs);
    EXPECT_EQ(reg_read(rng, SR) & DRDY, DRDY);
    EXPECT_EQ(reg_read(rng, SR) & (SECS | CECS), 0u); // no seed or clock error
}

// RM0399: reading DR takes the number (DRDY cleared); the next one is ready
// after another generation time.
TEST_F(RngTest, ReadingDrTakesTheNumber)
{
    reg_write(rng, CR, RNGEN | CED);
    time.advance(kNumberNs);
    const uint32_t a = reg_read(rng, DR);
    EXPECT_EQ(reg_read(rng, SR) & DRDY, 0u);
    time.advance(kNumberNs);
    EXPECT_EQ(reg_read(rng, SR) & DRDY, DRDY);
    const uint32_t b = reg_read(rng, DR);
    EXPECT_NE(a, b);
    EXPECT_NE(a, 0u);
}

// The model's numbers come from a seeded PRNG: the same seed gives the same
// sequence (reproducible runs), another seed another one; 1000 numbers are
// all different.
TEST_F(RngTest, SeededSequenceIsReproducibleAndSpread)
{
    auto draw = [this](Stm32Rng &r, int n) {
        std::vector<uint32_t> v;
        reg_write(r, CR, RNGEN);
        for (int i = 0; i < n; i++) {
            time.advance(kNumberNs);
            v.push_back(reg_read(r, DR));
        }
        return v;
    };
    Stm32Rng other{"RNG"};
    attach(other);
    const auto a = draw(rng, 1000), b = draw(other, 1000);
    EXPECT_EQ(a, b);
    EXPECT_EQ(std::set<uint32_t>(a.begin(), a.end()).size(), a.size());
    Stm32Rng seeded{"RNG"};
    DeviceContext ctx;
    ctx.scheduler = &time;
    seeded.set_context(ctx);
    seeded.configure({{"seed", "42"}}, {});
    seeded.reset();
    EXPECT_NE(draw(seeded, 4), std::vector<uint32_t>(a.begin(), a.begin() + 4));
}

// RM0399 "RNG interrupts": with IE the interrupt is raised when DRDY is set;
// reading DR lowers it.
TEST_F(RngTest, InterruptOnDataReady)
{
    rng.irq("irq")->connect(&irq, 0, 80);
    reg_write(rng, CR, RNGEN | IE);
    EXPECT_FALSE(irq.level);
    time.advance(kNumberNs);
    EXPECT_TRUE(irq.level);
    (void)reg_read(rng, DR);
    EXPECT_FALSE(irq.level);
}

// RM0399: clearing RNGEN stops the generator: no number becomes ready.
TEST_F(RngTest, DisablingStopsGeneration)
{
    reg_write(rng, CR, RNGEN);
    time.advance(1000);
    reg_write(rng, CR, 0);
    time.advance(10 * kNumberNs);
    EXPECT_EQ(reg_read(rng, SR) & DRDY, 0u);
}

} // namespace
