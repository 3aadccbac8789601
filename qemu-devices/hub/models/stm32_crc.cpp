#include "stm32_crc.h"
#include "../model_registry.h"

namespace ampvp {

namespace {
uint32_t reverse_bits(uint32_t v, unsigned bits)
{
    uint32_t r = 0;
    for (unsigned i = 0; i < bits; i++) {
        r |= ((v >> i) & 1u) << (bits - 1 - i);
    }
    return r;
}
// RM0399 REV_IN: 01 by byte, 10 by half-word, 11 by word, each unit reversed in place.
uint32_t reverse_units(uint32_t v, unsigned unit, unsigned bits)
{
    uint32_t r = 0;
    for (unsigned at = 0; at < bits; at += unit) {
        const uint32_t mask = unit >= 32 ? 0xFFFFFFFFu : (1u << unit) - 1u;
        r |= reverse_bits((v >> at) & mask, unit) << at;
    }
    return r;
}
} // namespace

Stm32Crc::Stm32Crc(const std::string &name) : RegisterDevice(name)
{
    auto &r = regs_;
    // DR reads the CRC (after REV_OUT); a write feeds data (Stm32Crc::write).
    r.reg("DR", 0x00, 0xFFFFFFFFu).field("DR", 0, 32, Acc::RW).on_read([this](BusAccess &, uint32_t) {
        const uint32_t out = rev_out_.on() ? reverse_bits(crc_, width()) : crc_;
        return out & width_mask();
    });
    r.reg("IDR", 0x04, 0).field("IDR", 0, 32, Acc::RW);
    r.reg("CR", 0x08, 0)
        .field("RESET", 0, 1, Acc::WO, &reset_)
        .field("POLYSIZE", 3, 2, Acc::RW, &polysize_)
        .field("REV_IN", 5, 2, Acc::RW, &rev_in_)
        .field("REV_OUT", 7, 1, Acc::RW, &rev_out_)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t written) {
            if (reset_.in(written)) {
                crc_ = init_->value & width_mask(); // RM0399 RESET: "resets the CRC calculation unit and sets the data register to CRC_INIT"
            }
            reset_.set(0); // reads 0
        });
    init_ = &r.reg("INIT", 0x10, 0xFFFFFFFFu).field("CRC_INIT", 0, 32, Acc::RW).post_write(
        [this](BusAccess &, uint32_t, uint32_t now, uint32_t) { crc_ = now & width_mask(); });
    pol_ = &r.reg("POL", 0x14, 0x04C11DB7u).field("POL", 0, 32, Acc::RW);
}

unsigned Stm32Crc::width() const
{
    static const unsigned kWidths[4] = {32, 16, 8, 7}; // RM0399 POLYSIZE 00/01/10/11
    return kWidths[polysize_.get()];
}

uint32_t Stm32Crc::width_mask() const
{
    const unsigned n = width();
    return n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1u;
}

void Stm32Crc::feed(uint32_t data, unsigned bits)
{
    static const unsigned kUnits[4] = {0, 8, 16, 32}; // REV_IN 00 none, 01 byte, 10 half-word, 11 word
    const unsigned unit = kUnits[rev_in_.get()];
    if (unit) {
        data = reverse_units(data, unit < bits ? unit : bits, bits);
    }
    const unsigned n = width();
    const uint32_t mask = width_mask();
    const uint32_t pol = pol_->value & mask;
    uint32_t crc = crc_ & mask;
    for (int i = static_cast<int>(bits) - 1; i >= 0; i--) {
        const uint32_t bit = ((crc >> (n - 1)) ^ (data >> i)) & 1u;
        crc = (crc << 1) & mask;
        if (bit) {
            crc ^= pol;
        }
    }
    crc_ = crc;
}

void Stm32Crc::write(BusAccess &a, uint32_t value)
{
    if (a.offset == 0 && (a.size == 1 || a.size == 2 || a.size == 4)) {
        // RM0399: CRC_DR takes words, right-aligned half-words and right-aligned bytes.
        const unsigned bits = a.size * 8;
        feed(bits == 32 ? value : value & ((1u << bits) - 1u), bits);
        return;
    }
    RegisterDevice::write(a, value);
}

void Stm32Crc::reset()
{
    RegisterDevice::reset();
    crc_ = 0xFFFFFFFFu;
}

} // namespace ampvp

AMPVP_MODEL("stm32-crc", ampvp::Stm32Crc)
