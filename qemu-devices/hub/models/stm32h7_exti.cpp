#include "stm32h7_exti.h"
#include "../model_registry.h"

#include "../log.h"
#include "../timeline.h"

namespace ampvp {

namespace {
// Direct lines with an interrupt output of their own (the SEV lines).
const unsigned kDirectIrqLines[] = {79, 80};
const char *kGroups[7] = {"exti0", "exti1", "exti2", "exti3", "exti4", "exti9_5", "exti15_10"};
// Lines that reach only one CPU (HAL stm32h7xx_hal_exti.h line targets, RM0399
// event input mapping): 77 HSEM int 1 and 79 CPU2 SEV, 84 WWDG2 reset -> CPU1;
// 78 HSEM int 2 and 80 CPU1 SEV, 82 WWDG1 reset -> CPU2.  Per register k.
const uint32_t kTargets[2][3] = {
    {0xFFFFFFFFu, 0xFFFFFFFFu, ~((1u << (78 - 64)) | (1u << (80 - 64)) | (1u << (82 - 64)))},
    {0xFFFFFFFFu, 0xFFFFFFFFu, ~((1u << (77 - 64)) | (1u << (79 - 64)) | (1u << (84 - 64)))},
};
bool targets(int cpu, unsigned line) { return kTargets[cpu][line / 32] & (1u << (line % 32)); }

int group_of(unsigned line)
{
    return line < 5 ? static_cast<int>(line) : line < 10 ? 5 : line < 16 ? 6 : -1;
}
} // namespace

Stm32h7Exti::Stm32h7Exti(const std::string &name) : RegisterDevice(name)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string c = "c" + std::to_string(cpu + 1);
        event_[cpu] = &add_irq(c + ".event");
        wakeup_[cpu] = &add_irq(c + ".wakeup");
        for (int g = 0; g < 7; g++) {
            grouped_[cpu][g] = &add_irq(c + "." + kGroups[g]);
        }
        for (unsigned l = 16; l < 22; l++) {
            own_[cpu][l - 16] = &add_irq(c + ".line" + std::to_string(l));
        }
        for (unsigned l : kDirectIrqLines) {
            direct_[cpu][l] = &add_irq(c + ".line" + std::to_string(l));
        }
    }
    d3_wakeup_ = &add_irq("d3.wakeup");
    auto &r = regs_;
    for (unsigned k = 0; k < 3; k++) {
        const std::string x = std::to_string(k + 1);
        const uint32_t base = 0x20 * k;
        if (k == 0) {
            r.reg("RTSR1", base + 0x00, 0).field("TR", 0, 22, Acc::RW, &rtsr1_tr_);
            r.reg("FTSR1", base + 0x04, 0).field("TR", 0, 22, Acc::RW, &ftsr1_tr_);
            r.reg("SWIER1", base + 0x08, 0)
                .field("SWI", 0, 22, Acc::WO, &swier1_swi_)
                .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
                    const uint32_t swi = swier1_swi_.get();
                    swier1_swi_.set(0); // reads 0: every write of 1 triggers again
                    for (unsigned l = 0; l < 22; l++) {
                        if (swi & (1u << l)) {
                            trigger(l, "software trigger (SWIER1)");
                        }
                    }
                });
        } else if (k == 1) {
            // RM0399 RTSR2/FTSR2/SWIER2: only lines 49 and 51 (LPTIM2/3 outputs)
            // are configurable (not modelled); the other bits belong to direct
            // lines and are reserved.  ST's HAL_EXTI_EdgeConfig sets them anyway
            // (PWR_Domain3SystemControl: line 34): they read 0 and the write
            // does nothing, without a warning.
            for (const char *n : {"RTSR2", "FTSR2", "SWIER2"}) {
                const bool sw = n[0] == 'S';
                const std::string f = sw ? "SWI" : "TR";
                r.reg(n, base + (sw ? 0x08 : n[0] == 'F' ? 0x04 : 0x00), 0)
                    .field("RES0", 0, 17, Acc::RO)
                    .unimpl(f + "49", 17, 1, sw ? Acc::WO : Acc::RW)
                    .field("RES18", 18, 1, Acc::RO)
                    .unimpl(f + "51", 19, 1, sw ? Acc::WO : Acc::RW)
                    .field("RES20", 20, 12, Acc::RO);
            }
        } else {
            r.reg("RTSR" + x, base + 0x00, 0).unimpl("TR", 0, 32);
            r.reg("FTSR" + x, base + 0x04, 0).unimpl("TR", 0, 32);
            r.reg("SWIER" + x, base + 0x08, 0).unimpl("SWI", 0, 32, Acc::WO);
        }
        // D3PMRx: MR<L> for the lines with a D3 wake-up target; clearing one
        // drops that line's D3 pending request.
        Register &pmr = r.reg("D3PMR" + x, base + 0x0C, 0);
        d3pmr_[k] = &pmr;
        for (unsigned b = 0; b < 32; b++) {
            if (kD3Lines[k] & (1u << b)) {
                pmr.field("MR" + std::to_string(32 * k + b), b, 1, Acc::RW);
            }
        }
        pmr.post_write([this, k](BusAccess &, uint32_t, uint32_t now, uint32_t) { d3_pending_[k] &= now; });
        // D3PCRxL (lines 32k .. 32k+15) and D3PCRxH (32k+16 .. 32k+31): PCS<L>
        // at bits 2 (L mod 16) for the same lines.
        for (unsigned h = 0; h < 2; h++) {
            Register &pcr = r.reg("D3PCR" + x + (h ? "H" : "L"), base + 0x10 + 4 * h, 0);
            d3pcr_[k][h] = &pcr;
            for (unsigned b = 16 * h; b < 16 * h + 16; b++) {
                if (kD3Lines[k] & (1u << b)) {
                    pcr.field("PCS" + std::to_string(32 * k + b), 2 * (b % 16), 2, Acc::RW);
                }
            }
        }
    }
    // Reset values: CPU1 per RM0399; CPU2 per ST's SVD (see the header): the
    // direct lines unmasked, the configurable ones masked.
    static const uint32_t imr_reset[2][3] = {{0xFFC00000, 0x000BFFFF, 0x01EBFFFF},
                                             {0xFFC00000, 0xFFF5FFFF, 0x018BFFFF}};
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string c = "C" + std::to_string(cpu + 1);
        for (unsigned k = 0; k < 3; k++) {
            const std::string x = std::to_string(k + 1);
            const uint32_t base = (cpu == 0 ? 0x80 : 0xC0) + 0x10 * k;
            r.reg(c + "IMR" + x, base + 0x0, imr_reset[cpu][k])
                .field("IM", 0, 32, Acc::RW, &imr_[cpu][k]);
            r.reg(c + "EMR" + x, base + 0x4, 0).field("EM", 0, 32, Acc::RW, &emr_[cpu][k]);
            r.reg(c + "PR" + x, base + 0x8, 0).field("PR", 0, 32, Acc::W1C, &pr_[cpu][k]);
        }
    }
}

void Stm32h7Exti::configure(const std::map<std::string, std::string> &params,
                            const std::vector<std::string> &core_names)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        cpu_name_[cpu] = core_names[param_core(params, "cpu" + std::to_string(cpu + 1), core_names)];
    }
}

void Stm32h7Exti::reset()
{
    RegisterDevice::reset();
    level_ = {};
    for (unsigned k = 0; k < 3; k++) {
        direct_high_[k] = d3_pending_[k] = 0;
    }
    update_irq();
}

// RM0399 EXTI: an event on an input whose wake-up target includes D3, with its
// D3PMR bit set, is a D3 domain wake-up request that stays pending until the
// D3 pendclear source selected in D3PCR clears it.
void Stm32h7Exti::d3_event(unsigned line)
{
    const unsigned reg = line / 32;
    const uint32_t bit = 1u << (line % 32);
    if (!(kD3Lines[reg] & bit) || !(d3pmr_[reg]->value & bit) || (d3_pending_[reg] & bit)) {
        return;
    }
    d3_pending_[reg] |= bit;
    AMPVP_TRACE("exti", name(), "line " + std::to_string(line) + " D3 wake-up pending (cleared by pendclear source " +
                                    std::to_string(pendclear_source(line)) + ")");
    AMPVP_TL(exti(name(), "D3", line, "D3 pending", ""));
    schedule_pendclear(pendclear_source(line));
}

unsigned Stm32h7Exti::pendclear_source(unsigned line) const
{
    const unsigned b = line % 32;
    return (d3pcr_[line / 32][b / 16]->value >> (2 * (b % 16))) & 3u;
}

// A rising edge of pendclear source `source`: every D3 pending request that
// selects it is cleared.
void Stm32h7Exti::pendclear(unsigned source)
{
    for (unsigned k = 0; k < 3; k++) {
        for (uint32_t bits = d3_pending_[k]; bits; bits &= bits - 1) {
            const unsigned b = static_cast<unsigned>(__builtin_ctz(bits));
            if (pendclear_source(32 * k + b) == source) {
                d3_pending_[k] &= ~(1u << b);
                AMPVP_TRACE("exti", name(), "line " + std::to_string(32 * k + b) +
                                                " D3 pending cleared (pendclear source " + std::to_string(source) + ")");
            }
        }
    }
    update_irq();
}

// A periodic pendclear signal (an LPTIM's PWM output) clears at each of its
// rising edges: a timer at the next one while a request waits for it.
void Stm32h7Exti::schedule_pendclear(unsigned source)
{
    const Waveform &w = pendclear_[source];
    if (!ctx_.scheduler || !w.periodic()) {
        return;
    }
    const uint64_t now = ctx_.scheduler->now_ns();
    const uint64_t phase = (now + w.period_ns - w.start_ns % w.period_ns) % w.period_ns;
    ctx_.scheduler->schedule(this, source, now + (w.period_ns - phase));
}

void Stm32h7Exti::timer_fired(unsigned tag)
{
    if (tag >= PENDCLEAR_SOURCES || !pendclear_[tag].periodic()) {
        return;
    }
    pendclear(tag);
}

void Stm32h7Exti::input_wave(unsigned n, const Waveform &w)
{
    if (n < PENDCLEAR || n >= PENDCLEAR + PENDCLEAR_SOURCES) {
        input(n, w.level);
        return;
    }
    const unsigned source = n - PENDCLEAR;
    const Waveform nw = w.normalized();
    const bool was = pendclear_[source].periodic() ? false : pendclear_[source].level;
    pendclear_[source] = nw;
    if (nw.periodic()) {
        bool waiting = false;
        for (unsigned k = 0; k < 3 && !waiting; k++) {
            for (uint32_t bits = d3_pending_[k]; bits && !waiting; bits &= bits - 1) {
                waiting = pendclear_source(32 * k + static_cast<unsigned>(__builtin_ctz(bits))) == source;
            }
        }
        if (waiting) {
            schedule_pendclear(source);
        }
    } else {
        if (ctx_.scheduler) {
            ctx_.scheduler->schedule(this, source, 0);
        }
        if (nw.level && !was) {
            pendclear(source);
        }
    }
}

void Stm32h7Exti::trigger(unsigned line, const char *why)
{
    const unsigned reg = line / 32;
    const uint32_t bit = 1u << (line % 32);
    d3_event(line);
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string &who = cpu_name_[cpu];
        if (imr_[cpu][reg].get() & bit) {
            pr_[cpu][reg].set(pr_[cpu][reg].get() | bit);
            AMPVP_TRACE("exti", who, "line " + std::to_string(line) + " interrupt pending (" + why + ")");
            AMPVP_TL(exti(name(), who, line, "interrupt pending", why));
        }
        if (emr_[cpu][reg].get() & bit) {
            AMPVP_TRACE("exti", who, "line " + std::to_string(line) + " event (" + why + ")");
            AMPVP_TL(exti(name(), who, line, "event", why));
            event_[cpu]->pulse();
            wake_pulse_[cpu] = true;
        }
    }
    update_irq();
}

void Stm32h7Exti::direct_edge(unsigned line)
{
    const unsigned reg = line / 32;
    const uint32_t bit = 1u << (line % 32);
    d3_event(line);
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string &who = cpu_name_[cpu];
        if (!targets(cpu, line)) {
            continue;
        }
        if (emr_[cpu][reg].get() & bit) {
            AMPVP_TRACE("exti", who, "line " + std::to_string(line) + " event");
            AMPVP_TL(exti(name(), who, line, "event", ""));
            event_[cpu]->pulse();
            wake_pulse_[cpu] = true;
        }
        auto it = direct_[cpu].find(line);
        if (it != direct_[cpu].end() && (imr_[cpu][reg].get() & bit)) {
            AMPVP_TRACE("exti", who, "line " + std::to_string(line) + " interrupt");
            AMPVP_TL(exti(name(), who, line, "interrupt", ""));
            it->second->pulse();
        }
    }
}

void Stm32h7Exti::input(unsigned line, bool level)
{
    if (line >= PENDCLEAR && line < PENDCLEAR + PENDCLEAR_SOURCES) {
        input_wave(line, Waveform::constant(level));
        return;
    }
    if (line >= LINES || level_[line] == level) {
        return;
    }
    level_[line] = level;
    if (configurable(line)) {
        const uint32_t bit = 1u << line;
        if ((level && (rtsr1_tr_.get() & bit)) || (!level && (ftsr1_tr_.get() & bit))) {
            trigger(line, level ? "rising edge" : "falling edge");
        }
    } else {
        const uint32_t bit = 1u << (line % 32);
        direct_high_[line / 32] = level ? direct_high_[line / 32] | bit : direct_high_[line / 32] & ~bit;
        if (level) {
            direct_edge(line);
        }
        update_irq(); // a direct line's level is part of the CPUs' wake-up
    }
}

void Stm32h7Exti::update_irq()
{
    for (int cpu = 0; cpu < 2; cpu++) {
        const uint32_t active = pr_[cpu][0].get() & imr_[cpu][0].get();
        uint32_t groups[7] = {};
        for (unsigned l = 0; l < 16; l++) {
            if (active & (1u << l)) {
                groups[group_of(l)] = 1;
            }
        }
        for (int g = 0; g < 7; g++) {
            grouped_[cpu][g]->set(groups[g]);
        }
        for (unsigned l = 16; l < 22; l++) {
            own_[cpu][l - 16]->set((active >> l) & 1u);
        }
        // Wake-up: pending configurable lines, and direct lines held high,
        // unmasked for this CPU; plus a pulse for every event sent to it.
        bool wake = false;
        for (unsigned k = 0; k < 3 && !wake; k++) {
            const uint32_t imr = imr_[cpu][k].get() & kTargets[cpu][k];
            wake = ((pr_[cpu][k].get() | direct_high_[k]) & imr) != 0;
        }
        if (wake_pulse_[cpu] && !wake) {
            wakeup_[cpu]->pulse();
        }
        wake_pulse_[cpu] = false;
        wakeup_[cpu]->set(wake);
    }
    d3_wakeup_->set((d3_pending_[0] | d3_pending_[1] | d3_pending_[2]) != 0);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-exti", ampvp::Stm32h7Exti)
