#include "stm32_tim.h"
#include "../model_registry.h"

#include "../log.h"

namespace ampvp {

Stm32Tim::Stm32Tim(const std::string &name) : RegisterDevice(name), irq_(add_irq("irq"))
{
    auto &r = regs_;
    r.reg("CR1", 0x00, 0)
        .field("CEN", 0, 1, Acc::RW, &cen_)
        .field("UDIS", 1, 1, Acc::RW, &udis_)
        .field("URS", 2, 1, Acc::RW, &urs_)
        .field("OPM", 3, 1, Acc::RW, &opm_)
        .unimpl("DIR", 4, 1)
        .unimpl("CMS", 5, 2)
        .field("ARPE", 7, 1, Acc::RW, &arpe_)
        .unimpl("CKD", 8, 2)
        .unimpl("UIFREMAP", 11, 1)
        .post_write([this](BusAccess &, uint32_t old, uint32_t now, uint32_t) {
            if (cen_.in(now) && !cen_.in(old)) {
                restart(cnt_->value);
            } else if (!cen_.in(now) && cen_.in(old)) {
                cnt_->value = counter(); // freeze
                if (ctx_.scheduler) {
                    ctx_.scheduler->schedule(this, 0, 0);
                }
            }
        });
    r.reg("CR2", 0x04, 0).unimpl("CR2", 0, 32);
    r.reg("SMCR", 0x08, 0).unimpl("SMCR", 0, 32);
    r.reg("DIER", 0x0C, 0).field("UIE", 0, 1, Acc::RW, &uie_).unimpl("OTHER", 1, 31);
    r.reg("SR", 0x10, 0).field("UIF", 0, 1, Acc::W0C, &uif_).unimpl("CCxIF", 1, 31, Acc::W0C);
    egr_ = &r.reg("EGR", 0x14, 0)
                .field("UG", 0, 1, Acc::WO, &ug_)
                .unimpl("OTHER", 1, 7, Acc::WO)
                .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
                    egr_->value = 0;
                    if (ug_.in(now)) {
                        update_event(true);
                    }
                });
    r.reg("CCMR1", 0x18, 0).unimpl("CCMR1", 0, 32);
    r.reg("CCMR2", 0x1C, 0).unimpl("CCMR2", 0, 32);
    r.reg("CCER", 0x20, 0).unimpl("CCER", 0, 32);
    // CNT and ARR are whole-register fields: the model uses the registers.
    cnt_ = &r.reg("CNT", 0x24, 0)
                .field("CNT", 0, 32, Acc::RW)
                .on_read([this](BusAccess &, uint32_t v) { return cen_.on() ? counter() : v; })
                .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
                    if (cen_.on()) {
                        restart(now);
                    }
                });
    r.reg("PSC", 0x28, 0).field("PSC", 0, 16, Acc::RW, &psc_);
    arr_ = &r.reg("ARR", 0x2C, 0xFFFF)
                .field("ARR", 0, 32, Acc::RW)
                .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
                    if (!arpe_.on()) {
                        // Not buffered: the new period applies to the running count.
                        const uint32_t cnt = counter();
                        arr_active_ = now;
                        if (cen_.on()) {
                            restart(cnt);
                        }
                    }
                });
    r.reg("RCR", 0x30, 0).unimpl("REP", 0, 16);
    for (unsigned k = 0; k < 4; k++) {
        r.reg("CCR" + std::to_string(k + 1), 0x34 + 4 * k, 0).unimpl("CCR", 0, 32);
    }
    r.reg("BDTR", 0x44, 0).unimpl("BDTR", 0, 32);
    r.reg("DCR", 0x48, 0).unimpl("DCR", 0, 32);
    r.reg("DMAR", 0x4C, 0).unimpl("DMAB", 0, 32);
}

void Stm32Tim::configure(const std::map<std::string, std::string> &params,
                         const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
        clock_id_ = -2;
    }
}

void Stm32Tim::reset()
{
    RegisterDevice::reset();
    psc_active_ = 0;
    arr_active_ = 0xFFFF;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
}

uint64_t Stm32Tim::tick_ns() const
{
    if (ctx_.clock_source && clock_id_ == -2) {
        clock_id_ = ctx_.clock_source->clock_id(clock_); // once: no name lookup per access
    }
    const uint64_t hz = ctx_.clock_source ? ctx_.clock_source->hz(clock_id_) : 0;
    const uint64_t f = hz ? hz : 64000000; // the reset clock if no clock model answers
    // Nanoseconds per counter tick, kept as a rounded integer (>= 1).
    const uint64_t ns = (1000000000ull * (psc_active_ + 1ull) + f / 2) / f;
    return ns ? ns : 1;
}

uint32_t Stm32Tim::counter() const
{
    if (!ctx_.scheduler) {
        return anchor_cnt_;
    }
    const uint64_t ticks = (ctx_.scheduler->now_ns() - anchor_ns_) / tick_ns();
    const uint64_t period = arr_active_ + 1ull;
    return static_cast<uint32_t>((anchor_cnt_ + ticks) % period);
}

void Stm32Tim::restart(uint32_t from)
{
    anchor_cnt_ = from > arr_active_ ? 0 : from;
    anchor_ns_ = ctx_.scheduler ? ctx_.scheduler->now_ns() : 0;
    schedule_next();
}

void Stm32Tim::schedule_next()
{
    if (!ctx_.scheduler || !cen_.on()) {
        return;
    }
    // The update comes when the counter passes ARR back to 0.
    const uint64_t to_go = arr_active_ + 1ull - anchor_cnt_;
    ctx_.scheduler->schedule(this, 0, anchor_ns_ + to_go * tick_ns());
}

void Stm32Tim::update_event(bool software)
{
    // Shadow registers load at every update event.
    psc_active_ = psc_.get();
    arr_active_ = arr_->value;
    if (!udis_.on() && !(software && urs_.on())) {
        uif_.set(1);
    }
    if (software) {
        cnt_->value = 0;
        if (cen_.on()) {
            restart(0);
        }
    }
    update_irq();
}

void Stm32Tim::timer_fired(unsigned)
{
    if (!cen_.on()) {
        return;
    }
    // Re-anchor exactly at the overflow so no time is lost between updates.
    const uint64_t at = anchor_ns_ + (arr_active_ + 1ull - anchor_cnt_) * tick_ns();
    update_event(false);
    if (opm_.on()) {
        cen_.set(0);
        cnt_->value = 0;
        return;
    }
    anchor_cnt_ = 0;
    anchor_ns_ = at;
    schedule_next();
}

void Stm32Tim::update_irq()
{
    irq_.set(uif_.on() && uie_.on());
}

} // namespace ampvp

AMPVP_MODEL("stm32-tim", ampvp::Stm32Tim)
