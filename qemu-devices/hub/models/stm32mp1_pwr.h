// STM32MP15 power control PWR (RM0436, chapter "Power control (PWR)", PWR
// registers), as the Cortex-M4's firmware sees it at 0x50001000: ST's
// STM32CubeMP1 HAL (HAL_PWR_EnableBkUpAccess, HAL_PWREx_EnableBkUpReg,
// HAL_PWREx_EnableRetReg, HAL_PWREx_EnableUSBVoltageDetector ...,
// HAL_PWR_EnterSTOPMode's MCUCR.PDDS) and Linux's remoteproc driver, which
// sets MCUCR.PDDS when it stops the M4 and clears it when it starts it.
//
// Modelled: the register table (ST's CMSIS PWR map: CR1 0x00, CSR1 0x04, CR2
// 0x08, CR3 0x0C, MPUCR 0x10, MCUCR 0x14, WKUPCR 0x20, WKUPFR 0x24,
// MPUWKUPENR 0x28, MCUWKUPENR 0x2C, VER 0x3F4, ID 0x3F8, SID 0x3FC) with
// reset values from ST's STM32MP15 SVD description; CR1.DBP stored and read
// back (the HAL polls it); the regulators ready at once: CR2.BRRDY follows
// BREN (backup regulator), RRRDY follows RREN (retention regulator),
// CR3.REG18RDY follows REG18EN, REG11RDY follows REG11EN, USB33RDY follows
// USB33DEN (CR3 therefore reads 0xF0000000 after reset: both regulators are
// enabled and ready); MPUCR/MCUCR PDDS stored; writing 1 to CSSF clears
// STOPF and SBF (always read as 0); WKUPCR.WKUPCx clears WKUPFR.WKUPFx.
// Reset (RegisterDevice::reset / Bus::reset): registers back to their reset
// values.
// Not modelled (stored, reported once when set): the voltage detectors
// (PVD, AVD: CSR1 reads 0), the VBAT charging and monitoring (VBATL/H,
// TEMPL/H read 0), DDR self-refresh and retention, the low-power modes
// themselves (STOPF/SBF are never set: the MPU side that decides the system
// Stop/Standby is not simulated), the wake-up pins (WKUPFR never set), the
// backup-domain write protection that DBP controls (RCC_BDCR and the
// backup registers stay writable), TrustZone.
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32mp1Pwr : public RegisterDevice {
public:
    explicit Stm32mp1Pwr(const std::string &name);

private:
    // A status flag that follows its enable (the RM's "ready" bits).
    struct Ready {
        FieldRef en, rdy;
    };
    Ready cr2_[2];   // BREN/BRRDY, RREN/RRRDY
    Ready cr3_[3];   // USB33DEN/USB33RDY, REG18EN/REG18RDY, REG11EN/REG11RDY
    FieldRef mpu_stopf_, mpu_sbf_, mpu_sbfmpu_, mpu_cssf_; // MPUCR
    FieldRef mcu_stopf_, mcu_sbf_, mcu_cssf_;              // MCUCR
    FieldRef wkupc_, wkupf_;                               // WKUPCR WKUPC1-6, WKUPFR WKUPF1-6
};

} // namespace ampvp
