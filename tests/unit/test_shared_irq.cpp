// Shared interrupt lines: on STM32 several sources share one NVIC input
// (RM0399 vector table: TIM6_DAC_IRQn 54 is "TIM6 global interrupt, DAC1
// underrun"; ECC_IRQn 145 is RAMECC1-3).  The hub's routing makes a core's
// NVIC line the OR of every output the machine description connects to it.
#include "bus.h"
#include "models/stm32h7_ramecc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

using namespace ampvp;

namespace {

struct Calls : IrqSink {
    std::vector<std::tuple<CoreId, unsigned, bool>> seen;
    std::vector<std::pair<CoreId, bool>> wakeups;
    void set_irq(CoreId c, unsigned l, bool v) override { seen.emplace_back(c, l, v); }
    void send_event(CoreId) override {}
    void set_wakeup(CoreId c, bool v) override { wakeups.emplace_back(c, v); }
    // The last level sent for (core, line); false if none was.
    bool level(CoreId c, unsigned l) const
    {
        for (auto it = seen.rbegin(); it != seen.rend(); ++it) {
            if (std::get<0>(*it) == c && std::get<1>(*it) == l) {
                return std::get<2>(*it);
            }
        }
        return false;
    }
    size_t count(CoreId c, unsigned l) const
    {
        return static_cast<size_t>(std::count_if(seen.begin(), seen.end(), [&](const auto &s) {
            return std::get<0>(s) == c && std::get<1>(s) == l;
        }));
    }
};

// Two sources (TIM6 and DAC1) on line 54 of core 0.
struct TwoSources : ::testing::Test {
    Calls core;
    SharedLine in{"cm7.irq54"};
    IrqLine a{"TIM6.irq"}, b{"DAC1.irq"};
    void SetUp() override
    {
        in.out().connect(&core, 0, 54);
        a.connect_shared(&in, in.add_source());
        b.connect_shared(&in, in.add_source());
    }
};

// The line is high while either source is high and falls only when both are low.
TEST_F(TwoSources, HighWhileEitherSourceIsHigh)
{
    a.set(true);
    EXPECT_TRUE(core.level(0, 54));
    b.set(true);
    a.set(false);
    EXPECT_TRUE(core.level(0, 54)) << "b still high";
    b.set(false);
    EXPECT_FALSE(core.level(0, 54));
    // Sent only on change of the OR: rise once, fall once.
    EXPECT_EQ(core.seen, (std::vector<std::tuple<CoreId, unsigned, bool>>{{0, 54, true}, {0, 54, false}}));
}

// A pulse of one source while the other holds the line high makes no new edge
// (a level-sensitive line that is already high).
TEST_F(TwoSources, PulseUnderAHighSourceIsAbsorbed)
{
    a.set(true);
    b.pulse();
    EXPECT_EQ(core.count(0, 54), 1u);
    EXPECT_TRUE(core.level(0, 54));
}

// One source alone behaves as a direct connection: the same calls, in order.
TEST(SharedLine, OneSourceAloneIsADirectConnection)
{
    Calls direct, shared;
    IrqLine d("d"), s("s");
    d.connect(&direct, 1, 39);
    SharedLine in("cm4.irq39");
    in.out().connect(&shared, 1, 39);
    s.connect_shared(&in, in.add_source());
    for (IrqLine *l : {&d, &s}) {
        l->set(true);
        l->set(true);
        l->set(false);
        l->pulse();
        l->set_wave(Waveform{1000, 500, 0, true});
        l->set(false);
    }
    EXPECT_EQ(shared.seen, direct.seen);
}

// Two outputs of a machine description on one NVIC line of one core: the
// routing code ORs them (here two USARTs on line 39; a USART's interrupt rises
// with UE, TE and TXEIE since TXE is set after reset: RM0399 USART_ISR TXFNF).
const char *kTwoOnOneLine = R"({
  "name": "t", "cores": [ { "name": "cm7", "cpu": "cortex-m7", "num_irq": 150, "clock_hz": 1, "boot": 0 } ],
  "windows": [ { "name": "p", "base": "0x40000000", "size": "0x20000000" } ],
  "peripherals": [
    { "name": "USART2", "base": "0x40004400", "model": "stm32-usart", "irqs": { "irq": { "cm7": 39 } } },
    { "name": "USART3", "base": "0x40004800", "model": "stm32-usart", "irqs": { "irq": { "cm7": 39 } } },
    { "name": "UART4", "base": "0x40004C00", "model": "stm32-usart", "irqs": { "irq": { "cm7": 52 } } } ] })";

struct SharedBusTest : ::testing::Test {
    Calls irqs;
    DeviceContext ctx;
    void w(Bus &b, uint64_t addr, uint32_t v, const char *core = "cm7", CoreId id = 0)
    {
        BusAccess a;
        a.core = id;
        a.core_name = core;
        a.addr = addr;
        b.write(a, v);
    }
    static constexpr uint32_t kTxIrq = (1u << 0) | (1u << 3) | (1u << 7); // USART_CR1 UE, TE, TXEIE
};

TEST_F(SharedBusTest, TwoSourcesOnOneLineAreOred)
{
    MachineDesc m = MachineDesc::parse(kTwoOnOneLine, "test");
    Bus bus(m, ctx, &irqs);
    w(bus, 0x40004400, kTxIrq); // USART2 high
    EXPECT_TRUE(irqs.level(0, 39));
    w(bus, 0x40004800, kTxIrq); // USART3 high too
    w(bus, 0x40004400, 0);      // USART2 low: USART3 holds the line
    EXPECT_TRUE(irqs.level(0, 39));
    w(bus, 0x40004800, 0);      // both low
    EXPECT_FALSE(irqs.level(0, 39));
    EXPECT_EQ(irqs.count(0, 39), 2u) << "one rise, one fall";
}

TEST_F(SharedBusTest, ASourceAloneOnItsLineBehavesAsBefore)
{
    MachineDesc m = MachineDesc::parse(kTwoOnOneLine, "test");
    Bus bus(m, ctx, &irqs);
    w(bus, 0x40004C00, kTxIrq);
    w(bus, 0x40004C00, kTxIrq | (1u << 2)); // RE too: no change of level
    w(bus, 0x40004C00, 0);
    EXPECT_EQ(irqs.seen, (std::vector<std::tuple<CoreId, unsigned, bool>>{{0, 52, true}, {0, 52, false}}));
}

// On the STM32H745 (machine/stm32h745.json): the three RAMECC units share
// ECC_IRQn 145 (stm32h745xx.h), each wired straight to it.
struct H745SharedTest : SharedBusTest {
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    std::unique_ptr<Bus> bus;
    void SetUp() override { bus = std::make_unique<Bus>(m, ctx, &irqs); }
    CoreId cm7() const { return m.core_index("cm7"); }
    CoreId cm4() const { return m.core_index("cm4"); }
    void w(uint64_t addr, uint32_t v) { SharedBusTest::w(*bus, addr, v); }
};

TEST_F(H745SharedTest, RameccUnitsShareEccIrq145)
{
    auto *ecc2 = dynamic_cast<Stm32h7Ramecc *>(bus->device("RAMECC2"));
    auto *ecc3 = dynamic_cast<Stm32h7Ramecc *>(bus->device("RAMECC3"));
    ASSERT_TRUE(ecc2 && ecc3);
    w(0x48023000, 1u << 0); // RAMECC2_IER: GIE
    w(0x58027000, 1u << 0); // RAMECC3_IER: GIE
    ecc2->inject(1, Stm32h7Ramecc::Error::SingleCorrected, 0x30000000);
    ecc3->inject(1, Stm32h7Ramecc::Error::SingleCorrected, 0x38000000);
    EXPECT_TRUE(irqs.level(cm7(), 145));
    EXPECT_TRUE(irqs.level(cm4(), 145));
    w(0x48023024, 0); // RAMECC2_M1SR: flags cleared (rc_w0)
    EXPECT_TRUE(irqs.level(cm7(), 145)) << "RAMECC3 still flags an error";
    w(0x58027024, 0); // RAMECC3_M1SR
    EXPECT_FALSE(irqs.level(cm7(), 145));
    EXPECT_FALSE(irqs.level(cm4(), 145));
}

// RM0399 DAC "DMA underrun" (paraphrased): a second external trigger arriving
// before the first DMA request is acknowledged issues no new request and sets
// DMAUDRx in DAC_SR; with DMAUDRIEx set in DAC_CR an interrupt is generated.
// That interrupt is TIM6_DAC_IRQn (54), shared with TIM6's update interrupt.
TEST_F(H745SharedTest, DacUnderrunSharesTim6DacIrq54WithTim6)
{
    enum : uint64_t { DAC_CR = 0x40007400, DAC_SR = 0x40007434 };
    enum : uint64_t { TIM6_DIER = 0x4000100C, TIM6_SR = 0x40001010, TIM6_EGR = 0x40001014 };
    // Channel 1 on TSEL1 = 5 (TIM6 TRGO, dac_ch1_trg5), DMA, underrun interrupt.
    w(DAC_CR, (1u << 0) | (1u << 1) | (5u << 2) | (1u << 12) | (1u << 13));
    Device *dac = bus->device("DAC1");
    dac->input(5, true); // first trigger: a DMA request
    dac->input(5, false);
    EXPECT_FALSE(irqs.level(cm7(), 54));
    dac->input(5, true); // second trigger, the request not served: underrun
    EXPECT_TRUE(irqs.level(cm7(), 54));
    EXPECT_TRUE(irqs.level(cm4(), 54));
    w(TIM6_DIER, 1u << 0); // UIE
    w(TIM6_EGR, 1u << 0);  // UG: UIF
    w(DAC_SR, 1u << 13);   // DMAUDR1 cleared (write 1)
    EXPECT_TRUE(irqs.level(cm7(), 54)) << "TIM6's update interrupt holds the line";
    w(TIM6_SR, 0);         // UIF cleared
    EXPECT_FALSE(irqs.level(cm7(), 54));
}

} // namespace
