#include "device.h"

namespace ampvp {

void IrqLine::set(bool level)
{
    if (level == level_) {
        return;
    }
    level_ = level;
    for (const auto &t : targets_) {
        t.sink->set_irq(t.core, t.line, level);
    }
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

IrqLine &Device::add_irq(const std::string &name)
{
    irqs_.push_back(std::make_unique<IrqLine>(name));
    return *irqs_.back();
}

} // namespace ampvp
