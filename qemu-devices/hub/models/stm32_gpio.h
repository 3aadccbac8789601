// STM32H7 GPIO port (RM0399 Rev 4, "General-purpose I/Os (GPIO)", GPIO
// registers).
//
// Modelled: MODER, OTYPER, OSPEEDR, PUPDR with per-port reset values (params
// "reset.moder", "reset.ospeedr", "reset.pupdr"; default all analog, 0, 0:
// RM0399's ports A and B and RM0436's ports differ, the machine says); ODR; BSRR (bits 0-15 set, 16-31 reset, set
// wins when both are written); IDR reads the output level for output pins
// and the input level (driven through input(n), e.g. a board button; else
// the pull: pull-up 1, otherwise 0) for the others; AFRL/AFRH stored.
// Outputs "pin0".."pin15": each pin's level as IDR reads it (LEDs on output
// pins; SYSCFG's EXTI multiplexer on every pin).  "--trace gpio" shows every
// pin change with the core (or "hub" for an input) that caused it.
// Not modelled (stored, logged once when set): LCKR locking, alternate
// function routing (the peripheral behind AF is not connected to the pin),
// analog mode, open-drain contention.
// Register access goes through handles kept at declaration (Register * and
// FieldRef members): no access path looks a register or field up by name.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32Gpio : public RegisterDevice {
public:
    explicit Stm32Gpio(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void input(unsigned pin, bool level) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;

protected:
    void update_irq() override;

private:
    uint32_t outputs() const; // pins in general-purpose output mode, bit y = pin y
    uint32_t idr() const;
    uint32_t ext_driven_ = 0; // pins driven from outside (input()), bit y = pin y
    uint32_t ext_level_ = 0;  // their levels
    std::array<IrqLine *, 16> pins_{};
    uint32_t last_idr_ = 0;       // the level each pin output carries
    std::string port_ = "?";      // port letter for names like PB0
    static const std::string hub_;
    const std::string *changed_by_ = &hub_; // the core whose write is being handled

    // Declared once in the constructor's RM table.  MODER, OSPEEDR and PUPDR
    // have per-port reset values (configure()).
    Register *moder_ = nullptr, *ospeedr_ = nullptr, *pupdr_ = nullptr;
    FieldRef mode_, pupd_, od_, bs_, br_;
};

} // namespace ampvp
