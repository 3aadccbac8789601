#include "stm32_lptim.h"
#include "../model_registry.h"

#include "../log.h"

namespace ampvp {

Stm32Lptim::Stm32Lptim(const std::string &name) : RegisterDevice(name)
{
    irq_ = &add_irq("irq");
    wkup_ = &add_irq("wkup");
    out_ = &add_irq("out");
    auto &r = regs_;
    isr_ = &r.reg("ISR", 0x00, 0)
                .field("CMPM", 0, 1, Acc::RO, &cmpm_)
                .field("ARRM", 1, 1, Acc::RO, &arrm_)
                .field("EXTTRIG", 2, 1, Acc::RO)
                .field("CMPOK", 3, 1, Acc::RO, &cmpok_)
                .field("ARROK", 4, 1, Acc::RO, &arrok_)
                .field("UP", 5, 1, Acc::RO)
                .field("DOWN", 6, 1, Acc::RO)
                .on_read([this](BusAccess &, uint32_t v) {
                    if (counting_) {
                        timer_fired(0); // flags up to now
                        return isr_->value;
                    }
                    return v;
                });
    r.reg("ICR", 0x04, 0)
        .field("CF", 0, 7, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            if (counting_) {
                timer_fired(0); // flags up to now, then clear the ones asked
            }
            isr_->value &= ~(now & 0x7Fu);
            regs_.at(0x04)->value = 0;
        });
    auto disabled_only = [this](const char *reg) {
        return [this, reg](BusAccess &a, uint32_t, uint32_t &, uint32_t) {
            if (enable_.on()) {
                log().guest_error(a.core_name, this->name() + "." + reg + " written while the LPTIM is enabled "
                                               "(RM0399: only when CR.ENABLE = 0): ignored");
                return false;
            }
            return true;
        };
    };
    ier_ = &r.reg("IER", 0x08, 0)
                .field("CMPMIE", 0, 1, Acc::RW)
                .field("ARRMIE", 1, 1, Acc::RW)
                .field("EXTTRIGIE", 2, 1, Acc::RW)
                .field("CMPOKIE", 3, 1, Acc::RW)
                .field("ARROKIE", 4, 1, Acc::RW)
                .field("UPIE", 5, 1, Acc::RW)
                .field("DOWNIE", 6, 1, Acc::RW)
                .pre_write(disabled_only("IER"));
    r.reg("CFGR", 0x0C, 0)
        .unimpl("CKSEL", 0, 1, Acc::RW, &cksel_)
        .unimpl("CKPOL", 1, 2)
        .unimpl("CKFLT", 3, 2)
        .unimpl("TRGFLT", 6, 2)
        .field("PRESC", 9, 3, Acc::RW, &presc_)
        .unimpl("TRIGSEL", 13, 3)
        .unimpl("TRIGEN", 17, 2)
        .unimpl("TIMOUT", 19, 1)
        .unimpl("WAVE", 20, 1)
        .field("WAVPOL", 21, 1, Acc::RW, &wavpol_)
        .field("PRELOAD", 22, 1, Acc::RW, &preload_)
        .unimpl("COUNTMODE", 23, 1, Acc::RW, &countmode_)
        .unimpl("ENC", 24, 1)
        .pre_write(disabled_only("CFGR"));
    r.reg("CR", 0x10, 0)
        .field("ENABLE", 0, 1, Acc::RW, &enable_)
        .field("SNGSTRT", 1, 1, Acc::RW, &sngstrt_)
        .field("CNTSTRT", 2, 1, Acc::RW, &cntstrt_)
        .field("COUNTRST", 3, 1, Acc::RW, &countrst_)
        .field("RSTARE", 4, 1, Acc::RW, &rstare_)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
            if (!enable_.in(now)) {
                if (enable_.in(old)) {
                    stop();
                }
                if (sngstrt_.in(now) || cntstrt_.in(now)) {
                    log().guest_error(a.core_name, this->name() + ": SNGSTRT/CNTSTRT set while CR.ENABLE = 0: ignored");
                }
                sngstrt_.set(0);
                cntstrt_.set(0);
                return;
            }
            if (countrst_.in(now)) {
                countrst_.set(0); // self-clearing: the counter restarts from 0
                if (counting_) {
                    restart_at(0);
                }
            }
            // SNGSTRT / CNTSTRT start the counter (they read back as written).
            if (cntstrt_.in(now) && !cntstrt_.in(old)) {
                start(false);
            } else if (sngstrt_.in(now) && !sngstrt_.in(old)) {
                start(true);
            }
        });
    auto enabled_only = [this](const char *reg, FieldRef *ok) {
        return [this, reg, ok](BusAccess &a, uint32_t, uint32_t &, uint32_t) {
            if (!enable_.on()) {
                log().guest_error(a.core_name, this->name() + "." + reg + " written while the LPTIM is disabled "
                                               "(RM0399: only when CR.ENABLE = 1): ignored");
                return false;
            }
            ok->set(1); // the write reached the kernel clock domain
            return true;
        };
    };
    r.reg("CMP", 0x14, 0)
        .field("CMP", 0, 16, Acc::RW, &cmp_)
        .pre_write(enabled_only("CMP", &cmpok_))
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (!preload_.on()) {
                const uint32_t c = counter();
                cmp_active_ = cmp_.get();
                if (counting_) {
                    restart_at(c);
                }
            }
            update_irq();
        });
    // RM0399 LPTIM_ARR reset value 0x0000 0001.
    r.reg("ARR", 0x18, 0x00000001)
        .field("ARR", 0, 16, Acc::RW, &arr_)
        .pre_write(enabled_only("ARR", &arrok_))
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (!preload_.on()) {
                const uint32_t c = counter();
                arr_active_ = arr_.get();
                if (counting_) {
                    restart_at(c > arr_active_ ? 0 : c);
                }
            }
            update_irq();
        });
    cnt_ = &r.reg("CNT", 0x1C, 0)
                .field("CNT", 0, 16, Acc::RO)
                .on_read([this](BusAccess &, uint32_t) {
                    const uint32_t c = counter();
                    if (rstare_.on() && counting_) {
                        restart_at(0); // RSTARE: a read resets the counter
                    }
                    return c;
                });
    r.reg("CFGR2", 0x24, 0).unimpl("IN1SEL", 0, 2).unimpl("IN2SEL", 4, 2);
}

void Stm32Lptim::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
    }
    clock_id_ = -2;
}

uint64_t Stm32Lptim::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Lptim::tick_ns() const
{
    uint64_t hz = 32768;
    if (ctx_.clock_source) {
        if (clock_id_ == -2) {
            clock_id_ = ctx_.clock_source->clock_id(clock_);
        }
        hz = ctx_.clock_source->hz(clock_id_);
    }
    if (!hz || clock_off_ || cksel_.on() || countmode_.on()) {
        return 0; // no internal clock (or counting external pulses: not modelled)
    }
    return (1000000000ull << presc_.get()) / hz;
}

uint32_t Stm32Lptim::counter() const
{
    if (!counting_ || !tick_ns_) {
        return counting_ ? anchor_cnt_ : 0;
    }
    const uint64_t n = (now() - anchor_ns_) / tick_ns_;
    const uint64_t per = uint64_t(arr_active_) + 1;
    return static_cast<uint32_t>((anchor_cnt_ + n) % per);
}

void Stm32Lptim::start(bool single)
{
    single_ = single;
    arr_active_ = arr_.get();
    cmp_active_ = cmp_.get();
    const uint32_t c = counting_ ? counter() : 0;
    counting_ = true;
    restart_at(c);
}

void Stm32Lptim::stop()
{
    counting_ = false;
    anchor_cnt_ = 0;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
}

void Stm32Lptim::restart_at(uint32_t cnt)
{
    anchor_ns_ = now();
    anchor_cnt_ = cnt;
    tick_ns_ = tick_ns();
    period_ = 0;
    schedule_next();
}

// The tick (counted from the anchor) of the next time the counter equals v
// after tick `after`.
namespace {
uint64_t next_hit(uint64_t anchor_cnt, uint64_t per, uint64_t v, uint64_t after)
{
    uint64_t k0 = (v + per - anchor_cnt % per) % per;
    if (k0 == 0) {
        k0 = per;
    }
    if (after < k0) {
        return k0;
    }
    return k0 + ((after - k0) / per + 1) * per;
}
} // namespace

void Stm32Lptim::schedule_next()
{
    if (!ctx_.scheduler) {
        return;
    }
    if (!counting_ || !tick_ns_) {
        ctx_.scheduler->schedule(this, 0, 0);
        return;
    }
    const uint64_t per = uint64_t(arr_active_) + 1;
    const uint64_t done = (now() - anchor_ns_) / tick_ns_;
    uint64_t k = next_hit(anchor_cnt_, per, arr_active_, done);
    if (cmp_active_ <= arr_active_) {
        k = std::min(k, next_hit(anchor_cnt_, per, cmp_active_, done));
    }
    if (single_ && cmp_active_ < arr_active_) {
        k = std::min(k, next_hit(anchor_cnt_, per, cmp_active_ + 1, done)); // the pulse starts
    }
    ctx_.scheduler->schedule(this, 0, anchor_ns_ + k * tick_ns_);
}

// Set the flags of every match between the last look and now.
void Stm32Lptim::timer_fired(unsigned)
{
    if (!counting_ || !tick_ns_) {
        return;
    }
    const uint64_t per = uint64_t(arr_active_) + 1;
    const uint64_t n = (now() - anchor_ns_) / tick_ns_;
    uint64_t seen = period_; // ticks already looked at (since the anchor)
    const uint64_t k_cmp = cmp_active_ <= arr_active_ ? next_hit(anchor_cnt_, per, cmp_active_, seen) : ~0ull;
    const uint64_t k_arr = next_hit(anchor_cnt_, per, arr_active_, seen);
    if (k_cmp <= n) {
        cmpm_.set(1);
        AMPVP_TRACE("tim", name(), "CMP match");
    }
    if (k_arr <= n) {
        arrm_.set(1);
        AMPVP_TRACE("tim", name(), "ARR match");
        if (single_) {
            // One period: the counter stops (and reads 0).
            counting_ = false;
            anchor_cnt_ = 0;
            sngstrt_.set(0);
            update_irq();
            return;
        }
        if (preload_.on() && (arr_.get() != arr_active_ || cmp_.get() != cmp_active_)) {
            // Preloaded values take effect at the end of the period: the
            // counter restarts from 0 one tick after the ARR match.
            const uint64_t k_last = k_arr + ((n - k_arr) / per) * per;
            arr_active_ = arr_.get();
            cmp_active_ = cmp_.get();
            anchor_ns_ += (k_last + 1) * tick_ns_;
            anchor_cnt_ = 0;
            period_ = 0;
            schedule_next();
            update_irq();
            return;
        }
    }
    period_ = n;
    schedule_next();
    update_irq();
}

void Stm32Lptim::input(unsigned n, bool level)
{
    if (n != CLOCK_OFF || level == clock_off_) {
        return;
    }
    if (counting_) {
        timer_fired(0); // flags up to the moment the clock stops or returns
    }
    const uint32_t c = counter();
    clock_off_ = level;
    AMPVP_TRACE("clock", name(), level ? "kernel clock stopped (RCC): counter held at " + std::to_string(c)
                                       : "kernel clock runs again");
    if (counting_) {
        restart_at(c); // tick_ns() is 0 while stopped: the counter holds
    }
    update_irq();
}

// RM0399 LPTIM PWM output: active for CNT in (CMP, ARR], inverted by WAVPOL.
Waveform Stm32Lptim::output() const
{
    const bool inactive = wavpol_.on();
    if (!counting_ || cmp_active_ >= arr_active_) {
        return Waveform::constant(inactive);
    }
    const uint32_t cnt = counter();
    const bool active_now = cnt > cmp_active_ && cnt <= arr_active_;
    if (single_ || !tick_ns_) {
        return Waveform::constant(active_now != inactive); // one pulse, or held
    }
    const uint64_t per = uint64_t(arr_active_) + 1;
    // The time the counter reaches CMP + 1 (the active edge) and 0 (the end).
    const uint64_t k_active = (uint64_t(cmp_active_) + 1 + per - anchor_cnt_ % per) % per;
    const uint64_t k_zero = (per - anchor_cnt_ % per) % per;
    Waveform w;
    w.period_ns = per * tick_ns_;
    if (!inactive) {
        w.start_ns = anchor_ns_ + k_active * tick_ns_;
        w.high_ns = (uint64_t(arr_active_) - cmp_active_) * tick_ns_;
    } else {
        w.start_ns = anchor_ns_ + k_zero * tick_ns_;
        w.high_ns = (uint64_t(cmp_active_) + 1) * tick_ns_;
    }
    w.level = active_now != inactive;
    return w;
}

void Stm32Lptim::update_irq()
{
    const bool level = (isr_->value & ier_->value & 0x7Fu) != 0;
    irq_->set(level);
    wkup_->set(level);
    out_->set_wave(output());
}

void Stm32Lptim::reset()
{
    RegisterDevice::reset();
    counting_ = false;
    single_ = false;
    anchor_cnt_ = 0;
    arr_active_ = 1;
    cmp_active_ = 0;
    period_ = 0;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
    update_irq();
}

} // namespace ampvp

AMPVP_MODEL("stm32-lptim", ampvp::Stm32Lptim)
