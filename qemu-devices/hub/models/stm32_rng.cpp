#include "stm32_rng.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

namespace ampvp {

namespace {
constexpr unsigned kCyclesPerNumber = 216; // RNG clock cycles per 32-bit number
constexpr uint64_t kDefaultRngHz = 48000000;
} // namespace

Stm32Rng::Stm32Rng(const std::string &name) : RegisterDevice(name), irq_(add_irq("irq"))
{
    auto &r = regs_;
    r.reg("CR", 0x00, 0)
        .field("RNGEN", 2, 1, Acc::RW, &rngen_)
        .field("IE", 3, 1, Acc::RW, &ie_)
        .field("CED", 5, 1, Acc::RW, &ced_)
        .unimpl("ARDIS", 7, 1)
        .unimpl("RNG_CONFIG3", 8, 4)
        .unimpl("NISTC", 12, 1)
        .unimpl("RNG_CONFIG2", 13, 3)
        .unimpl("CLKDIV", 16, 4)
        .unimpl("RNG_CONFIG1", 20, 6)
        .field("CONDRST", 30, 1, Acc::RW)
        .unimpl("CONFIGLOCK", 31, 1)
        .post_write([this](BusAccess &, uint32_t old, uint32_t now_v, uint32_t) {
            if (rngen_.in(now_v) && !rngen_.in(old)) {
                start_next();
            } else if (!rngen_.in(now_v) && rngen_.in(old)) {
                drdy_.set(0);
                if (ctx_.scheduler) {
                    ctx_.scheduler->schedule(this, 0, 0);
                }
            }
        });
    r.reg("SR", 0x04, 0)
        .field("DRDY", 0, 1, Acc::RO, &drdy_)
        .field("CECS", 1, 1, Acc::RO, &cecs_)
        .field("SECS", 2, 1, Acc::RO, &secs_)
        .field("CEIS", 5, 1, Acc::W0C, &ceis_)
        .field("SEIS", 6, 1, Acc::W0C, &seis_);
    dr_ = &r.reg("DR", 0x08, 0)
               .field("RNDATA", 0, 32, Acc::RO)
               .on_read([this](BusAccess &, uint32_t) -> uint32_t {
                   // RM0399: reading DR takes the number; DRDY is set again once
                   // the next one is ready.
                   if (!drdy_.on()) {
                       return 0;
                   }
                   const uint32_t v = st_.ready_value;
                   drdy_.set(0);
                   start_next();
                   return v;
               });
    r.reg("HTCR", 0x10, 0x000072AC).unimpl("HTCFG", 0, 32);
}

void Stm32Rng::configure(const std::map<std::string, std::string> &params,
                         const std::vector<std::string> &)
{
    auto it = params.find("seed");
    if (it != params.end()) {
        seed_ = parse_size(it->second);
    }
    st_.prng = seed_;
}

void Stm32Rng::reset()
{
    st_ = State{};
    st_.prng = seed_;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
    RegisterDevice::reset();
}

uint64_t Stm32Rng::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Rng::cycle_ns(unsigned cycles) const
{
    if (ctx_.clock_source && clock_id_ == -2) {
        clock_id_ = ctx_.clock_source->clock_id("rng");
    }
    uint64_t f = ctx_.clock_source ? ctx_.clock_source->hz(clock_id_) : 0;
    f = f ? f : kDefaultRngHz;
    return (cycles * 1000000000ull + f - 1) / f;
}

uint32_t Stm32Rng::next_random()
{
    // splitmix64 (Steele, Lea, Flood): a well-spread 64-bit sequence from any seed.
    uint64_t z = (st_.prng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<uint32_t>((z ^ (z >> 31)) >> 16);
}

void Stm32Rng::start_next()
{
    if (!ctx_.scheduler) {
        st_.ready_value = next_random();
        drdy_.set(1);
        return;
    }
    ctx_.scheduler->schedule(this, 0, now() + cycle_ns(kCyclesPerNumber));
}

void Stm32Rng::timer_fired(unsigned)
{
    if (!rngen_.on()) {
        return;
    }
    st_.ready_value = next_random();
    drdy_.set(1);
    update_irq();
}

void Stm32Rng::update_irq()
{
    irq_.set(ie_.on() && (drdy_.on() || ceis_.on() || seis_.on()));
}

} // namespace ampvp

AMPVP_MODEL("stm32-rng", ampvp::Stm32Rng)
