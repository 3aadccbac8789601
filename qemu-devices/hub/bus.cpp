#include "bus.h"

#include "log.h"
#include "models/stm32_usart.h"

#include <algorithm>
#include <functional>
#include <map>

namespace ampvp {

namespace {
using Factory = std::function<std::unique_ptr<Device>(const std::string &)>;

const std::map<std::string, Factory> &registry()
{
    static const std::map<std::string, Factory> r = {
        {"stm32-usart", [](const std::string &n) { return std::make_unique<Stm32Usart>(n); }},
    };
    return r;
}
} // namespace

std::unique_ptr<Device> make_model(const std::string &model, const std::string &instance)
{
    auto it = registry().find(model);
    if (it == registry().end()) {
        std::string known;
        for (const auto &kv : registry()) {
            known += (known.empty() ? "" : ", ") + kv.first;
        }
        throw ConfigError("peripheral " + instance + ": unknown model '" + model +
                          "' (known: " + known + ")");
    }
    return it->second(instance);
}

std::vector<std::string> model_names()
{
    std::vector<std::string> v;
    for (const auto &kv : registry()) {
        v.push_back(kv.first);
    }
    return v;
}

Bus::Bus(const MachineDesc &machine, const DeviceContext &ctx, IrqSink *irqs)
    : machine_(machine), ctx_(ctx)
{
    for (const auto &p : machine.peripherals) {
        Device *dev = nullptr;
        if (!p.model.empty()) {
            devices_.push_back(make_model(p.model, p.name));
            dev = devices_.back().get();
            dev->set_context(ctx);
            for (const auto &[out, per_core] : p.irqs) {
                IrqLine *line = dev->irq(out);
                if (!line) {
                    throw ConfigError(machine.source + ": peripheral " + p.name + ": model " +
                                      p.model + " has no IRQ output '" + out + "'");
                }
                for (const auto &[core, n] : per_core) {
                    line->connect(irqs, machine.core_index(core), n);
                }
            }
        }
        map_.push_back({p.base, p.size, dev, &p});
    }
    std::sort(map_.begin(), map_.end(), [](const Entry &a, const Entry &b) { return a.base < b.base; });
}

const Bus::Entry *Bus::find(uint64_t addr) const
{
    auto it = std::upper_bound(map_.begin(), map_.end(), addr,
                               [](uint64_t a, const Entry &e) { return a < e.base; });
    if (it == map_.begin()) {
        return nullptr;
    }
    --it;
    return addr < it->base + it->size ? &*it : nullptr;
}

void Bus::unmodelled(BusAccess &a, const Entry *e, bool is_write, uint32_t value)
{
    std::string where = e ? e->desc->name + "+" + hex(a.addr - e->base, 3) + " (" + hex(a.addr) + ")"
                          : hex(a.addr);
    std::string what = is_write ? a.core_name + " write of " + hex(value) + " to " + where
                                : a.core_name + " read of " + where;
    std::string why = e ? "peripheral " + e->desc->name + " is not modelled"
                        : "no peripheral at this address";
    log().unimplemented("bus/" + a.core_name + "/" + std::to_string(a.addr & ~3ull),
                        what + ": " + why + "; " +
                            (ctx_.strict ? "bus error (strict)"
                                         : (is_write ? "write ignored" : "reads as 0")));
    a.fault = ctx_.strict;
}

uint32_t Bus::read(BusAccess &a)
{
    const Entry *e = find(a.addr);
    uint32_t v = 0;
    if (e && e->dev) {
        a.offset = a.addr - e->base;
        v = e->dev->read(a);
    } else {
        unmodelled(a, e, false, 0);
    }
    if (log().tracing("bus")) {
        log().trace("bus", a.time_ns, a.core_name,
                    "read" + std::to_string(a.size * 8) + " " + hex(a.addr) + " -> " + hex(v) +
                        (e ? " " + e->desc->name : ""));
    }
    return v;
}

void Bus::write(BusAccess &a, uint32_t value)
{
    const Entry *e = find(a.addr);
    if (log().tracing("bus")) {
        log().trace("bus", a.time_ns, a.core_name,
                    "write" + std::to_string(a.size * 8) + " " + hex(a.addr) + " <- " + hex(value) +
                        (e ? " " + e->desc->name : ""));
    }
    if (e && e->dev) {
        a.offset = a.addr - e->base;
        e->dev->write(a, value);
    } else {
        unmodelled(a, e, true, value);
    }
}

Device *Bus::device(const std::string &name)
{
    for (auto &d : devices_) {
        if (d->name() == name) {
            return d.get();
        }
    }
    return nullptr;
}

void Bus::reset()
{
    for (auto &d : devices_) {
        d->reset();
    }
}

} // namespace ampvp
