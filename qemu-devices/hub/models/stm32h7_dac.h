// STM32H7 digital-to-analog converter DAC1 (RM0399 Rev 4, "Digital-to-analog
// converter (DAC)": "DAC channel enable", "DAC data format", "DAC conversion",
// "DAC trigger selection", "DMA requests", "DAC registers").  Register
// sequences as ST's HAL uses them (stm32h7xx_hal_dac.c: HAL_DAC_ConfigChannel,
// HAL_DAC_SetValue, HAL_DAC_Start, HAL_DAC_Start_DMA, HAL_DAC_IRQHandler).
//
// Modelled, for channels 1 and 2 (channel 2's bits 16 higher in CR, SR, CCR,
// MCR):
//  - Data holding: DHR12Rx, DHR12Lx, DHR8Rx and the dual DHR12RD, DHR12LD,
//    DHR8RD all write the channel's 12-bit DHR (and read it back in their
//    alignment).
//  - Conversion: with CR.TENx = 0, DORx takes DHRx right after the write; with
//    TENx = 1 at the trigger CR.TSELx selects: 0 the software trigger
//    SWTRGR.SWTRIGx (cleared by hardware once DORx is loaded), 1-15 numbered
//    input n (dac_chx_trgn: a timer's TRGO, as the machine wires it).
//  - Wave generation (CR.WAVEx, with a trigger): triangle (10): a counter
//    going up by one at each trigger to 2^(MAMPx + 1) - 1, then down to 0, and
//    so on, added to DHRx; noise (01): a 12-bit LFSR (X^12 + X^6 + X^4 + X + 1,
//    preloaded with 0xAAA, stepped at each trigger) masked by MAMPx, added to
//    DHRx.  The sum is kept to 12 bits (RM0399: "without overflow").
//  - Output: a channel with ENx = 1 drives its pin (params "out1", "out2":
//    "PA4", "PA5") with VREF+ * DOR / 4095 (params "vref", default 3.3 V)
//    through DeviceContext::analog, unless MCR.MODEx = x11 (on-chip
//    peripherals only); a disabled channel leaves its pin at 0 V.  Params
//    "internal1", "internal2" name the channel's on-chip connection (an
//    analog net an ADC channel reads, e.g. "DAC1_OUT1" for the STM32MP15's
//    ADC2 channel 16): driven with the same voltage when MODEx = x01 or x11
//    ("connected to on chip peripherals"), 0 V in the other modes.
//  - DMA: with DMAENx, an external trigger (not the software one) raises
//    output "dma1"/"dma2" (the DMAMUX1 request) until DHRx is written; a
//    trigger while the request is pending is an underrun: SR.DMAUDRx, and
//    output "irq" with CR.DMAUDRIEx.
//  "--trace adc" shows each new output voltage.
// Not modelled (stored; logged once when set): calibration (CENx; CAL_FLAG reads 0), sample and hold
// (MODEx = 1xx, SHSRx/SHHR/SHRR), the output buffer's electrical behaviour,
// settling time (the output changes at once).
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32h7Dac : public RegisterDevice {
public:
    explicit Stm32h7Dac(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    // Input n (1-15): trigger line dac_chx_trgn of both channels (TSELx = n).
    void input(unsigned n, bool level) override;
    // The output voltage of channel 0/1 (for tests and traces).
    double volts(unsigned ch) const;

protected:
    void update_irq() override;

private:
    struct Channel {
        FieldRef en, ten, tsel, wave, mamp, dmaen, dmaudrie; // CR
        FieldRef swtrig;                         // SWTRGR
        FieldRef dmaudr;                         // SR
        FieldRef mode;                           // MCR
        Register *dor = nullptr;
        uint32_t dhr = 0;          // 12-bit data holding register
        uint32_t triangle = 0;     // wave generation: the triangle counter
        bool down = false;         // ... counting down
        uint32_t lfsr = 0xAAA;     // ... the noise register
        bool dma_pending = false;  // request raised, DHR not yet written
        std::string pin;
        double out = -1;           // last voltage driven (-1: none yet)
        std::string net;           // params "internalx": the on-chip connection
        double net_out = -1;       // last voltage driven on it
        IrqLine *dma = nullptr;
    };
    void write_dhr(unsigned c, uint32_t v12);
    void load_dor(unsigned c);
    void trigger(unsigned c, bool software);
    void drive(unsigned c);

    std::array<Channel, 2> ch_;
    std::array<bool, 16> trig_{};
    double vref_ = 3.3;
    IrqLine *irq_ = nullptr;
};

} // namespace ampvp
