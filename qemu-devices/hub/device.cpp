#include "device.h"

#include "log.h"

#include <cstdio>

namespace ampvp {

Waveform Waveform::normalized() const
{
    if (!periodic()) {
        // high for none of the period: low; for all of it: high.
        const bool l = period_ns == 0 ? level : high_ns != 0;
        return constant(l);
    }
    Waveform w = *this;
    w.start_ns = start_ns % period_ns;
    return w;
}

Waveform Waveform::at(uint64_t t) const
{
    Waveform w = normalized();
    w.level = w.level_at(t);
    return w;
}

Waveform Waveform::inverted() const
{
    if (!periodic()) {
        return constant(!level_at(0));
    }
    Waveform i = *this;
    i.start_ns = start_ns + high_ns; // the falling edge is the new rising one
    i.high_ns = period_ns - high_ns;
    i.level = !level;
    return i;
}

bool Waveform::level_at(uint64_t t) const
{
    if (!periodic()) {
        return period_ns == 0 ? level : high_ns != 0;
    }
    const uint64_t s = start_ns % period_ns;
    const uint64_t phase = (t + period_ns - s) % period_ns;
    return phase < high_ns;
}

uint64_t Waveform::next_edge(uint64_t after, bool rising) const
{
    if (!periodic()) {
        return 0;
    }
    // Rising edges at start + k * period, falling ones high_ns later.
    const uint64_t s = (start_ns + (rising ? 0 : high_ns)) % period_ns;
    if (after < s) {
        return s;
    }
    return s + ((after - s) / period_ns + 1) * period_ns;
}

std::string Waveform::describe() const
{
    if (!periodic()) {
        return level_at(0) ? "1" : "0";
    }
    // Duty in percent (one decimal unless whole), frequency with a unit.
    char duty[32], freq[32];
    const double d = 100.0 * static_cast<double>(high_ns) / static_cast<double>(period_ns);
    if (d == static_cast<double>(static_cast<long>(d))) {
        std::snprintf(duty, sizeof(duty), "%ld%%", static_cast<long>(d));
    } else {
        std::snprintf(duty, sizeof(duty), "%.1f%%", d);
    }
    const double hz = 1e9 / static_cast<double>(period_ns);
    const char *unit = "Hz";
    double v = hz;
    if (hz >= 1e6) {
        v = hz / 1e6;
        unit = "MHz";
    } else if (hz >= 1e3) {
        v = hz / 1e3;
        unit = "kHz";
    }
    std::snprintf(freq, sizeof(freq), "%.4g %s", v, unit);
    return std::string("pwm ") + duty + " " + freq;
}

void IrqLine::drive(const Target &t, bool level)
{
    switch (t.kind) {
    case Kind::Nvic:
        t.sink->set_irq(t.core, t.line, level);
        break;
    case Kind::Event:
        if (level) {
            t.sink->send_event(t.core); // events are edges: the rising one counts
        }
        break;
    case Kind::Wakeup:
        t.sink->set_wakeup(t.core, level);
        break;
    case Kind::Input:
        t.dev->input(t.line, level);
        break;
    case Kind::Shared:
        t.shared->set(t.line, level);
        break;
    }
}

void SharedLine::set(unsigned source, bool level)
{
    if (source >= high_.size() || high_[source] == level) {
        return;
    }
    high_[source] = level;
    n_high_ = level ? n_high_ + 1 : n_high_ - 1;
    out_.set(n_high_ != 0);
}

void IrqLine::set(bool level)
{
    if (wave_.periodic()) {
        set_wave(Waveform::constant(level)); // the periodic signal ends
        return;
    }
    if (level == level_) {
        return;
    }
    level_ = level;
    wave_ = Waveform::constant(level);
    for (const auto &t : targets_) {
        drive(t, level);
    }
}

bool IrqLine::changes(const Waveform &w) const
{
    const Waveform n = w.normalized();
    return !(n == wave_ && (n.periodic() || n.level == level_));
}

void IrqLine::resend()
{
    for (const auto &t : targets_) {
        if (t.kind == Kind::Input) {
            t.dev->input_wave(t.line, wave_);
        }
    }
}

void IrqLine::set_wave(const Waveform &w)
{
    if (!changes(w)) {
        return;
    }
    const Waveform n = w.normalized();
    const bool changed = n.level != level_;
    wave_ = n;
    level_ = n.level;
    for (const auto &t : targets_) {
        if (t.kind == Kind::Input) {
            t.dev->input_wave(t.line, n);
        } else if (changed) {
            drive(t, n.level);
        }
    }
}

void IrqLine::pulse()
{
    if (level_) {
        return; // already high: no new edge
    }
    set(true);
    set(false);
}

const char *core_power_name(CorePower p)
{
    switch (p) {
    case CorePower::Run: return "run";
    case CorePower::Sleep: return "sleep";
    case CorePower::DeepSleep: return "deep-sleep";
    }
    return "?";
}

IrqLine *Device::irq(const std::string &name)
{
    for (auto &l : irqs_) {
        if (l->name() == name) {
            return l.get();
        }
    }
    return nullptr;
}

CoreId Device::param_core(const std::map<std::string, std::string> &params, const std::string &key,
                          const std::vector<std::string> &core_names)
{
    auto it = params.find(key);
    if (it == params.end()) {
        throw ConfigError("needs params \"" + key + "\" (a core name)");
    }
    for (size_t c = 0; c < core_names.size(); c++) {
        if (core_names[c] == it->second) {
            return static_cast<CoreId>(c);
        }
    }
    throw ConfigError("params \"" + key + "\": '" + it->second + "' is not a core");
}

void Device::memory_write(BusAccess &a, uint32_t value)
{
    (void)value;
    log().guest_error(a.core_name, "writes to read-only memory at " + hex(a.addr) + " (" + name() +
                                       " takes no writes there; ignored)");
}

IrqLine &Device::add_irq(const std::string &name)
{
    irqs_.push_back(std::make_unique<IrqLine>(name));
    return *irqs_.back();
}

} // namespace ampvp
