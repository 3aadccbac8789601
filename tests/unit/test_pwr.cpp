// STM32H7 PWR domain low-power modes and the hold mechanism, one RM0399 rule
// per test (RM0399 Rev 4, "Power control (PWR)": "Low-power modes", "Hold
// mechanism", PWR_CPUCR / PWR_CPU2CR; rules paraphrased, the HAL's wording
// where RM0399 was read through it).  Core 0 = CM7 (CPU1, D1), core 1 = CM4
// (CPU2, D2).  The supply/voltage rules are in test_power.cpp.
#include "models/stm32h7_pwr.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

// Records the wake-up outputs (as the bridge receives them) and the IRQ lines.
struct Cores : IrqSink {
    bool wake[2] = {false, false};
    bool irq[2] = {false, false};
    void set_irq(CoreId c, unsigned, bool l) override { irq[c] = l; }
    void send_event(CoreId) override {}
    void set_wakeup(CoreId c, bool l) override { wake[c] = l; }
};

// Counts the pulses on each numbered input (the RCC's reset inputs) and keeps
// the last level.
struct Rcc : Device {
    int pulses[8] = {};
    bool level[8] = {};
    Rcc() : Device("RCC") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned n, bool l) override
    {
        pulses[n] += l && !level[n];
        level[n] = l;
    }
};

enum : uint32_t { CPUCR = 0x10, CPU2CR = 0x14 };
// RM0399 PWR_CPUCR / PWR_CPU2CR bits.
enum : uint32_t {
    PDDS_D1 = 1u << 0, PDDS_D2 = 1u << 1, PDDS_D3 = 1u << 2, HOLDF = 1u << 4, STOPF = 1u << 5,
    SBF = 1u << 6, SBF_D1 = 1u << 7, SBF_D2 = 1u << 8, CSSF = 1u << 9, HOLD = 1u << 10, RUN_D3 = 1u << 11,
};
constexpr CorePower DEEP = CorePower::DeepSleep, RUN = CorePower::Run;

struct Pwr : ::testing::Test {
    Stm32h7Pwr p{"PWR"};
    Cores cores;
    Rcc rcc;
    testutil::LogCapture cap;
    void SetUp() override
    {
        p.configure({{"cpu1", "cm7"}, {"cpu2", "cm4"}}, {"cm7", "cm4"});
        p.irq("c1.wakeup")->connect_wakeup(&cores, 0);
        p.irq("c2.wakeup")->connect_wakeup(&cores, 1);
        p.irq("c1.hold")->connect(&cores, 0, 148);
        p.irq("c2.hold")->connect(&cores, 1, 148);
        p.irq("d1_exit")->connect_input(&rcc, 4);
        p.irq("d2_exit")->connect_input(&rcc, 5);
        p.irq("sys_exit")->connect_input(&rcc, 6);
        p.irq("sys_stop")->connect_input(&rcc, 7);
    }
    uint32_t rd(uint32_t off) { return testutil::reg_read(p, off); }
    void wr(uint32_t off, uint32_t v) { testutil::reg_write(p, off, v); }
    void set(uint32_t off, uint32_t bits) { wr(off, rd(off) | bits); }
};

// RM0399 (HAL_PWREx_EnterSTANDBYMode): "The DStandby mode is entered when all
// PDDS_Dn bits in PWR_CPUCR for the Dn domain select Standby mode": CPU2 in
// CStop with PDDS_D2 set by both CPUs takes D2 to DStandby; SBF_D2 is set.
TEST_F(Pwr, D2EntersDStandbyWhenBothPddsD2SelectStandby)
{
    set(CPUCR, PDDS_D2);
    set(CPU2CR, PDDS_D2);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.domain(1), Stm32h7Pwr::Domain::DStandby);
    EXPECT_TRUE(rd(CPUCR) & SBF_D2);
    EXPECT_TRUE(rd(CPU2CR) & SBF_D2);
    EXPECT_FALSE(rd(CPU2CR) & STOPF) << "the CM7 runs: no system Stop";
}

// One CPU's PDDS_D2 alone selects Standby for nothing: D2 goes to DStop.
TEST_F(Pwr, OnePddsBitIsNotEnoughForDStandby)
{
    set(CPU2CR, PDDS_D2);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.domain(1), Stm32h7Pwr::Domain::DStop);
    EXPECT_FALSE(rd(CPU2CR) & SBF_D2);
}

// RM0399: a domain leaves DStandby by a reset: the wake-up of its CPU does not
// restart the CPU's clock, it resets the domain (the RCC's D2 reset input).
TEST_F(Pwr, WakeupOfADomainInDStandbyIsAReset)
{
    set(CPUCR, PDDS_D2);
    set(CPU2CR, PDDS_D2);
    p.core_power_changed(1, DEEP);
    p.input(Stm32h7Pwr::CPU2_WAKEUP, true);
    EXPECT_FALSE(cores.wake[1]);
    EXPECT_EQ(rcc.pulses[5], 1);
    p.core_power_changed(1, RUN); // the core boots again
    EXPECT_EQ(p.domain(1), Stm32h7Pwr::Domain::Run);
}

// In DStop the wake-up request goes through to the CPU.
TEST_F(Pwr, WakeupOfADomainInDStopRestartsItsCpu)
{
    p.core_power_changed(1, DEEP);
    p.input(Stm32h7Pwr::CPU2_WAKEUP, true);
    EXPECT_TRUE(cores.wake[1]);
    EXPECT_EQ(rcc.pulses[5], 0);
}

// D1 likewise (PWR_D2ON_D1OFF): the CM7 in CStop with PDDS_D1 set in both
// registers takes D1 to DStandby; SBF_D1 is set.
TEST_F(Pwr, D1EntersDStandby)
{
    set(CPUCR, PDDS_D1);
    set(CPU2CR, PDDS_D1);
    p.core_power_changed(0, DEEP);
    EXPECT_EQ(p.domain(0), Stm32h7Pwr::Domain::DStandby);
    EXPECT_TRUE(rd(CPU2CR) & SBF_D1);
    p.input(Stm32h7Pwr::CPU1_WAKEUP, true);
    EXPECT_EQ(rcc.pulses[4], 1);
}

// RM0399 (HAL_PWREx_EnterSTOPMode): the system (D3) enters Stop when both CPUs
// are in CStop and a PDDS_D3 selects Stop: STOPF is set and the RCC is told
// (its clocks leave Stop on HSI).
TEST_F(Pwr, BothCpusInCStopIsSystemStop)
{
    p.core_power_changed(0, DEEP);
    EXPECT_FALSE(rcc.level[7]);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Stop);
    EXPECT_TRUE(rd(CPUCR) & STOPF);
    EXPECT_TRUE(rcc.level[7]);
    p.input(Stm32h7Pwr::CPU1_WAKEUP, true);
    p.core_power_changed(0, RUN);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Run);
    EXPECT_FALSE(rcc.level[7]);
    EXPECT_TRUE(rd(CPUCR) & STOPF) << "the flag stays until CSSF";
}

// RM0399 PWR_CPUCR.RUN_D3: D3 stays in Run whatever the CPUs do: no system
// Stop, no STOPF.
TEST_F(Pwr, RunD3KeepsTheSystemRunning)
{
    set(CPUCR, RUN_D3);
    p.core_power_changed(0, DEEP);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Run);
    EXPECT_FALSE(rd(CPUCR) & STOPF);
    EXPECT_FALSE(rcc.level[7]);
}

// RM0399 PWR_CPU2CR.RUN_D3: CPU2 may keep D3 running too (ST's
// PWR_Domain3SystemControl sets it from either core, HAL_PWREx_ConfigD3Domain
// with PWR_D3_DOMAIN_RUN): both CPUs in CStop, D1 and D2 in DStop, the system
// stays in Run; clearing it lets the next CStop of both take the system to Stop.
TEST_F(Pwr, RunD3FromCpu2KeepsTheSystemRunning)
{
    set(CPU2CR, RUN_D3);
    p.core_power_changed(0, DEEP);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.domain(0), Stm32h7Pwr::Domain::DStop);
    EXPECT_EQ(p.domain(1), Stm32h7Pwr::Domain::DStop);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Run);
    EXPECT_FALSE(rd(CPU2CR) & STOPF);
    EXPECT_FALSE(rcc.level[7]) << "the clocks stay as they are";
    p.core_power_changed(0, RUN);
    p.core_power_changed(1, RUN);
    wr(CPU2CR, 0);
    p.core_power_changed(0, DEEP);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Stop);
}

// RM0399 PWR "Low-power modes", D3 domain: D3 enters DStop only when no EXTI
// D3 wake-up request is pending (exti_d3_wkup, the EXTI's D3PMR requests):
// with one pending, both CPUs in CStop leave D3, hence the system, in Run.
TEST_F(Pwr, PendingD3WakeupKeepsTheSystemOutOfStop)
{
    p.input(Stm32h7Pwr::D3_WAKEUP, true);
    p.core_power_changed(0, DEEP);
    p.core_power_changed(1, DEEP);
    EXPECT_EQ(p.domain(0), Stm32h7Pwr::Domain::DStop);
    EXPECT_EQ(p.domain(1), Stm32h7Pwr::Domain::DStop);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Run);
    EXPECT_FALSE(rd(CPUCR) & STOPF);
    EXPECT_FALSE(rcc.level[7]);
    p.input(Stm32h7Pwr::D3_WAKEUP, false);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Stop) << "nothing pending: D3 stops";
    EXPECT_TRUE(rd(CPUCR) & STOPF);
    EXPECT_TRUE(rcc.level[7]);
}

// RM0399 "Low-power D3 domain application example" (ST's
// PWR_Domain3SystemControl): in system Stop an EXTI D3 wake-up takes D3 out of
// DStop by itself: the system clocks run (the RCC is told Stop is over), D1
// and D2 stay in DStop and neither CPU is woken; when the request is cleared
// the system goes back to Stop, each time through the Stop entry (STOPF).
TEST_F(Pwr, D3WakeupRunsD3AloneAndItStopsAgain)
{
    p.core_power_changed(0, DEEP);
    p.core_power_changed(1, DEEP);
    ASSERT_EQ(p.system(), Stm32h7Pwr::System::Stop);
    for (int round = 1; round <= 2; round++) {
        p.input(Stm32h7Pwr::D3_WAKEUP, true);
        EXPECT_EQ(p.system(), Stm32h7Pwr::System::Run);
        EXPECT_FALSE(rcc.level[7]) << "D3 runs";
        EXPECT_EQ(p.domain(0), Stm32h7Pwr::Domain::DStop);
        EXPECT_EQ(p.domain(1), Stm32h7Pwr::Domain::DStop);
        EXPECT_FALSE(cores.wake[0] || cores.wake[1]) << "the CPUs stay stopped";
        p.input(Stm32h7Pwr::D3_WAKEUP, false);
        EXPECT_EQ(p.system(), Stm32h7Pwr::System::Stop);
        EXPECT_TRUE(rcc.level[7]);
        EXPECT_EQ(rcc.pulses[7], round + 1) << "one Stop entry per D3 run";
    }
    // A CPU woken while D3 runs (the BDMA's interrupt on the EXTI) finds the
    // system running; the request falling then leaves it running.
    p.input(Stm32h7Pwr::D3_WAKEUP, true);
    p.input(Stm32h7Pwr::CPU1_WAKEUP, true);
    EXPECT_TRUE(cores.wake[0]);
    p.core_power_changed(0, RUN);
    p.input(Stm32h7Pwr::D3_WAKEUP, false);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Run);
    EXPECT_FALSE(rcc.level[7]);
}

// RM0399: "The system D3 domain enters Standby mode only when the D1 and D2
// domain are in DStandby" and its PDDS_D3 bits select Standby: SBF is set;
// the EXTI is off, only a Standby wake-up source (RTC) gets it out, by a
// system reset.
TEST_F(Pwr, SystemStandbyAndItsExit)
{
    set(CPUCR, PDDS_D1 | PDDS_D2 | PDDS_D3);
    set(CPU2CR, PDDS_D1 | PDDS_D2 | PDDS_D3);
    p.core_power_changed(1, DEEP);
    p.core_power_changed(0, DEEP);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Standby);
    EXPECT_TRUE(rd(CPUCR) & SBF);
    EXPECT_FALSE(rd(CPUCR) & STOPF);
    p.input(Stm32h7Pwr::CPU1_WAKEUP, true);
    EXPECT_FALSE(cores.wake[0]);
    EXPECT_EQ(rcc.pulses[4] + rcc.pulses[6], 0) << "EXTI wake-ups do nothing in Standby";
    p.input(Stm32h7Pwr::STANDBY_WAKEUP, true);
    EXPECT_EQ(rcc.pulses[6], 1);
}

// D1 and D2 in DStandby but a PDDS_D3 selecting Stop: the system stops.
TEST_F(Pwr, DomainsInDStandbyWithD3StopIsSystemStop)
{
    set(CPUCR, PDDS_D1 | PDDS_D2);
    set(CPU2CR, PDDS_D1 | PDDS_D2 | PDDS_D3);
    p.core_power_changed(1, DEEP);
    p.core_power_changed(0, DEEP);
    EXPECT_EQ(p.system(), Stm32h7Pwr::System::Stop);
    EXPECT_TRUE(rd(CPUCR) & STOPF);
}

// RM0399 hold mechanism (PWR_CPUCR.HOLD2; HOLD2F "CPU1 has been woken up from
// a CPU2 wakeup source with CPU2 on hold ... also generates a CPU1
// interrupt"): CPU2 stays stopped, CPU1 wakes instead; clearing HOLD2
// releases CPU2.
TEST_F(Pwr, Hold2KeepsCpu2StoppedAndWakesCpu1)
{
    set(CPUCR, HOLD);
    p.core_power_changed(1, DEEP);
    p.core_power_changed(0, DEEP);
    p.input(Stm32h7Pwr::CPU2_WAKEUP, true);
    EXPECT_FALSE(cores.wake[1]);
    EXPECT_TRUE(cores.wake[0]);
    EXPECT_TRUE(rd(CPUCR) & HOLDF);
    EXPECT_TRUE(cores.irq[0]) << "HOLD2F interrupts CPU1 (HOLD_CORE_IRQn)";
    p.core_power_changed(0, RUN);
    EXPECT_FALSE(cores.wake[1]);
    wr(CPUCR, rd(CPUCR) & ~HOLD); // HAL_PWREx_ReleaseCore(PWR_CORE_CPU2)
    EXPECT_TRUE(cores.wake[1]);
    wr(CPUCR, CSSF);
    EXPECT_FALSE(rd(CPUCR) & HOLDF);
    EXPECT_FALSE(cores.irq[0]);
}

// The same the other way round: PWR_CPU2CR.HOLD1 holds CPU1 (HOLD1F in
// PWR_CPU2CR interrupts CPU2).
TEST_F(Pwr, Hold1KeepsCpu1Stopped)
{
    set(CPU2CR, HOLD);
    p.core_power_changed(0, DEEP);
    p.core_power_changed(1, DEEP);
    p.input(Stm32h7Pwr::CPU1_WAKEUP, true);
    EXPECT_FALSE(cores.wake[0]);
    EXPECT_TRUE(cores.wake[1]);
    EXPECT_TRUE(rd(CPU2CR) & HOLDF);
    wr(CPU2CR, rd(CPU2CR) & ~HOLD);
    EXPECT_TRUE(cores.wake[0]);
}

// A CPU's own wake-up source wakes it as usual while the other is on hold.
TEST_F(Pwr, TheMasterWakesOnItsOwnSource)
{
    set(CPUCR, HOLD);
    p.core_power_changed(1, DEEP);
    p.core_power_changed(0, DEEP);
    p.input(Stm32h7Pwr::CPU1_WAKEUP, true);
    EXPECT_TRUE(cores.wake[0]);
    EXPECT_FALSE(cores.wake[1]);
    EXPECT_FALSE(rd(CPUCR) & HOLDF);
}

// RM0399: STOPF, SBF, SBF_D1, SBF_D2 are cleared only by a power-on reset or
// CSSF: a system reset keeps them; HOLD bits and flags, PDDS and RUN_D3 return
// to 0.
TEST_F(Pwr, SystemResetKeepsTheStandbyAndStopFlags)
{
    set(CPUCR, PDDS_D1 | HOLD | RUN_D3);
    set(CPU2CR, PDDS_D1);
    p.core_power_changed(0, DEEP);
    set(CPUCR, 0);
    p.reset();
    EXPECT_EQ(rd(CPUCR), SBF_D1);
    EXPECT_EQ(rd(CPU2CR), SBF_D1);
}

// RM0399 PWR_CPUCR field layout: HOLD2F bit 4 (read-only), HOLD2 bit 10,
// RUN_D3 bit 11; CSSF reads 0.
TEST_F(Pwr, HoldFieldsWhereTheRmPutsThem)
{
    const Register &r = p.bank()["CPUCR"];
    ASSERT_NE(r.find("HOLD2F"), nullptr);
    EXPECT_EQ(r.find("HOLD2F")->lsb, 4u);
    EXPECT_EQ(r.find("HOLD2F")->acc, Acc::RO);
    EXPECT_EQ(r.find("HOLD2")->lsb, 10u);
    EXPECT_EQ(r.find("RUN_D3")->lsb, 11u);
    EXPECT_EQ(p.bank()["CPU2CR"].find("HOLD1")->lsb, 10u);
    wr(CPUCR, HOLDF | CSSF);
    EXPECT_EQ(rd(CPUCR), 0u);
}

} // namespace
