#include "stm32_hrtim.h"
#include "../model_registry.h"

#include "../log.h"

#include <algorithm>
#include <utility>

namespace ampvp {

namespace {
const char kLetter[] = "ABCDE";
constexpr uint64_t NEVER = ~0ull;
using u128 = unsigned __int128;

// Names of the ISR / ICR / DIER bits of a timing unit (RM0399 HRTIM_TIMxISR),
// by bit position; empty: reserved.
const char *const kTimerFlags[16] = {"CMP1", "CMP2", "CMP3", "CMP4", "REP", "", "UPD", "CPT1",
                                     "CPT2", "SET1", "RST1", "SET2", "RST2", "RST", "DLYPRT", ""};
const char *const kMasterFlags[7] = {"MCMP1", "MCMP2", "MCMP3", "MCMP4", "MREP", "SYNC", "MUPD"};
} // namespace

Stm32Hrtim::Stm32Hrtim(const std::string &name) : RegisterDevice(name)
{
    for (unsigned t = 0; t < TIMERS; t++) {
        u_[t].irq = &add_irq(std::string("tim") + char('a' + t));
        for (unsigned o = 0; o < OUTPUTS; o++) {
            u_[t].out[o] = &add_irq(std::string("ch") + char('a' + t) + char('1' + o));
        }
    }
    u_[MASTER].irq = &add_irq("master");
    flt_ = &add_irq("flt");
    declare_master();
    for (unsigned t = 0; t < TIMERS; t++) {
        declare_timer(t);
    }
    declare_common();
}

// ---- register table (RM0399 HRTIM register map: master timer 0x000, timer x at
// 0x080 + 0x80 * x, common registers 0x380) ------------------------------------

// Bits 5:0 of MCR and TIMxCR, the same in both (RM0399): clock prescaler,
// continuous / single-shot, retriggerable, half mode.
Register &Stm32Hrtim::mode_fields(Register &r, UnitRegs &x)
{
    return r.field("CKPSC", 0, 3, Acc::RW, &x.ckpsc)
        .field("CONT", 3, 1, Acc::RW, &x.cont)
        .field("RETRIG", 4, 1, Acc::RW, &x.retrig)
        .unimpl("HALF", 5, 1);
}

void Stm32Hrtim::declare_master()
{
    auto &r = regs_;
    UnitRegs &m = u_[MASTER];
    Register &mcr = mode_fields(r.reg("MCR", 0x000, 0), m)
                        .unimpl("SYNCIN", 8, 2)
                        .unimpl("SYNCRSTM", 10, 1)
                        .unimpl("SYNCSTRTM", 11, 1)
                        .unimpl("SYNCOUT", 12, 2)
                        .unimpl("SYNCSRC", 14, 2)
                        .field("MCEN", 16, 1, Acc::RW, &m.cen);
    for (unsigned t = 0; t < TIMERS; t++) {
        mcr.field(std::string("T") + kLetter[t] + "CEN", 17 + t, 1, Acc::RW, &u_[t].cen);
    }
    mcr.unimpl("DACSYNC", 25, 2)
        .field("PREEN", 27, 1, Acc::RW, &m.preen)
        .field("MREPU", 29, 1, Acc::RW, &m.repu)
        .unimpl("BRSTDMA", 30, 2)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now_v, uint32_t) {
            on_counter_write(MASTER);
            on_enable_change(old, now_v, a.core_name);
        });
    mcr_ = &mcr;
    Register &isr = r.reg("MISR", 0x004, 0);
    Register &icr = r.reg("MICR", 0x008, 0);
    Register &dier = r.reg("MDIER", 0x00C, 0);
    for (unsigned b = 0; b < 7; b++) {
        const std::string f = kMasterFlags[b];
        isr.field(f, b, 1, Acc::RO);
        icr.field(f + "C", b, 1, Acc::WO);
        dier.field(f + "IE", b, 1, Acc::RW);
    }
    for (unsigned b = 0; b < 7; b++) {
        dier.unimpl(std::string(kMasterFlags[b]) + "DE", 16 + b, 1);
    }
    m.isr = &isr;
    m.dier = &dier;
    m.flag_mask = 0x5Fu; // MCMP1-4, MREP, MUPD (SYNC: synchronization input, not modelled)
    icr.post_write([this, p = &icr](BusAccess &, uint32_t, uint32_t v, uint32_t) {
        u_[MASTER].isr->value &= ~v;
        p->value = 0;
    });
    m.cnt = &r.reg("MCNTR", 0x010, 0).field("MCNT", 0, 16, Acc::RW);
    m.per = &r.reg("MPER", 0x014, 0xFFFF).field("MPER", 0, 16, Acc::RW);
    m.rep = &r.reg("MREP", 0x018, 0).field("MREP", 0, 8, Acc::RW);
    static const uint32_t kCmpOffset[4] = {0x01C, 0x024, 0x028, 0x02C};
    for (unsigned k = 0; k < 4; k++) {
        const std::string n = "MCMP" + std::to_string(k + 1);
        m.cmp[k] = &r.reg(n + "R", kCmpOffset[k], 0).field(n, 0, 16, Acc::RW);
    }
    declare_counter_hooks(MASTER);
}

void Stm32Hrtim::declare_timer(unsigned t)
{
    auto &r = regs_;
    UnitRegs &x = u_[t];
    const uint32_t b = 0x080 + 0x80 * t;
    const std::string X(1, kLetter[t]);
    Register &cr = mode_fields(r.reg("TIM" + X + "CR", b + 0x00, 0), x)
                       .unimpl("PSHPLL", 6, 1)
                       .unimpl("SYNCRST", 10, 1)
                       .unimpl("SYNCSTRT", 11, 1)
                       .unimpl("DELCMP2", 12, 2)
                       .unimpl("DELCMP4", 14, 2)
                       .field("TREPU", 17, 1, Acc::RW, &x.repu)
                       .field("TRSTU", 18, 1, Acc::RW, &x.rstu);
    for (unsigned k = 0; k < TIMERS; k++) {
        cr.unimpl(std::string("T") + kLetter[k] + "U", 19 + k, 1);
    }
    cr.unimpl("MSTU", 24, 1)
        .unimpl("DACSYNC", 25, 2)
        .field("PREEN", 27, 1, Acc::RW, &x.preen)
        .unimpl("UPDGAT", 28, 4)
        .post_write([this, t](BusAccess &, uint32_t, uint32_t, uint32_t) {
            on_counter_write(t);
        });
    x.cr = &cr;
    Register &isr = r.reg("TIM" + X + "ISR", b + 0x04, 0);
    Register &icr = r.reg("TIM" + X + "ICR", b + 0x08, 0);
    Register &dier = r.reg("TIM" + X + "DIER", b + 0x0C, 0);
    for (unsigned bit = 0; bit < 16; bit++) {
        const std::string f = kTimerFlags[bit];
        if (f.empty()) {
            continue;
        }
        isr.field(f, bit, 1, Acc::RO);
        icr.field(f + "C", bit, 1, Acc::WO);
        dier.field(f + "IE", bit, 1, Acc::RW);
    }
    // Status bits of unmodelled features (push-pull, delayed protection).
    isr.field("CPPSTAT", 16, 1, Acc::RO)
        .field("IPPSTAT", 17, 1, Acc::RO)
        .field("O1STAT", 18, 1, Acc::RO)
        .field("O2STAT", 19, 1, Acc::RO);
    for (unsigned bit = 0; bit < 16; bit++) {
        if (*kTimerFlags[bit]) {
            dier.unimpl(std::string(kTimerFlags[bit]) + "DE", 16 + bit, 1);
        }
    }
    x.isr = &isr;
    x.dier = &dier;
    // CMP1-4, REP, UPD, SET1, RST1, SET2, RST2, RST (not CPT1/2, DLYPRT).
    x.flag_mask = 0x0Fu | (1u << F_REP) | (1u << F_UPD) | (0x1Fu << F_SET1);
    icr.post_write([this, t, p = &icr](BusAccess &, uint32_t, uint32_t v, uint32_t) {
        u_[t].isr->value &= ~v;
        p->value = 0;
    });
    x.cnt = &r.reg("CNT" + X + "R", b + 0x10, 0).field("CNTx", 0, 16, Acc::RW);
    x.per = &r.reg("PER" + X + "R", b + 0x14, 0xFFFF).field("PERx", 0, 16, Acc::RW);
    x.rep = &r.reg("REP" + X + "R", b + 0x18, 0).field("REPx", 0, 8, Acc::RW);
    x.cmp[0] = &r.reg("CMP1" + X + "R", b + 0x1C, 0).field("CMP1x", 0, 16, Acc::RW);
    // RM0399 HRTIM_CMP1CxR: CMP1x and REPx in one word (the same registers).
    r.reg("CMP1C" + X + "R", b + 0x20, 0)
        .field("CMP1x", 0, 16, Acc::RW)
        .field("REPx", 16, 8, Acc::RW)
        .on_read([this, t](BusAccess &, uint32_t) {
            return (u_[t].cmp[0]->value & 0xFFFFu) | ((u_[t].rep->value & 0xFFu) << 16);
        })
        .post_write([this, t](BusAccess &, uint32_t, uint32_t v, uint32_t) {
            u_[t].cmp[0]->value = v & 0xFFFFu;
            u_[t].rep->value = (v >> 16) & 0xFFu;
            if (!u_[t].preen.on()) {
                st_.unit[t].cmp[0] = v & 0xFFFFu;
                st_.unit[t].rep = (v >> 16) & 0xFFu;
            }
        });
    for (unsigned k = 1; k < 4; k++) {
        const std::string n = "CMP" + std::to_string(k + 1);
        x.cmp[k] = &r.reg(n + X + "R", b + 0x1C + 4 * (k + 1), 0).field(n + "x", 0, 16, Acc::RW);
    }
    // Capture (not modelled): the capture registers read 0.
    r.reg("CPT1" + X + "R", b + 0x30, 0).field("CPT1x", 0, 16, Acc::RO);
    r.reg("CPT2" + X + "R", b + 0x34, 0).field("CPT2x", 0, 16, Acc::RO);
    r.reg("DT" + X + "R", b + 0x38, 0)
        .unimpl("DTRx", 0, 9)
        .unimpl("SDTRx", 9, 1)
        .unimpl("DTPRSC", 10, 3)
        .unimpl("DTRSLKx", 14, 1)
        .unimpl("DTRLKx", 15, 1)
        .unimpl("DTFx", 16, 9)
        .unimpl("SDTFx", 25, 1)
        .unimpl("DTFSLKx", 30, 1)
        .unimpl("DTFLKx", 31, 1);
    for (unsigned o = 0; o < OUTPUTS; o++) {
        for (int is_set = 1; is_set >= 0; is_set--) {
            const std::string n = std::string(is_set ? "SET" : "RST") + X + std::to_string(o + 1) + "R";
            Register &sr = r.reg(n, b + 0x3C + 8 * o + (is_set ? 0 : 4), 0)
                               .field(is_set ? "SST" : "SRT", 0, 1, Acc::WO)
                               .unimpl("RESYNC", 1, 1)
                               .field("PER", 2, 1, Acc::RW);
            for (unsigned k = 0; k < 4; k++) {
                sr.field("CMP" + std::to_string(k + 1), 3 + k, 1, Acc::RW);
            }
            sr.unimpl("MSTPER", 7, 1);
            for (unsigned k = 0; k < 4; k++) {
                sr.unimpl("MSTCMP" + std::to_string(k + 1), 8 + k, 1);
            }
            for (unsigned k = 0; k < 9; k++) {
                sr.unimpl("TIMEVNT" + std::to_string(k + 1), 12 + k, 1);
            }
            for (unsigned k = 0; k < 10; k++) {
                sr.unimpl("EXTEVNT" + std::to_string(k + 1), 21 + k, 1);
            }
            sr.unimpl("UPDATE", 31, 1);
            sr.post_write([this, t, o, is_set, p = &sr](BusAccess &, uint32_t, uint32_t v, uint32_t) {
                p->value &= ~SRC_SOFT; // RM0399: SST/SRT are reset by hardware, and not preloaded
                if (!u_[t].preen.on()) {
                    (is_set ? st_.unit[t].set[o] : st_.unit[t].rst[o]) = p->value;
                }
                if (v & SRC_SOFT) {
                    software_output(t, o, is_set != 0);
                }
            });
            (is_set ? x.set[o] : x.rst[o]) = &sr;
        }
    }
    r.reg("EEF" + X + "R1", b + 0x4C, 0).unimpl("EEF" + X + "R1", 0, 32);
    r.reg("EEF" + X + "R2", b + 0x50, 0).unimpl("EEF" + X + "R2", 0, 32);
    r.reg("RST" + X + "R", b + 0x54, 0).unimpl("RST" + X + "R", 0, 32);
    r.reg("CHP" + X + "R", b + 0x58, 0).unimpl("CHP" + X + "R", 0, 32);
    r.reg("CPT1" + X + "CR", b + 0x5C, 0).unimpl("CPT1" + X + "CR", 0, 32);
    r.reg("CPT2" + X + "CR", b + 0x60, 0).unimpl("CPT2" + X + "CR", 0, 32);
    Register &outr = r.reg("OUT" + X + "R", b + 0x64, 0);
    for (unsigned o = 0; o < OUTPUTS; o++) {
        const unsigned s = 16 * o;
        const std::string y = std::to_string(o + 1);
        outr.field("POL" + y, 1 + s, 1, Acc::RW, &x.pol[o])
            .unimpl("IDLEM" + y, 2 + s, 1)
            .field("IDLES" + y, 3 + s, 1, Acc::RW, &x.idles[o])
            .unimpl("FAULT" + y, 4 + s, 2)
            .unimpl("CHP" + y, 6 + s, 1)
            .unimpl("DIDL" + y, 7 + s, 1);
        if (o == 0) {
            outr.unimpl("DTEN", 8, 1).unimpl("DLYPRTEN", 9, 1).unimpl("DLYPRT", 10, 3);
        }
    }
    r.reg("FLT" + X + "R", b + 0x68, 0).unimpl("FLT" + X + "R", 0, 32);
    declare_counter_hooks(t);
}

// Hooks every counter's CNT, PER, REP and CMPx registers share: CNT reads the
// running counter and is written only while stopped; PER, REP and CMPx are
// preloadable (PREEN = 0: active at once).
void Stm32Hrtim::declare_counter_hooks(unsigned u)
{
    UnitRegs &x = u_[u];
    x.cnt->on_read([this, u](BusAccess &, uint32_t v) { return st_.unit[u].running ? counter_now(u) : v; })
        .pre_write([this, u](BusAccess &a, uint32_t, uint32_t &, uint32_t) {
            if (u_[u].cen.on()) {
                // RM0399: the counter can be written only while the timer is stopped.
                log().guest_error(a.core_name, name() + ": writes the counter of " + unit_name(u) +
                                                   " while it is enabled (ignored)");
                return false;
            }
            return true;
        });
    x.per->post_write([this, u](BusAccess &, uint32_t, uint32_t v, uint32_t) {
        if (!u_[u].preen.on()) {
            const uint32_t c = counter_now(u);
            st_.unit[u].per = v;
            set_counter(u, c);
        }
    });
    x.rep->post_write([this, u](BusAccess &, uint32_t, uint32_t v, uint32_t) {
        if (!u_[u].preen.on()) {
            st_.unit[u].rep = v;
        }
    });
    for (unsigned k = 0; k < 4; k++) {
        x.cmp[k]->post_write([this, u, k](BusAccess &, uint32_t, uint32_t v, uint32_t) {
            if (!u_[u].preen.on()) {
                st_.unit[u].cmp[k] = v;
            }
        });
    }
}

void Stm32Hrtim::declare_common()
{
    auto &r = regs_;
    const uint32_t b = 0x380;
    Register &cr1 = r.reg("CR1", b + 0x00, 0).field("MUDIS", 0, 1, Acc::RW, &u_[MASTER].udis);
    for (unsigned t = 0; t < TIMERS; t++) {
        cr1.field(std::string("T") + kLetter[t] + "UDIS", 1 + t, 1, Acc::RW, &u_[t].udis);
    }
    for (unsigned k = 0; k < 4; k++) {
        cr1.unimpl("ADC" + std::to_string(k + 1) + "USRC", 16 + 3 * k, 3);
    }
    Register &cr2 = r.reg("CR2", b + 0x04, 0).field("MSWU", 0, 1, Acc::WO);
    for (unsigned t = 0; t < TIMERS; t++) {
        cr2.field(std::string("T") + kLetter[t] + "SWU", 1 + t, 1, Acc::WO);
    }
    cr2.field("MRST", 8, 1, Acc::WO);
    for (unsigned t = 0; t < TIMERS; t++) {
        cr2.field(std::string("T") + kLetter[t] + "RST", 9 + t, 1, Acc::WO);
    }
    cr2.post_write([this](BusAccess &a, uint32_t, uint32_t v, uint32_t) {
        cr2_->value = 0; // RM0399: set by software, reset by hardware
        for (unsigned u = 0; u < UNITS; u++) {
            const unsigned k = u == MASTER ? 0 : u + 1; // bit of unit u: master 0, timer x 1 + x
            if (v & (1u << k)) {
                software_update(u);
            }
            if (v & (1u << (8 + k))) {
                software_reset(u, a.core_name);
            }
        }
    });
    cr2_ = &cr2;
    Register &isr = r.reg("ISR", b + 0x08, 0);
    Register &icr = r.reg("ICR", b + 0x0C, 0);
    Register &ier = r.reg("IER", b + 0x10, 0);
    for (unsigned k = 0; k < 5; k++) {
        const std::string f = "FLT" + std::to_string(k + 1);
        isr.field(f, k, 1, Acc::RO);
        icr.field(f + "C", k, 1, Acc::WO);
        ier.field(f + "IE", k, 1, Acc::RW);
    }
    isr.field("SYSFLT", 5, 1, Acc::RO).field("BMPER", 17, 1, Acc::RO);
    icr.field("SYSFLTC", 5, 1, Acc::WO).field("BMPERC", 17, 1, Acc::WO);
    ier.field("SYSFLTIE", 5, 1, Acc::RW).field("BMPERIE", 17, 1, Acc::RW);
    icr.post_write([this, p = &icr](BusAccess &, uint32_t, uint32_t v, uint32_t) {
        isr_->value &= ~v;
        p->value = 0;
    });
    isr_ = &isr;
    ier_ = &ier;
    // Output enable (RM0399 HRTIM_OENR: writing 1 enables, 0 has no effect, a
    // read gives the enable state), disable (HRTIM_ODISR: writing 1 disables)
    // and disable status (HRTIM_ODSR: fault state, never entered here).
    Register &oenr = r.reg("OENR", b + 0x14, 0);
    Register &odisr = r.reg("ODISR", b + 0x18, 0);
    Register &odsr = r.reg("ODSR", b + 0x1C, 0);
    for (unsigned t = 0; t < TIMERS; t++) {
        for (unsigned o = 0; o < OUTPUTS; o++) {
            const std::string n = std::string("T") + kLetter[t] + std::to_string(o + 1);
            oenr.field(n + "OEN", 2 * t + o, 1, Acc::W1S, &u_[t].oen[o]);
            odisr.field(n + "ODIS", 2 * t + o, 1, Acc::WO);
            odsr.field(n + "ODS", 2 * t + o, 1, Acc::RO);
        }
    }
    odisr.post_write([this, p = &odisr](BusAccess &, uint32_t, uint32_t v, uint32_t) {
        oenr_->value &= ~v;
        p->value = 0;
    });
    oenr_ = &oenr;
    // Burst mode, external events, ADC triggers, faults, burst DMA: not modelled.
    static const char *const kUnmodelled[] = {"BMCR",  "BMTRGR", "BMCMPR", "BMPER", "EECR1", "EECR2", "EECR3",
                                              "ADC1R", "ADC2R",  "ADC3R",  "ADC4R"};
    for (unsigned k = 0; k < sizeof(kUnmodelled) / sizeof(kUnmodelled[0]); k++) {
        r.reg(kUnmodelled[k], b + 0x20 + 4 * k, 0).unimpl(kUnmodelled[k], 0, 32);
    }
    // b + 0x4C: reserved (RM0399's HRTIM has no DLL: no DLLCR).
    static const char *const kUnmodelled2[] = {"FLTINR1", "FLTINR2", "BDMUPR",  "BDTAUPR", "BDTBUPR",
                                               "BDTCUPR", "BDTDUPR", "BDTEUPR", "BDMADR"};
    for (unsigned k = 0; k < sizeof(kUnmodelled2) / sizeof(kUnmodelled2[0]); k++) {
        r.reg(kUnmodelled2[k], b + 0x50 + 4 * k, 0).unimpl(kUnmodelled2[k], 0, 32);
    }
}

std::string Stm32Hrtim::unit_name(unsigned u)
{
    return u == MASTER ? std::string("the master timer") : std::string("timer ") + kLetter[u];
}

void Stm32Hrtim::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
        clock_id_ = -2;
    }
}

void Stm32Hrtim::reset()
{
    st_ = State{};
    RegisterDevice::reset();
    if (ctx_.scheduler) {
        for (unsigned u = 0; u < UNITS; u++) {
            ctx_.scheduler->schedule(this, u, 0);
        }
    }
    drive_outputs();
}

// ---- time ----------------------------------------------------------------------

uint64_t Stm32Hrtim::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Hrtim::clock_hz() const
{
    if (!ctx_.clock_source) {
        return 64000000; // the reset clock (APB2 timer clock on HSI) if no clock model is there
    }
    if (clock_id_ == -2) {
        clock_id_ = ctx_.clock_source->clock_id(clock_); // once: no name lookup per access
    }
    return ctx_.clock_source->hz(clock_id_);
}

// RM0399: fCOUNTER = fHRTIM x 32 / 2^CKPSC; only CKPSC >= 5 exists here (no DLL).
uint32_t Stm32Hrtim::div_of(unsigned u) const
{
    const uint32_t ck = u_[u].ckpsc.get();
    return ck < 5 ? 1u : 1u << (ck - 5);
}

uint64_t Stm32Hrtim::tick_at(const Unit &s, uint64_t t) const
{
    if (!s.hz || t <= s.origin_ns) {
        return 0;
    }
    return static_cast<uint64_t>(u128(t - s.origin_ns) * s.hz / (u128(1000000000) * s.div));
}

uint64_t Stm32Hrtim::time_of(const Unit &s, uint64_t n) const
{
    if (!s.hz) {
        return NEVER;
    }
    return s.origin_ns + static_cast<uint64_t>((u128(n) * 1000000000u * s.div + s.hz - 1) / s.hz);
}

uint64_t Stm32Hrtim::ticks_ns(const Unit &s, uint64_t n) const
{
    return s.hz ? static_cast<uint64_t>((u128(n) * 1000000000u * s.div + s.hz / 2) / s.hz) : 0;
}

uint32_t Stm32Hrtim::pos(const Unit &s, uint64_t n)
{
    if (n < s.base_tick) {
        return s.base_cnt;
    }
    return static_cast<uint32_t>((s.base_cnt + (n - s.base_tick)) % period(s));
}

// The first tick after `after` at which the counter takes value p (< PER); a
// value of 0 is a period event (roll-over).
uint64_t Stm32Hrtim::next_pos_tick(const Unit &s, uint32_t p, uint64_t after)
{
    const uint64_t P = period(s);
    const uint64_t first = after + 1;
    return first + (p + P - pos(s, first)) % P;
}

uint64_t Stm32Hrtim::period_events(const Unit &s, uint64_t n0, uint64_t n1)
{
    if (n1 <= n0) {
        return 0;
    }
    const uint64_t np = next_pos_tick(s, 0, n0);
    return np > n1 ? 0 : 1 + (n1 - np) / period(s);
}

uint64_t Stm32Hrtim::stop_tick(unsigned u) const
{
    const Unit &s = st_.unit[u];
    if (!s.running || u_[u].cont.on()) {
        return NEVER;
    }
    return s.base_tick + (period(s) - s.base_cnt); // RM0399 single-shot: stops at the period
}

// The next automatic update event after `checked`: a repetition event with
// xREPU, a roll-over with TxRSTU; none while CR1.xUDIS.
uint64_t Stm32Hrtim::next_update_tick(unsigned u) const
{
    const Unit &s = st_.unit[u];
    const UnitRegs &x = u_[u];
    if (x.udis.on()) {
        return NEVER;
    }
    uint64_t n = NEVER;
    const uint64_t np = next_pos_tick(s, 0, s.checked);
    if (x.repu.on()) {
        n = np + uint64_t(s.rep_cnt) * period(s);
    }
    if (is_timer(u) && x.rstu.on()) {
        n = std::min(n, np);
    }
    return n;
}

bool Stm32Hrtim::update_pending(unsigned u) const
{
    const Unit &s = st_.unit[u];
    const UnitRegs &x = u_[u];
    bool differ = x.per->value != s.per || x.rep->value != s.rep;
    for (unsigned k = 0; k < 4; k++) {
        differ |= x.cmp[k]->value != s.cmp[k];
    }
    if (is_timer(u)) {
        for (unsigned o = 0; o < OUTPUTS; o++) {
            differ |= x.set[o]->value != s.set[o] || x.rst[o]->value != s.rst[o];
        }
    }
    return differ;
}

// ---- events --------------------------------------------------------------------

// Calls f(tick, sources) for each tick in (n0, n1] at which some of `sources`
// (crossbar bits: PER, CMPx) fire, in time order.
template <class F>
void Stm32Hrtim::for_each_event(const Unit &s, uint64_t n0, uint64_t n1, uint32_t sources, F &&f) const
{
    if (n1 <= n0) {
        return;
    }
    const uint64_t P = period(s);
    std::array<std::pair<uint32_t, uint32_t>, 5> ev{}; // (counter value, sources), by value
    unsigned k = 0;
    auto add = [&](uint32_t p, uint32_t src) {
        for (unsigned i = 0; i < k; i++) {
            if (ev[i].first == p) {
                ev[i].second |= src;
                return;
            }
        }
        ev[k++] = {p, src};
    };
    if (sources & SRC_PER) {
        add(0, SRC_PER);
    }
    for (unsigned c = 0; c < 4; c++) {
        if ((sources & (SRC_CMP1 << c)) && s.cmp[c] < P) {
            add(s.cmp[c], SRC_CMP1 << c);
        }
    }
    for (unsigned i = 1; i < k; i++) { // by counter value (at most 5 entries)
        for (unsigned j = i; j > 0 && ev[j].first < ev[j - 1].first; j--) {
            std::swap(ev[j], ev[j - 1]);
        }
    }
    const uint64_t first = n0 + 1;
    // Period starts (counter 0), from the one of the period holding `first`.
    for (int64_t ps = int64_t(first) - int64_t(pos(s, first)); ps <= int64_t(n1); ps += int64_t(P)) {
        for (unsigned i = 0; i < k; i++) {
            const int64_t m = ps + ev[i].first;
            if (m < int64_t(first)) {
                continue;
            }
            if (m > int64_t(n1)) {
                return;
            }
            f(uint64_t(m), ev[i].second);
        }
    }
}

// RM0399 set/reset crossbar: a set request makes the output active, a reset
// request inactive; the same event selected for both toggles it; set and reset
// from different events at once: the reset has priority.
bool Stm32Hrtim::apply(bool level, uint32_t set_req, uint32_t rst_req)
{
    if (set_req & rst_req) {
        return !level;
    }
    if (rst_req) {
        return false;
    }
    return set_req ? true : level;
}

// The crossbar level after tick n1, from `level` after tick n0.  From one period
// on the level repeats every two periods (the per-period map of a level is a
// constant, the identity or an inversion), so long spans are shortened.
bool Stm32Hrtim::simulate(const Unit &s, bool level, uint64_t n0, uint64_t n1, uint32_t setm, uint32_t rstm) const
{
    const uint32_t src = (setm | rstm) & SRC_MODELLED & ~SRC_SOFT;
    if (!src || n1 <= n0) {
        return level;
    }
    auto run = [&](uint64_t a, uint64_t b) {
        for_each_event(s, a, b, src, [&](uint64_t, uint32_t fired) { level = apply(level, fired & setm, fired & rstm); });
    };
    const uint64_t P = period(s);
    if (n1 - n0 > 3 * P) {
        run(n0, n0 + P);
        const uint64_t m = n0 + P;
        run(m, m + (n1 - m) % (2 * P));
    } else {
        run(n0, n1);
    }
    return level;
}

// Flags, repetition counter and crossbar levels for the ticks (n0, n1], with
// the active values constant in between.
void Stm32Hrtim::process(unsigned u, uint64_t n0, uint64_t n1)
{
    if (n1 <= n0) {
        return;
    }
    Unit &s = st_.unit[u];
    const UnitRegs &x = u_[u];
    const uint64_t P = period(s);
    uint32_t flags = 0, fired = 0;
    for (unsigned k = 0; k < 4; k++) {
        if (s.cmp[k] < P && next_pos_tick(s, s.cmp[k], n0) <= n1) {
            flags |= 1u << (F_CMP1 + k);
            fired |= SRC_CMP1 << k;
        }
    }
    const uint64_t rolls = period_events(s, n0, n1);
    if (rolls) {
        fired |= SRC_PER;
        if (is_timer(u)) {
            flags |= 1u << F_RST; // RM0399 RST: counter reset or roll-over
        }
    }
    // Repetition counter: 0 at a period event is a repetition event (reload REP).
    bool rep_event = false;
    if (rolls > s.rep_cnt) {
        rep_event = true;
        const uint64_t after_first = rolls - s.rep_cnt - 1;
        s.rep_cnt = s.rep - static_cast<uint32_t>(after_first % (uint64_t(s.rep) + 1));
        flags |= 1u << F_REP;
    } else {
        s.rep_cnt -= static_cast<uint32_t>(rolls);
    }
    if (!x.udis.on() && ((x.repu.on() && rep_event) || (is_timer(u) && x.rstu.on() && rolls))) {
        flags |= 1u << F_UPD;
    }
    if (is_timer(u)) {
        for (unsigned o = 0; o < OUTPUTS; o++) {
            if (fired & s.set[o]) {
                flags |= 1u << (F_SET1 + 2 * o);
            }
            if (fired & s.rst[o]) {
                flags |= 1u << (F_RST1 + 2 * o);
            }
            s.level[o] = simulate(s, s.level[o], n0, n1, s.set[o], s.rst[o]);
        }
    }
    x.isr->value |= flags;
}

void Stm32Hrtim::catch_up(unsigned u)
{
    Unit &s = st_.unit[u];
    if (!s.running) {
        return;
    }
    if (s.hz) {
        const uint64_t n_now = tick_at(s, now());
        while (s.running && s.checked < n_now) {
            const uint64_t stop = stop_tick(u);
            const uint64_t upd = update_pending(u) ? next_update_tick(u) : NEVER;
            const uint64_t n1 = std::min({n_now, stop, upd});
            process(u, s.checked, n1);
            s.checked = n1;
            if (n1 == upd) {
                // RM0399: the preload registers reach the active ones at the
                // update event (a period event: the counter is 0).
                transfer(u);
                set_counter(u, 0);
            }
            if (n1 == stop) {
                s.running = false; // single shot: stopped at 0, TxCEN stays set
                u_[u].cnt->value = 0;
            }
        }
    }
    // The kernel clock (RCC) or the prescaler changed: go on at the new rate
    // from the last tick boundary.
    if (s.running) {
        const uint64_t hz = clock_hz();
        const uint32_t div = div_of(u);
        if (hz != s.hz || div != s.div) {
            const uint32_t c = pos(s, s.checked);
            s.origin_ns = s.hz ? time_of(s, s.checked) : now();
            s.hz = hz;
            s.div = div;
            s.base_tick = s.checked = 0;
            s.base_cnt = c;
        }
    }
}

void Stm32Hrtim::catch_up_all()
{
    for (unsigned u = 0; u < UNITS; u++) {
        catch_up(u);
    }
}

void Stm32Hrtim::transfer(unsigned u)
{
    Unit &s = st_.unit[u];
    const UnitRegs &x = u_[u];
    s.per = x.per->value;
    s.rep = x.rep->value;
    for (unsigned k = 0; k < 4; k++) {
        s.cmp[k] = x.cmp[k]->value;
    }
    if (is_timer(u)) {
        for (unsigned o = 0; o < OUTPUTS; o++) {
            s.set[o] = x.set[o]->value;
            s.rst[o] = x.rst[o]->value;
        }
    }
}

uint32_t Stm32Hrtim::counter_now(unsigned u) const
{
    const Unit &s = st_.unit[u];
    return s.running ? pos(s, s.checked) : u_[u].cnt->value;
}

// The counter takes value c now (after catch_up): counting goes on from there.
// A value at or above the period restarts from 0.
void Stm32Hrtim::set_counter(unsigned u, uint32_t c)
{
    Unit &s = st_.unit[u];
    if (!s.running) {
        u_[u].cnt->value = c;
        return;
    }
    s.base_tick = s.checked;
    s.base_cnt = c < period(s) ? c : 0;
}

void Stm32Hrtim::start(unsigned u, const std::string &core)
{
    Unit &s = st_.unit[u];
    s.running = true;
    s.hz = clock_hz();
    s.div = div_of(u);
    s.origin_ns = now();
    s.base_tick = s.checked = 0;
    s.base_cnt = u_[u].cnt->value < period(s) ? u_[u].cnt->value : 0;
    s.rep_cnt = s.rep;
    if (s.per < 3) {
        log().guest_error(core, name() + ": " + unit_name(u) + " starts with a period of " + std::to_string(s.per) +
                                     " (RM0399: at least 3 periods of fHRTIM)");
    }
    if (u_[u].ckpsc.get() < 5) {
        log().guest_error(core, name() + ": " + unit_name(u) + " counts with CKPSC = " +
                                    std::to_string(u_[u].ckpsc.get()) +
                                    ", reserved (RM0399: 101, 110, 111; no DLL); counting at fHRTIM");
    }
}

void Stm32Hrtim::stop(unsigned u)
{
    Unit &s = st_.unit[u];
    if (s.running) {
        u_[u].cnt->value = counter_now(u); // the counter keeps its value
    }
    s.running = false;
}

void Stm32Hrtim::on_counter_write(unsigned u)
{
    // Rate (CKPSC) or mode (CONT) changed while counting: go on from the
    // current counter value.
    catch_up(u);
    set_counter(u, counter_now(u));
}

void Stm32Hrtim::on_enable_change(uint32_t old_mcr, uint32_t new_mcr, const std::string &core)
{
    for (unsigned u = 0; u < UNITS; u++) {
        const bool was = u_[u].cen.in(old_mcr), is = u_[u].cen.in(new_mcr);
        if (is && !was) {
            start(u, core);
        } else if (was && !is) {
            stop(u);
        }
    }
}

// RM0399 CR2.xRST: the counter is reset (a reset event: RST flag, an update with
// TxRSTU); in single-shot mode a stopped counter restarts, a counting one only
// with RETRIG.
void Stm32Hrtim::software_reset(unsigned u, const std::string &core)
{
    Unit &s = st_.unit[u];
    const UnitRegs &x = u_[u];
    if (!x.cen.on()) {
        x.cnt->value = 0;
        return;
    }
    if (s.running && !x.cont.on() && !x.retrig.on()) {
        return; // non-retriggerable single shot: ignored while counting
    }
    if (!s.running) {
        x.cnt->value = 0;
        start(u, core);
    } else {
        set_counter(u, 0);
        s.rep_cnt = s.rep;
    }
    if (is_timer(u)) {
        x.isr->value |= 1u << F_RST;
        if (x.rstu.on() && !x.udis.on()) {
            transfer(u);
            set_counter(u, 0);
            x.isr->value |= 1u << F_UPD;
        }
    }
}

// RM0399 CR2.xSWU: an immediate transfer from the preload to the active
// registers (not held back by CR1.xUDIS, which disables the automatic updates).
void Stm32Hrtim::software_update(unsigned u)
{
    const uint32_t c = counter_now(u);
    transfer(u);
    set_counter(u, c);
    u_[u].isr->value |= 1u << F_UPD;
}

// RM0399 SETxyR.SST / RSTxyR.SRT: force the output active / inactive now.
void Stm32Hrtim::software_output(unsigned t, unsigned o, bool set)
{
    st_.unit[t].level[o] = set;
    u_[t].isr->value |= 1u << ((set ? F_SET1 : F_RST1) + 2 * o);
}

// One deadline per counter: the next event an enabled interrupt waits for, a
// pending preload transfer, the end of a single shot, or a pending output
// change that no waveform carries.
void Stm32Hrtim::schedule(unsigned u)
{
    if (!ctx_.scheduler) {
        return;
    }
    const Unit &s = st_.unit[u];
    const UnitRegs &x = u_[u];
    uint64_t best = NEVER;
    if (s.running && s.hz) {
        const uint64_t P = period(s);
        const uint64_t np = next_pos_tick(s, 0, s.checked);
        auto next_source = [&](uint32_t src) {
            uint64_t n = (src & SRC_PER) ? np : NEVER;
            for (unsigned k = 0; k < 4; k++) {
                if ((src & (SRC_CMP1 << k)) && s.cmp[k] < P) {
                    n = std::min(n, next_pos_tick(s, s.cmp[k], s.checked));
                }
            }
            return n;
        };
        const uint32_t wanted = x.dier->value & ~x.isr->value & x.flag_mask;
        for (unsigned k = 0; k < 4; k++) {
            if (wanted & (1u << (F_CMP1 + k))) {
                best = std::min(best, next_source(SRC_CMP1 << k));
            }
        }
        if (wanted & (1u << F_REP)) {
            best = std::min(best, np + uint64_t(s.rep_cnt) * P);
        }
        if (wanted & (1u << F_UPD)) {
            best = std::min(best, next_update_tick(u));
        }
        if (is_timer(u)) {
            if (wanted & (1u << F_RST)) {
                best = std::min(best, np);
            }
            for (unsigned o = 0; o < OUTPUTS; o++) {
                if (wanted & (1u << (F_SET1 + 2 * o))) {
                    best = std::min(best, next_source(s.set[o]));
                }
                if (wanted & (1u << (F_RST1 + 2 * o))) {
                    best = std::min(best, next_source(s.rst[o]));
                }
                if (s.pending_edge[o] || !x.cont.on()) {
                    best = std::min(best, next_source(s.set[o] | s.rst[o]));
                }
            }
        }
        if (update_pending(u)) {
            best = std::min(best, next_update_tick(u));
        }
        best = std::min(best, stop_tick(u));
    }
    ctx_.scheduler->schedule(this, u, best == NEVER ? 0 : time_of(s, best));
}

void Stm32Hrtim::schedule_all()
{
    for (unsigned u = 0; u < UNITS; u++) {
        schedule(u);
    }
}

void Stm32Hrtim::timer_fired(unsigned)
{
    catch_up_all();
    update_outputs();
    update_irq();
    schedule_all();
}

uint32_t Stm32Hrtim::read(BusAccess &a)
{
    catch_up_all();
    const uint32_t v = RegisterDevice::read(a);
    update_outputs();
    schedule_all();
    return v;
}

void Stm32Hrtim::write(BusAccess &a, uint32_t value)
{
    catch_up_all();
    RegisterDevice::write(a, value);
    update_outputs();
    schedule_all();
}

// ---- outputs -------------------------------------------------------------------

// The pin level of output o of timer t (RM0399 output stage): RUN (TxyOEN = 1)
// the crossbar's level, IDLE the idle level IDLESy (0 inactive, 1 active);
// POLy = 1 makes active low.  While the timer counts continuously the crossbar
// gives a periodic waveform (its steady state: from one period on the pattern
// repeats every period, or every two when an event toggles it), worked out in
// counter ticks and converted to time once; else the level now.
Waveform Stm32Hrtim::output_wave(unsigned t, unsigned o)
{
    const UnitRegs &x = u_[t];
    Unit &s = st_.unit[t];
    const bool pol = x.pol[o].on();
    s.pending_edge[o] = false;
    if (!x.oen[o].on()) {
        return Waveform::constant(x.idles[o].on() != pol);
    }
    const bool level = s.level[o];
    const uint32_t setm = s.set[o] & SRC_MODELLED & ~SRC_SOFT, rstm = s.rst[o] & SRC_MODELLED & ~SRC_SOFT;
    if (!s.running || !s.hz || !x.cont.on() || !(setm | rstm)) {
        return Waveform::constant(level != pol);
    }
    const uint64_t P = period(s);
    const uint64_t r = next_pos_tick(s, 0, s.checked + P - 1); // a period start, one period on
    const bool lr = simulate(s, level, s.checked, r, setm, rstm);
    struct Edge {
        uint64_t at; // ticks after r
        bool level;  // the pin's
    };
    std::vector<Edge> e;
    bool cur = lr;
    for_each_event(s, r, r + 2 * P, setm | rstm, [&](uint64_t m, uint32_t fired) {
        const bool nl = apply(cur, fired & setm, fired & rstm);
        if (nl != cur) {
            e.push_back({m - r, nl != pol});
            cur = nl;
        }
    });
    if (e.empty()) {
        // Steady: a constant level, maybe not yet reached (an event to come).
        s.pending_edge[o] = lr != level;
        return Waveform::constant(level != pol);
    }
    // Period P if the second period repeats the first, else 2P.
    std::vector<Edge> a, b;
    for (const Edge &x2 : e) {
        (x2.at <= P ? a : b).push_back({x2.at <= P ? x2.at : x2.at - P, x2.level});
    }
    bool same = a.size() == b.size();
    for (size_t i = 0; same && i < a.size(); i++) {
        same = a[i].at == b[i].at && a[i].level == b[i].level;
    }
    const uint64_t L = same ? P : 2 * P;
    uint64_t rise = 0, fall = 0;
    unsigned rises = 0;
    for (const Edge &x2 : same ? a : e) {
        (x2.level ? rise : fall) = x2.at;
        rises += x2.level;
    }
    if (rises != 1) {
        log().unimplemented(name() + ".T" + kLetter[t] + std::to_string(o + 1) + ".pulses",
                            name() + ": output T" + kLetter[t] + std::to_string(o + 1) +
                                " makes several pulses per period: carried by its level only");
        return Waveform::constant(level != pol);
    }
    Waveform out;
    out.period_ns = ticks_ns(s, L);
    out.high_ns = ticks_ns(s, (fall + L - rise) % L);
    out.start_ns = time_of(s, r + rise);
    return out;
}

void Stm32Hrtim::update_outputs()
{
    const uint64_t t_now = now();
    for (unsigned t = 0; t < TIMERS; t++) {
        for (unsigned o = 0; o < OUTPUTS; o++) {
            const Waveform w = output_wave(t, o).at(t_now);
            IrqLine *line = u_[t].out[o];
            if (line->changes(w)) {
                AMPVP_TRACE("tim", name(), std::string("T") + kLetter[t] + std::to_string(o + 1) + " = " + w.describe());
            }
            line->set_wave(w);
        }
    }
}

// RM0399: an output in IDLE state is driven at its idle level from reset on
// (not floating): the pins hear of it before any change.
void Stm32Hrtim::drive_outputs()
{
    update_outputs();
    for (unsigned t = 0; t < TIMERS; t++) {
        for (unsigned o = 0; o < OUTPUTS; o++) {
            u_[t].out[o]->resend();
        }
    }
}

void Stm32Hrtim::run_started() { drive_outputs(); }

void Stm32Hrtim::update_irq()
{
    for (unsigned u = 0; u < UNITS; u++) {
        const UnitRegs &x = u_[u];
        x.irq->set((x.isr->value & x.dier->value & x.flag_mask) != 0);
    }
    flt_->set((isr_->value & ier_->value) != 0);
}

} // namespace ampvp

AMPVP_MODEL("stm32-hrtim", ampvp::Stm32Hrtim)
