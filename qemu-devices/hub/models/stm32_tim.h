// STM32H7 timers TIM1-TIM8 as time bases (RM0399 Rev 4, "Basic timers
// (TIM6/TIM7)", "General-purpose timers (TIM2 to TIM5)", "Advanced-control
// timers (TIM1/TIM8)").
//
// Modelled: the up-counting time base.  CR1.CEN starts the counter, which
// counts at TIMxCLK / (PSC + 1) (TIMxCLK from the RCC, params "clock":
// "tim_apb1" or "tim_apb2") from 0 to ARR; each overflow is an update event:
// SR.UIF is set (unless CR1.UDIS) and, with DIER.UIE, the interrupt line is
// high until software clears UIF (SR is rc_w0: writing 0 clears).  EGR.UG
// re-initialises the counter and loads PSC/ARR; it sets UIF unless CR1.URS.
// PSC is always buffered (takes effect at the next update); ARR is buffered
// when CR1.ARPE is set.  CR1.OPM stops the counter at the update.  CNT
// reads the counter derived from the hub's clock (host time).
// Not modelled (stored, logged once when set): down/center-aligned
// counting, capture/compare channels and outputs, DMA, slave modes, break,
// repetition counter, dithering.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Tim : public RegisterDevice {
public:
    explicit Stm32Tim(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void timer_fired(unsigned tag) override;
    void reset() override;


protected:
    void update_irq() override;

private:
    uint64_t tick_ns() const;          // one counter tick at the active prescaler
    uint32_t counter() const;          // current CNT
    void restart(uint32_t from);       // re-anchor counting at CNT = from, now
    void update_event(bool software);  // reload shadows, UIF
    void schedule_next();

    std::string clock_ = "tim_apb1";
    mutable ClockId clock_id_ = -2; // -2: not resolved yet (the clock model is known after configure)
    uint32_t psc_active_ = 0, arr_active_ = 0xFFFF;
    uint64_t anchor_ns_ = 0;   // time at which the counter was anchor_cnt_
    uint32_t anchor_cnt_ = 0;
    IrqLine &irq_;

    // Registers the behaviour touches, and the fields it uses (RM0399 names),
    // declared once in the constructor's table.
    Register *egr_ = nullptr, *cnt_ = nullptr, *arr_ = nullptr;
    FieldRef cen_, udis_, urs_, opm_, arpe_; // CR1
    FieldRef uie_;                           // DIER
    FieldRef uif_;                           // SR
    FieldRef ug_;                            // EGR
    FieldRef psc_;                           // PSC
};

} // namespace ampvp
