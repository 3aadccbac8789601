// STM32H7 low-power timers LPTIM1-LPTIM5 (RM0399 Rev 4, chapter "Low-power
// timer (LPTIM)").  The register sequences are those of ST's HAL
// (stm32h7xx_hal_lptim.c: HAL_LPTIM_Init, HAL_LPTIM_Counter_Start_IT,
// HAL_LPTIM_PWM_Start, HAL_LPTIM_IRQHandler).
//
// Modelled:
//  - CR.ENABLE; CFGR and IER are writable only while ENABLE = 0, ARR and CMP
//    only while ENABLE = 1 (guest error otherwise).  Each ARR / CMP write sets
//    ISR.ARROK / CMPOK (the APB-to-kernel transfer done at once).
//  - Counting on the internal clock (CFGR.CKSEL = 0): the kernel clock (params
//    "clock": "lptim1" or "lptim2" / "lptim345", the RCC's LPTIMxSEL choice)
//    divided by 2^PRESC, timed to the picosecond.  CR.CNTSTRT starts
//    continuous counting, CR.SNGSTRT one period; the counter counts 0..ARR:
//    ARRM is set when it reaches ARR (then it restarts from 0, or, in single
//    mode, stops once the ARR count is over), CMPM when it equals CMP.
//    CFGR.PRELOAD: ARR/CMP written take effect at the end of the period, else
//    at once.  CR.COUNTRST (self-clearing) resets the counter, CR.RSTARE makes
//    a CNT read reset it.  Clearing ENABLE stops the counter at 0.
//  - The output waveform (RM0399 "Waveform generation"), output "out": the
//    raw output is high while the counter exceeds CMP (CMP + 1 .. ARR: duty
//    (ARR - CMP) / (ARR + 1), ST's LPTIM_PWM examples' formula) and low from
//    the period's start; with CFGR.WAVE = 0 continuous counting gives the PWM
//    (one periodic signal), single mode one pulse; WAVE = 1 (set-once) keeps
//    the output high from the first time the counter exceeds CMP until the
//    LPTIM is disabled.  CMP >= ARR: the counter never exceeds CMP, the raw
//    output stays low.  CFGR.WAVPOL inverts it, and takes effect at once,
//    before the timer runs (the output's default level: WAVPOL).  The machine
//    description routes "out" to the DMAMUX trigger and synchronization
//    inputs (RM0399 DMAMUX1/DMAMUX2 tables: LPTIM1/2/3_OUT).
//  - ICR clears ISR flags (write 1); the output "irq" (ISR & IER) goes to the
//    NVIC and "wkup" (the same level) to the EXTI direct line that wakes a CPU
//    from Stop (RM0399 EXTI lines 47, 48, 50, 52, 53).
// Not modelled (stored, logged once when set): the external clock and input
// counting (CKSEL = 1, COUNTMODE = 1), the encoder mode, triggers and the
// timeout mode (TRIGEN, TIMOUT), glitch filters, input selection (CFGR2),
// counting while a kernel clock from PCLK is stopped in Stop mode; the
// outputs to pins (alternate functions) and to EXTI lines 49/51 are not
// wired.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Lptim : public RegisterDevice {
public:
    explicit Stm32Lptim(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    void timer_fired(unsigned tag) override; // TAG_COUNT: flags; TAG_OUT: an output change

protected:
    void update_irq() override;

private:
    enum : unsigned { TAG_COUNT = 0, TAG_OUT = 1 };
    uint64_t now() const;
    uint64_t tick_ps() const;          // one counter tick from the clock, 0: none
    uint64_t at_tick(uint64_t k) const; // the time of tick k after the anchor
    uint64_t elapsed() const;          // ticks since the anchor
    uint32_t counter() const;
    void start(bool single);
    void stop();
    void stop_single();
    void restart_at(uint32_t cnt); // re-anchor counting at CNT = cnt, now
    void schedule_next();
    bool raw_high() const;         // the output before WAVPOL, now
    Waveform out_wave() const;

    std::string clock_ = "lptim1";
    mutable ClockId clock_id_ = -2;
    // All mutable state beyond the registers.
    struct State {
        bool counting = false, single = false;
        bool latched = false;    // set-once: the output went high and stays
        uint64_t anchor_ns = 0;
        uint32_t anchor_cnt = 0;
        uint64_t tick_ps = 0;
        uint32_t arr_active = 1, cmp_active = 0;
        uint64_t seen = 0;       // ticks since the anchor already looked at for matches
        uint64_t stop_tick = 0;  // single mode: the tick at which the counter stops (0: not yet known)
    } st_;
    IrqLine *irq_, *wkup_, *out_;
    Register *isr_ = nullptr, *ier_ = nullptr, *cnt_ = nullptr;
    FieldRef cmpm_, arrm_, cmpok_, arrok_;     // ISR
    FieldRef cksel_, presc_, wave_, wavpol_, preload_, countmode_; // CFGR
    FieldRef enable_, sngstrt_, cntstrt_, countrst_, rstare_; // CR
    FieldRef cmp_, arr_;
};

} // namespace ampvp
