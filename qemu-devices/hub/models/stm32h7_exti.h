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
// D3 domain wake-up (RM0399 EXTI "EXTI event input mapping": the event
// inputs whose wake-up target is "Any" also wake the D3 domain; the D3
// pending mask EXTI_D3PMRx and pending clear selection EXTI_D3PCRxL/H):
//  - the D3-capable lines are those with a D3PMR bit in ST's CMSIS header
//    (0-15, 19-21, 25, 34, 35, 41, 48-53, 88); a trigger of such a line (an
//    enabled edge or SWIER on a configurable line, a rising edge on a direct
//    one) with its D3PMR bit set latches its D3 pending request, whatever
//    the CPUs' masks;
//  - output "d3.wakeup" (exti_d3_wkup, to the PWR) is high while any D3
//    pending request is latched: it takes the D3 domain out of DStop and
//    keeps it in Run;
//  - a request is cleared by the D3 domain pendclear source its 2-bit
//    D3PCR field selects (PCS: 00 dmamux2_evt6, 01 dmamux2_evt7, 10
//    lptim4_out, 11 lptim5_out, inputs PENDCLEAR + 0..3): on a rising edge
//    of that signal (a pulse, a level, or each rising edge of a periodic
//    waveform such as an LPTIM's PWM output), and by clearing its D3PMR bit
//    (ST's HAL disables and re-enables the line to drop a stale request).
//  PCS for line L sits at bits 2 (L mod 16) of D3PCRxL (L mod 32 < 16) or
//  D3PCRxH, as ST's HAL_EXTI_D3_EventInputConfig computes it (its SVD puts
//  PCS88 two bits higher; the HAL's layout is used).
// RTSR2/FTSR2/SWIER2: TR49/TR51 (SWI49/51) only; the direct lines' bits
// there are reserved, and ST's HAL_EXTI_EdgeConfig writes them (line 34 in
// PWR_Domain3SystemControl): read 0, ignored without a warning.
// Not modelled (stored, logged once when set): configurable lines above 21
// (TR49/TR51 of RTSR2/FTSR2/SWIER2, RTSR3/FTSR3/SWIER3; lines 49/51 are taken
// as direct: a rising edge).
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
    // Inputs PENDCLEAR + k: the D3 domain pendclear sources (RM0399 EXTI
    // D3PCR values k = 0 dmamux2_evt6, 1 dmamux2_evt7, 2 lptim4_out, 3 lptim5_out).
    static constexpr unsigned PENDCLEAR = LINES, PENDCLEAR_SOURCES = 4;
    // Lines with a D3 pending mask bit, by register (ST's CMSIS EXTI_D3PMRx).
    static constexpr uint32_t kD3Lines[3] = {0x0238FFFFu, 0x003F020Cu, 0x01000000u};
    void input_wave(unsigned n, const Waveform &w) override;
    void timer_fired(unsigned tag) override;

protected:
    void update_irq() override;

private:
    void trigger(unsigned line, const char *why);
    void direct_edge(unsigned line);
    void d3_event(unsigned line);
    unsigned pendclear_source(unsigned line) const;
    void pendclear(unsigned source);
    void schedule_pendclear(unsigned source);

    // Field handles, declared once in the constructor's RM table.
    // RTSR1.TR / FTSR1.TR / SWIER1.SWI: bit L for configurable line L.
    FieldRef rtsr1_tr_, ftsr1_tr_, swier1_swi_;
    // CnIMRx.IM / CnEMRx.EM / CnPRx.PR, [cpu][register x-1].  RM0399 treats
    // each as one vector with bit (L mod 32) for line L, so model code masks
    // them with that bit.
    FieldRef imr_[2][3], emr_[2][3], pr_[2][3];
    // D3PMRx (the whole register: only the kD3Lines bits are fields) and the
    // D3PCRxL / D3PCRxH registers, [register x-1][0 low, 1 high].
    Register *d3pmr_[3] = {}, *d3pcr_[3][2] = {};

    std::array<bool, LINES> level_{};
    uint32_t direct_high_[3] = {0, 0, 0}; // direct lines whose input is high, by register
    uint32_t d3_pending_[3] = {0, 0, 0};  // latched D3 pending requests, by register
    Waveform pendclear_[PENDCLEAR_SOURCES]; // the pendclear sources' signals
    IrqLine *d3_wakeup_ = nullptr;
    IrqLine *event_[2];
    IrqLine *wakeup_[2];
    bool wake_pulse_[2] = {false, false}; // an event went to the CPU: pulse its wake-up
    IrqLine *grouped_[2][7];          // exti0..exti4, exti9_5, exti15_10
    IrqLine *own_[2][6];              // configurable lines 16..21
    std::map<unsigned, IrqLine *> direct_[2];
    std::string cpu_name_[2] = {"cpu1", "cpu2"};
};

} // namespace ampvp
