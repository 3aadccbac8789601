// STM32H7 low-power timers LPTIM1-LPTIM5 (RM0399 Rev 4, chapter "Low-power
// timer (LPTIM)": clock source, glitch filter, prescaler, trigger multiplexer,
// operating mode, timeout function, waveform generation, register update,
// counter mode, LPTIM input and trigger mapping).  The register sequences are
// those of ST's HAL (stm32h7xx_hal_lptim.c: HAL_LPTIM_Init, the _Start/_Start_IT
// functions of the counter, PWM, one-pulse, set-once and timeout modes,
// LPTIM_Disable's reset-and-restore, HAL_LPTIM_IRQHandler).
//
// Modelled:
//  - CR.ENABLE; CFGR and IER are writable only while ENABLE = 0, ARR and CMP
//    only while ENABLE = 1 (guest error otherwise).  Each ARR / CMP write sets
//    ISR.ARROK / CMPOK (the APB-to-kernel transfer done at once).
//  - What clocks the counter: the internal clock (CFGR.CKSEL = 0, COUNTMODE =
//    0): the kernel clock (params "clock": "lptim1" or "lptim2" / "lptim345",
//    the RCC's LPTIMxSEL choice) divided by 2^PRESC; or the edges of Input1
//    (COUNTMODE = 1, or CKSEL = 1): the active edges CKPOL selects (00 rising,
//    01 falling, 10 both; 11 is not allowed: guest error, nothing counted),
//    divided by 2^PRESC.  With CKSEL = 0 the internal clock samples Input1: no
//    edge is counted while the kernel clock is off, and PRESC must be 000 (guest
//    error otherwise).  With CKSEL = 1 (no internal clock, the asynchronous mode)
//    the first five active edges after ENABLE are lost, and both edges are not
//    allowed (guest error; counted anyway).
//  - Input1 (input 0) is the LPTIM_IN1 pin when CFGR2.IN1SEL = 00; the other
//    selections (comparator outputs) are stored and reported, and the pin is
//    then not counted.  Input2 (input 1) is stored only (encoder mode).
//  - Starting: CR.CNTSTRT (continuous) and CR.SNGSTRT (one-shot) clear
//    themselves.  With TRIGEN = 00 they start the counter; SNGSTRT while counting
//    continuously stops it at the next ARR match, CNTSTRT while a one-shot runs
//    makes it continuous.  With TRIGEN = 01/10/11 they only choose the mode: the
//    counter starts at the next rising / falling / either edge of the selected
//    trigger, two counter clock periods later (the synchronisation), and sets
//    ISR.EXTTRIG; a trigger while counting is ignored (no EXTTRIG), except in
//    timeout mode (TIMOUT = 1) where it resets the counter and restarts it.  In
//    one-shot mode every trigger after the counter stopped starts a new period;
//    in set-once mode (WAVE = 1) only the first does.  Triggers from pins:
//    lptim_ext_trig0, the LPTIM_ETR pin (input 2), of instances that have one
//    (params "etr": "0" for the others); the other TRIGSEL sources (RTC alarms
//    and tampers, comparators) are stored and reported: such a counter never
//    starts.
//  - The counter counts 0..ARR: ARRM is set when it reaches ARR (then it
//    restarts from 0), CMPM when it equals CMP.  One-shot: the counter stops
//    after ARR (reads 0): one counter clock after the ARR match on the internal
//    clock, at the match when Input1 clocks it.  CFGR.PRELOAD: ARR/CMP written
//    take effect at the end of the period, else at once.  CR.COUNTRST (self-
//    clearing) resets the counter, CR.RSTARE makes a CNT read reset it.
//    Clearing ENABLE stops the counter at 0 and forgets the mode.
//  - Waveform on output "out" (the LPTIM_OUT pin's alternate function input):
//    WAVE = 0: PWM (continuous: high while CMP < CNT <= ARR, so ARR - CMP counter
//    clocks of every ARR + 1: one periodic waveform on the internal clock) or a
//    single pulse of the same shape (SNGSTRT); WAVE = 1: set-once, high from the
//    first time CNT exceeds CMP until ENABLE is cleared.  CMP >= ARR: no pulse.
//    WAVPOL = 1 inverts it, including the level while the timer is off, at once
//    (RM0399: even before the timer is enabled).  "--trace tim" shows it.  The
//    machine description also routes "out" of LPTIM1/2/3 to the DMAMUX trigger
//    and synchronization inputs (RM0399 DMAMUX1/DMAMUX2 tables: LPTIMx_OUT).
//  - ICR clears ISR flags (write 1); the output "irq" (ISR & IER) goes to the
//    NVIC and "wkup" (the same level) to the EXTI direct line that wakes a CPU
//    from Stop (RM0399 EXTI lines 47, 48, 50, 52, 53).  LPTIM4/5's "out" are
//    also EXTI D3 pendclear sources.
//  - Clock gating (input 3, IN_CLOCK_OFF, the RCC's "ck_off.lptimx" from
//    RCC_D3AMR): while high the kernel clock is stopped: the internal clock
//    does not count (the counter, the flags and the output stand still) and
//    does not sample Input1; counting goes on from the same value when it
//    falls.  Input1 clocking the counter with CKSEL = 1 needs no kernel clock.
// Not modelled (stored, logged once when set): the glitch filters CKFLT and
// TRGFLT (a no-op: edges are taken when they come, without the 2-8 sample
// delay; the pin inputs have no glitches to remove), the encoder mode (ENC,
// CKPOL as sub-mode, UP/DOWN), IN1SEL/IN2SEL other than the pins, triggers from
// the RTC and the comparators, the LPTIM2/3 outputs to EXTI 49/51, the
// sampling of Input1 by the kernel clock (an edge counts when it comes, not at
// the next kernel clock, and pulses shorter than a kernel clock are not lost),
// the synchronisation delays of the APB writes (ARROK, CMPOK, COUNTRST at
// once; a software start at once; a trigger with Input1 clocking the counter
// at once), a periodic signal (another timer's PWM) on Input1 or ETR (only its
// level at each change is seen: reported), counting while a kernel clock from
// PCLK is stopped in Stop mode.  The PWM waveform on the pin has whole-ns
// timing: when a period is not a whole number of ns (15.625 ns kernel clock
// at 64 MHz) the pin drifts against CNT by up to 0.5 ns a period (CNT and the
// flags are exact).
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32Lptim : public RegisterDevice {
public:
    // Numbered inputs (the pins' "piny.afk" outputs): Input1, Input2, ETR;
    // then the RCC's clock gate (high: kernel clock stopped).
    enum : unsigned { IN_IN1 = 0, IN_IN2 = 1, IN_ETR = 2, IN_CLOCK_OFF = 3, INPUTS = 4 };

    explicit Stm32Lptim(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void timer_fired(unsigned tag) override;
    void input(unsigned n, bool level) override;
    void input_wave(unsigned n, const Waveform &w) override;

protected:
    void update_irq() override;

private:
    bool external() const { return cksel_.on() || countmode_.on(); } // Input1 clocks the counter
    uint64_t now() const;
    uint64_t kernel_hz() const;         // 0 while the RCC gates the kernel clock
    void gate_clock(bool off);          // input IN_CLOCK_OFF changed
    uint64_t tick_ps() const; // one internal counter clock (0: none, or counting Input1)
    uint64_t count_time_ns(uint64_t k) const; // when the counter has counted k from the anchor
    uint64_t counts() const;  // counter clocks since the anchor
    uint32_t counter() const;
    void start(bool single, uint64_t delay_ps);
    void stop();
    void restart_at(uint32_t cnt, uint64_t delay_ps = 0); // re-anchor at CNT = cnt
    void rebase(uint64_t k);            // move the anchor k counts on (same counter)
    void catch_up();                    // internal clock: matches up to now
    void process(uint64_t n);           // flags and period ends up to count n
    void schedule_next();
    void on_in1_edge(bool rising);
    void on_trigger(bool rising);
    void check_config(BusAccess &a);    // CFGR / CFGR2 combinations the RM forbids or we lack
    bool ref_level(uint32_t cnt) const; // the waveform before WAVPOL, at counter value cnt
    void update_output();

    std::string clock_ = "lptim1";
    mutable ClockId clock_id_ = -2;
    bool has_etr_ = true; // params "etr": lptim_ext_trig0 is the LPTIM_ETR pin

    // All mutable state beyond the registers.
    struct State {
        bool running = false;   // the counter counts
        bool single = false;    // one-shot (else continuous)
        bool armed = false;     // CNTSTRT/SNGSTRT given: a trigger may start it
        bool triggered = false; // set-once: the first trigger came
        bool set_once = false;  // the set-once output is latched high
        uint64_t anchor_ps = 0; // internal clock: when the counter was anchor_cnt (ps)
        uint32_t anchor_cnt = 0;
        uint64_t ext_counts = 0;   // Input1 clocking: counts since the anchor
        uint32_t presc_edges = 0;  // active edges towards the prescaler
        unsigned lost_edges = 0;   // CKSEL = 1: active edges since ENABLE (5 lost)
        uint64_t seen = 0;         // counts since the anchor already looked at
        uint64_t period_end = 0;   // count at which a period ends with an action (0: none)
        uint64_t tick_ps = 0;
        uint32_t arr_active = 1, cmp_active = 0;
        std::array<bool, INPUTS> in{};
    } st_;

    IrqLine *irq_, *wkup_, *out_;
    Register *isr_ = nullptr, *ier_ = nullptr, *cnt_ = nullptr;
    FieldRef cmpm_, arrm_, exttrig_, cmpok_, arrok_;                  // ISR
    FieldRef cksel_, ckpol_, presc_, trigsel_, trigen_, timout_, wave_, wavpol_, preload_,
        countmode_;                                                   // CFGR
    FieldRef enable_, sngstrt_, cntstrt_, countrst_, rstare_;         // CR
    FieldRef cmp_, arr_;
    FieldRef in1sel_;                                                 // CFGR2
};

} // namespace ampvp
