// STM32MP15 extended interrupt and event controller EXTI (RM0436, chapter
// "Extended interrupt and event controller (EXTI)").  Register map, reset
// values and line list from ST's CMSIS header stm32mp157cxx_cm4.h
// (EXTI_TypeDef / EXTI_Core_TypeDef), ST's STM32MP15 SVD and ST's HAL
// (stm32mp1xx_hal_exti.h line table); where they disagree, see below.
//
// Differences from the H7 EXTI (stm32h7_exti, RM0399), which this model
// otherwise follows so both behave alike where the RMs agree:
//  - Pending registers are shared by both CPUs and split by edge: RPRx
//    (rising) and FPRx (falling), write 1 to clear.  An enabled edge of a
//    configurable line (RTSRx / FTSRx), or a write of 1 to its SWIERx bit (a
//    rising edge: it sets RPRx; SWIER reads 0, every write of 1 triggers
//    again), sets the pending bit whatever the masks; CPU n's interrupt for
//    the line is (RPRx | FPRx) & CnIMRx.
//  - The GPIO multiplexer is in EXTI: EXTI_EXTICR1..4 select, for EXTI line
//    0-15, the port (0 = A .. 10 = K, 11 = Z) whose pin of that number drives
//    the line; changing EXTICR re-routes at once (the new pin's level is the
//    line's level, which may be an edge).
//  - One interrupt output per line 0-15 ("cN.exti0".."cN.exti15"; the M4's
//    NVIC has EXTI0..EXTI15 = 6, 7, 8, 9, 10, 23, 64, 65, 66, 67, 40, 42, 76,
//    77, 121, 127), and the configurable internal lines have one each
//    ("cN.line<L>"): 16 PVD/AVD for both CPUs; for CPU1 65 (CPU2 SEV), 68
//    (WWDG1 reset), 73 (CPU2 SYSRESETREQ); for CPU2 66 (CPU1 SEV, M4 NVIC
//    144 MPU_SEV).  Direct lines have no EXTI interrupt output on the MP15
//    (ST wiki "EXTI internal peripheral": only the 16 GPIO lines and those 5
//    internal events interrupt through EXTI); their peripherals' own
//    interrupts go straight to the interrupt controllers.
// Lines (76, HAL EXTI_LINE_NB): configurable 0-16, 65, 66, 68, 73 (RTSR /
// FTSR / SWIER / RPR / FPR bits exist for these only); every other line is
// direct and follows its input.  A rising edge of a direct line with CnEMR
// set (lines 17-19 have EM bits) is an event pulse to CPU n.  Event mask bits
// exist for lines 0-15, 17-19 and 66 (HAL EXTI_EVENT, SVD EMx fields).
// Lines that reach one CPU only (HAL line names; they are the CPU-specific
// halves of a pair): 61 IPCC interrupt CPU1, 63 HSEM_IT1, 65 CPU2 SEV,
// 68 WWDG1 reset, 73 CPU2 SYSRESETREQ -> CPU1; 62 IPCC interrupt CPU2,
// 64 HSEM_IT2, 66 CPU1 SEV -> CPU2.  Other wake-up sources: 21-25 I2C1-5,
// 26-29 USART1/2/3/6, 30-31 UART4/5, 32-33 UART7/8, 36-41 SPI1-6, 47/48/50/
// 52/53 LPTIM1-5, 54 I2C6, 55-60 WKUP1-6 pins, 17-19 RTC/TAMP.
// CPU wake-up ("cN.wakeup", a level, as on the H7): high while a
// configurable line is pending and unmasked for CPU n, or a direct line's
// input is high with its CnIMR bit set; it pulses with every event sent to
// CPU n.  Events ("cN.event") pulse the CPU's RXEV.
// Reset values (SVD; the same for CPU1 and CPU2): CnIMR1 0xFFFE0000,
// CnIMR2 0xFFFFFFFF, CnIMR3 0x00000DE9 (every direct line unmasked, every
// configurable line masked), CnEMRx 0; HWCFGR1 0x000B214B, VERR 0x00000030,
// IPIDR 0x000E0001, SIDR 0xA3C5DD01, HWCFGR2 0x0001FFFF, HWCFGR5 0x000EFFFF,
// HWCFGR11-13 0x050EFFFF.  HWCFGR3/4 (event trigger type of lines 32-63 /
// 64-95, 1 = configurable, as Linux's irq-stm32mp-exti.c reads them) and
// HWCFGR6/7 (CPU event of those lines) are given by the line list above
// (0, 0x216, 0, 0x4): the SVD repeats bank 1's value in all three registers
// of each group, which contradicts its own RTSR3/EMR3 fields.
// Security: every access is treated as non-secure (the Cortex-M4 is a
// non-secure master and no secure context is modelled): EXTI_TZENRx read 0
// and a write to them is a bus error, as RM0436 specifies for a non-secure
// write.  Params "cpu1" / "cpu2" name the cores (CPU1 = Cortex-A7, CPU2 =
// Cortex-M4), for traces.
// Inputs: n < 96 is EXTI event input line n (lines 0-15 after the
// multiplexer); n = 96 + 16 * port + pin is GPIO pin `pin` of port `port`
// (A = 0 .. K = 10, Z = 11), which drives line `pin` when EXTICR selects it.
// Not modelled: the TrustZone protection of lines with TZEN set (no secure
// master can set it); EXTI_LOCKR does not exist on the MP15 (it is an
// MP13/MP2 register: CMSIS reserves 0x70-0x7C); clock/reset of the block.
// Register access goes through handles kept at declaration (FieldRef
// members): no access path looks a register or field up by name.
#pragma once

#include "../regs.h"

#include <array>

namespace ampvp {

class Stm32mp1Exti : public RegisterDevice {
public:
    static constexpr unsigned LINES = 76;     // event input lines 0..75
    static constexpr unsigned GPIO_INPUT = 96; // first GPIO pin input
    static constexpr unsigned PORTS = 12;      // A..K, Z

    explicit Stm32mp1Exti(const std::string &name);
    void input(unsigned n, bool level) override;
    void reset() override;
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    static bool configurable(unsigned line);

protected:
    void update_irq() override;

private:
    void set_line(unsigned line, bool level);
    void trigger(unsigned line, bool rising, const char *why);
    void direct_edge(unsigned line);
    void route_gpio(unsigned line);

    // RTSRx.RT / FTSRx.FT / SWIERx.SWI / RPRx.RPIF / FPRx.FPIF of register
    // x = k+1, and CnIMRx.IM / CnEMRx.EM, [cpu][k]: RM0436 gives each bit per
    // line; these handles cover all of a register's lines, bit (L mod 32)
    // for line L.
    FieldRef rt_[3], ft_[3], swi_[3], rpr_[3], fpr_[3];
    FieldRef imr_[2][3], emr_[2][3];
    FieldRef sel_[16]; // EXTICRm.EXTIl: the port of line l

    std::array<bool, LINES> level_{};        // line input levels (after the multiplexer)
    std::array<uint16_t, PORTS> gpio_{};     // GPIO pin levels, by port
    uint32_t direct_high_[3] = {0, 0, 0};    // direct lines whose input is high
    IrqLine *event_[2];
    IrqLine *wakeup_[2];
    bool wake_pulse_[2] = {false, false};    // an event went to the CPU: pulse its wake-up
    IrqLine *exti_[2][16];
    std::vector<std::pair<unsigned, IrqLine *>> line_irq_[2]; // configurable internal lines
    std::string cpu_name_[2] = {"cpu1", "cpu2"};
};

} // namespace ampvp
