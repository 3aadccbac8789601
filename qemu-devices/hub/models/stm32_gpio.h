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
// Alternate functions (RM0399 "I/O alternate function input/output", AFRL/
// AFRH): input 16 * (1 + k) + y is the signal peripheral function AFk drives
// on pin y (a timer channel: TIM1_CH1 is AF1 of PE9, input 41).  A pin in
// alternate function mode (MODEy = 10) with AFSELy = k carries that signal,
// which may be a waveform (a PWM): then output "piny" carries the waveform
// (an LED shows "pwm 50% 1 kHz"), IDR reads its level at the time of the
// read, and "--trace gpio" prints it once per change.  An AF pin no
// peripheral drives reads like an input (external level, else its pull).
// Outputs "piny.afk" (y = 0..15, k = 0..15): the level of pin y as alternate
// function k's input sees it (a timer's input capture): the pin's level
// while MODEy = 10 and AFSELy = k, else 0.
// An analog pin (MODEy = 11) reads 0 and its pull is disconnected (RM0399
// "Analog configuration"); its voltage is AnalogPins' business.
// Not modelled (stored, logged once when set): LCKR locking, open-drain
// contention.
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
    // n < 16: pin n driven from outside; 16 * (1 + k) + y: AF k's signal on pin y.
    void input(unsigned n, bool level) override;
    void input_wave(unsigned n, const Waveform &w) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;

protected:
    void update_irq() override;

private:
    uint32_t outputs() const; // pins in general-purpose output mode, bit y = pin y
    uint32_t af_pins() const; // pins in alternate function mode
    unsigned afsel(unsigned pin) const;
    // The waveform on an AF pin its selected function drives; nullptr if none.
    const Waveform *af_drive(unsigned pin) const;
    uint32_t idr() const;
    uint64_t now() const;
    uint32_t ext_driven_ = 0; // pins driven from outside (input()), bit y = pin y
    uint32_t ext_level_ = 0;  // their levels
    std::array<IrqLine *, 16> pins_{};
    std::array<std::array<IrqLine *, 16>, 16> af_in_{}; // [pin][af]: "piny.afk"
    std::array<int, 16> af_in_sel_{};  // the AF whose "piny.afk" is not 0 (-1: none)
    // Signals the alternate functions drive: [af][pin]; bit af*16+pin in af_driven_.
    std::array<std::array<Waveform, 16>, 16> af_wave_{};
    std::array<uint16_t, 16> af_driven_{}; // per af: pins it drives
    std::array<Waveform, 16> last_wave_{}; // what each pin output carries
    uint32_t last_idr_ = 0;       // the level each pin output carries
    std::string port_ = "?";      // port letter for names like PB0
    static const std::string hub_;
    const std::string *changed_by_ = &hub_; // the core whose write is being handled

    // Declared once in the constructor's RM table.  MODER, OSPEEDR and PUPDR
    // have per-port reset values (configure()).
    Register *moder_ = nullptr, *ospeedr_ = nullptr, *pupdr_ = nullptr;
    FieldRef mode_, pupd_, od_, bs_, br_;
    FieldRef afrl_, afrh_;
};

} // namespace ampvp
