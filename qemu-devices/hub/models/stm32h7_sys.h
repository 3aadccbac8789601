// Small STM32H7 system peripherals on the boot path of ST's SystemInit and
// HAL_Init (RM0399 Rev 4):
//  (The FLASH interface, once here, is stm32h7_flash.h.)
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
// restores: SYSCFG UR1-UR4 and DBGMCU IDCODE take it as their reset value.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

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
