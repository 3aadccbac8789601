// STM32H7 hardware semaphore HSEM (RM0399 Rev 4, chapter "Hardware semaphore
// (HSEM)", HSEM registers).
//
// Modelled: 32 semaphores; 2-step lock (write R[n] with LOCK=1: takes effect
// only if the semaphore is free and the written COREID is the writing core's
// own); 1-step lock (read RLR[n]: takes a free semaphore for the reading core
// with PROCID 0); unlock (write R[n] with LOCK=0 and the holder's COREID and
// PROCID, COREID again being the writer's own, else ignored); the per-CPU
// interrupt banks C1* (CPU1) and C2* (CPU2): a semaphore becoming free sets
// CnISR bit n for each CPU whose CnIER bit n is set, CnMISR = CnISR & CnIER
// drives that CPU's output line; CnICR clears; CR clears every semaphore of a
// COREID when the KEY matches KEYR; KEYR.
// The COREID of an access is the initiating core's (params "coreid.<core>"),
// never the written value alone.
// Polling observability: a core polling R[n] must be able to notice another
// core's take immediately followed by its release.  A read of R[n] that finds
// it free, by a core that missed a whole lock/unlock cycle of another core
// since its previous read of R[n], returns the locked value of that cycle
// once -- a legal interleaving (the read ordered inside the window).
// Not modelled: HWCFGR/VERR/IPIDR/SIDR identification registers (read 0).
// Register access goes through handles kept at declaration (Register * and
// FieldRef members): no access path looks a register or field up by name.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32Hsem : public RegisterDevice {
public:
    static constexpr unsigned N = 32;

    explicit Stm32Hsem(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;

    uint32_t coreid_of(CoreId core) const;

protected:
    void update_irq() override;

private:
    struct Sem {
        uint32_t value = 0;        // as R[n] reads (LOCK, COREID, PROCID), 0 when free
        uint32_t last_locked = 0;  // value during the last lock (for observers)
        uint64_t cycles = 0;       // completed lock/unlock cycles
    };
    uint32_t read_r(BusAccess &a, unsigned n);
    void write_r(BusAccess &a, unsigned n, uint32_t v);
    uint32_t read_rlr(BusAccess &a, unsigned n);
    uint32_t locked_by(uint32_t coreid, uint32_t procid) const; // an R[n] value
    void free_sem(const BusAccess &a, unsigned n, const char *how);
    int cpu_of(CoreId core) const; // 0 = CPU1, 1 = CPU2, -1 none

    std::array<Sem, N> sem_{};
    // Per core: cycles of each semaphore seen at its previous read (-1: never read).
    std::vector<std::array<int64_t, N>> seen_;
    std::vector<uint32_t> coreid_;  // by CoreId
    std::vector<int> cpu_;          // by CoreId: 0 CPU1, 1 CPU2
    std::string cpu_name_[2] = {"C1", "C2"}; // CPU1/CPU2's core, for traces
    IrqLine &int1_;
    IrqLine &int2_;
    // The layout of R[n] and RLR[n] (the same for every n): the semaphore
    // state sem_[n].value is decoded and built with these (in() / mask()).
    FieldRef procid_, coreid_f_, lock_;
    // CnIER.ISE / CnICR.ISC / CnISR.ISF of CPU1 and CPU2.  RM0399 treats each
    // as one vector with bit n for semaphore n, so model code masks them with
    // 1u << n.
    FieldRef ise_[2], isc_[2], isf_[2];
    FieldRef cr_coreid_, cr_key_, keyr_key_;
};

} // namespace ampvp
