// Input from the command line to the board's pins (`ampvp run --press B1@/ready/`,
// `--gpio PC13=1@200ms`): each stimulus drives a GPIO pin to a level at a time
// after the cores leave reset, or as soon as a console line matches a regular
// expression (so a test can press the button when the firmware says it waits).
// Every change prints a line "[board] B1 pressed" / "[board] PC13 = 1".
// `--analog PA0=1.65@100ms` drives a pin's voltage instead (what an ADC channel
// on that pin converts): "[board] PA0 = 1.650 V".
#pragma once

#include "board.h"
#include "bus.h"
#include "device.h"

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace ampvp {

struct StimulusSpec {
    PinRef pin;
    bool level = true;
    std::optional<double> volts;       // --analog: a voltage instead of a level
    std::string label;                 // what the [board] line says
    uint64_t delay_ns = 0;             // after the start, or after the matching line
    std::optional<std::string> after;  // regex: wait for a console line matching it
};

// "PC13=1", "PC13=0@250ms", "PB7=1@/waiting/" (--gpio); throws ConfigError.
StimulusSpec parse_gpio_stimulus(const std::string &text);
// "PA0=1.65", "PA0=0.5@200ms", "PA0=3.3@/ready/" (--analog, volts 0..3.6);
// throws ConfigError.
StimulusSpec parse_analog_stimulus(const std::string &text);

// The analog voltages of the package's pins (AnalogPins): what the host
// drives (--analog) and what DAC outputs drive; 0 V where nothing does.
// "--trace adc" prints every change.
class AnalogNets : public AnalogPins {
public:
    double volts(const std::string &pin) const override;
    void drive(const std::string &pin, double volts, const std::string &by) override;

private:
    std::map<std::string, double> v_;
};
// "B1", "B1@2s", "B1@/press the button/" (--press): a press and, 50 ms later,
// the release, as two stimuli; the button must be on the board.
std::vector<StimulusSpec> parse_press_stimulus(const std::string &text, const BoardDesc &board);

class Stimuli : public Device {
public:
    using Output = std::function<void(const std::string &line)>;
    // Checks every pin against the bus (a modelled GPIO port); throws ConfigError.
    Stimuli(std::vector<StimulusSpec> specs, Bus &bus, Scheduler &sched, Output out = nullptr);
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    // Where --analog stimuli drive their pins (needed if there are any).
    void set_analog(AnalogPins *a) { analog_ = a; }
    // The cores left reset: timed stimuli start counting.
    void start();
    // A console line: stimuli waiting for it are scheduled.
    void console_line(const std::string &line);
    void timer_fired(unsigned tag) override;

private:
    struct Entry {
        StimulusSpec spec;
        std::optional<std::regex> re;
        Device *gpio = nullptr;
        bool armed = false; // scheduled (or done)
    };
    std::vector<Entry> entries_;
    AnalogPins *analog_ = nullptr;
    Scheduler &sched_;
    Output out_;
};

} // namespace ampvp
