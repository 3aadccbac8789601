#include "stm32h7_dmamux.h"
#include "../model_registry.h"

#include "../log.h"

namespace ampvp {

Stm32h7Dmamux::Stm32h7Dmamux(const std::string &name, unsigned channels)
    : RegisterDevice(name), ch_(channels)
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
                    .unimpl("SE", 16, 1, Acc::RW, &x.se)
                    .field("SPOL", 17, 2, Acc::RW)
                    .field("NBREQ", 19, 5, Acc::RW, &x.nbreq)
                    .field("SYNC_ID", 24, 5, Acc::RW)
                    .post_write([this, c](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
                        const Channel &ch = ch_[c];
                        if (ch.nbreq.in(old) != ch.nbreq.in(now) && (ch.ege.in(old) || ch.se.in(old))) {
                            log().guest_error(a.core_name, this->name() + ".C" + std::to_string(c) +
                                                               "CR.NBREQ written while SE or EGE is set "
                                                               "(RM0399: only when both are low)");
                        }
                        if (ch.ege.in(now) && !ch.ege.in(old)) {
                            st_.to_event[c] = ch.nbreq.in(now) + 1; // a new count of NBREQ + 1 requests
                        }
                    });
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

void Stm32h7Dmamux::reset()
{
    st_ = State{};
    RegisterDevice::reset();
}

void Stm32h7Dmamux::input(unsigned n, bool level)
{
    if (n < REQUEST_LINES) {
        st_.request[n] = level;
    } else if (n >= TRIGGER_BASE && n < TRIGGER_BASE + TRIGGERS) {
        const unsigned k = n - TRIGGER_BASE;
        if (st_.trigger[k] == level) {
            return;
        }
        st_.trigger[k] = level;
        trigger_edge(k, level);
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

void Stm32h7Dmamux::trigger_edge(unsigned k, bool rising)
{
    for (unsigned g = 0; g < GENERATORS; g++) {
        const Generator &x = gen_[g];
        // RM0399 GPOL: 00 no event, 01 rising edge, 10 falling edge, 11 both.
        const uint32_t pol = x.gpol.get();
        if (!x.ge.on() || x.sig_id.get() != k || !(pol & (rising ? 1u : 2u))) {
            continue;
        }
        if (st_.due[g] != 0) {
            x.of.set(1); // RM0399: a trigger before the requests are all served
            continue;
        }
        st_.due[g] = x.gnbreq.get() + 1;
    }
}

void Stm32h7Dmamux::acknowledged(unsigned c)
{
    // The DMA served a request of the line channel c selects: if that is a
    // generator's line (1-8), it owes one request less.
    Channel &ch = ch_[c];
    const uint32_t id = ch.dmareq_id.get();
    if (id >= 1 && id <= GENERATORS && st_.due[id - 1] != 0) {
        st_.due[id - 1]--;
    }
    // RM0399 CxCR.EGE: an event each NBREQ + 1 requests forwarded.
    if (ch.ege.on() && (st_.to_event[c] <= 1 || --st_.to_event[c] == 0)) {
        st_.to_event[c] = ch.nbreq.get() + 1;
        AMPVP_TRACE("bus", name(), "channel " + std::to_string(c) + " event (dmamux_evt" + std::to_string(c) +
                                       ") after " + std::to_string(ch.nbreq.get() + 1) + " requests");
        ch.evt->pulse();
    }
}

void Stm32h7Dmamux::update_irq()
{
    // RM0399 "DMAMUX request line multiplexer": channel c forwards the request
    // line its DMAREQ_ID selects (synchronization off).  0 selects nothing.
    // Lines 1-8 are the request generators' (RM0399 DMAMUX1/DMAMUX2 tables).
    for (const Channel &c : ch_) {
        const uint32_t id = c.dmareq_id.get();
        const bool gen = id >= 1 && id <= GENERATORS && st_.due[id - 1] != 0;
        c.out->set(id != 0 && (st_.request[id] || gen));
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
