#include "stm32_gpio.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

Stm32Gpio::Stm32Gpio(const std::string &name) : RegisterDevice(name)
{
    for (unsigned p = 0; p < 16; p++) {
        pins_[p] = &add_irq("pin" + std::to_string(p));
    }
    ext_.fill(-1);
    auto &r = regs_;
    // Reset values for ports C..K; configure() sets A and B's (RM0399).
    r.reg("MODER", 0x00, 0xFFFFFFFF).field("MODE", 0, 32, Acc::RW);
    r.reg("OTYPER", 0x04, 0).field("OT", 0, 16, Acc::RW);
    r.reg("OSPEEDR", 0x08, 0).field("OSPEED", 0, 32, Acc::RW);
    r.reg("PUPDR", 0x0C, 0).field("PUPD", 0, 32, Acc::RW);
    r.reg("IDR", 0x10, 0).field("ID", 0, 16, Acc::RO).on_read([this](BusAccess &, uint32_t) { return idr(); });
    r.reg("ODR", 0x14, 0).field("OD", 0, 16, Acc::RW);
    r.reg("BSRR", 0x18, 0)
        .field("BS", 0, 16, Acc::WO)
        .field("BR", 16, 16, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            // RM0399: BSy sets ODRy, BRy resets it; BS has priority.
            Register &odr = regs_["ODR"];
            odr.value = (odr.value & ~(now >> 16)) | (now & 0xFFFFu);
            regs_["BSRR"].value = 0;
        });
    r.reg("LCKR", 0x1C, 0).unimpl("LCK", 0, 16).unimpl("LCKK", 16, 1);
    r.reg("AFRL", 0x20, 0).field("AFSEL", 0, 32, Acc::RW);
    r.reg("AFRH", 0x24, 0).field("AFSEL", 0, 32, Acc::RW);
}

void Stm32Gpio::configure(const std::map<std::string, std::string> &params,
                          const std::vector<std::string> &)
{
    auto it = params.find("port");
    const std::string port = it == params.end() ? "" : it->second;
    port_ = port.empty() ? name() + "." : port;
    // RM0399 reset values differ for ports A and B (debug pins).
    struct Reset { uint32_t moder, ospeedr, pupdr; };
    Reset rv{0xFFFFFFFF, 0, 0};
    if (port == "A") {
        rv = {0xABFFFFFF, 0x0C000000, 0x64000000};
    } else if (port == "B") {
        rv = {0xFFFFFEBF, 0x000000C0, 0x00000100};
    }
    regs_["MODER"].set_reset(rv.moder);
    regs_["OSPEEDR"].set_reset(rv.ospeedr);
    regs_["PUPDR"].set_reset(rv.pupdr);
}

void Stm32Gpio::reset()
{
    RegisterDevice::reset();
    ext_.fill(-1);
}

bool Stm32Gpio::is_output(unsigned pin) const
{
    return ((regs_["MODER"].value >> (2 * pin)) & 3u) == 1u;
}

uint32_t Stm32Gpio::idr() const
{
    const uint32_t odr = regs_["ODR"].value, pupd = regs_["PUPDR"].value;
    uint32_t v = 0;
    for (unsigned p = 0; p < 16; p++) {
        bool level;
        if (is_output(p)) {
            level = odr & (1u << p);
        } else if (ext_[p] >= 0) {
            level = ext_[p];
        } else {
            level = ((pupd >> (2 * p)) & 3u) == 1u; // pull-up
        }
        v |= static_cast<uint32_t>(level) << p;
    }
    return v;
}

void Stm32Gpio::input(unsigned pin, bool level)
{
    if (pin < 16) {
        ext_[pin] = level;
        update_irq();
    }
}

void Stm32Gpio::write(BusAccess &a, uint32_t value)
{
    changed_by_ = a.core_name;
    RegisterDevice::write(a, value);
    changed_by_ = "hub";
}

void Stm32Gpio::update_irq()
{
    // Each pin output carries the pin's level as IDR shows it: the driven
    // level of an output, the external or pulled level of an input.  The
    // EXTI multiplexer samples the pins whatever their mode (RM0399, EXTI
    // "GPIO as wake-up / interrupt source" via SYSCFG_EXTICRx).
    const uint32_t v = idr();
    const uint32_t changed = (v ^ last_idr_) & 0xFFFFu;
    last_idr_ = v;
    for (unsigned p = 0; p < 16; p++) {
        if ((changed & (1u << p)) && log().tracing("gpio")) {
            AMPVP_TRACE("gpio", changed_by_,
                        "P" + port_ + std::to_string(p) + " = " +
                            ((v >> p) & 1u ? "1" : "0") + (is_output(p) ? " (output)" : " (input)"));
        }
        pins_[p]->set(v & (1u << p));
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32-gpio", ampvp::Stm32Gpio)
