// STM32H7 DAC1, one RM0399 rule per test (RM0399 Rev 4, "Digital-to-analog
// converter (DAC)"; rules paraphrased).  Register sequences as ST's HAL uses
// them (stm32h7xx_hal_dac.c).  The outputs drive a fake AnalogPins; VREF+ = 3.3 V.
#include "models/stm32h7_dac.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct FakeAnalog : AnalogPins {
    std::map<std::string, double> v;
    std::vector<std::string> by;
    double volts(const std::string &pin) const override
    {
        auto it = v.find(pin);
        return it == v.end() ? -1.0 : it->second;
    }
    void drive(const std::string &pin, double x, const std::string &who) override
    {
        v[pin] = x;
        by.push_back(who);
    }
};

struct Level : Device {
    bool level = false;
    Level() : Device("l") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input(unsigned, bool l) override { level = l; }
};

enum : uint32_t {
    CR = 0x00, SWTRGR = 0x04, DHR12R1 = 0x08, DHR12L1 = 0x0C, DHR8R1 = 0x10, DHR12R2 = 0x14,
    DHR12RD = 0x20, DHR8RD = 0x28, DOR1 = 0x2C, DOR2 = 0x30, SR = 0x34, MCR = 0x3C, SHHR = 0x48, SHRR = 0x4C,
};
enum : uint32_t {
    EN1 = 1u << 0, TEN1 = 1u << 1, DMAEN1 = 1u << 12, DMAUDRIE1 = 1u << 13, EN2 = 1u << 16,
    SWTRIG1 = 1u << 0, DMAUDR1 = 1u << 13,
};
uint32_t tsel1(uint32_t n) { return n << 2; }

struct DacTest : ::testing::Test {
    Stm32h7Dac dac{"DAC1"};
    FakeAnalog pins;
    Level irq, dma1;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.analog = &pins;
        dac.set_context(ctx);
        dac.configure({{"out1", "PA4"}, {"out2", "PA5"}}, {});
        dac.reset();
        dac.irq("irq")->connect_input(&irq, 0);
        dac.irq("dma1")->connect_input(&dma1, 67);
    }
    uint32_t rd(uint32_t off) { return reg_read(dac, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(dac, off, v); }
    static double volts(uint32_t code) { return 3.3 * code / 4095.0; }
};

// RM0399 DAC registers: SHHR and SHRR reset to 0x0001 0001, the others to 0.
TEST_F(DacTest, ResetValues)
{
    EXPECT_EQ(rd(CR), 0u);
    EXPECT_EQ(rd(SHHR), 0x00010001u);
    EXPECT_EQ(rd(SHRR), 0x00010001u);
    EXPECT_EQ(rd(DOR1), 0u);
}

// RM0399 "DAC conversion": without a trigger (TENx = 0) DORx takes DHRx right
// after the write, and the enabled channel's pin shows VREF+ * DOR / 4095.
TEST_F(DacTest, WithoutTriggerTheOutputFollowsDhr)
{
    wr(CR, EN1);
    wr(DHR12R1, 2048);
    EXPECT_EQ(rd(DOR1), 2048u);
    EXPECT_DOUBLE_EQ(pins.v["PA4"], volts(2048));
    EXPECT_EQ(pins.by.back(), "DAC1");
}

// RM0399 "DAC data format": 12-bit left-aligned data is DHR12Lx[15:4], 8-bit
// right-aligned DHR8Rx[7:0] (the 8 MSBs of the 12-bit value); the dual
// registers set both channels at once.
TEST_F(DacTest, DataAlignments)
{
    wr(CR, EN1 | EN2);
    wr(DHR12L1, 0xABC0);
    EXPECT_EQ(rd(DOR1), 0xABCu);
    wr(DHR8R1, 0x7F);
    EXPECT_EQ(rd(DOR1), 0x7F0u);
    EXPECT_EQ(rd(DHR12R1), 0x7F0u);
    wr(DHR12RD, (0x123u << 16) | 0x456u);
    EXPECT_EQ(rd(DOR1), 0x456u);
    EXPECT_EQ(rd(DOR2), 0x123u);
    wr(DHR8RD, (0x11u << 8) | 0x22u);
    EXPECT_EQ(rd(DOR1), 0x220u);
    EXPECT_EQ(rd(DOR2), 0x110u);
}

// RM0399 "DAC trigger selection": TSELx = 0 is the software trigger; SWTRIGx
// loads DORx and is cleared by hardware.
TEST_F(DacTest, SoftwareTriggerLoadsDor)
{
    wr(CR, EN1 | TEN1 | tsel1(0));
    wr(DHR12R1, 1000);
    EXPECT_EQ(rd(DOR1), 0u);
    wr(SWTRGR, SWTRIG1);
    EXPECT_EQ(rd(DOR1), 1000u);
    EXPECT_EQ(rd(SWTRGR), 0u);
}

// RM0399: with TENx the data moves to DORx at the selected external trigger
// (TSEL1 = 5: dac_ch1_trg5, TIM6_TRGO), on its rising edge only.
TEST_F(DacTest, ExternalTriggerLoadsDor)
{
    wr(CR, EN1 | TEN1 | tsel1(5));
    wr(DHR12R1, 3000);
    dac.input(4, true);
    EXPECT_EQ(rd(DOR1), 0u);
    dac.input(5, true);
    EXPECT_EQ(rd(DOR1), 3000u);
    EXPECT_DOUBLE_EQ(dac.volts(0), volts(3000));
}

// RM0399 "DMA requests": with DMAENx an external trigger makes a DMA request,
// acknowledged when DHRx is written; a trigger while it is still pending is an
// underrun: DMAUDRx, and the interrupt with DMAUDRIEx.
TEST_F(DacTest, DmaRequestPerTriggerAndUnderrun)
{
    wr(CR, EN1 | TEN1 | tsel1(5) | DMAEN1 | DMAUDRIE1);
    dac.input(5, true);
    EXPECT_TRUE(dma1.level);
    wr(DHR8R1, 0x40); // the DMA's write
    EXPECT_FALSE(dma1.level);
    dac.input(5, false);
    dac.input(5, true);
    dac.input(5, false);
    EXPECT_TRUE(dma1.level);
    EXPECT_EQ(rd(SR) & DMAUDR1, 0u);
    dac.input(5, true); // no DHR write in between
    EXPECT_EQ(rd(SR) & DMAUDR1, DMAUDR1);
    EXPECT_TRUE(irq.level);
    wr(SR, DMAUDR1);
    EXPECT_FALSE(irq.level);
}

// RM0399: a disabled channel does not convert; its pin is left at 0 V here;
// MODEx = 011 connects the channel to on-chip peripherals only (pin not driven).
TEST_F(DacTest, DisabledOrInternalChannelDoesNotDriveThePin)
{
    wr(CR, EN1);
    wr(DHR12R1, 4095);
    EXPECT_DOUBLE_EQ(pins.v["PA4"], 3.3);
    wr(CR, 0);
    EXPECT_DOUBLE_EQ(pins.v["PA4"], 0.0);
    wr(MCR, 3u);
    const size_t n = pins.by.size();
    wr(CR, EN1);
    EXPECT_EQ(pins.by.size(), n);
}

// RM0436 (STM32MP15) "DAC channel mode": MODEx = 011, "DAC channelx is
// connected to on chip peripherals with buffer disabled" (ST's
// DAC_CHIPCONNECT_ENABLE | DAC_OUTPUTBUFFER_DISABLE): the output reaches ADC2's
// internal channel (the net of params "internal1") but not the pin; 001 drives
// both; 000 only the pin, the on-chip connection is then open (0 V).
TEST(Mp15DacTest, OnChipConnectionFollowsMode)
{
    Stm32h7Dac dac{"DAC1"};
    FakeAnalog pins;
    DeviceContext ctx;
    ctx.analog = &pins;
    dac.set_context(ctx);
    dac.configure({{"out1", "PA4"}, {"internal1", "DAC1_OUT1"}}, {});
    dac.reset();
    reg_write(dac, MCR, 3u);
    reg_write(dac, CR, EN1);
    reg_write(dac, DHR12R1, 2048);
    EXPECT_DOUBLE_EQ(pins.v["DAC1_OUT1"], 3.3 * 2048 / 4095.0);
    EXPECT_DOUBLE_EQ(pins.v["PA4"], 0.0); // left by reset, never driven since
    reg_write(dac, MCR, 1u);
    EXPECT_DOUBLE_EQ(pins.v["PA4"], 3.3 * 2048 / 4095.0);
    EXPECT_DOUBLE_EQ(pins.v["DAC1_OUT1"], 3.3 * 2048 / 4095.0);
    reg_write(dac, MCR, 0u);
    EXPECT_DOUBLE_EQ(pins.v["DAC1_OUT1"], 0.0);
    EXPECT_DOUBLE_EQ(pins.v["PA4"], 3.3 * 2048 / 4095.0);
}

} // namespace

namespace {
struct DacWaveTest : DacTest {
};

// RM0399 "Triangle-wave generation": at each trigger the triangle counter goes up
// by one until 2^(MAMP + 1) - 1 (MAMP = 0010: 7), then down to 0, and so on; it is
// added to DHR.
TEST_F(DacWaveTest, TriangleCountsUpThenDown)
{
    wr(CR, EN1 | TEN1 | tsel1(0) | (2u << 6) | (2u << 8)); // WAVE1 = 10, MAMP1 = 0010
    wr(DHR12R1, 100);
    std::vector<uint32_t> seen;
    for (int i = 0; i < 16; i++) {
        wr(SWTRGR, SWTRIG1);
        seen.push_back(rd(DOR1) - 100);
    }
    EXPECT_EQ(seen, (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2}));
}

// RM0399 "Noise generation": a 12-bit LFSR, stepped at each trigger, masked by
// MAMP (0011: the 4 low bits), added to DHR: values within the mask, changing.
TEST_F(DacWaveTest, NoiseStaysWithinTheMaskAndChanges)
{
    wr(CR, EN1 | TEN1 | tsel1(0) | (1u << 6) | (3u << 8)); // WAVE1 = 01, MAMP1 = 0011
    wr(DHR12R1, 2000);
    std::set<uint32_t> values;
    for (int i = 0; i < 64; i++) {
        wr(SWTRGR, SWTRIG1);
        const uint32_t d = rd(DOR1) - 2000;
        EXPECT_LE(d, 15u);
        values.insert(d);
    }
    EXPECT_GT(values.size(), 8u);
}
} // namespace
