#include "device.h"

namespace ampvp {

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
    }
}

void IrqLine::set(bool level)
{
    if (level == level_) {
        return;
    }
    level_ = level;
    for (const auto &t : targets_) {
        drive(t, level);
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

IrqLine &Device::add_irq(const std::string &name)
{
    irqs_.push_back(std::make_unique<IrqLine>(name));
    return *irqs_.back();
}

} // namespace ampvp
