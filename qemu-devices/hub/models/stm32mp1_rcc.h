// STM32MP15 reset and clock control RCC (RM0436, chapter "Reset and clock
// control (RCC)", RCC registers), as the Cortex-M4's firmware uses it: ST's
// STM32CubeMP1 HAL (stm32mp1xx_hal_rcc.c / _rcc_ex.c, HAL_Init,
// SystemCoreClockUpdate, the applications' SystemClock_Config) and, for the
// hold-boot bit, Linux's remoteproc driver (stm32_rproc.c).  The machine's
// "clocks" role.
//
// Modelled:
//  - Oscillators: HSI (64 MHz / HSICFGR.HSIDIV), HSE (the board's crystal,
//    params "hse_hz"; 24 MHz on an STM32MP157C-DK2), CSI (4 MHz) through the
//    OCENSETR/OCENCLRR pair, their ready flags in OCRDYR (HSIRDY, HSIDIVRDY,
//    CSIRDY, HSERDY) following the enables at once (an HSE with no board
//    crystal never becomes ready); LSE (32.768 kHz, BDCR.LSEON -> LSERDY)
//    and LSI (32 kHz, RDLSICR.LSION -> LSIRDY).  OCRDYR.MPUCKRDY/AXICKRDY
//    read 1 (the MPU and AXI clocks run).  HSICFGR.HSITRIM (user trimming)
//    is added to the engineering calibration (0) in HSICAL; the emulated HSI
//    is exact, so trimming does not change its frequency.
//  - PLL1-PLL4: PLLxCR PLLON -> PLLxRDY once the reference clock runs;
//    output y = ref / (DIVMx + 1) * (DIVNx + 1 + FRACV / 8192 when FRACLE) /
//    (DIVy + 1), 0 while the PLL is not ready or DIVyEN is clear; references
//    from RCK12SELR (HSI, HSE), RCK3SELR and RCK4SELR (HSI, HSE, CSI).
//    PLL3/PLL4 IFRGE: enabling the PLL with its reference (after DIVM)
//    outside the selected range (4-8 / 8-16 MHz) is a guest error.
//  - MCU clock tree: MSSCKSELR.MCUSSRC (HSI, HSE, CSI, PLL3 P) with
//    MCUSSRCRDY reading 1 while the selected source runs; MCUDIVR (/1 ..
//    /512) gives MLHCLK, the M4's clock; APB1-3DIVR (/1 .. /16) the PCLKs;
//    TIMG1PRER/TIMG2PRER the timer kernel clocks; the ADC kernel clock
//    (ADCCKSELR: PLL4 R, per_ck from CPERCKSELR, PLL3 Q); the UART kernel clock
//    selections UART1CKSELR, UART24CKSELR, UART35CKSELR, UART6CKSELR,
//    UART78CKSELR.  AXI side for USART1: ASSCKSELR (HSI, HSE, PLL2 P),
//    AXIDIVR, APB4DIVR, APB5DIVR; MPCKSELR.MPUSRC (HSI, HSE, PLL1 P,
//    MPUDIV) with MPUSRCRDY reading 1 while the source runs (the MPU's own
//    clock is not used: the Cortex-A7 is the host).  RTC clock: BDCR.RTCSRC
//    (LSE, LSI, HSE / (RTCDIVR.RTCDIV + 1)) gated by RTCCKEN.  Every other
//    ready flag the HAL polls after a write (xxxDIVRDY, PLLxSRCRDY,
//    TIMGxPRERDY, MPUSRCRDY, AXISSRCRDY) reads 1: the change completes at once.
//  - The M4's clock (MLHCLK) is sent to the core named by params "mcu_core"
//    (DeviceContext::clocks) at configure, at reset and whenever it changes,
//    so its SysTick follows; a selection whose source does not run keeps the
//    old clock and is reported as a guest error.
//  - Peripheral clock enables: every MP_/MC_ xxxENSETR/xxxENCLRR and
//    xxxLPENSETR/xxxLPENCLRR pair (write 1 to set / to clear, both read the
//    state), and the peripheral reset pairs xxxRSTSETR/xxxRSTCLRR, stored as
//    one value each (the reference lists them as EN / LPEN / RST [31:0]).
//  - Reset flags: MC_RSTSCLRR, BR_RSTSCLRR (power-on value PORRSTF | PADRSTF |
//    VCORERSTF), MP_RSTSCLRR (with MP_RSTSSETR setting its flags), write 1 to
//    clear.
//  - Boot of the M4 (RM0436 "MCU HOLD_BOOT"): unless the BOOT pins (the
//    machine's option byte "boot_pins", see stm32mp1_syscfg.h) select the
//    engineering boot (0b100), the M4 stays in HOLD_BOOT after the power-on
//    reset (boot_gated); writing MP_GCR.BOOT_MCU = 1 while it is held releases
//    it (DeviceContext::boot, "RCC MP_GCR.BOOT_MCU").  BOOT_MCU is an
//    ordinary read/write bit: Linux writes 1 then 0 at once, so that the next
//    MCU reset holds the M4 again.  The M4 starts from RETRAM, 0x00000000
//    (boot_address).
//  - Peripheral resets: xxxRSTSETR / xxxRSTCLRR (write 1 to set / clear,
//    both read the bits) for APB1-5, AHB2-6, TZAHB6; each bit held at 1 holds
//    its peripheral in reset: output "rst.<bus>.<bit>" (e.g. "rst.APB1.15",
//    USART3RST) follows the bit, and the machine wires it to the peripheral's
//    "reset" input (reset on the rise).  A bit whose peripheral has no model
//    drives an unconnected line.
//  - MCU reset (RM0436 "Reset": mcu_rst): a pulse on input 0 (WWDG1's
//    time-out) or MP_GRSTCSETR.MCURST sets MC_RSTSCLRR.WWDG1RSTF / MCURSTF
//    and resets the Cortex-M4 (DeviceContext::boot reset_core) and what is
//    reset with it (output "mcu_rst", a pulse: WWDG1); the RCC itself is not
//    reset, so the clocks stay as the firmware set them (ST's WWDG_Example
//    skips SystemClock_Config after a WWDG1 reset for that reason).
//  - Every other register of ST's CMSIS RCC map (stm32mp157cxx_cm4.h
//    RCC_TypeDef) is declared by name with its reset value, stored.
// Reset values: ST's STM32MP15 SVD description of RM0436, except OCRDYR
// (the SVD lists 0; the model reports the HSI and the MPU/AXI clocks ready,
// as they are right after reset).
// Reset (RegisterDevice::reset / Bus::reset): registers back to their reset
// values (HSI 64 MHz), the M4 is told its clock again; the board's HSE and
// the boot pins are configuration and stay.
//
// ClockSource names (clock_id / hz):
//   "mcu"      MLHCLK = the M4's clock (also "hclk")
//   "mcuss"    the MCU sub-system clock before MCUDIV
//   "pclk1" "pclk2" "pclk3"      APB1-3 (MLHCLK / APBxDIV)
//   "timg1" "timg2"  timer kernel clocks of APB1 (TIM2-7, 12-14) and APB2
//              (TIM1, 8, 15-17): RM0436 TIMGxPRER, see hz()
//   "aclk" "pclk4" "pclk5"       AXI matrix clock and APB4/APB5
//   "uart24" "uart35" "uart6" "uart78" "uart1"   UART/USART kernel clocks
//              (UARTxCKSELR selection)
//   "hse" "hsi" "csi" "lse" "lsi"  oscillators (0 while off; "hsi" after HSIDIV)
//   "pll1_p" "pll1_q" "pll1_r" ... "pll4_r"
//   "rtcclk"   the RTC kernel clock (BDCR.RTCSRC, RTCCKEN)
//   "per_ck"   the peripheral clock (CPERCKSELR: HSI, CSI, HSE)
//   "adc"      the ADC1/ADC2 kernel clock (ADCCKSELR: PLL4 R, per_ck, PLL3 Q)
//
// Not modelled (stored, reported once when set where they are fields):
// HOLD_BOOT after an MCU reset with BOOT_MCU = 0 (the hub restarts a reset
// core at once: the M4 boots again, as in engineering boot), the system reset
// MPSYSRST, the MPU processor resets; a peripheral held in reset still
// takes register writes (it is reset when its bit is set, HAL releases it at
// once); clock security (HSECSS, LSECSS), the RCC
// interrupts (MP_/MC_CIER, CIFR read 0), the wake-up from CStop; the
// TrustZone protection (TZCR) and the MPU-only registers' access rule; the
// backup-domain write protection of BDCR (PWR_CR1.DBP lives in another
// model); MPCKDIVR.MPUDIV; kernel clocks other than the UARTs', the RTC's and
// the ADCs'; spread spectrum
// (PLLxCSGR); MCO outputs; the clock restore sequence; MP_BOOTCR (hold boot
// on leaving Standby).
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32mp1Rcc : public RegisterDevice, public ClockSource {
public:
    explicit Stm32mp1Rcc(const std::string &name);
    // params "mcu_core" (required: the Cortex-M4's core name), "hse_hz" (the
    // board's HSE, 0 or absent: none); option byte "boot_pins".
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;
    // Input 0: WWDG1's reset output (a pulse): an MCU reset with WWDG1RSTF.
    static constexpr unsigned kInputWwdg1 = 0;
    void input(unsigned n, bool level) override;
    void timer_fired(unsigned tag) override;

    // RM0436: the M4 waits in HOLD_BOOT unless the BOOT pins select the
    // engineering boot.
    std::optional<bool> boot_gated(CoreId core) const override;
    // The M4 boots from RETRAM at 0x00000000.
    std::optional<uint32_t> boot_address(CoreId core) const override;

    ClockId clock_id(const std::string &name) const override;
    uint64_t hz(ClockId id) const override;

    // Output 'p', 'q' or 'r' of PLL 1..4 (0 when not running).
    uint64_t pll_hz(unsigned pll, char out) const;

private:
    struct Pll {
        FieldRef on, rdy, div_en[3];   // PLLxCR PLLON, PLLxRDY, DIVPEN/DIVQEN/DIVREN
        FieldRef divn, divm;           // PLLxCFGR1
        FieldRef div[3];               // PLLxCFGR2 DIVP, DIVQ, DIVR
        FieldRef fracv, fracle;        // PLLxFRACR
        FieldRef src;                  // RCKxSELR PLLxSRC (PLL1 and PLL2 share RCK12SELR)
        FieldRef ifrge;                // PLLxCFGR1 IFRGE (PLL3, PLL4)
    };
    void declare_pll(unsigned n, uint32_t cr_off, uint32_t cfgr1_reset, uint32_t cfgr2_reset);
    uint64_t hsi_hz() const;
    uint64_t hse_hz() const;
    uint64_t csi_hz() const;
    uint64_t lse_hz() const;
    uint64_t lsi_hz() const;
    uint64_t rtc_hz() const;
    uint64_t per_hz() const;
    uint64_t adc_hz() const;
    uint64_t mpu_source_hz(uint32_t sel) const;
    void check_pll_input(unsigned n, const BusAccess &a);
    // RCC_MC_RSTSCLRR flags of an MCU reset.
    static constexpr uint32_t kMcuRstf = 1u << 5, kWwdg1Rstf = 1u << 10;
    static constexpr unsigned kTagMcuReset = 1;
    void request_mcu_reset(uint32_t flag, const std::string &why);
    void update_reset_lines();
    struct ResetLine {
        Register *reg;
        unsigned bit;
        IrqLine *line;
    };
    std::vector<ResetLine> reset_lines_; // xxxRSTSETR bit -> output "rst.<bus>.<bit>"
    uint64_t pll_ref_hz(unsigned pll) const;
    uint64_t mcuss_hz() const;
    uint64_t mcu_hz() const;
    uint64_t pclk_hz(unsigned apb) const; // 1..5
    uint64_t aclk_hz() const;
    uint64_t timg_hz(unsigned group) const; // 1, 2
    uint64_t uart_hz(unsigned sel_index) const;
    uint32_t ocrdyr_view(uint32_t stored) const;
    void clocks_changed(const BusAccess *a);

    // Configuration (survives reset()).
    uint64_t hse_board_hz_ = 0;
    uint32_t boot_pins_ = 0b101;
    CoreId mcu_core_ = -1;
    // State beyond the registers.
    bool mcu_held_ = true;      // the M4 waits in HOLD_BOOT for BOOT_MCU
    uint64_t told_ = 0;         // last clock sent to the M4
    uint32_t mcuss_active_ = 0; // the MCUSSRC the MCU runs from (the switch waits for the source)
    bool stuck_reported_ = false; // a selected source that does not run was reported

    // Field handles, declared once in the constructor's RM table.
    FieldRef hsion_, csion_, hseon_;                  // OCENSETR
    FieldRef hsirdy_, hsidivrdy_, csirdy_, hserdy_;   // OCRDYR
    FieldRef mpuckrdy_, axickrdy_;                    // OCRDYR
    FieldRef hsidiv_, hsitrim_, hsical_;              // HSICFGR
    FieldRef mpusrc_, mpusrcrdy_;                     // MPCKSELR
    FieldRef rtcdiv_, rtcsrc_, rtccken_;              // RTCDIVR, BDCR
    FieldRef ckpersrc_, adcsrc_;                      // CPERCKSELR, ADCCKSELR
    FieldRef lseon_, lserdy_, lsion_, lsirdy_;        // BDCR, RDLSICR
    std::array<Pll, 4> pll_;
    FieldRef mcussrc_, mcussrcrdy_;                   // MSSCKSELR
    FieldRef axissrc_;                                // ASSCKSELR
    FieldRef mcudiv_, axidiv_;                        // MCUDIVR, AXIDIVR
    std::array<FieldRef, 5> apbdiv_;                  // APB1DIVR .. APB5DIVR
    std::array<FieldRef, 2> timgpre_;                 // TIMG1PRER, TIMG2PRER
    std::array<FieldRef, 5> uartsrc_;                 // UART24, UART35, UART6, UART78, UART1 CKSELR
    FieldRef boot_mcu_;                               // MP_GCR
    FieldRef mcurst_;                                 // MP_GRSTCSETR
    Register *mc_rsts_ = nullptr;                     // MC_RSTSCLRR
    IrqLine *mcu_rst_ = nullptr;                      // output "mcu_rst"
    std::string pending_mcu_reset_;                   // why, until the hub's loop does it
};

} // namespace ampvp
