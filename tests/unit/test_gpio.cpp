// STM32H7 GPIO port, one RM0399 rule per test (RM0399 Rev 4, "General-purpose
// I/Os (GPIO)"), and the board's LED panel.
#include "board.h"
#include "models/stm32_gpio.h"
#include "bus.h"
#include "stimulus.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct GpioTest : ::testing::Test {
    Stm32Gpio g{"GPIOB"};
    testutil::LogCapture cap;
    void SetUp() override
    {
        g.configure({{"port", "B"}, {"reset.moder", "0xFFFFFEBF"}, {"reset.ospeedr", "0xC0"},
                     {"reset.pupdr", "0x100"}},
                    {});
        g.reset();
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(g, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(g, off, v); }
};

// RM0399 GPIO registers: ports A and B reset with their debug pins set up
// (GPIOA_MODER 0xABFFFFFF, OSPEEDR 0x0C000000, PUPDR 0x64000000; GPIOB_MODER
// 0xFFFFFEBF, OSPEEDR 0x000000C0, PUPDR 0x00000100); as the STM32H745 shows
// them on the bus.
TEST(GpioReset, H745PortsAAndBResetWithTheirDebugPins)
{
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    DeviceContext ctx;
    Bus bus(m, ctx, nullptr);
    auto rd = [&](uint64_t addr) {
        BusAccess a{0, "cm7", addr, 0, 4};
        return bus.read(a);
    };
    EXPECT_EQ(rd(0x58020000), 0xABFFFFFFu);
    EXPECT_EQ(rd(0x58020008), 0x0C000000u);
    EXPECT_EQ(rd(0x5802000C), 0x64000000u);
    EXPECT_EQ(rd(0x58020400), 0xFFFFFEBFu);
    EXPECT_EQ(rd(0x58020408), 0x000000C0u);
    EXPECT_EQ(rd(0x5802040C), 0x00000100u);
    EXPECT_EQ(rd(0x58021000), 0xFFFFFFFFu); // GPIOE: all analog
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

// RM0399 (and RM0436) "Analog configuration": the Schmitt trigger input is
// deactivated, its output forced to 0, and the weak pull-up/pull-down are
// disabled by hardware: reading IDR gets 0, whatever the pull or a level
// driven from outside.  So an LED on a pin configured pull-up before its MODER
// (ST's HAL_GPIO_Init order) does not light while the pin is still analog.
TEST_F(GpioTest, AnalogPinReadsZeroWhateverItsPullOrDrive)
{
    wr(0x0C, 1u << 14); // pin 7 pull-up, MODER still all analog (reset)
    EXPECT_FALSE(rd(0x10) & (1u << 7));
    g.input(7, true);
    EXPECT_FALSE(rd(0x10) & (1u << 7));
    wr(0x00, 0xFFFFFFFFu & ~(3u << 14)); // pin 7 input: the driven level
    EXPECT_TRUE(rd(0x10) & (1u << 7));
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

// A PWM on an LED's pin shows as its lit share of the period and its frequency,
// once, instead of an "on"/"off" line per edge (an active-low LED is lit while
// the pin is low).
TEST(Board, PwmDrivenLedPrintsDutyAndFrequency)
{
    std::vector<std::string> lines;
    LedPanel p({LedDesc{"LED1", "green", parse_pin("PB0"), true}, LedDesc{"LED2", "red", parse_pin("PJ2"), false}},
               [&](const std::string &s) { lines.push_back(s); });
    Waveform w;
    w.period_ns = 1000000;
    w.high_ns = 250000;
    p.input_wave(0, w);
    p.input_wave(1, w);
    p.input(0, false);
    EXPECT_EQ(lines, (std::vector<std::string>{"[board] LED1 pwm 25% 1 kHz", "[board] LED2 pwm 75% 1 kHz",
                                               "[board] LED1 off"}));
}

TEST(Waveform, DescribesDutyAndFrequency)
{
    Waveform w;
    w.period_ns = 50000; // 20 kHz
    w.high_ns = 18750;
    EXPECT_EQ(w.describe(), "pwm 37.5% 20 kHz");
    w.high_ns = 0; // never high: a constant 0
    EXPECT_FALSE(w.periodic());
    EXPECT_EQ(w.describe(), "0");
    w.high_ns = w.period_ns;
    EXPECT_EQ(w.normalized(), Waveform::constant(true));
}

TEST(Waveform, LevelAtFollowsThePhase)
{
    Waveform w;
    w.period_ns = 100;
    w.high_ns = 30;
    w.start_ns = 1010;
    EXPECT_TRUE(w.level_at(1010));
    EXPECT_TRUE(w.level_at(1039));
    EXPECT_FALSE(w.level_at(1040));
    EXPECT_TRUE(w.level_at(10)); // 1010 - 10 periods
    EXPECT_EQ(w.normalized().start_ns, 10u);
}

// The edges of a periodic signal: rising at start + k * period, falling
// high_ns later; the first one strictly after the time asked.  A constant
// signal has none.
TEST(Waveform, NextEdgeIsTheFirstOneAfter)
{
    Waveform w;
    w.period_ns = 100;
    w.high_ns = 30;
    w.start_ns = 1010;
    EXPECT_EQ(w.next_edge(0, true), 10u);
    EXPECT_EQ(w.next_edge(10, true), 110u) << "strictly after";
    EXPECT_EQ(w.next_edge(1005, false), 1040u);
    EXPECT_EQ(w.next_edge(1040, false), 1140u);
    EXPECT_EQ(Waveform::constant(true).next_edge(0, true), 0u);
}

// The complement of a periodic signal rises where it falls; at() fills in the
// level a level-only receiver sees at a time.
TEST(Waveform, InvertedAndAt)
{
    Waveform w;
    w.period_ns = 100;
    w.high_ns = 30;
    w.start_ns = 10;
    const Waveform i = w.inverted();
    EXPECT_EQ(i.high_ns, 70u);
    EXPECT_EQ(i.next_edge(0, true), 40u);
    EXPECT_TRUE(w.at(15).level);
    EXPECT_FALSE(i.at(15).level);
    EXPECT_EQ(Waveform::constant(true).inverted(), Waveform::constant(false));
}

// An output carries a waveform to device inputs whole and only on a change;
// a core's NVIC line sees its level.
TEST(Waveform, IrqLineSendsAWaveformOnce)
{
    struct Count : Device {
        int n = 0;
        Count() : Device("c") {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input_wave(unsigned, const Waveform &) override { n++; }
    } c;
    IrqLine l("x");
    l.connect_input(&c, 0);
    Waveform w;
    w.period_ns = 100;
    w.high_ns = 50;
    w.start_ns = 20;
    l.set_wave(w);
    w.start_ns = 120; // the same signal, one period later
    l.set_wave(w);
    EXPECT_EQ(c.n, 1);
    l.set(false);
    EXPECT_EQ(c.n, 2);
}

// changes() tells whether set_wave() would send anything; resend() sends what
// the line carries again (an output driving its pins from reset, no change yet);
// at() fills in the level at a moment.
TEST(Waveform, ChangesResendAndLevelAtAMoment)
{
    testutil::WaveSink c;
    IrqLine l("x");
    l.connect_input(&c, 0);
    EXPECT_FALSE(l.changes(Waveform::constant(false)));
    l.resend();
    EXPECT_EQ(c.messages[0], 1);
    EXPECT_FALSE(c.last[0].level);
    Waveform w;
    w.period_ns = 100;
    w.high_ns = 30;
    w.start_ns = 1000;
    EXPECT_TRUE(l.changes(w));
    l.set_wave(w);
    w.start_ns = 1100;
    EXPECT_FALSE(l.changes(w)); // the same signal a period later
    EXPECT_TRUE(w.at(1010).level);
    EXPECT_FALSE(w.at(1040).level);
    EXPECT_EQ(w.at(1040).start_ns, 0u); // normalized
}

struct FakeClock : Scheduler {
    uint64_t now = 0;
    uint64_t now_ns() const override { return now; }
    void schedule(Device *, unsigned, uint64_t) override {}
};

// RM0399 "Alternate function": a pin in AF mode (MODEy = 10) with AFSELy = k is
// driven by peripheral function k: here TIM3_CH3 (AF2) on PB0 with a PWM.  Its
// pin output carries the waveform; IDR reads the level at the time of the read.
TEST_F(GpioTest, AlternateFunctionPinCarriesThePeripheralWaveform)
{
    FakeClock clk;
    DeviceContext ctx;
    ctx.scheduler = &clk;
    g.set_context(ctx);
    struct Probe : Device {
        Waveform last;
        Probe() : Device("p") {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input_wave(unsigned, const Waveform &w) override { last = w; }
    } probe;
    g.irq("pin0")->connect_input(&probe, 0);
    Waveform w;
    w.period_ns = 1000;
    w.high_ns = 500;
    g.input_wave(16 * (1 + 2) + 0, w); // AF2 drives pin 0
    EXPECT_FALSE(probe.last.periodic()); // pin 0 is not in AF mode yet
    wr(0x20, 2u << 0);                   // AFRL.AFSEL0 = 2
    wr(0x00, (rd(0x00) & ~3u) | 2u);     // MODE0 = alternate function
    EXPECT_EQ(probe.last.describe(), "pwm 50% 1 MHz");
    clk.now = 100;
    EXPECT_EQ(rd(0x10) & 1u, 1u);
    clk.now = 600;
    EXPECT_EQ(rd(0x10) & 1u, 0u);
    wr(0x20, 1u << 0); // another AF selected: that one drives nothing
    EXPECT_FALSE(probe.last.periodic());
}

// RM0399: an AF input (a timer's input capture) receives the pin's level while
// the pin is in AF mode with that AF selected; output "piny.afk" is that level.
TEST_F(GpioTest, AlternateFunctionInputSeesThePinInAfModeOnly)
{
    std::vector<bool> seen;
    struct Probe : Device {
        std::vector<bool> *s;
        Probe(std::vector<bool> *v) : Device("p"), s(v) {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input(unsigned, bool l) override { s->push_back(l); }
    } probe(&seen);
    g.irq("pin4.af2")->connect_input(&probe, 0);
    g.input(4, true); // pin 4 is in its reset mode: AF2 sees nothing
    EXPECT_TRUE(seen.empty());
    wr(0x20, 2u << 16);                           // AFSEL4 = 2
    wr(0x00, (rd(0x00) & ~(3u << 8)) | (2u << 8)); // MODE4 = AF
    EXPECT_EQ(seen, std::vector<bool>{true});
    g.input(4, false);
    EXPECT_EQ(seen, (std::vector<bool>{true, false}));
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

namespace {
// --gpio / --press parsing: times, console-line triggers, the board's buttons.
TEST(Stimulus, GpioSpecs)
{
    auto s = parse_gpio_stimulus("PC13=1@250ms");
    EXPECT_EQ(s.pin.port, "C");
    EXPECT_EQ(s.pin.pin, 13u);
    EXPECT_TRUE(s.level);
    EXPECT_EQ(s.delay_ns, 250000000u);
    s = parse_gpio_stimulus("PA0=0@/ready/");
    EXPECT_FALSE(s.level);
    EXPECT_EQ(s.after.value_or(""), "ready");
    EXPECT_EQ(parse_gpio_stimulus("PB7=1@2s").delay_ns, 2000000000u);
    EXPECT_THROW(parse_gpio_stimulus("PC13=2"), ConfigError);
    EXPECT_THROW(parse_gpio_stimulus("PC13=1@soon"), ConfigError);
    EXPECT_THROW(parse_gpio_stimulus("PZ1=1"), ConfigError);
    EXPECT_THROW(parse_gpio_stimulus("PC1=1@/(/"), ConfigError);
}

TEST(Stimulus, PressIsPressThenReleaseAtTheActiveLevel)
{
    BoardDesc b;
    b.name = "nucleo";
    b.buttons.push_back({"B1", parse_pin("PC13"), true});
    auto v = parse_press_stimulus("B1@/waiting/", b);
    ASSERT_EQ(v.size(), 2u);
    EXPECT_TRUE(v[0].level);
    EXPECT_FALSE(v[1].level);
    EXPECT_EQ(v[1].delay_ns, 50000000u);
    EXPECT_EQ(v[0].label, "B1 pressed");
    try {
        parse_press_stimulus("B2", b);
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find("(buttons: B1)"), std::string::npos);
    }
}

// A stimulus waiting for a console line fires only after that line, through
// the scheduler, and drives the GPIO pin (IDR shows it).
TEST(Stimulus, LineTriggeredPressReachesTheGpio)
{
    struct Sched : Scheduler {
        uint64_t t = 1000;
        std::vector<std::pair<Device *, unsigned>> due;
        uint64_t now_ns() const override { return t; }
        void schedule(Device *d, unsigned tag, uint64_t) override { due.emplace_back(d, tag); }
    } sched;
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    DeviceContext ctx;
    struct NoIrqs : IrqSink {
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
    } irqs;
    Bus bus(m, ctx, &irqs);
    std::vector<std::string> lines;
    Stimuli st({parse_gpio_stimulus("PC13=1@/waiting/")}, bus, sched,
               [&](const std::string &l) { lines.push_back(l); });
    st.start();
    EXPECT_TRUE(sched.due.empty()); // waits for its line
    st.console_line("[cm7] booting");
    EXPECT_TRUE(sched.due.empty());
    st.console_line("[cm7] waiting for B1");
    ASSERT_EQ(sched.due.size(), 1u);
    st.timer_fired(sched.due[0].second);
    EXPECT_EQ(lines, std::vector<std::string>{"[board] PC13 = 1"});
    BusAccess moder{0, "cm7", 0x58020800, 0, 4};
    bus.write(moder, 0); // GPIOC_MODER: all inputs
    BusAccess idr{0, "cm7", 0x58020810, 0, 4};
    EXPECT_TRUE(bus.read(idr) & (1u << 13));
    st.console_line("[cm7] waiting for B1"); // fires once only
    EXPECT_EQ(sched.due.size(), 1u);
}
} // namespace

namespace {
// --analog PIN=VOLTS[@WHEN]: a pin voltage (what an ADC channel on it converts),
// the same WHEN syntax as --gpio.
TEST(Stimulus, AnalogSpecs)
{
    auto s = parse_analog_stimulus("PA0=1.65@100ms");
    EXPECT_EQ(s.pin.port, "A");
    EXPECT_EQ(s.pin.pin, 0u);
    ASSERT_TRUE(s.volts.has_value());
    EXPECT_DOUBLE_EQ(*s.volts, 1.65);
    EXPECT_EQ(s.delay_ns, 100000000u);
    EXPECT_EQ(s.label, "PA0 = 1.650 V");
    EXPECT_EQ(parse_analog_stimulus("PF8=3.3@/ready/").after.value_or(""), "ready");
    EXPECT_THROW(parse_analog_stimulus("PA0=4"), ConfigError);     // above 3.6 V
    EXPECT_THROW(parse_analog_stimulus("PA0=-1"), ConfigError);
    EXPECT_THROW(parse_analog_stimulus("PA0=1.2V"), ConfigError);
    EXPECT_THROW(parse_analog_stimulus("PA0"), ConfigError);
    EXPECT_FALSE(parse_gpio_stimulus("PA0=1").volts.has_value());
}

// The pin voltages: 0 V until driven; the last driver wins.
TEST(Stimulus, AnalogNetsKeepTheLastDrivenVoltage)
{
    AnalogNets n;
    EXPECT_DOUBLE_EQ(n.volts("PA4"), 0.0);
    n.drive("PA4", 1.0, "host");
    n.drive("PA4", 2.0, "DAC1");
    EXPECT_DOUBLE_EQ(n.volts("PA4"), 2.0);
    EXPECT_DOUBLE_EQ(n.volts("PA0"), 0.0);
}

// An --analog stimulus drives the pin's voltage at its time, with a board line.
TEST(Stimulus, AnalogStimulusDrivesThePin)
{
    struct Sched : Scheduler {
        std::vector<std::pair<unsigned, uint64_t>> due;
        uint64_t now_ns() const override { return 5000; }
        void schedule(Device *, unsigned tag, uint64_t at) override { due.emplace_back(tag, at); }
    } sched;
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    DeviceContext ctx;
    struct NoIrqs : IrqSink {
        void set_irq(CoreId, unsigned, bool) override {}
        void send_event(CoreId) override {}
    } irqs;
    Bus bus(m, ctx, &irqs);
    AnalogNets nets;
    std::vector<std::string> lines;
    Stimuli st({parse_analog_stimulus("PA0=0.8@2ms")}, bus, sched, [&](const std::string &l) { lines.push_back(l); });
    st.set_analog(&nets);
    st.start();
    ASSERT_EQ(sched.due.size(), 1u);
    EXPECT_EQ(sched.due[0].second, 5000u + 2000000u + 1u);
    st.timer_fired(sched.due[0].first);
    EXPECT_DOUBLE_EQ(nets.volts("PA0"), 0.8);
    EXPECT_EQ(lines, std::vector<std::string>{"[board] PA0 = 0.800 V"});
}
} // namespace
