// STM32H7 true random number generator RNG (RM0399 Rev 4, "True random number
// generator (RNG)": "RNG operation", "RNG interrupts", "RNG registers").
// Register sequences as ST's HAL uses them (stm32h7xx_hal_rng.c: HAL_RNG_Init,
// HAL_RNG_GenerateRandomNumber, HAL_RNG_GenerateRandomNumber_IT,
// HAL_RNG_IRQHandler).
//
// Modelled:
//  - CR.RNGEN starts the generator: the first 32-bit number is ready (SR.DRDY)
//    216 RNG clock cycles later (RCC clock "rng"; 48 MHz, HSI48, if the clock
//    model does not answer), and each read of DR takes the number and starts
//    the next one, ready 216 cycles after the read.  DR reads 0 while DRDY = 0.
//    Clearing RNGEN stops it (DRDY = 0).
//  - The numbers are not random: a seeded PRNG (splitmix64, params "seed",
//    default 0x5EED0000A3B1C2D4; each read takes the next 32 bits), so a run
//    is reproducible.  Any seed gives a well-spread, non-repeating sequence
//    that firmware checks (non-zero, consecutive values differ) accept.
//  - CR.CED (clock error detection) is stored: the clock never fails, so
//    SR.CECS/CEIS and the seed error flags SECS/SEIS stay 0 (CEIS/SEIS are
//    rc_w0).
//  - Output "irq": CR.IE & (DRDY | CEIS | SEIS).
// Not modelled (stored): the conditioning configuration of the newer RNG
// (CONDRST, RNG_CONFIGx, CLKDIV, NISTC, CONFIGLOCK, HTCR): CONDRST reads back
// what was written.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Rng : public RegisterDevice {
public:
    explicit Stm32Rng(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    void timer_fired(unsigned tag) override;

protected:
    void update_irq() override;

private:
    uint64_t now() const;
    uint64_t cycle_ns(unsigned cycles) const;
    void start_next();        // a new number is on its way
    uint32_t next_random();

    uint64_t seed_ = 0x5EED0000A3B1C2D4ull;
    struct State {
        uint64_t prng = 0;
        uint32_t ready_value = 0;
    } st_;
    FieldRef rngen_, ie_, ced_;      // CR
    FieldRef drdy_, cecs_, secs_, ceis_, seis_; // SR
    Register *dr_ = nullptr;
    IrqLine &irq_;
    mutable ClockId clock_id_ = -2;
};

} // namespace ampvp
