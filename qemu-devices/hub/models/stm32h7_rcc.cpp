#include "stm32h7_rcc.h"
#include "../model_registry.h"

#include "../log.h"
#include "../machine.h"

#include <cstdio>
#include <cstring>

namespace ampvp {

namespace {
// The handle of an RM field inside a register the table declares as one
// stored VALUE field (the register reference lists VALUE [31:0] for those).
// Declaration time only, next to the register's declaration.
FieldRef part(Register &r, unsigned lsb, unsigned width)
{
    const uint32_t ones = width >= 32 ? 0xffffffffu : (1u << width) - 1u;
    return FieldRef(&r, ones << lsb, lsb);
}
} // namespace

Stm32h7Rcc::Stm32h7Rcc(const std::string &name) : RegisterDevice(name)
{
    bdrst_ = &add_irq("bdrst");
    auto &r = regs_;
    // A register that only stores what is written (one field), with its
    // RM0399 offset and reset value.
    auto stored = [&r](const char *n, uint32_t off, uint32_t reset) -> Register & {
        return r.reg(n, off, reset).field("VALUE", 0, 32, Acc::RW);
    };
    auto retime = [this](BusAccess &a, uint32_t, uint32_t, uint32_t) { clocks_changed(&a); };
    auto &ready = cr_ready_;
    // RM0399 RCC_CR reset value 0x0000 0025 (HSION, HSIRDY, HSIDIVF); the
    // ready flags follow their enables at once; the domain-ready flags are
    // computed from the cores' power states.
    r.reg("CR", 0x000, 0x00000025)
        .field("HSION", 0, 1, Acc::RW, &ready[0].on)
        .field("HSIKERON", 1, 1, Acc::RW)
        .field("HSIRDY", 2, 1, Acc::RO, &ready[0].rdy)
        .field("HSIDIV", 3, 2, Acc::RW, &hsidiv_)
        .field("HSIDIVF", 5, 1, Acc::RO)
        .field("CSION", 7, 1, Acc::RW, &ready[1].on)
        .field("CSIRDY", 8, 1, Acc::RO, &ready[1].rdy)
        .field("CSIKERON", 9, 1, Acc::RW)
        .field("HSI48ON", 12, 1, Acc::RW, &ready[2].on)
        .field("HSI48RDY", 13, 1, Acc::RO, &ready[2].rdy)
        .field("D1CKRDY", 14, 1, Acc::RO, &d1ckrdy_)
        .field("D2CKRDY", 15, 1, Acc::RO, &d2ckrdy_)
        .field("HSEON", 16, 1, Acc::RW, &ready[3].on)
        .field("HSERDY", 17, 1, Acc::RO, &ready[3].rdy)
        .field("HSEBYP", 18, 1, Acc::RW)
        .unimpl("HSECSSON", 19, 1)
        .field("PLL1ON", 24, 1, Acc::RW, &ready[4].on)
        .field("PLL1RDY", 25, 1, Acc::RO, &ready[4].rdy)
        .field("PLL2ON", 26, 1, Acc::RW, &ready[5].on)
        .field("PLL2RDY", 27, 1, Acc::RO, &ready[5].rdy)
        .field("PLL3ON", 28, 1, Acc::RW, &ready[6].on)
        .field("PLL3RDY", 29, 1, Acc::RO, &ready[6].rdy)
        .on_read([this](BusAccess &, uint32_t v) { return cr_view(v); })
        .post_write(retime);
    for (unsigned i = 0; i < 3; i++) {
        pll_[i].on = ready[4 + i].on;
    }
    r.reg("CFGR", 0x010, 0)
        .field("SW", 0, 3, Acc::RW, &sw_)
        .field("SWS", 3, 3, Acc::RO, &sws_)
        .field("STOPWUCK", 6, 1, Acc::RW, &stopwuck_)
        .field("STOPKERWUCK", 7, 1, Acc::RW)
        .field("RTCPRE", 8, 6, Acc::RW, &rtcpre_)
        .field("HRTIMSEL", 14, 1, Acc::RW, &hrtimsel_)
        .field("TIMPRE", 15, 1, Acc::RW)
        .field("MCO1PRE", 18, 4, Acc::RW)
        .field("MCO1", 22, 3, Acc::RW)
        .field("MCO2PRE", 25, 4, Acc::RW)
        .field("MCO2", 29, 3, Acc::RW)
        .post_write([this](BusAccess &a, uint32_t, uint32_t, uint32_t) {
            sws_.set(sw_.get()); // the switch completes at once: SWS reports the selected source
            clocks_changed(&a);
        });
    stored("HSICFGR", 0x004, 0x40000000);
    stored("CRRCR", 0x008, 0);
    stored("CSICFGR", 0x00C, 0x20000000);
    // RM0399 RCC_D1CFGR: HPRE [3:0], D1PPRE [6:4], D1CPRE [11:8].
    Register &d1 = stored("D1CFGR", 0x018, 0).post_write(retime);
    hpre_ = part(d1, 0, 4);
    d1ppre_ = part(d1, 4, 3);
    d1cpre_ = part(d1, 8, 4);
    // RCC_D2CFGR: D2PPRE1 [6:4], D2PPRE2 [10:8].
    Register &d2 = stored("D2CFGR", 0x01C, 0).post_write(retime);
    d2ppre1_ = part(d2, 4, 3);
    d2ppre2_ = part(d2, 8, 3);
    // RCC_D3CFGR: D3PPRE [6:4].
    d3ppre_ = part(stored("D3CFGR", 0x020, 0).post_write(retime), 4, 3);
    // RCC_PLLCKSELR: PLLSRC [1:0] (HSI, CSI, HSE, none), DIVMx [6 bits at 4 + 8 (x-1)].
    Register &ck = stored("PLLCKSELR", 0x028, 0x02020200);
    pllsrc_ = part(ck, 0, 2);
    // RCC_PLLCFGR: PLLxFRACEN [4 (x-1)], DIVPxEN / DIVQxEN / DIVRxEN [16 + 3 (x-1) + 0/1/2].
    Register &cfg = stored("PLLCFGR", 0x02C, 0x01FF0000);
    for (unsigned i = 0; i < 3; i++) {
        pll_[i].divm = part(ck, 4 + 8 * i, 6);
        pll_[i].fracen = part(cfg, 4 * i, 1);
        for (unsigned o = 0; o < 3; o++) {
            pll_[i].div_en[o] = part(cfg, 16 + 3 * i + o, 1);
        }
    }
    // RCC_PLLxDIVR: DIVNx [8:0], DIVPx [15:9], DIVQx [22:16], DIVRx [30:24];
    // RCC_PLLxFRACR: FRACNx [15:3].
    const struct { const char *divr, *fracr; uint32_t off; } kPll[3] = {
        {"PLL1DIVR", "PLL1FRACR", 0x030}, {"PLL2DIVR", "PLL2FRACR", 0x038}, {"PLL3DIVR", "PLL3FRACR", 0x040}};
    for (unsigned i = 0; i < 3; i++) {
        Register &divr = stored(kPll[i].divr, kPll[i].off, 0x01010280);
        pll_[i].divn = part(divr, 0, 9);
        pll_[i].div[0] = part(divr, 9, 7);
        pll_[i].div[1] = part(divr, 16, 7);
        pll_[i].div[2] = part(divr, 24, 7);
        pll_[i].fracn = part(stored(kPll[i].fracr, kPll[i].off + 4, 0), 3, 13);
    }
    // RCC_D1CCIPR: CKPERSEL [29:28] (per_ck).
    ckpersel_ = part(stored("D1CCIPR", 0x04C, 0), 28, 2);
    stored("D2CCIP1R", 0x050, 0);
    // RCC_D2CCIP2R: USART234578SEL [2:0], USART16SEL [5:3], RNGSEL [9:8].
    Register &ccip2 = stored("D2CCIP2R", 0x054, 0);
    usart234578sel_ = part(ccip2, 0, 3);
    usart16sel_ = part(ccip2, 3, 3);
    rngsel_ = part(ccip2, 8, 2);
    lptim1sel_ = part(ccip2, 28, 3); // LPTIM1SEL [30:28]
    // RCC_D3CCIPR: LPUART1SEL [2:0], LPTIM2SEL [12:10], LPTIM345SEL [15:13].
    Register &ccip3 = stored("D3CCIPR", 0x058, 0);
    lpuart1sel_ = part(ccip3, 0, 3);
    lptim2sel_ = part(ccip3, 10, 3);
    lptim345sel_ = part(ccip3, 13, 3);
    adcsel_ = part(ccip3, 16, 2); // ADCSEL [17:16]
    for (const auto &rst : {std::make_pair("AHB3RSTR", 0x07Cu), std::make_pair("AHB1RSTR", 0x080u),
                            std::make_pair("AHB2RSTR", 0x084u), std::make_pair("AHB4RSTR", 0x088u),
                            std::make_pair("APB3RSTR", 0x08Cu), std::make_pair("APB1LRSTR", 0x090u),
                            std::make_pair("APB1HRSTR", 0x094u), std::make_pair("APB2RSTR", 0x098u),
                            std::make_pair("APB4RSTR", 0x09Cu)}) {
        stored(rst.first, rst.second, 0);
    }
    // RM0399 RCC_D3AMR: the D3 peripherals' autonomous mode enables (bit
    // positions: ST's CMSIS RCC_D3AMR_*).
    Register &amr = r.reg("D3AMR", 0x0A8, 0);
    FieldRef bdmaamen, lpuart1amen, lptimamen[4], bkpramamen, sram4amen;
    amr.field("BDMAAMEN", 0, 1, Acc::RW, &bdmaamen)
        .field("LPUART1AMEN", 3, 1, Acc::RW, &lpuart1amen)
        .unimpl("SPI6AMEN", 5, 1)
        .unimpl("I2C4AMEN", 7, 1)
        .field("LPTIM2AMEN", 9, 1, Acc::RW, &lptimamen[0])
        .field("LPTIM3AMEN", 10, 1, Acc::RW, &lptimamen[1])
        .field("LPTIM4AMEN", 11, 1, Acc::RW, &lptimamen[2])
        .field("LPTIM5AMEN", 12, 1, Acc::RW, &lptimamen[3])
        .unimpl("COMP12AMEN", 14, 1)
        .unimpl("VREFAMEN", 15, 1)
        .unimpl("RTCAMEN", 16, 1)
        .unimpl("CRCAMEN", 19, 1)
        .unimpl("SAI4AMEN", 21, 1)
        .unimpl("ADC3AMEN", 24, 1)
        .field("BKPRAMAMEN", 28, 1, Acc::RW, &bkpramamen)
        .field("SRAM4AMEN", 29, 1, Acc::RW, &sram4amen)
        .post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) { update_d3_clocks(); });
    // The enable / low-power enable registers at the common addresses
    // 0x0D4-0x11C, and the per-core banks RCC_C1_* (0x130) and RCC_C2_*
    // (0x190) with the same layout (RM0399).  An access goes to the bank of
    // the core that makes it (read()/write()); the common registers hold what
    // a core outside both banks would see.
    static const struct { const char *n; uint32_t off; } kEnables[] = {
        {"AHB3ENR", 0x04}, {"AHB1ENR", 0x08}, {"AHB2ENR", 0x0C}, {"AHB4ENR", 0x10},
        {"APB3ENR", 0x14}, {"APB1LENR", 0x18}, {"APB1HENR", 0x1C}, {"APB2ENR", 0x20},
        {"APB4ENR", 0x24}, {"AHB3LPENR", 0x2C}, {"AHB1LPENR", 0x30}, {"AHB2LPENR", 0x34},
        {"AHB4LPENR", 0x38}, {"APB3LPENR", 0x3C}, {"APB1LLPENR", 0x40}, {"APB1HLPENR", 0x44},
        {"APB2LPENR", 0x48}, {"APB4LPENR", 0x4C},
    };
    for (const auto &e : kEnables) {
        stored(e.n, 0x0D0 + e.off, 0);
    }
    // RM0399 RCC_GCR: BOOT_C1 / BOOT_C2 force the boot of the CM7 / CM4 when
    // its option bit BCMx is 0 (a core held in reset starts from its boot
    // address); they are set-only until the next system reset.  WW1RSC /
    // WW2RSC (window watchdog reset scope) are stored.
    r.reg("GCR", 0x0A0, 0)
        .field("WW1RSC", 0, 1, Acc::W1S, &ww1rsc_)
        .field("WW2RSC", 1, 1, Acc::W1S, &ww2rsc_)
        .field("BOOT_C1", 2, 1, Acc::W1S, &boot_c1_)
        .field("BOOT_C2", 3, 1, Acc::W1S, &boot_c2_)
        .post_write([this](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
            if (ctx_.boot && boot_c1_.in(now) && !boot_c1_.in(old) && d1_core_ >= 0) {
                ctx_.boot->release_core(d1_core_, a.core_name);
            }
            if (ctx_.boot && boot_c2_.in(now) && !boot_c2_.in(old) && d2_core_ >= 0) {
                ctx_.boot->release_core(d2_core_, a.core_name);
            }
        });
    // RM0399 RCC_BDCR / RCC_CSR: LSERDY follows LSEON, LSIRDY follows LSION
    // (the oscillators are ready at once).
    r.reg("BDCR", 0x070, 0)
        .field("LSEON", 0, 1, Acc::RW, &lseon_)
        .field("LSERDY", 1, 1, Acc::RO, &lserdy_)
        .field("LSEBYP", 2, 1, Acc::RW)
        .field("LSEDRV", 3, 2, Acc::RW)
        .unimpl("LSECSSON", 5, 1)
        .field("LSECSSD", 6, 1, Acc::RO)
        .field("RTCSEL", 8, 2, Acc::RW, &rtcsel_)
        .field("RTCEN", 15, 1, Acc::RW, &rtcen_)
        .field("BDRST", 16, 1, Acc::RW, &bdrst_f_)
        .on_read([this](BusAccess &, uint32_t v) { return lserdy_.with(v, lseon_.in(v)); })
        .post_write([this](BusAccess &, uint32_t old, uint32_t now, uint32_t) {
            // RM0399 BDRST: resets the backup domain (the RTC, its backup
            // registers, this register's other fields) while it is 1.
            if (bdrst_f_.in(now) && !bdrst_f_.in(old)) {
                bdrst_f_.reg()->value = bdrst_f_.mask();
                bdrst_->pulse();
            }
        });
    r.reg("CSR", 0x074, 0)
        .field("LSION", 0, 1, Acc::RW, &lsion_)
        .field("LSIRDY", 1, 1, Acc::RO, &lsirdy_)
        .on_read([this](BusAccess &, uint32_t v) { return lsirdy_.with(v, lsion_.in(v)); });
    r.reg("CIER", 0x060, 0).unimpl("IE", 0, 32);
    r.reg("CIFR", 0x064, 0).field("IF", 0, 32, Acc::RO);
    r.reg("CICR", 0x068, 0).field("IC", 0, 32, Acc::WO);
    // RM0399 RSR after a power-on reset: D1RSTF (19), D2RSTF (20), BORRSTF
    // (21), PINRSTF (22) and PORRSTF (23) set; writing RMVF (16) clears them.
    const uint32_t por_flags = 0x00F80000;
    const struct { const char *n; uint32_t off; } kRsr[3] = {{"RSR", 0x0D0}, {"C1_RSR", 0x130}, {"C2_RSR", 0x190}};
    for (unsigned k = 0; k < 3; k++) {
        r.reg(kRsr[k].n, kRsr[k].off, por_flags)
            .field("RMVF", 16, 1, Acc::RW, &rsr_rmvf_[k])
            .field("FLAGS", 17, 15, Acc::RO, &rsr_flags_[k])
            .post_write([this, k](BusAccess &, uint32_t, uint32_t, uint32_t) {
                if (rsr_rmvf_[k].on()) {
                    rsr_flags_[k].set(0); // RMVF clears every reset flag
                }
            });
    }
    // The per-core banks of the enable registers.
    for (const auto &bank : {std::make_pair("C1_", 0x130u), std::make_pair("C2_", 0x190u)}) {
        for (const auto &e : kEnables) {
            r.reg(std::string(bank.first) + e.n, bank.second + e.off, 0).field("VALUE", 0, 32, Acc::RW);
        }
    }
    // The D3 clocks that follow the autonomous mode: the enable bit that
    // allocates each to a CPU (RCC_Cx_AHB4ENR / RCC_Cx_APB4ENR, ST's CMSIS
    // bit positions; SRAM4 has none: it serves both CPUs) and the kernel
    // clock selection that can keep it running in Stop.
    struct GateDef {
        const char *name;
        FieldRef amen;
        const char *enr; // bank register, or nullptr
        unsigned bit;
        FieldRef *ker;   // kernel clock selection, or nullptr
        uint32_t stop_sources; // selection values that run in Stop (bit per value)
    };
    // LPUART1SEL: 3 hsi_ker, 4 csi_ker (the LPUART requests them in Stop), 5
    // lse; LPTIMxSEL: 3 lse, 4 lsi.
    const uint32_t kLpuartStop = (1u << 3) | (1u << 4) | (1u << 5), kLptimStop = (1u << 3) | (1u << 4);
    const GateDef defs[] = {
        {"bdma", bdmaamen, "AHB4ENR", 21, nullptr, 0},
        {"lpuart1", lpuart1amen, "APB4ENR", 3, &lpuart1sel_, kLpuartStop},
        {"lptim2", lptimamen[0], "APB4ENR", 9, &lptim2sel_, kLptimStop},
        {"lptim3", lptimamen[1], "APB4ENR", 10, &lptim345sel_, kLptimStop},
        {"lptim4", lptimamen[2], "APB4ENR", 11, &lptim345sel_, kLptimStop},
        {"lptim5", lptimamen[3], "APB4ENR", 12, &lptim345sel_, kLptimStop},
        {"bkpsram", bkpramamen, "AHB4ENR", 28, nullptr, 0},
        {"sram4", sram4amen, nullptr, 0, nullptr, 0},
    };
    auto regate = [this](BusAccess &, uint32_t, uint32_t, uint32_t) { update_d3_clocks(); };
    for (const GateDef &d : defs) {
        D3Gate g;
        g.amen = d.amen;
        if (d.enr) {
            g.en[0] = part(r[std::string("C1_") + d.enr], d.bit, 1);
            g.en[1] = part(r[std::string("C2_") + d.enr], d.bit, 1);
        }
        g.ker = d.ker;
        g.stop_sources = d.stop_sources;
        g.off = &add_irq(std::string("ck_off.") + d.name);
        d3_gates_.push_back(g);
    }
    for (const char *enr : {"C1_AHB4ENR", "C1_APB4ENR", "C2_AHB4ENR", "C2_APB4ENR"}) {
        r[enr].post_write(regate);
    }
    ccip3.post_write(regate);
}

// RM0399 "Peripheral clock gating control" and RCC_D3AMR: a peripheral's bus
// and kernel clocks run while a CPU that allocated it (its PERxEN in
// RCC_Cx_xxxENR) is in CRun or CSleep; when every such CPU is in CStop they
// stop, unless the peripheral is in D3 with its autonomous bit PERxAMEN set:
// then they run while D3 is in Run, and in D3 Stop its kernel clock keeps
// running only from a source that runs in Stop (LSE, LSI; HSI or CSI
// requested by the LPUART).  Output "ck_off.<name>" is high while they are
// stopped.  Not modelled: a peripheral no CPU allocated is taken as allocated
// to both (the other models do not check PERxEN either), CSleep without
// PERxLPEN.
void Stm32h7Rcc::update_d3_clocks()
{
    const bool running[2] = {!d1_stopped_, !d2_stopped_};
    const bool d3_run = !sys_stop_;
    for (const D3Gate &g : d3_gates_) {
        bool alloc[2] = {!g.en[0].valid() || g.en[0].on(), !g.en[1].valid() || g.en[1].on()};
        if (!alloc[0] && !alloc[1]) {
            alloc[0] = alloc[1] = true;
        }
        bool on = (alloc[0] && running[0]) || (alloc[1] && running[1]);
        if (!on && g.amen.on()) {
            on = d3_run || (g.ker && (g.stop_sources & (1u << g.ker->get())));
        }
        if (g.off->level() == on) {
            AMPVP_TRACE("clock", name(), std::string("D3 autonomous clock of ") +
                                             g.off->name().substr(std::strlen("ck_off.")) +
                                             (on ? " runs" : " stopped"));
        }
        g.off->set(!on);
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
    for (const auto &p : cr_ready_) {
        v = p.rdy.with(v, p.on.in(v));
    }
    v = d1ckrdy_.with(v, d1_stopped_ ? 0 : 1);
    return d2ckrdy_.with(v, d2_stopped_ ? 0 : 1);
}

// RM0399: a reset brings the clock tree back to HSI at 64 MHz; the cores are
// told.  The board's HSE frequency is configuration and stays.
void Stm32h7Rcc::reset()
{
    // RM0399: a system reset leaves the reset flags (RSR and its per-CPU
    // copies) and the backup domain control register (BDCR) as they are.
    Register *keep[] = {rsr_flags_[0].reg(), rsr_flags_[1].reg(), rsr_flags_[2].reg(), lseon_.reg()};
    uint32_t kept[4];
    for (int i = 0; i < 4; i++) {
        kept[i] = keep[i]->value;
    }
    RegisterDevice::reset();
    for (int i = 0; i < 4; i++) {
        keep[i]->value = kept[i];
    }
    sys_stop_ = false;
    d1_stopped_ = d2_stopped_ = false;
    clocks_changed(nullptr);
    update_d3_clocks();
}

// A reset request: flags now, the reset itself from the hub's loop (never
// inside the access or signal that asked for it).
void Stm32h7Rcc::request_reset(int kind, uint32_t flags, const std::string &why)
{
    for (unsigned k = 0; k < 3; k++) { // RSR (no CPU's view), RCC_C1_RSR, RCC_C2_RSR
        rsr_flags_[k].set(rsr_flags_[k].get() | (flags >> 17));
    }
    pending_resets_.push_back({kind, flags, why});
    AMPVP_TRACE("power", name(), "reset requested: " + why);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, 1, ctx_.scheduler->now_ns() + 1);
    } else {
        timer_fired(1);
    }
}

void Stm32h7Rcc::timer_fired(unsigned tag)
{
    if (tag != 1) {
        return;
    }
    std::vector<ResetRequest> todo;
    todo.swap(pending_resets_);
    for (const auto &r : todo) {
        if (!ctx_.boot) {
            continue;
        }
        if (r.kind == 0) {
            ctx_.boot->reset_system(r.why);
            return; // a system reset supersedes whatever else was asked
        }
        const CoreId core = r.kind == 1 ? d1_core_ : d2_core_;
        if (core >= 0) {
            ctx_.boot->reset_core(core, r.why);
        }
    }
}

void Stm32h7Rcc::input(unsigned n, bool level)
{
    if (n == SYS_STOP) {
        if (level && !sys_stop_) {
            enter_system_stop();
        }
        sys_stop_ = level;
        update_d3_clocks();
        return;
    }
    if (!level) {
        return;
    }
    const uint32_t sys = C1RSTF | C2RSTF | PINRSTF; // a system reset also drives NRST
    switch (n) {
    case IWDG1: request_reset(0, sys | IWDG1RSTF, "IWDG1 time-out"); break;
    case IWDG2: request_reset(0, sys | IWDG2RSTF, "IWDG2 time-out"); break;
    case WWDG1:
        // RM0399 RCC_GCR.WW1RSC: 1 = WWDG1 resets the system, 0 = only CPU1.
        if (ww1rsc_.on()) {
            request_reset(0, sys | WWDG1RSTF, "WWDG1 reset, system (WW1RSC = 1)");
        } else {
            request_reset(1, C1RSTF | WWDG1RSTF, "WWDG1 reset of CPU1 (WW1RSC = 0)");
        }
        break;
    case WWDG2:
        if (ww2rsc_.on()) {
            request_reset(0, sys | WWDG2RSTF, "WWDG2 reset, system (WW2RSC = 1)");
        } else {
            request_reset(2, C2RSTF | WWDG2RSTF, "WWDG2 reset of CPU2 (WW2RSC = 0)");
        }
        break;
    case D1_STANDBY_EXIT: request_reset(1, C1RSTF | D1RSTF, "D1 domain leaves DStandby"); break;
    case D2_STANDBY_EXIT: request_reset(2, C2RSTF | D2RSTF, "D2 domain leaves DStandby"); break;
    case STANDBY_EXIT:
        request_reset(0, C1RSTF | C2RSTF | D1RSTF | D2RSTF, "the system leaves Standby");
        break;
    // RM0399 "Reset source identification": a system reset requested by CPU1
    // (CPU2) through SYSRESETREQ sets SFT1RSTF (SFT2RSTF), drives NRST.
    case SYSRESETREQ1: request_reset(0, sys | SFT1RSTF, "SYSRESETREQ from CPU1"); break;
    case SYSRESETREQ2: request_reset(0, sys | SFT2RSTF, "SYSRESETREQ from CPU2"); break;
    default: break;
    }
}

// RM0399 "Stop mode": in system Stop the PLLs and HSE are off; on leaving it
// the system runs on HSI, or CSI when CFGR.STOPWUCK = 1.
void Stm32h7Rcc::enter_system_stop()
{
    for (unsigned i = 3; i < 7; i++) { // HSE, PLL1-3
        cr_ready_[i].on.set(0);
    }
    const bool csi = stopwuck_.on();
    cr_ready_[csi ? 1 : 0].on.set(1);
    sw_.set(csi ? 1 : 0);
    sws_.set(sw_.get());
    AMPVP_TRACE("clock", name(), std::string("system Stop: PLLs and HSE off, system clock ") + (csi ? "CSI" : "HSI"));
    clocks_changed(nullptr);
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

uint64_t Stm32h7Rcc::hsi_hz() const { return 64000000ull >> hsidiv_.get(); }

// RM0399 PLLs: the source (PLLCKSELR.PLLSRC: HSI, CSI, HSE) divided by DIVMx
// gives the reference; the VCO runs at ref * (DIVNx + 1 + FRACNx / 8192)
// (FRACN only with PLLxFRACEN); output P/Q/R = VCO / (DIVy + 1), 0 while
// the PLL is off, DIVMx is 0 or the output's DIVyxEN is clear.
uint64_t Stm32h7Rcc::pll_hz(unsigned pll, char out) const
{
    if (pll < 1 || pll > 3) {
        return 0;
    }
    const Pll &p = pll_[pll - 1];
    const unsigned o = out == 'p' ? 0 : out == 'q' ? 1 : 2;
    if (!p.on.on() || !p.div_en[o].on()) {
        return 0;
    }
    const uint32_t src_sel = pllsrc_.get();
    const uint64_t src = src_sel == 0 ? hsi_hz() : src_sel == 1 ? 4000000ull : src_sel == 2 ? hse_hz_ : 0;
    const uint32_t divm = p.divm.get();
    if (!divm) {
        return 0;
    }
    const double n = (p.divn.get() + 1) + (p.fracen.on() ? p.fracn.get() / 8192.0 : 0.0);
    const unsigned div = p.div[o].get() + 1;
    return static_cast<uint64_t>(src / double(divm) * n / div);
}

Stm32h7Rcc::Clocks Stm32h7Rcc::clocks() const
{
    Clocks c;
    const uint64_t hsi = hsi_hz(), csi = 4000000ull;
    switch (sw_.get()) {
    case 0: c.sysclk = hsi; c.source = "HSI"; break;
    case 1: c.sysclk = csi; c.source = "CSI"; break;
    case 2: c.sysclk = hse_hz_; c.source = "HSE"; break;
    case 3: c.sysclk = pll_hz(1, 'p'); c.source = "PLL1"; break;
    default: c.sysclk = hsi; c.source = "HSI"; break;
    }
    c.cm7 = c.sysclk / ahb_div(d1cpre_.get());
    c.hclk = c.cm7 / ahb_div(hpre_.get());
    c.pclk3 = c.hclk / apb_div(d1ppre_.get());
    c.pclk1 = c.hclk / apb_div(d2ppre1_.get());
    c.pclk2 = c.hclk / apb_div(d2ppre2_.get());
    c.pclk4 = c.hclk / apb_div(d3ppre_.get());
    return c;
}

namespace {
// The clocks other models can ask for, in id order.
const char *const kClockNames[] = {"sysclk",  "hclk",    "pclk1",   "pclk2",      "pclk3",
                                   "pclk4",   "tim_apb1", "tim_apb2", "usart234578", "usart16",
                                   "pll1_p",  "pll1_q",  "pll1_r",  "pll2_p",     "pll2_q",
                                   "pll2_r",  "pll3_p",  "pll3_q",  "pll3_r",
                                   "lsi",     "lse",     "rtcclk",  "lptim1",     "lptim2",
                                   "lptim345", "lpuart1", "per_ck",  "adc",        "rng",
                                   "hrtim"};
enum : ClockId { SYSCLK, HCLK, PCLK1, PCLK2, PCLK3, PCLK4, TIM_APB1, TIM_APB2, USART234578, USART16,
                 PLL_FIRST, LSI = PLL_FIRST + 9, LSE, RTCCLK, LPTIM1, LPTIM2, LPTIM345, LPUART1,
                 PER_CK, ADC, RNG, HRTIM };
constexpr uint64_t kLsiHz = 32000, kLseHz = 32768; // RM0399: LSI RC 32 kHz, LSE crystal 32.768 kHz
} // namespace

ClockId Stm32h7Rcc::clock_id(const std::string &n) const
{
    for (ClockId i = 0; i < static_cast<ClockId>(sizeof(kClockNames) / sizeof(kClockNames[0])); i++) {
        if (n == kClockNames[i]) {
            return i;
        }
    }
    return -1;
}

uint64_t Stm32h7Rcc::hz(ClockId id) const
{
    if (id >= PLL_FIRST && id < PLL_FIRST + 9) { // "pll2_q"
        const int k = id - PLL_FIRST;
        return pll_hz(static_cast<unsigned>(k / 3 + 1), "pqr"[k % 3]);
    }
    const uint64_t lsi = lsion_.on() ? kLsiHz : 0, lse = lseon_.on() ? kLseHz : 0;
    switch (id) {
    case PER_CK:
        // RM0399 RCC_D1CCIPR.CKPERSEL: 0 hsi_ker_ck, 1 csi_ker_ck, 2 hse_ck, 3 none.
        switch (ckpersel_.get()) {
        case 0: return hsi_hz();
        case 1: return 4000000ull;
        case 2: return cr_ready_[3].on.on() ? hse_hz_ : 0;
        default: return 0;
        }
    case ADC:
        // RM0399 RCC_D3CCIPR.ADCSEL: 0 pll2_p_ck, 1 pll3_r_ck, 2 per_ck, 3 none.
        switch (adcsel_.get()) {
        case 0: return pll_hz(2, 'p');
        case 1: return pll_hz(3, 'r');
        case 2: return hz(PER_CK);
        default: return 0;
        }
    case RNG:
        // RM0399 RCC_D2CCIP2R.RNGSEL: 0 hsi48_ck, 1 pll1_q_ck, 2 lse_ck, 3 lsi_ck.
        switch (rngsel_.get()) {
        case 0: return cr_ready_[2].on.on() ? 48000000ull : 0;
        case 1: return pll_hz(1, 'q');
        case 2: return lse;
        default: return lsi;
        }
    case LSI: return lsi;
    case LSE: return lse;
    case RTCCLK: {
        // RM0399 RCC_BDCR.RTCSEL: 0 no clock, 1 LSE, 2 LSI, 3 HSE / RTCPRE
        // (RCC_CFGR.RTCPRE 0 and 1: no clock); gated by RTCEN.
        if (!rtcen_.on()) {
            return 0;
        }
        const uint32_t pre = rtcpre_.get();
        switch (rtcsel_.get()) {
        case 1: return lse;
        case 2: return lsi;
        case 3: return cr_ready_[3].on.on() && pre >= 2 ? hse_hz_ / pre : 0;
        default: return 0;
        }
    }
    case LPTIM1:
    case LPTIM2:
    case LPTIM345: {
        // RM0399 LPTIM1SEL (RCC_D2CCIP2R) / LPTIM2SEL, LPTIM345SEL
        // (RCC_D3CCIPR): 0 rcc_pclk1 (LPTIM1) or rcc_pclk4, 1 pll2_p,
        // 2 pll3_r, 3 lse, 4 lsi, 5 per_ck (not modelled: 0).
        const uint32_t sel = id == LPTIM1 ? lptim1sel_.get() : id == LPTIM2 ? lptim2sel_.get() : lptim345sel_.get();
        switch (sel) {
        case 0: return id == LPTIM1 ? clocks().pclk1 : clocks().pclk4;
        case 1: return pll_hz(2, 'p');
        case 2: return pll_hz(3, 'r');
        case 3: return lse;
        case 4: return lsi;
        default: return 0;
        }
    }
    default: break;
    }
    if (id < 0 || (id >= PLL_FIRST && id != LPUART1 && id != HRTIM)) {
        return 0;
    }
    const Clocks c = clocks();
    switch (id) {
    case SYSCLK: return c.sysclk;
    case HCLK: return c.hclk;
    case PCLK1: return c.pclk1;
    case PCLK2: return c.pclk2;
    case PCLK3: return c.pclk3;
    case PCLK4: return c.pclk4;
    case TIM_APB1: return apb_div(d2ppre1_.get()) == 1 ? c.pclk1 : 2 * c.pclk1;
    case TIM_APB2: return apb_div(d2ppre2_.get()) == 1 ? c.pclk2 : 2 * c.pclk2;
    case HRTIM:
        // RM0399 RCC_CFGR.HRTIMSEL: 0 the APB2 timers' clock (rcc_timy_ker_ck),
        // 1 the CPU clock (c_ck).
        return hrtimsel_.on() ? c.cm7 : hz(TIM_APB2);
    default: break;
    }
    // RM0399 kernel clock selection of the U(S)ARTs: RCC_D2CCIP2R
    // USART234578SEL [2:0] and USART16SEL [5:3], RCC_D3CCIPR LPUART1SEL
    // [2:0]: 0 the bus clock (PCLK1 / PCLK2 / PCLK4), 1 pll2_q, 2 pll3_q,
    // 3 hsi_ker, 4 csi_ker, 5 lse.
    const uint32_t sel = id == USART16 ? usart16sel_.get() : id == LPUART1 ? lpuart1sel_.get() : usart234578sel_.get();
    switch (sel) {
    case 0: return id == USART16 ? c.pclk2 : id == LPUART1 ? c.pclk4 : c.pclk1;
    case 1: return pll_hz(2, 'q');
    case 2: return pll_hz(3, 'q');
    case 3: return hsi_hz();
    case 4: return 4000000ull;
    case 5: return lseon_.on() ? kLseHz : 0;
    default: return 0;
    }
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
    update_d3_clocks();
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-rcc", ampvp::Stm32h7Rcc)
