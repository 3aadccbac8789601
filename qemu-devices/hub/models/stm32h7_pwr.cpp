#include "stm32h7_pwr.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

void Stm32h7Pwr::declare_cpu_cr(Register &r, CpuCr &f)
{
    // RM0399 PWR_CPUCR / PWR_CPU2CR: bit 4 is HOLD2F / HOLD1F, bit 10 HOLD2 /
    // HOLD1 (the other CPU's hold); the table names them as CPUCR does.
    const bool cpu2 = &f == &cpucr_[1];
    r.field("PDDS_D1", 0, 1, Acc::RW, &f.pdds_d1)
        .field("PDDS_D2", 1, 1, Acc::RW, &f.pdds_d2)
        .field("PDDS_D3", 2, 1, Acc::RW, &f.pdds_d3)
        .field(cpu2 ? "HOLD1F" : "HOLD2F", 4, 1, Acc::RO, &f.holdf)
        .field("STOPF", 5, 1, Acc::RO, &f.stopf)
        .field("SBF", 6, 1, Acc::RO, &f.sbf)
        .field("SBF_D1", 7, 1, Acc::RO, &f.sbf_d1)
        .field("SBF_D2", 8, 1, Acc::RO, &f.sbf_d2)
        .field("CSSF", 9, 1, Acc::WO, &f.cssf)
        .field(cpu2 ? "HOLD1" : "HOLD2", 10, 1, Acc::RW, &f.hold)
        .field("RUN_D3", 11, 1, Acc::RW, &f.run_d3)
        .post_write([&f](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (f.cssf.on()) { // clear the stop/standby/hold flags; CSSF reads 0
                for (const FieldRef *flag : {&f.holdf, &f.stopf, &f.sbf, &f.sbf_d1, &f.sbf_d2, &f.cssf}) {
                    flag->set(0);
                }
            }
        });
}

Stm32h7Pwr::Stm32h7Pwr(const std::string &name) : RegisterDevice(name)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        const std::string c = "c" + std::to_string(cpu + 1);
        wake_out_[cpu] = &add_irq(c + ".wakeup");
        hold_irq_[cpu] = &add_irq(c + ".hold");
        exit_[cpu] = &add_irq("d" + std::to_string(cpu + 1) + "_exit");
    }
    sys_exit_ = &add_irq("sys_exit");
    sys_stop_ = &add_irq("sys_stop");
    auto &r = regs_;
    r.reg("CR1", 0x00, 0xF000C000)
        .field("LPDS", 0, 1, Acc::RW)
        .unimpl("PVDE", 4, 1)
        .field("PLS", 5, 3, Acc::RW)
        .field("DBP", 8, 1, Acc::RW)
        .field("FLPS", 9, 1, Acc::RW)
        .field("SVOS", 14, 2, Acc::RW)
        .unimpl("AVDEN", 16, 1)
        .field("ALS", 17, 2, Acc::RW)
        .field("RES31_28", 28, 4, Acc::RO); // reserved, read as 1 (reset value)
    r.reg("CSR1", 0x04, 0x00004000)
        .field("PVDO", 4, 1, Acc::RO)
        .field("ACTVOSRDY", 13, 1, Acc::RO, &actvosrdy_)
        .field("ACTVOS", 14, 2, Acc::RO, &actvos_)
        .field("AVDO", 16, 1, Acc::RO)
        .on_read([this](BusAccess &, uint32_t v) {
            // Voltage scaling is instant: ready, at the scale D3CR asks for.
            const uint32_t actvos = (vos_.get() << actvos_.lsb()) & actvos_.mask();
            return (v & ~actvos_.mask()) | actvosrdy_.mask() | actvos;
        });
    r.reg("CR2", 0x08, 0)
        .unimpl("BREN", 0, 1)
        .unimpl("MONEN", 4, 1)
        .field("BRRDY", 16, 1, Acc::RO)
        .field("VBATL", 20, 1, Acc::RO)
        .field("VBATH", 21, 1, Acc::RO)
        .field("TEMPL", 22, 1, Acc::RO)
        .field("TEMPH", 23, 1, Acc::RO);
    // RM0399: CR3 reset value 0x0000 0046 (LDOEN, SDEN and the reserved bit 6).
    r.reg("CR3", 0x0C, 0x00000046)
        .field("BYPASS", 0, 1, Acc::RW)
        .field("LDOEN", 1, 1, Acc::RW)
        .field("SDEN", 2, 1, Acc::RW)
        .field("SDEXTHP", 3, 1, Acc::RW)
        .field("SDLEVEL", 4, 2, Acc::RW)
        // Bit 6 is reserved but reads 1 (reset value 0x46); HAL's
        // read-modify-writes write it back: keep it, do not complain.
        .field("RES6", 6, 1, Acc::RO)
        .unimpl("VBE", 8, 1)
        .unimpl("VBRS", 9, 1)
        .field("SMPSEXTRDY", 16, 1, Acc::RO)
        .unimpl("USB33DEN", 24, 1)
        .unimpl("USBREGEN", 25, 1)
        .field("USB33RDY", 26, 1, Acc::RO);
    declare_cpu_cr(r.reg("CPUCR", 0x10, 0), cpucr_[0]);
    declare_cpu_cr(r.reg("CPU2CR", 0x14, 0), cpucr_[1]);
    // RM0399: D3CR reset value 0x0000 4000 (VOS = scale 3).
    // VOSRDY: ready at once, whatever the scale.
    r.reg("D3CR", 0x18, 0x00004000)
        .field("VOSRDY", 13, 1, Acc::RO, &vosrdy_)
        .field("VOS", 14, 2, Acc::RW, &vos_)
        .on_read([this](BusAccess &, uint32_t v) { return v | vosrdy_.mask(); });
    r.reg("WKUPCR", 0x20, 0).unimpl("WKUPC", 0, 6);
    r.reg("WKUPFR", 0x24, 0).field("WKUPF", 0, 6, Acc::RO);
    r.reg("WKUPEPR", 0x28, 0)
        .unimpl("WKUPEN", 0, 6)
        .unimpl("WKUPP", 8, 6)
        .unimpl("WKUPPUPD", 16, 12);
}

void Stm32h7Pwr::configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &core_names)
{
    for (int cpu = 0; cpu < 2; cpu++) {
        cpu_[cpu] = param_core(params, "cpu" + std::to_string(cpu + 1), core_names);
        cpu_name_[cpu] = core_names[cpu_[cpu]];
    }
}

// RM0399: a system reset leaves STOPF, SBF, SBF_D1 and SBF_D2 (cleared only
// by a power-on reset or CSSF); everything else returns to its reset value.
void Stm32h7Pwr::reset()
{
    uint32_t keep[2];
    for (int k = 0; k < 2; k++) {
        const CpuCr &f = cpucr_[k];
        keep[k] = f.stopf.reg()->value & (f.stopf.mask() | f.sbf.mask() | f.sbf_d1.mask() | f.sbf_d2.mask());
    }
    RegisterDevice::reset();
    for (int k = 0; k < 2; k++) {
        cpucr_[k].stopf.reg()->value |= keep[k];
        power_[k] = CorePower::Run;
        woken_held_[k] = false;
        domain_[k] = Domain::Run;
    }
    system_ = System::Run;
    d3_wake_ = false;
    update_irq();
}

bool Stm32h7Pwr::held(int cpu) const
{
    // HOLD1 (PWR_CPU2CR) holds CPU1; HOLD2 (PWR_CPUCR) holds CPU2.
    return cpucr_[1 - cpu].hold.on();
}

void Stm32h7Pwr::set_flag(FieldRef CpuCr::*f)
{
    (cpucr_[0].*f).set(1);
    (cpucr_[1].*f).set(1);
}

void Stm32h7Pwr::leave_standby(int cpu)
{
    AMPVP_TRACE("power", cpu_name_[cpu], std::string("D") + std::to_string(cpu + 1) +
                                             " leaves DStandby: reset of its CPU");
    exit_[cpu]->pulse();
}

void Stm32h7Pwr::core_power_changed(CoreId core, CorePower p)
{
    const int cpu = core == cpu_[0] ? 0 : core == cpu_[1] ? 1 : -1;
    if (cpu < 0) {
        return;
    }
    power_[cpu] = p;
    if (p != CorePower::DeepSleep) {
        // Running again (woken, released or reset): its domain runs, and so
        // does the system.
        domain_[cpu] = Domain::Run;
        woken_held_[cpu] = false;
        system_ = System::Run;
        update_irq();
        return;
    }
    const std::string dn = "D" + std::to_string(cpu + 1);
    // RM0399: "The DStandby mode is entered when all PDDS_Dn bits in PWR_CPUCR
    // for the Dn domain select Standby mode" (one bit per CPU).
    const bool standby = cpu == 0 ? all_pdds(&CpuCr::pdds_d1) : all_pdds(&CpuCr::pdds_d2);
    domain_[cpu] = standby ? Domain::DStandby : Domain::DStop;
    AMPVP_TRACE("power", cpu_name_[cpu], dn + (standby ? " enters DStandby" : " enters DStop"));
    if (standby) {
        set_flag(cpu == 0 ? &CpuCr::sbf_d1 : &CpuCr::sbf_d2);
    }
    system_low_power();
    update_irq();
    if (standby && system_ != System::Standby && wake_in_[cpu]) {
        leave_standby(cpu); // a wake-up already there: straight out again
    }
}

void Stm32h7Pwr::system_low_power()
{
    const bool run_d3 = cpucr_[0].run_d3.on() || cpucr_[1].run_d3.on();
    if (system_ != System::Run || power_[0] != CorePower::DeepSleep || power_[1] != CorePower::DeepSleep ||
        run_d3 || d3_wake_) {
        return;
    }
    // RM0399: D3 (the system) enters Standby only when D1 and D2 are in
    // DStandby and its PDDS_D3 bits select Standby; else Stop.
    if (domain_[0] == Domain::DStandby && domain_[1] == Domain::DStandby && all_pdds(&CpuCr::pdds_d3)) {
        system_ = System::Standby;
        set_flag(&CpuCr::sbf);
        AMPVP_TRACE("power", name(), "system Standby");
    } else {
        system_ = System::Stop;
        set_flag(&CpuCr::stopf);
        AMPVP_TRACE("power", name(), "system Stop (D3 in DStop)");
    }
}

void Stm32h7Pwr::input(unsigned n, bool level)
{
    if (n == D3_WAKEUP) {
        if (level == d3_wake_) {
            return;
        }
        d3_wake_ = level;
        if (level && system_ == System::Stop) {
            // RM0399: an EXTI D3 wake-up takes D3 out of DStop on its own; D1
            // and D2 stay in DStop, the CPUs in CStop.
            system_ = System::Run;
            AMPVP_TRACE("power", name(), "D3 leaves DStop (EXTI D3 wake-up): the system runs, the CPUs stay stopped");
        } else if (!level) {
            system_low_power(); // nothing pending any more: D3 may stop again
        }
        update_irq();
        return;
    }
    if (n == STANDBY_WAKEUP) {
        if (level && system_ == System::Standby) {
            AMPVP_TRACE("power", name(), "Standby wake-up: the system leaves Standby (system reset)");
            sys_exit_->pulse();
        }
        return;
    }
    if (n > CPU2_WAKEUP) {
        return;
    }
    const int cpu = static_cast<int>(n);
    const bool rising = level && !wake_in_[cpu];
    wake_in_[cpu] = level;
    if (rising && system_ != System::Standby && power_[cpu] == CorePower::DeepSleep) {
        if (domain_[cpu] == Domain::DStandby) {
            leave_standby(cpu);
        } else if (held(cpu)) {
            // RM0399 HOLDxF: "CPUy has been woken up from a CPUx wakeup
            // source with CPUx on hold"; the flag interrupts CPUy.
            woken_held_[cpu] = true;
            (cpu == 1 ? cpucr_[0].holdf : cpucr_[1].holdf).set(1);
            AMPVP_TRACE("power", cpu_name_[cpu], "wake-up while on hold: stays stopped, " +
                                                     cpu_name_[1 - cpu] + " wakes");
        }
    }
    update_irq();
}

void Stm32h7Pwr::update_irq()
{
    bool out[2] = {false, false};
    for (int cpu = 0; cpu < 2; cpu++) {
        const bool asleep = power_[cpu] == CorePower::DeepSleep;
        if (system_ == System::Standby || (asleep && domain_[cpu] == Domain::DStandby)) {
            continue; // leaves DStandby / Standby by a reset only
        }
        if (asleep && held(cpu)) {
            out[1 - cpu] |= wake_in_[cpu]; // its source wakes the other CPU
            continue;
        }
        out[cpu] |= wake_in_[cpu] || woken_held_[cpu]; // released: wakes
    }
    for (int cpu = 0; cpu < 2; cpu++) {
        wake_out_[cpu]->set(out[cpu]);
    }
    hold_irq_[0]->set(cpucr_[0].holdf.on()); // HOLD2F interrupts CPU1
    hold_irq_[1]->set(cpucr_[1].holdf.on()); // HOLD1F interrupts CPU2
    sys_stop_->set(system_ == System::Stop);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-pwr", ampvp::Stm32h7Pwr)
