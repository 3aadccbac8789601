#include "stm32h7_rcc.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

#include <cstdio>

namespace ampvp {

namespace {
// Enable bit -> ready bit pairs in RCC_CR (RM0399): HSION/HSIRDY, CSION/CSIRDY,
// HSI48ON/HSI48RDY, HSEON/HSERDY, PLLxON/PLLxRDY.
const struct { unsigned on, rdy; } kReady[] = {{0, 2}, {7, 8}, {12, 13}, {16, 17}, {24, 25}, {26, 27}, {28, 29}};

// Registers that only store what is written (one field each), with their
// RM0399 offsets and reset values.
const struct { const char *name; uint32_t off; uint32_t reset; } kStored[] = {
    {"HSICFGR", 0x004, 0x40000000}, {"CRRCR", 0x008, 0}, {"CSICFGR", 0x00C, 0x20000000},
    {"D1CFGR", 0x018, 0}, {"D2CFGR", 0x01C, 0}, {"D3CFGR", 0x020, 0},
    {"PLLCKSELR", 0x028, 0x02020200}, {"PLLCFGR", 0x02C, 0x01FF0000},
    {"PLL1DIVR", 0x030, 0x01010280}, {"PLL1FRACR", 0x034, 0}, {"PLL2DIVR", 0x038, 0x01010280},
    {"PLL2FRACR", 0x03C, 0}, {"PLL3DIVR", 0x040, 0x01010280}, {"PLL3FRACR", 0x044, 0},
    {"D1CCIPR", 0x04C, 0}, {"D2CCIP1R", 0x050, 0}, {"D2CCIP2R", 0x054, 0}, {"D3CCIPR", 0x058, 0},
    {"AHB3RSTR", 0x07C, 0}, {"AHB1RSTR", 0x080, 0}, {"AHB2RSTR", 0x084, 0}, {"AHB4RSTR", 0x088, 0},
    {"APB3RSTR", 0x08C, 0}, {"APB1LRSTR", 0x090, 0}, {"APB1HRSTR", 0x094, 0}, {"APB2RSTR", 0x098, 0},
    {"APB4RSTR", 0x09C, 0}, {"D3AMR", 0x0A8, 0},
    // The common view of the enables: an access goes to the bank of the core
    // that makes it (read()/write()); these hold what a core outside both
    // banks would see.
    {"AHB3ENR", 0x0D4, 0}, {"AHB1ENR", 0x0D8, 0}, {"AHB2ENR", 0x0DC, 0}, {"AHB4ENR", 0x0E0, 0},
    {"APB3ENR", 0x0E4, 0}, {"APB1LENR", 0x0E8, 0}, {"APB1HENR", 0x0EC, 0}, {"APB2ENR", 0x0F0, 0},
    {"APB4ENR", 0x0F4, 0},
    {"AHB3LPENR", 0x0FC, 0}, {"AHB1LPENR", 0x100, 0}, {"AHB2LPENR", 0x104, 0},
    {"AHB4LPENR", 0x108, 0}, {"APB3LPENR", 0x10C, 0}, {"APB1LLPENR", 0x110, 0},
    {"APB1HLPENR", 0x114, 0}, {"APB2LPENR", 0x118, 0}, {"APB4LPENR", 0x11C, 0},
};
} // namespace

Stm32h7Rcc::Stm32h7Rcc(const std::string &name) : RegisterDevice(name)
{
    auto &r = regs_;
    // RM0399 RCC_CR reset value 0x0000 0025 (HSION, HSIRDY, HSIDIVF); the
    // domain-ready flags are computed from the cores' power states.
    r.reg("CR", 0x000, 0x00000025)
        .field("HSION", 0, 1, Acc::RW)
        .field("HSIKERON", 1, 1, Acc::RW)
        .field("HSIRDY", 2, 1, Acc::RO)
        .field("HSIDIV", 3, 2, Acc::RW)
        .field("HSIDIVF", 5, 1, Acc::RO)
        .field("CSION", 7, 1, Acc::RW)
        .field("CSIRDY", 8, 1, Acc::RO)
        .field("CSIKERON", 9, 1, Acc::RW)
        .field("HSI48ON", 12, 1, Acc::RW)
        .field("HSI48RDY", 13, 1, Acc::RO)
        .field("D1CKRDY", 14, 1, Acc::RO)
        .field("D2CKRDY", 15, 1, Acc::RO)
        .field("HSEON", 16, 1, Acc::RW)
        .field("HSERDY", 17, 1, Acc::RO)
        .field("HSEBYP", 18, 1, Acc::RW)
        .unimpl("HSECSSON", 19, 1)
        .field("PLL1ON", 24, 1, Acc::RW)
        .field("PLL1RDY", 25, 1, Acc::RO)
        .field("PLL2ON", 26, 1, Acc::RW)
        .field("PLL2RDY", 27, 1, Acc::RO)
        .field("PLL3ON", 28, 1, Acc::RW)
        .field("PLL3RDY", 29, 1, Acc::RO)
        .on_read([this](BusAccess &, uint32_t v) { return cr_view(v); });
    r.reg("CFGR", 0x010, 0)
        .field("SW", 0, 3, Acc::RW)
        .field("SWS", 3, 3, Acc::RO)
        .field("STOPWUCK", 6, 1, Acc::RW)
        .field("STOPKERWUCK", 7, 1, Acc::RW)
        .field("RTCPRE", 8, 6, Acc::RW)
        .field("HRTIMSEL", 14, 1, Acc::RW)
        .field("TIMPRE", 15, 1, Acc::RW)
        .field("MCO1PRE", 18, 4, Acc::RW)
        .field("MCO1", 22, 3, Acc::RW)
        .field("MCO2PRE", 25, 4, Acc::RW)
        .field("MCO2", 29, 3, Acc::RW)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
            // The switch completes at once: SWS reports the selected source.
            regs_["CFGR"].value = (now & ~0x38u) | ((now & 0x7u) << 3);
            clocks_changed(&a);
        });
    r["CR"].post_write([this](BusAccess &a, uint32_t, uint32_t, uint32_t) { clocks_changed(&a); });
    for (const auto &s : kStored) {
        r.reg(s.name, s.off, s.reset).field("VALUE", 0, 32, Acc::RW);
    }
    for (const char *n : {"D1CFGR", "D2CFGR", "D3CFGR"}) {
        r[n].post_write([this](BusAccess &a, uint32_t, uint32_t, uint32_t) { clocks_changed(&a); });
    }
    // RM0399 RCC_GCR: BOOT_C1 / BOOT_C2 force the boot of the CM7 / CM4 when
    // its option bit BCMx is 0 (a core held in reset starts from its boot
    // address); they are set-only until the next system reset.  WW1RSC /
    // WW2RSC (window watchdog reset scope) are stored.
    r.reg("GCR", 0x0A0, 0)
        .field("WW1RSC", 0, 1, Acc::W1S)
        .field("WW2RSC", 1, 1, Acc::W1S)
        .field("BOOT_C1", 2, 1, Acc::W1S)
        .field("BOOT_C2", 3, 1, Acc::W1S)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
            const uint32_t set = now & ~old;
            if (ctx_.boot && (set & GCR_BOOT_C1) && d1_core_ >= 0) {
                ctx_.boot->release_core(d1_core_, a.core_name);
            }
            if (ctx_.boot && (set & GCR_BOOT_C2) && d2_core_ >= 0) {
                ctx_.boot->release_core(d2_core_, a.core_name);
            }
        });
    // RM0399 RCC_BDCR / RCC_CSR: LSERDY follows LSEON, LSIRDY follows LSION
    // (the oscillators are ready at once).
    r.reg("BDCR", 0x070, 0)
        .field("LSEON", 0, 1, Acc::RW)
        .field("LSERDY", 1, 1, Acc::RO)
        .field("LSEBYP", 2, 1, Acc::RW)
        .field("LSEDRV", 3, 2, Acc::RW)
        .unimpl("LSECSSON", 5, 1)
        .field("LSECSSD", 6, 1, Acc::RO)
        .field("RTCSEL", 8, 2, Acc::RW)
        .field("RTCEN", 15, 1, Acc::RW)
        .field("BDRST", 16, 1, Acc::RW)
        .on_read([](BusAccess &, uint32_t v) { return (v & ~2u) | ((v & 1u) << 1); });
    r.reg("CSR", 0x074, 0)
        .field("LSION", 0, 1, Acc::RW)
        .field("LSIRDY", 1, 1, Acc::RO)
        .on_read([](BusAccess &, uint32_t v) { return (v & ~2u) | ((v & 1u) << 1); });
    r.reg("CIER", 0x060, 0).unimpl("IE", 0, 32);
    r.reg("CIFR", 0x064, 0).field("IF", 0, 32, Acc::RO);
    r.reg("CICR", 0x068, 0).field("IC", 0, 32, Acc::WO);
    // RM0399 RSR after a power-on reset: D1RSTF (19), D2RSTF (20), BORRSTF
    // (21), PINRSTF (22) and PORRSTF (23) set; writing RMVF (16) clears them.
    const uint32_t por_flags = 0x00F80000;
    for (const auto &bank : {std::make_pair("RSR", 0x0D0u), std::make_pair("C1_RSR", 0x130u),
                             std::make_pair("C2_RSR", 0x190u)}) {
        Register &rsr = r.reg(bank.first, bank.second, por_flags);
        rsr.field("RMVF", 16, 1, Acc::RW).field("FLAGS", 17, 15, Acc::RO);
        rsr.post_write([&rsr](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            if (now & (1u << 16)) {
                rsr.value &= ~0xFFFE0000u; // RMVF clears every reset flag
            }
        });
    }
    // Per-core banks of the enable registers (RM0399: RCC_C1_* at 0x130,
    // RCC_C2_* at 0x190; same layout as the shared view at 0x0D0).
    for (const auto &bank : {std::make_pair("C1_", 0x130u), std::make_pair("C2_", 0x190u)}) {
        static const struct { const char *n; uint32_t off; } kBank[] = {
            {"AHB3ENR", 0x04}, {"AHB1ENR", 0x08}, {"AHB2ENR", 0x0C}, {"AHB4ENR", 0x10},
            {"APB3ENR", 0x14}, {"APB1LENR", 0x18}, {"APB1HENR", 0x1C}, {"APB2ENR", 0x20},
            {"APB4ENR", 0x24}, {"AHB3LPENR", 0x2C}, {"AHB1LPENR", 0x30}, {"AHB2LPENR", 0x34},
            {"AHB4LPENR", 0x38}, {"APB3LPENR", 0x3C}, {"APB1LLPENR", 0x40}, {"APB1HLPENR", 0x44},
            {"APB2LPENR", 0x48}, {"APB4LPENR", 0x4C},
        };
        for (const auto &e : kBank) {
            r.reg(std::string(bank.first) + e.n, bank.second + e.off, 0).field("VALUE", 0, 32, Acc::RW);
        }
    }
}

// RM0399 "RCC register description" (dual core): the registers at
// 0x0D0-0x11C (RSR, the xxxENR and xxxLPENR) are a common address for the
// per-CPU banks: an access by CPU1 reaches RCC_C1_xxx (0x130-0x17C), by CPU2
// RCC_C2_xxx (0x190-0x1DC).  So each core enables its own clocks through the
// same address, as HAL's __HAL_RCC_xxx_CLK_ENABLE does.
uint64_t Stm32h7Rcc::bank_offset(const BusAccess &a) const
{
    if (a.offset < 0x0D0 || a.offset > 0x11F) {
        return a.offset;
    }
    const uint64_t base = a.core == d1_core_ ? 0x130 : a.core == d2_core_ ? 0x190 : 0;
    return base ? base + (a.offset - 0x0D0) : a.offset;
}

uint32_t Stm32h7Rcc::read(BusAccess &a)
{
    const uint64_t off = a.offset;
    a.offset = bank_offset(a);
    const uint32_t v = RegisterDevice::read(a);
    a.offset = off;
    return v;
}

void Stm32h7Rcc::write(BusAccess &a, uint32_t value)
{
    const uint64_t off = a.offset;
    a.offset = bank_offset(a);
    RegisterDevice::write(a, value);
    a.offset = off;
}

void Stm32h7Rcc::configure(const std::map<std::string, std::string> &params,
                           const std::vector<std::string> &core_names)
{
    d1_core_ = param_core(params, "d1_core", core_names);
    d2_core_ = param_core(params, "d2_core", core_names);
    auto it = params.find("hse_hz");
    hse_hz_ = it == params.end() ? 0 : parse_size(it->second);
    told_[0] = told_[1] = 0;
    clocks_changed(nullptr); // the reset clocks: 64 MHz HSI
}

uint32_t Stm32h7Rcc::cr_view(uint32_t v) const
{
    for (const auto &p : kReady) {
        v = (v & ~(1u << p.rdy)) | (((v >> p.on) & 1u) << p.rdy);
    }
    v &= ~(CR_D1CKRDY | CR_D2CKRDY);
    if (!d1_stopped_) {
        v |= CR_D1CKRDY;
    }
    if (!d2_stopped_) {
        v |= CR_D2CKRDY;
    }
    return v;
}

namespace {
// D1CPRE / HPRE encoding: 0xxx = /1, 1000 = /2 ... 1011 = /16, 1100 = /64 ... 1111 = /512.
unsigned ahb_div(uint32_t v)
{
    static const unsigned div[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    return v < 8 ? 1 : div[v - 8];
}
// APB prescalers: 0xx = /1, 100 = /2 ... 111 = /16.
unsigned apb_div(uint32_t v) { return v < 4 ? 1 : 1u << (v - 3); }
std::string mhz(uint64_t hz)
{
    char b[32];
    std::snprintf(b, sizeof(b), "%.6g MHz", hz / 1e6);
    return b;
}
} // namespace

uint64_t Stm32h7Rcc::hsi_hz() const { return 64000000ull >> ((regs_["CR"].value >> 3) & 3u); }

// RM0399 PLLs: the source (PLLCKSELR.PLLSRC: HSI, CSI, HSE) divided by DIVMx
// gives the reference; the VCO runs at ref * (DIVNx + 1 + FRACNx / 8192)
// (FRACN only with PLLxFRACEN); output P/Q/R = VCO / (DIVy + 1), 0 while
// the PLL is off, DIVMx is 0 or the output's DIVyxEN is clear.
uint64_t Stm32h7Rcc::pll_hz(unsigned pll, char out) const
{
    const unsigned i = pll - 1;
    const uint32_t cr = regs_["CR"].value, ck = regs_["PLLCKSELR"].value, cfg = regs_["PLLCFGR"].value;
    const unsigned out_idx = out == 'p' ? 0 : out == 'q' ? 1 : 2;
    if (!(cr & (1u << (24 + 2 * i))) || !(cfg & (1u << (16 + 3 * i + out_idx)))) {
        return 0;
    }
    const uint64_t src = (ck & 3u) == 0 ? hsi_hz() : (ck & 3u) == 1 ? 4000000ull : (ck & 3u) == 2 ? hse_hz_ : 0;
    const uint32_t divm = (ck >> (4 + 8 * i)) & 0x3Fu;
    if (!divm) {
        return 0;
    }
    const uint32_t divr = regs_["PLL" + std::to_string(pll) + "DIVR"].value;
    const uint32_t frac = (regs_["PLL" + std::to_string(pll) + "FRACR"].value >> 3) & 0x1FFFu;
    const double n = ((divr & 0x1FFu) + 1) + ((cfg & (1u << (4 * i))) ? frac / 8192.0 : 0.0);
    const unsigned div = ((divr >> (out_idx == 0 ? 9 : out_idx == 1 ? 16 : 24)) & 0x7Fu) + 1;
    return static_cast<uint64_t>(src / double(divm) * n / div);
}

Stm32h7Rcc::Clocks Stm32h7Rcc::clocks() const
{
    Clocks c;
    const uint64_t hsi = hsi_hz(), csi = 4000000ull;
    const uint64_t pll1_p = pll_hz(1, 'p');
    switch (regs_["CFGR"].value & 7u) {
    case 0: c.sysclk = hsi; c.source = "HSI"; break;
    case 1: c.sysclk = csi; c.source = "CSI"; break;
    case 2: c.sysclk = hse_hz_; c.source = "HSE"; break;
    case 3: c.sysclk = pll1_p; c.source = "PLL1"; break;
    default: c.sysclk = hsi; c.source = "HSI"; break;
    }
    const uint32_t d1 = regs_["D1CFGR"].value, d2 = regs_["D2CFGR"].value, d3 = regs_["D3CFGR"].value;
    c.cm7 = c.sysclk / ahb_div((d1 >> 8) & 0xFu);
    c.hclk = c.cm7 / ahb_div(d1 & 0xFu);
    c.pclk3 = c.hclk / apb_div((d1 >> 4) & 7u);
    c.pclk1 = c.hclk / apb_div((d2 >> 4) & 7u);
    c.pclk2 = c.hclk / apb_div((d2 >> 8) & 7u);
    c.pclk4 = c.hclk / apb_div((d3 >> 4) & 7u);
    return c;
}

uint64_t Stm32h7Rcc::clock_hz(const std::string &n) const
{
    const Clocks c = clocks();
    const uint32_t d2 = regs_["D2CFGR"].value;
    if (n == "sysclk") return c.sysclk;
    if (n == "hclk") return c.hclk;
    if (n == "pclk1") return c.pclk1;
    if (n == "pclk2") return c.pclk2;
    if (n == "pclk3") return c.pclk3;
    if (n == "pclk4") return c.pclk4;
    if (n == "tim_apb1") return apb_div((d2 >> 4) & 7u) == 1 ? c.pclk1 : 2 * c.pclk1;
    if (n == "tim_apb2") return apb_div((d2 >> 8) & 7u) == 1 ? c.pclk2 : 2 * c.pclk2;
    if (n.size() == 6 && n.compare(0, 3, "pll") == 0 && n[3] >= '1' && n[3] <= '3' && n[4] == '_') {
        return pll_hz(static_cast<unsigned>(n[3] - '0'), n[5]); // "pll2_q"
    }
    // RM0399 RCC_D2CCIP2R kernel clock selection: USART234578SEL [2:0] and
    // USART16SEL [5:3]: 0 PCLK (PCLK1 / PCLK2), 1 pll2_q, 2 pll3_q, 3 hsi_ker,
    // 4 csi_ker, 5 lse.
    if (n == "usart234578" || n == "usart16") {
        const bool u16 = n == "usart16";
        const uint32_t sel = (regs_["D2CCIP2R"].value >> (u16 ? 3 : 0)) & 7u;
        switch (sel) {
        case 0: return u16 ? c.pclk2 : c.pclk1;
        case 1: return pll_hz(2, 'q');
        case 2: return pll_hz(3, 'q');
        case 3: return hsi_hz();
        case 4: return 4000000ull;
        case 5: return (regs_["BDCR"].value & 1u) ? 32768ull : 0;
        default: return 0;
        }
    }
    return 0;
}

void Stm32h7Rcc::clocks_changed(const BusAccess *a)
{
    const Clocks c = clocks();
    if (c.sysclk == 0) {
        log().guest_error(a ? a->core_name : name(), name() + ": the selected system clock source " +
                                                         c.source + " is not running (no frequency)");
        return;
    }
    const uint64_t want[2] = {c.cm7, c.hclk};
    const CoreId core[2] = {d1_core_, d2_core_};
    bool changed = false;
    for (int i = 0; i < 2; i++) {
        if (want[i] != told_[i]) {
            told_[i] = want[i];
            changed = true;
            if (ctx_.clocks && core[i] >= 0) {
                ctx_.clocks->set_core_clock(core[i], want[i]);
            }
        }
    }
    if (changed) {
        const std::string tree = "SYSCLK " + mhz(c.sysclk) + " (" + c.source + "), CM7 " + mhz(c.cm7) +
                                 ", HCLK/CM4 " + mhz(c.hclk) + ", PCLK1 " + mhz(c.pclk1) + ", PCLK2 " +
                                 mhz(c.pclk2) + ", PCLK3 " + mhz(c.pclk3) + ", PCLK4 " + mhz(c.pclk4);
        log().verbose_info("clocks: " + tree);
        AMPVP_TRACE("clock", a ? a->core_name : "hub", tree);
    }
}

void Stm32h7Rcc::core_power_changed(CoreId core, CorePower p)
{
    // RM0399: a domain enters DStop when its CPU is in CStop (deep sleep);
    // its clocks stop and DxCKRDY reads 0 until it wakes.
    const bool stopped = p == CorePower::DeepSleep;
    if (core == d1_core_) {
        d1_stopped_ = stopped;
    }
    if (core == d2_core_) {
        d2_stopped_ = stopped;
    }
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-rcc", ampvp::Stm32h7Rcc)
