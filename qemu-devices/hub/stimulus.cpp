#include "stimulus.h"
#include "timeline.h"

#include "log.h"
#include "machine.h"

#include <cstdio>

namespace ampvp {

namespace {
constexpr uint64_t kPressHoldNs = 50'000'000; // a button press lasts 50 ms

// "250ms", "2s", "/regex/" (after '@'); sets delay or after.
void parse_when(const std::string &when, const std::string &text, StimulusSpec &s)
{
    if (when.size() >= 2 && when.front() == '/' && when.back() == '/') {
        s.after = when.substr(1, when.size() - 2);
        try {
            std::regex re(*s.after, std::regex::ECMAScript);
        } catch (const std::regex_error &e) {
            throw ConfigError("'" + text + "': bad regular expression: " + e.what());
        }
        return;
    }
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(when, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    const std::string unit = when.substr(used);
    if (used == 0 || v < 0 || (unit != "ms" && unit != "s")) {
        throw ConfigError("'" + text + "': the time after '@' must look like 250ms, 2s or /regex/");
    }
    s.delay_ns = static_cast<uint64_t>(v * (unit == "s" ? 1e9 : 1e6));
}
} // namespace

// "WHAT@WHEN" -> WHAT, with WHEN parsed into s.
static std::string split_when(const std::string &text, StimulusSpec &s)
{
    const size_t at = text.find('@');
    if (at == std::string::npos) {
        return text;
    }
    parse_when(text.substr(at + 1), text, s);
    return text.substr(0, at);
}

StimulusSpec parse_gpio_stimulus(const std::string &text)
{
    StimulusSpec s;
    const std::string what = split_when(text, s);
    const size_t eq = what.find('=');
    if (eq == std::string::npos || (what.substr(eq + 1) != "0" && what.substr(eq + 1) != "1")) {
        throw ConfigError("--gpio '" + text + "': expected PIN=0 or PIN=1, e.g. PC13=1@100ms");
    }
    s.pin = parse_pin(what.substr(0, eq));
    s.level = what[eq + 1] == '1';
    s.label = what.substr(0, eq) + " = " + what.substr(eq + 1);
    return s;
}

StimulusSpec parse_analog_stimulus(const std::string &text)
{
    StimulusSpec s;
    const std::string what = split_when(text, s);
    const size_t eq = what.find('=');
    double v = -1;
    size_t used = 0;
    if (eq != std::string::npos) {
        try {
            v = std::stod(what.substr(eq + 1), &used);
        } catch (const std::exception &) {
            used = 0;
        }
    }
    if (eq == std::string::npos || used == 0 || used != what.size() - eq - 1 || v < 0 || v > 3.6) {
        throw ConfigError("--analog '" + text + "': expected PIN=VOLTS with 0 <= VOLTS <= 3.6, e.g. PA0=1.65@100ms");
    }
    s.pin = parse_pin(what.substr(0, eq));
    s.volts = v;
    char b[48];
    std::snprintf(b, sizeof(b), " = %.3f V", v);
    s.label = what.substr(0, eq) + b;
    return s;
}

double AnalogNets::volts(const std::string &pin) const
{
    auto it = v_.find(pin);
    return it == v_.end() ? 0.0 : it->second;
}

void AnalogNets::drive(const std::string &pin, double v, const std::string &by)
{
    v_[pin] = v;
    if (log().tracing("adc")) {
        char b[64];
        std::snprintf(b, sizeof(b), "%s = %.4f V", pin.c_str(), v);
        AMPVP_TRACE("adc", by, b);
    }
}

std::vector<StimulusSpec> parse_press_stimulus(const std::string &text, const BoardDesc &board)
{
    StimulusSpec press;
    const std::string name = split_when(text, press);
    const ButtonDesc *b = nullptr;
    std::string known;
    for (const auto &d : board.buttons) {
        b = d.name == name ? &d : b;
        known += (known.empty() ? "" : ", ") + d.name;
    }
    if (!b) {
        throw ConfigError("--press '" + text + "': " +
                          (board.name.empty() ? std::string("no --board given")
                                              : "board " + board.name + " has no button '" + name +
                                                    "'" + (known.empty() ? "" : " (buttons: " + known + ")")));
    }
    press.pin = b->pin;
    press.level = b->active_high;
    press.label = b->name + " pressed";
    StimulusSpec release = press;
    release.level = !b->active_high;
    release.label = b->name + " released";
    release.delay_ns += kPressHoldNs;
    return {press, release};
}

Stimuli::Stimuli(std::vector<StimulusSpec> specs, Bus &bus, Scheduler &sched, Output out)
    : Device("stimuli"), sched_(sched), out_(std::move(out))
{
    if (!out_) {
        out_ = [](const std::string &line) { Log::write_line(stdout, line); };
    }
    for (auto &s : specs) {
        Entry e;
        e.gpio = bus.device("GPIO" + s.pin.port);
        if (!e.gpio) {
            throw ConfigError("pin P" + s.pin.port + std::to_string(s.pin.pin) +
                              ": the machine has no modelled GPIO" + s.pin.port);
        }
        if (s.after) {
            e.re = std::regex(*s.after, std::regex::ECMAScript);
        }
        e.spec = std::move(s);
        entries_.push_back(std::move(e));
    }
}

void Stimuli::start()
{
    for (size_t i = 0; i < entries_.size(); i++) {
        if (!entries_[i].re) {
            entries_[i].armed = true;
            // +1: a deadline of 0 would cancel it.
            sched_.schedule(this, static_cast<unsigned>(i), sched_.now_ns() + entries_[i].spec.delay_ns + 1);
        }
    }
}

void Stimuli::console_line(const std::string &line)
{
    for (size_t i = 0; i < entries_.size(); i++) {
        Entry &e = entries_[i];
        if (!e.armed && e.re && std::regex_search(line, *e.re)) {
            e.armed = true;
            sched_.schedule(this, static_cast<unsigned>(i), sched_.now_ns() + e.spec.delay_ns + 1);
        }
    }
}

void Stimuli::timer_fired(unsigned tag)
{
    if (tag >= entries_.size()) {
        return;
    }
    const Entry &e = entries_[tag];
    out_("[board] " + e.spec.label);
    if (e.spec.volts) {
        if (analog_) {
            analog_->drive("P" + e.spec.pin.port + std::to_string(e.spec.pin.pin), *e.spec.volts, "host");
        }
        return;
    }
    Timeline::Scope tl_scope(""); // the host drives a pin: what follows is its doing
    AMPVP_TL(input(e.spec.label, e.spec.level));
    e.gpio->input(e.spec.pin.pin, e.spec.level);
}

} // namespace ampvp
