#include "stm32h7_sys.h"
#include "../model_registry.h"

#include "../machine.h"

namespace ampvp {

namespace {
uint32_t param_u32(const std::map<std::string, std::string> &p, const char *key, uint32_t dflt)
{
    auto it = p.find(key);
    if (it == p.end()) {
        return dflt;
    }
    try {
        return static_cast<uint32_t>(parse_size(it->second));
    } catch (const ConfigError &e) {
        throw ConfigError(std::string("params \"") + key + "\": " + e.what());
    }
}
} // namespace

// ---- DBGMCU ------------------------------------------------------------------

Stm32h7Dbgmcu::Stm32h7Dbgmcu(const std::string &name) : RegisterDevice(name)
{
    auto &r = regs_;
    idcode_ = &r.reg("IDCODE", 0x000, 0x20036450).field("DEV_ID", 0, 12, Acc::RO).field("REV_ID", 16, 16, Acc::RO);
    r.reg("CR", 0x004, 0).unimpl("CR", 0, 32);
    for (const auto &fz : {std::make_pair("APB3FZ1", 0x034u), std::make_pair("APB3FZ2", 0x038u),
                           std::make_pair("APB1LFZ1", 0x03Cu), std::make_pair("APB1LFZ2", 0x040u),
                           std::make_pair("APB1HFZ1", 0x044u), std::make_pair("APB1HFZ2", 0x048u),
                           std::make_pair("APB2FZ1", 0x04Cu), std::make_pair("APB2FZ2", 0x050u),
                           std::make_pair("APB4FZ1", 0x054u), std::make_pair("APB4FZ2", 0x058u)}) {
        r.reg(fz.first, fz.second, 0).unimpl("FZ", 0, 32);
    }
}

void Stm32h7Dbgmcu::configure(const std::map<std::string, std::string> &params,
                              const std::vector<std::string> &)
{
    // RM0399 DEV_ID 0x450, REV_ID 0x2003 (revision V) unless the machine says otherwise.
    idcode_->set_reset(param_u32(params, "idcode", 0x20036450));
}

// ---- SYSCFG ------------------------------------------------------------------

Stm32h7Syscfg::Stm32h7Syscfg(const std::string &name) : RegisterDevice(name)
{
    for (unsigned l = 0; l < 16; l++) {
        exti_[l] = &add_irq("exti" + std::to_string(l));
    }
    auto &r = regs_;
    r.reg("PMCR", 0x004, 0).unimpl("PMCR", 0, 32);
    for (unsigned k = 0; k < 4; k++) {
        Register &cr = r.reg("EXTICR" + std::to_string(k + 1), 0x008 + 4 * k, 0);
        for (unsigned l = 0; l < 4; l++) {
            cr.field("EXTI" + std::to_string(4 * k + l), 4 * l, 4, Acc::RW, &exti_sel_[4 * k + l]);
        }
    }
    r.reg("CFGR", 0x018, 0).unimpl("CFGR", 0, 32);
    // RM0399 SYSCFG_CCCSR: READY (bit 8) reports the compensation cell ready
    // once EN (bit 0) is set; here at once.
    r.reg("CCCSR", 0x020, 0)
        .field("EN", 0, 1, Acc::RW, &en_)
        .field("CS", 1, 1, Acc::RW)
        .field("READY", 8, 1, Acc::RO, &ready_)
        .field("HSLV", 16, 1, Acc::RW)
        .on_read([this](BusAccess &, uint32_t v) { return ready_.with(v, en_.in(v)); });
    r.reg("CCVR", 0x024, 0).field("CCVR", 0, 8, Acc::RO);
    r.reg("CCCR", 0x028, 0).field("CCCR", 0, 8, Acc::RW);
    r.reg("PWRCR", 0x02C, 0).unimpl("ODEN", 0, 1);
    r.reg("PKGR", 0x124, 0).field("PKG", 0, 4, Acc::RO);
    // User option registers UR0-UR17: read-only mirrors of the option bytes,
    // except the boot addresses: UR2[31:16] the CM7's BOOT_ADD0 and
    // UR3[31:16] the CM4's (ST's gated-boot template writes the latter before
    // releasing the CM4 from SRAM).  Their reset values are the configured
    // option bytes (configure()).
    r.reg("UR0", 0x300, 0).field("UR", 0, 32, Acc::RO);
    ur1_ = &r.reg("UR1", 0x304, 0)
                .field("BCM4", 0, 1, Acc::RW, &bcm4_)
                .field("UR1_MID", 1, 15, Acc::RO)
                .field("BCM7", 16, 1, Acc::RW, &bcm7_)
                .field("UR1_HI", 17, 15, Acc::RO);
    ur2_ = &r.reg("UR2", 0x308, 0).field("UR2_LO", 0, 16, Acc::RO).field("BCM7_ADD0", 16, 16, Acc::RW, &bcm7_add0_);
    ur3_ = &r.reg("UR3", 0x30C, 0)
                .field("BCM7_ADD1", 0, 16, Acc::RW, &bcm7_add1_)
                .field("BCM4_ADD0", 16, 16, Acc::RW, &bcm4_add0_);
    ur4_ = &r.reg("UR4", 0x310, 0).field("BCM4_ADD1", 0, 16, Acc::RW, &bcm4_add1_).field("UR4_HI", 16, 16, Acc::RO);
    for (unsigned k = 5; k <= 17; k++) {
        r.reg("UR" + std::to_string(k), 0x300 + 4 * k, 0).field("UR", 0, 32, Acc::RO);
    }
}

void Stm32h7Syscfg::configure(const std::map<std::string, std::string> &params,
                              const std::vector<std::string> &core_names)
{
    cpu1_ = param_core(params, "cpu1", core_names);
    cpu2_ = param_core(params, "cpu2", core_names);
    // The option bytes, boot addresses >> 16 as the option bytes hold them
    // (ADD1 takes the same value: the BOOT pin is not modelled).
    const uint32_t b7 = param_u32(params, "boot7", 0x08000000) >> 16;
    const uint32_t b4 = param_u32(params, "boot4", 0x08100000) >> 16;
    ur1_->set_reset(bcm7_.with(bcm4_.with(0, param_u32(params, "bcm4", 1) & 1), param_u32(params, "bcm7", 1) & 1));
    ur2_->set_reset(bcm7_add0_.with(0, b7));
    ur3_->set_reset(bcm4_add0_.with(bcm7_add1_.with(0, b7), b4));
    ur4_->set_reset(bcm4_add1_.with(0, b4));
}

void Stm32h7Syscfg::input(unsigned n, bool level)
{
    const unsigned port = n / 16, pin = n % 16;
    if (port >= kPorts) {
        return;
    }
    pins_[port] = static_cast<uint16_t>(level ? pins_[port] | (1u << pin) : pins_[port] & ~(1u << pin));
    update_irq();
}

void Stm32h7Syscfg::update_irq()
{
    for (unsigned l = 0; l < 16; l++) {
        const unsigned port = exti_sel_[l].get();
        exti_[l]->set(port < kPorts && (pins_[port] & (1u << l)));
    }
}

std::optional<uint32_t> Stm32h7Syscfg::boot_address(CoreId core) const
{
    if (core == cpu1_) {
        return bcm7_add0_.get() << 16;
    }
    if (core == cpu2_) {
        return bcm4_add0_.get() << 16;
    }
    return std::nullopt;
}

unsigned Stm32h7Syscfg::exti_port(unsigned line) const { return line < 16 ? exti_sel_[line].get() : 0; }

// ---- FMC, ART, AXI -------------------------------------------------------------

Stm32h7Fmc::Stm32h7Fmc(const std::string &name) : RegisterDevice(name)
{
    // RM0399 FMC_BCR1 reset 0x000030DB (bank 1 enabled), BCR2-4 0x000030D2;
    // BTRx and BWTRx 0x0FFFFFFF.  FMCEN (BCR1 bit 31) enables the controller.
    for (unsigned b = 0; b < 4; b++) {
        const std::string n = std::to_string(b + 1);
        regs_.reg("BCR" + n, 0x000 + 8 * b, b == 0 ? 0x000030DB : 0x000030D2)
            .unimpl("MBKEN", 0, 1)        // enabling a bank: nothing is behind it
            .field("BCR", 1, 30, Acc::RW) // timing and type: stored, no bank is modelled
            .unimpl("FMCEN", 31, 1);
        regs_.reg("BTR" + n, 0x004 + 8 * b, 0x0FFFFFFF).unimpl("BTR", 0, 32);
        regs_.reg("BWTR" + n, 0x104 + 8 * b, 0x0FFFFFFF).unimpl("BWTR", 0, 32);
    }
}

Stm32h7Art::Stm32h7Art(const std::string &name) : RegisterDevice(name)
{
    // ART_CTR: EN (bit 0), PCACHEADDR [19:8] (the cacheable 1 MB page,
    // address >> 20); the CM4's HAL_Init sets 0x081 (flash bank 2) and EN.
    // A cache has no effect a program can see without timing, and QEMU has
    // no flash wait states: both fields are stored, silently.
    regs_.reg("CTR", 0x000, 0).field("EN", 0, 1, Acc::RW).field("PCACHEADDR", 8, 12, Acc::RW);
}

Stm32h7Axi::Stm32h7Axi(const std::string &name) : RegisterDevice(name)
{
    // AXI interconnect target 7 (AXI SRAM) functionality modification:
    // READ_ISS_OVERRIDE (bit 0) is what SystemInit sets on revision Y.
    regs_.reg("TARG7_FN_MOD", 0x8108, 0).unimpl("READ_ISS_OVERRIDE", 0, 1).unimpl("WRITE_ISS_OVERRIDE", 1, 1);
}

} // namespace ampvp

AMPVP_MODEL("stm32h7-dbgmcu", ampvp::Stm32h7Dbgmcu)
AMPVP_MODEL("stm32h7-syscfg", ampvp::Stm32h7Syscfg)
AMPVP_MODEL("stm32h7-fmc", ampvp::Stm32h7Fmc)
AMPVP_MODEL("stm32h7-art", ampvp::Stm32h7Art)
AMPVP_MODEL("stm32h7-axi", ampvp::Stm32h7Axi)
