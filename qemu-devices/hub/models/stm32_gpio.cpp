#include "stm32_gpio.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

namespace {
// RM0399 MODER and PUPDR: two bits per pin, MODEy / PUPDy at bits 2y+1:2y.
// The table keeps each register as the RM's one vector field (MODE, PUPD);
// this is the one place that splits such a vector into pins.
constexpr uint32_t kModeOutput = 1; // MODEy = 01: general-purpose output
constexpr uint32_t kModeAf = 2;     // MODEy = 10: alternate function
constexpr uint32_t kModeAnalog = 3; // MODEy = 11: analog
constexpr uint32_t kPullUp = 1;     // PUPDy = 01: pull-up

// Bit y set for each pin y whose 2-bit field in `v` equals `code`: mark the
// matching pairs at their even bit 2y, then squeeze the even bits together.
uint32_t pins_with(uint32_t v, uint32_t code)
{
    const uint32_t same = ~(v ^ (code * 0x55555555u)); // both bits of a pair equal `code`'s
    uint32_t x = same & (same >> 1) & 0x55555555u;
    x = (x | (x >> 1)) & 0x33333333u;
    x = (x | (x >> 2)) & 0x0F0F0F0Fu;
    x = (x | (x >> 4)) & 0x00FF00FFu;
    return (x | (x >> 8)) & 0x0000FFFFu;
}
} // namespace

const std::string Stm32Gpio::hub_ = "hub";

Stm32Gpio::Stm32Gpio(const std::string &name) : RegisterDevice(name)
{
    for (unsigned p = 0; p < 16; p++) {
        pins_[p] = &add_irq("pin" + std::to_string(p));
    }
    for (unsigned p = 0; p < 16; p++) {
        for (unsigned k = 0; k < 16; k++) {
            af_in_[p][k] = &add_irq("pin" + std::to_string(p) + ".af" + std::to_string(k));
        }
    }
    af_in_sel_.fill(-1);
    auto &r = regs_;
    // Reset values for ports C..K; configure() sets A and B's (RM0399).
    moder_ = &r.reg("MODER", 0x00, 0xFFFFFFFF).field("MODE", 0, 32, Acc::RW, &mode_);
    r.reg("OTYPER", 0x04, 0).field("OT", 0, 16, Acc::RW);
    ospeedr_ = &r.reg("OSPEEDR", 0x08, 0).field("OSPEED", 0, 32, Acc::RW);
    pupdr_ = &r.reg("PUPDR", 0x0C, 0).field("PUPD", 0, 32, Acc::RW, &pupd_);
    r.reg("IDR", 0x10, 0).field("ID", 0, 16, Acc::RO).on_read([this](BusAccess &, uint32_t) { return idr(); });
    r.reg("ODR", 0x14, 0).field("OD", 0, 16, Acc::RW, &od_);
    r.reg("BSRR", 0x18, 0)
        .field("BS", 0, 16, Acc::WO, &bs_)
        .field("BR", 16, 16, Acc::WO, &br_)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) {
            // RM0399: BSy sets ODRy, BRy resets it; BS has priority.
            od_.set((od_.get() & ~br_.get()) | bs_.get());
            bs_.set(0);
            br_.set(0);
        });
    r.reg("LCKR", 0x1C, 0).unimpl("LCK", 0, 16).unimpl("LCKK", 16, 1);
    // AFSELy: four bits per pin, pins 0-7 in AFRL, 8-15 in AFRH.
    r.reg("AFRL", 0x20, 0).field("AFSEL", 0, 32, Acc::RW, &afrl_);
    r.reg("AFRH", 0x24, 0).field("AFSEL", 0, 32, Acc::RW, &afrh_);
}

void Stm32Gpio::configure(const std::map<std::string, std::string> &params,
                          const std::vector<std::string> &)
{
    auto it = params.find("port");
    const std::string port = it == params.end() ? "" : it->second;
    port_ = port.empty() ? name() + "." : port;
    // Reset values differ from port to port on some parts (RM0399: ports A
    // and B hold the debug pins): the machine description states them.
    struct Reset { uint32_t moder, ospeedr, pupdr; };
    auto value = [&](const char *key, uint32_t dflt) {
        auto p = params.find(key);
        return p == params.end() ? dflt : static_cast<uint32_t>(parse_size(p->second));
    };
    const Reset rv{value("reset.moder", 0xFFFFFFFF), value("reset.ospeedr", 0), value("reset.pupdr", 0)};
    moder_->set_reset(rv.moder);
    ospeedr_->set_reset(rv.ospeedr);
    pupdr_->set_reset(rv.pupdr);
}

void Stm32Gpio::reset()
{
    ext_driven_ = ext_level_ = 0; // before the outputs are recomputed
    RegisterDevice::reset();
}

uint32_t Stm32Gpio::outputs() const { return pins_with(mode_.get(), kModeOutput); }
uint32_t Stm32Gpio::af_pins() const { return pins_with(mode_.get(), kModeAf); }

unsigned Stm32Gpio::afsel(unsigned pin) const
{
    return pin < 8 ? (afrl_.get() >> (4 * pin)) & 0xFu : (afrh_.get() >> (4 * (pin - 8))) & 0xFu;
}

const Waveform *Stm32Gpio::af_drive(unsigned pin) const
{
    if (!((af_pins() >> pin) & 1u)) {
        return nullptr;
    }
    const unsigned k = afsel(pin);
    return (af_driven_[k] >> pin) & 1u ? &af_wave_[k][pin] : nullptr;
}

uint64_t Stm32Gpio::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint32_t Stm32Gpio::idr() const
{
    // An output pin reads its driven level; a pin an alternate function
    // drives that function's level now; an input the level driven from
    // outside, else its pull (pull-up 1, otherwise 0).  RM0399/RM0436
    // "Analog configuration": the Schmitt trigger output is forced to 0 and
    // the pull-up/pull-down are disabled: an analog pin reads 0.
    const uint32_t out = outputs();
    const uint32_t in = ((ext_driven_ & ext_level_) | (~ext_driven_ & pins_with(pupd_.get(), kPullUp))) &
                        ~pins_with(mode_.get(), kModeAnalog);
    uint32_t v = ((od_.get() & out) | (in & ~out)) & 0xFFFFu;
    for (uint32_t af = af_pins(); af; af &= af - 1) {
        const unsigned p = static_cast<unsigned>(__builtin_ctz(af));
        if (const Waveform *w = af_drive(p)) {
            v = w->level_at(now()) ? v | (1u << p) : v & ~(1u << p);
        }
    }
    return v;
}

void Stm32Gpio::input(unsigned n, bool level)
{
    input_wave(n, Waveform::constant(level));
}

void Stm32Gpio::input_wave(unsigned n, const Waveform &w)
{
    if (n < 16) {
        const uint32_t bit = 1u << n;
        ext_driven_ |= bit;
        ext_level_ = w.level_at(now()) ? ext_level_ | bit : ext_level_ & ~bit;
        update_irq();
        return;
    }
    const unsigned k = n / 16 - 1, p = n % 16;
    if (k >= 16) {
        return;
    }
    af_wave_[k][p] = w.normalized();
    af_driven_[k] = static_cast<uint16_t>(af_driven_[k] | (1u << p));
    update_irq();
}

void Stm32Gpio::write(BusAccess &a, uint32_t value)
{
    changed_by_ = &a.core_name;
    RegisterDevice::write(a, value);
    changed_by_ = &hub_;
}

void Stm32Gpio::update_irq()
{
    // Each pin output carries the pin's level as IDR shows it: the driven
    // level of an output, the external or pulled level of an input.  The
    // EXTI multiplexer samples the pins whatever their mode (RM0399, EXTI
    // "GPIO as wake-up / interrupt source" via SYSCFG_EXTICRx).  A line only
    // changes with last_idr_, so only the changed pins are driven.
    // A pin an alternate function drives carries that function's waveform.
    const uint32_t v = idr();
    uint32_t changed = v ^ last_idr_;
    last_idr_ = v;
    uint32_t periodic = 0;
    for (uint32_t af = af_pins(); af; af &= af - 1) {
        const unsigned p = static_cast<unsigned>(__builtin_ctz(af));
        const Waveform *w = af_drive(p);
        if (w && w->periodic()) {
            periodic |= 1u << p;
        }
    }
    for (unsigned p = 0; p < 16; p++) {
        const uint32_t bit = 1u << p;
        Waveform w;
        if (periodic & bit) {
            w = *af_drive(p);
            w.level = (v & bit) != 0;
        } else if ((changed & bit) || last_wave_[p].periodic()) {
            w = Waveform::constant((v & bit) != 0);
        } else {
            continue;
        }
        if (w == last_wave_[p] && (w.periodic() || w.level == last_wave_[p].level)) {
            continue; // the same signal (a periodic one's level moves with time)
        }
        last_wave_[p] = w;
        const char *how = (outputs() & bit) ? " (output)"
                          : (af_pins() & bit) ? nullptr
                                              : " (input)";
        AMPVP_TRACE("gpio", *changed_by_,
                    "P" + port_ + std::to_string(p) + " = " + w.describe() +
                        (how ? std::string(how) : " (AF" + std::to_string(afsel(p)) + ")"));
        pins_[p]->set_wave(w);
    }
    // What each alternate function input sees: the pin's level (or waveform)
    // on the selected AF of a pin in AF mode, 0 elsewhere.
    for (unsigned p = 0; p < 16; p++) {
        const int sel = (af_pins() >> p) & 1u ? static_cast<int>(afsel(p)) : -1;
        if (af_in_sel_[p] >= 0 && af_in_sel_[p] != sel) {
            af_in_[p][af_in_sel_[p]]->set(false);
        }
        af_in_sel_[p] = sel;
        if (sel >= 0) {
            af_in_[p][sel]->set_wave(last_wave_[p]);
        }
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32-gpio", ampvp::Stm32Gpio)
