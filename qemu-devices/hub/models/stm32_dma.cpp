#include "stm32_dma.h"
#include "../model_registry.h"

#include "../log.h"

#include <cstring>

namespace ampvp {

namespace {
// RM0399 DMA_LISR/HISR: a stream's flags start at these bits (streams 0-3 in
// LISR, 4-7 in HISR at the same places).
const unsigned kFlagShift[4] = {0, 6, 16, 22};
// Flag offsets inside a stream's group: FEIF 0, (reserved 1), DMEIF 2, TEIF 3,
// HTIF 4, TCIF 5.
enum : unsigned { FEIF = 0, DMEIF = 2, TEIF = 3, HTIF = 4, TCIF = 5 };

// RM0399 BDMA_ISR: channel x's GIF, TCIF, HTIF, TEIF at 4x .. 4x + 3.
enum : unsigned { B_GIF = 0, B_TCIF = 1, B_HTIF = 2, B_TEIF = 3 };
} // namespace

using dma::le_load;
using dma::le_store;

Stm32Dma::Stm32Dma(const std::string &name, Kind kind) : RegisterDevice(name), kind_(kind)
{
    if (kind_ == Kind::Bdma) {
        declare_bdma();
        return;
    }
    auto &r = regs_;
    // LISR / HISR: read-only flags, in bit order.
    for (unsigned half = 0; half < 2; half++) {
        Register &isr = r.reg(half ? "HISR" : "LISR", half ? 0x04 : 0x00, 0);
        isr_[half] = &isr;
        for (unsigned k = 0; k < 4; k++) {
            const unsigned s = half * 4 + k;
            const unsigned b = kFlagShift[k];
            const std::string n = std::to_string(s);
            Stream &x = str_[s];
            isr.field("FEIF" + n, b + FEIF, 1, Acc::RO, &x.feif)
                .field("DMEIF" + n, b + DMEIF, 1, Acc::RO, &x.dmeif)
                .field("TEIF" + n, b + TEIF, 1, Acc::RO, &x.teif)
                .field("HTIF" + n, b + HTIF, 1, Acc::RO, &x.htif)
                .field("TCIF" + n, b + TCIF, 1, Acc::RO, &x.tcif);
            x.flags = x.feif.mask() | x.dmeif.mask() | x.teif.mask() | x.htif.mask() |
                      x.tcif.mask();
        }
    }
    // LIFCR / HIFCR: writing 1 clears the flag at the same position.  HAL
    // writes 0x3F << offset (stm32h7xx_hal_dma.c), which includes the reserved
    // bit between FEIF and DMEIF: accepted silently (RESn).
    for (unsigned half = 0; half < 2; half++) {
        Register &ifcr = r.reg(half ? "HIFCR" : "LIFCR", half ? 0x0C : 0x08, 0);
        for (unsigned k = 0; k < 4; k++) {
            const unsigned s = half * 4 + k;
            const unsigned b = kFlagShift[k];
            const std::string n = std::to_string(s);
            ifcr.field("CFEIF" + n, b + FEIF, 1, Acc::WO)
                .field("RES" + std::to_string(b + 1), b + 1, 1, Acc::WO)
                .field("CDMEIF" + n, b + DMEIF, 1, Acc::WO)
                .field("CTEIF" + n, b + TEIF, 1, Acc::WO)
                .field("CHTIF" + n, b + HTIF, 1, Acc::WO)
                .field("CTCIF" + n, b + TCIF, 1, Acc::WO);
        }
        Register *isr = isr_[half];
        Register *self = &ifcr;
        ifcr.post_write([this, isr, self, half](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            uint32_t clear = 0;
            for (unsigned k = 0; k < 4; k++) {
                clear |= str_[half * 4 + k].flags;
            }
            isr->value &= ~(now & clear);
            self->value = 0;
        });
    }
    for (unsigned s = 0; s < STREAMS; s++) {
        declare_stream(s);
    }
}

void Stm32Dma::declare_stream(unsigned s)
{
    auto &r = regs_;
    Stream &x = str_[s];
    const uint32_t base = 0x10 + 0x18 * s;
    const std::string p = "S" + std::to_string(s);
    x.irq = &add_irq("s" + std::to_string(s));
    x.ack = &add_irq("ack" + std::to_string(s));
    x.cr = &r.reg(p + "CR", base + 0x00, 0)
                .field("EN", 0, 1, Acc::RW, &x.en)
                .field("DMEIE", 1, 1, Acc::RW, &x.dmeie)
                .field("TEIE", 2, 1, Acc::RW, &x.teie)
                .field("HTIE", 3, 1, Acc::RW, &x.htie)
                .field("TCIE", 4, 1, Acc::RW, &x.tcie)
                .unimpl("PFCTRL", 5, 1, Acc::RW, &x.pfctrl)
                .field("DIR", 6, 2, Acc::RW, &x.dir)
                .field("CIRC", 8, 1, Acc::RW, &x.circ)
                .field("PINC", 9, 1, Acc::RW, &x.pinc)
                .field("MINC", 10, 1, Acc::RW, &x.minc)
                .field("PSIZE", 11, 2, Acc::RW, &x.psize)
                .field("MSIZE", 13, 2, Acc::RW, &x.msize)
                .field("PINCOS", 15, 1, Acc::RW, &x.pincos)
                .field("PL", 16, 2, Acc::RW, &x.pl)
                .field("DBM", 18, 1, Acc::RW, &x.dbm)
                .field("CT", 19, 1, Acc::RW, &x.ct)
                .field("TRBUFF", 20, 1, Acc::RW, &x.trbuff)
                .field("PBURST", 21, 2, Acc::RW, &x.pburst)
                .field("MBURST", 23, 2, Acc::RW, &x.mburst)
                .pre_write(cr_guard(s))
                .post_write(cr_enable(s));
    x.ndtr = &r.reg(p + "NDTR", base + 0x04, 0)
                  .field("NDT", 0, 16, Acc::RW, &x.ndt)
                  .pre_write(protect(s, "SxNDTR"))
                  .post_write(ndt_programmed(s));
    x.par = &r.reg(p + "PAR", base + 0x08, 0).field("PA", 0, 32, Acc::RW).pre_write(protect(s, "SxPAR"));
    x.m0ar = &r.reg(p + "M0AR", base + 0x0C, 0).field("M0A", 0, 32, Acc::RW).pre_write(mxar_guard(s, 0));
    x.m1ar = &r.reg(p + "M1AR", base + 0x10, 0).field("M1A", 0, 32, Acc::RW).pre_write(mxar_guard(s, 1));
    // Reset 0x00000021: FS = 100 (FIFO empty), FTH = 01 (1/2).
    x.fcr = &r.reg(p + "FCR", base + 0x14, 0x00000021)
                 .field("FTH", 0, 2, Acc::RW, &x.fth)
                 .field("DMDIS", 2, 1, Acc::RW, &x.dmdis)
                 .field("FS", 3, 3, Acc::RO, &x.fs)
                 .field("FEIE", 7, 1, Acc::RW, &x.feie)
                 .pre_write([this, s](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
                     // RM0399 SxFCR: FTH and DMDIS can be written only with EN = 0.
                     const Stream &y = str_[s];
                     if (!y.en.on()) {
                         return true;
                     }
                     const uint32_t locked = y.fth.mask() | y.dmdis.mask();
                     if ((old ^ next) & locked) {
                         log().guest_error(a.core_name,
                                           name() + " stream " + std::to_string(s) +
                                               ": SxFCR FTH/DMDIS written while EN = 1 (ignored)");
                     }
                     next = (old & locked) | (next & ~locked);
                     return true;
                 });
}

// RM0399 SxCR / BDMA_CCRx: with EN = 1 only EN and the interrupt enables may
// change; the other bits "can be written only if EN is 0".
Register::PreWriteHook Stm32Dma::cr_guard(unsigned s)
{
    return [this, s](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
        const Stream &y = str_[s];
        if (!y.en.in(old)) {
            return true;
        }
        uint32_t free = y.en.mask() | y.teie.mask() | y.htie.mask() | y.tcie.mask();
        if (y.dmeie.valid()) {
            free |= y.dmeie.mask();
        }
        if ((old ^ next) & ~free) {
            log().guest_error(a.core_name, sname(s) + (kind_ == Kind::Bdma ? ": CCRx" : ": SxCR") +
                                               " configuration bits written while EN = 1 "
                                               "(ignored; only EN and the interrupt enables change)");
        }
        next = (old & ~free) | (next & free);
        return true;
    };
}

Register::PostWriteHook Stm32Dma::cr_enable(unsigned s)
{
    return [this, s](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
        const Stream &y = str_[s];
        if (!y.en.in(old) && y.en.in(now)) {
            start(s, a);
        } else if (y.en.in(old) && !y.en.in(now)) {
            stop_by_software(s);
        }
    };
}

// Protected registers: written only with EN = 0.
Register::PreWriteHook Stm32Dma::protect(unsigned s, const char *reg)
{
    return [this, s, reg](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
        if (!str_[s].en.on() || old == next) {
            return true;
        }
        log().guest_error(a.core_name, sname(s) + ": " + reg + " written while EN = 1 (ignored)");
        return false;
    };
}

Register::PostWriteHook Stm32Dma::ndt_programmed(unsigned s)
{
    return [this, s](BusAccess &, uint32_t, uint32_t now, uint32_t) {
        st_.s[s].programmed = str_[s].ndt.in(now);
    };
}

// RM0399 SxM0AR/SxM1AR (BDMA_CM0ARx/CM1ARx): with EN = 1 in double-buffer mode,
// the register of the memory not in use may be written; writing the one in use
// is a transfer error (TEIF, stream disabled).
Register::PreWriteHook Stm32Dma::mxar_guard(unsigned s, unsigned m)
{
    return [this, s, m](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
        const Stream &y = str_[s];
        if (!y.en.on() || old == next) {
            return true;
        }
        if (y.dbm.on() && y.ct.get() != m) {
            return true;
        }
        const std::string reg = (m ? y.m1ar : y.m0ar)->name();
        if (y.dbm.on()) {
            log().guest_error(a.core_name, sname(s) + ": " + reg +
                                               " written while it is the current target "
                                               "(CT = " + std::to_string(m) +
                                               "): transfer error, stream disabled");
            str_[s].teif.set(1);
            str_[s].en.set(0);
            if (st_.s[s].running) {
                str_[s].ndt.set(st_.s[s].total - st_.s[s].done);
            }
            st_.s[s].running = false;
            cancel(s);
        } else {
            log().guest_error(a.core_name, sname(s) + ": " + reg + " written while EN = 1 (ignored)");
        }
        return false;
    };
}

// The BDMA (RM0399 "Basic direct memory access controller (BDMA)"): ISR and
// IFCR with 4 bits per channel, then per channel x at 0x08 + 0x14 * x: CCR,
// CNDTR, CPAR, CM0AR, CM1AR.
void Stm32Dma::declare_bdma()
{
    auto &r = regs_;
    Register &isr = r.reg("ISR", 0x00, 0);
    isr_[0] = isr_[1] = &isr;
    Register &ifcr = r.reg("IFCR", 0x04, 0);
    for (unsigned c = 0; c < STREAMS; c++) {
        Stream &x = str_[c];
        const std::string n = std::to_string(c);
        isr.field("GIF" + n, 4 * c + B_GIF, 1, Acc::RO, &x.gif)
            .field("TCIF" + n, 4 * c + B_TCIF, 1, Acc::RO, &x.tcif)
            .field("HTIF" + n, 4 * c + B_HTIF, 1, Acc::RO, &x.htif)
            .field("TEIF" + n, 4 * c + B_TEIF, 1, Acc::RO, &x.teif);
        x.flags = 0xFu << (4 * c);
        ifcr.field("CGIF" + n, 4 * c + B_GIF, 1, Acc::WO)
            .field("CTCIF" + n, 4 * c + B_TCIF, 1, Acc::WO)
            .field("CHTIF" + n, 4 * c + B_HTIF, 1, Acc::WO)
            .field("CTEIF" + n, 4 * c + B_TEIF, 1, Acc::WO);
    }
    Register *self = &ifcr;
    ifcr.post_write([this, self](BusAccess &, uint32_t, uint32_t now, uint32_t) {
        // RM0399 BDMA_IFCR: CGIFx clears GIF, TCIF, HTIF and TEIF of channel
        // x; the other bits clear their flag.
        uint32_t clear = now;
        for (unsigned c = 0; c < STREAMS; c++) {
            if (str_[c].gif.in(now)) {
                clear |= str_[c].flags;
            }
        }
        isr_[0]->value &= ~clear;
        self->value = 0;
        update_gif();
    });
    for (unsigned c = 0; c < STREAMS; c++) {
        Stream &x = str_[c];
        const uint32_t base = 0x08 + 0x14 * c;
        const std::string p = "C" + std::to_string(c);
        x.irq = &add_irq("c" + std::to_string(c));
        x.ack = &add_irq("ack" + std::to_string(c));
        x.cr = &r.reg(p + "CR", base + 0x00, 0)
                    .field("EN", 0, 1, Acc::RW, &x.en)
                    .field("TCIE", 1, 1, Acc::RW, &x.tcie)
                    .field("HTIE", 2, 1, Acc::RW, &x.htie)
                    .field("TEIE", 3, 1, Acc::RW, &x.teie)
                    .field("DIR", 4, 1, Acc::RW, &x.dir)
                    .field("CIRC", 5, 1, Acc::RW, &x.circ)
                    .field("PINC", 6, 1, Acc::RW, &x.pinc)
                    .field("MINC", 7, 1, Acc::RW, &x.minc)
                    .field("PSIZE", 8, 2, Acc::RW, &x.psize)
                    .field("MSIZE", 10, 2, Acc::RW, &x.msize)
                    .field("PL", 12, 2, Acc::RW, &x.pl)
                    .field("MEM2MEM", 14, 1, Acc::RW, &x.mem2mem)
                    .field("DBM", 15, 1, Acc::RW, &x.dbm)
                    .field("CT", 16, 1, Acc::RW, &x.ct)
                    .pre_write(cr_guard(c))
                    .post_write(cr_enable(c));
        x.ndtr = &r.reg(p + "NDTR", base + 0x04, 0)
                      .field("NDT", 0, 16, Acc::RW, &x.ndt)
                      .pre_write(protect(c, "CNDTR"))
                      .post_write(ndt_programmed(c));
        x.par = &r.reg(p + "PAR", base + 0x08, 0).field("PA", 0, 32, Acc::RW).pre_write(protect(c, "CPAR"));
        x.m0ar = &r.reg(p + "M0AR", base + 0x0C, 0).field("MA", 0, 32, Acc::RW).pre_write(mxar_guard(c, 0));
        x.m1ar = &r.reg(p + "M1AR", base + 0x10, 0).field("MA", 0, 32, Acc::RW).pre_write(mxar_guard(c, 1));
    }
}

// RM0399 BDMA_ISR.GIFx: set when any of TCIFx, HTIFx, TEIFx is set.
void Stm32Dma::update_gif()
{
    if (kind_ != Kind::Bdma) {
        return;
    }
    for (unsigned c = 0; c < STREAMS; c++) {
        Stream &x = str_[c];
        x.gif.set((x.tcif.on() || x.htif.on() || x.teif.on()) ? 1 : 0);
    }
}

// The stream's transfer direction in SxCR.DIR terms.  BDMA: MEM2MEM selects
// memory-to-memory (CPAR the source, as HAL programs it with DIR = 0); DIR = 1
// reads from memory (memory-to-peripheral).
uint32_t Stm32Dma::direction(unsigned s) const
{
    const Stream &x = str_[s];
    if (kind_ == Kind::Stream) {
        return x.dir.get();
    }
    if (x.mem2mem.on()) {
        return x.dir.on() ? DIR_RESERVED : DIR_M2M;
    }
    return x.dir.on() ? DIR_M2P : DIR_P2M;
}

void Stm32Dma::configure(const std::map<std::string, std::string> &params,
                         const std::vector<std::string> &core_names)
{
    if (params.count("clock")) {
        clock_.set_name(params.at("clock"));
    }
    if (params.count("view")) {
        bus_.set_view(param_core(params, "view", core_names), params.at("view"));
    }
    if (params.count("reach")) {
        bus_.set_reach(params.at("reach"));
    }
    if (params.count("gated")) {
        bus_.set_gated(params.at("gated"));
    }
}

void Stm32Dma::reset()
{
    for (unsigned s = 0; s < STREAMS; s++) {
        cancel(s);
    }
    st_ = State{};
    RegisterDevice::reset();
}

uint64_t Stm32Dma::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

void Stm32Dma::cancel(unsigned s)
{
    st_.s[s].service_pending = false;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, s, 0);
    }
}

std::string Stm32Dma::sname(unsigned s) const
{
    return name() + (kind_ == Kind::Bdma ? " channel " : " stream ") + std::to_string(s);
}

uint64_t Stm32Dma::duration_ns(unsigned s, uint64_t items)
{
    const StreamState &ss = st_.s[s];
    // One beat per item on the peripheral port, and the memory-port beats
    // that carry the same bytes (packing/unpacking), one cycle each.  The
    // BDMA does not pack: one read and one write per item.
    const uint64_t bytes = items * ss.per.size;
    const uint64_t beats =
        kind_ == Kind::Bdma ? 2 * items : items + (bytes + ss.mem.size - 1) / ss.mem.size;
    return clock_.ns(ctx_, beats);
}

uint8_t *Stm32Dma::mem(unsigned s, uint64_t addr, uint64_t len)
{
    return bus_.memory(ctx_, st_.s[s].initiator, addr, len);
}

// An access to an area whose clock is stopped ("gated"): RM0399 supports no
// register or memory access to a block without its clock.  Said once per pass.
bool Stm32Dma::gated_access(unsigned s, uint64_t addr, unsigned size, const char *what)
{
    if (!bus_.clock_stopped(addr, size)) {
        return false;
    }
    StreamState &ss = st_.s[s];
    if (!ss.said_gated) {
        ss.said_gated = true;
        log().guest_error(ss.initiator_name, sname(s) + ": " + what + " " + hex(addr) +
                                                 ", whose clock is stopped (RCC_D3AMR: the CPU in CStop "
                                                 "without its autonomous bit): not supported, no data moved");
    }
    return true;
}

bool Stm32Dma::port_read(unsigned s, uint64_t addr, unsigned size, uint32_t &v)
{
    if (gated_access(s, addr, size, "reading")) {
        v = 0;
        return true;
    }
    return bus_.read(ctx_, st_.s[s].initiator, addr, size, v);
}

bool Stm32Dma::port_write(unsigned s, uint64_t addr, unsigned size, uint32_t v)
{
    if (gated_access(s, addr, size, "writing")) {
        return true;
    }
    return bus_.write(ctx_, st_.s[s].initiator, addr, size, v);
}

void Stm32Dma::start(unsigned s, const BusAccess &a)
{
    Stream &x = str_[s];
    StreamState &ss = st_.s[s];
    const uint32_t programmed = ss.programmed;
    const bool request = ss.request;
    ss = StreamState{};
    ss.programmed = programmed;
    ss.request = request;
    ss.initiator = a.core;
    ss.initiator_name = a.core_name;
    ss.dir = direction(s);

    const std::string who = sname(s);
    if (isr_[s / 4]->value & x.flags) {
        // RM0399 SxCR.EN: the stream's event flags must be cleared before EN is set.
        log().guest_error(a.core_name, who + " enabled with event flags still set (" +
                                           hex(isr_[s / 4]->value & x.flags) + " in " +
                                           isr_[s / 4]->name() + ")");
    }
    if (ss.dir == DIR_RESERVED) {
        log().guest_error(a.core_name, who + (kind_ == Kind::Bdma
                                                  ? ": MEM2MEM with DIR = 1 is not modelled; no transfer"
                                                  : ": SxCR.DIR = 11 is reserved; no transfer"));
        return;
    }
    if (ss.dir == DIR_M2M) {
        // RM0399 SxFCR.DMDIS: set by hardware when memory-to-memory is selected
        // and the stream enabled.  Circular and double-buffer modes are not
        // allowed in memory-to-memory mode.
        if (x.dmdis.valid()) {
            x.dmdis.set(1);
        }
        if (x.circ.on() || x.dbm.on()) {
            log().guest_error(a.core_name, who + ": CIRC/DBM set in memory-to-memory mode "
                                                 "(not allowed; the pass runs once)");
        }
    } else {
        if (x.dbm.on()) {
            x.circ.set(1); // RM0399 SxCR.CIRC: forced to 1 when DBM is set
        }
        if (x.dmdis.valid() && !x.dmdis.on()) {
            // RM0399 SxCR.MSIZE / PINCOS: in direct mode MSIZE is forced to
            // PSIZE and PINCOS to 0 when the stream is enabled.
            x.msize.set(x.psize.get());
            x.pincos.set(0);
        }
    }
    if (x.psize.get() == 3 || x.msize.get() == 3) {
        log().guest_error(a.core_name, who + ": PSIZE/MSIZE = 11 is reserved; no transfer");
        return;
    }
    if (x.ndt.get() == 0 && kind_ == Kind::Stream) {
        // RM0399 SxNDTR: reloaded with the previously programmed value when the
        // stream is enabled again; with 0 no transaction is served.
        x.ndt.set(ss.programmed);
    }
    ss.total = x.ndt.get();
    if (ss.total == 0) {
        log().guest_error(a.core_name, who + " enabled with NDTR = 0: no transfer is served");
        return;
    }
    ss.per.base = x.par->value;
    ss.per.size = 1u << x.psize.get();
    ss.per.step = x.pinc.on() ? (x.pincos.valid() && x.pincos.on() ? 4u : ss.per.size) : 0u;
    const bool m1 = ss.dir != DIR_M2M && x.dbm.on() && x.ct.on();
    ss.mem.base = (m1 ? x.m1ar : x.m0ar)->value;
    ss.mem.size = 1u << x.msize.get();
    ss.mem.step = x.minc.on() ? ss.mem.size : 0u;
    if (kind_ == Kind::Stream && (uint64_t(ss.total) * ss.per.size) % ss.mem.size) {
        log().guest_error(a.core_name, who + ": NDT x PSIZE (" +
                                           std::to_string(uint64_t(ss.total) * ss.per.size) +
                                           " bytes) is not a multiple of MSIZE (" +
                                           std::to_string(ss.mem.size) + ")");
    }
    ss.running = true;
    static const char *const kDir[] = {"peripheral-to-memory", "memory-to-peripheral",
                                       "memory-to-memory", "?"};
    AMPVP_TRACE("bus", a.core_name,
                who + ": " + kDir[ss.dir] + ", " + std::to_string(ss.total) + " x " +
                    std::to_string(ss.per.size) + " bytes, peripheral port " + hex(ss.per.base) +
                    ", memory port " + hex(ss.mem.base));
    if (ss.dir == DIR_M2M) {
        ss.t0 = now();
        ss.t_end = ss.t0 + duration_ns(s, ss.total);
        if (!ctx_.scheduler) {
            advance(s, ss.t_end); // no clock: the transfer completes at once
        } else {
            schedule_m2m(s);
        }
    } else if (ss.request) {
        schedule_service(s);
    }
}

void Stm32Dma::schedule_m2m(unsigned s)
{
    StreamState &ss = st_.s[s];
    if (!ctx_.scheduler || !ss.running || st_.clock_off) {
        return;
    }
    uint64_t at = ss.t_end;
    if (!ss.half) {
        // The first time at which ceil(total / 2) items are due.
        const uint64_t d = ss.t_end - ss.t0;
        const uint64_t h = (uint64_t(ss.total) + 1) / 2;
        at = ss.t0 + (d * h + ss.total - 1) / ss.total;
    }
    ctx_.scheduler->schedule(this, s, at);
}

void Stm32Dma::schedule_service(unsigned s)
{
    StreamState &ss = st_.s[s];
    if (ss.service_pending || st_.clock_off) {
        return;
    }
    if (!ctx_.scheduler) {
        // No clock: serve at once, while the request holds.
        while (ss.running && ss.request) {
            if (!move_items(s, 1)) {
                break;
            }
            served(s);
            progress(s);
        }
        return;
    }
    ss.service_pending = true;
    ctx_.scheduler->schedule(this, s, now() + duration_ns(s, 1));
}

void Stm32Dma::advance(unsigned s, uint64_t t)
{
    StreamState &ss = st_.s[s];
    if (!ss.running || ss.dir != DIR_M2M || st_.clock_off) {
        return;
    }
    uint64_t due = ss.total;
    if (t < ss.t_end) {
        due = t <= ss.t0 ? 0 : uint64_t(ss.total) * (t - ss.t0) / (ss.t_end - ss.t0);
    }
    if (due > ss.done) {
        if (move_items(s, static_cast<uint32_t>(due - ss.done))) {
            progress(s);
        }
    }
}

void Stm32Dma::advance_all()
{
    const uint64_t t = now();
    for (unsigned s = 0; s < STREAMS; s++) {
        advance(s, t);
    }
}

bool Stm32Dma::move_items(unsigned s, uint32_t n)
{
    StreamState &ss = st_.s[s];
    // Fast path: memory to memory with both ports incrementing by their size
    // and both ranges inside memories of the view (the usual buffer copy).
    if (ss.dir == DIR_M2M && ss.fifo_n == 0 && ss.per.step == ss.per.size &&
        ss.mem.step == ss.mem.size && (kind_ == Kind::Stream || ss.per.size == ss.mem.size)) {
        const uint64_t bytes = uint64_t(n) * ss.per.size;
        if (bytes % ss.mem.size == 0) {
            const uint8_t *src = mem(s, ss.per.base + uint64_t(ss.done) * ss.per.size, bytes);
            uint8_t *dst = mem(s, ss.mem.base + ss.mem_units * ss.mem.size, bytes);
            if (src && dst) {
                std::memmove(dst, src, bytes);
                ss.done += n;
                ss.mem_units += bytes / ss.mem.size;
                return true;
            }
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!move_one(s)) {
            return false;
        }
    }
    return true;
}

bool Stm32Dma::move_one(unsigned s)
{
    StreamState &ss = st_.s[s];
    uint32_t v = 0;
    if (kind_ == Kind::Bdma) {
        // RM0399 BDMA "Programmable data width": no FIFO, no packing: each item
        // read at the source's size is written at the destination's, zero-
        // extended on the left or truncated to its low bytes.
        const Port &from = ss.dir == DIR_M2P ? ss.mem : ss.per;
        const Port &to = ss.dir == DIR_M2P ? ss.per : ss.mem;
        const uint64_t src = from.base + uint64_t(ss.done) * from.step;
        const uint64_t dst = to.base + uint64_t(ss.done) * to.step;
        if (!port_read(s, src, from.size, v)) {
            bus_error(s, "reading", src);
            return false;
        }
        if (to.size < 4) {
            v &= (1u << (8 * to.size)) - 1u;
        }
        if (!port_write(s, dst, to.size, v)) {
            bus_error(s, "writing", dst);
            return false;
        }
        ss.done++;
        ss.mem_units = ss.done;
        return true;
    }
    if (ss.dir == DIR_M2P) {
        // Memory port reads (unpacking) until one peripheral item is in the FIFO.
        while (ss.fifo_n < ss.per.size) {
            const uint64_t addr = ss.mem.base + ss.mem_units * ss.mem.step;
            if (!port_read(s, addr, ss.mem.size, v)) {
                bus_error(s, "reading", addr);
                return false;
            }
            le_store(ss.fifo + ss.fifo_n, ss.mem.size, v);
            ss.fifo_n += ss.mem.size;
            ss.mem_units++;
        }
        const uint64_t addr = ss.per.base + uint64_t(ss.done) * ss.per.step;
        v = le_load(ss.fifo, ss.per.size);
        ss.fifo_n -= ss.per.size;
        std::memmove(ss.fifo, ss.fifo + ss.per.size, ss.fifo_n);
        if (!port_write(s, addr, ss.per.size, v)) {
            bus_error(s, "writing", addr);
            return false;
        }
        ss.done++;
        return true;
    }
    // Peripheral-to-memory and memory-to-memory: the peripheral port is the
    // source; the memory port takes MSIZE units as they fill (packing).
    const uint64_t src = ss.per.base + uint64_t(ss.done) * ss.per.step;
    if (!port_read(s, src, ss.per.size, v)) {
        bus_error(s, "reading", src);
        return false;
    }
    le_store(ss.fifo + ss.fifo_n, ss.per.size, v);
    ss.fifo_n += ss.per.size;
    ss.done++;
    while (ss.fifo_n >= ss.mem.size) {
        const uint64_t dst = ss.mem.base + ss.mem_units * ss.mem.step;
        v = le_load(ss.fifo, ss.mem.size);
        ss.fifo_n -= ss.mem.size;
        std::memmove(ss.fifo, ss.fifo + ss.mem.size, ss.fifo_n);
        if (!port_write(s, dst, ss.mem.size, v)) {
            bus_error(s, "writing", dst);
            return false;
        }
        ss.mem_units++;
    }
    return true;
}

void Stm32Dma::flush_fifo(unsigned s)
{
    // What is left in the FIFO goes to the memory port by bytes.
    StreamState &ss = st_.s[s];
    if (ss.dir == DIR_M2P) {
        ss.fifo_n = 0; // read ahead from memory: nothing to write back
        return;
    }
    for (unsigned i = 0; i < ss.fifo_n; i++) {
        const uint64_t dst = ss.mem.base + ss.mem_units * ss.mem.step +
                             (ss.mem.step ? i : 0);
        if (!port_write(s, dst, 1, ss.fifo[i])) {
            bus_error(s, "writing", dst);
            return;
        }
    }
    ss.fifo_n = 0;
}

void Stm32Dma::progress(unsigned s)
{
    Stream &x = str_[s];
    StreamState &ss = st_.s[s];
    if (!ss.running) {
        return;
    }
    x.ndt.set(ss.total - ss.done);
    if (!ss.half && uint64_t(ss.done) * 2 >= ss.total) {
        ss.half = true;
        x.htif.set(1); // RM0399 HTIFx: half of the data items transferred
    }
    if (ss.done >= ss.total) {
        complete(s);
    }
}

void Stm32Dma::complete(unsigned s)
{
    Stream &x = str_[s];
    StreamState &ss = st_.s[s];
    x.tcif.set(1);
    if (ss.dir != DIR_M2M && x.circ.on()) {
        // Circular: NDTR reloaded, the addresses back to their base; double
        // buffer: the other memory becomes the target (CT toggles).
        if (x.dbm.on()) {
            x.ct.set(x.ct.on() ? 0 : 1);
            ss.mem.base = (x.ct.on() ? x.m1ar : x.m0ar)->value;
        }
        ss.done = 0;
        ss.mem_units = 0;
        ss.half = false;
        x.ndt.set(ss.total);
        AMPVP_TRACE("bus", ss.initiator_name, sname(s) + ": pass complete, reloaded (circular)");
        return;
    }
    flush_fifo(s);
    ss.running = false;
    x.ndt.set(0);
    if (kind_ == Kind::Stream) {
        x.en.set(0); // RM0399: EN is cleared by hardware at the end of the transfer
    } // BDMA: the channel stays enabled and serves no more requests
    cancel(s);
    AMPVP_TRACE("bus", ss.initiator_name, sname(s) + ": transfer complete");
}

void Stm32Dma::stop_by_software(unsigned s)
{
    StreamState &ss = st_.s[s];
    if (!ss.running) {
        return;
    }
    // The items due by now have been moved (write() brings memory-to-memory
    // streams up to date before the access).
    flush_fifo(s);
    ss.running = false;
    cancel(s);
    str_[s].ndt.set(ss.total - ss.done);
    if (kind_ == Kind::Stream) {
        str_[s].tcif.set(1); // RM0399: end of transfer also when disabled by software
    }
    AMPVP_TRACE("bus", ss.initiator_name,
                sname(s) + ": disabled by software, NDTR = " + std::to_string(ss.total - ss.done));
}

void Stm32Dma::bus_error(unsigned s, const char *what, uint64_t addr)
{
    // RM0399 "DMA error management": a bus error sets TEIFx and the stream is
    // disabled by a hardware clear of its EN bit.
    Stream &x = str_[s];
    StreamState &ss = st_.s[s];
    log().guest_error(ss.initiator_name,
                      sname(s) + ": bus error " + what + " " + hex(addr) +
                          bus_.where(addr) +
                          ": TEIF" + std::to_string(s) + " set, stream disabled");
    x.teif.set(1);
    x.en.set(0);
    x.ndt.set(ss.total - ss.done);
    ss.running = false;
    ss.fifo_n = 0;
    cancel(s);
}

uint32_t Stm32Dma::read(BusAccess &a)
{
    advance_all();
    update_gif();
    return RegisterDevice::read(a);
}

void Stm32Dma::write(BusAccess &a, uint32_t value)
{
    advance_all();
    RegisterDevice::write(a, value);
}

// The controller's clock stops / returns: a memory-to-memory pass keeps the
// items moved so far and later continues from there at the same rate; a
// peripheral request waits.
void Stm32Dma::set_clock_off(bool off)
{
    if (off == st_.clock_off) {
        return;
    }
    const uint64_t t = now();
    if (off) {
        advance_all(); // up to the moment the clock stops
    }
    st_.clock_off = off;
    AMPVP_TRACE("clock", name(), off ? "clock stopped: no transfer" : "clock runs again");
    for (unsigned s = 0; s < STREAMS; s++) {
        StreamState &ss = st_.s[s];
        if (!ss.running) {
            continue;
        }
        if (off) {
            cancel(s);
        } else if (ss.dir == DIR_M2M) {
            const uint64_t d = ss.t_end - ss.t0; // the pass's length, re-anchored at its progress
            ss.t0 = t - (ss.total ? d * ss.done / ss.total : 0);
            ss.t_end = ss.t0 + d;
            schedule_m2m(s);
        } else if (ss.request) {
            schedule_service(s);
        }
    }
}

void Stm32Dma::input(unsigned n, bool level)
{
    if (n == CLOCK_OFF) {
        set_clock_off(level);
        update_irq();
        return;
    }
    if (n >= MEM_CLOCK_OFF && n < MEM_CLOCK_OFF + bus_.gates()) {
        bus_.set_gate_off(n - MEM_CLOCK_OFF, level);
        return;
    }
    if (n >= STREAMS) {
        return;
    }
    StreamState &ss = st_.s[n];
    ss.request = level;
    if (level && ss.running && ss.dir != DIR_M2M) {
        schedule_service(n);
    }
    update_irq();
}

void Stm32Dma::served(unsigned s)
{
    // The request acknowledge back to the DMAMUX channel that drives this
    // stream (RM0399 DMAMUX: a request generator counts the requests served).
    str_[s].ack->pulse();
}

void Stm32Dma::timer_fired(unsigned tag)
{
    if (tag >= STREAMS) {
        return;
    }
    const unsigned s = tag;
    StreamState &ss = st_.s[s];
    if (ss.dir == DIR_M2M) {
        advance(s, now());
        schedule_m2m(s);
    } else {
        ss.service_pending = false;
        if (st_.clock_off) {
            return;
        }
        if (ss.running && ss.request && move_items(s, 1)) {
            served(s);
            progress(s);
        }
        if (ss.running && ss.request) {
            schedule_service(s);
        }
    }
    update_irq();
}

void Stm32Dma::update_irq()
{
    update_gif();
    for (unsigned s = 0; s < STREAMS; s++) {
        const Stream &x = str_[s];
        const uint32_t isr = isr_[s / 4]->value;
        const uint32_t cr = x.cr->value;
        const bool level = (x.tcif.in(isr) && x.tcie.in(cr)) || (x.htif.in(isr) && x.htie.in(cr)) ||
                           (x.teif.in(isr) && x.teie.in(cr)) ||
                           (x.dmeif.in(isr) && x.dmeie.in(cr)) ||
                           (x.feif.in(isr) && x.feie.in(x.fcr->value));
        x.irq->set(level);
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32-dma", ampvp::Stm32Dma)
AMPVP_MODEL("stm32h7-bdma", ampvp::Stm32Bdma)
