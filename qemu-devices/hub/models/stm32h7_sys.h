// Small STM32H7 system peripherals on the boot path of ST's SystemInit and
// HAL_Init (RM0399 Rev 4):
//  - FLASH interface ("Embedded flash memory", FLASH registers): ACR (LATENCY,
//    WRHIGHFREQ) stored and read back, also through its bank-2 alias at
//    +0x100; OPTSR_CUR with BCM7 (bit 23) / BCM4 (bit 22) from the machine
//    description (params "bcm7", "bcm4"); BOOT7_CUR / BOOT4_CUR holding the
//    cores' boot addresses >> 16 (params "boot7", "boot4").  Not modelled:
//    programming, erase, option-byte changes, ECC (registers read 0).
//  - DBGMCU ("Debug support"): IDCODE (params "idcode"; RM0399 DEV_ID 0x450,
//    REV_ID 0x2003 = revision V), CR and the freeze registers stored.
//  - SYSCFG ("System configuration controller"): EXTICR1-4 stored (the GPIO
//    port of each EXTI line 0-15), CCCSR with READY following EN (the
//    compensation cell is ready at once), UR registers with the boot
//    addresses in UR2/UR3[31:16] (writable, as ST's gated-boot code expects).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32h7Flash : public RegisterDevice {
public:
    explicit Stm32h7Flash(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
};

class Stm32h7Dbgmcu : public RegisterDevice {
public:
    explicit Stm32h7Dbgmcu(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
};

class Stm32h7Syscfg : public RegisterDevice {
public:
    explicit Stm32h7Syscfg(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    // The GPIO port (0 = A ... 10 = K) selected for EXTI line 0-15.
    unsigned exti_port(unsigned line) const;
};

} // namespace ampvp
