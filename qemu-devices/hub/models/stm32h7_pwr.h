// STM32H7 dual-core power control PWR (RM0399 Rev 4, chapter "Power control
// (PWR)", PWR registers).
//
// Modelled: the register table with reset values; CSR1.ACTVOSRDY and
// D3CR.VOSRDY are ready at once (voltage scaling completes instantly), and
// CSR1.ACTVOS follows D3CR.VOS; CPUCR (CPU1) / CPU2CR (CPU2): PDDS_Dx stored,
// STOPF set when the system enters Stop (both CPUs in deep sleep, the last
// one with PDDS_D3 = 0), SBF_D2 set when CPU2 enters deep sleep with
// PDDS_D2 = 1 (D2 Standby), CSSF (write 1) clears STOPF/SBF/SBF_D1/SBF_D2.
// Not modelled (stored, logged once when set): PVD/AVD, backup regulator,
// USB regulator, SMPS external supply, wake-up pins, the reset that leaving
// Standby causes, HOLD (CPU hold on wake-up).
// Register access goes through handles kept at declaration (FieldRef
// members): no access path looks a register or field up by name.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32h7Pwr : public RegisterDevice {
public:
    explicit Stm32h7Pwr(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void core_power_changed(CoreId core, CorePower p) override;

private:
    // PWR_CPUCR (CPU1) / PWR_CPU2CR (CPU2): the same fields, one set each.
    struct CpuCr {
        FieldRef pdds_d2, pdds_d3, stopf, sbf, sbf_d1, sbf_d2, cssf;
    };
    void declare_cpu_cr(Register &r, CpuCr &f);

    CoreId cpu_[2] = {-1, -1}; // CoreId of CPU1 (CPUCR) and CPU2 (CPU2CR)
    CorePower power_[2] = {CorePower::Run, CorePower::Run};

    // Field handles, declared once in the constructor's RM table.
    CpuCr cpucr_[2];               // [0] CPUCR, [1] CPU2CR
    FieldRef actvosrdy_, actvos_;  // PWR_CSR1
    FieldRef vosrdy_, vos_;        // PWR_D3CR
};

} // namespace ampvp
