// STM32 CRC calculation unit (RM0399 Rev 4, "Cyclic redundancy check calculation
// unit (CRC)"; the same IP as RM0453/RM0365 describe, AN4187).
//
// Modelled: CRC_DR written by words, half-words or bytes (each write combines the
// data with the current CRC, most significant bit first), the result read from
// DR's low POLYSIZE bits; CRC_IDR (32-bit scratch, not affected by RESET);
// CRC_CR RESET (loads CRC_INIT, reads 0), POLYSIZE (32/16/8/7 bits), REV_IN (bit
// reversal of the input by byte, half-word or word), REV_OUT (bit reversal of the
// output within the polynomial size); CRC_INIT (writing it also loads DR);
// CRC_POL.
// Not modelled: the calculation time (the result is ready at once); input
// reversal coarser than the write (REV_IN by word on a byte write) uses the
// write's own size, as the older STM32 CRC does (the H7 reportedly differs).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Crc : public RegisterDevice {
public:
    explicit Stm32Crc(const std::string &name);
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;

private:
    void feed(uint32_t data, unsigned bits);
    uint32_t width_mask() const;
    unsigned width() const;
    uint32_t crc_ = 0xFFFFFFFFu;  // the calculator's register (before REV_OUT)
    Register *init_ = nullptr, *pol_ = nullptr;
    FieldRef reset_, polysize_, rev_in_, rev_out_;
};

} // namespace ampvp
