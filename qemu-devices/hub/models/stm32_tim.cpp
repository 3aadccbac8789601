#include "stm32_tim.h"
#include "../model_registry.h"

#include "../log.h"

namespace ampvp {

Stm32Tim::Stm32Tim(const std::string &name)
    : RegisterDevice(name), irq_(add_irq("irq")), up_(add_irq("up")), cc_(add_irq("cc")),
      trgo_(add_irq("trgo"))
{
    for (unsigned c = 0; c < CHANNELS; c++) {
        ch_out_[c] = &add_irq("ch" + std::to_string(c + 1));
    }
    for (unsigned c = 0; c < 3; c++) {
        chn_out_[c] = &add_irq("ch" + std::to_string(c + 1) + "n");
    }
    dma_up_ = &add_irq("dma_up");
    for (unsigned c = 0; c < CHANNELS; c++) {
        dma_cc_[c] = &add_irq("dma_cc" + std::to_string(c + 1));
    }
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
        .pre_write([this](BusAccess &, uint32_t old, uint32_t &next, uint32_t) {
            if (cen_.in(old) && !cen_.in(next)) {
                // Stopping: the reference levels freeze where they are.
                for (unsigned c = 0; c < CHANNELS; c++) {
                    st_.ref[c] = ref_wave(c).level_at(now());
                }
            }
            return true;
        })
        .post_write([this](BusAccess &, uint32_t old, uint32_t now_v, uint32_t) {
            if (cen_.in(now_v) && !cen_.in(old)) {
                restart(cnt_->value);
            } else if (!cen_.in(now_v) && cen_.in(old)) {
                cnt_->value = counter(); // freeze (cen_ reads 0 already: use the anchor)
            }
        });
    cr2_ = &r.reg("CR2", 0x04, 0)
                .unimpl("CCPC", 0, 1)
                .unimpl("CCUS", 2, 1)
                .field("CCDS", 3, 1, Acc::RW, &ccds_)
                .field("MMS", 4, 3, Acc::RW, &mms_)
                .unimpl("TI1S", 7, 1)
                .field("OIS1", 8, 1, Acc::RW, &ois_[0])
                .field("OIS1N", 9, 1, Acc::RW)
                .field("OIS2", 10, 1, Acc::RW, &ois_[1])
                .field("OIS2N", 11, 1, Acc::RW)
                .field("OIS3", 12, 1, Acc::RW, &ois_[2])
                .field("OIS3N", 13, 1, Acc::RW)
                .field("OIS4", 14, 1, Acc::RW, &ois_[3])
                .unimpl("OIS5", 16, 1)
                .unimpl("OIS6", 18, 1)
                .unimpl("MMS2", 20, 4);
    r.reg("SMCR", 0x08, 0)
        .unimpl("SMS", 0, 3)
        .unimpl("TS", 4, 3)
        .unimpl("MSM", 7, 1)
        .unimpl("ETF", 8, 4)
        .unimpl("ETPS", 12, 2)
        .unimpl("ECE", 14, 1)
        .unimpl("ETP", 15, 1)
        .unimpl("SMS_3", 16, 1)
        .unimpl("TS_4_3", 20, 2);
    r.reg("DIER", 0x0C, 0)
        .field("UIE", 0, 1, Acc::RW, &uie_)
        .field("CC1IE", 1, 1, Acc::RW, &ccie_[0])
        .field("CC2IE", 2, 1, Acc::RW, &ccie_[1])
        .field("CC3IE", 3, 1, Acc::RW, &ccie_[2])
        .field("CC4IE", 4, 1, Acc::RW, &ccie_[3])
        .unimpl("COMIE", 5, 1)
        .unimpl("TIE", 6, 1)
        .unimpl("BIE", 7, 1)
        .field("UDE", 8, 1, Acc::RW, &ude_)
        .field("CC1DE", 9, 1, Acc::RW, &ccde_[0])
        .field("CC2DE", 10, 1, Acc::RW, &ccde_[1])
        .field("CC3DE", 11, 1, Acc::RW, &ccde_[2])
        .field("CC4DE", 12, 1, Acc::RW, &ccde_[3])
        .unimpl("COMDE", 13, 1)
        .unimpl("TDE", 14, 1)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            st_.dreq &= dma_enabled(); // a disabled request is withdrawn
        });
    // SR flags are rc_w0: writing 0 clears, 1 leaves them.  The flags of
    // unmodelled features are never set.
    sr_ = &r.reg("SR", 0x10, 0)
               .field("UIF", 0, 1, Acc::W0C, &uif_)
               .field("CC1IF", 1, 1, Acc::W0C, &ccif_[0])
               .field("CC2IF", 2, 1, Acc::W0C, &ccif_[1])
               .field("CC3IF", 3, 1, Acc::W0C, &ccif_[2])
               .field("CC4IF", 4, 1, Acc::W0C, &ccif_[3])
               .field("COMIF", 5, 1, Acc::W0C)
               .field("TIF", 6, 1, Acc::W0C)
               .field("BIF", 7, 1, Acc::W0C)
               .field("B2IF", 8, 1, Acc::W0C)
               .field("CC1OF", 9, 1, Acc::W0C, &ccof_[0])
               .field("CC2OF", 10, 1, Acc::W0C, &ccof_[1])
               .field("CC3OF", 11, 1, Acc::W0C, &ccof_[2])
               .field("CC4OF", 12, 1, Acc::W0C, &ccof_[3])
               .field("SBIF", 13, 1, Acc::W0C)
               .field("CC5IF", 16, 1, Acc::W0C)
               .field("CC6IF", 17, 1, Acc::W0C)
               // HAL clears a flag by writing its complement (__HAL_TIM_CLEAR_FLAG:
               // SR = ~flag), ones into the reserved bits too: accepted silently.
               .field("RES14", 14, 2, Acc::RO)
               .field("RES18", 18, 14, Acc::RO);
    egr_ = &r.reg("EGR", 0x14, 0)
                .field("UG", 0, 1, Acc::WO, &ug_)
                .field("CC1G", 1, 1, Acc::WO, &ccg_[0])
                .field("CC2G", 2, 1, Acc::WO, &ccg_[1])
                .field("CC3G", 3, 1, Acc::WO, &ccg_[2])
                .field("CC4G", 4, 1, Acc::WO, &ccg_[3])
                .unimpl("COMG", 5, 1, Acc::WO)
                .unimpl("TG", 6, 1, Acc::WO)
                .unimpl("BG", 7, 1, Acc::WO)
                .unimpl("B2G", 8, 1, Acc::WO)
                .post_write([this](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
                    egr_->value = 0;
                    for (unsigned c = 0; c < CHANNELS; c++) {
                        if (ccg_[c].in(now_v)) {
                            // RM0399 CCxG: a capture on an input channel, the
                            // flag alone on an output channel.
                            if (ccs(c) == CCS_OUTPUT) {
                                cc_event(c);
                            } else {
                                capture(c);
                            }
                        }
                    }
                    if (ug_.in(now_v)) {
                        update_event(true);
                    }
                });
    // CCMR1/CCMR2 in their output-compare view (RM0399 "TIMx_CCMR1 ... output
    // compare mode"); in input capture mode bits [7:2] of a channel are
    // ICxPSC [3:2] and ICxF [7:4] (read by icpsc()).
    for (unsigned k = 0; k < 2; k++) {
        const std::string a = std::to_string(2 * k + 1), b = std::to_string(2 * k + 2);
        // (a, b: the numbers of the register's two channels)
        ccmr_[k] = &r.reg("CCMR" + std::to_string(k + 1), 0x18 + 4 * k, 0)
                        .field("CC" + a + "S", 0, 2, Acc::RW)
                        .field("OC" + a + "FE", 2, 1, Acc::RW)
                        .field("OC" + a + "PE", 3, 1, Acc::RW)
                        .field("OC" + a + "M", 4, 3, Acc::RW)
                        .unimpl("OC" + a + "CE", 7, 1)
                        .field("CC" + b + "S", 8, 2, Acc::RW)
                        .field("OC" + b + "FE", 10, 1, Acc::RW)
                        .field("OC" + b + "PE", 11, 1, Acc::RW)
                        .field("OC" + b + "M", 12, 3, Acc::RW)
                        .unimpl("OC" + b + "CE", 15, 1)
                        .field("OC" + a + "M_3", 16, 1, Acc::RW)
                        .field("OC" + b + "M_3", 24, 1, Acc::RW)
                        .pre_write([this, k](BusAccess &acc, uint32_t old, uint32_t &next, uint32_t) {
                            // RM0399: CCxS is writable only while the channel
                            // is off (CCxE = 0).
                            for (unsigned j = 0; j < 2; j++) {
                                const unsigned c = 2 * k + j;
                                const uint32_t m = 3u << (8 * j);
                                if (cce_[c].on() && ((old ^ next) & m)) {
                                    log().guest_error(acc.core_name, this->name() + ": CC" + std::to_string(c + 1) +
                                                                       "S written while CC" +
                                                                       std::to_string(c + 1) + "E = 1 (kept)");
                                    next = (next & ~m) | (old & m);
                                }
                            }
                            // The reference levels of modes without a waveform
                            // continue from where they are.
                            for (unsigned c = 0; c < CHANNELS; c++) {
                                st_.ref[c] = ref_wave(c).level_at(now());
                            }
                            return true;
                        })
                        .post_write([this, k](BusAccess &, uint32_t old, uint32_t now_v, uint32_t) {
                            for (unsigned j = 0; j < 2; j++) {
                                const unsigned c = 2 * k + j;
                                const uint32_t m = 0x10070u << (8 * j); // OCxM and OCxM_3
                                if ((old ^ now_v) & m) {
                                    st_.toggle_start[c] = 0; // recomputed from the next match
                                }
                                if (ccs(c) == CCS_OUTPUT && !ocpe(c)) {
                                    st_.ccr_active[c] = ccr_[c]->value;
                                }
                            }
                        });
    }
    ccer_ = &r.reg("CCER", 0x20, 0);
    for (unsigned c = 0; c < CHANNELS; c++) {
        const std::string n = std::to_string(c + 1);
        ccer_->field("CC" + n + "E", 4 * c, 1, Acc::RW, &cce_[c])
            .field("CC" + n + "P", 4 * c + 1, 1, Acc::RW, &ccp_[c])
            .field("CC" + n + "NE", 4 * c + 2, 1, Acc::RW, &ccne_[c])
            .field("CC" + n + "NP", 4 * c + 3, 1, Acc::RW, &ccnp_[c]);
    }
    ccer_->unimpl("CC5E", 16, 1).unimpl("CC5P", 17, 1).unimpl("CC6E", 20, 1).unimpl("CC6P", 21, 1);
    // CNT and ARR are whole-register fields: the model uses the registers.
    cnt_ = &r.reg("CNT", 0x24, 0)
                .field("CNT", 0, 32, Acc::RW)
                .on_read([this](BusAccess &, uint32_t v) { return cen_.on() ? counter() : v; })
                .post_write([this](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
                    if (cen_.on()) {
                        restart(now_v);
                    }
                });
    r.reg("PSC", 0x28, 0).field("PSC", 0, 16, Acc::RW, &psc_);
    arr_ = &r.reg("ARR", 0x2C, 0xFFFF)
                .field("ARR", 0, 32, Acc::RW)
                .post_write([this](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
                    if (!arpe_.on()) {
                        // Not buffered: the new period applies to the running count.
                        const uint32_t cnt = counter();
                        st_.arr_active = now_v;
                        if (cen_.on()) {
                            restart(cnt);
                        }
                    }
                });
    r.reg("RCR", 0x30, 0).unimpl("REP", 0, 16);
    for (unsigned c = 0; c < CHANNELS; c++) {
        ccr_[c] = &r.reg("CCR" + std::to_string(c + 1), 0x34 + 4 * c, 0)
                       .field("CCR", 0, 32, Acc::RW)
                       .pre_write([this, c](BusAccess &, uint32_t, uint32_t &, uint32_t) {
                           // RM0399: read-only while the channel is an input.
                           return ccs(c) == CCS_OUTPUT;
                       })
                       .post_write([this, c](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
                           if (!ocpe(c)) {
                               st_.ccr_active[c] = now_v; // no preload: at once
                           }
                       });
    }
    r.reg("BDTR", 0x44, 0)
        .unimpl("DTG", 0, 8)
        .field("LOCK", 8, 2, Acc::RW)
        .field("OSSI", 10, 1, Acc::RW, &ossi_)
        .field("OSSR", 11, 1, Acc::RW)
        .unimpl("BKE", 12, 1)
        .field("BKP", 13, 1, Acc::RW)
        .unimpl("AOE", 14, 1)
        .field("MOE", 15, 1, Acc::RW, &moe_)
        .field("BKF", 16, 4, Acc::RW)
        .field("BK2F", 20, 4, Acc::RW)
        .unimpl("BK2E", 24, 1)
        .field("BK2P", 25, 1, Acc::RW);
    r.reg("DCR", 0x48, 0).unimpl("DCR", 0, 32);
    r.reg("DMAR", 0x4C, 0).unimpl("DMAB", 0, 32);
    r.reg("CCMR3", 0x54, 0).unimpl("CCMR3", 0, 32);
    r.reg("CCR5", 0x58, 0).unimpl("CCR5", 0, 32);
    r.reg("CCR6", 0x5C, 0).unimpl("CCR6", 0, 16);
    r.reg("AF1", 0x60, 0x00000001).field("BKINE", 0, 1, Acc::RW).unimpl("AF1", 1, 31);
    r.reg("AF2", 0x64, 0x00000001).field("BK2INE", 0, 1, Acc::RW).unimpl("AF2", 1, 31);
    r.reg("TISEL", 0x68, 0).unimpl("TISEL", 0, 32);
}

void Stm32Tim::configure(const std::map<std::string, std::string> &params,
                         const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
        clock_id_ = -2;
    }
    auto adv = params.find("advanced");
    advanced_ = adv != params.end() && adv->second == "1";
}

void Stm32Tim::reset()
{
    st_ = State{};
    RegisterDevice::reset();
    if (ctx_.scheduler) {
        for (unsigned tag = 0; tag <= TAG_MATCH + CHANNELS; tag++) {
            ctx_.scheduler->schedule(this, tag, 0);
        }
    }
    update_outputs();
}

// ---- time ----------------------------------------------------------------------

uint64_t Stm32Tim::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Tim::clock_hz() const
{
    if (ctx_.clock_source && clock_id_ == -2) {
        clock_id_ = ctx_.clock_source->clock_id(clock_); // once: no name lookup per access
    }
    const uint64_t hz = ctx_.clock_source ? ctx_.clock_source->hz(clock_id_) : 0;
    return hz ? hz : 64000000; // the reset clock if no clock model answers
}

// One counter tick, in picoseconds (exact enough at any prescaler: 4.167 ns at
// 240 MHz is 4167 ps).
uint64_t Stm32Tim::tick_ps() const
{
    const uint64_t f = clock_hz();
    const uint64_t ps = (1000000000000ull * (st_.psc_active + 1ull) + f / 2) / f;
    return ps ? ps : 1;
}

uint64_t Stm32Tim::ticks_ns(uint64_t ticks) const { return (ticks * tick_ps() + 500) / 1000; }

uint32_t Stm32Tim::counter() const
{
    if (!ctx_.scheduler) {
        return st_.anchor_cnt;
    }
    const uint64_t t = now();
    const uint64_t ticks = t > st_.anchor_ns ? (t - st_.anchor_ns) * 1000 / tick_ps() : 0;
    const uint64_t period = st_.arr_active + 1ull;
    return static_cast<uint32_t>((st_.anchor_cnt + ticks) % period);
}

uint64_t Stm32Tim::next_overflow_ns() const
{
    // The update comes when the counter passes ARR back to 0.
    const uint64_t to_go = st_.arr_active + 1ull - std::min<uint64_t>(st_.anchor_cnt, st_.arr_active);
    return st_.anchor_ns + ticks_ns(to_go);
}

void Stm32Tim::restart(uint32_t from)
{
    st_.anchor_cnt = from > st_.arr_active ? 0 : from;
    st_.anchor_ns = now();
    st_.matches_checked_ns = st_.anchor_ns;
    st_.toggle_start.fill(0);
}

// Matches CNT = CCRx in (from, to] of output channels: CCxIF, and the
// reference level of the match-driven modes.
void Stm32Tim::check_matches(uint64_t from, uint64_t to)
{
    if (to <= from) {
        return;
    }
    for (unsigned c = 0; c < CHANNELS; c++) {
        if (ccs(c) != CCS_OUTPUT) {
            continue;
        }
        const uint64_t m = next_match_ns(c, from);
        if (m && m <= to) {
            cc_event(c);
            if (ocm(c) == OCM_ACTIVE) {
                st_.ref[c] = true;
            } else if (ocm(c) == OCM_INACTIVE) {
                st_.ref[c] = false;
            }
        }
    }
    st_.matches_checked_ns = to;
}

// The first time after `after` at which the counter reaches CCRx (0: never).
uint64_t Stm32Tim::next_match_ns(unsigned c, uint64_t after) const
{
    const uint32_t v = st_.ccr_active[c];
    if (!cen_.on() || v > st_.arr_active) {
        return 0;
    }
    const uint64_t period = ticks_ns(st_.arr_active + 1ull);
    uint64_t first = v >= st_.anchor_cnt
                         ? st_.anchor_ns + ticks_ns(v - st_.anchor_cnt)
                         : st_.anchor_ns + ticks_ns(st_.arr_active + 1ull - st_.anchor_cnt + v);
    if (first <= after) {
        first += ((after - first) / period + 1) * period;
    }
    return first;
}

void Stm32Tim::catch_up()
{
    if (!ctx_.scheduler || !cen_.on()) {
        return;
    }
    const uint64_t t = now();
    for (;;) {
        const uint64_t ov = next_overflow_ns();
        if (ov > t) {
            break;
        }
        check_matches(st_.matches_checked_ns, ov - 1);
        st_.anchor_ns = ov;
        st_.anchor_cnt = 0;
        update_event(false);
        if (opm_.on()) {
            // RM0399 OPM: the counter stops at the update event.
            for (unsigned c = 0; c < CHANNELS; c++) {
                st_.ref[c] = ref_wave(c).level_at(ov);
            }
            cen_.set(0);
            cnt_->value = 0;
            return;
        }
        // Every later period is the same (the shadows are loaded): skip the
        // whole ones nobody watches (no deadline was asked for them; a late
        // deadline with per-update watchers, TRGO or UIE, still gets every
        // update one by one).
        const uint64_t p = ticks_ns(st_.arr_active + 1ull);
        if (t >= ov + 2 * p && !needs_update_events()) {
            const uint64_t n = (t - ov) / p - 1;
            check_matches(st_.matches_checked_ns, ov + n * p - 1); // periods are alike from ov on
            st_.anchor_ns = ov + n * p;
        }
    }
    check_matches(st_.matches_checked_ns, t);
}

void Stm32Tim::update_event(bool software)
{
    // RM0399 UDIS: no update event (shadows kept, no UIF); UG still
    // re-initialises the counter.
    if (!udis_.on()) {
        st_.psc_active = psc_.get();
        st_.arr_active = arr_->value;
        for (unsigned c = 0; c < CHANNELS; c++) {
            if (ccs(c) == CCS_OUTPUT) {
                st_.ccr_active[c] = ccr_[c]->value;
            }
        }
        if (!(software && urs_.on())) {
            // RM0399 URS = 0: overflow and UG raise UIF and the update DMA
            // request; URS = 1: only the overflow.  CCDS = 1: the CCx DMA
            // requests come with the update event.
            uif_.set(1);
            st_.dreq |= dma_enabled() & 1u;
            if (ccds_.on()) {
                st_.dreq |= dma_enabled() & ~1u;
            }
        }
        const uint32_t mms = mms_.get();
        if (mms == MMS_UPDATE || (software && mms == MMS_RESET)) {
            trgo_.pulse();
        }
    }
    if (software) {
        cnt_->value = 0;
        if (cen_.on()) {
            restart(0);
        }
    }
    update_irq();
}

bool Stm32Tim::needs_update_events() const
{
    if (uie_.on() || opm_.on() || mms_.get() == MMS_UPDATE) {
        return true;
    }
    if (ude_.on() || (ccds_.on() && (dma_enabled() & ~1u))) {
        return true; // DMA requests at each update event
    }
    // A shadow waiting for the update changes the outputs then.
    if (psc_.get() != st_.psc_active || arr_->value != st_.arr_active) {
        return true;
    }
    for (unsigned c = 0; c < CHANNELS; c++) {
        if (ccs(c) == CCS_OUTPUT && ccr_[c]->value != st_.ccr_active[c]) {
            return true;
        }
    }
    return false;
}

void Stm32Tim::schedule()
{
    if (!ctx_.scheduler) {
        return;
    }
    const bool run = cen_.on();
    ctx_.scheduler->schedule(this, TAG_UPDATE, run && needs_update_events() ? next_overflow_ns() : 0);
    const uint64_t t = now();
    for (unsigned c = 0; c < CHANNELS; c++) {
        uint64_t at = 0;
        if (run && ccs(c) == CCS_OUTPUT) {
            const uint32_t m = ocm(c);
            const bool wanted = (ccie_[c].on() && !ccif_[c].on()) || (ccde_[c].on() && !ccds_.on()) ||
                                (m == OCM_ACTIVE && !st_.ref[c]) || (m == OCM_INACTIVE && st_.ref[c]);
            at = wanted ? next_match_ns(c, t) : 0;
        }
        ctx_.scheduler->schedule(this, TAG_MATCH + c, at);
    }
}

void Stm32Tim::timer_fired(unsigned)
{
    catch_up();
    update_outputs();
    update_irq();
    schedule();
}

uint32_t Stm32Tim::read(BusAccess &a)
{
    catch_up();
    const uint32_t v = RegisterDevice::read(a);
    schedule();
    return v;
}

void Stm32Tim::write(BusAccess &a, uint32_t value)
{
    catch_up();
    RegisterDevice::write(a, value);
    update_outputs();
    schedule();
}

// ---- channels ------------------------------------------------------------------

uint32_t Stm32Tim::ccs(unsigned c) const { return (ccmr_[c / 2]->value >> (8 * (c % 2))) & 3u; }

uint32_t Stm32Tim::ocm(unsigned c) const
{
    const uint32_t v = ccmr_[c / 2]->value;
    const unsigned s = 8 * (c % 2);
    return ((v >> (4 + s)) & 7u) | (((v >> (16 + s)) & 1u) << 3);
}

bool Stm32Tim::ocpe(unsigned c) const { return (ccmr_[c / 2]->value >> (3 + 8 * (c % 2))) & 1u; }

uint32_t Stm32Tim::icpsc(unsigned c) const { return (ccmr_[c / 2]->value >> (2 + 8 * (c % 2))) & 3u; }

Waveform Stm32Tim::ref_wave(unsigned c) const
{
    const uint32_t m = ocm(c);
    const uint32_t v = st_.ccr_active[c], arr = st_.arr_active;
    const uint64_t t = now();
    if (ccs(c) != CCS_OUTPUT) {
        return Waveform::constant(false);
    }
    switch (m) {
    case OCM_FORCE_LOW:
        return Waveform::constant(false);
    case OCM_FORCE_HIGH:
        return Waveform::constant(true);
    case OCM_PWM1:
    case OCM_PWM2: {
        const bool pwm1 = m == OCM_PWM1;
        if (!cen_.on() || !ctx_.scheduler) {
            // RM0399: OCxREF follows the comparison CNT < CCRx at all times.
            const bool below = (cen_.on() ? counter() : cnt_->value) < v;
            return Waveform::constant(pwm1 == below);
        }
        if (v == 0) {
            return Waveform::constant(!pwm1);
        }
        if (v > arr) {
            return Waveform::constant(pwm1);
        }
        Waveform w;
        w.period_ns = ticks_ns(arr + 1ull);
        // The counter was 0 at anchor - anchor_cnt ticks: a period start.
        const uint64_t zero = st_.anchor_ns + ticks_ns(arr + 1ull - st_.anchor_cnt);
        w.high_ns = ticks_ns(v);
        w.start_ns = zero;
        return (pwm1 ? w : w.inverted()).at(t);
    }
    case OCM_TOGGLE: {
        if (!cen_.on() || !ctx_.scheduler || v > arr) {
            return Waveform::constant(st_.ref[c]);
        }
        const uint64_t p = ticks_ns(arr + 1ull);
        // The first toggle after the mode (or the count) started: the level
        // st_.ref[c] holds until then, then it alternates every period.
        uint64_t first = st_.toggle_start[c];
        if (!first) {
            first = next_match_ns(c, st_.matches_checked_ns);
        }
        Waveform w;
        w.period_ns = 2 * p;
        w.high_ns = p;
        w.start_ns = st_.ref[c] ? first + p : first;
        return w.at(t);
    }
    default: // frozen, active / inactive on match: a level that changes at matches
        if (m > OCM_PWM2) {
            return Waveform::constant(st_.ref[c]); // combined / asymmetric modes: unmodelled
        }
        return Waveform::constant(st_.ref[c]);
    }
}

void Stm32Tim::update_outputs()
{
    const uint64_t t = now();
    for (unsigned c = 0; c < CHANNELS; c++) {
        if (ccs(c) == CCS_OUTPUT && ocm(c) == OCM_TOGGLE && !st_.toggle_start[c] && cen_.on()) {
            st_.toggle_start[c] = next_match_ns(c, st_.matches_checked_ns);
        }
        const Waveform ref = ref_wave(c);
        // RM0399 output control: OCx = OCxREF xor CCxP when CCxE (and MOE on
        // timers with a break function); MOE = 0 with OSSI: the idle level.
        const bool gate = !advanced_ || moe_.on();
        Waveform out = Waveform::constant(false);
        if (ccs(c) == CCS_OUTPUT && cce_[c].on()) {
            if (gate) {
                out = ccp_[c].on() ? ref.inverted() : ref;
            } else if (ossi_.on()) {
                out = Waveform::constant(ois_[c].on());
            }
        }
        out = out.at(t);
        if (ch_out_[c]->changes(out)) {
            AMPVP_TRACE("tim", name(), "CH" + std::to_string(c + 1) + " = " + out.describe());
        }
        ch_out_[c]->set_wave(out);
        if (c < 3 && advanced_) {
            Waveform n = Waveform::constant(false);
            if (ccs(c) == CCS_OUTPUT && ccne_[c].on() && moe_.on()) {
                const Waveform nref = ref.inverted();
                n = ccnp_[c].on() ? nref.inverted() : nref;
            }
            n = n.at(t);
            if (chn_out_[c]->changes(n)) {
                AMPVP_TRACE("tim", name(), "CH" + std::to_string(c + 1) + "N = " + n.describe());
            }
            chn_out_[c]->set_wave(n);
        }
    }
    const uint32_t mms = mms_.get();
    if (mms == MMS_ENABLE) {
        trgo_.set(cen_.on());
    } else if (mms >= MMS_OC1REF) {
        trgo_.set_wave(ref_wave(mms - MMS_OC1REF));
    } else if (trgo_.level() || trgo_.wave().periodic()) {
        trgo_.set(false);
    }
}

// ---- input capture -------------------------------------------------------------

void Stm32Tim::capture(unsigned c)
{
    if (ccif_[c].on()) {
        ccof_[c].set(1); // RM0399: a capture while CCxIF is set is an overcapture
    }
    ccr_[c]->value = cen_.on() ? counter() : cnt_->value;
    cc_event(c);
    AMPVP_TRACE("tim", name(), "IC" + std::to_string(c + 1) + " capture CNT = " + std::to_string(ccr_[c]->value));
}

void Stm32Tim::cc_event(unsigned c)
{
    ccif_[c].set(1);
    if (!ccds_.on()) {
        st_.dreq |= dma_enabled() & (2u << c); // RM0399 CCDS = 0: CCx DMA request at the CCx event
    }
}

uint32_t Stm32Tim::dma_enabled() const
{
    uint32_t e = ude_.on() ? 1u : 0u;
    for (unsigned c = 0; c < CHANNELS; c++) {
        e |= ccde_[c].on() ? 2u << c : 0u;
    }
    return e;
}

void Stm32Tim::on_edge(unsigned ti, bool rising)
{
    for (unsigned c = 0; c < CHANNELS; c++) {
        const uint32_t s = ccs(c);
        // ICx from TIx (CCxS = 01) or from the other input of its pair (10).
        const bool from = (s == CCS_TI_DIRECT && ti == c) || (s == CCS_TI_CROSS && ti == (c ^ 1u));
        if (!from || !cce_[c].on()) {
            continue;
        }
        // CCxNP/CCxP: 00 rising, 01 falling, 11 both edges (10 reserved).
        const unsigned pol = (ccnp_[c].get() << 1) | ccp_[c].get();
        const bool take = pol == 3 || (pol == 0 && rising) || (pol == 1 && !rising);
        if (!take) {
            continue;
        }
        // ICxPSC: a capture every 1, 2, 4 or 8 events.
        if (++st_.ic_events[c] % (1u << icpsc(c)) == 0) {
            capture(c);
        }
    }
}

void Stm32Tim::input(unsigned n, bool level)
{
    if (n == ACK_UP || (n >= ACK_CC && n < ACK_CC + CHANNELS)) {
        if (level) {
            // The DMA served the request: it is released.
            st_.dreq &= ~(n == ACK_UP ? 1u : 2u << (n - ACK_CC));
            update_irq();
        }
        return;
    }
    if (n >= CHANNELS || st_.ti[n] == level) {
        return;
    }
    st_.ti[n] = level;
    catch_up();
    on_edge(n, level);
    update_irq();
    schedule();
}

void Stm32Tim::update_irq()
{
    const bool up = uif_.on() && uie_.on();
    bool cc = false;
    for (unsigned c = 0; c < CHANNELS; c++) {
        cc |= ccif_[c].on() && ccie_[c].on();
    }
    up_.set(up);
    cc_.set(cc);
    irq_.set(up || cc);
    dma_up_->set(st_.dreq & 1u);
    for (unsigned c = 0; c < CHANNELS; c++) {
        dma_cc_[c]->set(st_.dreq & (2u << c));
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32-tim", ampvp::Stm32Tim)
