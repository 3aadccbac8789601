#include "stm32h7_dac.h"
#include "../model_registry.h"

#include "../log.h"

#include <cstdio>

namespace ampvp {

Stm32h7Dac::Stm32h7Dac(const std::string &name) : RegisterDevice(name)
{
    irq_ = &add_irq("irq");
    for (unsigned c = 0; c < 2; c++) {
        ch_[c].dma = &add_irq("dma" + std::to_string(c + 1));
    }
    auto &r = regs_;
    Register &cr = r.reg("CR", 0x00, 0);
    for (unsigned c = 0; c < 2; c++) {
        const std::string n = std::to_string(c + 1);
        const unsigned s = 16 * c;
        cr.field("EN" + n, s + 0, 1, Acc::RW, &ch_[c].en)
            .field("TEN" + n, s + 1, 1, Acc::RW, &ch_[c].ten)
            .field("TSEL" + n, s + 2, 4, Acc::RW, &ch_[c].tsel)
            .field("WAVE" + n, s + 6, 2, Acc::RW, &ch_[c].wave)
            .field("MAMP" + n, s + 8, 4, Acc::RW, &ch_[c].mamp)
            .field("DMAEN" + n, s + 12, 1, Acc::RW, &ch_[c].dmaen)
            .field("DMAUDRIE" + n, s + 13, 1, Acc::RW, &ch_[c].dmaudrie)
            .unimpl("CEN" + n, s + 14, 1);
    }
    cr.post_write([this](BusAccess &, uint32_t old, uint32_t now_v, uint32_t) {
        for (unsigned c = 0; c < 2; c++) {
            Channel &x = ch_[c];
            if (x.en.in(old) != x.en.in(now_v)) {
                drive(c);
            }
            if (!x.dmaen.in(now_v) && x.dma_pending) {
                x.dma_pending = false;
                x.dma->set(false);
            }
        }
    });
    r.reg("SWTRGR", 0x04, 0)
        .field("SWTRIG1", 0, 1, Acc::W1S, &ch_[0].swtrig)
        .field("SWTRIG2", 1, 1, Acc::W1S, &ch_[1].swtrig)
        .post_write([this](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
            for (unsigned c = 0; c < 2; c++) {
                if (ch_[c].swtrig.in(now_v)) {
                    trigger(c, true);
                }
            }
        });
    // Data holding registers: every alignment writes the channel's DHR.
    struct Align {
        const char *name;
        uint32_t off;
        unsigned ch;      // 0, 1, or 2 for the dual registers
        unsigned shift;   // 0: 12-bit right, 4: 12-bit left, 8: 8-bit right
    };
    static const Align al[] = {
        {"DHR12R1", 0x08, 0, 0}, {"DHR12L1", 0x0C, 0, 4}, {"DHR8R1", 0x10, 0, 8},
        {"DHR12R2", 0x14, 1, 0}, {"DHR12L2", 0x18, 1, 4}, {"DHR8R2", 0x1C, 1, 8},
        {"DHR12RD", 0x20, 2, 0}, {"DHR12LD", 0x24, 2, 4}, {"DHR8RD", 0x28, 2, 8},
    };
    for (const Align &a : al) {
        Register &d = r.reg(a.name, a.off, 0);
        // In an alignment, a channel's value sits at `pos` with `width` bits.
        const unsigned width = a.shift == 8 ? 8 : 12;
        const unsigned pos = a.shift == 4 ? 4 : 0;
        const unsigned stride = a.shift == 8 ? 8 : 16; // dual registers: channel 2's offset
        if (a.ch < 2) {
            d.field(std::string("DACC") + std::to_string(a.ch + 1) + "DHR", pos, width, Acc::RW);
        } else {
            d.field("DACC1DHR", pos, width, Acc::RW).field("DACC2DHR", pos + stride, width, Acc::RW);
        }
        const Align ac = a;
        d.on_read([this, ac, width, pos, stride](BusAccess &, uint32_t) {
            auto get = [&](unsigned c) {
                const uint32_t v = ac.shift == 8 ? ch_[c].dhr >> 4 : ch_[c].dhr;
                return (v & ((1u << width) - 1u)) << pos;
            };
            return ac.ch < 2 ? get(ac.ch) : get(0) | (get(1) << stride);
        });
        d.post_write([this, ac, width, pos, stride](BusAccess &, uint32_t, uint32_t now_v, uint32_t) {
            auto put = [&](unsigned c, uint32_t raw) {
                const uint32_t v = (raw >> pos) & ((1u << width) - 1u);
                write_dhr(c, ac.shift == 8 ? v << 4 : v);
            };
            if (ac.ch < 2) {
                put(ac.ch, now_v);
            } else {
                put(0, now_v);
                put(1, now_v >> stride);
            }
        });
    }
    ch_[0].dor = &r.reg("DOR1", 0x2C, 0).field("DACC1DOR", 0, 12, Acc::RO);
    ch_[1].dor = &r.reg("DOR2", 0x30, 0).field("DACC2DOR", 0, 12, Acc::RO);
    r.reg("SR", 0x34, 0)
        .field("DMAUDR1", 13, 1, Acc::W1C, &ch_[0].dmaudr)
        .field("CAL_FLAG1", 14, 1, Acc::RO)
        .field("BWST1", 15, 1, Acc::RO)
        .field("DMAUDR2", 29, 1, Acc::W1C, &ch_[1].dmaudr)
        .field("CAL_FLAG2", 30, 1, Acc::RO)
        .field("BWST2", 31, 1, Acc::RO);
    r.reg("CCR", 0x38, 0).field("OTRIM1", 0, 5, Acc::RW).field("OTRIM2", 16, 5, Acc::RW);
    r.reg("MCR", 0x3C, 0)
        .field("MODE1", 0, 3, Acc::RW, &ch_[0].mode)
        .field("MODE2", 16, 3, Acc::RW, &ch_[1].mode)
        .post_write([this](BusAccess &a, uint32_t, uint32_t, uint32_t) {
            for (unsigned c = 0; c < 2; c++) {
                if (ch_[c].mode.get() & 4u) {
                    log().unimplemented(this->name() + ".MCR.MODE" + std::to_string(c + 1),
                                        a.core_name + " selects sample-and-hold on " + this->name() +
                                            " channel " + std::to_string(c + 1) + ": not modelled");
                }
                drive(c);
            }
        });
    r.reg("SHSR1", 0x40, 0).field("TSAMPLE1", 0, 10, Acc::RW);
    r.reg("SHSR2", 0x44, 0).field("TSAMPLE2", 0, 10, Acc::RW);
    r.reg("SHHR", 0x48, 0x00010001).field("THOLD1", 0, 10, Acc::RW).field("THOLD2", 16, 10, Acc::RW);
    r.reg("SHRR", 0x4C, 0x00010001).field("TREFRESH1", 0, 8, Acc::RW).field("TREFRESH2", 16, 8, Acc::RW);
}

void Stm32h7Dac::configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &)
{
    for (unsigned c = 0; c < 2; c++) {
        auto it = params.find("out" + std::to_string(c + 1));
        ch_[c].pin = it == params.end() ? "" : it->second;
        auto in = params.find("internal" + std::to_string(c + 1));
        ch_[c].net = in == params.end() ? "" : in->second;
    }
    auto v = params.find("vref");
    if (v != params.end()) {
        vref_ = std::stod(v->second);
    }
}

void Stm32h7Dac::reset()
{
    for (auto &x : ch_) {
        x.dhr = 0;
        x.triangle = 0;
        x.down = false;
        x.lfsr = 0xAAA;
        x.dma_pending = false;
        x.dma->set(false);
    }
    trig_.fill(false);
    RegisterDevice::reset();
    drive(0);
    drive(1);
}

double Stm32h7Dac::volts(unsigned c) const
{
    const Channel &x = ch_[c];
    return x.en.on() ? vref_ * static_cast<double>(x.dor->value & 0xFFFu) / 4095.0 : 0.0;
}

void Stm32h7Dac::write_dhr(unsigned c, uint32_t v12)
{
    Channel &x = ch_[c];
    x.dhr = v12 & 0xFFFu;
    if (x.dma_pending) {
        x.dma_pending = false; // the DMA served its request
        x.dma->set(false);
    }
    if (!x.ten.on()) {
        load_dor(c); // no trigger: DOR follows DHR (one APB clock later)
    }
}

void Stm32h7Dac::load_dor(unsigned c)
{
    ch_[c].dor->value = ch_[c].dhr;
    drive(c);
}

void Stm32h7Dac::trigger(unsigned c, bool software)
{
    Channel &x = ch_[c];
    if (software) {
        x.swtrig.set(0); // cleared by hardware once DHR is loaded
        if (!x.ten.on() || x.tsel.get() != 0) {
            return;
        }
    }
    if (!x.en.on()) {
        return;
    }
    // RM0399 "Noise generation" / "Triangle-wave generation": at each trigger
    // the LFSR steps or the triangle counter moves, and is added to DHR.
    uint32_t add = 0;
    const uint32_t amp = x.mamp.get() > 11 ? 11 : x.mamp.get();
    if (x.wave.get() == 1) {
        const uint32_t l = x.lfsr;
        const uint32_t fb = ((l >> 11) ^ (l >> 5) ^ (l >> 3) ^ l) & 1u; // X^12 + X^6 + X^4 + X + 1
        x.lfsr = ((l << 1) | fb) & 0xFFFu;
        add = x.lfsr & ((2u << amp) - 1u);
    } else if (x.wave.get() >= 2) {
        const uint32_t top = (2u << amp) - 1u;
        if (!x.down) {
            x.triangle++;
            if (x.triangle >= top) {
                x.triangle = top;
                x.down = true;
            }
        } else if (x.triangle == 0 || --x.triangle == 0) {
            x.down = false;
        }
        add = x.triangle;
    }
    if (x.wave.get()) {
        x.dor->value = (x.dhr + add) & 0xFFFu;
        drive(c);
    } else {
        load_dor(c);
    }
    if (!software && x.dmaen.on()) {
        // RM0399: a trigger while the previous DMA request is not yet
        // acknowledged is an underrun: no new request, DMAUDRx.
        if (x.dma_pending) {
            x.dmaudr.set(1);
        } else {
            x.dma_pending = true;
            x.dma->set(true);
        }
    }
    update_irq();
}

void Stm32h7Dac::input(unsigned n, bool level)
{
    if (n >= trig_.size() || trig_[n] == level) {
        return;
    }
    trig_[n] = level;
    if (!level) {
        return; // the trigger is the rising edge
    }
    for (unsigned c = 0; c < 2; c++) {
        if (ch_[c].ten.on() && ch_[c].tsel.get() == n && n != 0) {
            trigger(c, false);
        }
    }
}

void Stm32h7Dac::drive(unsigned c)
{
    Channel &x = ch_[c];
    if (!ctx_.analog) {
        return;
    }
    const double v = volts(c);
    const uint32_t mode = x.mode.get() & 3u;
    // MCR.MODEx (RM0399, RM0436): x01 and x11 connect the channel to on-chip
    // peripherals (the internal net), every mode but x11 to the pin.
    if (!x.net.empty()) {
        const double n = (mode & 1u) ? v : 0.0;
        if (n != x.net_out) {
            x.net_out = n;
            ctx_.analog->drive(x.net, n, name());
        }
    }
    if (x.pin.empty() || mode == 3u || v == x.out) {
        return;
    }
    x.out = v;
    if (log().tracing("adc")) {
        char b[64];
        std::snprintf(b, sizeof(b), "OUT%u (%s) = %.4f V", c + 1, x.pin.c_str(), v);
        AMPVP_TRACE("adc", name(), b);
    }
    ctx_.analog->drive(x.pin, v, name());
}

void Stm32h7Dac::update_irq()
{
    irq_->set((ch_[0].dmaudr.on() && ch_[0].dmaudrie.on()) || (ch_[1].dmaudr.on() && ch_[1].dmaudrie.on()));
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-dac", ampvp::Stm32h7Dac)
