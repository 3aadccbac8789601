#include "stm32_dma2d.h"
#include "../model_registry.h"

#include "../log.h"

#include <vector>

namespace ampvp {

namespace {
// RM0399 DMA2D_CR.MODE.
enum : uint32_t { M2M = 0, M2M_PFC = 1, M2M_BLEND = 2, R2M = 3, BLEND_FIXED_FG = 4,
                  BLEND_FIXED_BG = 5 };
// Colour modes the model converts (input CM and OPFCCR.CM share these codes).
enum : uint32_t { ARGB8888 = 0, RGB888 = 1, RGB565 = 2, ARGB1555 = 3, ARGB4444 = 4 };
// ISR flags; the enable of flag bit b is CR bit b + 8 (TEIE 8 ... CEIE 13).
constexpr uint32_t kFlags = 0x3F;

uint32_t bytes_per_pixel(uint32_t cm) { return cm == ARGB8888 ? 4 : cm == RGB888 ? 3 : 2; }

uint32_t argb(uint32_t a, uint32_t r, uint32_t g, uint32_t b) { return a << 24 | r << 16 | g << 8 | b; }
uint32_t w5(uint32_t v) { return v << 3 | v >> 2; }
uint32_t w6(uint32_t v) { return v << 2 | v >> 4; }

// A pixel of colour mode cm, as ARGB8888.
uint32_t to_argb(uint32_t cm, uint32_t raw)
{
    switch (cm) {
    case ARGB8888: return raw;
    case RGB888: return 0xFF000000u | (raw & 0xFFFFFFu);
    case RGB565: return argb(255, w5(raw >> 11 & 31), w6(raw >> 5 & 63), w5(raw & 31));
    case ARGB1555:
        return argb(raw >> 15 & 1 ? 255 : 0, w5(raw >> 10 & 31), w5(raw >> 5 & 31), w5(raw & 31));
    default: // ARGB4444
        return argb((raw >> 12 & 15) * 17, (raw >> 8 & 15) * 17, (raw >> 4 & 15) * 17,
                    (raw & 15) * 17);
    }
}

// An ARGB8888 pixel in colour mode cm.
uint32_t from_argb(uint32_t cm, uint32_t p)
{
    const uint32_t a = p >> 24, r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
    switch (cm) {
    case ARGB8888: return p;
    case RGB888: return p & 0xFFFFFFu;
    case RGB565: return (r >> 3) << 11 | (g >> 2) << 5 | b >> 3;
    case ARGB1555: return (a >> 7) << 15 | (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
    default: return (a >> 4) << 12 | (r >> 4) << 8 | (g >> 4) << 4 | b >> 4;
    }
}

uint32_t swap_rb(uint32_t p) { return (p & 0xFF00FF00u) | (p >> 16 & 255) | (p & 255) << 16; }

// RM0399 "DMA2D blender".
uint32_t blend(uint32_t fg, uint32_t bg)
{
    const uint32_t af = fg >> 24, ab = bg >> 24;
    const uint32_t am = af * ab / 255;
    const uint32_t ao = af + ab - am;
    if (ao == 0) {
        return 0;
    }
    uint32_t out = ao << 24;
    for (unsigned sh = 0; sh < 24; sh += 8) {
        const uint32_t cf = fg >> sh & 255, cb = bg >> sh & 255;
        out |= ((cf * af + cb * ab - cb * am) / ao) << sh;
    }
    return out;
}
} // namespace

Stm32Dma2d::Stm32Dma2d(const std::string &name) : RegisterDevice(name)
{
    auto &r = regs_;
    irq_ = &add_irq("irq");
    cr_ = &r.reg("CR", 0x00, 0)
               .field("START", 0, 1, Acc::RW, &start_)
               .unimpl("SUSP", 1, 1)
               .field("ABORT", 2, 1, Acc::RW, &abort_)
               .field("LOM", 6, 1, Acc::RW, &lom_)
               .field("TEIE", 8, 1, Acc::RW)
               .field("TCIE", 9, 1, Acc::RW)
               .field("TWIE", 10, 1, Acc::RW)
               .field("CAEIE", 11, 1, Acc::RW)
               .field("CTCIE", 12, 1, Acc::RW)
               .field("CEIE", 13, 1, Acc::RW)
               .field("MODE", 16, 3, Acc::RW, &mode_)
               .pre_write([this](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
                   // RM0399 DMA2D_CR: while a transfer runs only START, ABORT,
                   // SUSP and the interrupt enables may be written.
                   const uint32_t locked = lom_.mask() | mode_.mask();
                   if (st_.running && ((old ^ next) & locked)) {
                       log().guest_error(a.core_name, this->name() + ": CR.MODE/LOM written during a "
                                                               "transfer (ignored)");
                       next = (next & ~locked) | (old & locked);
                   }
                   return true;
               })
               .post_write([this](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
                   if (abort_.in(now)) {
                       // RM0399 DMA2D_CR.ABORT: the transfer is aborted; START
                       // and ABORT are reset by hardware.
                       if (st_.running) {
                           AMPVP_TRACE("bus", a.core_name,
                                       this->name() + ": aborted after " + std::to_string(st_.line) +
                                           " lines");
                       }
                       stop();
                       abort_.set(0);
                       return;
                   }
                   if (!start_.in(old) && start_.in(now)) {
                       start(a);
                   }
               });
    isr_ = &r.reg("ISR", 0x04, 0)
                .field("TEIF", 0, 1, Acc::RO, &teif_)
                .field("TCIF", 1, 1, Acc::RO, &tcif_)
                .field("TWIF", 2, 1, Acc::RO, &twif_)
                .field("CAEIF", 3, 1, Acc::RO)
                .field("CTCIF", 4, 1, Acc::RO)
                .field("CEIF", 5, 1, Acc::RO, &ceif_);
    Register &ifcr = r.reg("IFCR", 0x08, 0)
                         .field("CTEIF", 0, 1, Acc::WO)
                         .field("CTCIF", 1, 1, Acc::WO)
                         .field("CTWIF", 2, 1, Acc::WO)
                         .field("CAECIF", 3, 1, Acc::WO)
                         .field("CCTCIF", 4, 1, Acc::WO)
                         .field("CCEIF", 5, 1, Acc::WO);
    Register *ifcr_reg = &ifcr;
    ifcr.post_write([this, ifcr_reg](BusAccess &, uint32_t, uint32_t now, uint32_t) {
        isr_->value &= ~(now & kFlags); // RM0399 DMA2D_IFCR: writing 1 clears the flag
        ifcr_reg->value = 0;
    });
    // FGMAR 0x0C, FGOR 0x10, BGMAR 0x14, BGOR 0x18, FGPFCCR 0x1C, FGCOLR 0x20,
    // BGPFCCR 0x24, BGCOLR 0x28: declared in offset order.
    fg_.mar = &r.reg("FGMAR", 0x0C, 0).field("MA", 0, 32, Acc::RW);
    r.reg("FGOR", 0x10, 0).field("LO", 0, 16, Acc::RW, &fg_.lo);
    bg_.mar = &r.reg("BGMAR", 0x14, 0).field("MA", 0, 32, Acc::RW);
    r.reg("BGOR", 0x18, 0).field("LO", 0, 16, Acc::RW, &bg_.lo);
    for (Layer *l : {&fg_, &bg_}) {
        const bool fg = l == &fg_;
        Register &pf = r.reg(fg ? "FGPFCCR" : "BGPFCCR", fg ? 0x1C : 0x24, 0);
        pf.field("CM", 0, 4, Acc::RW, &l->cm)
            .unimpl("CCM", 4, 1)
            .unimpl("START", 5, 1)
            .field("CS", 8, 8, Acc::RW)
            .field("AM", 16, 2, Acc::RW, &l->am);
        if (fg) {
            pf.field("CSS", 18, 2, Acc::RW);
        }
        pf.field("AI", 20, 1, Acc::RW, &l->ai)
            .field("RBS", 21, 1, Acc::RW, &l->rbs)
            .field("ALPHA", 24, 8, Acc::RW, &l->alpha);
        l->pfccr = &pf;
        l->colr = &r.reg(fg ? "FGCOLR" : "BGCOLR", fg ? 0x20 : 0x28, 0)
                       .field("BLUE", 0, 8, Acc::RW)
                       .field("GREEN", 8, 8, Acc::RW)
                       .field("RED", 16, 8, Acc::RW);
    }
    r.reg("FGCMAR", 0x2C, 0).field("MA", 0, 32, Acc::RW);
    r.reg("BGCMAR", 0x30, 0).field("MA", 0, 32, Acc::RW);
    opfccr_ = &r.reg("OPFCCR", 0x34, 0)
                   .field("CM", 0, 3, Acc::RW, &ocm_)
                   .field("SB", 8, 1, Acc::RW, &osb_)
                   .field("AI", 20, 1, Acc::RW, &oai_)
                   .field("RBS", 21, 1, Acc::RW, &orbs_);
    ocolr_ = &r.reg("OCOLR", 0x38, 0).field("COLOR", 0, 32, Acc::RW);
    omar_ = &r.reg("OMAR", 0x3C, 0).field("MA", 0, 32, Acc::RW);
    r.reg("OOR", 0x40, 0).field("LO", 0, 16, Acc::RW, &oolo_);
    nlr_ = &r.reg("NLR", 0x44, 0).field("NL", 0, 16, Acc::RW, &nl_).field("PL", 16, 14, Acc::RW, &pl_);
    lwr_ = &r.reg("LWR", 0x48, 0).field("LW", 0, 16, Acc::RW);
    r.reg("AMTCR", 0x4C, 0).field("EN", 0, 1, Acc::RW).field("DT", 8, 8, Acc::RW);
}

void Stm32Dma2d::configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &core_names)
{
    if (params.count("clock")) {
        clock_.set_name(params.at("clock"));
    }
    if (params.count("view")) {
        bus_.set_view(param_core(params, "view", core_names), params.at("view"));
    }
}

void Stm32Dma2d::reset()
{
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
    st_ = State{};
    RegisterDevice::reset();
}

uint64_t Stm32Dma2d::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

void Stm32Dma2d::config_error(const std::string &what)
{
    // RM0399 "DMA2D error management": a wrong configuration at START sets
    // CEIF; nothing is transferred and START is reset.
    log().guest_error(st_.initiator_name, name() + ": configuration error: " + what +
                                              ": CEIF set, no transfer");
    ceif_.set(1);
    start_.set(0);
}

bool Stm32Dma2d::configure_plane(Plane &p, uint32_t mar, uint32_t cm, uint32_t lo, bool input,
                                 const char *what)
{
    if (cm > ARGB4444) {
        if (input && cm <= 11) {
            log().unimplemented(name() + ".cm" + std::to_string(cm),
                                name() + ": " + what + " colour mode " + std::to_string(cm) +
                                    " (CLUT, alpha-only or YCbCr) is not modelled");
        }
        config_error(std::string(what) + " colour mode " + std::to_string(cm));
        return false;
    }
    p.base = mar;
    p.cm = cm;
    p.bpp = bytes_per_pixel(cm);
    if (p.bpp != 3 && mar % p.bpp) {
        config_error(std::string(what) + " address " + hex(mar) + " not aligned on its pixel size");
        return false;
    }
    p.stride = pl_.get() * p.bpp + (lom_.on() ? lo : lo * p.bpp);
    return true;
}

void Stm32Dma2d::start(const BusAccess &a)
{
    st_.running = false;
    st_.initiator = a.core;
    st_.initiator_name = a.core_name;
    const uint32_t mode = mode_.get();
    if (mode > BLEND_FIXED_BG) {
        config_error("MODE " + std::to_string(mode) + " is reserved");
        return;
    }
    const bool reads_fg = mode != R2M && mode != BLEND_FIXED_FG;
    const bool reads_bg = mode == M2M_BLEND || mode == BLEND_FIXED_FG;
    if (reads_fg && !configure_plane(st_.fg, fg_.mar->value, fg_.cm.get(), fg_.lo.get(), true,
                                     "foreground")) {
        return;
    }
    if (reads_bg && !configure_plane(st_.bg, bg_.mar->value, bg_.cm.get(), bg_.lo.get(), true,
                                     "background")) {
        return;
    }
    // Memory-to-memory without conversion writes the foreground's format.
    const uint32_t out_cm = mode == M2M ? st_.fg.cm : ocm_.get();
    if (!configure_plane(st_.out, omar_->value, out_cm, oolo_.get(), false, "output")) {
        return;
    }
    st_.running = true;
    st_.line = 0;
    st_.t_done = now();
    static const char *const kMode[] = {"memory-to-memory", "memory-to-memory with PFC",
                                        "memory-to-memory with blending", "register-to-memory",
                                        "blending, fixed foreground", "blending, fixed background"};
    AMPVP_TRACE("bus", a.core_name,
                name() + ": " + kMode[mode] + ", " + std::to_string(pl_.get()) + " x " +
                    std::to_string(nl_.get()) + " pixels to " + hex(omar_->value));
    if (!ctx_.scheduler) {
        advance(UINT64_MAX);
    } else {
        advance(now());
        if (st_.running) {
            ctx_.scheduler->schedule(this, 0, st_.t_done + line_ns());
        }
    }
}

uint64_t Stm32Dma2d::line_ns()
{
    // One cycle per pixel written and per pixel read from each memory layer.
    const uint32_t mode = mode_.get();
    const uint64_t reads = mode == R2M ? 0 : mode == M2M_BLEND ? 2 : 1;
    return clock_.ns(ctx_, uint64_t(pl_.get()) * (1 + reads));
}

void Stm32Dma2d::stop()
{
    st_.running = false;
    start_.set(0);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 0, 0);
    }
}

bool Stm32Dma2d::read_pixel(const Layer &l, const Plane &p, uint64_t addr, uint32_t &out)
{
    const uint8_t *src = bus_.memory(ctx_, st_.initiator, addr, p.bpp);
    if (!src) {
        log().guest_error(st_.initiator_name, name() + ": transfer error reading " + hex(addr) +
                                                  bus_.where(addr) + ": TEIF set, transfer stopped");
        return false;
    }
    out = layer_pixel(l, to_argb(p.cm, dma::le_load(src, p.bpp)));
    return true;
}

// RM0399 "Foreground and background FIFO / PFC": red/blue swap, alpha
// inversion, then the alpha mode.
uint32_t Stm32Dma2d::layer_pixel(const Layer &l, uint32_t p) const
{
    if (l.rbs.on()) {
        p = swap_rb(p);
    }
    uint32_t a = p >> 24;
    if (l.ai.on()) {
        a = 255 - a;
    }
    const uint32_t alpha = l.alpha.get();
    if (l.am.get() == 1) {
        a = alpha;
    } else if (l.am.get() == 2) {
        a = a * alpha / 255;
    }
    return (p & 0xFFFFFFu) | a << 24;
}

bool Stm32Dma2d::move_line()
{
    const uint32_t mode = mode_.get();
    const uint32_t pl = pl_.get();
    const Plane &out = st_.out;
    const uint64_t dst = uint64_t(out.base) + uint64_t(st_.line) * out.stride;
    uint8_t *d = bus_.memory(ctx_, st_.initiator, dst, uint64_t(pl) * out.bpp);
    if (!d) {
        log().guest_error(st_.initiator_name, name() + ": transfer error writing " + hex(dst) +
                                                  bus_.where(dst) + ": TEIF set, transfer stopped");
        return false;
    }
    const uint64_t fg_line = uint64_t(st_.fg.base) + uint64_t(st_.line) * st_.fg.stride;
    const uint64_t bg_line = uint64_t(st_.bg.base) + uint64_t(st_.line) * st_.bg.stride;
    const uint32_t fixed_fg = layer_pixel(fg_, 0xFF000000u | fg_.colr->value);
    const uint32_t fixed_bg = layer_pixel(bg_, 0xFF000000u | bg_.colr->value);
    for (uint32_t x = 0; x < pl; x++) {
        uint32_t raw = 0;
        if (mode == M2M) {
            const uint8_t *s = bus_.memory(ctx_, st_.initiator, fg_line + x * out.bpp, out.bpp);
            if (!s) {
                log().guest_error(st_.initiator_name,
                                  name() + ": transfer error reading " + hex(fg_line + x * out.bpp) +
                                      bus_.where(fg_line) + ": TEIF set, transfer stopped");
                return false;
            }
            raw = dma::le_load(s, out.bpp);
        } else if (mode == R2M) {
            raw = ocolr_->value; // RM0399 DMA2D_OCOLR: already in the output format
        } else {
            uint32_t fg = fixed_fg, bg = fixed_bg;
            if (mode != BLEND_FIXED_FG && !read_pixel(fg_, st_.fg, fg_line + x * st_.fg.bpp, fg)) {
                return false;
            }
            if ((mode == M2M_BLEND || mode == BLEND_FIXED_FG) &&
                !read_pixel(bg_, st_.bg, bg_line + x * st_.bg.bpp, bg)) {
                return false;
            }
            uint32_t p = mode == M2M_PFC ? fg : blend(fg, bg);
            if (orbs_.on()) {
                p = swap_rb(p);
            }
            if (oai_.on()) {
                p ^= 0xFF000000u;
            }
            raw = from_argb(out.cm, p);
            if (osb_.on() && out.bpp == 2) {
                raw = (raw >> 8 & 0xFF) | (raw & 0xFF) << 8; // RM0399 OPFCCR.SB
            }
        }
        dma::le_store(d + x * out.bpp, out.bpp, raw);
    }
    return true;
}

void Stm32Dma2d::advance(uint64_t t)
{
    const uint64_t ns = line_ns();
    while (st_.running && st_.line < nl_.get() && st_.t_done + ns <= t) {
        if (!move_line()) {
            teif_.set(1); // RM0399: a bus error sets TEIF and stops the transfer
            stop();
            return;
        }
        st_.t_done += ns;
        st_.line++;
        if (st_.line == lwr_->value) {
            twif_.set(1); // RM0399 DMA2D_LWR: the line watermark has been reached
        }
    }
    if (st_.running && st_.line >= nl_.get()) {
        // RM0399 DMA2D_CR.START: reset by hardware at the end of the transfer.
        tcif_.set(1);
        stop();
        AMPVP_TRACE("bus", st_.initiator_name, name() + ": transfer complete");
    }
}

uint32_t Stm32Dma2d::read(BusAccess &a)
{
    advance(now());
    return RegisterDevice::read(a);
}

void Stm32Dma2d::write(BusAccess &a, uint32_t value)
{
    advance(now());
    RegisterDevice::write(a, value);
}

void Stm32Dma2d::timer_fired(unsigned)
{
    advance(now());
    if (st_.running && ctx_.scheduler) {
        // The end of the transfer, or the watermark line first.
        uint64_t lines = nl_.get() - st_.line;
        if (lwr_->value > st_.line && lwr_->value < nl_.get()) {
            lines = lwr_->value - st_.line;
        }
        ctx_.scheduler->schedule(this, 0, st_.t_done + lines * line_ns());
    }
    update_irq();
}

void Stm32Dma2d::update_irq()
{
    irq_->set((isr_->value & (cr_->value >> 8) & kFlags) != 0);
}

} // namespace ampvp

AMPVP_MODEL("stm32-dma2d", ampvp::Stm32Dma2d)
