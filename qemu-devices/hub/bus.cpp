#include "bus.h"

#include "log.h"
#include "model_registry.h"

#include <algorithm>
#include <functional>
#include <map>

namespace ampvp {

Bus::Bus(const MachineDesc &machine, const DeviceContext &ctx, IrqSink *irqs)
    : machine_(machine), ctx_(ctx)
{
    std::vector<std::string> core_names;
    for (const auto &c : machine.cores) {
        core_names.push_back(c.name);
    }
    for (const auto &p : machine.peripherals) {
        Device *dev = nullptr;
        if (!p.model.empty()) {
            devices_.push_back(make_model(p.model, p.name));
            dev = devices_.back().get();
            dev->set_context(ctx);
            // The chip's option bytes are visible to every model; a model's
            // own params come on top.
            std::map<std::string, std::string> params = machine.option_bytes;
            for (const auto &[k, v] : p.params) {
                params[k] = v;
            }
            try {
                dev->configure(params, core_names);
            } catch (const ConfigError &e) {
                throw ConfigError(machine.source + ": peripheral " + p.name + ": " + e.what());
            }
        }
        map_.push_back({p.base, p.size, dev, &p});
    }
    // The clock model (if any) answers every model's clock questions.
    if (const std::string *clocks = machine.role("clocks")) {
        ctx_.clock_source = dynamic_cast<const ClockSource *>(device(*clocks));
        if (!ctx_.clock_source) {
            throw ConfigError(machine.source + ": roles.clocks: " + *clocks +
                              "'s model answers no clock questions");
        }
    }
    if (ctx_.clock_source) {
        for (auto &d : devices_) {
            d->set_context(ctx_);
        }
    }
    for (const auto &m : machine.memories) {
        if (m.flash) {
            flash_.push_back({m.base, m.size});
        }
    }
    if (const std::string *fl = machine.role("flash")) {
        flash_ctl_ = device(*fl);
        if (!flash_ctl_) {
            throw ConfigError(machine.source + ": roles.flash: " + *fl + " is not a modelled peripheral");
        }
    }
    // Outputs can target other devices, so connect once all exist.
    for (const auto &e : map_) {
        if (!e.dev) {
            continue;
        }
        for (const auto &[out, targets] : e.desc->irqs) {
            if (out.size() > 1 && out.back() == '*') {
                // "pin*": the numbered outputs pin0, pin1 ... go to consecutive
                // lines or inputs, starting at the one given.
                const std::string stem = out.substr(0, out.size() - 1);
                unsigned k = 0;
                for (IrqLine *line; (line = e.dev->irq(stem + std::to_string(k))); k++) {
                    for (SignalTarget t : targets) {
                        t.n += k;
                        connect(*line, t, irqs, e.desc->name + "." + stem + std::to_string(k));
                    }
                }
                if (k == 0) {
                    throw ConfigError(machine.source + ": peripheral " + e.desc->name + ": model " +
                                      e.desc->model + " has no outputs '" + stem + "0', '" + stem +
                                      "1' ... for '" + out + "'");
                }
                continue;
            }
            IrqLine *line = e.dev->irq(out);
            if (!line) {
                throw ConfigError(machine.source + ": peripheral " + e.desc->name + ": model " +
                                  e.desc->model + " has no output '" + out + "'");
            }
            for (const auto &t : targets) {
                connect(*line, t, irqs, e.desc->name + "." + out);
            }
        }
    }
    for (const auto &c : machine.cores) {
        txev_.push_back(std::make_unique<IrqLine>(c.name + ".txev"));
        for (const auto &t : c.txev) {
            connect(*txev_.back(), t, irqs, c.name + ".txev");
        }
        sysresetreq_.push_back(std::make_unique<IrqLine>(c.name + ".sysresetreq"));
        for (const auto &t : c.sysresetreq) {
            connect(*sysresetreq_.back(), t, irqs, c.name + ".sysresetreq");
        }
    }
    std::sort(map_.begin(), map_.end(), [](const Entry &a, const Entry &b) { return a.base < b.base; });
}

void Bus::connect(IrqLine &line, const SignalTarget &t, IrqSink *irqs, const std::string &what)
{
    if (t.is_core) {
        CoreId c = machine_.core_index(t.target);
        if (machine_.cores[c].host() && (t.event || t.wakeup)) {
            return; // a core played by a model has no event or wake-up input
        }
        if (t.event) {
            line.connect_event(irqs, c); // edges: nothing to combine
            return;
        }
        // Levels: several sources on one line are ORed (RM0399 vector table:
        // "TIM6 global interrupt, DAC1 underrun"; ECC_IRQn for RAMECC1-3).
        SharedLine &in = core_input(c, t.wakeup, t.n, irqs);
        line.connect_shared(&in, in.add_source());
        return;
    }
    Device *d = device(t.target);
    if (!d) {
        throw ConfigError(machine_.source + ": " + what + " targets " + t.target +
                          ", which has no model to receive it");
    }
    if (t.reset) {
        // A peripheral reset line (an RCC xxxRSTSETR bit): the peripheral
        // returns to its reset state when the line rises.
        struct ResetInput : Device {
            Device *target;
            bool level = false;
            explicit ResetInput(Device *d) : Device(d->name() + ".reset"), target(d) {}
            uint32_t read(BusAccess &) override { return 0; }
            void write(BusAccess &, uint32_t) override {}
            void input(unsigned, bool l) override
            {
                if (l && !level) {
                    AMPVP_TRACE("power", target->name(), "peripheral reset");
                    target->reset();
                }
                level = l;
            }
        };
        reset_inputs_.push_back(std::make_unique<ResetInput>(d));
        line.connect_input(reset_inputs_.back().get(), 0);
        return;
    }
    line.connect_input(d, t.n);
}

SharedLine &Bus::core_input(CoreId c, bool wakeup, unsigned n, IrqSink *irqs)
{
    auto &slot = core_inputs_[{c, wakeup, n}];
    if (!slot) {
        const auto &core = machine_.cores[c];
        slot = std::make_unique<SharedLine>(core.name + (wakeup ? ".wakeup" : ".irq" + std::to_string(n)));
        if (core.host()) {
            // A core played by a model: its NVIC line n is that model's input n.
            slot->out().connect_input(device(core.played_by), n);
        } else if (wakeup) {
            slot->out().connect_wakeup(irqs, c);
        } else {
            slot->out().connect(irqs, c, n);
        }
    }
    return *slot;
}

void Bus::core_txev(CoreId core)
{
    if (core >= 0 && core < (CoreId)txev_.size()) {
        txev_[core]->pulse();
    }
}

void Bus::core_sysresetreq(CoreId core)
{
    if (core >= 0 && core < (CoreId)sysresetreq_.size()) {
        sysresetreq_[core]->pulse();
    }
}

void Bus::core_power(CoreId core, CorePower p)
{
    for (auto &d : devices_) {
        d->core_power_changed(core, p);
    }
}

std::optional<bool> Bus::boot_gated(CoreId core) const
{
    for (const auto &d : devices_) {
        if (auto g = d->boot_gated(core)) {
            return g;
        }
    }
    return std::nullopt;
}

std::optional<uint32_t> Bus::boot_address(CoreId core) const
{
    for (const auto &d : devices_) {
        if (auto a = d->boot_address(core)) {
            return a;
        }
    }
    return std::nullopt;
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
        AMPVP_TRACE("bus", a.core_name,
                    "read" + std::to_string(a.size * 8) + " " + hex(a.addr) + " -> " + hex(v) +
                        (e ? " " + e->desc->name : ""));
    }
    return v;
}

void Bus::write(BusAccess &a, uint32_t value)
{
    const Entry *e = find(a.addr);
    if (log().tracing("bus")) {
        AMPVP_TRACE("bus", a.core_name,
                    "write" + std::to_string(a.size * 8) + " " + hex(a.addr) + " <- " + hex(value) +
                        (e ? " " + e->desc->name : ""));
    }
    if (e && e->dev) {
        a.offset = a.addr - e->base;
        e->dev->write(a, value);
        return;
    }
    for (const auto &f : flash_) {
        if (a.addr >= f.base && a.addr - f.base < f.size) {
            // A core's store to flash: the flash interface's business.
            a.offset = a.addr - f.base;
            if (flash_ctl_) {
                flash_ctl_->memory_write(a, value);
            } else {
                log().guest_error(a.core_name, "writes " + hex(value) + " to flash at " + hex(a.addr) +
                                                   " (read-only; ignored)");
            }
            return;
        }
    }
    unmodelled(a, e, true, value);
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
