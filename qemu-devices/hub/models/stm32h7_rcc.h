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
// PLL1-3 P/Q/R outputs and the U(S)ART kernel clocks ("usart234578", "usart16",
// "lpuart1": D2CCIP2R / D3CCIPR selections) are computed; LSE/LSI
// ready follow their enables.
// Reset (RegisterDevice::reset / Bus::reset): the registers return to their
// RM0399 reset values (HSI 64 MHz) and the cores are told; the board's HSE
// frequency is configuration and stays.
// Reset controller (RM0399 "Reset" and "Reset source identification"): the
// numbered inputs are reset requests (a rising level; see the Input enum):
// IWDG1/IWDG2 time-outs are system resets; WWDG1/WWDG2 reset the system when
// GCR.WW1RSC/WW2RSC is set, else only their CPU (CPU1 = d1_core, CPU2 =
// d2_core); D1/D2 leaving DStandby reset that domain's CPU; the system
// leaving Standby is a system reset.  Each sets its flags in RCC_C1_RSR and
// RCC_C2_RSR (each CPU clears its own copy with RMVF): a system reset C1RSTF,
// C2RSTF, PINRSTF (the reset drives NRST) and its cause (IWDGxRSTF,
// WWDGxRSTF); a CPU reset CxRSTF and its cause; a domain leaving DStandby
// DxRSTF and its CPU's CxRSTF (bit positions: ST's HAL RCC_FLAG_* codes).
// A CPU's SYSRESETREQ (SCB AIRCR, NVIC_SystemReset: inputs SYSRESETREQ1/2)
// is a system reset with SFT1RSTF (CPU1) or SFT2RSTF (CPU2) besides C1RSTF,
// C2RSTF and PINRSTF (RM0399 "Reset source identification"); the machine
// routes each core's SYSRESETREQ to them (cores[].sysresetreq).
// The reset itself runs from the hub's loop right after the request
// (DeviceContext::boot: reset_core / reset_system).  A system reset keeps the
// reset flags and the backup domain (BDCR); the rest returns to reset values.
// System Stop (input SYS_STOP, from PWR): the PLLs and HSE stop and the system
// clock becomes HSI (or CSI with CFGR.STOPWUCK), as on leaving Stop.
// BDCR.BDRST pulses output "bdrst" (the backup domain reset: the RTC).
// Clocks for the low-power peripherals: "lsi" (32 kHz while LSION), "lse"
// (32.768 kHz while LSEON), "rtcclk" (BDCR.RTCSEL with RTCEN: LSE, LSI or
// HSE / CFGR.RTCPRE), "lptim1" (D2CCIP2R.LPTIM1SEL), "lptim2", "lptim345"
// (D3CCIPR.LPTIM2SEL / LPTIM345SEL): PCLK, PLL2 P, PLL3 R, LSE, LSI (per_ck: 0).
// "per_ck" (D1CCIPR.CKPERSEL: HSI, CSI, HSE), "adc" (D3CCIPR.ADCSEL: PLL2 P,
// PLL3 R, per_ck) and "rng" (D2CCIP2R.RNGSEL: HSI48, PLL1 Q, LSE, LSI); a
// source that is off gives 0 (the ADC and RNG models then fall back to the
// clock ST's examples select: HSI 64 MHz and HSI48).
// D3 autonomous mode (RCC_D3AMR, RM0399 "Peripheral clock gating control"):
// outputs "ck_off.bdma", "ck_off.lpuart1", "ck_off.lptim2".."ck_off.lptim5",
// "ck_off.bkpsram", "ck_off.sram4" are high while that D3 block's clocks are
// stopped: every CPU that allocated it (RCC_Cx_AHB4ENR / APB4ENR) in CStop
// and its AMEN bit clear, or D3 in DStop (SYS_STOP) without AMEN or without a
// kernel clock that runs in Stop (update_d3_clocks).  AMEN bits of blocks not
// modelled (SPI6, I2C4, COMP12, VREF, RTC, CRC, SAI4, ADC3) are stored.
// Not modelled yet (stored, reported once): other kernel clocks, clock security, interrupts (CIER/CIFR/CICR), resets triggered
// through the *RSTR registers, the low-power resets (LPWRxRSTF), the WWDG reset
// notification to the other CPU (EXTI lines 82/84).
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
    // Reset requests (numbered inputs, rising level) and the system Stop level.
    enum Input : unsigned {
        IWDG1 = 0, IWDG2 = 1, WWDG1 = 2, WWDG2 = 3, // iwdgx_out_rst, wwdgx_out_rst
        D1_STANDBY_EXIT = 4, D2_STANDBY_EXIT = 5,   // a domain leaves DStandby (PWR)
        STANDBY_EXIT = 6,                           // the system leaves Standby (PWR)
        SYS_STOP = 7,                               // level: the system is in Stop (PWR)
        SYSRESETREQ1 = 8, SYSRESETREQ2 = 9,         // a CPU's AIRCR.SYSRESETREQ (CPU1, CPU2)
    };
    // RCC_RSR / RCC_C1_RSR / RCC_C2_RSR flags (ST HAL RCC_FLAG_* bit numbers).
    enum RsrFlag : uint32_t {
        C1RSTF = 1u << 17, C2RSTF = 1u << 18, D1RSTF = 1u << 19, D2RSTF = 1u << 20,
        BORRSTF = 1u << 21, PINRSTF = 1u << 22, PORRSTF = 1u << 23, SFT1RSTF = 1u << 24,
        SFT2RSTF = 1u << 25, IWDG1RSTF = 1u << 26, IWDG2RSTF = 1u << 27, WWDG1RSTF = 1u << 28,
        WWDG2RSTF = 1u << 29, LPWR1RSTF = 1u << 30, LPWR2RSTF = 1u << 31,
    };
    void input(unsigned n, bool level) override;
    void timer_fired(unsigned tag) override;

private:
    struct ResetRequest {
        int kind;          // 0 system, 1 CPU1 (D1 core), 2 CPU2 (D2 core)
        uint32_t flags;    // RSR flags it sets
        std::string why;
    };
    void request_reset(int kind, uint32_t flags, const std::string &why);
    void enter_system_stop();
    void update_d3_clocks();
    // A D3 block whose clocks follow the autonomous mode.
    struct D3Gate {
        FieldRef amen;      // RCC_D3AMR.PERxAMEN
        FieldRef en[2];     // PERxEN in RCC_C1_/C2_ bank (invalid: allocated to both)
        FieldRef *ker = nullptr;   // kernel clock selection (nullptr: bus clock only)
        uint32_t stop_sources = 0; // selection values that run in Stop
        IrqLine *off = nullptr;    // "ck_off.<name>"
    };
    std::vector<D3Gate> d3_gates_;
    std::vector<ResetRequest> pending_resets_;
    bool sys_stop_ = false;
    IrqLine *bdrst_ = nullptr;
    FieldRef ww1rsc_, ww2rsc_, stopwuck_, rtcpre_, rtcsel_, rtcen_, bdrst_f_;
    FieldRef lptim1sel_, lptim2sel_, lptim345sel_;
    FieldRef hrtimsel_; // RCC_CFGR.HRTIMSEL
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
    FieldRef lpuart1sel_;                  // RCC_D3CCIPR
    FieldRef ckpersel_, rngsel_, adcsel_;  // per_ck, RNG and ADC kernel clocks
};

} // namespace ampvp
