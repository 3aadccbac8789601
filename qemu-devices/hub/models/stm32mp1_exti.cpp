#include "stm32mp1_exti.h"
#include "../model_registry.h"

#include "../log.h"
#include "../timeline.h"

namespace ampvp {

namespace {
constexpr uint32_t bit(unsigned line) { return 1u << (line % 32); }

// Per register k (lines 32k..32k+31).
// Configurable lines: 0-16, 65, 66, 68, 73 (HAL EXTI_CONFIG / EXTI_GPIO).
constexpr uint32_t kConfigurable[3] = {0x0001FFFFu, 0u, bit(65) | bit(66) | bit(68) | bit(73)};
// Lines with an event mask bit: 0-15, 17-19, 66 (HAL EXTI_EVENT, SVD EMx).
constexpr uint32_t kEvent[3] = {0x000EFFFFu, 0u, bit(66)};
// Lines that exist (76): IMR bits.
constexpr uint32_t kLines[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000FFFu};
// TrustZone-capable lines (SVD TZENx fields): 0-15, 17-19, 24, 26; 41, 54-60.
constexpr uint32_t kTrustZone[3] = {0x050EFFFFu, bit(41) | 0x1FC00000u, 0u};
// Lines that reach one CPU only; every other line reaches both.
//   CPU1 only: 61 IPCC CPU1, 63 HSEM_IT1, 65 CPU2 SEV, 68 WWDG1 reset, 73 CPU2 SYSRESETREQ.
//   CPU2 only: 62 IPCC CPU2, 64 HSEM_IT2, 66 CPU1 SEV.
constexpr uint32_t kTargets[2][3] = {
    {0xFFFFFFFFu, ~bit(62), ~(bit(64) | bit(66))},
    {0xFFFFFFFFu, ~(bit(61) | bit(63)), ~(bit(65) | bit(68) | bit(73))},
};
// Configurable internal lines with an interrupt output of their own, per CPU.
const std::vector<unsigned> kLineIrqs[2] = {{16, 65, 68, 73}, {16, 66}};
// Reset values of CnIMR1..3 (SVD, both CPUs): direct lines unmasked.
constexpr uint32_t kImrReset[3] = {0xFFFE0000u, 0xFFFFFFFFu, 0x00000DE9u};

bool targets(int cpu, unsigned line) { return kTargets[cpu][line / 32] & bit(line); }

// One 1-bit field per line of `mask`, named prefix + line number, as the RM
// tables name them (RT16, IM31, TZEN41 ...); returns the vector handle.
FieldRef line_bits(Register &r, const std::string &prefix, unsigned k, uint32_t mask, Acc acc)
{
    for (unsigned b = 0; b < 32; b++) {
        if (mask & (1u << b)) {
            r.field(prefix + std::to_string(32 * k + b), b, 1, acc);
        }
    }
    return FieldRef(&r, mask, 0);
}

const char *kPortNames = "ABCDEFGHIJKZ";
} // namespace

bool Stm32mp1Exti::configurable(unsigned line)
{
    return line < LINES && (kConfigurable[line / 32] & bit(line));
}

Stm32mp1Exti::Stm32mp1Exti(const std::string &name) : RegisterDevice(name)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string c = "c" + std::to_string(cpu + 1);
        event_[cpu] = &add_irq(c + ".event");
        wakeup_[cpu] = &add_irq(c + ".wakeup");
        for (unsigned l = 0; l < 16; l++) {
            exti_[cpu][l] = &add_irq(c + ".exti" + std::to_string(l));
        }
        for (unsigned l : kLineIrqs[cpu]) {
            line_irq_[cpu].emplace_back(l, &add_irq(c + ".line" + std::to_string(l)));
        }
    }
    auto &r = regs_;
    for (unsigned k = 0; k < 3; k++) {
        const std::string x = std::to_string(k + 1);
        const uint32_t base = 0x20 * k;
        rt_[k] = line_bits(r.reg("RTSR" + x, base + 0x00, 0), "RT", k, kConfigurable[k], Acc::RW);
        ft_[k] = line_bits(r.reg("FTSR" + x, base + 0x04, 0), "FT", k, kConfigurable[k], Acc::RW);
        Register &swier = r.reg("SWIER" + x, base + 0x08, 0);
        swi_[k] = line_bits(swier, "SWI", k, kConfigurable[k], Acc::WO);
        swier.post_write([this, k](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            const uint32_t swi = swi_[k].in(now);
            swi_[k].set(0); // reads 0: every write of 1 triggers again
            for (unsigned b = 0; b < 32; b++) {
                if (swi & (1u << b)) {
                    trigger(32 * k + b, true, "software trigger (SWIER)");
                }
            }
        });
        rpr_[k] = line_bits(r.reg("RPR" + x, base + 0x0C, 0), "RPIF", k, kConfigurable[k], Acc::W1C);
        fpr_[k] = line_bits(r.reg("FPR" + x, base + 0x10, 0), "FPIF", k, kConfigurable[k], Acc::W1C);
        Register &tzenr = r.reg("TZENR" + x, base + 0x14, 0);
        line_bits(tzenr, "TZEN", k, kTrustZone[k], Acc::RW);
        tzenr.pre_write([this, x](BusAccess &a, uint32_t, uint32_t &, uint32_t written) {
            // RM0436: TZENR is write-protected against non-secure accesses,
            // which get a bus error; every initiator here is non-secure.
            log().guest_error(a.core_name, "non-secure write of " + hex(written) + " to " + this->name() +
                                               ".TZENR" + x + ": bus error (TZENR takes secure writes only)");
            a.fault = true;
            return false;
        });
    }
    for (unsigned m = 0; m < 4; m++) {
        Register &cr = r.reg("EXTICR" + std::to_string(m + 1), 0x60 + 4 * m, 0);
        for (unsigned j = 0; j < 4; j++) {
            const unsigned l = 4 * m + j;
            cr.field("EXTI" + std::to_string(l), 8 * j, 8, Acc::RW, &sel_[l]);
        }
        cr.post_write([this, m](BusAccess &, uint32_t old, uint32_t now, uint32_t) {
            for (unsigned j = 0; j < 4; j++) {
                const unsigned l = 4 * m + j;
                if (sel_[l].in(old) != sel_[l].in(now)) {
                    route_gpio(l);
                }
            }
        });
    }
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string c = "C" + std::to_string(cpu + 1);
        for (unsigned k = 0; k < 3; k++) {
            const std::string x = std::to_string(k + 1);
            const uint32_t base = (cpu == 0 ? 0x80 : 0xC0) + 0x10 * k;
            imr_[cpu][k] = line_bits(r.reg(c + "IMR" + x, base + 0x0, kImrReset[k]), "IM", k, kLines[k], Acc::RW);
            emr_[cpu][k] = line_bits(r.reg(c + "EMR" + x, base + 0x4, 0), "EM", k, kEvent[k], Acc::RW);
        }
    }
    // Hardware configuration (read-only; see the header for their sources).
    r.reg("HWCFGR13", 0x3C0, 0x050EFFFFu);
    r.reg("HWCFGR12", 0x3C4, 0x050EFFFFu);
    r.reg("HWCFGR11", 0x3C8, 0x050EFFFFu);
    r.reg("HWCFGR10", 0x3CC, 0);
    r.reg("HWCFGR9", 0x3D0, 0);
    r.reg("HWCFGR8", 0x3D4, 0);
    for (unsigned k = 3; k-- > 0;) { // HWCFGR7 (lines 64-95) .. HWCFGR5 (lines 0-31)
        r.reg("HWCFGR" + std::to_string(5 + k), 0x3E0 - 4 * k, kEvent[k]).field("CPUEVENT", 0, 32, Acc::RO);
    }
    for (unsigned k = 3; k-- > 0;) { // HWCFGR4 (lines 64-95) .. HWCFGR2 (lines 0-31)
        r.reg("HWCFGR" + std::to_string(2 + k), 0x3EC - 4 * k, kConfigurable[k]).field("EVENT_TRG", 0, 32, Acc::RO);
    }
    r.reg("HWCFGR1", 0x3F0, 0x000B214Bu)
        .field("NBEVENTS", 0, 8, Acc::RO)
        .field("NBCPUS", 8, 4, Acc::RO)
        .field("CPUEVTEN", 12, 4, Acc::RO)
        .field("NBIOPORT", 16, 8, Acc::RO);
    r.reg("VERR", 0x3F4, 0x00000030u).field("MINREV", 0, 4, Acc::RO).field("MAJREV", 4, 4, Acc::RO);
    r.reg("IPIDR", 0x3F8, 0x000E0001u).field("IPID", 0, 32, Acc::RO);
    r.reg("SIDR", 0x3FC, 0xA3C5DD01u).field("SID", 0, 32, Acc::RO);
}

void Stm32mp1Exti::configure(const std::map<std::string, std::string> &params,
                             const std::vector<std::string> &core_names)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        cpu_name_[cpu] = core_names[param_core(params, "cpu" + std::to_string(cpu + 1), core_names)];
    }
}

void Stm32mp1Exti::reset()
{
    RegisterDevice::reset();
    level_ = {};
    gpio_ = {};
    direct_high_[0] = direct_high_[1] = direct_high_[2] = 0;
    update_irq();
}

// The multiplexer: line l follows pin l of the port EXTICR selects (none for
// a value above Z).
void Stm32mp1Exti::route_gpio(unsigned line)
{
    const unsigned port = sel_[line].get();
    set_line(line, port < PORTS && (gpio_[port] & (1u << line)));
}

void Stm32mp1Exti::trigger(unsigned line, bool rising, const char *why)
{
    const unsigned k = line / 32;
    const FieldRef &pr = rising ? rpr_[k] : fpr_[k];
    pr.set(pr.get() | bit(line));
    for (int cpu = 0; cpu < 2; cpu++) {
        if (!targets(cpu, line)) {
            continue;
        }
        const std::string &who = cpu_name_[cpu];
        if (imr_[cpu][k].get() & bit(line)) {
            AMPVP_TRACE("exti", who, "line " + std::to_string(line) + " interrupt pending (" + why + ")");
            AMPVP_TL(exti(name(), who, line, "interrupt pending", why));
        }
        if (emr_[cpu][k].get() & bit(line)) {
            AMPVP_TRACE("exti", who, "line " + std::to_string(line) + " event (" + why + ")");
            AMPVP_TL(exti(name(), who, line, "event", why));
            event_[cpu]->pulse();
            wake_pulse_[cpu] = true;
        }
    }
    update_irq();
}

void Stm32mp1Exti::direct_edge(unsigned line)
{
    const unsigned k = line / 32;
    for (int cpu = 0; cpu < 2; cpu++) {
        if (targets(cpu, line) && (emr_[cpu][k].get() & bit(line))) {
            AMPVP_TRACE("exti", cpu_name_[cpu], "line " + std::to_string(line) + " event");
            AMPVP_TL(exti(name(), cpu_name_[cpu], line, "event", ""));
            event_[cpu]->pulse();
            wake_pulse_[cpu] = true;
        }
    }
}

void Stm32mp1Exti::set_line(unsigned line, bool level)
{
    if (level_[line] == level) {
        return;
    }
    level_[line] = level;
    const unsigned k = line / 32;
    if (configurable(line)) {
        if (level && (rt_[k].get() & bit(line))) {
            trigger(line, true, "rising edge");
        } else if (!level && (ft_[k].get() & bit(line))) {
            trigger(line, false, "falling edge");
        }
    } else {
        direct_high_[k] = level ? direct_high_[k] | bit(line) : direct_high_[k] & ~bit(line);
        if (level) {
            direct_edge(line);
        }
        update_irq(); // a direct line's level is part of the CPUs' wake-up
    }
}

void Stm32mp1Exti::input(unsigned n, bool level)
{
    if (n < GPIO_INPUT) {
        if (n < LINES) {
            set_line(n, level);
        }
        return;
    }
    const unsigned port = (n - GPIO_INPUT) / 16, pin = (n - GPIO_INPUT) % 16;
    if (port >= PORTS) {
        return;
    }
    const uint16_t m = static_cast<uint16_t>(1u << pin);
    const uint16_t now = static_cast<uint16_t>(level ? gpio_[port] | m : gpio_[port] & ~m);
    if (now == gpio_[port]) {
        return;
    }
    gpio_[port] = now;
    if (sel_[pin].get() == port) {
        AMPVP_TRACE("exti", cpu_name_[1], std::string("GPIO") + kPortNames[port] + std::to_string(pin) +
                                              (level ? " high" : " low") + " -> line " + std::to_string(pin));
        set_line(pin, level);
    }
}

void Stm32mp1Exti::update_irq()
{
    for (int cpu = 0; cpu < 2; cpu++) {
        uint32_t active[3];
        bool wake = false;
        for (unsigned k = 0; k < 3; k++) {
            const uint32_t pending = rpr_[k].get() | fpr_[k].get();
            const uint32_t mask = imr_[cpu][k].get() & kTargets[cpu][k];
            active[k] = pending & mask;
            // Wake-up: pending configurable lines and direct lines held high,
            // unmasked for this CPU; plus a pulse for every event sent to it.
            wake = wake || ((pending | direct_high_[k]) & mask) != 0;
        }
        for (unsigned l = 0; l < 16; l++) {
            exti_[cpu][l]->set(active[0] & bit(l));
        }
        for (const auto &li : line_irq_[cpu]) {
            li.second->set(active[li.first / 32] & bit(li.first));
        }
        if (wake_pulse_[cpu] && !wake) {
            wakeup_[cpu]->pulse();
        }
        wake_pulse_[cpu] = false;
        wakeup_[cpu]->set(wake);
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32mp1-exti", ampvp::Stm32mp1Exti)
