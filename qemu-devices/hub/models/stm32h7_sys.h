// Small STM32H7 system peripherals on the boot path of ST's SystemInit and
// HAL_Init (RM0399 Rev 4):
//  - FLASH interface ("Embedded flash memory", FLASH registers): ACR (LATENCY,
//    WRHIGHFREQ) stored and read back, also through its bank-2 alias at
//    +0x100; OPTSR_CUR with BCM7 (bit 23) / BCM4 (bit 22) from the machine
//    description's option bytes ("bcm7", "bcm4"), which gate the cores'
//    boot (params "cpu1", "cpu2" name the CM7 and CM4); BOOT7_CUR / BOOT4_CUR
//    holding the cores' boot addresses >> 16 ("boot7", "boot4").  Not modelled:
//    programming, erase, option-byte changes, ECC (registers read 0).
//  - DBGMCU ("Debug support"): IDCODE (params "idcode"; RM0399 DEV_ID 0x450,
//    REV_ID 0x2003 = revision V), CR and the freeze registers stored.
//  - SYSCFG ("System configuration controller"): EXTICR1-4 select the GPIO
//    port of each EXTI line 0-15; the model is that multiplexer (GPIO pin
//    levels in, EXTI lines 0-15 out; changing EXTICR re-routes at once), CCCSR with READY following EN (the
//    compensation cell is ready at once), UR registers mirroring the option
//    bytes: UR1 BCM4 (bit 0) / BCM7 (bit 16), UR2[31:16] BCM7_ADD0, UR3[15:0]
//    BCM7_ADD1, UR3[31:16] BCM4_ADD0, UR4[15:0] BCM4_ADD1; these are
//    writable, as ST's HAL_SYSCFG_CM4BootAddConfig and gated-boot templates
//    expect, and the ADD0 values are where a released core starts.
//  - FMC ("Flexible memory controller"): the NOR/PSRAM bank registers
//    BCR1-4 / BTR1-4 / BWTR1-4 with their reset values, stored (ST's CM7
//    SystemInit writes BCR1 = 0x000030D2 to disable bank 1); no memory behind.
//  - ART accelerator (CM4 instruction cache, used by the CM4's HAL_Init):
//    CTR with EN and PCACHEADDR stored.
//  - AXI interconnect: TARG7_FN_MOD (0x51008108), the register ST's SystemInit
//    writes on revision Y silicon, stored.
// Reset: what the machine description configures (option bytes, boot
// addresses, IDCODE) is what a reset (RegisterDevice::reset / Bus::reset)
// restores: SYSCFG UR1-UR4 and DBGMCU IDCODE take it as their reset value;
// FLASH reloads OPTSR_CUR / BOOTx_CUR from the configured option bytes over
// the table's reset values (which the register reference lists).
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32h7Flash : public RegisterDevice {
public:
    explicit Stm32h7Flash(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    // RM0399 "Boot configuration": a core whose BCMx option bit is 0 stays
    // in reset (clock gated) until the other core sets RCC_GCR.BOOT_Cx.
    std::optional<bool> boot_gated(CoreId core) const override;
    // A reset keeps the option bytes and boot addresses the machine
    // description configured (they are loaded from the option bytes, not
    // from the register table).
    void reset() override;

private:
    void load_option_bytes();
    CoreId cpu1_ = -1, cpu2_ = -1; // CM7 (BCM7), CM4 (BCM4)
    // Configured option bytes: BCM7, BCM4, boot addresses >> 16.
    uint32_t opt_bcm7_ = 1, opt_bcm4_ = 1, opt_boot7_ = 0x0800, opt_boot4_ = 0x0810;
    FieldRef bcm4_, bcm7_;                 // OPTSR_CUR
    FieldRef boot7_add0_, boot7_add1_;     // BOOT7_CUR
    FieldRef boot4_add0_, boot4_add1_;     // BOOT4_CUR
};

class Stm32h7Dbgmcu : public RegisterDevice {
public:
    explicit Stm32h7Dbgmcu(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;

private:
    Register *idcode_ = nullptr; // its reset value is the configured IDCODE
};

class Stm32h7Syscfg : public RegisterDevice {
public:
    explicit Stm32h7Syscfg(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    // The GPIO port (0 = A ... 10 = K) selected for EXTI line 0-15.
    unsigned exti_port(unsigned line) const;
    // Input 16 * port + pin: a GPIO pin's level (port 0 = A).  Outputs
    // "exti0".."exti15" follow the pin EXTICR selects for each line.
    void input(unsigned n, bool level) override;
    // The boot address a core starts from when it leaves reset: BCM7_ADD0
    // (UR2[31:16]) or BCM4_ADD0 (UR3[31:16]) as they are now (BOOT pin low).
    std::optional<uint32_t> boot_address(CoreId core) const override;

protected:
    void update_irq() override;

private:
    CoreId cpu1_ = -1, cpu2_ = -1;
    std::array<FieldRef, 16> exti_sel_{};  // EXTICR1-4 EXTIn: the port of line n
    FieldRef ready_, en_;                  // CCCSR
    Register *ur1_ = nullptr, *ur2_ = nullptr, *ur3_ = nullptr, *ur4_ = nullptr;
    FieldRef bcm4_, bcm7_;                 // UR1
    FieldRef bcm7_add0_;                   // UR2
    FieldRef bcm7_add1_, bcm4_add0_;       // UR3
    FieldRef bcm4_add1_;                   // UR4
    static constexpr unsigned kPorts = 11; // A..K
    std::array<uint16_t, kPorts> pins_{};  // pin levels per port
    std::array<IrqLine *, 16> exti_{};
};

// Register-only models: a table and nothing else.
class Stm32h7Fmc : public RegisterDevice {
public:
    explicit Stm32h7Fmc(const std::string &name);

};
class Stm32h7Art : public RegisterDevice {
public:
    explicit Stm32h7Art(const std::string &name);
};
class Stm32h7Axi : public RegisterDevice {
public:
    explicit Stm32h7Axi(const std::string &name);
};

} // namespace ampvp
