// STM32MP15 EXTI, one RM0436 rule per test (RM0436, "Extended interrupt and
// event controller (EXTI)"; rules paraphrased; line numbers as ST's HAL
// stm32mp1xx_hal_exti.h names them).  CPU1 (the Cortex-A7) = core 0, CPU2
// (the Cortex-M4) = core 1.
#include "models/stm32mp1_exti.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <map>

using namespace ampvp;

namespace {

struct Sink : IrqSink {
    std::map<std::pair<CoreId, unsigned>, bool> level; // last level per (core, NVIC line)
    std::vector<CoreId> events;
    std::vector<std::pair<CoreId, bool>> wake;
    void set_irq(CoreId c, unsigned l, bool v) override { level[{c, l}] = v; }
    void send_event(CoreId c) override { events.push_back(c); }
    void set_wakeup(CoreId c, bool v) override { wake.emplace_back(c, v); }
    bool at(CoreId c, unsigned l) const
    {
        auto it = level.find({c, l});
        return it != level.end() && it->second;
    }
    bool woken(CoreId c) const // the last wake-up level of core c
    {
        for (auto it = wake.rbegin(); it != wake.rend(); ++it) {
            if (it->first == c) {
                return it->second;
            }
        }
        return false;
    }
};

enum : uint32_t { RTSR1 = 0x00, FTSR1 = 0x04, SWIER1 = 0x08, RPR1 = 0x0C, FPR1 = 0x10, TZENR1 = 0x14,
                  RTSR2 = 0x20, RTSR3 = 0x40, SWIER3 = 0x48, RPR3 = 0x4C, EXTICR1 = 0x60, EXTICR4 = 0x6C,
                  C1IMR1 = 0x80, C1EMR1 = 0x84, C1IMR2 = 0x90, C1EMR2 = 0x94, C1IMR3 = 0xA0, C1EMR3 = 0xA4,
                  C2IMR1 = 0xC0, C2EMR1 = 0xC4, C2IMR2 = 0xD0, C2EMR2 = 0xD4, C2IMR3 = 0xE0, C2EMR3 = 0xE4,
                  HWCFGR4 = 0x3E4, HWCFGR2 = 0x3EC, HWCFGR1 = 0x3F0, VERR = 0x3F4, IPIDR = 0x3F8, SIDR = 0x3FC };
enum : CoreId { CPU1 = 0, CPU2 = 1 };
enum : unsigned { PA = 0, PC = 2, PK = 10, PZ = 11 };
constexpr unsigned gpio(unsigned port, unsigned pin) { return 96 + 16 * port + pin; }
constexpr uint32_t bit(unsigned line) { return 1u << (line % 32); }
// The M4's NVIC numbers (stm32mp157cxx_cm4.h): EXTI0 6, EXTI13 77, PVD_AVD 1, MPU_SEV 144.
enum : unsigned { NVIC_EXTI0 = 6, NVIC_EXTI13 = 77, NVIC_PVD = 1, NVIC_MPU_SEV = 144, GIC_MCU_SEV = 144 };

struct Mp1ExtiTest : ::testing::Test {
    Stm32mp1Exti e{"EXTI"};
    Sink sink;
    testutil::LogCapture cap;
    void SetUp() override
    {
        e.configure({{"cpu1", "ca7"}, {"cpu2", "cm4"}}, {"ca7", "cm4"});
        for (CoreId c : {CPU1, CPU2}) {
            const std::string p = c == CPU1 ? "c1." : "c2.";
            e.irq(p + "event")->connect_event(&sink, c);
            e.irq(p + "wakeup")->connect_wakeup(&sink, c);
            e.irq(p + "exti0")->connect(&sink, c, NVIC_EXTI0);
            e.irq(p + "exti13")->connect(&sink, c, NVIC_EXTI13);
            e.irq(p + "line16")->connect(&sink, c, NVIC_PVD);
        }
        e.irq("c1.line65")->connect(&sink, CPU1, GIC_MCU_SEV);
        e.irq("c2.line66")->connect(&sink, CPU2, NVIC_MPU_SEV);
    }
    uint32_t rd(uint32_t off, CoreId c = CPU2) { return testutil::reg_read(e, off, c); }
    void wr(uint32_t off, uint32_t v, CoreId c = CPU2) { testutil::reg_write(e, off, v, c); }
    // ST's SystemInit on the M4 clears every C2 mask; tests start from there.
    void mask_all()
    {
        for (uint32_t off : {C1IMR1, C1IMR2, C1IMR3, C2IMR1, C2IMR2, C2IMR3}) {
            wr(off, 0);
        }
        sink.wake.clear();
    }
};

// RM0436 / SVD reset values, the same for both CPUs: CnIMR1 0xFFFE0000,
// CnIMR2 0xFFFFFFFF, CnIMR3 0x00000DE9 (direct lines unmasked, configurable
// lines masked), CnEMRx 0; identification HWCFGR1 0x000B214B, VERR 0x30,
// IPIDR 0x000E0001, SIDR 0xA3C5DD01.
TEST_F(Mp1ExtiTest, ResetValues)
{
    for (uint32_t base : {C1IMR1, C2IMR1}) {
        EXPECT_EQ(rd(base + 0x00), 0xFFFE0000u);
        EXPECT_EQ(rd(base + 0x04), 0u);
        EXPECT_EQ(rd(base + 0x10), 0xFFFFFFFFu);
        EXPECT_EQ(rd(base + 0x14), 0u);
        EXPECT_EQ(rd(base + 0x20), 0x00000DE9u);
        EXPECT_EQ(rd(base + 0x24), 0u);
    }
    EXPECT_EQ(rd(HWCFGR1), 0x000B214Bu);
    EXPECT_EQ(rd(VERR), 0x30u);
    EXPECT_EQ(rd(IPIDR), 0x000E0001u);
    EXPECT_EQ(rd(SIDR), 0xA3C5DD01u);
}

// RM0436 EXTI_HWCFGR2..4 EVENT_TRG: 1 for a configurable event input, 0 for a
// direct one -- lines 0-16 and 65, 66, 68, 73 -- and the trigger registers
// hold bits for those lines only.
TEST_F(Mp1ExtiTest, OnlyConfigurableLinesHaveTriggerBits)
{
    EXPECT_EQ(rd(HWCFGR2), 0x0001FFFFu);
    EXPECT_EQ(rd(HWCFGR4), bit(65) | bit(66) | bit(68) | bit(73));
    wr(RTSR1, 0xFFFFFFFF);
    wr(RTSR2, 0xFFFFFFFF);
    wr(RTSR3, 0xFFFFFFFF);
    EXPECT_EQ(rd(RTSR1), 0x0001FFFFu);
    EXPECT_EQ(rd(RTSR2), 0u);
    EXPECT_EQ(rd(RTSR3), bit(65) | bit(66) | bit(68) | bit(73));
}

// RM0436: a rising edge on a configurable line with RTSR set sets its RPR bit;
// a falling edge with FTSR set sets its FPR bit.  The two pending registers
// are separate.
TEST_F(Mp1ExtiTest, RisingAndFallingEdgesPendInSeparateRegisters)
{
    wr(RTSR1, bit(3));
    wr(FTSR1, bit(5));
    e.input(3, true);
    e.input(5, true);
    EXPECT_EQ(rd(RPR1), bit(3));
    EXPECT_EQ(rd(FPR1), 0u);
    e.input(3, false);
    e.input(5, false);
    EXPECT_EQ(rd(RPR1), bit(3));
    EXPECT_EQ(rd(FPR1), bit(5));
}

// RM0436: an edge without its trigger selection does nothing.
TEST_F(Mp1ExtiTest, EdgeWithoutTriggerSelectionIsIgnored)
{
    wr(RTSR1, bit(2));
    e.input(2, true);
    e.input(2, false); // no FTSR bit
    EXPECT_EQ(rd(FPR1), 0u);
    EXPECT_EQ(rd(RPR1), bit(2));
}

// RM0436: RPRx / FPRx bits are cleared by writing 1; 0 leaves them.
TEST_F(Mp1ExtiTest, PendingBitsClearOnWriteOfOne)
{
    wr(RTSR1, bit(1) | bit(4));
    e.input(1, true);
    e.input(4, true);
    wr(RPR1, 0);
    EXPECT_EQ(rd(RPR1), bit(1) | bit(4));
    wr(RPR1, bit(4));
    EXPECT_EQ(rd(RPR1), bit(1));
}

// RM0436: the pending registers are shared; each CPU gets the line's
// interrupt only where its own CnIMR unmasks it.
TEST_F(Mp1ExtiTest, InterruptGoesOnlyToTheCpuThatUnmasks)
{
    mask_all();
    wr(RTSR1, bit(0));
    e.input(0, true);
    EXPECT_EQ(rd(RPR1), bit(0)) << "pending whatever the masks";
    EXPECT_FALSE(sink.at(CPU2, NVIC_EXTI0));
    wr(C2IMR1, bit(0));
    EXPECT_TRUE(sink.at(CPU2, NVIC_EXTI0));
    EXPECT_FALSE(sink.at(CPU1, NVIC_EXTI0));
    wr(RPR1, bit(0));
    EXPECT_FALSE(sink.at(CPU2, NVIC_EXTI0)) << "cleared with the pending bit";
}

// RM0436 SWIER: a write of 1 is a software rising edge: it sets RPR whatever
// RTSR/FTSR say; SWIER reads 0, so every write of 1 triggers again.
TEST_F(Mp1ExtiTest, SoftwareTriggerSetsRisingPendingEveryTime)
{
    wr(C2IMR1, bit(7));
    for (int i = 0; i < 3; i++) {
        wr(SWIER1, rd(SWIER1) | bit(7));
        EXPECT_EQ(rd(RPR1), bit(7)) << i;
        wr(RPR1, bit(7));
    }
    EXPECT_EQ(rd(SWIER1), 0u);
    EXPECT_EQ(rd(FPR1), 0u);
}

// RM0436 EXTI_EXTICR: EXTIl selects the GPIO port (0 = A .. 10 = K, 11 = Z)
// of line l; another port's pin of the same number does not reach the line.
TEST_F(Mp1ExtiTest, ExticrSelectsWhichPortDrivesTheLine)
{
    wr(EXTICR4, PC << 8); // EXTI13 = port C
    wr(RTSR1, bit(13));
    wr(C2IMR1, bit(13));
    e.input(gpio(PA, 13), true);
    EXPECT_EQ(rd(RPR1), 0u);
    e.input(gpio(PC, 13), true);
    EXPECT_EQ(rd(RPR1), bit(13));
    EXPECT_TRUE(sink.at(CPU2, NVIC_EXTI13));
}

// Port Z is multiplexer value 11 (HAL EXTI_GPIOZ), after port K (10).
TEST_F(Mp1ExtiTest, PortZIsSelectorEleven)
{
    wr(EXTICR1, PZ);
    wr(RTSR1, bit(0));
    e.input(gpio(PK, 0), true);
    EXPECT_EQ(rd(RPR1), 0u);
    e.input(gpio(PZ, 0), true);
    EXPECT_EQ(rd(RPR1), bit(0));
}

// The multiplexer is combinational: selecting a port whose pin is already
// high is a rising edge on the line.
TEST_F(Mp1ExtiTest, ChangingExticrReroutesAtOnce)
{
    wr(RTSR1, bit(2));
    e.input(gpio(PC, 2), true);
    EXPECT_EQ(rd(RPR1), 0u) << "port A selected at reset";
    wr(EXTICR1, PC << 16); // EXTI2 = port C
    EXPECT_EQ(rd(RPR1), bit(2));
}

// RM0436: a configurable line with CnEMR set sends an event to CPU n.
TEST_F(Mp1ExtiTest, EventMaskSendsAnEventToThatCpu)
{
    wr(C2EMR1, bit(0));
    wr(SWIER1, bit(0));
    EXPECT_EQ(sink.events, std::vector<CoreId>{CPU2});
}

// Event mask bits exist only for lines 0-15, 17-19 and 66 (HAL EXTI_EVENT).
TEST_F(Mp1ExtiTest, EventMaskBitsExistForEventLinesOnly)
{
    wr(C2EMR1, 0xFFFFFFFF);
    wr(C2EMR2, 0xFFFFFFFF);
    wr(C2EMR3, 0xFFFFFFFF);
    EXPECT_EQ(rd(C2EMR1), 0x000EFFFFu);
    EXPECT_EQ(rd(C2EMR2), 0u);
    EXPECT_EQ(rd(C2EMR3), bit(66));
}

// RM0436 line 66 "CPU1 SEV": configurable; with RTSR3 and C2IMR3 bit 2 the
// Cortex-A7's SEV interrupts the M4 (NVIC MPU_SEV, 144), with C2EMR3 bit 2 it
// is an event for the M4.
TEST_F(Mp1ExtiTest, Cpu1SevReachesCpu2AsInterruptOrEvent)
{
    wr(RTSR3, bit(66));
    wr(C2IMR3, bit(66));
    wr(C2EMR3, bit(66));
    e.input(66, true);
    EXPECT_TRUE(sink.at(CPU2, NVIC_MPU_SEV));
    EXPECT_EQ(sink.events, std::vector<CoreId>{CPU2});
    wr(RPR3, bit(66));
    EXPECT_FALSE(sink.at(CPU2, NVIC_MPU_SEV));
}

// Line 66 (CPU1 SEV) targets CPU2 only: CPU1's mask does not make it
// interrupt or wake CPU1; line 65 (CPU2 SEV) is CPU1's.
TEST_F(Mp1ExtiTest, SevLinesTargetTheOtherCpuOnly)
{
    mask_all();
    wr(RTSR3, bit(65) | bit(66));
    wr(C1IMR3, bit(65) | bit(66));
    e.input(66, true);
    EXPECT_FALSE(sink.woken(CPU1));
    EXPECT_FALSE(sink.at(CPU1, GIC_MCU_SEV));
    e.input(65, true);
    EXPECT_TRUE(sink.at(CPU1, GIC_MCU_SEV));
    EXPECT_TRUE(sink.woken(CPU1));
}

// RM0436 line 16 (PVD/AVD) is configurable and has an interrupt output of
// its own (M4 NVIC PVD_AVD, 1).
TEST_F(Mp1ExtiTest, PvdLineHasItsOwnInterrupt)
{
    wr(C2IMR1, bit(16));
    wr(SWIER1, bit(16));
    EXPECT_TRUE(sink.at(CPU2, NVIC_PVD));
    EXPECT_FALSE(sink.at(CPU1, NVIC_PVD));
}

// RM0436 wake-up: a direct line (62, IPCC interrupt CPU2) wakes CPU2 while
// its input is high and C2IMR2 unmasks it; masked, it wakes nobody.
TEST_F(Mp1ExtiTest, DirectLineWakesWhileHighIfUnmasked)
{
    mask_all();
    e.input(62, true);
    e.input(62, false);
    EXPECT_TRUE(sink.wake.empty()) << "masked direct line must not wake";
    wr(C2IMR2, bit(62));
    e.input(62, true);
    EXPECT_TRUE(sink.woken(CPU2));
    e.input(62, false);
    EXPECT_FALSE(sink.woken(CPU2));
}

// With the reset masks (every direct line unmasked), the IPCC's CPU2 line
// (62) and HSEM's CPU2 line (64) wake the M4 and never CPU1 (they target
// CPU2 only), and CPU1's IPCC line (61) never wakes the M4.
TEST_F(Mp1ExtiTest, CpuSpecificDirectLinesWakeOnlyTheirCpu)
{
    for (unsigned line : {62u, 64u}) {
        sink.wake.clear();
        e.input(line, true);
        EXPECT_TRUE(sink.woken(CPU2)) << line;
        for (const auto &w : sink.wake) {
            EXPECT_EQ(w.first, CPU2) << "line " << line << " woke CPU1";
        }
        e.input(line, false);
    }
    sink.wake.clear();
    e.input(61, true);
    EXPECT_TRUE(sink.woken(CPU1));
    for (const auto &w : sink.wake) {
        EXPECT_EQ(w.first, CPU1) << "line 61 woke CPU2";
    }
}

// A configurable line pending and unmasked for a CPU holds that CPU's
// wake-up until the pending bit is cleared.
TEST_F(Mp1ExtiTest, PendingConfigurableLineHoldsItsCpusWakeup)
{
    mask_all();
    wr(C2IMR1, bit(0));
    wr(SWIER1, bit(0));
    EXPECT_TRUE(sink.woken(CPU2));
    EXPECT_FALSE(sink.woken(CPU1));
    wr(RPR1, bit(0));
    EXPECT_FALSE(sink.woken(CPU2));
}

// An event sent to a CPU also wakes it: a pulse on its wake-up request
// (direct line 19, RTC wake-up, has an event mask bit).
TEST_F(Mp1ExtiTest, EventToACpuPulsesItsWakeup)
{
    mask_all();
    wr(C1EMR1, bit(19));
    e.input(19, true);
    EXPECT_EQ(sink.events, std::vector<CoreId>{CPU1});
    EXPECT_EQ(sink.wake, (std::vector<std::pair<CoreId, bool>>{{CPU1, true}, {CPU1, false}}));
}

// RM0436 EXTI_TZENR: a non-secure write is a bus error and changes nothing;
// every master here (the Cortex-M4 included) is non-secure.
TEST_F(Mp1ExtiTest, NonSecureWriteToTzenrIsABusError)
{
    BusAccess a;
    a.core = CPU2;
    a.core_name = "cm4";
    a.offset = TZENR1;
    e.write(a, bit(0));
    EXPECT_TRUE(a.fault);
    EXPECT_EQ(rd(TZENR1), 0u);
    EXPECT_TRUE(cap.has("TZENR1: bus error"));
}

// A machine description must name both CPUs' cores.
TEST(Mp1ExtiConfig, BothCpusMustNameACore)
{
    Stm32mp1Exti e("EXTI");
    EXPECT_THROW(e.configure({{"cpu2", "cm4"}}, {"ca7", "cm4"}), ConfigError);
}

} // namespace
