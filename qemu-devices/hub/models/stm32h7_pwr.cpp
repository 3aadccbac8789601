#include "stm32h7_pwr.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

void Stm32h7Pwr::declare_cpu_cr(Register &r, CpuCr &f)
{
    r.field("PDDS_D1", 0, 1, Acc::RW)
        .field("PDDS_D2", 1, 1, Acc::RW, &f.pdds_d2)
        .field("PDDS_D3", 2, 1, Acc::RW, &f.pdds_d3)
        .field("HOLDF", 4, 1, Acc::RO)
        .field("STOPF", 5, 1, Acc::RO, &f.stopf)
        .field("SBF", 6, 1, Acc::RO, &f.sbf)
        .field("SBF_D1", 7, 1, Acc::RO, &f.sbf_d1)
        .field("SBF_D2", 8, 1, Acc::RO, &f.sbf_d2)
        .field("CSSF", 9, 1, Acc::WO, &f.cssf)
        .unimpl("HOLD", 10, 1)
        .unimpl("RUN_D3", 11, 1)
        .post_write([&f](BusAccess &, uint32_t, uint32_t, uint32_t) {
            if (f.cssf.on()) { // clear the stop/standby flags; CSSF reads 0
                for (const FieldRef *flag : {&f.stopf, &f.sbf, &f.sbf_d1, &f.sbf_d2, &f.cssf}) {
                    flag->set(0);
                }
            }
        });
}

Stm32h7Pwr::Stm32h7Pwr(const std::string &name) : RegisterDevice(name)
{
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
    }
}

void Stm32h7Pwr::core_power_changed(CoreId core, CorePower p)
{
    int cpu = core == cpu_[0] ? 0 : core == cpu_[1] ? 1 : -1;
    if (cpu < 0) {
        return;
    }
    power_[cpu] = p;
    if (p != CorePower::DeepSleep) {
        return;
    }
    const CpuCr &mine = cpucr_[cpu];
    if (cpu == 1 && mine.pdds_d2.on()) {
        cpucr_[0].sbf_d2.set(1);
        cpucr_[1].sbf_d2.set(1);
        log().unimplemented(name() + ".D2STANDBY",
                            "D2 domain Standby entered: the reset it causes on wake-up is not modelled");
    }
    if (power_[0] == CorePower::DeepSleep && power_[1] == CorePower::DeepSleep &&
        !mine.pdds_d3.on()) {
        cpucr_[0].stopf.set(1);
        cpucr_[1].stopf.set(1);
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-pwr", ampvp::Stm32h7Pwr)
