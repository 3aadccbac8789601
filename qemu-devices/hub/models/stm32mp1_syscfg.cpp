#include "stm32mp1_syscfg.h"
#include "../model_registry.h"

#include "../machine.h"

namespace ampvp {

uint32_t mp1_boot_pins(const std::map<std::string, std::string> &params)
{
    auto it = params.find("boot_pins");
    if (it == params.end()) {
        return kMp1SdCardBoot;
    }
    const std::string &text = it->second;
    uint64_t v = 0;
    try {
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'b' || text[1] == 'B')) {
            size_t used = 0;
            v = std::stoull(text.substr(2), &used, 2);
            if (used != text.size() - 2) {
                throw ConfigError("");
            }
        } else {
            v = parse_size(text);
        }
    } catch (const std::exception &) {
        throw ConfigError("option byte \"boot_pins\": '" + text +
                          "' is not a number (give the BOOT[2:0] pins, e.g. \"0b101\")");
    }
    if (v > 7) {
        throw ConfigError("option byte \"boot_pins\": '" + text + "' does not fit the three BOOT pins");
    }
    return static_cast<uint32_t>(v);
}

Register &mp1_clear_view(RegisterBank &bank, const std::string &name, uint32_t offset, Register &set,
                         uint32_t clearable, std::function<void(BusAccess &)> changed)
{
    Register &clr = bank.reg(name, offset, set.reset_value());
    for (const Field &f : set.fields()) {
        if ((f.mask() & clearable) != f.mask()) {
            continue;
        }
        if (f.unimplemented) {
            clr.unimpl(f.name, f.lsb, f.width, Acc::W1C);
        } else {
            clr.field(f.name, f.lsb, f.width, Acc::W1C);
        }
    }
    const uint32_t w1c = clr.mask_of(Acc::W1C);
    clr.on_read([&set](BusAccess &, uint32_t) { return set.value; })
        .pre_write([&set, w1c, changed](BusAccess &a, uint32_t, uint32_t &, uint32_t written) {
            const uint32_t before = set.value;
            set.value &= ~(written & w1c); // `written` holds only the accessed byte lanes
            if (changed && set.value != before) {
                changed(a);
            }
            return false; // the view stores nothing itself
        });
    return clr;
}

Stm32mp1Syscfg::Stm32mp1Syscfg(const std::string &name) : RegisterDevice(name)
{
    auto &r = regs_;
    // RM0436 SYSCFG_BOOTR: BOOT0-BOOT2 give the state of the BOOT pins as
    // latched at reset (read-only); BOOTx_PD disable their pull-downs.
    Register &bootr = r.reg("BOOTR", 0x00, kMp1SdCardBoot)
                          .field("BOOT0", 0, 1, Acc::RO)
                          .field("BOOT1", 1, 1, Acc::RO)
                          .field("BOOT2", 2, 1, Acc::RO)
                          .unimpl("BOOT0_PD", 4, 1)
                          .unimpl("BOOT1_PD", 5, 1)
                          .unimpl("BOOT2_PD", 6, 1);
    boot_ = FieldRef(&bootr, 0x7u, 0);
    // SYSCFG_PMCSETR / PMCCLRR: peripheral mode configuration.
    Register &pmc = r.reg("PMCSETR", 0x04, 0)
                        .unimpl("I2C1_FMP", 0, 1, Acc::W1S)
                        .unimpl("I2C2_FMP", 1, 1, Acc::W1S)
                        .unimpl("I2C3_FMP", 2, 1, Acc::W1S)
                        .unimpl("I2C4_FMP", 3, 1, Acc::W1S)
                        .unimpl("I2C5_FMP", 4, 1, Acc::W1S)
                        .unimpl("I2C6_FMP", 5, 1, Acc::W1S)
                        .unimpl("EN_BOOSTER", 8, 1, Acc::W1S)
                        .unimpl("ANASWVDD", 9, 1, Acc::W1S)
                        .unimpl("ETH_CLK_SEL", 16, 1, Acc::W1S)
                        .unimpl("ETH_REF_CLK_SEL", 17, 1, Acc::W1S)
                        .unimpl("ETH_SELMII", 20, 1, Acc::W1S)
                        .unimpl("ETH_SEL", 21, 3, Acc::W1S)
                        .unimpl("ANA0_SEL", 24, 1, Acc::W1S)
                        .unimpl("ANA1_SEL", 25, 1, Acc::W1S);
    // SYSCFG_IOCTRLSETR / IOCTRLCLRR: high-speed low-voltage IO mode.
    Register &ioctrl = r.reg("IOCTRLSETR", 0x18, 0)
                           .unimpl("HSLVEN_TRACE", 0, 1, Acc::W1S)
                           .unimpl("HSLVEN_QUADSPI", 1, 1, Acc::W1S)
                           .unimpl("HSLVEN_ETH", 2, 1, Acc::W1S)
                           .unimpl("HSLVEN_SDMMC", 3, 1, Acc::W1S)
                           .unimpl("HSLVEN_SPI", 4, 1, Acc::W1S);
    r.reg("ICNR", 0x1C, 0)
        .unimpl("AXI_M0", 0, 1)
        .unimpl("AXI_M1", 1, 1)
        .unimpl("AXI_M2", 2, 1)
        .unimpl("AXI_M3", 3, 1)
        .unimpl("AXI_M5", 5, 1)
        .unimpl("AXI_M6", 6, 1)
        .unimpl("AXI_M7", 7, 1)
        .unimpl("AXI_M8", 8, 1)
        .unimpl("AXI_M9", 9, 1)
        .unimpl("AXI_M10", 10, 1);
    // SYSCFG_CMPCR: READY reports the compensation cell ready; it follows the
    // cell's enables (CMPENSETR MPU_EN / MCU_EN) at once.
    r.reg("CMPCR", 0x20, 0x00870000)
        .unimpl("SW_CTRL", 1, 1)
        .field("READY", 8, 1, Acc::RO, &cmp_ready_)
        .unimpl("RANSRC", 16, 4)
        .unimpl("RAPSRC", 20, 4)
        .field("ANSRC", 24, 4, Acc::RO)
        .field("APSRC", 28, 4, Acc::RO)
        .on_read([this](BusAccess &, uint32_t v) {
            return cmp_ready_.with(v, cmp_mpu_en_.on() || cmp_mcu_en_.on() ? 1 : 0);
        });
    Register &cmpen = r.reg("CMPENSETR", 0x24, 0)
                          .field("MPU_EN", 0, 1, Acc::W1S, &cmp_mpu_en_)
                          .field("MCU_EN", 1, 1, Acc::W1S, &cmp_mcu_en_);
    mp1_clear_view(r, "CMPENCLRR", 0x28, cmpen);
    // SYSCFG_CBR: CLL / PVDL connect lockup / PVD to the timer break inputs;
    // set-only until the next system reset.
    r.reg("CBR", 0x2C, 0).unimpl("CLL", 0, 1, Acc::W1S).unimpl("PVDL", 2, 1, Acc::W1S);
    mp1_clear_view(r, "PMCCLRR", 0x44, pmc);
    mp1_clear_view(r, "IOCTRLCLRR", 0x58, ioctrl);
    r.reg("VERR", 0x3F4, 0x00000020).field("MINREV", 0, 4, Acc::RO).field("MAJREV", 4, 4, Acc::RO);
    r.reg("IPIDR", 0x3F8, 0x00030001).field("ID", 0, 32, Acc::RO);
    r.reg("SIDR", 0x3FC, 0xA3C5DD01).field("SID", 0, 32, Acc::RO);
}

void Stm32mp1Syscfg::configure(const std::map<std::string, std::string> &params,
                               const std::vector<std::string> &)
{
    pins_ = mp1_boot_pins(params);
    latch_boot_pins();
}

// RM0436 SYSCFG_BOOTR: the BOOT pins are latched at reset.
void Stm32mp1Syscfg::latch_boot_pins() { boot_.reg()->set_reset(boot_.with(boot_.reg()->reset_value(), pins_)); }

void Stm32mp1Syscfg::reset()
{
    RegisterDevice::reset();
    latch_boot_pins();
}

} // namespace ampvp

AMPVP_MODEL("stm32mp1-syscfg", ampvp::Stm32mp1Syscfg)
