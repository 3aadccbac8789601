#include "stm32h7_mdma.h"
#include "../model_registry.h"

#include "../log.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace ampvp {

namespace {
// CxISR flag bits; the enable of flag bit b is CxCR bit b + 1 (RM0399 CxCR:
// TEIE 1, CTCIE 2, BRTIE 3, BTIE 4, TCIE 5).
constexpr uint32_t kFlags = 0x1F;
// RM0399 CxTCR.TRGM.
enum : uint32_t { TRGM_BUFFER = 0, TRGM_BLOCK = 1, TRGM_REPEAT = 2, TRGM_CHANNEL = 3 };
// RM0399 CxTCR.SINC/DINC: 00 fixed, 10 increment, 11 decrement (01 reserved).
int64_t step(uint32_t inc, uint32_t offset_size)
{
    const int64_t size = int64_t(1) << offset_size;
    return inc == 2 ? size : inc == 3 ? -size : 0;
}
} // namespace

Stm32h7Mdma::Stm32h7Mdma(const std::string &name) : RegisterDevice(name)
{
    irq_ = &add_irq("irq");
    gisr_ = &regs_.reg("GISR0", 0x00, 0);
    for (unsigned c = 0; c < CHANNELS; c++) {
        gisr_->field("GIF" + std::to_string(c), c, 1, Acc::RO);
    }
    for (unsigned c = 0; c < CHANNELS; c++) {
        declare_channel(c);
    }
}

void Stm32h7Mdma::declare_channel(unsigned c)
{
    auto &r = regs_;
    Channel &x = ch_[c];
    const uint32_t base = 0x40 + 0x40 * c;
    const std::string p = "C" + std::to_string(c);
    x.isr = &r.reg(p + "ISR", base + 0x00, 0)
                 .field("TEIF", 0, 1, Acc::RO, &x.teif)
                 .field("CTCIF", 1, 1, Acc::RO, &x.ctcif)
                 .field("BRTIF", 2, 1, Acc::RO, &x.brtif)
                 .field("BTIF", 3, 1, Acc::RO, &x.btif)
                 .field("TCIF", 4, 1, Acc::RO, &x.tcif)
                 .field("CRQA", 16, 1, Acc::RO, &x.crqa);
    x.ifcr = &r.reg(p + "IFCR", base + 0x04, 0)
                  .field("CTEIF", 0, 1, Acc::WO)
                  .field("CCTCIF", 1, 1, Acc::WO)
                  .field("CBRTIF", 2, 1, Acc::WO)
                  .field("CBTIF", 3, 1, Acc::WO)
                  .field("CLTCIF", 4, 1, Acc::WO)
                  .post_write([this, c](BusAccess &, uint32_t, uint32_t now, uint32_t) {
                      // RM0399 CxIFCR: writing 1 clears the flag; clearing TEIF
                      // also clears the error status CxESR.
                      Channel &y = ch_[c];
                      y.isr->value &= ~(now & kFlags);
                      if (y.teif.in(now)) {
                          y.esr->value = 0;
                      }
                      y.ifcr->value = 0;
                  });
    x.esr = &r.reg(p + "ESR", base + 0x08, 0)
                 .field("TEA", 0, 7, Acc::RO, &x.tea)
                 .field("TED", 7, 1, Acc::RO, &x.ted)
                 .field("TELD", 8, 1, Acc::RO, &x.teld)
                 .field("TEMD", 9, 1, Acc::RO)
                 .field("ASE", 10, 1, Acc::RO, &x.asee)
                 .field("BSE", 11, 1, Acc::RO, &x.bse);
    x.cr = &r.reg(p + "CR", base + 0x0C, 0)
                .field("EN", 0, 1, Acc::RW, &x.en)
                .field("TEIE", 1, 1, Acc::RW, &x.teie)
                .field("CTCIE", 2, 1, Acc::RW, &x.ctcie)
                .field("BRTIE", 3, 1, Acc::RW, &x.brtie)
                .field("BTIE", 4, 1, Acc::RW, &x.btie)
                .field("TCIE", 5, 1, Acc::RW, &x.tcie)
                .field("PL", 6, 2, Acc::RW)
                .unimpl("BEX", 12, 1)
                .unimpl("HEX", 13, 1)
                .unimpl("WEX", 14, 1)
                .field("SWRQ", 16, 1, Acc::WO)
                .pre_write([this, c](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
                    // RM0399 CxCR: PL, BEX, HEX, WEX are protected (EN = 0 only).
                    const uint32_t locked = 0x0000F0C0u;
                    if (ch_[c].en.in(old) && ((old ^ next) & locked)) {
                        log().guest_error(a.core_name, cname(c) + ": CxCR PL/BEX/HEX/WEX written "
                                                                  "while EN = 1 (ignored)");
                        next = (next & ~locked) | (old & locked);
                    }
                    return true;
                })
                .post_write([this, c](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
                    Channel &y = ch_[c];
                    const bool swrq = (now >> 16) & 1u;
                    y.cr->value &= ~(1u << 16); // SWRQ reads 0
                    if (!y.en.in(old) && y.en.in(now)) {
                        enable(c, a);
                    } else if (y.en.in(old) && !y.en.in(now)) {
                        suspend(c);
                    }
                    if (swrq) {
                        request(c, a);
                    }
                });
    // The configuration registers: written only with EN = 0.
    auto protect = [this, c](const char *reg) {
        return [this, c, reg](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
            if (!ch_[c].en.on() || old == next) {
                return true;
            }
            log().guest_error(a.core_name, cname(c) + ": " + reg + " written while EN = 1 (ignored)");
            return false;
        };
    };
    x.tcr = &r.reg(p + "TCR", base + 0x10, 0)
                 .field("SINC", 0, 2, Acc::RW, &x.sinc)
                 .field("DINC", 2, 2, Acc::RW, &x.dinc)
                 .field("SSIZE", 4, 2, Acc::RW, &x.ssize)
                 .field("DSIZE", 6, 2, Acc::RW, &x.dsize)
                 .field("SINCOS", 8, 2, Acc::RW, &x.sincos)
                 .field("DINCOS", 10, 2, Acc::RW, &x.dincos)
                 .field("SBURST", 12, 3, Acc::RW)
                 .field("DBURST", 15, 3, Acc::RW)
                 .field("TLEN", 18, 7, Acc::RW, &x.tlen)
                 .field("PKE", 25, 1, Acc::RW, &x.pke)
                 .field("PAM", 26, 2, Acc::RW)
                 .field("TRGM", 28, 2, Acc::RW, &x.trgm)
                 .field("SWRM", 30, 1, Acc::RW, &x.swrm)
                 .field("BWM", 31, 1, Acc::RW)
                 .pre_write(protect("CxTCR"));
    x.bndtr = &r.reg(p + "BNDTR", base + 0x14, 0)
                   .field("BNDT", 0, 17, Acc::RW, &x.bndt)
                   .field("BRSUM", 18, 1, Acc::RW, &x.brsum)
                   .field("BRDUM", 19, 1, Acc::RW, &x.brdum)
                   .field("BRC", 20, 12, Acc::RW, &x.brc)
                   .pre_write(protect("CxBNDTR"))
                   .post_write([this, c](BusAccess &, uint32_t, uint32_t now, uint32_t) {
                       st_.c[c].block = ch_[c].bndt.in(now);
                   });
    x.sar = &r.reg(p + "SAR", base + 0x18, 0).field("SAR", 0, 32, Acc::RW).pre_write(protect("CxSAR"));
    x.dar = &r.reg(p + "DAR", base + 0x1C, 0).field("DAR", 0, 32, Acc::RW).pre_write(protect("CxDAR"));
    x.brur = &r.reg(p + "BRUR", base + 0x20, 0)
                  .field("SUV", 0, 16, Acc::RW, &x.suv)
                  .field("DUV", 16, 16, Acc::RW, &x.duv)
                  .pre_write(protect("CxBRUR"));
    x.lar = &r.reg(p + "LAR", base + 0x24, 0).field("LAR", 0, 32, Acc::RW).pre_write(protect("CxLAR"));
    x.tbr = &r.reg(p + "TBR", base + 0x28, 0)
                 .field("TSEL", 0, 6, Acc::RW)
                 .field("SBUS", 16, 1, Acc::RW)
                 .field("DBUS", 17, 1, Acc::RW)
                 .pre_write(protect("CxTBR"));
    x.mar = &r.reg(p + "MAR", base + 0x30, 0).field("MAR", 0, 32, Acc::RW).pre_write(protect("CxMAR"));
    x.mdr = &r.reg(p + "MDR", base + 0x34, 0).field("MDR", 0, 32, Acc::RW).pre_write(protect("CxMDR"));
}

void Stm32h7Mdma::configure(const std::map<std::string, std::string> &params,
                            const std::vector<std::string> &core_names)
{
    if (params.count("clock")) {
        clock_.set_name(params.at("clock"));
    }
    if (params.count("view")) {
        bus_.set_view(param_core(params, "view", core_names), params.at("view"));
    }
}

void Stm32h7Mdma::reset()
{
    for (unsigned c = 0; c < CHANNELS; c++) {
        if (ctx_.scheduler) {
            ctx_.scheduler->schedule(this, c, 0);
        }
    }
    st_ = State{};
    RegisterDevice::reset();
}

uint64_t Stm32h7Mdma::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

std::string Stm32h7Mdma::cname(unsigned c) const { return name() + " channel " + std::to_string(c); }

void Stm32h7Mdma::enable(unsigned c, const BusAccess &a)
{
    ChannelState &cs = st_.c[c];
    cs.initiator = a.core;
    cs.initiator_name = a.core_name;
    if (!ch_[c].swrm.on()) {
        log().unimplemented(name() + ".hwreq",
                            cname(c) + " enabled for hardware requests (CxTCR.SWRM = 0): "
                                       "peripheral triggers are not modelled, the channel waits");
    }
    AMPVP_TRACE("bus", a.core_name, cname(c) + " enabled");
}

void Stm32h7Mdma::request(unsigned c, const BusAccess &a)
{
    Channel &x = ch_[c];
    ChannelState &cs = st_.c[c];
    if (!x.en.on()) {
        return; // RM0399 CxCR.SWRQ: a request only on an enabled channel
    }
    if (!x.swrm.on()) {
        log().guest_error(a.core_name, cname(c) + ": SWRQ written with CxTCR.SWRM = 0 (ignored)");
        return;
    }
    if (cs.active) {
        return; // CRQA already set: the request is being served
    }
    cs.active = true;
    cs.trgm = x.trgm.get();
    cs.initiator = a.core;
    cs.initiator_name = a.core_name;
    cs.t_done = now();
    x.crqa.set(1);
    static const char *const kTrgm[] = {"buffer", "block", "repeated block", "channel"};
    AMPVP_TRACE("bus", a.core_name,
                cname(c) + ": software request (" + kTrgm[cs.trgm] + "), " +
                    std::to_string(x.bndt.get()) + " bytes x " + std::to_string(x.brc.get() + 1) +
                    " blocks from " + hex(x.sar->value) + " to " + hex(x.dar->value));
    if (!check(c)) {
        return;
    }
    if (!ctx_.scheduler) {
        advance(c, UINT64_MAX); // no clock: the request is served at once
    } else {
        schedule(c);
    }
}

bool Stm32h7Mdma::check(unsigned c)
{
    Channel &x = ch_[c];
    const uint32_t ss = 1u << x.ssize.get(), ds = 1u << x.dsize.get();
    if (x.bndt.get() == 0) {
        log().guest_error(st_.c[c].initiator_name, cname(c) + ": BNDT = 0, nothing to transfer");
        finish_request(c, true);
        return false;
    }
    if (x.bndt.get() % ss || x.bndt.get() % ds) {
        // RM0399 CxESR.BSE: the block size is not a multiple of the data size.
        x.bse.set(1);
        error(c, "block size error: BNDT = " + std::to_string(x.bndt.get()) +
                     " is not a multiple of SSIZE/DSIZE");
        return false;
    }
    if (x.sar->value % ss || x.dar->value % ds) {
        // RM0399 CxESR.ASE: an address not aligned on its data size.
        x.asee.set(1);
        error(c, "address/size alignment error: CxSAR " + hex(x.sar->value) + " / CxDAR " +
                     hex(x.dar->value) + " not aligned on SSIZE " + std::to_string(ss) +
                     " / DSIZE " + std::to_string(ds));
        return false;
    }
    if (!x.pke.on() && ss != ds) {
        log().unimplemented(name() + ".pam", cname(c) + ": PKE = 0 with SSIZE != DSIZE (PAM "
                                                        "padding/truncation) is moved as packed");
    }
    return true;
}

void Stm32h7Mdma::error(unsigned c, const std::string &what)
{
    Channel &x = ch_[c];
    log().guest_error(st_.c[c].initiator_name,
                      cname(c) + ": " + what + ": TEIF set, channel disabled");
    x.teif.set(1);
    x.en.set(0);
    finish_request(c, false);
}

void Stm32h7Mdma::finish_request(unsigned c, bool channel_done)
{
    Channel &x = ch_[c];
    ChannelState &cs = st_.c[c];
    cs.active = false;
    x.crqa.set(0);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, c, 0);
    }
    if (channel_done) {
        // RM0399 CxISR.CTCIF: the last block was transferred and the channel
        // has been automatically disabled.
        x.ctcif.set(1);
        x.en.set(0);
        AMPVP_TRACE("bus", cs.initiator_name, cname(c) + ": channel transfer complete");
    }
}

void Stm32h7Mdma::suspend(unsigned c)
{
    // write() brought the channel up to date: what is due has been moved.
    ChannelState &cs = st_.c[c];
    if (cs.active) {
        cs.active = false;
        ch_[c].crqa.set(0);
        if (ctx_.scheduler) {
            ctx_.scheduler->schedule(this, c, 0);
        }
    }
    ch_[c].ctcif.set(1); // RM0399: CTC is also set when the channel is suspended (EN written 0)
    AMPVP_TRACE("bus", cs.initiator_name,
                cname(c) + " suspended by software, BNDT = " + std::to_string(ch_[c].bndt.get()));
}

uint32_t Stm32h7Mdma::buffer_bytes(unsigned c) const
{
    const Channel &x = ch_[c];
    const uint32_t bndt = x.bndt.get();
    uint32_t n = x.tlen.get() + 1;
    if (n >= bndt) {
        return bndt;
    }
    // Whole items on both sides (sizes are powers of two: the larger is a
    // multiple of the smaller).
    const uint32_t m = 1u << std::max(x.ssize.get(), x.dsize.get());
    n -= n % m;
    return n ? n : std::min(m, bndt);
}

uint64_t Stm32h7Mdma::buffer_ns(unsigned c, uint32_t bytes)
{
    const Channel &x = ch_[c];
    // One cycle per source item read and per destination item written.
    const uint64_t cycles = (bytes >> x.ssize.get()) + (bytes >> x.dsize.get());
    return clock_.ns(ctx_, cycles);
}

bool Stm32h7Mdma::move_buffer(unsigned c, uint32_t n)
{
    Channel &x = ch_[c];
    const ChannelState &cs = st_.c[c];
    const unsigned ss = 1u << x.ssize.get(), ds = 1u << x.dsize.get();
    const int64_t sstep = step(x.sinc.get(), x.sincos.get());
    const int64_t dstep = step(x.dinc.get(), x.dincos.get());
    uint32_t sar = x.sar->value, dar = x.dar->value;
    // Fast path: both sides contiguous and in memory.
    if (sstep == int64_t(ss) && dstep == int64_t(ds)) {
        const uint8_t *src = bus_.memory(ctx_, cs.initiator, sar, n);
        uint8_t *dst = bus_.memory(ctx_, cs.initiator, dar, n);
        if (src && dst) {
            std::memmove(dst, src, n);
            x.sar->value = sar + n;
            x.dar->value = dar + n;
            x.bndt.set(x.bndt.get() - n);
            return true;
        }
    }
    std::vector<uint8_t> buf(n);
    for (uint32_t i = 0; i < n; i += ss) {
        for (unsigned h = 0; h < ss; h += 4) { // a double word as two words
            const unsigned part = std::min(ss, 4u);
            uint32_t v = 0;
            if (!bus_.read(ctx_, cs.initiator, sar + h, part, v)) {
                x.tea.set((sar + h) & 0x7F);
                x.ted.set(0);
                error(c, "bus error reading " + hex(sar + h) + bus_.where(sar + h));
                return false;
            }
            dma::le_store(buf.data() + i + h, part, v);
        }
        sar = static_cast<uint32_t>(sar + sstep);
        x.sar->value = sar;
    }
    for (uint32_t i = 0; i < n; i += ds) {
        for (unsigned h = 0; h < ds; h += 4) {
            const unsigned part = std::min(ds, 4u);
            if (!bus_.write(ctx_, cs.initiator, dar + h, part,
                            dma::le_load(buf.data() + i + h, part))) {
                x.tea.set((dar + h) & 0x7F);
                x.ted.set(1);
                error(c, "bus error writing " + hex(dar + h) + bus_.where(dar + h));
                return false;
            }
        }
        dar = static_cast<uint32_t>(dar + dstep);
        x.dar->value = dar;
    }
    x.bndt.set(x.bndt.get() - n);
    return true;
}

bool Stm32h7Mdma::end_of_buffer(unsigned c)
{
    Channel &x = ch_[c];
    ChannelState &cs = st_.c[c];
    x.tcif.set(1); // RM0399 CxISR.TCIF: buffer transfer complete
    bool over = cs.trgm == TRGM_BUFFER;
    if (x.bndt.get() != 0) {
        if (over) {
            finish_request(c, false);
        }
        return !over;
    }
    x.btif.set(1); // end of a block
    if (x.brc.get() > 0) {
        // RM0399 CxBNDTR.BRC: decremented after each block; BNDT reloaded,
        // the addresses updated by CxBRUR (subtracted when BRSUM/BRDUM = 1).
        x.brc.set(x.brc.get() - 1);
        x.bndt.set(cs.block);
        x.sar->value += x.brsum.on() ? -x.suv.get() : x.suv.get();
        x.dar->value += x.brdum.on() ? -x.duv.get() : x.duv.get();
        over = over || cs.trgm == TRGM_BLOCK;
        if (over) {
            finish_request(c, false);
        }
        return !over;
    }
    x.brtif.set(1); // end of the repeated block
    if (x.lar->value == 0) {
        finish_request(c, true);
        return false;
    }
    if (!load_node(c)) {
        return false;
    }
    if (cs.trgm != TRGM_CHANNEL) {
        finish_request(c, false);
        return false;
    }
    return check(c);
}

bool Stm32h7Mdma::load_node(unsigned c)
{
    // RM0399 "Linked list mode": at the end of the block the channel's
    // configuration is loaded from the node at CxLAR (the register layout from
    // CxTCR, 10 words).
    Channel &x = ch_[c];
    ChannelState &cs = st_.c[c];
    const uint32_t at = x.lar->value;
    const uint8_t *node = bus_.memory(ctx_, cs.initiator, at, 40);
    if (!node) {
        x.teld.set(1);
        x.tea.set(at & 0x7F);
        error(c, "linked-list node at " + hex(at) + " cannot be read" + bus_.where(at));
        return false;
    }
    Register *regs[] = {x.tcr, x.bndtr, x.sar, x.dar, x.brur, x.lar, x.tbr, nullptr, x.mar, x.mdr};
    for (unsigned i = 0; i < 10; i++) {
        if (regs[i]) {
            regs[i]->value = dma::le_load(node + 4 * i, 4) & regs[i]->defined_mask();
        }
    }
    cs.block = x.bndt.get();
    AMPVP_TRACE("bus", cs.initiator_name,
                cname(c) + ": node " + hex(at) + " loaded, " + std::to_string(cs.block) +
                    " bytes from " + hex(x.sar->value) + " to " + hex(x.dar->value));
    return true;
}

void Stm32h7Mdma::advance(unsigned c, uint64_t t)
{
    ChannelState &cs = st_.c[c];
    while (cs.active) {
        const uint32_t n = buffer_bytes(c);
        const uint64_t end = cs.t_done + buffer_ns(c, n);
        if (end > t) {
            break;
        }
        if (!move_buffer(c, n)) {
            break;
        }
        cs.t_done = end;
        if (!end_of_buffer(c)) {
            break;
        }
    }
}

void Stm32h7Mdma::advance_all()
{
    const uint64_t t = now();
    for (unsigned c = 0; c < CHANNELS; c++) {
        if (st_.c[c].active) {
            advance(c, t);
        }
    }
}

void Stm32h7Mdma::schedule(unsigned c)
{
    // The next moment something software can see without reading a register
    // happens: the end of the current block (BTIF, BRTIF, CTCIF, a node load),
    // or of the current buffer when its TCIF interrupt is enabled or the
    // request ends with it.
    const Channel &x = ch_[c];
    const ChannelState &cs = st_.c[c];
    if (!ctx_.scheduler || !cs.active) {
        return;
    }
    const uint32_t n = buffer_bytes(c);
    uint64_t at = cs.t_done + buffer_ns(c, n);
    if (!x.tcie.on() && cs.trgm != TRGM_BUFFER && n < x.bndt.get()) {
        const uint32_t full = x.bndt.get() / n, tail = x.bndt.get() % n;
        at = cs.t_done + full * buffer_ns(c, n) + (tail ? buffer_ns(c, tail) : 0);
    }
    ctx_.scheduler->schedule(this, c, at);
}

uint32_t Stm32h7Mdma::read(BusAccess &a)
{
    advance_all();
    return RegisterDevice::read(a);
}

void Stm32h7Mdma::write(BusAccess &a, uint32_t value)
{
    advance_all();
    RegisterDevice::write(a, value);
}

void Stm32h7Mdma::timer_fired(unsigned tag)
{
    if (tag >= CHANNELS) {
        return;
    }
    advance(tag, now());
    schedule(tag);
    update_irq();
}

void Stm32h7Mdma::update_irq()
{
    // RM0399 MDMA_GISR0.GIFx: the OR of channel x's flags that are enabled.
    uint32_t gif = 0;
    for (unsigned c = 0; c < CHANNELS; c++) {
        const Channel &x = ch_[c];
        if (x.isr->value & (x.cr->value >> 1) & kFlags) {
            gif |= 1u << c;
        }
    }
    gisr_->value = gif;
    irq_->set(gif != 0);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-mdma", ampvp::Stm32h7Mdma)
