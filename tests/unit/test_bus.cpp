// Hub address dispatch: accesses reach the model at their address with the
// right offset and initiator; places without a model read as zero, ignore
// writes and are reported once per register with core, address and name.
#include "bus.h"
#include "models/stm32_usart.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ampvp;
using testutil::LogCapture;

namespace {

struct NullIrqs : IrqSink {
    std::vector<std::tuple<CoreId, unsigned, bool>> seen;
    void set_irq(CoreId c, unsigned l, bool v) override { seen.emplace_back(c, l, v); }
    void send_event(CoreId c) override { events.push_back(c); }
    std::vector<CoreId> events;
};

struct BusTest : ::testing::Test {
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32h745.json");
    NullIrqs irqs;
    DeviceContext ctx;
    std::unique_ptr<Bus> bus;
    LogCapture cap;
    void SetUp() override { bus = std::make_unique<Bus>(m, ctx, &irqs); }
    BusAccess acc(uint64_t addr, const char *core = "cm7", unsigned size = 4)
    {
        BusAccess a;
        a.core = m.core_index(core);
        a.core_name = core;
        a.addr = addr;
        a.size = size;
        return a;
    }
};

TEST_F(BusTest, ReadReachesTheModelAtItsOffset)
{
    auto a = acc(0x4000481C); // USART3_ISR
    EXPECT_EQ(bus->read(a), 0xC0u);
    EXPECT_EQ(a.offset, 0x1Cu);
}

TEST_F(BusTest, WriteReachesTheModel)
{
    auto a = acc(0x4000480C); // USART3_BRR
    bus->write(a, 0x22B);
    auto b = acc(0x4000480C, "cm4");
    EXPECT_EQ(bus->read(b), 0x22Bu); // one shared instance, seen by both cores
}

// A machine with a peripheral known by name only (no model).
const char *kNamedOnly = R"({
  "name": "t", "cores": [ { "name": "cm7", "cpu": "cortex-m7", "num_irq": 16, "clock_hz": 1, "boot": 0 } ],
  "windows": [ { "name": "p", "base": "0x40000000", "size": "0x20000000" } ],
  "peripherals": [ { "name": "SPI1", "base": "0x40013000" },
                   { "name": "USART3", "base": "0x40004800", "model": "stm32-usart" } ] })";

TEST_F(BusTest, KnownPeripheralWithoutModelIsRazWiAndNamed)
{
    MachineDesc t = MachineDesc::parse(kNamedOnly, "test");
    Bus b(t, ctx, &irqs);
    auto a = acc(0x4001300C); // SPI1+0x00c
    b.write(a, 0x22C);
    auto r = acc(0x4001300C);
    EXPECT_EQ(b.read(r), 0u);
    EXPECT_TRUE(cap.has("cm7 write of 0x0000022c to SPI1+0x00c (0x4001300c): peripheral SPI1 is not modelled"));
}

// Every peripheral of the H745 memory map is at least known by name, so an
// image touching one the hub does not model gets a message naming it.
TEST_F(BusTest, UnmodelledH745PeripheralsAreNamed)
{
    auto a = acc(0x40005418); // I2C1_ISR
    EXPECT_EQ(bus->read(a), 0u);
    EXPECT_TRUE(cap.has("cm7 read of I2C1+0x018 (0x40005418): peripheral I2C1 is not modelled"));
    auto b = acc(0x58003C00, "cm4"); // VREFBUF_CSR
    bus->read(b);
    EXPECT_TRUE(cap.has("peripheral VREFBUF is not modelled"));
}

TEST_F(BusTest, UnmappedAddressIsReportedOncePerRegisterAndCore)
{
    for (int i = 0; i < 3; i++) {
        auto a = acc(0x4FFF0000);
        EXPECT_EQ(bus->read(a), 0u);
    }
    auto c = acc(0x4FFF0000, "cm4");
    bus->read(c);
    EXPECT_EQ(cap.count("no peripheral at this address"), 2); // once for cm7, once for cm4
}

TEST_F(BusTest, StrictModeTurnsUnmodelledAccessesIntoBusErrors)
{
    ctx.strict = true;
    MachineDesc t = MachineDesc::parse(kNamedOnly, "test");
    Bus bus2(t, ctx, &irqs);
    auto a = acc(0x40013000); // SPI1: no model
    bus2.read(a);
    EXPECT_TRUE(a.fault);
    auto b = acc(0x4000481C);
    bus2.read(b);
    EXPECT_FALSE(b.fault);
}

// The USART3 interrupt is wired to NVIC line 39 of both cores (RM0399 vector table).
TEST_F(BusTest, Usart3IrqFansOutToBothCoresLine39)
{
    auto a = acc(0x40004800);
    bus->write(a, (1u << 0) | (1u << 3) | (1u << 7) /* RM0399 USART_CR1: UE, TE, TXEIE */);
    ASSERT_EQ(irqs.seen.size(), 2u);
    EXPECT_EQ(std::get<1>(irqs.seen[0]), 39u);
    EXPECT_EQ(std::get<1>(irqs.seen[1]), 39u);
    EXPECT_NE(std::get<0>(irqs.seen[0]), std::get<0>(irqs.seen[1]));
}

// Wiring from machine/stm32h745.json: freeing a semaphore the CM4 listens to
// raises HSEM2 (IRQ 126) on the CM4 and, through EXTI line 78 with C2EMR3
// bit 14 set (as ST's SystemInit does), an event that wakes it from Stop.
TEST_F(BusTest, HsemReleaseReachesTheCm4AsIrq126AndLine78Event)
{
    auto w = [&](uint64_t addr, uint32_t v, const char *core) {
        auto a = acc(addr, core);
        bus->write(a, v);
    };
    w(0x580000E4, 1u << 14, "cm7");   // EXTI_C2EMR3: line 78 event for CPU2
    w(0x58026510, 1u << 0, "cm4");    // HSEM_C2IER: semaphore 0
    auto r = acc(0x58026480, "cm7");  // HSEM_RLR0: 1-step lock by the CM7
    EXPECT_EQ(bus->read(r), 0x80000300u);
    w(0x58026400, 0x00000300, "cm7"); // HSEM_R0: release
    EXPECT_EQ(irqs.seen.back(), std::make_tuple(m.core_index("cm4"), 126u, true));
    EXPECT_EQ(irqs.events, std::vector<CoreId>{m.core_index("cm4")});
}

// The CM7's SEV reaches the CM4 (EXTI line 80) only with C2EMR3 bit 16.
TEST_F(BusTest, SevOfTheCm7ReachesTheCm4ThroughExtiLine80)
{
    bus->core_txev(m.core_index("cm7"));
    EXPECT_TRUE(irqs.events.empty());
    auto a = acc(0x580000E4, "cm4");
    bus->write(a, 1u << 16);
    bus->core_txev(m.core_index("cm7"));
    EXPECT_EQ(irqs.events, std::vector<CoreId>{m.core_index("cm4")});
    bus->core_txev(m.core_index("cm4")); // line 79 towards the CM7: masked
    EXPECT_EQ(irqs.events.size(), 1u);
}

// RM0399 SYSCFG_EXTICR4 EXTI13 = 2 routes PC13 to EXTI line 13; with a
// rising trigger and both CPUs' IMR1 bit 13 set (ST's "GPIO EXTI to both
// cores"), pressing the Nucleo button pends EXTI15_10 (IRQ 40) on both cores,
// and each core clears only its own pending bit.  Routed through the machine
// description: GPIOC "pin*" -> SYSCFG -> "exti*" -> EXTI.
TEST_F(BusTest, ButtonOnPc13ReachesBothCoresThroughSyscfgAndExti)
{
    auto w = [&](uint64_t addr, uint32_t v, const char *core = "cm7") {
        auto a = acc(addr, core);
        bus->write(a, v);
    };
    auto r = [&](uint64_t addr, const char *core = "cm7") {
        auto a = acc(addr, core);
        return bus->read(a);
    };
    w(0x58020800, 0xF3FFFFFF);  // GPIOC_MODER: PC13 input
    w(0x58000414, 0x2u << 4);   // SYSCFG_EXTICR4: EXTI13 = port C
    w(0x58000000, 1u << 13);    // EXTI_RTSR1
    w(0x58000080, 0xFFC00000u | (1u << 13)); // EXTI_C1IMR1
    w(0x580000C0, 1u << 13, "cm4");          // EXTI_C2IMR1
    bus->device("GPIOB")->input(13, true);   // another port's pin 13: not selected
    EXPECT_EQ(r(0x58000088) & (1u << 13), 0u);
    bus->device("GPIOC")->input(13, true);   // press
    EXPECT_EQ(r(0x58000088) & (1u << 13), 1u << 13);        // C1PR1
    EXPECT_EQ(r(0x580000C8, "cm4") & (1u << 13), 1u << 13); // C2PR1
    EXPECT_NE(std::find(irqs.seen.begin(), irqs.seen.end(), std::make_tuple(m.core_index("cm7"), 40u, true)),
              irqs.seen.end());
    EXPECT_NE(std::find(irqs.seen.begin(), irqs.seen.end(), std::make_tuple(m.core_index("cm4"), 40u, true)),
              irqs.seen.end());
    w(0x58000088, 1u << 13); // the CM7 clears its pending bit
    EXPECT_EQ(r(0x58000088) & (1u << 13), 0u);
    EXPECT_EQ(r(0x580000C8, "cm4") & (1u << 13), 1u << 13);
    bus->device("GPIOC")->input(13, false); // release: no rising edge
    EXPECT_EQ(r(0x58000088) & (1u << 13), 0u);
}

// D2CKRDY (RCC_CR bit 15) follows the CM4's reported power state.
TEST_F(BusTest, D2ckrdyFollowsTheCm4PowerReports)
{
    auto rd = [&]() {
        auto a = acc(0x58024400, "cm7");
        return bus->read(a);
    };
    EXPECT_TRUE(rd() & (1u << 15));
    bus->core_power(m.core_index("cm4"), CorePower::DeepSleep);
    EXPECT_FALSE(rd() & (1u << 15));
    bus->core_power(m.core_index("cm4"), CorePower::Run);
    EXPECT_TRUE(rd() & (1u << 15));
}

// RM0436 RCC_APB1RSTSETR / RCC_APB1RSTCLRR: writing 1 to USART3RST (bit 15)
// holds USART3 in reset, writing it to RSTCLRR releases it; the reset puts
// the peripheral's registers back to their reset values (ST's
// HAL_UART_MspInit: __HAL_RCC_USART3_FORCE_RESET / RELEASE_RESET).  The
// stm32mp157 machine wires the RCC's "rst.APB1.15" output to USART3 "reset".
TEST(BusMp15, RccPeripheralResetReturnsUsart3ToItsResetValues)
{
    MachineDesc m = MachineDesc::load_file(testutil::source_dir() + "/machine/stm32mp157.json");
    NullIrqs irqs;
    DeviceContext ctx;
    LogCapture cap;
    Bus bus(m, ctx, &irqs);
    auto acc = [&m](uint64_t addr) {
        BusAccess a;
        a.core = m.core_index("m4");
        a.core_name = "m4";
        a.addr = addr;
        a.size = 4;
        return a;
    };
    auto rd = [&](uint64_t addr) { auto a = acc(addr); return bus.read(a); };
    auto wr = [&](uint64_t addr, uint32_t v) { auto a = acc(addr); bus.write(a, v); };
    constexpr uint64_t USART3_BRR = 0x4000F00C, APB1RSTSETR = 0x50000980, APB1RSTCLRR = 0x50000984;
    wr(USART3_BRR, 0x22B);
    EXPECT_EQ(rd(USART3_BRR), 0x22Bu);
    wr(APB1RSTSETR, 1u << 15);
    EXPECT_EQ(rd(APB1RSTCLRR), 1u << 15); // both read the bits held
    EXPECT_EQ(rd(USART3_BRR), 0u);
    wr(APB1RSTCLRR, 1u << 15);
    EXPECT_EQ(rd(APB1RSTSETR), 0u);
    wr(USART3_BRR, 0x22B); // released: the USART works again
    EXPECT_EQ(rd(USART3_BRR), 0x22Bu);
    EXPECT_FALSE(cap.has("unimplemented"));
}

// "reset" is a peripheral target only (a core has NVIC lines, "event", "wakeup").
TEST(BusMp15, ResetTargetIsForPeripheralsOnly)
{
    const char *bad = R"({
      "name": "t", "cores": [ { "name": "cm7", "cpu": "cortex-m7", "num_irq": 16, "clock_hz": 1, "boot": 0 } ],
      "windows": [ { "name": "p", "base": "0x40000000", "size": "0x20000000" } ],
      "peripherals": [ { "name": "USART3", "base": "0x40004800", "model": "stm32-usart",
                         "irqs": { "irq": { "cm7": "reset" } } } ] })";
    EXPECT_THROW(MachineDesc::parse(bad, "test"), ConfigError);
}

TEST(BusModels, UnknownModelIsAConfigError)
{
    EXPECT_THROW(make_model("no-such-model", "X"), ConfigError);
    EXPECT_NE(make_model("stm32-usart", "USART1"), nullptr);
}

} // namespace
