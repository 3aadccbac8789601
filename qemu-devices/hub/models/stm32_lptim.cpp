#include "stm32_lptim.h"
#include "../model_registry.h"

#include "../log.h"

#include <algorithm>

namespace ampvp {

namespace {
// The tick (counted from the anchor) of the next time the counter equals v
// after tick `after`.
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
                    if (st_.counting) {
                        timer_fired(TAG_COUNT); // flags up to now
                        return isr_->value;
                    }
                    return v;
                });
    r.reg("ICR", 0x04, 0)
        .field("CF", 0, 7, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            if (st_.counting) {
                timer_fired(TAG_COUNT); // flags up to now, then clear the ones asked
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
        .field("WAVE", 20, 1, Acc::RW, &wave_)
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
                if (st_.counting) {
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
                st_.cmp_active = cmp_.get();
                if (st_.counting) {
                    restart_at(c);
                }
            }
        });
    // RM0399 LPTIM_ARR reset value 0x0000 0001.
    r.reg("ARR", 0x18, 0x00000001)
        .field("ARR", 0, 16, Acc::RW, &arr_)
        .pre_write(enabled_only("ARR", &arrok_))
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (!preload_.on()) {
                const uint32_t c = counter();
                st_.arr_active = arr_.get();
                if (st_.counting) {
                    restart_at(c > st_.arr_active ? 0 : c);
                }
            }
        });
    cnt_ = &r.reg("CNT", 0x1C, 0)
                .field("CNT", 0, 16, Acc::RO)
                .on_read([this](BusAccess &, uint32_t) {
                    const uint32_t c = counter();
                    if (rstare_.on() && st_.counting) {
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

uint64_t Stm32Lptim::tick_ps() const
{
    uint64_t hz = 32768;
    if (ctx_.clock_source) {
        if (clock_id_ == -2) {
            clock_id_ = ctx_.clock_source->clock_id(clock_);
        }
        hz = ctx_.clock_source->hz(clock_id_);
    }
    if (!hz || cksel_.on() || countmode_.on()) {
        return 0; // no internal clock (or counting external pulses: not modelled)
    }
    return ((1000000000000ull << presc_.get()) + hz / 2) / hz;
}

// Tick k is the first instant the counter has advanced k times: rounded up.
uint64_t Stm32Lptim::at_tick(uint64_t k) const { return st_.anchor_ns + (k * st_.tick_ps + 999) / 1000; }

uint64_t Stm32Lptim::elapsed() const
{
    const uint64_t t = now();
    return t > st_.anchor_ns && st_.tick_ps ? (t - st_.anchor_ns) * 1000 / st_.tick_ps : 0;
}

uint32_t Stm32Lptim::counter() const
{
    if (!st_.counting || !st_.tick_ps) {
        return st_.counting ? st_.anchor_cnt : 0;
    }
    const uint64_t per = uint64_t(st_.arr_active) + 1;
    return static_cast<uint32_t>((st_.anchor_cnt + elapsed()) % per);
}

void Stm32Lptim::start(bool single)
{
    st_.single = single;
    st_.arr_active = arr_.get();
    st_.cmp_active = cmp_.get();
    const uint32_t c = st_.counting ? counter() : 0;
    st_.counting = true;
    restart_at(c);
}

void Stm32Lptim::stop()
{
    // Disabled: the counter stops at 0 and the output returns to its default.
    st_.counting = false;
    st_.single = false;
    st_.latched = false;
    st_.anchor_cnt = 0;
    st_.stop_tick = 0;
    schedule_next();
}

void Stm32Lptim::stop_single()
{
    // The one period is over: the counter stops (and reads 0); a set-once
    // output stays where it is.
    st_.counting = false;
    st_.anchor_cnt = 0;
    st_.stop_tick = 0;
    sngstrt_.set(0);
    schedule_next();
}

void Stm32Lptim::restart_at(uint32_t cnt)
{
    st_.anchor_ns = now();
    st_.anchor_cnt = cnt;
    st_.tick_ps = tick_ps();
    st_.seen = 0;
    st_.stop_tick = 0;
    schedule_next();
}

void Stm32Lptim::schedule_next()
{
    if (!ctx_.scheduler) {
        return;
    }
    if (!st_.counting || !st_.tick_ps) {
        ctx_.scheduler->schedule(this, TAG_COUNT, 0);
        ctx_.scheduler->schedule(this, TAG_OUT, 0);
        return;
    }
    const uint64_t per = uint64_t(st_.arr_active) + 1;
    const uint64_t done = elapsed();
    const uint64_t k_arr = next_hit(st_.anchor_cnt, per, st_.arr_active, done);
    uint64_t k = st_.stop_tick ? st_.stop_tick : k_arr;
    if (!st_.stop_tick && st_.cmp_active <= st_.arr_active) {
        k = std::min(k, next_hit(st_.anchor_cnt, per, st_.cmp_active, done));
    }
    ctx_.scheduler->schedule(this, TAG_COUNT, at_tick(k));
    // The output rises when the counter first exceeds CMP; a deadline there in
    // the modes whose output is not one periodic signal (single pulse,
    // set-once).
    uint64_t o = 0;
    const bool pwm = !wave_.on() && !st_.single;
    if (!pwm && !st_.latched && st_.cmp_active < st_.arr_active) {
        const uint64_t kr = next_hit(st_.anchor_cnt, per, st_.cmp_active + 1, done);
        if (!st_.single || (!st_.stop_tick && kr <= k_arr)) {
            o = at_tick(kr);
        }
    }
    ctx_.scheduler->schedule(this, TAG_OUT, o);
}

// Set the flags of every match between the last look and now.
void Stm32Lptim::timer_fired(unsigned tag)
{
    if (!st_.counting || !st_.tick_ps) {
        return;
    }
    if (tag == TAG_OUT) {
        if (wave_.on() && raw_high()) {
            st_.latched = true; // RM0399 set-once: the output stays high
        }
        schedule_next();
        update_irq();
        return;
    }
    const uint64_t n = elapsed();
    if (st_.stop_tick && n >= st_.stop_tick) {
        stop_single();
        update_irq();
        return;
    }
    const uint64_t per = uint64_t(st_.arr_active) + 1;
    const uint64_t seen = st_.seen; // ticks already looked at (since the anchor)
    const uint64_t k_cmp = st_.cmp_active <= st_.arr_active ? next_hit(st_.anchor_cnt, per, st_.cmp_active, seen)
                                                            : ~0ull;
    const uint64_t k_arr = next_hit(st_.anchor_cnt, per, st_.arr_active, seen);
    if (k_cmp <= n) {
        cmpm_.set(1);
        AMPVP_TRACE("tim", name(), "CMP match");
    }
    if (k_arr <= n) {
        arrm_.set(1);
        AMPVP_TRACE("tim", name(), "ARR match");
        if (st_.single) {
            // One period: the counter stops once its ARR count is over.
            st_.stop_tick = k_arr + 1;
            if (n >= st_.stop_tick) {
                stop_single();
            } else {
                st_.seen = n;
                schedule_next();
            }
            update_irq();
            return;
        }
        if (preload_.on() && (arr_.get() != st_.arr_active || cmp_.get() != st_.cmp_active)) {
            // Preloaded values take effect at the end of the period: the
            // counter restarts from 0 one tick after the ARR match.
            const uint64_t k_last = k_arr + ((n - k_arr) / per) * per;
            st_.arr_active = arr_.get();
            st_.cmp_active = cmp_.get();
            st_.anchor_ns = at_tick(k_last + 1);
            st_.anchor_cnt = 0;
            st_.seen = 0;
            schedule_next();
            update_irq();
            return;
        }
    }
    st_.seen = n;
    schedule_next();
    update_irq();
}

bool Stm32Lptim::raw_high() const
{
    if (st_.latched) {
        return true;
    }
    return st_.counting && st_.cmp_active < st_.arr_active && counter() > st_.cmp_active;
}

// RM0399 "Waveform generation": the raw output is high while the counter
// exceeds CMP; WAVPOL inverts it, at once (also while the LPTIM is off).
Waveform Stm32Lptim::out_wave() const
{
    const bool pol = wavpol_.on();
    const bool pwm = st_.counting && st_.tick_ps && ctx_.scheduler && !wave_.on() && !st_.single &&
                     st_.cmp_active < st_.arr_active;
    if (!pwm) {
        return Waveform::constant(raw_high() != pol);
    }
    const uint64_t per = uint64_t(st_.arr_active) + 1;
    Waveform w;
    w.period_ns = (per * st_.tick_ps + 500) / 1000;
    w.high_ns = ((st_.arr_active - st_.cmp_active) * st_.tick_ps + 500) / 1000;
    // A tick at which the counter becomes CMP + 1: a rising edge.
    w.start_ns = at_tick((st_.cmp_active + 1 + per - st_.anchor_cnt % per) % per);
    w = w.at(now());
    return pol ? w.inverted() : w;
}

void Stm32Lptim::update_irq()
{
    const bool level = (isr_->value & ier_->value & 0x7Fu) != 0;
    irq_->set(level);
    wkup_->set(level);
    const Waveform w = out_wave();
    if (w != out_->wave() || (!w.periodic() && w.level != out_->level())) {
        AMPVP_TRACE("tim", name(), "OUT = " + w.describe());
    }
    out_->set_wave(w);
}

void Stm32Lptim::reset()
{
    RegisterDevice::reset();
    st_ = State{};
    schedule_next();
    update_irq();
}

} // namespace ampvp

AMPVP_MODEL("stm32-lptim", ampvp::Stm32Lptim)
