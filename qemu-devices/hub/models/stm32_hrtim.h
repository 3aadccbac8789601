// STM32H745/H747 high-resolution timer HRTIM1 (RM0399 Rev 4, "High-Resolution
// Timer (HRTIM)": master timer, timing units A-E, set/reset crossbar, output
// stage, common registers).  The register sequences are those of ST's HAL
// (stm32h7xx_hal_hrtim.c: HAL_HRTIM_Init, HRTIM_TimingUnitBase_Config /
// HAL_HRTIM_TimeBaseConfig, HAL_HRTIM_SimplePWMChannelConfig /
// HRTIM_OutputConfig, HAL_HRTIM_SimplePWMStart / Stop, HAL_HRTIM_SoftwareUpdate,
// HAL_HRTIM_SoftwareReset) as ST's HRTIM_MultiplePWM examples use them.
//
// Clock: fHRTIM from the RCC (params "clock", default "hrtim": RCC_CFGR.HRTIMSEL
// 0 = the APB2 timer clock rcc_timy_ker_ck, 1 = the CPU clock c_ck).  RM0399's
// HRTIM has no delay-locked loop (no DLLCR, no DLLRDY flag; offset 0x4C of the
// common registers is reserved): a counter counts at fHRTIM x 32 / 2^CKPSC with
// CKPSC = 101 (fHRTIM), 110 (fHRTIM / 2) or 111 (fHRTIM / 4), ST's HAL's
// HRTIM_PRESCALERRATIO_DIV1/2/4; the other codes are reserved (a guest error,
// counted as 101).
//
// Each of the six counters (master, A-E) counts up from 0; it rolls over to 0 when
// it reaches its period value PER (the period, or roll-over, event): a period is
// PER counter ticks (ST's example: 200 MHz / PER 100 = 2 MHz).  CONT = 1:
// continuous; CONT = 0: single-shot, the counter stops at 0 after one period until
// a software reset (CR2.xRST) restarts it (RETRIG = 1: also while it counts).  The
// counter enables are MCR.MCEN / TxCEN; CNTxR reads the running counter and is
// writable while the counter is stopped.  Compare events CMPx when the counter
// reaches CMPx (< PER).  The repetition counter is loaded with REP at start and
// reset, and counts period events down: when it is 0 at a period event that is a
// repetition event (REP = 0: every period) and it reloads.
// Preload (PREEN): writes to PER, REP, CMP1-4 (and CMP1CxR), SETxyR and RSTxyR go
// to preload registers that reach the active ones at an update event: repetition
// event with xREPU, roll-over or reset with TxRSTU, software update CR2.xSWU;
// CR1.xUDIS holds back the automatic ones.  PREEN = 0: written values are active
// at once.
// Flags (xISR, cleared by writing 1 to xICR) and interrupts (xDIER): CMP1-4, REP,
// UPD; timers also RST (counter reset or roll-over), SET1/RST1/SET2/RST2 (output
// set and reset events).  Interrupt outputs "master", "tima".."time" (the OR of
// each counter's enabled flags) and "flt" (HRTIM_ISR with HRTIM_IER: fault and
// burst-mode flags, which the model never sets).
// Outputs (timer x, output y = 1, 2): the set/reset crossbar SETxyR / RSTxyR with
// the sources SST/SRT (software), PER and CMP1-4 of the timer itself: a set event
// makes the output active, a reset event inactive; a source selected in both
// toggles it; a set and a reset from different sources at once: the reset wins.
// Output state: RUN while the output is enabled (HRTIM_OENR.TxyOEN, set by writing
// 1 to OENR, cleared by writing 1 to ODISR), the crossbar's level; IDLE otherwise,
// the level OUTxR.IDLESy (0 inactive, 1 active).  OUTxR.POLy = 1 makes active low.
// Outputs "cha1".."che2" (HRTIM_CHA1 .. HRTIM_CHE2) carry the pin level as a
// waveform (one message per change, not per edge) to the GPIO pins whose
// alternate function they are (machine description); a waveform with more than one
// pulse per period is reported as unimplemented and carried by its level.
// "--trace tim" shows each output's waveform.
// Not modelled (stored, reported once when set): half mode, push-pull, dead time,
// delayed protection, chopper, burst mode, idle mode, fault inputs and states,
// external events and their filters, synchronization in/out, capture, counter
// reset sources (RSTxR), crossbar sources other than SST/SRT, PER and CMP1-4
// (RESYNC, master period/compares, timer events, external events, update), update
// by another timer (TxU, MSTU), update gating, delayed CMP2/CMP4, ADC triggers and
// their update sources, DAC synchronization, DMA requests and burst DMA.  Flags of
// those features (CPT1/2, DLYPRT, SYNC, FLTx, SYSFLT, BMPER, CPPSTAT, IPPSTAT,
// OxSTAT, ODSR) are never set.  A kernel clock change is taken at the next HRTIM
// access.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32Hrtim : public RegisterDevice {
public:
    static constexpr unsigned TIMERS = 5;     // timing units A-E: units 0-4
    static constexpr unsigned MASTER = 5;     // the master timer: unit 5
    static constexpr unsigned UNITS = 6;
    static constexpr unsigned OUTPUTS = 2;    // per timing unit

    explicit Stm32Hrtim(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void timer_fired(unsigned tag) override;
    void reset() override;
    void run_started() override; // the outputs drive their pins from the start

protected:
    void update_irq() override;

private:
    // Crossbar sources in SETxyR / RSTxyR bit positions.
    enum : uint32_t { SRC_SOFT = 1u << 0, SRC_PER = 1u << 2, SRC_CMP1 = 1u << 3, SRC_MODELLED = 0x7Du };
    // Flag bit positions shared by MISR and TIMxISR.
    enum : unsigned { F_CMP1 = 0, F_REP = 4, F_UPD = 6, F_SET1 = 9, F_RST1 = 10, F_RST = 13 };

    // The registers and fields of one counter (the master timer or a timing
    // unit), declared once in the constructor's table.
    struct UnitRegs {
        Register *cr = nullptr, *isr = nullptr, *dier = nullptr, *cnt = nullptr, *per = nullptr,
                 *rep = nullptr;
        std::array<Register *, 4> cmp{};
        std::array<Register *, OUTPUTS> set{}, rst{}; // timing units only
        FieldRef ckpsc, cont, retrig, preen, repu, rstu; // rstu: timing units only
        FieldRef cen;        // MCR.MCEN / TxCEN
        FieldRef udis;       // CR1.MUDIS / TxUDIS
        std::array<FieldRef, OUTPUTS> pol, idles, oen; // OUTxR, OENR (timing units only)
        uint32_t flag_mask = 0; // the ISR bits the model sets (and xDIER enables)
        IrqLine *irq = nullptr;
        std::array<IrqLine *, OUTPUTS> out{};
    };

    // All mutable state of one counter beyond the registers.
    struct Unit {
        bool running = false;     // counting (enabled, and not stopped after a single shot)
        uint64_t origin_ns = 0;   // time of tick 0 at the rate below
        uint64_t hz = 0;          // fHRTIM when counting started (or the rate last changed)
        uint32_t div = 1;         // 2^(CKPSC - 5): 1, 2, 4
        uint64_t base_tick = 0;   // the counter was base_cnt at this tick
        uint32_t base_cnt = 0;
        uint64_t checked = 0;     // events applied up to this tick (inclusive)
        uint32_t rep_cnt = 0;     // repetition counter at `checked`
        // Active (shadow) values of the preloadable registers.
        uint32_t per = 0xFFFF, rep = 0;
        std::array<uint32_t, 4> cmp{};
        std::array<uint32_t, OUTPUTS> set{}, rst{};
        std::array<bool, OUTPUTS> level{}; // crossbar output: active (true) / inactive
        // A crossbar output whose steady level differs from its level now and
        // that no waveform carries: its next event needs a deadline.
        std::array<bool, OUTPUTS> pending_edge{};
    };

    void declare_master();
    void declare_timer(unsigned t);
    void declare_common();
    void declare_counter_hooks(unsigned u); // CNT, PER, REP, CMPx of a counter
    static Register &mode_fields(Register &r, UnitRegs &x); // MCR / TIMxCR bits 5:0
    static std::string unit_name(unsigned u);
    void on_counter_write(unsigned u);      // xCR: rate, mode
    void on_enable_change(uint32_t old_mcr, uint32_t new_mcr, const std::string &core);

    // Time.
    uint64_t now() const;
    uint64_t clock_hz() const;
    uint32_t div_of(unsigned u) const;    // 2^(CKPSC - 5) (reserved codes: 1)
    uint64_t tick_at(const Unit &s, uint64_t t_ns) const;  // floor
    uint64_t time_of(const Unit &s, uint64_t tick) const;  // ceil: the first ns of that tick
    uint64_t ticks_ns(const Unit &s, uint64_t ticks) const; // a duration, rounded
    static uint64_t period(const Unit &s) { return s.per ? s.per : 1; }
    static uint32_t pos(const Unit &s, uint64_t n); // counter value after tick n
    static uint64_t next_pos_tick(const Unit &s, uint32_t p, uint64_t after);
    static uint64_t period_events(const Unit &s, uint64_t n0, uint64_t n1);
    uint64_t stop_tick(unsigned u) const;        // single shot: the period event that stops it
    uint64_t next_update_tick(unsigned u) const; // after `checked`
    bool update_pending(unsigned u) const;
    bool is_timer(unsigned u) const { return u < TIMERS; }

    // Events.
    template <class F> void for_each_event(const Unit &s, uint64_t n0, uint64_t n1, uint32_t sources, F &&f) const;
    static bool apply(bool level, uint32_t set_req, uint32_t rst_req);
    bool simulate(const Unit &s, bool level, uint64_t n0, uint64_t n1, uint32_t setm, uint32_t rstm) const;
    void process(unsigned u, uint64_t n0, uint64_t n1); // flags, repetitions and levels in (n0, n1]
    void catch_up(unsigned u);
    void catch_up_all();
    void transfer(unsigned u);                   // preload -> active (an update event)
    uint32_t counter_now(unsigned u) const;      // CNT after catch_up
    void set_counter(unsigned u, uint32_t cnt);  // re-anchor at `checked` with this value
    void start(unsigned u, const std::string &core);
    void stop(unsigned u);
    void software_reset(unsigned u, const std::string &core);
    void software_update(unsigned u);
    void software_output(unsigned t, unsigned o, bool set);
    void schedule(unsigned u);
    void schedule_all();

    // Outputs.
    Waveform output_wave(unsigned t, unsigned o); // the pin level of output Txy
    void update_outputs();
    void drive_outputs(); // update_outputs, and tell the pins even without a change

    std::string clock_ = "hrtim";
    mutable ClockId clock_id_ = -2; // -2: not resolved yet

    struct State {
        std::array<Unit, UNITS> unit{};
    } st_;

    std::array<UnitRegs, UNITS> u_{};
    IrqLine *flt_ = nullptr;
    Register *mcr_ = nullptr, *cr2_ = nullptr, *isr_ = nullptr, *ier_ = nullptr, *oenr_ = nullptr;
};

} // namespace ampvp
