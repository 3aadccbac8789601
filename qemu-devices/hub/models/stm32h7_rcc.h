// STM32H7 dual-core reset and clock control RCC (RM0399 Rev 4, chapter
// "Reset and clock control (RCC)", RCC registers).
//
// Modelled: the oscillator and PLL enables in CR with their ready flags
// following at once (HSI, CSI, HSI48, HSE, PLL1-3); D1CKRDY / D2CKRDY read 0
// while the domain's CPU is in deep sleep (domain in DStop) and 1 otherwise
// (params "d1_core", "d2_core"); CFGR.SWS follows CFGR.SW; the clock
// configuration registers read back what was written; the clock-enable,
// low-power-enable registers live in the per-core banks (RCC_C1_*, RCC_C2_*),
// which the common addresses 0x0D0-0x11C reach for the accessing core; GCR BOOT_C1/BOOT_C2
// release a core held in reset (DeviceContext::boot); RSR.
// Clock tree: SYSCLK from CFGR.SW (HSI 64 MHz / HSIDIV, CSI 4 MHz, HSE
// (params "hse_hz", from the board), PLL1 P); PLL1 = source / DIVM1 *
// (DIVN1 + FRACN1 / 8192) / DIVP1; the CM7 runs at SYSCLK / D1CPRE, HCLK =
// that / HPRE is the CM4's clock; PCLKs from D1PPRE/D2PPRE1/D2PPRE2/D3PPRE.
// Whenever a core's clock changes the core is told (DeviceContext::clocks),
// so its SysTick follows; "--trace clock" and -v show the tree.
// PLL1-3 P/Q/R outputs and the USART kernel clocks are computed; LSE/LSI
// ready follow their enables.
// Reset (RegisterDevice::reset / Bus::reset): the registers return to their
// RM0399 reset values (HSI 64 MHz) and the cores are told; the board's HSE
// frequency is configuration and stays.
// Not modelled yet (stored, reported once): other kernel clocks, clock security, interrupts (CIER/CIFR/CICR), resets triggered
// through the *RSTR registers, backup domain (BDCR beyond storage).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32h7Rcc : public RegisterDevice, public ClockSource {
public:
    explicit Stm32h7Rcc(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void core_power_changed(CoreId core, CorePower p) override;
    uint32_t read(BusAccess &a) override;
    void write(BusAccess &a, uint32_t value) override;

    struct Clocks {
        uint64_t sysclk = 0, cm7 = 0, hclk = 0, pclk1 = 0, pclk2 = 0, pclk3 = 0, pclk4 = 0;
        const char *source = "HSI";
    };
    Clocks clocks() const;
    // "sysclk", "hclk", "pclk1".."pclk4", "tim_apb1", "tim_apb2" (timer kernel
    // clocks: RM0399, with TIMPRE = 0 twice the PCLK when its prescaler is not 1),
    // "pll1_p" .. "pll3_r", and the USART kernel clocks "usart16",
    // "usart234578" (D2CCIP2R selection).
    ClockId clock_id(const std::string &name) const override;
    uint64_t hz(ClockId id) const override;

    // Output 'p', 'q' or 'r' of PLL 1..3 (0 when not running).
    uint64_t pll_hz(unsigned pll, char out) const;

    void reset() override;

private:
    uint64_t bank_offset(const BusAccess &a) const;
    uint64_t hsi_hz() const;
    void clocks_changed(const BusAccess *a);
    uint32_t cr_view(uint32_t stored) const;

    uint64_t hse_hz_ = 0;       // the board's HSE (params "hse_hz"); survives reset()
    uint64_t told_[2] = {0, 0}; // last clock sent to the D1 / D2 core
    CoreId d1_core_ = -1, d2_core_ = -1;
    bool d1_stopped_ = false, d2_stopped_ = false;

    // Field handles, declared once in the constructor's RM table.
    struct ReadyPair {
        FieldRef on, rdy; // an oscillator / PLL enable and the ready flag that follows it
    };
    ReadyPair cr_ready_[7];  // HSI, CSI, HSI48, HSE, PLL1, PLL2, PLL3
    FieldRef hsidiv_, d1ckrdy_, d2ckrdy_;
    FieldRef sw_, sws_;
    FieldRef boot_c1_, boot_c2_;
    FieldRef lseon_, lserdy_, lsion_, lsirdy_;
    FieldRef rsr_rmvf_[3], rsr_flags_[3]; // RSR, C1_RSR, C2_RSR
    // RM fields inside registers the table declares as one stored VALUE field.
    struct Pll {
        FieldRef on;     // RCC_CR PLLxON
        FieldRef divm;   // RCC_PLLCKSELR DIVMx
        FieldRef fracen; // RCC_PLLCFGR PLLxFRACEN
        FieldRef div_en[3]; // RCC_PLLCFGR DIVPxEN, DIVQxEN, DIVRxEN
        FieldRef divn;   // RCC_PLLxDIVR DIVNx
        FieldRef div[3]; // RCC_PLLxDIVR DIVPx, DIVQx, DIVRx
        FieldRef fracn;  // RCC_PLLxFRACR FRACNx
    };
    Pll pll_[3];
    FieldRef pllsrc_;                     // RCC_PLLCKSELR PLLSRC
    FieldRef d1cpre_, hpre_, d1ppre_;     // RCC_D1CFGR
    FieldRef d2ppre1_, d2ppre2_;          // RCC_D2CFGR
    FieldRef d3ppre_;                     // RCC_D3CFGR
    FieldRef usart234578sel_, usart16sel_; // RCC_D2CCIP2R
};

} // namespace ampvp
