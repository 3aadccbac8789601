// STM32H7 dual-core power control PWR (RM0399 Rev 4, chapter "Power control
// (PWR)": "Low-power modes", "Hold mechanism", PWR registers).
//
// Modelled: the register table with reset values; CSR1.ACTVOSRDY and
// D3CR.VOSRDY are ready at once (voltage scaling completes instantly), and
// CSR1.ACTVOS follows D3CR.VOS.
// Domains (CPU1 = params "cpu1" owns D1, CPU2 = "cpu2" owns D2):
//  - A CPU in deep sleep (CStop) takes its domain to DStandby when every
//    PDDS_Dn bit for it selects Standby (PWR_CPUCR and PWR_CPU2CR: "the
//    DStandby mode is entered when all PDDS_Dn bits ... select Standby"),
//    else to DStop.  SBF_D1 / SBF_D2 are set (both registers).
//  - Both CPUs in CStop, RUN_D3 clear in both registers: the system enters
//    Standby when D1 and D2 are in DStandby and all PDDS_D3 bits select
//    Standby ("D3 enters Standby only when D1 and D2 are in DStandby"), SBF
//    set; otherwise Stop, STOPF set and output "sys_stop" high (to the RCC:
//    the clocks leaving Stop).  RUN_D3 keeps D3, hence the system, running.
//  - D3 domain wake-up (input 3, exti_d3_wkup: the EXTI's D3 pending
//    requests): RM0399 keeps D3 in DStop only while no D3 wake-up is
//    pending.  With it high, both CPUs in CStop leave D3 and the system in
//    Run (as RUN_D3 does); rising while the system is in Stop, it takes D3
//    (the system) out of Stop while D1 and D2 stay in DStop and the CPUs
//    sleep; falling with both CPUs still in CStop and RUN_D3 clear, the
//    system enters Stop again (STOPF set).  "sys_stop" follows: D3 in DStop.
//  - CSSF (write 1) clears STOPF, SBF, SBF_D1, SBF_D2 and HOLDxF of the same
//    register; a system reset keeps STOPF/SBF/SBF_Dx (cleared only by POR or
//    CSSF) and clears the rest.
// Wake-up: inputs 0 / 1 are the CPUs' wake-up requests (EXTI c1/c2_wakeup),
// outputs "c1.wakeup" / "c2.wakeup" what restarts each CPU (bridge "wakeup"):
//  - normally the request itself;
//  - a domain in DStandby does not wake: a rising request makes it leave
//    DStandby by a reset of its CPU (output "d1_exit" / "d2_exit" pulses, to
//    the RCC's reset inputs; "a standby exit is a reset of that domain");
//  - in system Standby the EXTI is off: input 2 (the Standby wake-up sources:
//    RTC alarm/wake-up/tamper/timestamp events) pulses "sys_exit" (system
//    reset, SBF kept);
//  - hold (PWR_CPUCR.HOLD2 holds CPU2, PWR_CPU2CR.HOLD1 holds CPU1; the HAL
//    never sets both): a held CPU in CStop does not wake; its wake-up source
//    wakes the other CPU instead and sets HOLD2F (CPUCR) / HOLD1F (CPU2CR),
//    whose interrupt outputs "c1.hold" / "c2.hold" (HOLD_CORE_IRQn) stay high
//    until CSSF; clearing the HOLD bit releases the CPU (it wakes).
// Not modelled (stored, logged once when set): PVD/AVD, backup regulator,
// USB regulator, SMPS external supply, wake-up pins (WKUPCR/WKUPEPR), the
// peripheral allocation that keeps a domain out of DStop/DStandby, the
// low-power resets of an illegal DStandby, the D3 domain's own DStandby.
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
    void input(unsigned n, bool level) override;
    void reset() override;

    enum Input : unsigned { CPU1_WAKEUP = 0, CPU2_WAKEUP = 1, STANDBY_WAKEUP = 2, D3_WAKEUP = 3 };
    enum class Domain { Run, DStop, DStandby };
    enum class System { Run, Stop, Standby };
    Domain domain(int cpu) const { return domain_[cpu]; } // cpu 0 = CPU1/D1, 1 = CPU2/D2
    System system() const { return system_; }

protected:
    void update_irq() override;

private:
    // PWR_CPUCR (CPU1) / PWR_CPU2CR (CPU2): the same fields, one set each.
    struct CpuCr {
        FieldRef pdds_d1, pdds_d2, pdds_d3, holdf, stopf, sbf, sbf_d1, sbf_d2, cssf, hold, run_d3;
    };
    void declare_cpu_cr(Register &r, CpuCr &f);
    bool all_pdds(FieldRef CpuCr::*f) const { return (cpucr_[0].*f).on() && (cpucr_[1].*f).on(); }
    bool held(int cpu) const; // HOLD set for that CPU (HOLD1 in CPU2CR, HOLD2 in CPUCR)
    void leave_standby(int cpu);
    void set_flag(FieldRef CpuCr::*f);
    // Both CPUs in CStop: the system enters Stop or Standby unless RUN_D3 or
    // a D3 wake-up keeps D3 in Run.
    void system_low_power();

    CoreId cpu_[2] = {-1, -1}; // CoreId of CPU1 (CPUCR) and CPU2 (CPU2CR)
    CorePower power_[2] = {CorePower::Run, CorePower::Run};
    bool wake_in_[2] = {false, false};  // EXTI wake-up requests
    bool d3_wake_ = false;              // EXTI D3 wake-up (pending D3 requests)
    bool woken_held_[2] = {false, false}; // a wake-up came while the CPU was held
    Domain domain_[2] = {Domain::Run, Domain::Run};
    System system_ = System::Run;
    std::string cpu_name_[2] = {"cpu1", "cpu2"};

    IrqLine *wake_out_[2];
    IrqLine *hold_irq_[2];
    IrqLine *exit_[2];
    IrqLine *sys_exit_, *sys_stop_;

    // Field handles, declared once in the constructor's RM table.
    CpuCr cpucr_[2];               // [0] CPUCR, [1] CPU2CR
    FieldRef actvosrdy_, actvos_;  // PWR_CSR1
    FieldRef vosrdy_, vos_;        // PWR_D3CR
};

} // namespace ampvp
