#include "stm32_hsem.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

Stm32Hsem::Stm32Hsem(const std::string &name)
    : RegisterDevice(name), int1_(add_irq("int1")), int2_(add_irq("int2"))
{
    auto &r = regs_;
    for (unsigned n = 0; n < N; n++) {
        r.reg("R" + std::to_string(n), 0x000 + 4 * n, 0)
            .field("PROCID", 0, 8, Acc::RW)
            .field("COREID", 8, 4, Acc::RW)
            .field("LOCK", 31, 1, Acc::RW);
        r.reg("RLR" + std::to_string(n), 0x080 + 4 * n, 0)
            .field("PROCID", 0, 8, Acc::RO)
            .field("COREID", 8, 4, Acc::RO)
            .field("LOCK", 31, 1, Acc::RO);
    }
    // R[n] and RLR[n] are views of the semaphore: hooks, not stored values.
    for (unsigned n = 0; n < N; n++) {
        r["R" + std::to_string(n)]
            .on_read([this, n](BusAccess &a, uint32_t) { return read_r(a, n); })
            .pre_write([this, n](BusAccess &a, uint32_t, uint32_t &, uint32_t written) {
                write_r(a, n, written);
                return false; // the semaphore state is the truth, not the register
            });
        r["RLR" + std::to_string(n)].on_read(
            [this, n](BusAccess &a, uint32_t) { return read_rlr(a, n); });
    }
    for (int cpu = 1; cpu <= 2; cpu++) {
        const std::string c = "C" + std::to_string(cpu);
        const uint32_t base = cpu == 1 ? 0x100 : 0x110;
        r.reg(c + "IER", base + 0x0, 0).field("ISE", 0, 32, Acc::RW);
        r.reg(c + "ICR", base + 0x4, 0)
            .field("ISC", 0, 32, Acc::WO)
            .post_write([this, c](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
                regs_[c + "ISR"].value &= ~now;
                regs_[c + "ICR"].value = 0;
                if (now) {
                    AMPVP_TRACE("hsem", a.core_name, c + "ICR clears " + hex(now));
                }
            });
        r.reg(c + "ISR", base + 0x8, 0).field("ISF", 0, 32, Acc::RO);
        r.reg(c + "MISR", base + 0xC, 0)
            .field("MISF", 0, 32, Acc::RO)
            .on_read([this, c](BusAccess &, uint32_t) {
                return regs_[c + "ISR"].value & regs_[c + "IER"].value;
            });
    }
    for (int cpu = 0; cpu < 2; cpu++) {
        ier_[cpu] = &r["C" + std::to_string(cpu + 1) + "IER"];
        isr_[cpu] = &r["C" + std::to_string(cpu + 1) + "ISR"];
    }
    r.reg("CR", 0x140, 0)
        .field("COREID", 8, 4, Acc::WO)
        .field("KEY", 16, 16, Acc::WO)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
            regs_["CR"].value = 0;
            const uint32_t key = now >> 16, id = (now >> 8) & 0xF;
            if (key != regs_["KEYR"].value >> 16) {
                AMPVP_TRACE("hsem", a.core_name,
                            "CR clear of COREID " + std::to_string(id) + " ignored: wrong key");
                return;
            }
            for (unsigned n = 0; n < N; n++) {
                if ((sem_[n].value & LOCK) && ((sem_[n].value >> 8) & 0xF) == id) {
                    free_sem(a, n, "cleared by CR");
                }
            }
        });
    r.reg("KEYR", 0x144, 0).field("KEY", 16, 16, Acc::RW);
}

void Stm32Hsem::configure(const std::map<std::string, std::string> &params,
                          const std::vector<std::string> &core_names)
{
    core_names_ = core_names;
    coreid_.assign(core_names.size(), 0);
    cpu_.assign(core_names.size(), -1);
    seen_.assign(core_names.size(), {});
    for (auto &s : seen_) {
        s.fill(-1);
    }
    for (size_t c = 0; c < core_names.size(); c++) {
        auto it = params.find("coreid." + core_names[c]);
        if (it == params.end()) {
            throw ConfigError("needs params \"coreid." + core_names[c] + "\"");
        }
        coreid_[c] = static_cast<uint32_t>(parse_size(it->second)) & 0xF;
    }
    for (int cpu = 0; cpu < 2; cpu++) {
        cpu_[param_core(params, "cpu" + std::to_string(cpu + 1), core_names)] = cpu;
    }
}

void Stm32Hsem::reset()
{
    RegisterDevice::reset();
    sem_ = {};
    for (auto &s : seen_) {
        s.fill(-1);
    }
}

uint32_t Stm32Hsem::coreid_of(CoreId core) const
{
    return core >= 0 && core < (CoreId)coreid_.size() ? coreid_[core] : 0;
}

int Stm32Hsem::cpu_of(CoreId core) const
{
    return core >= 0 && core < (CoreId)cpu_.size() ? cpu_[core] : -1;
}

uint32_t Stm32Hsem::read_r(BusAccess &a, unsigned n)
{
    Sem &s = sem_[n];
    uint32_t v = s.value;
    if (a.core >= 0 && a.core < (CoreId)seen_.size()) {
        int64_t &seen = seen_[a.core][n];
        const bool missed_other = seen >= 0 && static_cast<uint64_t>(seen) < s.cycles &&
                                  ((s.last_locked >> 8) & 0xF) != coreid_of(a.core);
        if (!(v & LOCK) && missed_other) {
            v = s.last_locked; // the read lands inside the missed lock window
        }
        seen = static_cast<int64_t>(s.cycles);
    }
    return v;
}

void Stm32Hsem::write_r(BusAccess &a, unsigned n, uint32_t v)
{
    Sem &s = sem_[n];
    const uint32_t me = coreid_of(a.core);
    const uint32_t id = (v >> 8) & 0xF, procid = v & 0xFF;
    const std::string sem = "semaphore " + std::to_string(n);
    if (v & LOCK) {
        // RM0399: the 2-step lock takes a free semaphore for the writing
        // core; a write naming another core's COREID does not lock.
        if (id != me) {
            AMPVP_TRACE("hsem", a.core_name, "lock of " + sem + " refused: COREID " +
                                                 std::to_string(id) + " is not this core's (" +
                                                 std::to_string(me) + ")");
        } else if (s.value & LOCK) {
            AMPVP_TRACE("hsem", a.core_name, "lock of " + sem + " failed: held by COREID " +
                                                 std::to_string((s.value >> 8) & 0xF) +
                                                 " PROCID " + std::to_string(s.value & 0xFF));
        } else {
            s.value = s.last_locked = LOCK | (me << 8) | procid;
            AMPVP_TRACE("hsem", a.core_name, "lock " + sem + " (2-step, PROCID " +
                                                 std::to_string(procid) + ")");
        }
        return;
    }
    // Unlock: only the holder (COREID and PROCID) may free it.
    if ((s.value & LOCK) && id == me && ((s.value >> 8) & 0xF) == me && (s.value & 0xFF) == procid) {
        free_sem(a, n, "unlock");
    } else {
        AMPVP_TRACE("hsem", a.core_name, "unlock of " + sem + " ignored: " +
                                             ((s.value & LOCK) ? "held by COREID " +
                                                                     std::to_string((s.value >> 8) & 0xF) +
                                                                     " PROCID " + std::to_string(s.value & 0xFF)
                                                               : std::string("not locked")) +
                                             ", write names COREID " + std::to_string(id) +
                                             " PROCID " + std::to_string(procid));
    }
}

uint32_t Stm32Hsem::read_rlr(BusAccess &a, unsigned n)
{
    Sem &s = sem_[n];
    const std::string sem = "semaphore " + std::to_string(n);
    if (!(s.value & LOCK)) {
        s.value = s.last_locked = LOCK | (coreid_of(a.core) << 8);
        AMPVP_TRACE("hsem", a.core_name, "lock " + sem + " (1-step)");
    } else {
        AMPVP_TRACE("hsem", a.core_name, "lock of " + sem + " failed (1-step): held by COREID " +
                                             std::to_string((s.value >> 8) & 0xF));
    }
    return s.value;
}

void Stm32Hsem::free_sem(const BusAccess &a, unsigned n, const char *how)
{
    sem_[n].value = 0;
    sem_[n].cycles++;
    AMPVP_TRACE("hsem", a.core_name, std::string(how) + " semaphore " + std::to_string(n));
    // RM0399: freeing sets the status bit of every CPU that enabled it.
    for (int cpu = 1; cpu <= 2; cpu++) {
        const std::string c = "C" + std::to_string(cpu);
        if (ier_[cpu - 1]->value & (1u << n)) {
            isr_[cpu - 1]->value |= 1u << n;
            std::string who = c;
            for (size_t k = 0; k < cpu_.size(); k++) {
                if (cpu_[k] == cpu - 1) {
                    who = core_names_[k];
                }
            }
            AMPVP_TRACE("hsem", a.core_name,
                        "notify " + who + ": semaphore " + std::to_string(n) + " free");
        }
    }
}

void Stm32Hsem::update_irq()
{
    int1_.set(isr_[0]->value & ier_[0]->value);
    int2_.set(isr_[1]->value & ier_[1]->value);
}

} // namespace ampvp

AMPVP_MODEL("stm32-hsem", ampvp::Stm32Hsem)
