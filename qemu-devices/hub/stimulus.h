// Input from the command line to the board's pins (`ampvp run --press B1@/ready/`,
// `--gpio PC13=1@200ms`): each stimulus drives a GPIO pin to a level at a time
// after the cores leave reset, or as soon as a console line matches a regular
// expression (so a test can press the button when the firmware says it waits).
// Every change prints a line "[board] B1 pressed" / "[board] PC13 = 1".
#pragma once

#include "board.h"
#include "bus.h"
#include "device.h"

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace ampvp {

struct StimulusSpec {
    PinRef pin;
    bool level = true;
    std::string label;                 // what the [board] line says
    uint64_t delay_ns = 0;             // after the start, or after the matching line
    std::optional<std::string> after;  // regex: wait for a console line matching it
};

// "PC13=1", "PC13=0@250ms", "PB7=1@/waiting/" (--gpio); throws ConfigError.
StimulusSpec parse_gpio_stimulus(const std::string &text);
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
    Scheduler &sched_;
    Output out_;
};

} // namespace ampvp
