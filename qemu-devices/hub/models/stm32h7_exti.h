// STM32H7 dual-core extended interrupt and event controller EXTI (RM0399
// Rev 4, chapter "Extended interrupt and event controller (EXTI)").
//
// Modelled: RTSR/FTSR/SWIER for the configurable lines 0-21, per-CPU masks
// C1IMRx/C1EMRx (CPU1) and C2IMRx/C2EMRx (CPU2) and pending registers
// C1PRx/C2PRx (write 1 to clear) for all three line registers.
//  - A configurable line triggers on an enabled edge of its input or on a
//    write of 1 to its SWIER bit (every such write triggers again; SWIER
//    reads 0).  For each CPU: IMR set -> its PR bit is set, and its interrupt
//    output is PR & IMR; EMR set -> an event pulse to that CPU.
//  - A direct line (every other line) follows its input: a rising edge with
//    EMR set is an event pulse to that CPU, and with IMR set a pulse on that
//    CPU's interrupt output for the line (no pending register).
//  - Dual-core direct lines (RM0399 EXTI event input mapping, ST HAL line
//    targets): 77 HSEM interrupt 1 (CPU1), 78 HSEM interrupt 2 (CPU2),
//    79 CPU2's SEV towards CPU1, 80 CPU1's SEV towards CPU2.
//  - CPU wake-up (RM0399 EXTI: "the EXTI wakeup requests allow ... the CPU to
//    be woken up from CStop"): "cN.wakeup" is high while a configurable line
//    is pending for that CPU (CnPR & CnIMR) or a direct line's input is high
//    with its CnIMR bit set, and pulses with every event sent to that CPU.
//    Only EXTI inputs can wake a CPU whose clock is stopped: an ordinary
//    peripheral interrupt goes straight to the NVICs (RM0433/RM0399 "Low-power
//    application example": only wakeup-capable peripherals go through EXTI).
//  - Reset masks: CPU1 as RM0399; CPU2 as ST's SVD for the STM32H745 CM4
//    (C2IMR1 0xFFC00000, C2IMR2 0xFFF5FFFF, C2IMR3 0x018BFFFF): the direct
//    lines are unmasked, so HSEM's CPU2 interrupt (line 78) wakes the CM4 from
//    D2 Stop in ST's boot handshake without any EXTI set-up.
// Outputs: "c1.event"/"c2.event" (CPU event, RXEV); "c1.wakeup"/"c2.wakeup"
// (CPU wake-up, a level); per CPU interrupt
// outputs "cN.exti0".."cN.exti4", "cN.exti9_5", "cN.exti15_10" (configurable
// lines 0-15, grouped as the NVIC vectors are), "cN.line16".."cN.line21"
// (configurable lines with a vector of their own: PVD/AVD, RTC alarms 17, RTC
// tamper/timestamp 18, RTC wake-up timer 19, COMP1/2; high while pending and
// unmasked, as lines 0-15: RM0399 "RTC interrupts" go to the NVIC through
// EXTI) and "cN.line<L>" for direct line L.  Inputs: input L is line L.
// Not modelled (stored, logged once when set): the D3 domain pending
// mask/clear registers D3PMRx/D3PCRx (autonomous mode), configurable lines
// above 21.
// Register access goes through handles kept at declaration (FieldRef
// members): no access path looks a register or field up by name.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32h7Exti : public RegisterDevice {
public:
    static constexpr unsigned LINES = 96;

    explicit Stm32h7Exti(const std::string &name);
    void input(unsigned line, bool level) override;
    void reset() override;
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    static bool configurable(unsigned line) { return line < 22; }

protected:
    void update_irq() override;

private:
    void trigger(unsigned line, const char *why);
    void direct_edge(unsigned line);

    // Field handles, declared once in the constructor's RM table.
    // RTSR1.TR / FTSR1.TR / SWIER1.SWI: bit L for configurable line L.
    FieldRef rtsr1_tr_, ftsr1_tr_, swier1_swi_;
    // CnIMRx.IM / CnEMRx.EM / CnPRx.PR, [cpu][register x-1].  RM0399 treats
    // each as one vector with bit (L mod 32) for line L, so model code masks
    // them with that bit.
    FieldRef imr_[2][3], emr_[2][3], pr_[2][3];

    std::array<bool, LINES> level_{};
    uint32_t direct_high_[3] = {0, 0, 0}; // direct lines whose input is high, by register
    IrqLine *event_[2];
    IrqLine *wakeup_[2];
    bool wake_pulse_[2] = {false, false}; // an event went to the CPU: pulse its wake-up
    IrqLine *grouped_[2][7];          // exti0..exti4, exti9_5, exti15_10
    IrqLine *own_[2][6];              // configurable lines 16..21
    std::map<unsigned, IrqLine *> direct_[2];
    std::string cpu_name_[2] = {"cpu1", "cpu2"};
};

} // namespace ampvp
