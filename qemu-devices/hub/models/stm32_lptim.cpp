#include "stm32_lptim.h"
#include "../model_registry.h"

#include "../log.h"

#include <algorithm>

namespace ampvp {

namespace {
// CFGR.CKPOL: the active edges of Input1.
enum : uint32_t { CKPOL_RISING = 0, CKPOL_FALLING = 1, CKPOL_BOTH = 2, CKPOL_RESERVED = 3 };
// CFGR.TRIGEN: software start, or the active edges of the trigger.
enum : uint32_t { TRIGEN_SOFTWARE = 0, TRIGEN_RISING = 1, TRIGEN_FALLING = 2, TRIGEN_BOTH = 3 };
// RM0399 "LPTIM clock source": with CKSEL = 1, "the first five active edges on
// the LPTIM external Input1 (after LPTIM is enabled) are lost".
constexpr unsigned kLostEdges = 5;
// RM0399 "Trigger multiplexer": "a two-counter-clock period latency is needed
// before the timer starts running due to the synchronization".
constexpr uint64_t kTriggerLatency = 2;
// The count (from the anchor, at which the counter was anchor_cnt) of the next
// time the counter equals v after count `after`; the counter wraps at per.
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

bool edge_active(uint32_t sel, bool rising, uint32_t rising_code, uint32_t falling_code, uint32_t both_code)
{
    return sel == both_code || (sel == rising_code && rising) || (sel == falling_code && !rising);
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
                .field("EXTTRIG", 2, 1, Acc::RO, &exttrig_)
                .field("CMPOK", 3, 1, Acc::RO, &cmpok_)
                .field("ARROK", 4, 1, Acc::RO, &arrok_)
                .field("UP", 5, 1, Acc::RO)
                .field("DOWN", 6, 1, Acc::RO);
    r.reg("ICR", 0x04, 0)
        .field("CMPMCF", 0, 1, Acc::WO)
        .field("ARRMCF", 1, 1, Acc::WO)
        .field("EXTTRIGCF", 2, 1, Acc::WO)
        .field("CMPOKCF", 3, 1, Acc::WO)
        .field("ARROKCF", 4, 1, Acc::WO)
        .field("UPCF", 5, 1, Acc::WO)
        .field("DOWNCF", 6, 1, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
            isr_->value &= ~(now_v & 0x7Fu); // the flags are up to date (write())
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
        .field("CKSEL", 0, 1, Acc::RW, &cksel_)
        .field("CKPOL", 1, 2, Acc::RW, &ckpol_)
        .unimpl("CKFLT", 3, 2)
        .unimpl("TRGFLT", 6, 2)
        .field("PRESC", 9, 3, Acc::RW, &presc_)
        .field("TRIGSEL", 13, 3, Acc::RW, &trigsel_)
        .field("TRIGEN", 17, 2, Acc::RW, &trigen_)
        .field("TIMOUT", 19, 1, Acc::RW, &timout_)
        .field("WAVE", 20, 1, Acc::RW, &wave_)
        .field("WAVPOL", 21, 1, Acc::RW, &wavpol_)
        .field("PRELOAD", 22, 1, Acc::RW, &preload_)
        .field("COUNTMODE", 23, 1, Acc::RW, &countmode_)
        .unimpl("ENC", 24, 1)
        .pre_write(disabled_only("CFGR"))
        .post_write([this](BusAccess &a, uint32_t, uint32_t, uint32_t) { check_config(a); });
    r.reg("CR", 0x10, 0)
        .field("ENABLE", 0, 1, Acc::RW, &enable_)
        .field("SNGSTRT", 1, 1, Acc::RW, &sngstrt_)
        .field("CNTSTRT", 2, 1, Acc::RW, &cntstrt_)
        .field("COUNTRST", 3, 1, Acc::RW, &countrst_)
        .field("RSTARE", 4, 1, Acc::RW, &rstare_)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now_v, uint32_t) {
            // RM0399 LPTIM_CR: SNGSTRT, CNTSTRT and COUNTRST are "set by
            // software and cleared by hardware".
            const bool sng = sngstrt_.in(now_v), cnt = cntstrt_.in(now_v);
            sngstrt_.set(0);
            cntstrt_.set(0);
            countrst_.set(0);
            if (!enable_.in(now_v)) {
                if (enable_.in(old)) {
                    stop();
                }
                if (sng || cnt) {
                    log().guest_error(a.core_name, this->name() + ": SNGSTRT/CNTSTRT set while CR.ENABLE = 0: "
                                                   "ignored (RM0399: discarded by hardware)");
                }
                return;
            }
            if (!enable_.in(old)) {
                st_.lost_edges = 0; // CKSEL = 1: the edges after enabling
            }
            if (countrst_.in(now_v) && st_.running) {
                restart_at(0);
            }
            if (!sng && !cnt) {
                return;
            }
            const bool single = !cnt; // CNTSTRT wins if both are written
            if (trigen_.get() != TRIGEN_SOFTWARE) {
                // The mode is chosen; a trigger edge starts the counter.
                st_.armed = true;
                st_.single = single;
            } else if (!st_.running) {
                start(single, 0);
            } else {
                // RM0399 CR: SNGSTRT while counting continuously stops at the
                // next ARR match; CNTSTRT during a one-shot keeps counting.
                st_.single = single;
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
    // Without PRELOAD a written ARR / CMP applies at once: the counter goes on
    // from where it is with the new value (from 0 if it is above a new ARR).
    auto immediate = [this](uint32_t &active, FieldRef *reg) {
        return [this, &active, reg](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (preload_.on()) {
                return;
            }
            if (st_.running) {
                rebase(counts());
            }
            active = reg->get();
            if (st_.anchor_cnt > st_.arr_active) {
                st_.anchor_cnt = 0;
            }
        };
    };
    r.reg("CMP", 0x14, 0)
        .field("CMP", 0, 16, Acc::RW, &cmp_)
        .pre_write(enabled_only("CMP", &cmpok_))
        .post_write(immediate(st_.cmp_active, &cmp_));
    // RM0399 LPTIM_ARR reset value 0x0000 0001.
    r.reg("ARR", 0x18, 0x00000001)
        .field("ARR", 0, 16, Acc::RW, &arr_)
        .pre_write(enabled_only("ARR", &arrok_))
        .post_write(immediate(st_.arr_active, &arr_));
    cnt_ = &r.reg("CNT", 0x1C, 0)
                .field("CNT", 0, 16, Acc::RO)
                .on_read([this](BusAccess &, uint32_t) {
                    const uint32_t c = counter();
                    if (rstare_.on() && st_.running) {
                        restart_at(0); // RSTARE: a read resets the counter
                    }
                    return c;
                });
    // RM0399 LPTIM_CFGR2: IN1SEL / IN2SEL 00 = the pins; the other codes are
    // the comparators' outputs (LPTIM1, LPTIM2), not modelled.
    r.reg("CFGR2", 0x24, 0).unimpl("IN1SEL", 0, 2, Acc::RW, &in1sel_).unimpl("IN2SEL", 4, 2);
}

void Stm32Lptim::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
    }
    clock_id_ = -2;
    auto etr = params.find("etr");
    has_etr_ = etr == params.end() || etr->second != "0";
}

void Stm32Lptim::reset()
{
    st_ = State{};
    RegisterDevice::reset();
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
    update_output();
}

// ---- clocks and the counter ---------------------------------------------------

uint64_t Stm32Lptim::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Lptim::kernel_hz() const
{
    if (st_.in[IN_CLOCK_OFF]) {
        return 0; // RCC_D3AMR: the RCC has stopped the kernel clock
    }
    if (!ctx_.clock_source) {
        return 32768;
    }
    if (clock_id_ == -2) {
        clock_id_ = ctx_.clock_source->clock_id(clock_);
    }
    return ctx_.clock_source->hz(clock_id_);
}

// In picoseconds: 15.625 ns at 64 MHz, 30517.578 ns at 32.768 kHz.
uint64_t Stm32Lptim::tick_ps() const
{
    const uint64_t hz = kernel_hz();
    if (!hz || external()) {
        return 0;
    }
    return (1000000000000ull << presc_.get()) / hz;
}

uint64_t Stm32Lptim::count_time_ns(uint64_t k) const
{
    return (st_.anchor_ps + k * st_.tick_ps + 999) / 1000; // the first ns at which k counts are done
}

uint64_t Stm32Lptim::counts() const
{
    if (!st_.running) {
        return 0;
    }
    if (external()) {
        return st_.ext_counts;
    }
    const uint64_t t = now() * 1000;
    return st_.tick_ps && t > st_.anchor_ps ? (t - st_.anchor_ps) / st_.tick_ps : 0;
}

uint32_t Stm32Lptim::counter() const
{
    if (!st_.running) {
        return 0;
    }
    return static_cast<uint32_t>((st_.anchor_cnt + counts()) % (uint64_t(st_.arr_active) + 1));
}

void Stm32Lptim::start(bool single, uint64_t delay_ps)
{
    st_.single = single;
    st_.running = true;
    st_.arr_active = arr_.get();
    st_.cmp_active = cmp_.get();
    restart_at(0, delay_ps);
}

void Stm32Lptim::stop()
{
    // RM0399: clearing ENABLE resets the kernel logic: the counter, the mode
    // and the set-once output.
    const std::array<bool, INPUTS> in = st_.in;
    st_ = State{};
    st_.in = in;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
}

void Stm32Lptim::restart_at(uint32_t cnt, uint64_t delay_ps)
{
    st_.anchor_ps = now() * 1000 + delay_ps;
    st_.anchor_cnt = cnt;
    st_.ext_counts = 0;
    st_.seen = 0;
    st_.period_end = 0;
    st_.tick_ps = tick_ps();
}

void Stm32Lptim::rebase(uint64_t k)
{
    const uint64_t per = uint64_t(st_.arr_active) + 1;
    if (external()) {
        st_.ext_counts -= k;
    } else {
        st_.anchor_ps += k * st_.tick_ps;
    }
    st_.anchor_cnt = static_cast<uint32_t>((st_.anchor_cnt + k) % per);
    st_.seen = st_.seen > k ? st_.seen - k : 0;
    st_.period_end = st_.period_end > k ? st_.period_end - k : 0;
}

void Stm32Lptim::catch_up()
{
    if (st_.running && !external()) {
        process(counts());
    }
}

// Everything that happens in counts (seen, n]: CMPM, ARRM, the set-once
// output, and the end of a period that stops a one-shot or loads preloaded
// ARR / CMP values.
void Stm32Lptim::process(uint64_t n)
{
    while (st_.running) {
        if (st_.period_end && st_.period_end <= n) {
            const uint64_t k = st_.period_end;
            st_.period_end = 0;
            if (st_.single) {
                st_.running = false; // the one-shot ends: CNT reads 0
                return;
            }
            rebase(k); // the counter is 0 at k: the preloaded values apply from there
            st_.arr_active = arr_.get();
            st_.cmp_active = cmp_.get();
            n -= k;
            continue;
        }
        const uint64_t per = uint64_t(st_.arr_active) + 1;
        const bool cmp_in = st_.cmp_active <= st_.arr_active;
        if (cmp_in && next_hit(st_.anchor_cnt, per, st_.cmp_active, st_.seen) <= n) {
            cmpm_.set(1);
            AMPVP_TRACE("tim", name(), "CMP match");
        }
        // Set-once: the output is set when the counter exceeds CMP.
        if (wave_.on() && st_.cmp_active < st_.arr_active &&
            next_hit(st_.anchor_cnt, per, st_.cmp_active + 1, st_.seen) <= n) {
            st_.set_once = true;
        }
        const uint64_t k_arr = next_hit(st_.anchor_cnt, per, st_.arr_active, st_.seen);
        if (k_arr <= n) {
            arrm_.set(1);
            AMPVP_TRACE("tim", name(), "ARR match");
            if (st_.single && external()) {
                st_.running = false; // the input clocks it: it stops at the match
                return;
            }
            const bool reload = preload_.on() && (arr_.get() != st_.arr_active || cmp_.get() != st_.cmp_active);
            if (st_.single || reload) {
                st_.period_end = k_arr + 1; // CNT goes back to 0 one counter clock later
                if (st_.period_end <= n) {
                    continue;
                }
            }
        }
        st_.seen = n;
        return;
    }
}

void Stm32Lptim::schedule_next()
{
    if (!ctx_.scheduler) {
        return;
    }
    if (!st_.running || external() || !st_.tick_ps) {
        ctx_.scheduler->schedule(this, 0, 0);
        return;
    }
    if (now() * 1000 < st_.anchor_ps) {
        ctx_.scheduler->schedule(this, 0, count_time_ns(0)); // the trigger's latency ends
        return;
    }
    const uint64_t per = uint64_t(st_.arr_active) + 1;
    const uint64_t done = counts();
    uint64_t k = next_hit(st_.anchor_cnt, per, st_.arr_active, done);
    if (st_.cmp_active <= st_.arr_active) {
        k = std::min(k, next_hit(st_.anchor_cnt, per, st_.cmp_active, done));
    }
    if (st_.period_end) {
        k = std::min(k, st_.period_end);
    }
    if ((wave_.on() || st_.single) && st_.cmp_active < st_.arr_active) {
        // The output is a level here, not a periodic waveform: it rises when
        // the counter exceeds CMP.
        k = std::min(k, next_hit(st_.anchor_cnt, per, st_.cmp_active + 1, done));
    }
    ctx_.scheduler->schedule(this, 0, count_time_ns(k));
}

void Stm32Lptim::timer_fired(unsigned)
{
    catch_up();
    schedule_next();
    update_output();
    update_irq();
}

uint32_t Stm32Lptim::read(BusAccess &a)
{
    catch_up(); // the flags and the counter up to now
    const uint32_t v = RegisterDevice::read(a);
    schedule_next();
    update_output();
    return v;
}

void Stm32Lptim::write(BusAccess &a, uint32_t value)
{
    catch_up();
    RegisterDevice::write(a, value);
    schedule_next();
    update_output();
}

// ---- configuration --------------------------------------------------------------

void Stm32Lptim::check_config(BusAccess &a)
{
    const std::string who = name() + ".CFGR";
    if (ckpol_.get() == CKPOL_RESERVED) {
        log().guest_error(a.core_name, who + ".CKPOL = 11 is not allowed (RM0399): no edge of Input1 counts");
    } else if (cksel_.on() && ckpol_.get() == CKPOL_BOTH) {
        log().guest_error(a.core_name, who + ": CKSEL = 1 with CKPOL = 10 (RM0399: with no internal clock the "
                                             "counter counts rising or falling edges, not both)");
    }
    if (!cksel_.on() && countmode_.on() && presc_.get() != 0) {
        log().guest_error(a.core_name, who + ": COUNTMODE = 1 with PRESC != 000 (RM0399: the internal clock "
                                             "that samples Input1 must not be prescaled)");
    }
    if (trigen_.get() != TRIGEN_SOFTWARE && (trigsel_.get() != 0 || !has_etr_)) {
        log().unimplemented(who + ".TRIGSEL=" + std::to_string(trigsel_.get()),
                            a.core_name + " selects lptim_ext_trig" + std::to_string(trigsel_.get()) + " of " +
                                name() + " (" + (trigsel_.get() == 0 ? "no LPTIM_ETR pin" : "RTC or comparator") +
                                "): stored, not modelled: the counter never starts");
    }
}

// ---- inputs ---------------------------------------------------------------------

void Stm32Lptim::input(unsigned n, bool level)
{
    if (n >= INPUTS || st_.in[n] == level) {
        return;
    }
    if (n == IN_CLOCK_OFF) {
        gate_clock(level);
        return;
    }
    st_.in[n] = level;
    catch_up();
    if (n == IN_IN1) {
        on_in1_edge(level);
    } else if (n == IN_ETR) {
        on_trigger(level);
    }
    schedule_next();
    update_output();
    update_irq();
}

// The internal clock stops and starts again: the counts so far are taken, and
// the counter holds its value (anchored there, with no tick) until the clock
// comes back, then counts on from it at the same rate.
void Stm32Lptim::gate_clock(bool off)
{
    catch_up(); // matches up to the moment the clock stops or returns
    if (st_.running && !external()) {
        rebase(counts());
    }
    st_.in[IN_CLOCK_OFF] = off;
    AMPVP_TRACE("clock", name(), off ? "kernel clock stopped (RCC): counter held at " + std::to_string(counter())
                                     : "kernel clock runs again");
    if (st_.running && !external()) {
        st_.anchor_ps = std::max(st_.anchor_ps, now() * 1000); // a pending trigger latency stays
        st_.tick_ps = tick_ps();
    }
    schedule_next();
    update_output();
    update_irq();
}

void Stm32Lptim::input_wave(unsigned n, const Waveform &w)
{
    if (w.periodic() && n != IN_IN2) {
        log().unimplemented(name() + ".in" + std::to_string(n) + ".periodic",
                            name() + (n == IN_IN1 ? " Input1" : " ETR") + " receives " + w.describe() +
                                ": its edges are not counted, only its level at each change");
    }
    input(n, w.level);
}

void Stm32Lptim::on_in1_edge(bool rising)
{
    if (!enable_.on() || !external() || in1sel_.get() != 0) {
        return; // not counting Input1, or Input1 is a comparator (not modelled)
    }
    const uint32_t pol = ckpol_.get();
    if (pol == CKPOL_RESERVED || !edge_active(pol, rising, CKPOL_RISING, CKPOL_FALLING, CKPOL_BOTH)) {
        return;
    }
    if (cksel_.on()) {
        if (st_.lost_edges < kLostEdges) {
            st_.lost_edges++; // they clock the kernel logic into life
            return;
        }
    } else if (!kernel_hz()) {
        return; // no internal clock samples Input1
    }
    if (!st_.running) {
        return;
    }
    if (++st_.presc_edges < (1u << presc_.get())) {
        return;
    }
    st_.presc_edges = 0;
    st_.ext_counts++;
    process(st_.ext_counts);
}

void Stm32Lptim::on_trigger(bool rising)
{
    const uint32_t en = trigen_.get();
    if (!enable_.on() || en == TRIGEN_SOFTWARE || trigsel_.get() != 0 || !has_etr_ ||
        !edge_active(en, rising, TRIGEN_RISING, TRIGEN_FALLING, TRIGEN_BOTH)) {
        return;
    }
    if (!st_.armed) {
        return; // no CNTSTRT / SNGSTRT yet: nothing to start
    }
    const uint64_t latency = external() ? 0 : kTriggerLatency * tick_ps();
    if (st_.running) {
        if (!timout_.on()) {
            return; // RM0399: ignored once started, and EXTTRIG is not set
        }
        // Timeout function: a trigger resets the counter, which restarts.
        exttrig_.set(1);
        AMPVP_TRACE("tim", name(), "trigger: counter reset (timeout mode)");
        restart_at(0, latency);
        return;
    }
    if (wave_.on() && st_.triggered) {
        return; // set-once: only the first trigger starts the counter
    }
    st_.triggered = true;
    exttrig_.set(1);
    AMPVP_TRACE("tim", name(), "trigger: counter started");
    start(st_.single, latency);
}

// ---- output ---------------------------------------------------------------------

bool Stm32Lptim::ref_level(uint32_t cnt) const
{
    if (!enable_.on()) {
        return false;
    }
    if (wave_.on()) {
        return st_.set_once;
    }
    return st_.running && st_.cmp_active < cnt && cnt <= st_.arr_active;
}

void Stm32Lptim::update_output()
{
    const uint64_t t = now();
    Waveform w;
    if (enable_.on() && st_.running && !external() && st_.tick_ps && !wave_.on() && !st_.single &&
        t * 1000 >= st_.anchor_ps && st_.cmp_active < st_.arr_active) {
        // Continuous PWM on the internal clock: one periodic signal, high
        // while CMP < CNT <= ARR.
        const uint64_t per = uint64_t(st_.arr_active) + 1;
        const uint64_t zero = (per - st_.anchor_cnt % per) % per; // a count at which CNT = 0
        w.period_ns = (per * st_.tick_ps + 500) / 1000;
        w.high_ns = ((st_.arr_active - st_.cmp_active) * st_.tick_ps + 500) / 1000;
        // Phased on the period start (CNT = 0, the falling edge): at CNTSTRT
        // that is now, and the level there must be the counter's.  Phased on
        // the rising edge instead, the rounded high time put the falling edge
        // 1 ns after a period start, and WAVPOL's inverse rose 1 ns after
        // CNTSTRT (a DMAMUX trigger the chip does not make).
        w.start_ns = count_time_ns(zero) + w.period_ns - w.high_ns;
    } else {
        w = Waveform::constant(ref_level(counter()));
    }
    if (wavpol_.on()) {
        w = w.inverted(); // RM0399 WAVPOL: the inverse, also while the timer is off
    }
    w = w.at(t);
    if (w != out_->wave() || (!w.periodic() && w.level != out_->level())) {
        AMPVP_TRACE("tim", name(), "OUT = " + w.describe());
    }
    out_->set_wave(w);
}

void Stm32Lptim::update_irq()
{
    const bool level = (isr_->value & ier_->value & 0x7Fu) != 0;
    irq_->set(level);
    wkup_->set(level);
}

} // namespace ampvp

AMPVP_MODEL("stm32-lptim", ampvp::Stm32Lptim)
