#include "stm32mp1_rcc.h"
#include "../model_registry.h"

#include "stm32mp1_syscfg.h" // mp1_boot_pins, mp1_clear_view

#include "../log.h"
#include "../machine.h"

#include <algorithm>
#include <cstdio>

namespace ampvp {

namespace {
constexpr uint64_t kHsiHz = 64000000;
constexpr uint64_t kCsiHz = 4000000;
constexpr uint64_t kLseHz = 32768;
constexpr uint64_t kLsiHz = 32000;

// RM0436 MSSCKSELR.MCUSSRC: the MCU sub-system clock source.
enum McuSrc : uint32_t { MCU_HSI = 0, MCU_HSE = 1, MCU_CSI = 2, MCU_PLL3 = 3 };

std::string mhz(uint64_t hz)
{
    char b[32];
    std::snprintf(b, sizeof(b), "%.6g MHz", hz / 1e6);
    return b;
}

// RM0436 flag names of the reset status registers (bit, name).
struct Flag {
    unsigned bit;
    const char *name;
};
} // namespace

Stm32mp1Rcc::Stm32mp1Rcc(const std::string &name) : RegisterDevice(name)
{
    mcu_rst_ = &add_irq("mcu_rst");
    auto &r = regs_;
    auto retime = [this](BusAccess &a, uint32_t, uint32_t, uint32_t) { clocks_changed(&a); };
    auto retime_view = [this](BusAccess &a) { clocks_changed(&a); };
    // A register the model only stores: one field, its effect not modelled.
    auto stored = [&r](const std::string &n, uint32_t off, uint32_t reset) -> Register & {
        return r.reg(n, off, reset).unimpl("VALUE", 0, 32);
    };
    // A SET/CLEAR pair <base>SETR at `off`, <base>CLRR at off + 4, one field
    // over the whole register (clock enables are stored; resets are not done).
    auto pair = [&r](const std::string &base, uint32_t off, uint32_t reset, const char *field, bool effect_modelled) {
        Register &set = r.reg(base + "SETR", off, reset);
        if (effect_modelled) {
            set.field(field, 0, 32, Acc::W1S);
        } else {
            set.unimpl(field, 0, 32, Acc::W1S);
        }
        mp1_clear_view(r, base + "CLRR", off + 4, set);
    };
    auto enables = [&pair](const std::string &base, uint32_t off, uint32_t reset) {
        pair(base, off, reset, "EN", true);
    };
    auto lp_enables = [&pair](const std::string &base, uint32_t off, uint32_t reset) {
        pair(base, off, reset, "LPEN", true);
    };
    // A peripheral reset pair xxxRSTSETR / xxxRSTCLRR: bit n held at 1 holds
    // the peripheral in reset; output "rst.<bus>.<n>" follows it (the machine
    // wires it to that peripheral's "reset" input: it resets on the rise).
    auto resets = [this, &r](const std::string &base, uint32_t off) {
        Register &set = r.reg(base + "SETR", off, 0).field("RST", 0, 32, Acc::W1S);
        const std::string bus = base.substr(0, base.size() - 3); // "APB1RST" -> "APB1"
        for (unsigned b = 0; b < 32; b++) {
            reset_lines_.push_back({&set, b, &add_irq("rst." + bus + "." + std::to_string(b))});
        }
        set.post_write([this](BusAccess &, uint32_t, uint32_t, uint32_t) { update_reset_lines(); });
        mp1_clear_view(r, base + "CLRR", off + 4, set, ~0u, [this](BusAccess &) { update_reset_lines(); });
    };

    // ---- MPU / common part (0x000 - 0x7FF) ----------------------------------
    r.reg("TZCR", 0x000, 0x00000003).unimpl("TZEN", 0, 1).unimpl("MCKPROT", 1, 1);
    // RM0436 RCC_OCENSETR / OCENCLRR: oscillator enables (HSION set at reset);
    // HSECSSON can only be set.
    Register &ocen = r.reg("OCENSETR", 0x00C, 0x00000001)
                         .field("HSION", 0, 1, Acc::W1S, &hsion_)
                         .field("HSIKERON", 1, 1, Acc::W1S)
                         .field("CSION", 4, 1, Acc::W1S, &csion_)
                         .field("CSIKERON", 5, 1, Acc::W1S)
                         .field("DIGBYP", 7, 1, Acc::W1S)
                         .field("HSEON", 8, 1, Acc::W1S, &hseon_)
                         .field("HSEKERON", 9, 1, Acc::W1S)
                         .field("HSEBYP", 10, 1, Acc::W1S)
                         .unimpl("HSECSSON", 11, 1, Acc::W1S)
                         .post_write(retime);
    mp1_clear_view(r, "OCENCLRR", 0x010, ocen, ~(1u << 11), retime_view);
    // RCC_HSICFGR: HSIDIV divides the 64 MHz HSI by 1, 2, 4 or 8.  HSICAL
    // is the sum of the engineering calibration loaded at reset (0 here, the
    // register's reset value) and the user trimming HSITRIM; the emulated HSI
    // is an ideal 64 MHz oscillator, whatever its calibration.
    r.reg("HSICFGR", 0x018, 0)
        .field("HSIDIV", 0, 2, Acc::RW, &hsidiv_)
        .field("HSITRIM", 8, 7, Acc::RW, &hsitrim_)
        .field("HSICAL", 16, 12, Acc::RO, &hsical_)
        .on_read([this](BusAccess &, uint32_t v) { return hsical_.with(v, hsitrim_.in(v) & 0xFFFu); })
        .post_write(retime);
    r.reg("CSICFGR", 0x01C, 0x00001000).unimpl("CSITRIM", 8, 5).field("CSICAL", 16, 8, Acc::RO);
    // RCC_MPCKSELR: MPUSRC selects the MPU (Cortex-A7) clock: HSI, HSE, PLL1 P
    // or MPUDIV (PLL1 P divided); MPUSRCRDY reads 1 while that source runs.
    r.reg("MPCKSELR", 0x020, 0x80000000)
        .field("MPUSRC", 0, 2, Acc::RW, &mpusrc_)
        .field("MPUSRCRDY", 31, 1, Acc::RO, &mpusrcrdy_)
        .on_read([this](BusAccess &, uint32_t v) { return mpusrcrdy_.with(v, mpu_source_hz(mpusrc_.in(v)) != 0); });
    r.reg("ASSCKSELR", 0x024, 0x80000000)
        .field("AXISSRC", 0, 3, Acc::RW, &axissrc_)
        .field("AXISSRCRDY", 31, 1, Acc::RO)
        .post_write(retime);
    Register &rck12 = r.reg("RCK12SELR", 0x028, 0x80000000)
                          .field("PLL12SRC", 0, 2, Acc::RW)
                          .field("PLL12SRCRDY", 31, 1, Acc::RO)
                          .post_write(retime);
    pll_[0].src = pll_[1].src = rck12.ref("PLL12SRC");
    r.reg("MPCKDIVR", 0x02C, 0x80000001).unimpl("MPUDIV", 0, 3).field("MPUDIVRDY", 31, 1, Acc::RO);
    r.reg("AXIDIVR", 0x030, 0x80000000)
        .field("AXIDIV", 0, 3, Acc::RW, &axidiv_)
        .field("AXIDIVRDY", 31, 1, Acc::RO)
        .post_write(retime);
    r.reg("APB4DIVR", 0x03C, 0x80000000)
        .field("APB4DIV", 0, 3, Acc::RW, &apbdiv_[3])
        .field("APB4DIVRDY", 31, 1, Acc::RO);
    r.reg("APB5DIVR", 0x040, 0x80000000)
        .field("APB5DIV", 0, 3, Acc::RW, &apbdiv_[4])
        .field("APB5DIVRDY", 31, 1, Acc::RO);
    // RCC_RTCDIVR: the HSE divided by RTCDIV + 1 is the RTC's HSE clock
    // (BDCR.RTCSRC = 11).
    r.reg("RTCDIVR", 0x044, 0).field("RTCDIV", 0, 6, Acc::RW, &rtcdiv_);
    // RCC_MSSCKSELR: MCUSSRC selects the MCU sub-system clock (HSI, HSE, CSI,
    // PLL3 P); MCUSSRCRDY is set once the selected source runs the MCU.
    r.reg("MSSCKSELR", 0x048, 0x80000000)
        .field("MCUSSRC", 0, 2, Acc::RW, &mcussrc_)
        .field("MCUSSRCRDY", 31, 1, Acc::RO, &mcussrcrdy_)
        .on_read([this](BusAccess &, uint32_t v) { return mcussrcrdy_.with(v, mcussrc_.in(v) == mcuss_active_); })
        .post_write(retime);
    declare_pll(1, 0x080, 0x00010031, 0x00010100);
    declare_pll(2, 0x094, 0x00010063, 0x00010101);
    stored("I2C46CKSELR", 0x0C0, 0);
    stored("SPI6CKSELR", 0x0C4, 0);
    r.reg("UART1CKSELR", 0x0C8, 0).field("UART1SRC", 0, 3, Acc::RW, &uartsrc_[4]);
    stored("RNG1CKSELR", 0x0CC, 0);
    // RCC_CPERCKSELR.CKPERSRC: per_ck = hsi_ker, csi_ker, hse_ker or off.
    r.reg("CPERCKSELR", 0x0D0, 0).field("CKPERSRC", 0, 2, Acc::RW, &ckpersrc_);
    stored("STGENCKSELR", 0x0D4, 0);
    stored("DDRITFCR", 0x0D8, 0x000FD02A);
    r.reg("MP_BOOTCR", 0x100, 0).unimpl("MCU_BEN", 0, 1).unimpl("MPU_BEN", 1, 1);
    Register &sreq = r.reg("MP_SREQSETR", 0x104, 0)
                         .unimpl("STPREQ_P0", 0, 1, Acc::W1S)
                         .unimpl("STPREQ_P1", 1, 1, Acc::W1S);
    mp1_clear_view(r, "MP_SREQCLRR", 0x108, sreq);
    // RM0436 RCC_MP_GCR.BOOT_MCU: 0 puts the MCU in HOLD_BOOT at its next
    // reset, 1 lets it boot; setting it while the MCU waits in HOLD_BOOT
    // starts it.
    r.reg("MP_GCR", 0x10C, 0)
        .field("BOOT_MCU", 0, 1, Acc::RW, &boot_mcu_)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            if (boot_mcu_.in(now) && mcu_held_ && mcu_core_ >= 0) {
                mcu_held_ = false;
                if (ctx_.boot) {
                    ctx_.boot->release_core(mcu_core_, "RCC MP_GCR.BOOT_MCU");
                }
            }
        });
    r.reg("MP_APRSTCR", 0x110, 0x00007F00).unimpl("RDCTLEN", 0, 1).unimpl("RSTTO", 8, 7);
    r.reg("MP_APRSTSR", 0x114, 0).field("RSTTOV", 8, 7, Acc::RO);
    // RCC_BDCR (reset value 0x20: LSEDRV medium-high): LSERDY is set once
    // the LSE oscillates after LSEON (at once), cleared with LSEON.
    r.reg("BDCR", 0x140, 0x00000020)
        .field("LSEON", 0, 1, Acc::RW, &lseon_)
        .field("LSEBYP", 1, 1, Acc::RW)
        .field("LSERDY", 2, 1, Acc::RO, &lserdy_)
        .field("DIGBYP", 3, 1, Acc::RW)
        .field("LSEDRV", 4, 2, Acc::RW)
        .unimpl("LSECSSON", 8, 1)
        .field("LSECSSD", 9, 1, Acc::RO)
        .field("RTCSRC", 16, 2, Acc::RW, &rtcsrc_)
        .field("RTCCKEN", 20, 1, Acc::RW, &rtccken_)
        .unimpl("VSWRST", 31, 1)
        .on_read([this](BusAccess &, uint32_t v) { return lserdy_.with(v, lseon_.in(v)); })
        .post_write(retime);
    // RCC_RDLSICR: LSIRDY follows LSION.
    r.reg("RDLSICR", 0x144, 0)
        .field("LSION", 0, 1, Acc::RW, &lsion_)
        .field("LSIRDY", 1, 1, Acc::RO, &lsirdy_)
        .unimpl("MRD", 16, 5)
        .unimpl("EADLY", 24, 3)
        .unimpl("SPARE", 27, 5)
        .on_read([this](BusAccess &, uint32_t v) { return lsirdy_.with(v, lsion_.in(v)); })
        .post_write(retime);
    resets("APB4RST", 0x180);
    resets("APB5RST", 0x188);
    resets("AHB5RST", 0x190);
    resets("AHB6RST", 0x198);
    resets("TZAHB6RST", 0x1A0);
    enables("MP_APB4EN", 0x200, 0);
    enables("MP_APB5EN", 0x208, 0);
    enables("MP_AHB5EN", 0x210, 0x00010000);
    enables("MP_AHB6EN", 0x218, 0);
    enables("MC_APB4EN", 0x280, 0);
    enables("MC_APB5EN", 0x288, 0);
    enables("MC_AHB5EN", 0x290, 0);
    enables("MC_AHB6EN", 0x298, 0);
    lp_enables("MP_APB4LPEN", 0x300, 0x00118111);
    lp_enables("MP_APB5LPEN", 0x308, 0x0011391D);
    lp_enables("MP_AHB5LPEN", 0x310, 0x00000171);
    lp_enables("MP_AHB6LPEN", 0x318, 0x011357A1);
    lp_enables("MC_APB4LPEN", 0x380, 0x00110111);
    lp_enables("MC_APB5LPEN", 0x388, 0x0011391D);
    lp_enables("MC_AHB5LPEN", 0x390, 0x00000171);
    lp_enables("MC_AHB6LPEN", 0x398, 0x011357A1);
    // Reset status registers: flags set by the reset that occurred, cleared
    // by writing 1.  Power-on: PORRSTF, PADRSTF, VCORERSTF (0x15).
    auto flags = [&r](const char *n, uint32_t off, uint32_t reset, std::initializer_list<Flag> list) -> Register & {
        Register &reg = r.reg(n, off, reset);
        for (const Flag &f : list) {
            reg.field(f.name, f.bit, 1, Acc::W1C);
        }
        return reg;
    };
    flags("BR_RSTSCLRR", 0x400, 0x00000015,
          {{0, "PORRSTF"}, {1, "BORRSTF"}, {2, "PADRSTF"}, {3, "HCSSRSTF"}, {4, "VCORERSTF"},
           {6, "MPSYSRSTF"}, {7, "MCSYSRSTF"}, {8, "IWDG1RSTF"}, {9, "IWDG2RSTF"}, {13, "MPUP0RSTF"},
           {14, "MPUP1RSTF"}});
    // RCC_MP_GRSTCSETR: system, MCU and MPU processor resets (self-clearing).
    // MCURST resets the MCU (mcu_rst, MC_RSTSCLRR.MCURSTF).
    r.reg("MP_GRSTCSETR", 0x404, 0)
        .unimpl("MPSYSRST", 0, 1, Acc::WO)
        .field("MCURST", 1, 1, Acc::WO, &mcurst_)
        .unimpl("MPUP0RST", 4, 1, Acc::WO)
        .unimpl("MPUP1RST", 5, 1, Acc::WO)
        .post_write([this](BusAccess &a, uint32_t, uint32_t now, uint32_t) {
            if (mcurst_.in(now)) {
                mcurst_.set(0);
                request_mcu_reset(kMcuRstf, a.core_name + " set MP_GRSTCSETR.MCURST");
            }
        });
    const std::initializer_list<Flag> mp_flags = {
        {0, "PORRSTF"},   {1, "BORRSTF"},   {2, "PADRSTF"},   {3, "HCSSRSTF"},  {4, "VCORERSTF"},
        {6, "MPSYSRSTF"}, {7, "MCSYSRSTF"}, {8, "IWDG1RSTF"}, {9, "IWDG2RSTF"}, {11, "STDBYRSTF"},
        {12, "CSTDBYRSTF"}, {13, "MPUP0RSTF"}, {14, "MPUP1RSTF"}, {15, "SPARE"}};
    Register &mp_rsts = flags("MP_RSTSCLRR", 0x408, 0, mp_flags);
    Register &iwdgfz = r.reg("MP_IWDGFZSETR", 0x40C, 0)
                           .unimpl("FZ_IWDG1", 0, 1, Acc::W1S)
                           .unimpl("FZ_IWDG2", 1, 1, Acc::W1S);
    mp1_clear_view(r, "MP_IWDGFZCLRR", 0x410, iwdgfz);
    const std::initializer_list<Flag> ci = {{0, "LSIRDY"}, {1, "LSERDY"}, {2, "HSIRDY"},  {3, "HSERDY"},
                                            {4, "CSIRDY"}, {8, "PLL1DY"}, {9, "PLL2DY"},  {10, "PLL3DY"},
                                            {11, "PLL4DY"}, {16, "LSECSS"}, {20, "WKUP"}};
    // Interrupt enables are stored (RCC interrupts not modelled); the flags
    // are never set.
    auto cier = [&r, &ci](const char *n, uint32_t off) {
        Register &reg = r.reg(n, off, 0);
        for (const Flag &f : ci) {
            reg.unimpl(std::string(f.name) + "IE", f.bit, 1);
        }
    };
    auto cifr = [&r, &ci](const char *n, uint32_t off) {
        Register &reg = r.reg(n, off, 0);
        for (const Flag &f : ci) {
            reg.field(std::string(f.name) + "F", f.bit, 1, Acc::W1C);
        }
    };
    cier("MP_CIER", 0x414);
    cifr("MP_CIFR", 0x418);
    r.reg("PWRLPDLYCR", 0x41C, 0).unimpl("PWRLP_DLY", 0, 22).unimpl("MCTMPSKP", 24, 1);
    // RCC_MP_RSTSSETR: writing 1 sets the flag in MP_RSTSCLRR; reads show them.
    Register &mp_set = r.reg("MP_RSTSSETR", 0x420, 0);
    for (const Flag &f : mp_flags) {
        mp_set.field(f.name, f.bit, 1, Acc::W1S);
    }
    const uint32_t mp_set_mask = mp_set.mask_of(Acc::W1S);
    mp_set.on_read([&mp_rsts](BusAccess &, uint32_t) { return mp_rsts.value; })
        .pre_write([&mp_rsts, mp_set_mask](BusAccess &, uint32_t, uint32_t &, uint32_t written) {
            mp_rsts.value |= written & mp_set_mask;
            return false;
        });

    // ---- MCU part (0x800 - 0xFFF) -------------------------------------------
    r.reg("MCO1CFGR", 0x800, 0).unimpl("MCO1SEL", 0, 3).unimpl("MCO1DIV", 4, 4).unimpl("MCO1ON", 12, 1);
    r.reg("MCO2CFGR", 0x804, 0).unimpl("MCO2SEL", 0, 3).unimpl("MCO2DIV", 4, 4).unimpl("MCO2ON", 12, 1);
    // RCC_OCRDYR: the oscillators' ready flags, computed from their enables.
    r.reg("OCRDYR", 0x808, 0x01800005)
        .field("HSIRDY", 0, 1, Acc::RO, &hsirdy_)
        .field("HSIDIVRDY", 2, 1, Acc::RO, &hsidivrdy_)
        .field("CSIRDY", 4, 1, Acc::RO, &csirdy_)
        .field("HSERDY", 8, 1, Acc::RO, &hserdy_)
        .field("MPUCKRDY", 23, 1, Acc::RO, &mpuckrdy_)
        .field("AXICKRDY", 24, 1, Acc::RO, &axickrdy_)
        .field("CKREST", 25, 1, Acc::RO)
        .on_read([this](BusAccess &, uint32_t v) { return ocrdyr_view(v); });
    r.reg("DBGCFGR", 0x80C, 0x00000001)
        .unimpl("TRACEDIV", 0, 3)
        .unimpl("DBGCKEN", 8, 1)
        .unimpl("TRACECKEN", 9, 1)
        .unimpl("DBGRST", 12, 1);
    Register &rck3 = r.reg("RCK3SELR", 0x820, 0x80000000)
                         .field("PLL3SRC", 0, 2, Acc::RW)
                         .field("PLL3SRCRDY", 31, 1, Acc::RO)
                         .post_write(retime);
    pll_[2].src = rck3.ref("PLL3SRC");
    Register &rck4 = r.reg("RCK4SELR", 0x824, 0x80000000)
                         .field("PLL4SRC", 0, 2, Acc::RW)
                         .field("PLL4SRCRDY", 31, 1, Acc::RO)
                         .post_write(retime);
    pll_[3].src = rck4.ref("PLL4SRC");
    r.reg("TIMG1PRER", 0x828, 0x80000000)
        .field("TIMG1PRE", 0, 1, Acc::RW, &timgpre_[0])
        .field("TIMG1PRERDY", 31, 1, Acc::RO);
    r.reg("TIMG2PRER", 0x82C, 0x80000000)
        .field("TIMG2PRE", 0, 1, Acc::RW, &timgpre_[1])
        .field("TIMG2PRERDY", 31, 1, Acc::RO);
    // RCC_MCUDIVR: MLHCLK = MCU sub-system clock / 2^MCUDIV (/512 at most).
    r.reg("MCUDIVR", 0x830, 0x80000000)
        .field("MCUDIV", 0, 4, Acc::RW, &mcudiv_)
        .field("MCUDIVRDY", 31, 1, Acc::RO)
        .post_write(retime);
    for (unsigned i = 0; i < 3; i++) {
        const std::string x = std::to_string(i + 1);
        r.reg("APB" + x + "DIVR", 0x834 + 4 * i, 0x80000000)
            .field("APB" + x + "DIV", 0, 3, Acc::RW, &apbdiv_[i])
            .field("APB" + x + "DIVRDY", 31, 1, Acc::RO);
    }
    declare_pll(3, 0x880, 0x00010031, 0x00010101);
    declare_pll(4, 0x894, 0x00010031, 0x00000000);
    stored("I2C12CKSELR", 0x8C0, 0);
    stored("I2C35CKSELR", 0x8C4, 0);
    stored("SAI1CKSELR", 0x8C8, 0);
    stored("SAI2CKSELR", 0x8CC, 0);
    stored("SAI3CKSELR", 0x8D0, 0);
    stored("SAI4CKSELR", 0x8D4, 0);
    stored("SPI2S1CKSELR", 0x8D8, 0);
    stored("SPI2S23CKSELR", 0x8DC, 0);
    stored("SPI45CKSELR", 0x8E0, 0);
    r.reg("UART6CKSELR", 0x8E4, 0).field("UART6SRC", 0, 3, Acc::RW, &uartsrc_[2]);
    r.reg("UART24CKSELR", 0x8E8, 0).field("UART24SRC", 0, 3, Acc::RW, &uartsrc_[0]);
    r.reg("UART35CKSELR", 0x8EC, 0).field("UART35SRC", 0, 3, Acc::RW, &uartsrc_[1]);
    r.reg("UART78CKSELR", 0x8F0, 0).field("UART78SRC", 0, 3, Acc::RW, &uartsrc_[3]);
    stored("SDMMC12CKSELR", 0x8F4, 0x00000003);
    stored("SDMMC3CKSELR", 0x8F8, 0);
    stored("ETHCKSELR", 0x8FC, 0);
    stored("QSPICKSELR", 0x900, 0);
    stored("FMCCKSELR", 0x904, 0);
    stored("FDCANCKSELR", 0x90C, 0);
    stored("SPDIFCKSELR", 0x914, 0);
    stored("CECCKSELR", 0x918, 0);
    stored("USBCKSELR", 0x91C, 0);
    stored("RNG2CKSELR", 0x920, 0);
    stored("DSICKSELR", 0x924, 0);
    // RCC_ADCCKSELR.ADCSRC: the ADC1/ADC2 kernel clock, pll4_r, per_ck or pll3_q.
    r.reg("ADCCKSELR", 0x928, 0).field("ADCSRC", 0, 2, Acc::RW, &adcsrc_);
    stored("LPTIM45CKSELR", 0x92C, 0);
    stored("LPTIM23CKSELR", 0x930, 0);
    stored("LPTIM1CKSELR", 0x934, 0);
    resets("APB1RST", 0x980);
    resets("APB2RST", 0x988);
    resets("APB3RST", 0x990);
    resets("AHB2RST", 0x998);
    resets("AHB3RST", 0x9A0);
    resets("AHB4RST", 0x9A8);
    enables("MP_APB1EN", 0xA00, 0);
    enables("MP_APB2EN", 0xA08, 0);
    enables("MP_APB3EN", 0xA10, 0);
    enables("MP_AHB2EN", 0xA18, 0);
    enables("MP_AHB3EN", 0xA20, 0);
    enables("MP_AHB4EN", 0xA28, 0);
    enables("MP_MLAHBEN", 0xA38, 0x00000010); // RETRAMEN
    enables("MC_APB1EN", 0xA80, 0);
    enables("MC_APB2EN", 0xA88, 0);
    enables("MC_APB3EN", 0xA90, 0);
    enables("MC_AHB2EN", 0xA98, 0);
    enables("MC_AHB3EN", 0xAA0, 0); // HSEMEN bit 11, IPCCEN bit 12
    enables("MC_AHB4EN", 0xAA8, 0); // GPIOAEN .. GPIOKEN bits 0-10
    enables("MC_AXIMEN", 0xAB0, 0);
    enables("MC_MLAHBEN", 0xAB8, 0x00000010); // RETRAMEN
    lp_enables("MP_APB1LPEN", 0xB00, 0xADEFDBFF);
    lp_enables("MP_APB2LPEN", 0xB08, 0x0137271F);
    lp_enables("MP_APB3LPEN", 0xB10, 0x0003290F);
    lp_enables("MP_AHB2LPEN", 0xB18, 0x00010127);
    lp_enables("MP_AHB3LPEN", 0xB20, 0x000018F1);
    lp_enables("MP_AHB4LPEN", 0xB28, 0x000007FF);
    lp_enables("MP_AXIMLPEN", 0xB30, 0x00000001);
    lp_enables("MP_MLAHBLPEN", 0xB38, 0x00000017);
    lp_enables("MC_APB1LPEN", 0xB80, 0xBDEFDBFF);
    lp_enables("MC_APB2LPEN", 0xB88, 0x0137271F);
    lp_enables("MC_APB3LPEN", 0xB90, 0x0003290F);
    lp_enables("MC_AHB2LPEN", 0xB98, 0x00010127);
    lp_enables("MC_AHB3LPEN", 0xBA0, 0x000018F1);
    lp_enables("MC_AHB4LPEN", 0xBA8, 0x000007FF);
    lp_enables("MC_AXIMLPEN", 0xBB0, 0x00000001);
    lp_enables("MC_MLAHBLPEN", 0xBB8, 0x00000017);
    mc_rsts_ = &flags("MC_RSTSCLRR", 0xC00, 0x00000015,
          {{0, "PORRSTF"}, {1, "BORRSTF"}, {2, "PADRSTF"}, {3, "HCSSRSTF"}, {4, "VCORERSTF"},
           {5, "MCURSTF"}, {6, "MPSYSRSTF"}, {7, "MCSYSRSTF"}, {8, "IWDG1RSTF"}, {9, "IWDG2RSTF"},
           {10, "WWDG1RSTF"}});
    cier("MC_CIER", 0xC14);
    cifr("MC_CIFR", 0xC18);
    r.reg("VERR", 0xFF4, 0x00000011).field("MINREV", 0, 4, Acc::RO).field("MAJREV", 4, 4, Acc::RO);
    r.reg("IPIDR", 0xFF8, 0x00000001).field("ID", 0, 32, Acc::RO);
    r.reg("SIDR", 0xFFC, 0xA3C5DD04).field("SID", 0, 32, Acc::RO);
}

// RM0436 PLLx registers: PLLxCR (PLLON, PLLxRDY, output enables), PLLxCFGR1
// (DIVN [8:0], DIVMx [21:16]), PLLxCFGR2 (DIVP [6:0], DIVQ [14:8], DIVR
// [22:16]), PLLxFRACR (FRACV [15:3], FRACLE [16]), PLLxCSGR (spread spectrum).
void Stm32mp1Rcc::declare_pll(unsigned n, uint32_t off, uint32_t cfgr1_reset, uint32_t cfgr2_reset)
{
    auto &r = regs_;
    auto retime = [this](BusAccess &a, uint32_t, uint32_t, uint32_t) { clocks_changed(&a); };
    Pll &p = pll_[n - 1];
    const std::string x = std::to_string(n);
    r.reg("PLL" + x + "CR", off, 0)
        .field("PLLON", 0, 1, Acc::RW, &p.on)
        .field("PLL" + x + "RDY", 1, 1, Acc::RO, &p.rdy)
        .unimpl("SSCG_CTRL", 2, 1)
        .field("DIVPEN", 4, 1, Acc::RW, &p.div_en[0])
        .field("DIVQEN", 5, 1, Acc::RW, &p.div_en[1])
        .field("DIVREN", 6, 1, Acc::RW, &p.div_en[2])
        .on_read([this, n](BusAccess &, uint32_t v) {
            const Pll &q = pll_[n - 1];
            return q.rdy.with(v, q.on.in(v) && pll_ref_hz(n) != 0 ? 1 : 0);
        })
        .post_write([this, n](BusAccess &a, uint32_t old, uint32_t now, uint32_t) {
            const Pll &q = pll_[n - 1];
            if (!q.on.in(old) && q.on.in(now)) {
                check_pll_input(n, a);
            }
            clocks_changed(&a);
        });
    Register &cfgr1 = r.reg("PLL" + x + "CFGR1", off + 0x4, cfgr1_reset)
                          .field("DIVN", 0, 9, Acc::RW, &p.divn)
                          .field("DIVM" + x, 16, 6, Acc::RW, &p.divm);
    if (n >= 3) {
        // PLL3/PLL4 only: IFRGE tells the PLL its input (reference / DIVM)
        // range, 00 = 4-8 MHz, 01 = 8-16 MHz (PLL1/PLL2 take 8-16 MHz).
        cfgr1.field("IFRGE", 24, 2, Acc::RW, &p.ifrge);
    }
    cfgr1.post_write(retime);
    r.reg("PLL" + x + "CFGR2", off + 0x8, cfgr2_reset)
        .field("DIVP", 0, 7, Acc::RW, &p.div[0])
        .field("DIVQ", 8, 7, Acc::RW, &p.div[1])
        .field("DIVR", 16, 7, Acc::RW, &p.div[2])
        .post_write(retime);
    r.reg("PLL" + x + "FRACR", off + 0xC, 0)
        .field("FRACV", 3, 13, Acc::RW, &p.fracv)
        .field("FRACLE", 16, 1, Acc::RW, &p.fracle)
        .post_write(retime);
    r.reg("PLL" + x + "CSGR", off + 0x10, 0)
        .unimpl("MOD_PER", 0, 13)
        .unimpl("TPDFN_DIS", 13, 1)
        .unimpl("RPDFN_DIS", 14, 1)
        .unimpl("SSCG_MODE", 15, 1)
        .unimpl("INC_STEP", 16, 15);
}

void Stm32mp1Rcc::configure(const std::map<std::string, std::string> &params,
                            const std::vector<std::string> &core_names)
{
    mcu_core_ = param_core(params, "mcu_core", core_names);
    auto it = params.find("hse_hz");
    hse_board_hz_ = it == params.end() ? 0 : parse_size(it->second);
    boot_pins_ = mp1_boot_pins(params);
    mcu_held_ = boot_pins_ != kMp1EngineeringBoot;
    told_ = 0;
    clocks_changed(nullptr); // the reset clock: 64 MHz HSI
}

// RM0436: a reset brings the MCU back to the HSI at 64 MHz, and the M4 to
// HOLD_BOOT unless the BOOT pins select the engineering boot; the M4 is told
// its clock again.  The board's HSE and the BOOT pins are configuration.
void Stm32mp1Rcc::reset()
{
    RegisterDevice::reset();
    update_reset_lines();
    pending_mcu_reset_.clear();
    mcuss_active_ = MCU_HSI;
    stuck_reported_ = false;
    mcu_held_ = boot_pins_ != kMp1EngineeringBoot;
    told_ = 0;
    clocks_changed(nullptr);
}

// RM0436 "Reset": a WWDG1 time-out (input 0) or MP_GRSTCSETR.MCURST resets
// the MCU (mcu_rst): the Cortex-M4 and what is reset with it (output
// "mcu_rst": WWDG1), not the RCC, so the clock tree stays as the firmware set
// it; MC_RSTSCLRR records WWDG1RSTF / MCURSTF.  The reset itself happens from
// the hub's loop, after the access or signal that asked for it.
void Stm32mp1Rcc::input(unsigned n, bool level)
{
    if (n == kInputWwdg1 && level) {
        request_mcu_reset(kWwdg1Rstf, "WWDG1 reset of the MCU");
    }
}

void Stm32mp1Rcc::update_reset_lines()
{
    for (const ResetLine &l : reset_lines_) {
        l.line->set((l.reg->value >> l.bit) & 1u);
    }
}

void Stm32mp1Rcc::request_mcu_reset(uint32_t flag, const std::string &why)
{
    mc_rsts_->value |= flag;
    pending_mcu_reset_ = why;
    AMPVP_TRACE("power", name(), "MCU reset requested: " + why);
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, kTagMcuReset, ctx_.scheduler->now_ns() + 1);
    } else {
        timer_fired(kTagMcuReset);
    }
}

void Stm32mp1Rcc::timer_fired(unsigned tag)
{
    if (tag != kTagMcuReset || pending_mcu_reset_.empty()) {
        return;
    }
    const std::string why = pending_mcu_reset_;
    pending_mcu_reset_.clear();
    mcu_rst_->pulse();
    if (ctx_.boot && mcu_core_ >= 0) {
        ctx_.boot->reset_core(mcu_core_, why);
    }
}

std::optional<bool> Stm32mp1Rcc::boot_gated(CoreId core) const
{
    if (core != mcu_core_ || core < 0) {
        return std::nullopt;
    }
    return boot_pins_ != kMp1EngineeringBoot;
}

std::optional<uint32_t> Stm32mp1Rcc::boot_address(CoreId core) const
{
    if (core != mcu_core_ || core < 0) {
        return std::nullopt;
    }
    return 0x00000000u; // RETRAM
}

uint64_t Stm32mp1Rcc::lse_hz() const { return lseon_.on() ? kLseHz : 0; }
uint64_t Stm32mp1Rcc::lsi_hz() const { return lsion_.on() ? kLsiHz : 0; }

// RM0436 RCC_BDCR.RTCSRC: no clock, LSE, LSI, or the HSE divided by RTCDIV + 1
// (RCC_RTCDIVR); RTCCKEN gates it.
uint64_t Stm32mp1Rcc::rtc_hz() const
{
    if (!rtccken_.on()) {
        return 0;
    }
    switch (rtcsrc_.get()) {
    case 1: return lse_hz();
    case 2: return lsi_hz();
    case 3: return hse_hz() / (rtcdiv_.get() + 1);
    default: return 0;
    }
}

// RM0436 RCC_CPERCKSELR.CKPERSRC: per_ck is hsi_ker (0), csi_ker (1),
// hse_ker (2) or off (3).
uint64_t Stm32mp1Rcc::per_hz() const
{
    switch (ckpersrc_.get()) {
    case 0: return hsi_hz();
    case 1: return csi_hz();
    case 2: return hse_hz();
    default: return 0;
    }
}

// RM0436 RCC_ADCCKSELR.ADCSRC: adc_ker_ck is pll4_r (0), per_ck (1) or
// pll3_q (2); 3 is reserved (no clock).
uint64_t Stm32mp1Rcc::adc_hz() const
{
    switch (adcsrc_.get()) {
    case 0: return pll_hz(4, 'r');
    case 1: return per_hz();
    case 2: return pll_hz(3, 'q');
    default: return 0;
    }
}

// RM0436 RCC_MPCKSELR.MPUSRC: 0 HSI, 1 HSE, 2 PLL1 P, 3 MPUDIV (from PLL1 P):
// the frequency of the selected source before MPUDIV, 0 while it does not run.
uint64_t Stm32mp1Rcc::mpu_source_hz(uint32_t sel) const
{
    switch (sel) {
    case 0: return hsi_hz();
    case 1: return hse_hz();
    default: return pll_hz(1, 'p');
    }
}

// RM0436 PLL3CFGR1/PLL4CFGR1.IFRGE: the reference after DIVM must lie in the
// range IFRGE selects (00: 4 to 8 MHz, 01: 8 to 16 MHz, other values reserved).
// The model's PLL locks anyway; a mismatch is the firmware's mistake.
void Stm32mp1Rcc::check_pll_input(unsigned n, const BusAccess &a)
{
    const Pll &p = pll_[n - 1];
    if (!p.ifrge.valid()) {
        return;
    }
    const uint64_t ref = pll_ref_hz(n) / (p.divm.get() + 1);
    const uint32_t rge = p.ifrge.get();
    const bool ok = (rge == 0 && ref >= 4000000 && ref <= 8000000) ||
                    (rge == 1 && ref >= 8000000 && ref <= 16000000);
    if (!ok && ref != 0) {
        log().guest_error(a.core_name, name() + ": PLL" + std::to_string(n) + " enabled with a " + mhz(ref) +
                                           " reference, outside the input range PLL" + std::to_string(n) +
                                           "CFGR1.IFRGE = " + std::to_string(rge) + " selects");
    }
}

uint64_t Stm32mp1Rcc::hsi_hz() const { return hsion_.on() ? kHsiHz >> hsidiv_.get() : 0; }
uint64_t Stm32mp1Rcc::hse_hz() const { return hseon_.on() ? hse_board_hz_ : 0; }
uint64_t Stm32mp1Rcc::csi_hz() const { return csion_.on() ? kCsiHz : 0; }

uint32_t Stm32mp1Rcc::ocrdyr_view(uint32_t v) const
{
    v = hsirdy_.with(v, hsion_.on());
    v = hsidivrdy_.with(v, hsion_.on());
    v = csirdy_.with(v, csion_.on());
    v = hserdy_.with(v, hse_hz() != 0);
    v = mpuckrdy_.with(v, 1);
    return axickrdy_.with(v, 1);
}

// RM0436 PLL reference clocks: RCK12SELR.PLL12SRC for PLL1/PLL2 (HSI, HSE,
// off), RCK3SELR.PLL3SRC (HSI, HSE, CSI, off), RCK4SELR.PLL4SRC (HSI, HSE,
// CSI, I2S_CKIN, not modelled).
uint64_t Stm32mp1Rcc::pll_ref_hz(unsigned n) const
{
    switch (pll_[n - 1].src.get()) {
    case 0: return hsi_hz();
    case 1: return hse_hz();
    case 2: return n >= 3 ? csi_hz() : 0;
    default: return 0;
    }
}

// RM0436 PLLs: Fpll_y = Fref / (DIVM + 1) * (DIVN + 1 + FRACV / 2^13) /
// (DIVy + 1), FRACV counting once latched (FRACLE = 1); no output while
// the PLL is not locked or the output's DIVyEN is clear.
uint64_t Stm32mp1Rcc::pll_hz(unsigned n, char out) const
{
    if (n < 1 || n > 4) {
        return 0;
    }
    const Pll &p = pll_[n - 1];
    const unsigned o = out == 'p' ? 0 : out == 'q' ? 1 : out == 'r' ? 2 : 3;
    const uint64_t ref = pll_ref_hz(n);
    if (o > 2 || !p.on.on() || ref == 0 || !p.div_en[o].on()) {
        return 0;
    }
    const uint64_t frac = p.fracle.on() ? p.fracv.get() : 0;
    const uint64_t vco = ref * (((p.divn.get() + 1ull) << 13) + frac) / ((p.divm.get() + 1ull) << 13);
    return vco / (p.div[o].get() + 1);
}

uint64_t Stm32mp1Rcc::mcuss_hz() const
{
    switch (mcuss_active_) {
    case MCU_HSI: return hsi_hz();
    case MCU_HSE: return hse_hz();
    case MCU_CSI: return csi_hz();
    default: return pll_hz(3, 'p');
    }
}

// RM0436 RCC_MCUDIVR: MCUDIV 0..9 divides by 1..512, larger values by 512.
uint64_t Stm32mp1Rcc::mcu_hz() const { return mcuss_hz() >> std::min<uint32_t>(mcudiv_.get(), 9); }

// RM0436 AXI sub-system: ASSCKSELR.AXISSRC (HSI, HSE, PLL2 P, off) / (AXIDIV
// + 1) (/4 at most).
uint64_t Stm32mp1Rcc::aclk_hz() const
{
    uint64_t src = 0;
    switch (axissrc_.get()) {
    case 0: src = hsi_hz(); break;
    case 1: src = hse_hz(); break;
    case 2: src = pll_hz(2, 'p'); break;
    default: break;
    }
    return src / (std::min<uint32_t>(axidiv_.get(), 3) + 1);
}

// RM0436 APBxDIVR: 0 /1, 1 /2, 2 /4, 3 /8, 4-7 /16; APB1-3 from MLHCLK,
// APB4/5 from ACLK.
uint64_t Stm32mp1Rcc::pclk_hz(unsigned apb) const
{
    const unsigned shift = std::min<uint32_t>(apbdiv_[apb - 1].get(), 4);
    return (apb <= 3 ? mcu_hz() : aclk_hz()) >> shift;
}

// RM0436 RCC_TIMGxPRER: the timers of APB1 (group 1) / APB2 (group 2) run at
// twice their PCLK (TIMGxPRE = 0) or four times (TIMGxPRE = 1), but never
// faster than MLHCLK: with APBxDIV /1 or /2 at MLHCLK.
uint64_t Stm32mp1Rcc::timg_hz(unsigned group) const
{
    const unsigned shift = std::min<uint32_t>(apbdiv_[group - 1].get(), 4);
    const unsigned mult_shift = timgpre_[group - 1].on() ? 2 : 1;
    return mcu_hz() >> (shift > mult_shift ? shift - mult_shift : 0);
}

// RM0436 UART kernel clock selection: UART24SRC, UART35SRC, UART78SRC 0 pclk1,
// UART6SRC 0 pclk2, then 1 pll4_q, 2 hsi_ker, 3 csi_ker, 4 hse_ker;
// UART1SRC (USART1) 0 pclk5, 1 pll3_q, 2 hsi_ker, 3 csi_ker, 4 pll4_q,
// 5 hse_ker.  Other values: no clock.
uint64_t Stm32mp1Rcc::uart_hz(unsigned i) const
{
    const uint32_t sel = uartsrc_[i].get();
    if (i == 4) {
        switch (sel) {
        case 0: return pclk_hz(5);
        case 1: return pll_hz(3, 'q');
        case 2: return hsi_hz();
        case 3: return csi_hz();
        case 4: return pll_hz(4, 'q');
        case 5: return hse_hz();
        default: return 0;
        }
    }
    switch (sel) {
    case 0: return pclk_hz(i == 2 ? 2 : 1);
    case 1: return pll_hz(4, 'q');
    case 2: return hsi_hz();
    case 3: return csi_hz();
    case 4: return hse_hz();
    default: return 0;
    }
}

namespace {
// The clocks other models can ask for, in id order.
const char *const kClockNames[] = {
    "mcu",    "hclk",   "mcuss",  "pclk1",  "pclk2",  "pclk3",  "timg1",  "timg2",  "aclk",
    "pclk4",  "pclk5",  "uart24", "uart35", "uart6",  "uart78", "uart1",  "hse",    "hsi",
    "csi",    "lse",    "lsi",    "pll1_p", "pll1_q", "pll1_r", "pll2_p", "pll2_q", "pll2_r",
    "pll3_p", "pll3_q", "pll3_r", "pll4_p", "pll4_q", "pll4_r", "rtcclk", "per_ck", "adc"};
enum : ClockId { MCU, HCLK, MCUSS, PCLK1, PCLK2, PCLK3, TIMG1, TIMG2, ACLK, PCLK4, PCLK5, UART_FIRST,
                 HSE = UART_FIRST + 5, HSI, CSI, LSE, LSI, PLL_FIRST, RTCCLK = PLL_FIRST + 12, PER_CK, ADC,
                 CLOCK_COUNT };
} // namespace

ClockId Stm32mp1Rcc::clock_id(const std::string &n) const
{
    for (ClockId i = 0; i < CLOCK_COUNT; i++) {
        if (n == kClockNames[i]) {
            return i;
        }
    }
    return -1;
}

uint64_t Stm32mp1Rcc::hz(ClockId id) const
{
    if (id >= PLL_FIRST && id < RTCCLK) {
        const int k = id - PLL_FIRST;
        return pll_hz(static_cast<unsigned>(k / 3 + 1), "pqr"[k % 3]);
    }
    if (id >= UART_FIRST && id < UART_FIRST + 5) {
        return uart_hz(static_cast<unsigned>(id - UART_FIRST));
    }
    switch (id) {
    case MCU:
    case HCLK: return mcu_hz();
    case MCUSS: return mcuss_hz();
    case PCLK1: return pclk_hz(1);
    case PCLK2: return pclk_hz(2);
    case PCLK3: return pclk_hz(3);
    case TIMG1: return timg_hz(1);
    case TIMG2: return timg_hz(2);
    case ACLK: return aclk_hz();
    case PCLK4: return pclk_hz(4);
    case PCLK5: return pclk_hz(5);
    case HSE: return hse_hz();
    case HSI: return hsi_hz();
    case CSI: return csi_hz();
    case LSE: return lse_hz();
    case LSI: return lsi_hz();
    case RTCCLK: return rtc_hz();
    case PER_CK: return per_hz();
    case ADC: return adc_hz();
    default: return 0;
    }
}

// RM0436 MSSCKSELR: the MCU switches to the selected source once it runs
// (MCUSSRCRDY then reads 1); until then it stays on the previous one.
void Stm32mp1Rcc::clocks_changed(const BusAccess *a)
{
    const uint32_t want = mcussrc_.get();
    const McuSrc previous = static_cast<McuSrc>(mcuss_active_);
    mcuss_active_ = want;
    if (mcuss_hz() == 0) {
        mcuss_active_ = previous;
        if (!stuck_reported_ && want != previous) {
            stuck_reported_ = true;
            static const char *const kSrc[4] = {"HSI", "HSE", "CSI", "PLL3 P"};
            log().guest_error(a ? a->core_name : name(),
                              name() + ": MSSCKSELR selects " + kSrc[want & 3] +
                                  ", which is not running: the MCU stays on " + kSrc[previous & 3]);
        }
    } else {
        stuck_reported_ = false;
    }
    const uint64_t mcu = mcu_hz();
    if (mcu == 0 || mcu == told_) {
        return;
    }
    told_ = mcu;
    if (ctx_.clocks && mcu_core_ >= 0) {
        ctx_.clocks->set_core_clock(mcu_core_, mcu);
    }
    const std::string tree = "MCU " + mhz(mcu) + " (MCUSS " + mhz(mcuss_hz()) + "), PCLK1 " + mhz(pclk_hz(1)) +
                             ", PCLK2 " + mhz(pclk_hz(2)) + ", PCLK3 " + mhz(pclk_hz(3));
    log().verbose_info("clocks: " + tree);
    AMPVP_TRACE("clock", a ? a->core_name : "hub", tree);
}

} // namespace ampvp

AMPVP_MODEL("stm32mp1-rcc", ampvp::Stm32mp1Rcc)
