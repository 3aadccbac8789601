// Boards (machine/boards/*.json): a machine plus what is soldered around it --
// LEDs and buttons on GPIO pins, the console UART, the HSE frequency.  LED
// changes are printed as "[board] LED1 on" / "[board] LED1 off", and an LED a
// timer drives with a PWM as "[board] LED1 pwm 50% 1 kHz".
#pragma once

#include "bus.h"
#include "device.h"

#include <functional>
#include <string>
#include <vector>

namespace ampvp {

struct PinRef {
    std::string port; // "B" -> peripheral "GPIOB"
    unsigned pin = 0;
};
PinRef parse_pin(const std::string &text); // "PB0"; throws ConfigError

struct LedDesc {
    std::string name, color;
    PinRef pin;
    bool active_high = true;
};

// A push button: pressing it drives its pin to the active level (the board's
// pull resistor holds the other level while it is released).
struct ButtonDesc {
    std::string name;
    PinRef pin;
    bool active_high = true;
};

struct BoardDesc {
    std::string name, title, machine, console, source;
    uint64_t hse_hz = 0;
    std::vector<LedDesc> leds;
    std::vector<ButtonDesc> buttons;
    static BoardDesc load_file(const std::string &path);
};

std::string find_board(const std::string &name); // throws ConfigError
std::vector<std::string> board_names();

// Receives the LEDs' pin levels (input n = LED n) and prints their changes.
class LedPanel : public Device {
public:
    using Output = std::function<void(const std::string &line)>;
    LedPanel(std::vector<LedDesc> leds, Output out = nullptr);
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned n, bool level) override;
    // A PWM-driven LED: "[board] LED1 pwm 50% 1 kHz" (the share of the
    // period it is lit, for active-low LEDs too), once per change.
    void input_wave(unsigned n, const Waveform &w) override;
    // Connect every LED to its GPIO port's pin output; throws ConfigError.
    void attach(Bus &bus);
    // Stamp each line with the time since the cores started (verbose runs):
    // "[board] LED1 on (at 12.345 ms)".
    void show_time(const Scheduler *clock, uint64_t start_ns)
    {
        clock_ = clock;
        start_ns_ = start_ns;
    }

private:
    std::vector<LedDesc> leds_;
    Output out_;
    const Scheduler *clock_ = nullptr;
    uint64_t start_ns_ = 0;
};

} // namespace ampvp
