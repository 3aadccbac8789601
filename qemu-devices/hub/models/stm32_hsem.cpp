#include "stm32_hsem.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"
#include "../timeline.h"

namespace ampvp {

namespace {
std::string sem_name(unsigned n) { return "semaphore " + std::to_string(n); }
} // namespace

Stm32Hsem::Stm32Hsem(const std::string &name)
    : RegisterDevice(name), int1_(add_irq("int1")), int2_(add_irq("int2"))
{
    auto &r = regs_;
    // R[n] and RLR[n] are views of the semaphore: hooks, not stored values.
    // Every R[n] / RLR[n] has the same layout: the handles kept (the last
    // declared) serve to decode and build any semaphore's value.
    for (unsigned n = 0; n < N; n++) {
        r.reg("R" + std::to_string(n), 0x000 + 4 * n, 0)
            .field("PROCID", 0, 8, Acc::RW, &procid_)
            .field("COREID", 8, 4, Acc::RW, &coreid_f_)
            .field("LOCK", 31, 1, Acc::RW, &lock_)
            .on_read([this, n](BusAccess &a, uint32_t) { return read_r(a, n); })
            .pre_write([this, n](BusAccess &a, uint32_t, uint32_t &, uint32_t written) {
                write_r(a, n, written);
                return false; // the semaphore state is the truth, not the register
            });
        r.reg("RLR" + std::to_string(n), 0x080 + 4 * n, 0)
            .field("PROCID", 0, 8, Acc::RO)
            .field("COREID", 8, 4, Acc::RO)
            .field("LOCK", 31, 1, Acc::RO)
            .on_read([this, n](BusAccess &a, uint32_t) { return read_rlr(a, n); });
    }
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string c = "C" + std::to_string(cpu + 1);
        const uint32_t base = cpu == 0 ? 0x100 : 0x110;
        r.reg(c + "IER", base + 0x0, 0).field("ISE", 0, 32, Acc::RW, &ise_[cpu]);
        r.reg(c + "ICR", base + 0x4, 0)
            .field("ISC", 0, 32, Acc::WO, &isc_[cpu])
            .post_write([this, cpu](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
                isf_[cpu].set(isf_[cpu].get() & ~isc_[cpu].in(now));
                isc_[cpu].set(0);
                if (now) {
                    AMPVP_TRACE("hsem", a.core_name,
                                std::string(cpu == 0 ? "C1" : "C2") + "ICR clears " + hex(now));
                }
            });
        r.reg(c + "ISR", base + 0x8, 0).field("ISF", 0, 32, Acc::RO, &isf_[cpu]);
        r.reg(c + "MISR", base + 0xC, 0)
            .field("MISF", 0, 32, Acc::RO)
            .on_read([this, cpu](BusAccess &, uint32_t) {
                return isf_[cpu].get() & ise_[cpu].get();
            });
    }
    r.reg("CR", 0x140, 0)
        .field("COREID", 8, 4, Acc::WO, &cr_coreid_)
        .field("KEY", 16, 16, Acc::WO, &cr_key_)
        .post_write([this](BusAccess &a, uint32_t, uint32_t, uint32_t) {
            const uint32_t key = cr_key_.get(), id = cr_coreid_.get();
            cr_key_.set(0);
            cr_coreid_.set(0);
            if (key != keyr_key_.get()) {
                AMPVP_TRACE("hsem", a.core_name,
                            "CR clear of COREID " + std::to_string(id) + " ignored: wrong key");
                return;
            }
            for (unsigned n = 0; n < N; n++) {
                if (lock_.in(sem_[n].value) && coreid_f_.in(sem_[n].value) == id) {
                    free_sem(a, n, "cleared by CR");
                }
            }
        });
    r.reg("KEYR", 0x144, 0).field("KEY", 16, 16, Acc::RW, &keyr_key_);
}

void Stm32Hsem::configure(const std::map<std::string, std::string> &params,
                          const std::vector<std::string> &core_names)
{
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
        const CoreId core = param_core(params, "cpu" + std::to_string(cpu + 1), core_names);
        cpu_[core] = cpu;
        cpu_name_[cpu] = core_names[core];
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

// R[n] as the bus reads it for a semaphore held by COREID / PROCID.
uint32_t Stm32Hsem::locked_by(uint32_t coreid, uint32_t procid) const
{
    return lock_.mask() | ((coreid << coreid_f_.lsb()) & coreid_f_.mask()) |
           ((procid << procid_.lsb()) & procid_.mask());
}

uint32_t Stm32Hsem::read_r(BusAccess &a, unsigned n)
{
    Sem &s = sem_[n];
    uint32_t v = s.value;
    if (a.core >= 0 && a.core < (CoreId)seen_.size()) {
        int64_t &seen = seen_[a.core][n];
        const bool missed_other = seen >= 0 && static_cast<uint64_t>(seen) < s.cycles &&
                                  coreid_f_.in(s.last_locked) != coreid_of(a.core);
        if (!lock_.in(v) && missed_other) {
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
    const uint32_t id = coreid_f_.in(v), procid = procid_.in(v);
    const bool held = lock_.in(s.value);
    if (lock_.in(v)) {
        // RM0399: the 2-step lock takes a free semaphore for the writing
        // core; a write naming another core's COREID does not lock.
        if (id != me) {
            AMPVP_TRACE("hsem", a.core_name, "lock of " + sem_name(n) + " refused: COREID " +
                                                 std::to_string(id) + " is not this core's (" +
                                                 std::to_string(me) + ")");
        } else if (held) {
            AMPVP_TRACE("hsem", a.core_name,
                        "lock of " + sem_name(n) + " failed: held by COREID " +
                            std::to_string(coreid_f_.in(s.value)) + " PROCID " +
                            std::to_string(procid_.in(s.value)));
        } else {
            s.value = s.last_locked = locked_by(me, procid);
            AMPVP_TRACE("hsem", a.core_name, "lock " + sem_name(n) + " (2-step, PROCID " +
                                                 std::to_string(procid) + ")");
            AMPVP_TL(hsem_lock(name(), a.core_name, n, procid, "2-step"));
        }
        return;
    }
    // Unlock: only the holder (COREID and PROCID) may free it.
    if (held && id == me && coreid_f_.in(s.value) == me && procid_.in(s.value) == procid) {
        free_sem(a, n, "unlock");
    } else {
        AMPVP_TRACE("hsem", a.core_name,
                    "unlock of " + sem_name(n) + " ignored: " +
                        (held ? "held by COREID " + std::to_string(coreid_f_.in(s.value)) +
                                    " PROCID " + std::to_string(procid_.in(s.value))
                              : std::string("not locked")) +
                        ", write names COREID " + std::to_string(id) + " PROCID " +
                        std::to_string(procid));
    }
}

uint32_t Stm32Hsem::read_rlr(BusAccess &a, unsigned n)
{
    Sem &s = sem_[n];
    if (!lock_.in(s.value)) {
        s.value = s.last_locked = locked_by(coreid_of(a.core), 0);
        AMPVP_TRACE("hsem", a.core_name, "lock " + sem_name(n) + " (1-step)");
        AMPVP_TL(hsem_lock(name(), a.core_name, n, 0, "1-step"));
    } else {
        AMPVP_TRACE("hsem", a.core_name, "lock of " + sem_name(n) +
                                             " failed (1-step): held by COREID " +
                                             std::to_string(coreid_f_.in(s.value)));
    }
    return s.value;
}

void Stm32Hsem::free_sem(const BusAccess &a, unsigned n, const char *how)
{
    sem_[n].value = 0;
    sem_[n].cycles++;
    AMPVP_TRACE("hsem", a.core_name, std::string(how) + " " + sem_name(n));
    AMPVP_TL(hsem_free(name(), a.core_name, n, how));
    // RM0399: freeing sets the status bit of every CPU that enabled it.
    const uint32_t bit = 1u << n;
    for (int cpu = 0; cpu < 2; cpu++) {
        if (ise_[cpu].get() & bit) {
            isf_[cpu].set(isf_[cpu].get() | bit);
            AMPVP_TRACE("hsem", a.core_name,
                        "notify " + cpu_name_[cpu] + ": " + sem_name(n) + " free");
            AMPVP_TL(hsem_notify(name(), cpu_name_[cpu], n));
        }
    }
}

void Stm32Hsem::update_irq()
{
    int1_.set(isf_[0].get() & ise_[0].get());
    int2_.set(isf_[1].get() & ise_[1].get());
}

} // namespace ampvp

AMPVP_MODEL("stm32-hsem", ampvp::Stm32Hsem)
