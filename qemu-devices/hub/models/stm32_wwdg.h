// STM32H7 system window watchdog WWDG1 / WWDG2 (RM0399 Rev 4, chapter
// "System window watchdog (WWDG)").
//
// Modelled:
//  - CR.WDGA (set-only: only a reset clears it) starts the 7-bit down-counter
//    T[6:0], which decrements every 4096 x 2^WDGTB cycles of its PCLK (params
//    "clock": "pclk3" for WWDG1 on APB3, "pclk1" for WWDG2 on APB1, asked of
//    the RCC).
//  - Reset (output "rst" pulses, to the RCC: a system or CPU reset per
//    RCC_GCR.WWxRSC, with WWDGxRSTF) when the counter rolls from 0x40 to 0x3F
//    (T6 becomes 0), when software writes CR with T6 = 0, or when it writes
//    CR (a refresh) while the counter is above the window CFR.W.
//  - Early wake-up: SR.EWIF is set when the counter reaches 0x40; with
//    CFR.EWI (set-only) the output "ewi" is high while EWIF is set (NVIC
//    WWDG_IRQn of the watchdog's CPU); EWIF is rc_w0.
//  - Device::reset (system reset): stopped, reset values.  Input 0 (a
//    pulse) is the reset of the watchdog's own domain without a system reset
//    (STM32MP15: WWDG1 is reset with the MCU, RCC output "mcu_rst"): the same.
// Not modelled: the freeze in debug (DBGMCU), the counter of a watchdog not
// yet enabled (CR.T reads what was written).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Wwdg : public RegisterDevice {
public:
    explicit Stm32Wwdg(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    void timer_fired(unsigned tag) override;
    void input(unsigned n, bool level) override;

protected:
    void update_irq() override;

private:
    enum : unsigned { TAG_EWI = 1, TAG_RESET = 2 };
    uint64_t now() const;
    uint64_t tick_ns() const;
    uint32_t counter() const;
    void load(uint32_t t); // the counter takes T now
    void fire_reset(const std::string &why);

    std::string clock_ = "pclk1";
    mutable ClockId clock_id_ = -2;
    uint64_t load_ns_ = 0;
    uint32_t load_val_ = 0x7F;
    uint64_t tick_ns_ = 0; // at the last load
    bool reset_sent_ = false;
    IrqLine *rst_, *ewi_;
    Register *cr_ = nullptr;
    FieldRef t_, wdga_, w_, ewi_f_, wdgtb_, ewif_;
};

} // namespace ampvp
