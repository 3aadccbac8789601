// STM32H7 analog-to-digital converters ADC1/ADC2 (one instance: ADC12, the
// pair and its common registers) and ADC3 (RM0399 Rev 4, "Analog-to-digital
// converters (ADC)": "ADC on-off control", "ADC deep-power-down mode and ADC
// voltage regulator", "Calibration", "Channel selection (SQRx, JSQRx)",
// "Channel-wise programmable sampling time", "Conversion on external trigger",
// "Continuous conversion mode", "Data management", "Dual ADC modes",
// "ADC registers", "ADC common registers").  Register sequences as ST's HAL
// uses them (stm32h7xx_hal_adc.c / _adc_ex.c: HAL_ADC_Init, ADC_Enable,
// ADC_Disable, HAL_ADCEx_Calibration_Start, HAL_ADC_ConfigChannel,
// HAL_ADC_Start / _IT / _DMA, HAL_ADC_PollForConversion, HAL_ADC_IRQHandler,
// HAL_ADCEx_InjectedConfigChannel, HAL_ADCEx_InjectedStart_IT,
// HAL_ADCEx_MultiModeConfigChannel, HAL_ADCEx_MultiModeStart_DMA).
//
// Layout: params "names" (e.g. "ADC1,ADC2" or "ADC3") name the ADCs of the
// instance; ADC k's registers are at 0x100 * k ("ADC1_ISR" ...), the common
// registers CSR/CCR/CDR/CDR2 at 0x300.
//
// Modelled:
//  - Power-up: CR.DEEPPWD (reset 1) must be cleared and ADVREGEN set; ISR.LDORDY
//    follows 10 us later (tADCVREG_STUP).  ADCAL (with ADCALLIN, ADCALDIF)
//    runs the calibration and clears itself: 16384 ADC clock cycles (offset)
//    or 131072 (offset and linearity) by default -- a modelling choice, RM0399
//    gives no figure; params "calibration_cycles": "OFFSET,BOTH" (STM32MP15:
//    "1280,16384", ST's stm32mp1xx_ll_adc.h LL_ADC_CALIB_*); CALFACT reads the
//    (fixed) factors.  ADEN sets ISR.ADRDY at once;
//    ADDIS clears ADEN.  ADEN, ADDIS, ADSTART, ADSTP, JADSTART, JADSTP, ADCAL are
//    set by software, cleared by hardware (writing 0 has no effect).  Starting
//    a conversion with ADEN = 0, or ADEN while DEEPPWD or before LDORDY, is a
//    guest error.
//  - Regular group: SQR1.L + 1 ranks SQ1..SQ16; CR.ADSTART starts them at once
//    (CFGR.EXTEN = 00) or arms the hardware trigger: numbered input n (n < 32)
//    is adc_ext_trgn (CFGR.EXTSEL), an edge of the selected polarity starts the
//    sequence (ignored while a conversion runs).  Each conversion takes
//    (SMPx sampling cycles + the resolution's SAR cycles: 8.5 / 7.5 / 6.5 /
//    5.5 / 4.5 for 16 / 14 / 12 / 10 / 8 bits) ADC clock periods; at its end DR
//    takes the result, EOSMP and EOC are set (EOC cleared by reading DR),
//    EOS after the last rank.  An unread result when the next one comes is an
//    overrun: OVR, and DR keeps the old data unless CFGR.OVRMOD.  CFGR.CONT
//    restarts the sequence at once; without it a software-started sequence
//    ends with ADSTART cleared, a hardware-triggered one waits for the next
//    trigger.  ADSTP stops the group.
//  - Injected group: JSQR (JL, JEXTSEL, JEXTEN, JSQ1..JSQ4); JADSTART starts it
//    at once (JEXTEN = 00) or arms it for input 32 + n (jadc_ext_trgn); the
//    results go to JDR1..JDR4, JEOC per conversion, JEOS at the end.  An
//    injected sequence runs after the regular conversion in progress.
//  - Results: the pin voltage (DeviceContext::analog, params "channels.<ADC>":
//    "n:PIN ..." per channel, e.g. "18:PA4"; "vrefint", "vsense", "vbat" for
//    the internal channels, read when CCR.VREFEN / TSEN / VBATEN) as
//    round(V / VREF+ * (2^N - 1)), clamped, N from CFGR.RES, shifted left by
//    CFGR2.LSHIFT.  VREF+ is params "vref" (default 3.3 V); VREFINT 1.216 V,
//    VSENSE 0.62 V, VBAT / 4 with VBAT 3.3 V.  A channel not preselected in
//    PCSEL is a guest error (converted anyway).
//  - ADC clock: CCR.CKMODE = 00: the kernel clock (RCC clock "adc"; 64 MHz,
//    per_ck = HSI, if the clock model does not answer) divided by CCR.PRESC;
//    01/10/11: HCLK / 1, 2, 4.  Then divided by 2 (revision V silicon, as
//    HAL's ADC_ConfigureBoostMode computes it) unless params "clock_div2" is
//    "0" (STM32MP15: its HAL takes the clock as it is).  CR.BOOST is stored.
//  - DMA: CFGR.DMNGT = 01 (one shot) or 11 (circular): output "dma<k>" (the
//    DMAMUX1 request of ADC k) is high from each EOC until the DMA reads DR.
//  - Dual mode (ADC12, CCR.DUAL): 00110 regular simultaneous and 00111
//    interleaved: the master's trigger also starts the slave, at once or
//    (DELAY + 1) ADC clock cycles later.  With CCR.DAMDF = 10 (or 11), CDR
//    holds slave << 16 | master (slave << 8 | master) and only the master's
//    DMA request is raised, once both results are in; reading CDR takes them.
//    CSR mirrors both ADCs' flags.
//  - Interrupt output "irq": ISR & IER of any ADC of the instance; "irq<k>":
//    ADC k's alone (STM32MP15: ADC1_IRQn and ADC2_IRQn are separate lines).
//  - CFGR.JQM is stored; it matters only with the injected queue enabled
//    (JQDIS = 0), which is not modelled (setting it then is reported).
//  "--trace adc" shows every conversion: channel, volts, result.
// Not modelled (stored; logged once when set): analog watchdogs (AWDx never
// set), offsets (OFRx), oversampling, discontinuous mode, differential inputs
// (DIFSEL), auto-injection (JAUTO), the injected context queue (JSQR is
// written directly; JQOVF never set), auto-delayed conversion (AUTDLY), dual
// modes other than 00110/00111, DFSDM data (DMNGT = 10).  A continuous
// conversion costs the hub one event per conversion (a few MHz of conversions
// cannot run in real time).
#pragma once

#include "../regs.h"

#include <array>
#include <set>

namespace ampvp {

class Stm32h7Adc : public RegisterDevice {
public:
    static constexpr unsigned MAX_ADCS = 2;
    static constexpr unsigned INJECTED_TRIGGERS = 32; // input 32 + n: jadc_ext_trgn

    explicit Stm32h7Adc(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;
    void reset() override;
    void timer_fired(unsigned tag) override;
    // Inputs 0-31: regular triggers (EXTSEL); 32-63: injected triggers (JEXTSEL).
    void input(unsigned n, bool level) override;

protected:
    void update_irq() override;

private:
    enum Tag : unsigned { TAG_REG = 0, TAG_INJ = 1, TAG_CAL = 2, TAG_LDO = 3, TAGS = 4 };
    struct Adc {
        std::string name;
        Register *isr = nullptr, *ier = nullptr, *cr = nullptr, *cfgr = nullptr, *cfgr2 = nullptr,
                 *pcsel = nullptr, *dr = nullptr, *jsqr = nullptr, *calfact = nullptr;
        std::array<Register *, 2> smpr{};
        std::array<Register *, 4> sqr{};
        std::array<Register *, 4> jdr{};
        // ISR
        FieldRef adrdy, eosmp, eoc, eos, ovr, jeoc, jeos, ldordy;
        // CR
        FieldRef aden, addis, adstart, jadstart, adstp, jadstp, adcallin, advregen, deeppwd,
            adcaldif, adcal;
        // CFGR
        FieldRef dmngt, res, extsel, exten, ovrmod, cont, jqdis, jqm;
        // CFGR2
        FieldRef lshift;
        // JSQR
        FieldRef jl, jextsel, jexten;
        FieldRef l; // SQR1
        IrqLine *dma = nullptr;
        IrqLine *irq = nullptr; // this ADC's own interrupt ("irq<k>")
        // State.
        bool reg_armed = false;      // ADSTART: converting or waiting for a trigger
        bool reg_busy = false;       // a regular conversion in flight
        unsigned rank = 0;           // regular rank being converted
        unsigned reg_channel = 0;
        bool inj_armed = false, inj_busy = false, inj_waiting = false;
        unsigned jrank = 0, inj_channel = 0;
        bool data_unread = false;    // DR holds a result nobody read yet
        bool dma_pending = false;
        bool pair_done = false;      // dual mode: this ADC's result of the pair is in
        std::set<unsigned> warned_pcsel;
    };

    Adc &adc(unsigned k) { return adc_[k]; }
    void declare_adc(unsigned k, const std::string &adc_name);
    uint64_t now() const;
    uint64_t adc_clock_hz() const;
    uint64_t cycles_ps(double cycles) const;
    unsigned resolution_bits(const Adc &x) const;
    double sar_cycles(const Adc &x) const;
    double sampling_cycles(const Adc &x, unsigned ch) const;
    uint64_t conversion_ps(const Adc &x, unsigned ch) const;
    unsigned sq(const Adc &x, unsigned rank) const;
    unsigned jsq(const Adc &x, unsigned rank) const;
    double channel_volts(unsigned k, unsigned ch);
    uint32_t convert(unsigned k, unsigned ch);
    bool dual_regular() const;    // ADC12 in dual regular simultaneous/interleaved mode
    bool is_slave(unsigned k) const { return k == 1 && dual_regular(); }
    bool can_convert(unsigned k, const char *what);

    void start_regular(unsigned k);
    void begin_regular(unsigned k, uint64_t delay_ps);
    void end_regular(unsigned k);
    void start_injected(unsigned k);
    void begin_injected(unsigned k);
    void end_injected(unsigned k);
    void stop_regular(unsigned k);
    void stop_injected(unsigned k);
    void update_dma();
    void schedule(unsigned k, Tag t, uint64_t at_ns);
    std::string aname(unsigned k) const { return adc_[k].name; }

    unsigned n_ = 0;                // ADCs in this instance
    std::array<Adc, MAX_ADCS> adc_;
    std::array<std::map<unsigned, std::string>, MAX_ADCS> channels_; // channel -> pin
    double vref_ = 3.3;
    bool declared_ = false;
    std::array<bool, 64> trig_{};   // input levels

    Register *csr_ = nullptr, *ccr_ = nullptr, *cdr_ = nullptr, *cdr2_ = nullptr;
    FieldRef dual_, delay_, damdf_, ckmode_, presc_, vrefen_, tsen_, vbaten_; // CCR
    bool common_pending_ = false;   // dual mode: a CDR pair not yet read
    IrqLine *irq_ = nullptr;
    bool clock_div2_ = true;                        // params "clock_div2"
    double cal_cycles_[2] = {16384, 131072};        // params "calibration_cycles"
    mutable ClockId adc_clock_id_ = -2, hclk_id_ = -2;
};

} // namespace ampvp
