// STM32H7 GPIO port, one RM0399 rule per test (RM0399 Rev 4, "General-purpose
// I/Os (GPIO)"), and the board's LED panel.
#include "board.h"
#include "models/stm32_gpio.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct GpioTest : ::testing::Test {
    Stm32Gpio g{"GPIOB"};
    testutil::LogCapture cap;
    void SetUp() override { g.configure({{"port", "B"}}, {}); g.reset(); }
    uint32_t rd(uint32_t off) { return testutil::reg_read(g, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(g, off, v); }
};

// RM0399: port B's reset values differ from other ports (debug pins).
TEST_F(GpioTest, PortBResetValues)
{
    EXPECT_EQ(rd(0x00), 0xFFFFFEBFu);
    EXPECT_EQ(rd(0x08), 0x000000C0u);
    EXPECT_EQ(rd(0x0C), 0x00000100u);
}

TEST(GpioReset, OtherPortsAreAllAnalog)
{
    Stm32Gpio g("GPIOE");
    g.configure({{"port", "E"}}, {});
    BusAccess a;
    EXPECT_EQ(g.read(a), 0xFFFFFFFFu);
}

// RM0399 BSRR: BSy sets ODRy, BRy resets it, BS wins when both are written;
// BSRR reads 0.
TEST_F(GpioTest, BsrrSetsAndResetsWithSetPriority)
{
    wr(0x18, 0x00000005);
    EXPECT_EQ(rd(0x14), 0x5u);
    wr(0x18, 0x00010000);
    EXPECT_EQ(rd(0x14), 0x4u);
    wr(0x18, 0x00080008); // both for pin 3: set wins
    EXPECT_EQ(rd(0x14), 0xCu);
    EXPECT_EQ(rd(0x18), 0u);
}

// RM0399: IDR samples the pin: an output pin reads its driven level.
TEST_F(GpioTest, IdrOfAnOutputReadsTheOutput)
{
    wr(0x00, 0x1); // pin 0 output
    wr(0x14, 0x1);
    EXPECT_EQ(rd(0x10) & 1u, 1u);
}

// An input pin reads what drives it from outside, else its pull.
TEST_F(GpioTest, IdrOfAnInputReadsTheExternalLevelOrThePull)
{
    wr(0x00, 0); // all inputs
    wr(0x0C, 1u << 26); // pin 13 pull-up
    EXPECT_TRUE(rd(0x10) & (1u << 13));
    g.input(13, false);
    EXPECT_FALSE(rd(0x10) & (1u << 13));
}

// The pin outputs carry the level IDR shows: ODR on an output pin, the
// external or pulled level on an input (what SYSCFG's EXTI multiplexer samples).
TEST_F(GpioTest, PinOutputFollowsOdrOnOutputsAndTheInputLevelOnInputs)
{
    std::vector<bool> seen;
    struct Probe : Device {
        std::vector<bool> *s;
        Probe(std::vector<bool> *v) : Device("p"), s(v) {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input(unsigned, bool l) override { s->push_back(l); }
    } probe(&seen);
    g.irq("pin0")->connect_input(&probe, 0);
    wr(0x14, 1); // pin 0 still analog: reads 0, no change
    EXPECT_TRUE(seen.empty());
    wr(0x00, 0x1); // output: drives the ODR level
    EXPECT_EQ(seen, std::vector<bool>{true});
    wr(0x00, 0x0); // input, nothing driving it, no pull: 0
    EXPECT_EQ(seen, (std::vector<bool>{true, false}));
    g.input(0, true); // a button pulls it high
    EXPECT_EQ(seen, (std::vector<bool>{true, false, true}));
}

TEST(Board, ActiveLowLedsPrintTheInvertedLevel)
{
    std::vector<std::string> lines;
    LedDesc l{"LED1", "green", parse_pin("PJ2"), false};
    LedPanel p({l}, [&](const std::string &s) { lines.push_back(s); });
    p.input(0, false);
    p.input(0, true);
    EXPECT_EQ(lines, (std::vector<std::string>{"[board] LED1 on", "[board] LED1 off"}));
}

TEST(Board, PinNames)
{
    EXPECT_EQ(parse_pin("PB14").pin, 14u);
    EXPECT_EQ(parse_pin("PB14").port, "B");
    EXPECT_THROW(parse_pin("PB16"), ConfigError);
    EXPECT_THROW(parse_pin("XB1"), ConfigError);
    EXPECT_THROW(parse_pin("PZ1"), ConfigError);
}

} // namespace
