// STM32MP15 system configuration controller SYSCFG (RM0436, chapter "System
// configuration controller (SYSCFG)", SYSCFG registers), as the Cortex-M4's
// firmware sees it at 0x50020000.
//
// Modelled: BOOTR with BOOT0-2 latched from the BOOT pins at reset (the
// machine's option byte "boot_pins") and the BOOTx_PD pull-down controls
// stored; the SET/CLEAR pairs PMCSETR/PMCCLRR, IOCTRLSETR/IOCTRLCLRR and
// CMPENSETR/CMPENCLRR (write 1 to set / to clear, both read the state);
// CMPCR.READY set while the compensation cell is enabled for the MPU or the
// MCU (ready at once); ICNR, CBR (set-only until reset) stored; VERR, IPIDR,
// SIDR read-only identification values.
// Register offsets: ST's CMSIS SYSCFG map for the STM32MP15 (BOOTR 0x00,
// PMCSETR 0x04, IOCTRLSETR 0x18, ICNR 0x1C, CMPCR 0x20, CMPENSETR 0x24,
// CMPENCLRR 0x28, CBR 0x2C, PMCCLRR 0x44, IOCTRLCLRR 0x58, VERR 0x3F4, IPIDR
// 0x3F8, SIDR 0x3FC); reset values from ST's STM32MP15 SVD description.
// Reset (RegisterDevice::reset / Bus::reset): the registers return to their
// reset values and BOOTR latches the configured BOOT pins again.
// Not modelled (stored, reported once when set): the I2C fast-mode-plus
// drive, the analog switch booster and its supply, the Ethernet interface
// selection, the high-speed low-voltage IO mode, the compensation cell's
// codes (ANSRC/APSRC read their reset values), the timer break inputs
// (CBR), the interconnect ordering (ICNR); the TrustZone access rules.
#pragma once

#include "../regs.h"

#include <map>
#include <string>

namespace ampvp {

// ---- Shared by the STM32MP15 models (RCC, SYSCFG, PWR) ------------------------

// RM0436 "Boot modes": the BOOT[2:0] pins select the boot; 0b100 is the
// engineering (development) boot, in which the Cortex-M4 runs at once.
constexpr uint32_t kMp1EngineeringBoot = 0b100;
// 0b101 (BOOT2 = BOOT0 = 1) boots the MPU from the SD card: the setting of
// the STM32MP157C-DK2's boot switch for ST's Linux images.
constexpr uint32_t kMp1SdCardBoot = 0b101;

// The BOOT pins from the machine's option byte "boot_pins" ("0b101", "5" or
// "0x5"; default kMp1SdCardBoot).  Throws ConfigError for a value that is not
// a number or does not fit in three pins.
uint32_t mp1_boot_pins(const std::map<std::string, std::string> &params);

// RM0436 SET/CLEAR register pairs (RCC xxxENSETR/xxxENCLRR, SYSCFG
// PMCSETR/PMCCLRR ...): writing 1 to a bit of the SET register sets it,
// writing 1 to that bit of the CLEAR register clears it, 0 has no effect, and
// both read the current state.  The state lives in `set` (declared with W1S
// fields); this declares the CLEAR register as a view of it with W1C copies
// of those fields (all of them, or those inside `clearable`).  `changed`, if
// given, runs after a write through the view changed the state.
Register &mp1_clear_view(RegisterBank &bank, const std::string &name, uint32_t offset, Register &set,
                         uint32_t clearable = 0xffffffffu,
                         std::function<void(BusAccess &)> changed = nullptr);

// ---- SYSCFG -------------------------------------------------------------------

class Stm32mp1Syscfg : public RegisterDevice {
public:
    explicit Stm32mp1Syscfg(const std::string &name);
    // Option byte "boot_pins" (see mp1_boot_pins).
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;

private:
    void latch_boot_pins();
    uint32_t pins_ = kMp1SdCardBoot; // configured; survives reset()
    FieldRef boot_;                  // BOOTR BOOT0-BOOT2 (the three pins as one value)
    FieldRef cmp_mpu_en_, cmp_mcu_en_; // CMPENSETR
    FieldRef cmp_ready_;             // CMPCR
};

} // namespace ampvp
