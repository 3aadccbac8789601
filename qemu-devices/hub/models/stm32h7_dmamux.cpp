#include "stm32h7_dmamux.h"
#include "../model_registry.h"

#include "../log.h"

#include <algorithm>
#include <limits>

namespace ampvp {

namespace {
// RM0399 GPOL / SPOL: 00 no event, 01 rising edge, 10 falling edge, 11 both.
constexpr uint32_t RISING = 1, FALLING = 2;
bool takes(uint32_t pol, bool rising) { return (pol & (rising ? RISING : FALLING)) != 0; }
// A look at a periodic input handles at most this many of its edges (a
// deadline is set at each edge someone waits for, so looks are never late by
// more than one).
constexpr unsigned kMaxEdgesPerLook = 4096;
constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
} // namespace

Stm32h7Dmamux::Stm32h7Dmamux(const std::string &name, unsigned channels)
    : RegisterDevice(name), ch_(channels), req_ack_(REQUEST_LINES, nullptr)
{
    auto &r = regs_;
    for (unsigned c = 0; c < ch_.size(); c++) {
        Channel &x = ch_[c];
        x.out = &add_irq("req_out" + std::to_string(c));
        x.evt = &add_irq("evt" + std::to_string(c));
        x.cr = &r.reg("C" + std::to_string(c) + "CR", 4 * c, 0)
                    .field("DMAREQ_ID", 0, 8, Acc::RW, &x.dmareq_id)
                    .field("SOIE", 8, 1, Acc::RW, &x.soie)
                    .field("EGE", 9, 1, Acc::RW, &x.ege)
                    .field("SE", 16, 1, Acc::RW, &x.se)
                    .field("SPOL", 17, 2, Acc::RW, &x.spol)
                    .field("NBREQ", 19, 5, Acc::RW, &x.nbreq)
                    .field("SYNC_ID", 24, 5, Acc::RW, &x.sync_id)
                    .post_write([this, c](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
                        const Channel &y = ch_[c];
                        if (y.nbreq.in(old ^ now) && (y.se.in(old) || y.ege.in(old))) {
                            // RM0399 DMAMUX_CxCR.NBREQ: written only while SE and EGE are 0.
                            log().guest_error(a.core_name, this->name() + ".C" + std::to_string(c) +
                                                               "CR.NBREQ changed while SE or EGE is set");
                        }
                        // A new configuration (anything but SOIE, which
                        // HAL_DMA_Start_IT sets on its own): the request
                        // counter starts again from NBREQ, closed.
                        if ((old ^ now) & ~y.soie.mask()) {
                            st_.cnt[c] = Counter{false, y.nbreq.in(now)};
                        }
                    });
    }
    for (unsigned n = GENERATORS + 1; n < REQUEST_LINES; n++) {
        req_ack_[n] = &add_irq("req_ack" + std::to_string(n));
    }
    ovr_ = &add_irq("ovr");
    csr_ = &r.reg("CSR", 0x80, 0);
    Register &cfr = r.reg("CFR", 0x84, 0);
    for (unsigned c = 0; c < ch_.size(); c++) {
        csr_->field("SOF" + std::to_string(c), c, 1, Acc::RO, &ch_[c].sof);
        cfr.field("CSOF" + std::to_string(c), c, 1, Acc::WO);
    }
    Register *cfr_reg = &cfr;
    cfr.post_write([this, cfr_reg](BusAccess &, uint32_t, uint32_t now, uint32_t) {
        csr_->value &= ~now; // RM0399 DMAMUX_CFR: writing 1 clears SOFx
        cfr_reg->value = 0;
    });
    for (unsigned g = 0; g < GENERATORS; g++) {
        Generator &x = gen_[g];
        x.cr = &r.reg("RG" + std::to_string(g) + "CR", 0x100 + 4 * g, 0)
                    .field("SIG_ID", 0, 5, Acc::RW, &x.sig_id)
                    .field("OIE", 8, 1, Acc::RW, &x.oie)
                    .field("GE", 16, 1, Acc::RW, &x.ge)
                    .field("GPOL", 17, 2, Acc::RW, &x.gpol)
                    .field("GNBREQ", 19, 5, Acc::RW, &x.gnbreq)
                    .post_write([this, g](BusAccess &, uint32_t, uint32_t now, uint32_t) {
                        if (!gen_[g].ge.in(now)) {
                            st_.due[g] = 0; // a disabled generator makes no request
                        }
                    });
    }
    rgsr_ = &r.reg("RGSR", 0x140, 0);
    Register &rgcfr = r.reg("RGCFR", 0x144, 0);
    for (unsigned g = 0; g < GENERATORS; g++) {
        rgsr_->field("OF" + std::to_string(g), g, 1, Acc::RO, &gen_[g].of);
        rgcfr.field("COF" + std::to_string(g), g, 1, Acc::WO);
    }
    Register *rgcfr_reg = &rgcfr;
    rgcfr.post_write([this, rgcfr_reg](BusAccess &, uint32_t, uint32_t now, uint32_t) {
        rgsr_->value &= ~now; // RM0399 DMAMUX_RGCFR: writing 1 clears OFx
        rgcfr_reg->value = 0;
    });
}

uint64_t Stm32h7Dmamux::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

void Stm32h7Dmamux::reset()
{
    if (ctx_.scheduler) {
        for (unsigned s = 0; s < TRIGGERS + SYNCS; s++) {
            if (st_.sig[s].w.periodic()) {
                ctx_.scheduler->schedule(this, s, 0);
            }
        }
    }
    st_ = State{};
    RegisterDevice::reset();
}

void Stm32h7Dmamux::write(BusAccess &a, uint32_t value)
{
    // Edges up to now count under the configuration they happened in.
    const uint64_t t = now();
    for (unsigned s = 0; s < TRIGGERS + SYNCS; s++) {
        if (st_.sig[s].w.periodic()) {
            catch_up(s, t);
        }
    }
    RegisterDevice::write(a, value);
    for (unsigned s = 0; s < TRIGGERS + SYNCS; s++) {
        if (st_.sig[s].w.periodic()) {
            schedule(s);
        }
    }
}

void Stm32h7Dmamux::input(unsigned n, bool level)
{
    if ((n >= TRIGGER_BASE && n < TRIGGER_BASE + TRIGGERS) || (n >= SYNC_BASE && n < SYNC_BASE + SYNCS)) {
        input_wave(n, Waveform::constant(level));
        return;
    }
    if (n < REQUEST_LINES) {
        st_.request[n] = level;
    } else if (n >= ACK_BASE && n < ACK_BASE + ch_.size()) {
        if (!level) {
            return;
        }
        acknowledged(n - ACK_BASE);
    } else {
        return;
    }
    update_irq();
}

void Stm32h7Dmamux::input_wave(unsigned n, const Waveform &w)
{
    unsigned s;
    if (n >= TRIGGER_BASE && n < TRIGGER_BASE + TRIGGERS) {
        s = n - TRIGGER_BASE;
    } else if (n >= SYNC_BASE && n < SYNC_BASE + SYNCS) {
        s = TRIGGERS + (n - SYNC_BASE);
    } else {
        input(n, w.level);
        return;
    }
    const uint64_t t = now();
    catch_up(s, t);
    Signal &x = st_.sig[s];
    const bool was = x.w.level_at(t);
    const bool was_periodic = x.w.periodic();
    x.w = w.normalized();
    x.seen = t;
    const bool is = x.w.level_at(t);
    if (was != is) {
        signal_edge(s, is); // the change itself is an edge, now
    }
    if (was_periodic || x.w.periodic()) {
        schedule(s);
    }
    update_irq();
}

void Stm32h7Dmamux::timer_fired(unsigned tag)
{
    if (tag >= TRIGGERS + SYNCS) {
        return;
    }
    catch_up(tag, now());
    schedule(tag);
    update_irq();
}

uint32_t Stm32h7Dmamux::wanted_edges(unsigned s) const
{
    uint32_t want = 0;
    if (s < TRIGGERS) {
        for (const Generator &g : gen_) {
            if (g.ge.on() && g.sig_id.get() == s) {
                want |= g.gpol.get();
            }
        }
    } else {
        for (const Channel &c : ch_) {
            if (c.se.on() && c.sync_id.get() == s - TRIGGERS) {
                want |= c.spol.get();
            }
        }
    }
    return want;
}

// Every edge of periodic signal s in (seen, t] that someone waits for, in
// time order.
void Stm32h7Dmamux::catch_up(unsigned s, uint64_t t)
{
    Signal &x = st_.sig[s];
    const uint32_t want = wanted_edges(s);
    if (x.w.periodic() && want) {
        for (unsigned i = 0; i < kMaxEdgesPerLook; i++) {
            const uint64_t r = (want & RISING) ? x.w.next_edge(x.seen, true) : kNever;
            const uint64_t f = (want & FALLING) ? x.w.next_edge(x.seen, false) : kNever;
            const uint64_t e = std::min(r, f);
            if (e > t) {
                break;
            }
            x.seen = e;
            signal_edge(s, e == r);
        }
    }
    x.seen = std::max(x.seen, t);
}

// A deadline at the next edge of periodic signal s that someone waits for.
void Stm32h7Dmamux::schedule(unsigned s)
{
    if (!ctx_.scheduler) {
        return;
    }
    const Signal &x = st_.sig[s];
    const uint32_t want = wanted_edges(s);
    uint64_t at = 0;
    if (x.w.periodic() && want) {
        const uint64_t r = (want & RISING) ? x.w.next_edge(x.seen, true) : kNever;
        const uint64_t f = (want & FALLING) ? x.w.next_edge(x.seen, false) : kNever;
        at = std::min(r, f);
    }
    ctx_.scheduler->schedule(this, s, at);
}

void Stm32h7Dmamux::signal_edge(unsigned s, bool rising)
{
    if (s < TRIGGERS) {
        trigger_edge(s, rising);
    } else {
        sync_edge(s - TRIGGERS, rising);
    }
}

void Stm32h7Dmamux::trigger_edge(unsigned k, bool rising)
{
    for (unsigned g = 0; g < GENERATORS; g++) {
        const Generator &x = gen_[g];
        if (!x.ge.on() || x.sig_id.get() != k || !takes(x.gpol.get(), rising)) {
            continue;
        }
        if (st_.due[g] != 0) {
            x.of.set(1); // RM0399: a trigger before the requests are all served
            continue;
        }
        st_.due[g] = x.gnbreq.get() + 1;
    }
}

void Stm32h7Dmamux::sync_edge(unsigned k, bool rising)
{
    for (unsigned c = 0; c < ch_.size(); c++) {
        const Channel &x = ch_[c];
        if (!x.se.on() || x.sync_id.get() != k || !takes(x.spol.get(), rising)) {
            continue;
        }
        Counter &n = st_.cnt[c];
        if (n.open) {
            // RM0399 "Synchronization overrun": an event before the request
            // counter underrun.
            x.sof.set(1);
            continue;
        }
        if (!pending(c)) {
            continue; // no pending request: the event is discarded
        }
        n.open = true;
        n.left = x.nbreq.get();
    }
}

bool Stm32h7Dmamux::pending(unsigned c) const
{
    // Lines 1-8 are the request generators' (RM0399 DMAMUX1/DMAMUX2 tables);
    // 0 selects nothing.
    const uint32_t id = ch_[c].dmareq_id.get();
    if (id >= 1 && id <= GENERATORS) {
        return st_.due[id - 1] != 0;
    }
    return id != 0 && st_.request[id];
}

void Stm32h7Dmamux::acknowledged(unsigned c)
{
    // The DMA served a request of the line channel c selects: a generator owes
    // one request less; a peripheral gets the acknowledge.
    const Channel &x = ch_[c];
    const uint32_t id = x.dmareq_id.get();
    if (id >= 1 && id <= GENERATORS) {
        if (st_.due[id - 1] != 0) {
            st_.due[id - 1]--;
        }
    } else if (req_ack_[id]) {
        req_ack_[id]->pulse();
    }
    if (!x.se.on() && !x.ege.on()) {
        return;
    }
    // RM0399 "Synchronization mode and channel event generation": the request
    // counter decrements per served request; at its underrun it reloads
    // NBREQ, the synchronized channel closes and (EGE) dmamux_evtx pulses.
    Counter &n = st_.cnt[c];
    if (n.left != 0) {
        n.left--;
        return;
    }
    n.left = x.nbreq.get();
    n.open = false;
    if (x.ege.on()) {
        x.evt->pulse();
    }
}

void Stm32h7Dmamux::update_irq()
{
    // RM0399 "DMAMUX request line multiplexer": channel c forwards the request
    // line its DMAREQ_ID selects; a synchronized channel only while open.
    for (unsigned c = 0; c < ch_.size(); c++) {
        const Channel &x = ch_[c];
        x.out->set(pending(c) && (!x.se.on() || st_.cnt[c].open));
    }
    bool ovr = false;
    for (const Channel &c : ch_) {
        ovr = ovr || (c.sof.on() && c.soie.on());
    }
    for (const Generator &g : gen_) {
        ovr = ovr || (g.of.on() && g.oie.on());
    }
    ovr_->set(ovr);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-dmamux", ampvp::Stm32h7Dmamux)
AMPVP_MODEL("stm32h7-dmamux2", ampvp::Stm32h7Dmamux2)
