// STM32H7 DMA2D, one RM0399 rule per test (RM0399 Rev 4, "Chrom-Art
// Accelerator controller (DMA2D)"; rules paraphrased in the comments).  The
// register sequences are those of ST's HAL (stm32h7xx_hal_dma2d.c:
// HAL_DMA2D_Init, HAL_DMA2D_ConfigLayer, DMA2D_SetConfig, HAL_DMA2D_Start_IT,
// HAL_DMA2D_Abort).  Memory is a fake BusMaster; time a fake Scheduler at
// 64 MHz (15.625 ns a cycle).
#include "models/stm32_dma2d.h"
#include "dma_test_env.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

// RM0399 DMA2D register map.
enum : uint32_t {
    CR = 0x00, ISR = 0x04, IFCR = 0x08, FGMAR = 0x0C, FGOR = 0x10, BGMAR = 0x14, BGOR = 0x18,
    FGPFCCR = 0x1C, FGCOLR = 0x20, BGPFCCR = 0x24, BGCOLR = 0x28, OPFCCR = 0x34, OCOLR = 0x38,
    OMAR = 0x3C, OOR = 0x40, NLR = 0x44, LWR = 0x48,
};
enum : uint32_t { START = 1u << 0, ABORT = 1u << 2, TEIE = 1u << 8, TCIE = 1u << 9,
                  TWIE = 1u << 10, CEIE = 1u << 13 };
constexpr uint32_t MODE(uint32_t m) { return m << 16; }
enum : uint32_t { M2M = 0, M2M_PFC = 1, M2M_BLEND = 2, R2M = 3 };
enum : uint32_t { TEIF = 1u << 0, TCIF = 1u << 1, TWIF = 1u << 2, CEIF = 1u << 5 };
enum : uint32_t { ARGB8888 = 0, RGB888 = 1, RGB565 = 2, ARGB1555 = 3, ARGB4444 = 4, L8 = 5 };
constexpr uint32_t AM_REPLACE = 1u << 16;
constexpr uint32_t ALPHA(uint32_t a) { return a << 24; }

constexpr uint64_t AXI = 0x24000000, SRAM1 = 0x30000000;

struct Dma2dTest : ::testing::Test {
    Stm32Dma2d dma2d{"DMA2D"};
    dmatest::FakeTime time;
    dmatest::FakeBus bus;
    dmatest::Level irqs;
    testutil::LogCapture cap;
    void SetUp() override
    {
        bus.regions.push_back({AXI, std::vector<uint8_t>(0x40000), -1});
        bus.regions.push_back({SRAM1, std::vector<uint8_t>(0x10000), -1});
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        ctx.master = &bus;
        dma2d.set_context(ctx);
        dma2d.irq("irq")->connect(&irqs, 0, 90);
    }
    uint32_t rd(uint32_t off) { return reg_read(dma2d, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(dma2d, off, v); }
    uint32_t u32(uint64_t a) { uint32_t v; std::memcpy(&v, bus.memory(0, a, 4), 4); return v; }
    uint16_t u16(uint64_t a) { uint16_t v; std::memcpy(&v, bus.memory(0, a, 2), 2); return v; }
    void put32(uint64_t a, uint32_t v) { std::memcpy(bus.memory(0, a, 4), &v, 4); }
    void put16(uint64_t a, uint16_t v) { std::memcpy(bus.memory(0, a, 2), &v, 2); }
    // HAL_DMA2D_Init: CR.MODE; OPFCCR.CM; OOR.  HAL_DMA2D_ConfigLayer (layer 1):
    // FGPFCCR, FGOR.  HAL_DMA2D_Start_IT: NLR = PL << 16 | NL; OMAR; FGMAR
    // (or OCOLR); TE | TC | CE enabled; START.
    void hal_init(uint32_t mode, uint32_t out_cm, uint32_t oor = 0)
    {
        wr(CR, (rd(CR) & ~MODE(7)) | MODE(mode));
        wr(OPFCCR, out_cm);
        wr(OOR, oor);
    }
    void hal_layer(uint32_t pfccr, uint32_t lo = 0, bool fg = true)
    {
        wr(fg ? FGPFCCR : BGPFCCR, pfccr);
        wr(fg ? FGOR : BGOR, lo);
    }
    void hal_start_it(uint32_t src_or_color, uint32_t dst, uint32_t w, uint32_t h)
    {
        wr(NLR, w << 16 | h);
        wr(OMAR, dst);
        if ((rd(CR) >> 16 & 7) == R2M) {
            wr(OCOLR, src_or_color);
        } else {
            wr(FGMAR, src_or_color);
        }
        wr(CR, rd(CR) | TEIE | TCIE | CEIE);
        wr(CR, rd(CR) | START);
    }
    static uint64_t ns(uint64_t cycles) { return (cycles * 1000000000ull + 63999999) / 64000000; }
};

// RM0399 DMA2D register map: reset values 0; ISR read-only.
TEST_F(Dma2dTest, ResetValues)
{
    for (uint32_t r : {CR, ISR, FGMAR, FGPFCCR, BGPFCCR, OPFCCR, OCOLR, OMAR, OOR, NLR, LWR}) {
        EXPECT_EQ(rd(r), 0u) << r;
    }
    wr(ISR, 0x3F);
    EXPECT_EQ(rd(ISR), 0u);
}

// RM0399 "Register-to-memory": OCOLR (in the output format) fills the area of
// NLR; at the end START is reset by hardware and TCIF set; the interrupt
// follows TCIE.  Output offset OOR skips pixels after each line.
TEST_F(Dma2dTest, RegisterToMemoryFillsAndCompletes)
{
    hal_init(R2M, RGB565, 2);
    hal_start_it(0xF800, SRAM1, 6, 3);
    EXPECT_EQ(rd(CR) & START, START);
    time.advance(ns(6) * 3);
    EXPECT_EQ(rd(CR) & START, 0u);
    EXPECT_EQ(rd(ISR), TCIF);
    EXPECT_TRUE(irqs[90]);
    for (unsigned y = 0; y < 3; y++) {
        for (unsigned x = 0; x < 8; x++) {
            EXPECT_EQ(u16(SRAM1 + 2 * (8 * y + x)), x < 6 ? 0xF800 : 0) << x << "," << y;
        }
    }
    wr(IFCR, TCIF);
    EXPECT_EQ(rd(ISR), 0u);
    EXPECT_FALSE(irqs[90]);
}

// The transfer takes time: one cycle per pixel written and per pixel read
// (model's timing rule); half-way through START still reads 1 and no flag.
TEST_F(Dma2dTest, TransferTakesACyclePerPixelReadAndWritten)
{
    for (unsigned i = 0; i < 64 * 4; i++) {
        put32(AXI + 4 * i, i);
    }
    hal_init(M2M, ARGB8888);
    hal_layer(ARGB8888);
    hal_start_it(AXI, SRAM1, 64, 4);
    time.advance(ns(128) * 2);
    EXPECT_EQ(rd(CR) & START, START);
    EXPECT_EQ(rd(ISR), 0u);
    time.advance(ns(128) * 2);
    EXPECT_EQ(rd(ISR), TCIF);
    EXPECT_EQ(u32(SRAM1 + 4 * 255), 255u);
}

// RM0399 "Memory-to-memory with pixel-format conversion": RGB565 to ARGB8888
// widens each channel (bit replication: 0x1F -> 0xFF, 0x10 -> 0x84) with
// alpha 0xFF; ARGB8888 to ARGB1555 / ARGB4444 / RGB888 keeps the high bits.
TEST_F(Dma2dTest, PixelFormatConversion)
{
    put16(AXI, 0xF800);     // red
    put16(AXI + 2, 0x8410); // r 0x10, g 0x20, b 0x10
    hal_init(M2M_PFC, ARGB8888);
    hal_layer(RGB565);
    hal_start_it(AXI, SRAM1, 2, 1);
    time.advance(1000);
    EXPECT_EQ(u32(SRAM1), 0xFFFF0000u);
    EXPECT_EQ(u32(SRAM1 + 4), 0xFF848284u);

    put32(AXI + 0x100, 0x80FF8040u);
    for (auto [cm, want] : {std::pair<uint32_t, uint32_t>{ARGB1555, 0xFE08u},
                            {ARGB4444, 0x8F84u}, {RGB565, 0xFC08u}}) {
        hal_init(M2M_PFC, cm);
        hal_layer(ARGB8888);
        hal_start_it(AXI + 0x100, SRAM1 + 0x100, 1, 1);
        time.advance(1000);
        EXPECT_EQ(u16(SRAM1 + 0x100), want) << "output CM " << cm;
    }
    hal_init(M2M_PFC, RGB888);
    hal_layer(ARGB8888);
    hal_start_it(AXI + 0x100, SRAM1 + 0x200, 1, 1);
    time.advance(1000);
    EXPECT_EQ(bus.at(SRAM1 + 0x200), 0x40);
    EXPECT_EQ(bus.at(SRAM1 + 0x201), 0x80);
    EXPECT_EQ(bus.at(SRAM1 + 0x202), 0xFF);
}

// RM0399 DMA2D blender: aM = aFG.aBG/255, aOUT = aFG + aBG - aM,
// C = (CFG.aFG + CBG.aBG - CBG.aM) / aOUT; FGPFCCR.AM = 01 replaces the
// foreground's alpha with ALPHA (DMA2D_MemToMemWithBlending's 0x7F).
TEST_F(Dma2dTest, BlendingFollowsTheBlenderFormula)
{
    put32(AXI, 0xFFFF0000u);         // opaque red foreground
    put32(AXI + 0x100, 0xFF0000FFu); // opaque blue background
    hal_init(M2M_BLEND, ARGB8888);
    hal_layer(ARGB8888 | AM_REPLACE | ALPHA(0x7F));
    hal_layer(ARGB8888, 0, false);
    wr(BGMAR, AXI + 0x100);
    hal_start_it(AXI, SRAM1, 1, 1);
    time.advance(1000);
    // aM = 127, aOUT = 255; R = 255*127/255 = 127, B = (255*255 - 255*127)/255 = 128.
    EXPECT_EQ(u32(SRAM1), 0xFF7F0080u);
}

// RM0399 DMA2D_LWR / TWIF: the watermark flag is set when the line LWR has
// been written, with its interrupt (TWIE).
TEST_F(Dma2dTest, LineWatermarkFlag)
{
    hal_init(R2M, ARGB8888);
    wr(LWR, 2);
    wr(CR, rd(CR) | TWIE);
    hal_start_it(0x11223344, SRAM1, 10, 8);
    time.advance(ns(10) * 2);
    EXPECT_EQ(rd(ISR), TWIF);
    EXPECT_TRUE(irqs[90]);
    EXPECT_EQ(rd(CR) & START, START);
}

// RM0399 "DMA2D error management": a configuration error (here a CLUT colour
// mode, or an output address not aligned on its pixel size) sets CEIF at
// START; nothing is transferred.
TEST_F(Dma2dTest, ConfigurationErrorSetsCeif)
{
    hal_init(M2M_PFC, ARGB8888);
    hal_layer(L8);
    hal_start_it(AXI, SRAM1, 4, 4);
    EXPECT_EQ(rd(ISR), CEIF);
    EXPECT_EQ(rd(CR) & START, 0u);
    EXPECT_TRUE(irqs[90]);
    wr(IFCR, CEIF);
    hal_init(R2M, RGB565);
    hal_start_it(0, SRAM1 + 1, 4, 4);
    EXPECT_EQ(rd(ISR), CEIF);
    EXPECT_EQ(bus.at(SRAM1 + 2), 0u);
}

// RM0399 "DMA2D error management": an address with nothing behind it is a
// transfer error: TEIF, the transfer stops, START reads 0.
TEST_F(Dma2dTest, BusErrorSetsTeif)
{
    hal_init(R2M, ARGB8888);
    hal_start_it(0xFFFFFFFF, 0x70000000, 4, 4);
    time.advance(1000);
    EXPECT_EQ(rd(ISR), TEIF);
    EXPECT_EQ(rd(CR) & START, 0u);
}

// RM0399 DMA2D_CR.ABORT: the transfer is aborted; START and ABORT read 0
// (HAL_DMA2D_Abort waits for START = 0); the lines not yet written stay.
TEST_F(Dma2dTest, AbortStopsTheTransfer)
{
    hal_init(R2M, ARGB8888);
    hal_start_it(0xAABBCCDD, SRAM1, 16, 16);
    time.advance(ns(16) * 4);
    wr(CR, rd(CR) | ABORT);
    EXPECT_EQ(rd(CR) & (START | ABORT), 0u);
    EXPECT_EQ(rd(ISR), 0u);
    time.advance(100000);
    EXPECT_EQ(u32(SRAM1 + 4 * 16 * 3), 0xAABBCCDDu);
    EXPECT_EQ(u32(SRAM1 + 4 * 16 * 15), 0u);
}

} // namespace
