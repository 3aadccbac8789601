// STM32H7 RAM ECC monitoring RAMECC (RM0399 Rev 4, chapter "RAM ECC monitoring
// (RAMECC)": "RAMECC functional description", "RAMECC interrupts", "RAMECC
// registers").  Register use as ST's HAL does it (stm32h7xx_hal_ramecc.c:
// HAL_RAMECC_Init, HAL_RAMECC_StartMonitor, HAL_RAMECC_EnableNotification,
// HAL_RAMECC_IRQHandler, HAL_RAMECC_GetFailingAddress ...).
//
// One instance per RAMECC unit: RAMECC1 (D1), RAMECC2 (D2), RAMECC3 (D3), each
// with its monitors (params "monitors": RM0399 lists 5 for RAMECC1 and
// RAMECC2, 2 for RAMECC3), monitor x's registers at 0x20 * x.
// Modelled:
//  - RAMECC_IER (GIE, GECCSEIE, GECCDEIE, GECCDEBWIE) and per monitor MxCR
//    (ECCSEIE, ECCDEIE, ECCDEBWIE, ECCELEN), MxSR (SEDCF, DEDF, DEBWDF: rc_w0,
//    as __HAL_RAMECC_CLEAR_FLAG clears them), MxFAR, MxFDRL, MxFDRH, MxFECR
//    (read-only) with their reset values (0).
//  - Emulated memories have no bit errors: the flags stay 0 and the ECC
//    interrupt low unless an error is injected (inject(): unit tests; no
//    command-line way yet).  An injected error sets its flag (SEDCF for a
//    single error corrected, DEDF for a double error on a read, DEBWDF for a
//    double error on a byte write); with ECCELEN set the monitor also latches
//    the failing address, data and ECC code.
//  - Output "irq" (ECC_IRQn 145 on both cores): high while a monitor has a
//    flag whose interrupt is enabled at monitor level (MxCR.ECCxxIE) or at
//    unit level (IER.GECCxxIE, or every kind when IER.GIE is set) -- the
//    enables HAL_RAMECC_IRQHandler combines to find which flags to clear.
//    The three units share ECC_IRQn: the machine connects each unit's "irq"
//    to it and the hub ORs them.
// Not modelled: the memories' real ECC (no error ever happens by itself), the
// error injection path of the RM (through the FLASH/SRAM test registers).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32h7Ramecc : public RegisterDevice {
public:
    explicit Stm32h7Ramecc(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;

    enum class Error { SingleCorrected, DoubleRead, DoubleByteWrite };
    // An ECC error seen by monitor `m` (1-based) at `addr` (what a test does to
    // check a firmware's ECC handling).  False if there is no such monitor.
    bool inject(unsigned m, Error e, uint32_t addr, uint64_t data = 0, uint32_t ecc = 0);
    unsigned monitors() const { return static_cast<unsigned>(mon_.size()); }

protected:
    void update_irq() override;

private:
    void declare_monitors(unsigned n);
    struct Monitor {
        FieldRef seie, deie, debwie, elen;      // MxCR
        FieldRef sedcf, dedf, debwdf;           // MxSR
        Register *far = nullptr, *fdrl = nullptr, *fdrh = nullptr, *fecr = nullptr;
    };
    std::vector<Monitor> mon_;
    FieldRef gie_, gseie_, gdeie_, gdebwie_; // IER
    IrqLine &irq_;
};

} // namespace ampvp
