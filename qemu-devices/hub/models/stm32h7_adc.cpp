#include "stm32h7_adc.h"
#include "../model_registry.h"

#include "../log.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace ampvp {

namespace {
// RM0399 ADC_SMPRx SMPy: sampling time in ADC clock cycles.
const double kSamplingCycles[8] = {1.5, 2.5, 8.5, 16.5, 32.5, 64.5, 387.5, 810.5};
// RM0399 ADC_CCR PRESC: the asynchronous clock divider.
const unsigned kPresc[12] = {1, 2, 4, 6, 8, 10, 12, 16, 32, 64, 128, 256};
constexpr uint64_t kLdoStartupNs = 10000;      // tADCVREG_STUP
// Internal channels: typical values of the STM32H745 datasheet.
constexpr double kVrefint = 1.216, kVsense = 0.62, kVbat = 3.3;
// CALFACT after a calibration (any plausible factor: software only stores it).
constexpr uint32_t kCalfact = 0x00400040;
} // namespace

Stm32h7Adc::Stm32h7Adc(const std::string &name) : RegisterDevice(name)
{
    irq_ = &add_irq("irq");
    for (unsigned k = 0; k < MAX_ADCS; k++) {
        adc_[k].dma = &add_irq("dma" + std::to_string(k));
        adc_[k].irq = &add_irq("irq" + std::to_string(k));
    }
}

void Stm32h7Adc::declare_adc(unsigned k, const std::string &an)
{
    Adc &x = adc_[k];
    x.name = an;
    auto &r = regs_;
    const uint32_t b = 0x100 * k;
    const std::string p = an + "_";
    x.isr = &r.reg(p + "ISR", b + 0x00, 0)
                 .field("ADRDY", 0, 1, Acc::W1C, &x.adrdy)
                 .field("EOSMP", 1, 1, Acc::W1C, &x.eosmp)
                 .field("EOC", 2, 1, Acc::W1C, &x.eoc)
                 .field("EOS", 3, 1, Acc::W1C, &x.eos)
                 .field("OVR", 4, 1, Acc::W1C, &x.ovr)
                 .field("JEOC", 5, 1, Acc::W1C, &x.jeoc)
                 .field("JEOS", 6, 1, Acc::W1C, &x.jeos)
                 .field("AWD1", 7, 1, Acc::W1C)
                 .field("AWD2", 8, 1, Acc::W1C)
                 .field("AWD3", 9, 1, Acc::W1C)
                 .field("JQOVF", 10, 1, Acc::W1C)
                 .field("LDORDY", 12, 1, Acc::RO, &x.ldordy);
    x.ier = &r.reg(p + "IER", b + 0x04, 0)
                 .field("ADRDYIE", 0, 1, Acc::RW)
                 .field("EOSMPIE", 1, 1, Acc::RW)
                 .field("EOCIE", 2, 1, Acc::RW)
                 .field("EOSIE", 3, 1, Acc::RW)
                 .field("OVRIE", 4, 1, Acc::RW)
                 .field("JEOCIE", 5, 1, Acc::RW)
                 .field("JEOSIE", 6, 1, Acc::RW)
                 .unimpl("AWD1IE", 7, 1)
                 .unimpl("AWD2IE", 8, 1)
                 .unimpl("AWD3IE", 9, 1)
                 .unimpl("JQOVFIE", 10, 1);
    // RM0399 ADC_CR: the control bits are set by software and cleared by
    // hardware ("rs"): writing 0 leaves them (HAL's MODIFY_REG writes 0 there).
    x.cr = &r.reg(p + "CR", b + 0x08, 0x20000000)
                .field("ADEN", 0, 1, Acc::W1S, &x.aden)
                .field("ADDIS", 1, 1, Acc::W1S, &x.addis)
                .field("ADSTART", 2, 1, Acc::W1S, &x.adstart)
                .field("JADSTART", 3, 1, Acc::W1S, &x.jadstart)
                .field("ADSTP", 4, 1, Acc::W1S, &x.adstp)
                .field("JADSTP", 5, 1, Acc::W1S, &x.jadstp)
                .field("BOOST", 8, 2, Acc::RW)
                .field("ADCALLIN", 16, 1, Acc::RW, &x.adcallin)
                .unimpl("LINCALRDYW", 22, 6)
                .field("ADVREGEN", 28, 1, Acc::RW, &x.advregen)
                .field("DEEPPWD", 29, 1, Acc::RW, &x.deeppwd)
                .field("ADCALDIF", 30, 1, Acc::RW, &x.adcaldif)
                .field("ADCAL", 31, 1, Acc::W1S, &x.adcal)
                .post_write([this, k](BusAccess &a, uint32_t old, uint32_t now_v, uint32_t) {
                    Adc &y = adc_[k];
                    auto rose = [&](const FieldRef &f) { return f.in(now_v) && !f.in(old); };
                    if (rose(y.advregen)) {
                        if (y.deeppwd.on()) {
                            log().guest_error(a.core_name, aname(k) + ": ADVREGEN set while DEEPPWD = 1 "
                                                                      "(the regulator stays off)");
                        } else {
                            schedule(k, TAG_LDO, now() + kLdoStartupNs);
                        }
                    } else if (!y.advregen.on()) {
                        y.ldordy.set(0);
                    }
                    if (rose(y.adcal)) {
                        if (y.aden.on()) {
                            // RM0399: calibration only while ADEN = 0.
                            log().guest_error(a.core_name, aname(k) + ": ADCAL set while ADEN = 1 (ignored)");
                            y.adcal.set(0);
                        } else {
                            const double c = y.adcallin.on() ? cal_cycles_[1] : cal_cycles_[0];
                            schedule(k, TAG_CAL, now() + cycles_ps(c) / 1000);
                        }
                    }
                    if (rose(y.aden)) {
                        if (y.deeppwd.on() || !y.advregen.on() || !y.ldordy.on()) {
                            log().guest_error(a.core_name, aname(k) + ": ADEN set before the voltage regulator "
                                                                      "is up (DEEPPWD = 0, ADVREGEN = 1, LDORDY)");
                        }
                        y.adrdy.set(1); // ready at once
                    }
                    if (rose(y.addis)) {
                        stop_regular(k);
                        stop_injected(k);
                        y.aden.set(0);
                        y.addis.set(0);
                    }
                    if (rose(y.adstp)) {
                        stop_regular(k);
                    }
                    if (rose(y.jadstp)) {
                        stop_injected(k);
                    }
                    if (rose(y.adstart)) {
                        start_regular(k);
                    }
                    if (rose(y.jadstart)) {
                        start_injected(k);
                    }
                });
    x.cfgr = &r.reg(p + "CFGR", b + 0x0C, 0x80000000)
                  .field("DMNGT", 0, 2, Acc::RW, &x.dmngt)
                  .field("RES", 2, 3, Acc::RW, &x.res)
                  .field("EXTSEL", 5, 5, Acc::RW, &x.extsel)
                  .field("EXTEN", 10, 2, Acc::RW, &x.exten)
                  .field("OVRMOD", 12, 1, Acc::RW, &x.ovrmod)
                  .field("CONT", 13, 1, Acc::RW, &x.cont)
                  .unimpl("AUTDLY", 14, 1)
                  .unimpl("DISCEN", 16, 1)
                  .field("DISCNUM", 17, 3, Acc::RW)
                  .unimpl("JDISCEN", 20, 1)
                  .field("JQM", 21, 1, Acc::RW, &x.jqm)
                  .field("AWD1SGL", 22, 1, Acc::RW)
                  .unimpl("AWD1EN", 23, 1)
                  .unimpl("JAWD1EN", 24, 1)
                  .unimpl("JAUTO", 25, 1)
                  .field("AWD1CH", 26, 5, Acc::RW)
                  .field("JQDIS", 31, 1, Acc::RW, &x.jqdis)
                  .post_write([this, k](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
                      // JQM only matters with the injected queue enabled, which
                      // the model does not have (it behaves as JQDIS = 1).
                      const Adc &y = adc_[k];
                      if (y.jqm.in(now) && !y.jqdis.in(now)) {
                          log().unimplemented(name() + "." + y.name + "_CFGR.JQM",
                                              a.core_name + " sets " + y.name +
                                                  "_CFGR.JQM with JQDIS = 0: the injected queue is not modelled");
                      }
                  });
    x.cfgr2 = &r.reg(p + "CFGR2", b + 0x10, 0)
                   .unimpl("ROVSE", 0, 1)
                   .unimpl("JOVSE", 1, 1)
                   .field("OVSS", 5, 4, Acc::RW)
                   .unimpl("TROVS", 9, 1)
                   .unimpl("ROVSM", 10, 1)
                   .unimpl("RSHIFT", 11, 4)
                   .field("OSVR", 16, 10, Acc::RW)
                   .field("LSHIFT", 28, 4, Acc::RW, &x.lshift);
    for (unsigned s = 0; s < 2; s++) {
        Register &smpr = r.reg(p + "SMPR" + std::to_string(s + 1), b + 0x14 + 4 * s, 0);
        for (unsigned c = 0; c < 10; c++) {
            smpr.field("SMP" + std::to_string(10 * s + c), 3 * c, 3, Acc::RW);
        }
        x.smpr[s] = &smpr;
    }
    x.pcsel = &r.reg(p + "PCSEL", b + 0x1C, 0).field("PCSEL", 0, 20, Acc::RW);
    r.reg(p + "LTR1", b + 0x20, 0).field("LTR1", 0, 26, Acc::RW);
    r.reg(p + "HTR1", b + 0x24, 0x03FFFFFF).field("HTR1", 0, 26, Acc::RW);
    x.sqr[0] = &r.reg(p + "SQR1", b + 0x30, 0)
                    .field("L", 0, 4, Acc::RW, &x.l)
                    .field("SQ1", 6, 5, Acc::RW)
                    .field("SQ2", 12, 5, Acc::RW)
                    .field("SQ3", 18, 5, Acc::RW)
                    .field("SQ4", 24, 5, Acc::RW);
    for (unsigned s = 1; s < 4; s++) {
        Register &q = r.reg(p + "SQR" + std::to_string(s + 1), b + 0x30 + 4 * s, 0);
        const unsigned first = 5 * s;
        for (unsigned j = 0; j < (s == 3 ? 2u : 5u); j++) {
            q.field("SQ" + std::to_string(first + j), 6 * j, 5, Acc::RW);
        }
        x.sqr[s] = &q;
    }
    x.dr = &r.reg(p + "DR", b + 0x40, 0)
                .field("RDATA", 0, 32, Acc::RO)
                .on_read([this, k](BusAccess &, uint32_t v) {
                    // RM0399: reading DR clears EOC (and serves the DMA request).
                    Adc &y = adc_[k];
                    y.eoc.set(0);
                    y.data_unread = false;
                    y.dma_pending = false;
                    update_dma();
                    return v;
                });
    x.jsqr = &r.reg(p + "JSQR", b + 0x4C, 0)
                  .field("JL", 0, 2, Acc::RW, &x.jl)
                  .field("JEXTSEL", 2, 5, Acc::RW, &x.jextsel)
                  .field("JEXTEN", 7, 2, Acc::RW, &x.jexten)
                  .field("JSQ1", 9, 5, Acc::RW)
                  .field("JSQ2", 15, 5, Acc::RW)
                  .field("JSQ3", 21, 5, Acc::RW)
                  .field("JSQ4", 27, 5, Acc::RW);
    for (unsigned o = 0; o < 4; o++) {
        const std::string n = std::to_string(o + 1);
        r.reg(p + "OFR" + n, b + 0x60 + 4 * o, 0)
            .unimpl("OFFSET" + n, 0, 26)
            .field("OFFSET" + n + "_CH", 26, 5, Acc::RW)
            .unimpl("SSATE", 31, 1);
    }
    for (unsigned j = 0; j < 4; j++) {
        x.jdr[j] = &r.reg(p + "JDR" + std::to_string(j + 1), b + 0x80 + 4 * j, 0).field("JDATA", 0, 32, Acc::RO);
    }
    r.reg(p + "AWD2CR", b + 0xA0, 0).unimpl("AWD2CH", 0, 20);
    r.reg(p + "AWD3CR", b + 0xA4, 0).unimpl("AWD3CH", 0, 20);
    r.reg(p + "LTR2", b + 0xB0, 0).field("LTR2", 0, 26, Acc::RW);
    r.reg(p + "HTR2", b + 0xB4, 0).field("HTR2", 0, 26, Acc::RW);
    r.reg(p + "LTR3", b + 0xB8, 0).field("LTR3", 0, 26, Acc::RW);
    r.reg(p + "HTR3", b + 0xBC, 0).field("HTR3", 0, 26, Acc::RW);
    r.reg(p + "DIFSEL", b + 0xC0, 0).unimpl("DIFSEL", 0, 20);
    x.calfact = &r.reg(p + "CALFACT", b + 0xC4, 0).field("CALFACT_S", 0, 11, Acc::RW).field("CALFACT_D", 16, 11, Acc::RW);
    r.reg(p + "CALFACT2", b + 0xC8, 0).field("LINCALFACT", 0, 30, Acc::RW);
}

void Stm32h7Adc::configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &)
{
    if (declared_) {
        return;
    }
    declared_ = true;
    std::vector<std::string> names;
    auto it = params.find("names");
    std::stringstream ss(it == params.end() ? std::string("ADC1,ADC2") : it->second);
    for (std::string s; std::getline(ss, s, ',');) {
        if (!s.empty()) {
            names.push_back(s);
        }
    }
    if (names.empty() || names.size() > MAX_ADCS) {
        throw ConfigError("params \"names\": one or two ADC names, e.g. \"ADC1,ADC2\"");
    }
    n_ = static_cast<unsigned>(names.size());
    for (unsigned k = 0; k < n_; k++) {
        declare_adc(k, names[k]);
        // "channels.ADC1": "16:PA0 18:PA4 19:vrefint"
        auto c = params.find("channels." + names[k]);
        if (c != params.end()) {
            std::stringstream cs(c->second);
            for (std::string e; cs >> e;) {
                const size_t colon = e.find(':');
                if (colon == std::string::npos) {
                    throw ConfigError("params \"channels." + names[k] + "\": '" + e + "' is not CHANNEL:PIN");
                }
                try {
                    channels_[k][static_cast<unsigned>(std::stoul(e.substr(0, colon)))] = e.substr(colon + 1);
                } catch (const std::exception &) {
                    throw ConfigError("params \"channels." + names[k] + "\": '" + e + "' is not CHANNEL:PIN");
                }
            }
        }
    }
    auto v = params.find("vref");
    if (v != params.end()) {
        vref_ = std::stod(v->second);
    }
    // "clock_div2": "0": the ADC converts at its input clock (STM32MP15, whose HAL
    // ADC_ConfigureBoostMode uses the clock as it is); default "1", the STM32H7
    // revision V's internal division by 2.
    auto div2 = params.find("clock_div2");
    if (div2 != params.end()) {
        if (div2->second != "0" && div2->second != "1") {
            throw ConfigError("params \"clock_div2\": \"0\" or \"1\"");
        }
        clock_div2_ = div2->second == "1";
    }
    // "calibration_cycles": "OFFSET,OFFSET_AND_LINEARITY" ADC clock cycles.
    auto cc = params.find("calibration_cycles");
    if (cc != params.end()) {
        const size_t comma = cc->second.find(',');
        try {
            if (comma == std::string::npos) {
                throw std::invalid_argument("no comma");
            }
            cal_cycles_[0] = std::stod(cc->second.substr(0, comma));
            cal_cycles_[1] = std::stod(cc->second.substr(comma + 1));
        } catch (const std::exception &) {
            throw ConfigError("params \"calibration_cycles\": \"OFFSET,OFFSET_AND_LINEARITY\" cycles");
        }
    }
    auto &r = regs_;
    csr_ = &r.reg("CSR", 0x300, 0)
                .field("MST", 0, 11, Acc::RO)
                .field("SLV", 16, 11, Acc::RO)
                .on_read([this](BusAccess &, uint32_t) {
                    // RM0399 ADCx_CSR: the master's and the slave's ISR flags.
                    uint32_t s = adc_[0].isr->value & 0x7FFu;
                    if (n_ > 1) {
                        s |= (adc_[1].isr->value & 0x7FFu) << 16;
                    }
                    return s;
                });
    ccr_ = &r.reg("CCR", 0x308, 0)
                .field("DUAL", 0, 5, Acc::RW, &dual_)
                .field("DELAY", 8, 4, Acc::RW, &delay_)
                .field("DAMDF", 14, 2, Acc::RW, &damdf_)
                .field("CKMODE", 16, 2, Acc::RW, &ckmode_)
                .field("PRESC", 18, 4, Acc::RW, &presc_)
                .field("VREFEN", 22, 1, Acc::RW, &vrefen_)
                .field("TSEN", 23, 1, Acc::RW, &tsen_)
                .field("VBATEN", 24, 1, Acc::RW, &vbaten_)
                .post_write([this](BusAccess &a, uint32_t, uint32_t now_v, uint32_t) {
                    const uint32_t d = dual_.in(now_v);
                    if (d != 0 && d != 6 && d != 7) {
                        log().unimplemented(name() + ".CCR.DUAL", a.core_name + " selects dual mode " +
                                                                       std::to_string(d) + " on " + name() +
                                                                       ": only 00110 and 00111 are modelled");
                    }
                    if (d != 0 && n_ < 2) {
                        log().guest_error(a.core_name, name() + ": CCR.DUAL set on an instance with one ADC");
                    }
                });
    cdr_ = &r.reg("CDR", 0x30C, 0)
                .field("RDATA_MST", 0, 16, Acc::RO)
                .field("RDATA_SLV", 16, 16, Acc::RO)
                .on_read([this](BusAccess &, uint32_t) {
                    if (n_ < 2) {
                        return 0u;
                    }
                    const uint32_t m = adc_[0].dr->value, s = adc_[1].dr->value;
                    const uint32_t cdr = damdf_.get() == 3 ? ((s & 0xFFu) << 8) | (m & 0xFFu)
                                                           : (s << 16) | (m & 0xFFFFu);
                    if (dual_regular() && damdf_.get() >= 2) {
                        common_pending_ = false;
                        for (unsigned k = 0; k < 2; k++) {
                            adc_[k].eoc.set(0);
                            adc_[k].data_unread = false;
                        }
                        update_dma();
                    }
                    return cdr;
                });
    cdr2_ = &r.reg("CDR2", 0x310, 0).field("RDATA_ALT", 0, 32, Acc::RO);
}

void Stm32h7Adc::reset()
{
    for (unsigned k = 0; k < n_; k++) {
        Adc &x = adc_[k];
        x.reg_armed = x.reg_busy = x.inj_armed = x.inj_busy = x.inj_waiting = false;
        x.rank = x.jrank = 0;
        x.data_unread = x.dma_pending = x.pair_done = false;
        x.warned_pcsel.clear();
        if (ctx_.scheduler) {
            for (unsigned t = 0; t < TAGS; t++) {
                ctx_.scheduler->schedule(this, k * TAGS + t, 0);
            }
        }
    }
    common_pending_ = false;
    trig_.fill(false);
    RegisterDevice::reset();
    update_dma();
}

uint64_t Stm32h7Adc::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

void Stm32h7Adc::schedule(unsigned k, Tag t, uint64_t at_ns)
{
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, k * TAGS + t, at_ns ? at_ns : 1);
    }
}

uint64_t Stm32h7Adc::adc_clock_hz() const
{
    uint64_t f = 0;
    const uint32_t ck = ckmode_.get();
    if (ck == 0) {
        if (ctx_.clock_source && adc_clock_id_ == -2) {
            adc_clock_id_ = ctx_.clock_source->clock_id("adc");
        }
        f = ctx_.clock_source ? ctx_.clock_source->hz(adc_clock_id_) : 0;
        if (!f) {
            f = 64000000; // per_ck = HSI, the ADC kernel clock HAL's examples select
        }
        const uint32_t p = presc_.get();
        f /= kPresc[p < 12 ? p : 11];
    } else {
        if (ctx_.clock_source && hclk_id_ == -2) {
            hclk_id_ = ctx_.clock_source->clock_id("hclk");
        }
        f = ctx_.clock_source ? ctx_.clock_source->hz(hclk_id_) : 0;
        if (!f) {
            f = 64000000;
        }
        f /= (ck == 1 ? 1 : ck == 2 ? 2 : 4);
    }
    if (clock_div2_) {
        f /= 2; // STM32H7 revision V: the ADC clock is the input clock divided by 2
    }
    return f ? f : 1;
}

uint64_t Stm32h7Adc::cycles_ps(double cycles) const
{
    return static_cast<uint64_t>(std::llround(cycles * 1e12 / static_cast<double>(adc_clock_hz())));
}

unsigned Stm32h7Adc::resolution_bits(const Adc &x) const
{
    // RM0399 (revision V) ADC_CFGR.RES: 000 16, 001/101 14, 010/110 12, 011 10, 1x0/111 8 bits.
    static const unsigned bits[8] = {16, 14, 12, 10, 8, 14, 12, 8};
    return bits[x.res.get() & 7u];
}

double Stm32h7Adc::sar_cycles(const Adc &x) const
{
    switch (resolution_bits(x)) {
    case 16: return 8.5;
    case 14: return 7.5;
    case 12: return 6.5;
    case 10: return 5.5;
    default: return 4.5;
    }
}

double Stm32h7Adc::sampling_cycles(const Adc &x, unsigned ch) const
{
    if (ch > 19) {
        return kSamplingCycles[0];
    }
    const uint32_t v = (x.smpr[ch / 10]->value >> (3 * (ch % 10))) & 7u;
    return kSamplingCycles[v];
}

uint64_t Stm32h7Adc::conversion_ps(const Adc &x, unsigned ch) const
{
    return cycles_ps(sampling_cycles(x, ch) + sar_cycles(x));
}

unsigned Stm32h7Adc::sq(const Adc &x, unsigned rank) const
{
    // SQ1-SQ4 in SQR1 from bit 6; SQ5-SQ9 SQR2, SQ10-SQ14 SQR3, SQ15-SQ16 SQR4.
    const unsigned n = rank + 1; // SQn
    const unsigned reg = n < 5 ? 0 : (n - 5) / 5 + 1;
    const unsigned pos = n < 5 ? n : (n - 5) % 5;
    return (x.sqr[reg]->value >> (6 * pos)) & 0x1Fu;
}

unsigned Stm32h7Adc::jsq(const Adc &x, unsigned rank) const
{
    return (x.jsqr->value >> (9 + 6 * rank)) & 0x1Fu;
}

double Stm32h7Adc::channel_volts(unsigned k, unsigned ch)
{
    auto it = channels_[k].find(ch);
    if (it == channels_[k].end()) {
        log().unimplemented(name() + "/" + aname(k) + "/ch" + std::to_string(ch),
                            aname(k) + " converts channel " + std::to_string(ch) +
                                ", which has no input in the machine description (reads 0 V)");
        return 0.0;
    }
    const std::string &pin = it->second;
    if (pin == "vrefint") {
        return vrefen_.on() ? kVrefint : 0.0;
    }
    if (pin == "vsense") {
        return tsen_.on() ? kVsense : 0.0;
    }
    if (pin == "vbat") {
        return vbaten_.on() ? kVbat / 4 : 0.0;
    }
    return ctx_.analog ? ctx_.analog->volts(pin) : 0.0;
}

uint32_t Stm32h7Adc::convert(unsigned k, unsigned ch)
{
    Adc &x = adc_[k];
    if (ch < 20 && !((x.pcsel->value >> ch) & 1u) && x.warned_pcsel.insert(ch).second) {
        log().guest_error("hub", aname(k) + " converts channel " + std::to_string(ch) +
                                     ", which is not preselected in PCSEL");
    }
    const double v = channel_volts(k, ch);
    const unsigned bits = resolution_bits(x);
    const double full = static_cast<double>((1u << bits) - 1u);
    double code = std::round(v / vref_ * full);
    code = code < 0 ? 0 : code > full ? full : code;
    const uint32_t out = static_cast<uint32_t>(code) << x.lshift.get();
    if (log().tracing("adc")) {
        char b[96];
        std::snprintf(b, sizeof(b), "%s channel %u = %.4f V -> %u (%u bits)", aname(k).c_str(), ch, v,
                      static_cast<unsigned>(out), bits);
        AMPVP_TRACE("adc", name(), b);
    }
    return out;
}

bool Stm32h7Adc::dual_regular() const
{
    const uint32_t d = dual_.get();
    return n_ == 2 && (d == 6 || d == 7);
}

bool Stm32h7Adc::can_convert(unsigned k, const char *what)
{
    Adc &x = adc_[k];
    if (!x.aden.on() || !x.adrdy.on()) {
        // RM0399: conversions need ADEN = 1 and ADRDY.
        log().guest_error("hub", aname(k) + ": " + what + " while the ADC is not enabled (ADEN, ADRDY): ignored");
        return false;
    }
    return true;
}

// ---- regular group ---------------------------------------------------------------

void Stm32h7Adc::start_regular(unsigned k)
{
    Adc &x = adc_[k];
    if (!can_convert(k, "ADSTART")) {
        x.adstart.set(0);
        return;
    }
    if (is_slave(k)) {
        // RM0399 dual mode: the master's ADSTART starts both; the slave's is not used.
        log().guest_error("hub", aname(k) + ": ADSTART set on the slave ADC in dual mode (ignored)");
        x.adstart.set(0);
        return;
    }
    x.reg_armed = true;
    x.rank = 0;
    if (dual_regular()) {
        adc_[1].rank = 0;
    }
    if (x.exten.get() == 0 && !x.reg_busy) {
        begin_regular(k, 0);
    }
}

void Stm32h7Adc::begin_regular(unsigned k, uint64_t delay_ps)
{
    Adc &x = adc_[k];
    x.reg_channel = sq(x, x.rank);
    x.reg_busy = true;
    schedule(k, TAG_REG, now() + (delay_ps + conversion_ps(x, x.reg_channel)) / 1000);
    if (k == 0 && dual_regular()) {
        Adc &s = adc_[1];
        if (!s.aden.on()) {
            log().guest_error("hub", aname(1) + ": the dual-mode slave is not enabled (ADEN): no conversion");
            return;
        }
        // Interleaved: the slave samples (DELAY + 1) ADC clock cycles after the master.
        const uint64_t d = dual_.get() == 7 ? cycles_ps(delay_.get() + 1.0) : 0;
        begin_regular(1, delay_ps + d);
    }
}

void Stm32h7Adc::end_regular(unsigned k)
{
    Adc &x = adc_[k];
    x.reg_busy = false;
    const uint32_t v = convert(k, x.reg_channel);
    const bool packed = dual_regular() && damdf_.get() >= 2;
    x.eosmp.set(1);
    if (x.data_unread && !packed) {
        // RM0399: a new result while the last is unread is an overrun.
        x.ovr.set(1);
        if (x.ovrmod.on()) {
            x.dr->value = v;
        }
    } else {
        x.dr->value = v;
    }
    x.data_unread = true;
    x.eoc.set(1);
    if (packed) {
        x.pair_done = true;
        if (adc_[0].pair_done && adc_[1].pair_done) {
            if (common_pending_) {
                adc_[0].ovr.set(1);
            }
            common_pending_ = true;
            adc_[0].pair_done = adc_[1].pair_done = false;
        }
    } else if (x.dmngt.get() & 1u) {
        x.dma_pending = true;
    }
    const bool last = x.rank >= x.l.get();
    x.rank = last ? 0 : x.rank + 1;
    if (last) {
        x.eos.set(1);
    }
    if (is_slave(k)) {
        update_dma();
        return; // the master drives the sequence
    }
    if (!last) {
        begin_regular(k, 0);
    } else if (x.cont.on()) {
        begin_regular(k, 0);
    } else if (x.exten.get() == 0) {
        // Software-started single sequence: ADSTART is cleared at its end.
        x.reg_armed = false;
        x.adstart.set(0);
    }
    if (x.inj_waiting && !x.reg_busy) {
        x.inj_waiting = false;
        begin_injected(k);
    }
    update_dma();
}

void Stm32h7Adc::stop_regular(unsigned k)
{
    Adc &x = adc_[k];
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, k * TAGS + TAG_REG, 0);
    }
    x.reg_busy = x.reg_armed = false;
    x.adstart.set(0);
    x.adstp.set(0);
    if (k == 0 && dual_regular()) {
        stop_regular(1);
    }
}

// ---- injected group --------------------------------------------------------------

void Stm32h7Adc::start_injected(unsigned k)
{
    Adc &x = adc_[k];
    if (!can_convert(k, "JADSTART")) {
        x.jadstart.set(0);
        return;
    }
    x.inj_armed = true;
    x.jrank = 0;
    if (x.jexten.get() == 0 && !x.inj_busy) {
        if (x.reg_busy) {
            x.inj_waiting = true; // after the regular conversion in progress
        } else {
            begin_injected(k);
        }
    }
}

void Stm32h7Adc::begin_injected(unsigned k)
{
    Adc &x = adc_[k];
    x.inj_channel = jsq(x, x.jrank);
    x.inj_busy = true;
    schedule(k, TAG_INJ, now() + conversion_ps(x, x.inj_channel) / 1000);
}

void Stm32h7Adc::end_injected(unsigned k)
{
    Adc &x = adc_[k];
    x.inj_busy = false;
    x.jdr[x.jrank]->value = convert(k, x.inj_channel);
    x.jeoc.set(1);
    if (x.jrank >= x.jl.get()) {
        x.jrank = 0;
        x.jeos.set(1);
        if (x.jexten.get() == 0) {
            x.inj_armed = false;
            x.jadstart.set(0);
        }
    } else {
        x.jrank++;
        begin_injected(k);
    }
}

void Stm32h7Adc::stop_injected(unsigned k)
{
    Adc &x = adc_[k];
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, k * TAGS + TAG_INJ, 0);
    }
    x.inj_busy = x.inj_armed = x.inj_waiting = false;
    x.jadstart.set(0);
    x.jadstp.set(0);
}

// ---- events ----------------------------------------------------------------------

void Stm32h7Adc::timer_fired(unsigned tag)
{
    const unsigned k = tag / TAGS;
    if (k >= n_) {
        return;
    }
    Adc &x = adc_[k];
    switch (tag % TAGS) {
    case TAG_REG:
        if (x.reg_busy) {
            end_regular(k);
        }
        break;
    case TAG_INJ:
        if (x.inj_busy) {
            end_injected(k);
        }
        break;
    case TAG_CAL:
        x.adcal.set(0);
        x.calfact->value = kCalfact;
        break;
    case TAG_LDO:
        if (x.advregen.on() && !x.deeppwd.on()) {
            x.ldordy.set(1);
        }
        break;
    }
    update_irq();
}

void Stm32h7Adc::input(unsigned n, bool level)
{
    if (n >= trig_.size() || trig_[n] == level) {
        return;
    }
    trig_[n] = level;
    // EXTEN / JEXTEN: 01 rising, 10 falling, 11 both edges.
    auto edge = [level](uint32_t en) { return en == 3 || (en == 1 && level) || (en == 2 && !level); };
    for (unsigned k = 0; k < n_; k++) {
        Adc &x = adc_[k];
        if (is_slave(k)) {
            continue;
        }
        if (n < INJECTED_TRIGGERS) {
            if (x.reg_armed && !x.reg_busy && x.exten.get() && x.extsel.get() == n && edge(x.exten.get())) {
                x.rank = 0;
                begin_regular(k, 0);
            }
        } else if (x.inj_armed && !x.inj_busy && x.jexten.get() && x.jextsel.get() == n - INJECTED_TRIGGERS &&
                   edge(x.jexten.get())) {
            x.jrank = 0;
            begin_injected(k);
        }
    }
}

uint32_t Stm32h7Adc::read(BusAccess &a)
{
    return RegisterDevice::read(a);
}

void Stm32h7Adc::write(BusAccess &a, uint32_t value)
{
    RegisterDevice::write(a, value);
    update_dma();
}

void Stm32h7Adc::update_dma()
{
    for (unsigned k = 0; k < n_; k++) {
        bool level = adc_[k].dma_pending;
        if (k == 0 && dual_regular() && damdf_.get() >= 2) {
            level = common_pending_;
        }
        adc_[k].dma->set(level);
    }
}

void Stm32h7Adc::update_irq()
{
    bool any = false;
    for (unsigned k = 0; k < n_; k++) {
        const bool mine = (adc_[k].isr->value & adc_[k].ier->value & 0x7FFu) != 0;
        adc_[k].irq->set(mine);
        any |= mine;
    }
    irq_->set(any);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-adc", ampvp::Stm32h7Adc)
