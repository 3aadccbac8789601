// STM32H7 low-power timers LPTIM1-LPTIM5 (RM0399 Rev 4, chapter "Low-power
// timer (LPTIM)").
//
// Modelled:
//  - CR.ENABLE; CFGR and IER are writable only while ENABLE = 0, ARR and CMP
//    only while ENABLE = 1 (guest error otherwise).  Each ARR / CMP write sets
//    ISR.ARROK / CMPOK (the APB-to-kernel transfer done at once).
//  - Counting on the internal clock (CFGR.CKSEL = 0): the kernel clock (params
//    "clock": "lptim1" or "lptim2" / "lptim345", the RCC's LPTIMxSEL choice)
//    divided by 2^PRESC.  CR.CNTSTRT starts continuous counting, CR.SNGSTRT
//    one period; the counter counts 0..ARR: ARRM is set when it reaches ARR
//    (then it restarts from 0, or stops in single mode), CMPM when it equals
//    CMP.  CFGR.PRELOAD: ARR/CMP written take effect at the end of the period,
//    else at once.  CR.COUNTRST (self-clearing) resets the counter, CR.RSTARE
//    makes a CNT read reset it.  Clearing ENABLE stops the counter at 0.
//  - ICR clears ISR flags (write 1); the output "irq" (ISR & IER) goes to the
//    NVIC and "wkup" (the same level) to the EXTI direct line that wakes a CPU
//    from Stop (RM0399 EXTI lines 47, 48, 50, 52, 53).
//  - Output "out" (lptimx_out, RM0399 LPTIM "Waveform generation", PWM mode
//    WAVE = 0): active while the counter is above CMP and up to ARR, i.e.
//    ARR - CMP ticks of every ARR + 1 (ST's LPTIM_PWM examples: duty = 1 -
//    (CMP + 1) / (ARR + 1)); WAVPOL = 1 inverts it; inactive (WAVPOL) while
//    the counter is stopped and when CMP >= ARR.  Continuous counting gives a
//    periodic waveform (one message), SNGSTRT one pulse.  LPTIM4/5's outputs
//    are EXTI D3 pendclear sources.
//  - Clock gating (input CLOCK_OFF, the RCC's "ck_off.lptimx": RCC_D3AMR):
//    while high the counter and the output stand still; counting goes on
//    from the same value when it falls.
// Not modelled (stored, logged once when set): the external clock and input
// counting (CKSEL = 1, COUNTMODE = 1), the encoder mode, triggers and the
// timeout mode (TRIGEN, TIMOUT), the set-once output mode (WAVE = 1),
// glitch filters, input selection (CFGR2), the LPTIM2/3 outputs to EXTI
// 49/51 and DMAMUX2 (not wired).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Lptim : public RegisterDevice {
public:
    explicit Stm32Lptim(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    void timer_fired(unsigned tag) override;
    // Input CLOCK_OFF: high while the RCC has stopped the kernel clock.
    static constexpr unsigned CLOCK_OFF = 0;
    void input(unsigned n, bool level) override;

protected:
    void update_irq() override;

private:
    uint64_t now() const;
    uint64_t tick_ns() const;
    uint32_t counter() const;
    void start(bool single);
    void stop();
    void restart_at(uint32_t cnt); // re-anchor counting at CNT = cnt, now
    void schedule_next();
    Waveform output() const;

    std::string clock_ = "lptim1";
    mutable ClockId clock_id_ = -2;
    bool counting_ = false, single_ = false;
    uint64_t anchor_ns_ = 0;
    uint32_t anchor_cnt_ = 0;
    uint64_t tick_ns_ = 0;
    uint32_t arr_active_ = 1, cmp_active_ = 0;
    uint64_t period_ = 0; // ticks since the anchor already looked at for matches
    bool clock_off_ = false; // input CLOCK_OFF
    IrqLine *irq_, *wkup_, *out_;
    Register *isr_ = nullptr, *ier_ = nullptr, *cnt_ = nullptr;
    FieldRef cmpm_, arrm_, cmpok_, arrok_;     // ISR
    FieldRef cksel_, presc_, wavpol_, preload_, countmode_; // CFGR
    FieldRef enable_, sngstrt_, cntstrt_, countrst_, rstare_; // CR
    FieldRef cmp_, arr_;
};

} // namespace ampvp
