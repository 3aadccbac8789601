#include "stm32_wwdg.h"
#include "../model_registry.h"

#include "../log.h"

namespace ampvp {

Stm32Wwdg::Stm32Wwdg(const std::string &name) : RegisterDevice(name)
{
    rst_ = &add_irq("rst");
    ewi_ = &add_irq("ewi");
    auto &r = regs_;
    // RM0399 WWDG_CR reset value 0x0000 007F.
    cr_ = &r.reg("CR", 0x00, 0x0000007F)
               .field("T", 0, 7, Acc::RW, &t_)
               .field("WDGA", 7, 1, Acc::W1S, &wdga_)
               .on_read([this](BusAccess &, uint32_t v) { return wdga_.on() ? t_.with(v, counter()) : v; })
               .pre_write([this](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
                   if (wdga_.in(old)) {
                       // A write while running is a refresh: outside the window
                       // (counter above W) it resets.
                       const uint32_t c = counter();
                       if (c > w_.get()) {
                           fire_reset(a.core_name + " refreshed " + this->name() + " at counter " + hex(c, 2) +
                                      ", above the window " + hex(w_.get(), 2));
                       }
                   }
                   (void)next;
                   return true; // the value is stored either way (the reset follows)
               })
               .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
                   if (!wdga_.in(now)) {
                       return;
                   }
                   const uint32_t t = t_.in(now);
                   if (!(t & 0x40)) {
                       fire_reset(a.core_name + " wrote " + this->name() + ".CR with T6 = 0");
                       return;
                   }
                   load(t);
               });
    // RM0399 WWDG_CFR reset value 0x0000 007F.
    r.reg("CFR", 0x04, 0x0000007F)
        .field("W", 0, 7, Acc::RW, &w_)
        .field("EWI", 9, 1, Acc::W1S, &ewi_f_)
        .field("WDGTB", 11, 2, Acc::RW, &wdgtb_);
    r.reg("SR", 0x08, 0).field("EWIF", 0, 1, Acc::W0C, &ewif_);
}

void Stm32Wwdg::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
    }
    clock_id_ = -2;
}

uint64_t Stm32Wwdg::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

// RM0399: the counter is clocked by PCLK / 4096 / 2^WDGTB.
uint64_t Stm32Wwdg::tick_ns() const
{
    uint64_t hz = 64000000;
    if (ctx_.clock_source) {
        if (clock_id_ == -2) {
            clock_id_ = ctx_.clock_source->clock_id(clock_);
        }
        hz = ctx_.clock_source->hz(clock_id_);
    }
    if (!hz) {
        return 0;
    }
    return (4096ull << wdgtb_.get()) * 1000000000ull / hz;
}

uint32_t Stm32Wwdg::counter() const
{
    if (!tick_ns_) {
        return load_val_;
    }
    const uint64_t ticks = (now() - load_ns_) / tick_ns_;
    return ticks > load_val_ ? 0 : load_val_ - static_cast<uint32_t>(ticks);
}

void Stm32Wwdg::load(uint32_t t)
{
    load_val_ = t & 0x7F;
    load_ns_ = now();
    reset_sent_ = false;
    tick_ns_ = tick_ns();
    cr_->value = t_.with(cr_->value, load_val_);
    if (!ctx_.scheduler || !tick_ns_) {
        return;
    }
    // EWIF at 0x40, reset when it rolls to 0x3F.
    ctx_.scheduler->schedule(this, TAG_EWI, load_val_ > 0x40 ? load_ns_ + (load_val_ - 0x40) * tick_ns_ : 0);
    ctx_.scheduler->schedule(this, TAG_RESET, load_ns_ + (load_val_ - 0x3F) * tick_ns_);
}

void Stm32Wwdg::fire_reset(const std::string &why)
{
    if (reset_sent_) {
        return;
    }
    reset_sent_ = true;
    AMPVP_TRACE("power", name(), "reset: " + why);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, TAG_EWI, 0);
        ctx_.scheduler->schedule(this, TAG_RESET, 0);
    }
    rst_->pulse();
}

void Stm32Wwdg::timer_fired(unsigned tag)
{
    if (!wdga_.on()) {
        return;
    }
    if (tag == TAG_EWI) {
        ewif_.set(1);
        AMPVP_TRACE("power", name(), "early wake-up (counter 0x40)");
    } else if (tag == TAG_RESET) {
        fire_reset("counter rolled from 0x40 to 0x3F");
    }
    update_irq();
}

void Stm32Wwdg::update_irq() { ewi_->set(ewif_.on() && ewi_f_.on()); }

// Input 0: the reset of the watchdog's domain (a pulse): back to reset values.
void Stm32Wwdg::input(unsigned n, bool level)
{
    if (n == 0 && level) {
        reset();
    }
}

void Stm32Wwdg::reset()
{
    RegisterDevice::reset();
    load_val_ = 0x7F;
    tick_ns_ = 0;
    reset_sent_ = false;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, TAG_EWI, 0);
        ctx_.scheduler->schedule(this, TAG_RESET, 0);
    }
    update_irq();
}

} // namespace ampvp

AMPVP_MODEL("stm32-wwdg", ampvp::Stm32Wwdg)
