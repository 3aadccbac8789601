// Hub address dispatch: accesses reach the model at their address with the
// right offset and initiator; places without a model read as zero, ignore
// writes and are reported once per register with core, address and name.
#include "bus.h"
#include "models/stm32_usart.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::LogCapture;

namespace {

struct NullIrqs : IrqSink {
    std::vector<std::tuple<CoreId, unsigned, bool>> seen;
    void set_irq(CoreId c, unsigned l, bool v) override { seen.emplace_back(c, l, v); }
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

TEST_F(BusTest, KnownPeripheralWithoutModelIsRazWiAndNamed)
{
    auto a = acc(0x580244E0); // RCC_AHB4ENR
    bus->write(a, 1u << 25);
    auto b = acc(0x580244E0);
    EXPECT_EQ(bus->read(b), 0u);
    EXPECT_TRUE(cap.has("cm7 write of 0x02000000 to RCC+0x0e0 (0x580244e0): peripheral RCC is not modelled"));
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
    bus = std::make_unique<Bus>(m, ctx, &irqs);
    auto a = acc(0x58024400);
    bus->read(a);
    EXPECT_TRUE(a.fault);
    auto b = acc(0x4000481C);
    bus->read(b);
    EXPECT_FALSE(b.fault);
}

// The USART3 interrupt is wired to NVIC line 39 of both cores (RM0399 vector table).
TEST_F(BusTest, Usart3IrqFansOutToBothCoresLine39)
{
    auto a = acc(0x40004800);
    bus->write(a, Stm32Usart::CR1_UE | Stm32Usart::CR1_TE | Stm32Usart::CR1_TXEIE);
    ASSERT_EQ(irqs.seen.size(), 2u);
    EXPECT_EQ(std::get<1>(irqs.seen[0]), 39u);
    EXPECT_EQ(std::get<1>(irqs.seen[1]), 39u);
    EXPECT_NE(std::get<0>(irqs.seen[0]), std::get<0>(irqs.seen[1]));
}

TEST(BusModels, UnknownModelIsAConfigError)
{
    EXPECT_THROW(make_model("no-such-model", "X"), ConfigError);
    EXPECT_NE(make_model("stm32-usart", "USART1"), nullptr);
}

} // namespace
