// STM32H7 timers TIM1-TIM8 (RM0399 Rev 4, "Basic timers (TIM6/TIM7)",
// "General-purpose timers (TIM2 to TIM5)", "Advanced-control timers
// (TIM1/TIM8)": time-base unit, capture/compare channels, input capture mode,
// output compare mode, PWM mode, complementary outputs, master mode (TRGO)).
// The register sequences are those of ST's HAL (stm32h7xx_hal_tim.c:
// TIM_Base_SetConfig, HAL_TIM_PWM_ConfigChannel / TIM_OCx_SetConfig,
// HAL_TIM_PWM_Start (TIM_CCxChannelCmd, BDTR.MOE), HAL_TIM_IC_ConfigChannel /
// TIM_TIx_SetConfig, HAL_TIM_IC_Start_IT, HAL_TIM_IRQHandler,
// HAL_TIMEx_MasterConfigSynchronization).
//
// Time base: CR1.CEN starts the counter, which counts up at TIMxCLK / (PSC + 1)
// (TIMxCLK from the RCC, params "clock": "tim_apb1" or "tim_apb2") from 0 to
// ARR; each overflow is an update event: the shadow registers load (PSC
// always; ARR with CR1.ARPE; CCRx with CCMRx.OCxPE), SR.UIF is set (unless
// CR1.UDIS).  EGR.UG re-initialises the counter and loads the shadows; it sets
// UIF unless CR1.URS.  CR1.OPM stops the counter at the update.  CNT reads the
// counter derived from the hub's clock.  Updates are computed when the timer is
// accessed; a deadline is scheduled only when something must happen at the
// update itself (UIE, OPM, TRGO on update, a match interrupt).
//
// Capture/compare channels 1-4 (CCMR1/CCMR2 CCxS selects the direction):
//  - Output (CCxS = 00): OCxREF from OCxM (4 bits with OCxM[3]): frozen,
//    active / inactive on match, toggle on match, forced inactive / active,
//    PWM mode 1 (OCxREF high while CNT < CCRx) and PWM mode 2 (the inverse);
//    CCRx > ARR gives 100 %, CCRx = 0 gives 0 % in mode 1.  CCxIF is set at
//    each match CNT = CCRx (interrupt with CCxIE).  The channel output OCx =
//    OCxREF xor CCxP while CCxE = 1 (and, on timers with a break function,
//    params "advanced": "1", BDTR.MOE = 1; MOE = 0 with OSSI = 1 gives the
//    idle level CR2.OISx), else 0; the complementary output OCxN (channels
//    1-3 of advanced timers) = not OCxREF xor CCxNP while CCxNE = 1 and MOE.
//    Outputs "ch1".."ch4", "ch1n".."ch3n" carry them as waveforms (a PWM is
//    one periodic signal, not one message per edge) to the GPIO pins whose
//    alternate function they are (machine description).
//  - Input (CCxS = 01: ICx from TIx; 10: from the neighbour TI2/TI1/TI4/TI3):
//    numbered inputs 0-3 are TI1-TI4 (the pins' "piny.afk" outputs); an edge
//    of the polarity CCxNP/CCxP selects (00 rising, 01 falling, 11 both)
//    counts towards the prescaler ICxPSC (every 1, 2, 4, 8 events) and then
//    captures CNT into CCRx and sets CCxIF, or CCxOF if CCxIF was still set.
//    CCRx is read-only in input mode.  CCxS is writable only while CCxE = 0.
//  - EGR.CCxG: a capture (input) or CCxIF (output) by software.
// Master mode (CR2.MMS): 000 reset (UG) and 010 update pulse output "trgo"
// (an ADC's or DAC's external trigger), 001 enable gives CEN as a level,
// 100-111 OC1REF-OC4REF as a waveform.
// Interrupt outputs: "irq" (the OR of every enabled source: TIM2-TIM7),
// "up" (UIF & UIE), "cc" (CCxIF & CCxIE): TIM1/TIM8's separate update and
// capture/compare vectors.  "--trace tim" shows the output waveforms and the
// captures.
// DMA requests (RM0399 TIMx_DIER UDE/CCxDE, TIMx_CR2 CCDS, "TIMx DMA
// requests"): an update event that would set UIF (UG only with URS = 0, none
// with UDIS) raises the update request with DIER.UDE; a capture/compare event
// (a match on an output channel, a capture, EGR.CCxG) raises the CCx request
// with CCxDE when CR2.CCDS = 0, and with CCDS = 1 the CCx requests come at the
// update event instead.  A request is a level on output "dma_up" /
// "dma_cc1".."dma_cc4" (to DMAMUX1's request lines, machine description) held
// until the DMA acknowledges it (inputs 4: update, 5-8: CC1-CC4, pulses from
// DMAMUX1's "req_ack<n>") or its enable bit is cleared; events while it is
// held make no second request.  A DMA writing CCRx this way changes the duty
// cycle at the next update event (with OCxPE), so the channel's waveform
// changes period by period.
// Not modelled (stored, logged once when set): down and center-aligned
// counting, the repetition counter, slave modes and triggers (SMCR), dead
// time, break inputs, OCxREF clear, channels 5 and 6, the COM and trigger DMA
// requests (COMDE, TDE) and DMA bursts (DCR/DMAR), input filters (ICxF
// stored, no effect), combined and asymmetric PWM modes, TRGO2, MMS 011
// (compare pulse).
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32Tim : public RegisterDevice {
public:
    static constexpr unsigned CHANNELS = 4;

    explicit Stm32Tim(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void timer_fired(unsigned tag) override;
    void reset() override;
    // Inputs 0-3: TI1-TI4 (levels); ACK_UP, ACK_CC + x: the DMA's
    // acknowledge of the update / CCx+1 request (pulses).
    static constexpr unsigned ACK_UP = 4, ACK_CC = 5;
    void input(unsigned n, bool level) override;

protected:
    void update_irq() override;

private:
    enum : unsigned { TAG_UPDATE = 0, TAG_MATCH = 1 }; // TAG_MATCH + channel
    enum : uint32_t {
        OCM_FROZEN = 0, OCM_ACTIVE = 1, OCM_INACTIVE = 2, OCM_TOGGLE = 3,
        OCM_FORCE_LOW = 4, OCM_FORCE_HIGH = 5, OCM_PWM1 = 6, OCM_PWM2 = 7,
    };
    enum : uint32_t { CCS_OUTPUT = 0, CCS_TI_DIRECT = 1, CCS_TI_CROSS = 2, CCS_TRC = 3 };
    enum : uint32_t { MMS_RESET = 0, MMS_ENABLE = 1, MMS_UPDATE = 2, MMS_OC1REF = 4 };

    uint64_t clock_hz() const;
    uint64_t tick_ps() const;          // one counter tick at the active prescaler, in ps
    uint64_t ticks_ns(uint64_t ticks) const; // ticks at the active prescaler, exactly rounded
    uint64_t now() const;
    uint32_t counter() const;          // current CNT (after catch_up)
    uint64_t next_overflow_ns() const;
    void restart(uint32_t from);       // re-anchor counting at CNT = from, now
    void update_event(bool software);  // reload shadows, UIF, TRGO
    void catch_up();                   // apply every update and match up to now
    void check_matches(uint64_t from, uint64_t to);
    uint64_t next_match_ns(unsigned ch, uint64_t after) const; // 0: none
    bool needs_update_events() const;
    void schedule();
    void capture(unsigned ch);
    void cc_event(unsigned ch); // CCxIF and, with CCDS = 0, the CCx DMA request
    uint32_t dma_enabled() const; // DIER's DMA enables as request bits
    void on_edge(unsigned ti, bool rising);

    // Channel views of CCMR1/CCMR2.
    uint32_t ccs(unsigned ch) const;
    uint32_t ocm(unsigned ch) const;
    bool ocpe(unsigned ch) const;
    uint32_t icpsc(unsigned ch) const;
    Waveform ref_wave(unsigned ch) const; // OCxREF
    void update_outputs();

    std::string clock_ = "tim_apb1";
    mutable ClockId clock_id_ = -2; // -2: not resolved yet (the clock model is known after configure)
    bool advanced_ = false;         // params "advanced": a break function (BDTR.MOE gates the outputs)

    // All mutable state beyond the registers.
    struct State {
        uint32_t psc_active = 0, arr_active = 0xFFFF;
        std::array<uint32_t, CHANNELS> ccr_active{};
        uint64_t anchor_ns = 0;   // time at which the counter was anchor_cnt
        uint32_t anchor_cnt = 0;
        uint64_t matches_checked_ns = 0; // CCxIF of output channels known up to here
        std::array<bool, CHANNELS> ref{};   // OCxREF level of non-periodic modes
        std::array<uint64_t, CHANNELS> toggle_start{}; // toggle mode: the first toggle
        std::array<bool, CHANNELS> ti{};    // TIx input levels
        std::array<unsigned, CHANNELS> ic_events{}; // edges towards the IC prescaler
        uint32_t dreq = 0; // DMA requests held: bit 0 update, bit 1 + x channel x + 1
    } st_;

    IrqLine &irq_, &up_, &cc_, &trgo_;
    std::array<IrqLine *, CHANNELS> ch_out_{};
    std::array<IrqLine *, 3> chn_out_{};
    IrqLine *dma_up_ = nullptr;
    std::array<IrqLine *, CHANNELS> dma_cc_{};

    // Registers the behaviour touches, and the fields it uses (RM0399 names),
    // declared once in the constructor's table.
    Register *cr2_ = nullptr, *egr_ = nullptr, *cnt_ = nullptr, *arr_ = nullptr, *sr_ = nullptr,
             *ccer_ = nullptr;
    std::array<Register *, 2> ccmr_{};
    std::array<Register *, CHANNELS> ccr_{};
    FieldRef cen_, udis_, urs_, opm_, arpe_;      // CR1
    FieldRef ccds_, mms_;                         // CR2
    std::array<FieldRef, CHANNELS> ois_{};        // CR2 OISx
    FieldRef uie_, ude_;                          // DIER
    std::array<FieldRef, CHANNELS> ccie_{}, ccde_{}; // DIER CCxIE, CCxDE
    FieldRef uif_;                                // SR
    std::array<FieldRef, CHANNELS> ccif_{}, ccof_{}; // SR
    FieldRef ug_;                                 // EGR
    std::array<FieldRef, CHANNELS> ccg_{};        // EGR
    std::array<FieldRef, CHANNELS> cce_{}, ccp_{}, ccne_{}, ccnp_{}; // CCER
    FieldRef psc_;                                // PSC
    FieldRef moe_, ossi_;                         // BDTR
};

} // namespace ampvp
