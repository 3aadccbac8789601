#include "stm32_ipcc.h"
#include "../model_registry.h"

#include "../log.h"
#include "../timeline.h"

namespace ampvp {

namespace {
constexpr uint32_t kChannelMask = (1u << Stm32Ipcc::CHANNELS) - 1u; // bits 0-5

std::string channels(uint32_t bits)
{
    std::string s;
    for (unsigned n = 0; n < Stm32Ipcc::CHANNELS; n++) {
        if (bits & (1u << n)) {
            s += (s.empty() ? "" : ",") + std::to_string(n + 1);
        }
    }
    return s;
}
} // namespace

Stm32Ipcc::Stm32Ipcc(const std::string &name) : RegisterDevice(name)
{
    for (unsigned p = 0; p < 2; p++) {
        const std::string c = "c" + std::to_string(p + 1);
        rx_[p] = &add_irq(c + ".rx");
        tx_[p] = &add_irq(c + ".tx");
        exti_[p] = &add_irq(c + ".exti");
    }
    auto &r = regs_;
    for (unsigned p = 0; p < 2; p++) {
        const std::string x = std::to_string(p + 1), y = std::to_string(2 - p);
        const uint32_t base = 0x10 * p;
        r.reg("C" + x + "CR", base + 0x0, 0)
            .field("RXOIE", 0, 1, Acc::RW, &rxoie_[p])
            .field("TXFIE", 16, 1, Acc::RW, &txfie_[p])
            .post_write([this, p](BusAccess &a, uint32_t, uint32_t, uint32_t) {
                note_foreign(a, p, "CR");
            });
        Register &mr = r.reg("C" + x + "MR", base + 0x4, 0xFFFFFFFFu);
        Register &scr = r.reg("C" + x + "SCR", base + 0x8, 0);
        Register &sr = r.reg("C" + x + "TOC" + y + "SR", base + 0xC, 0);
        for (unsigned n = 1; n <= CHANNELS; n++) {
            mr.field("CH" + std::to_string(n) + "OM", n - 1, 1, Acc::RW);
        }
        for (unsigned n = 1; n <= CHANNELS; n++) {
            mr.field("CH" + std::to_string(n) + "FM", 15 + n, 1, Acc::RW);
        }
        // The bits between the masks reset to 1 and ignore writes: ST's
        // HAL_IPCC_Init writes MR = 0x003F003F, Linux sets bits by
        // read-modify-write; neither is a guest error.
        mr.field("RES_HI", 22, 10, Acc::RO).field("RES_MID", 6, 10, Acc::RO);
        for (unsigned n = 1; n <= CHANNELS; n++) {
            scr.field("CH" + std::to_string(n) + "C", n - 1, 1, Acc::WO);
        }
        for (unsigned n = 1; n <= CHANNELS; n++) {
            scr.field("CH" + std::to_string(n) + "S", 15 + n, 1, Acc::WO);
        }
        for (unsigned n = 1; n <= CHANNELS; n++) {
            sr.field("CH" + std::to_string(n) + "F", n - 1, 1, Acc::RO);
        }
        om_[p] = FieldRef(&mr, kChannelMask, 0);
        fm_[p] = FieldRef(&mr, kChannelMask << 16, 16);
        clr_[p] = FieldRef(&scr, kChannelMask, 0);
        set_[p] = FieldRef(&scr, kChannelMask << 16, 16);
        flag_[p] = FieldRef(&sr, kChannelMask, 0);
        mr.post_write([this, p](BusAccess &a, uint32_t, uint32_t, uint32_t) { note_foreign(a, p, "MR"); });
        scr.post_write([this, p](BusAccess &a, uint32_t, uint32_t now, uint32_t) { scr_written(a, p, now); });
    }
    r.reg("HWCFGR", 0x3F0, CHANNELS).field("CHANNELS", 0, 8, Acc::RO);
    r.reg("VERR", 0x3F4, 0x00000010).field("MINREV", 0, 4, Acc::RO).field("MAJREV", 4, 4, Acc::RO);
    r.reg("IPIDR", 0x3F8, 0x00100071).field("IPID", 0, 32, Acc::RO);
    r.reg("SIDR", 0x3FC, 0xA3C5DD01).field("SID", 0, 32, Acc::RO);
}

void Stm32Ipcc::configure(const std::map<std::string, std::string> &params,
                          const std::vector<std::string> &core_names)
{
    for (unsigned p = 0; p < 2; p++) {
        core_[p] = param_core(params, "processor" + std::to_string(p + 1), core_names);
        proc_name_[p] = core_names[core_[p]];
    }
}

// An access to processor p's set by the other processor: legal (no initiator
// check in the IPCC), worth a trace line when someone wonders why.
void Stm32Ipcc::note_foreign(const BusAccess &a, unsigned p, const char *reg) const
{
    if (core_[p] >= 0 && a.core != core_[p]) {
        AMPVP_TRACE("ipcc", a.core_name,
                    std::string("writes C") + std::to_string(p + 1) + reg + " of " + proc_name_[p] +
                        " (the IPCC has no initiator check: it acts as " + proc_name_[p] + "'s)");
    }
}

void Stm32Ipcc::scr_written(BusAccess &a, unsigned p, uint32_t now)
{
    const unsigned other = 1 - p;
    const uint32_t clr = clr_[p].in(now), set = set_[p].in(now);
    clr_[p].reg()->value = 0; // write-only: nothing stays behind
    note_foreign(a, p, "SCR");
    if (clr) {
        // RM0436: CHnC frees the channel the other processor posted on.
        flag_[other].set(flag_[other].get() & ~clr);
        AMPVP_TRACE("ipcc", a.core_name,
                    proc_name_[p] + " frees channel(s) " + channels(clr) + " of " + proc_name_[other]);
        for (unsigned ch = 0; Timeline::on() && ch < CHANNELS; ch++) {
            if (clr & (1u << ch)) {
                timeline().ipcc(name(), a.core_name, proc_name_[other], proc_name_[p], ch, false);
            }
        }
    }
    if (set) {
        // RM0436: CHnS marks the processor's own channel occupied.
        flag_[p].set(flag_[p].get() | set);
        AMPVP_TRACE("ipcc", a.core_name,
                    proc_name_[p] + " occupies channel(s) " + channels(set) + " towards " + proc_name_[other]);
        for (unsigned ch = 0; Timeline::on() && ch < CHANNELS; ch++) {
            if (set & (1u << ch)) {
                timeline().ipcc(name(), a.core_name, proc_name_[p], proc_name_[other], ch, true);
            }
        }
    }
}

void Stm32Ipcc::update_irq()
{
    for (unsigned x = 0; x < 2; x++) {
        const unsigned y = 1 - x;
        const bool rx = rxoie_[x].on() && (flag_[y].get() & ~om_[x].get() & kChannelMask) != 0;
        const bool tx = txfie_[x].on() && (~flag_[x].get() & ~fm_[x].get() & kChannelMask) != 0;
        rx_[x]->set(rx);
        tx_[x]->set(tx);
        exti_[x]->set(rx || tx);
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32-ipcc", ampvp::Stm32Ipcc)
