// STM32H7 BDMA and DMAMUX2 (D3 domain), one RM0399 rule per test (RM0399 Rev 4,
// "Basic direct memory access controller (BDMA)" and "DMA request multiplexer
// (DMAMUX)": "DMAMUX2 implementation"; rules paraphrased in the comments).  The
// register sequences are those of ST's HAL (stm32h7xx_hal_dma.c, its BDMA
// branch: HAL_DMA_Init, DMA_SetConfig, HAL_DMA_Start_IT).  Memory is a fake
// BusMaster; time a fake Scheduler at 64 MHz (15.625 ns a beat).
#include "models/stm32_dma.h"
#include "models/stm32h7_dmamux.h"
#include "dma_test_env.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

// RM0399 BDMA register map.
enum : uint32_t { ISR = 0x00, IFCR = 0x04 };
constexpr uint32_t CCR(unsigned c) { return 0x08 + 0x14 * c; }
constexpr uint32_t CNDTR(unsigned c) { return 0x0C + 0x14 * c; }
constexpr uint32_t CPAR(unsigned c) { return 0x10 + 0x14 * c; }
constexpr uint32_t CM0AR(unsigned c) { return 0x14 + 0x14 * c; }
// BDMA_CCRx bits.
enum : uint32_t {
    EN = 1u << 0, TCIE = 1u << 1, HTIE = 1u << 2, TEIE = 1u << 3, DIR = 1u << 4, CIRC = 1u << 5,
    PINC = 1u << 6, MINC = 1u << 7, PSIZE_BYTE = 0u << 8, PSIZE_HALF = 1u << 8,
    PSIZE_WORD = 2u << 8, MSIZE_BYTE = 0u << 10, MSIZE_HALF = 1u << 10, MSIZE_WORD = 2u << 10,
    MEM2MEM = 1u << 14,
};
// Channel x's flags in BDMA_ISR.
constexpr uint32_t GIF(unsigned c) { return 1u << (4 * c); }
constexpr uint32_t TCIF(unsigned c) { return 2u << (4 * c); }
constexpr uint32_t HTIF(unsigned c) { return 4u << (4 * c); }
constexpr uint32_t TEIF(unsigned c) { return 8u << (4 * c); }

constexpr uint64_t AXI = 0x24000000, SRAM4 = 0x38000000, BKPSRAM = 0x38800000;
constexpr uint64_t D3_REG = 0x58001C28; // a register of a D3 peripheral

struct BdmaTest : ::testing::Test {
    Stm32Bdma bdma{"BDMA"};
    Stm32h7Dmamux2 mux{"DMAMUX2"};
    dmatest::FakeTime time;
    dmatest::FakeBus bus;
    dmatest::Level irqs;
    testutil::LogCapture cap;
    void SetUp() override
    {
        bus.regions.push_back({AXI, std::vector<uint8_t>(0x10000), -1});
        bus.regions.push_back({SRAM4, std::vector<uint8_t>(0x10000), -1});
        bus.regions.push_back({BKPSRAM, std::vector<uint8_t>(0x1000), -1});
        bus.fake_reg = D3_REG;
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        ctx.master = &bus;
        bdma.set_context(ctx);
        mux.set_context(ctx);
        // The machine description's reach: SRAM4, backup SRAM, D3 peripherals.
        bdma.configure({{"reach", "0x38000000+0x10000,0x38800000+0x1000,0x58000000+0x8000,"
                                  "0x58020000+0x8000"}},
                       {"cm7", "cm4"});
        for (unsigned c = 0; c < 8; c++) {
            bdma.irq("c" + std::to_string(c))->connect(&irqs, 1, 129 + c);
            mux.irq("req_out" + std::to_string(c))->connect_input(&bdma, c);
            bdma.irq("ack" + std::to_string(c))->connect_input(&mux, 512 + c);
        }
    }
    uint32_t rd(uint32_t off) { return reg_read(bdma, off, 1); }
    void wr(uint32_t off, uint32_t v) { reg_write(bdma, off, v, 1); }
    void fill(uint64_t addr, size_t n, uint8_t seed)
    {
        for (size_t i = 0; i < n; i++) {
            bus.at(addr + i) = static_cast<uint8_t>(seed + 7 * i);
        }
    }
    bool same(uint64_t a, uint64_t b, size_t n)
    {
        return std::memcmp(bus.memory(0, a, n), bus.memory(0, b, n), n) == 0;
    }
    // HAL_DMA_Init (BDMA branch): CCR = direction | increments | sizes | mode |
    // priority; flags cleared with CGIF.  HAL_DMA_Start_IT: EN = 0; CGIF;
    // CNDTR; CPAR/CM0AR; TCIE | TEIE (| HTIE); EN = 1.
    void hal_start(unsigned c, uint32_t config, uint32_t src, uint32_t dst, uint32_t n)
    {
        wr(CCR(c), 0);
        wr(CCR(c), config);
        wr(IFCR, GIF(c));
        wr(CCR(c), rd(CCR(c)) & ~EN);
        wr(IFCR, GIF(c));
        wr(CNDTR(c), n);
        if (config & DIR) {
            wr(CPAR(c), dst);
            wr(CM0AR(c), src);
        } else {
            wr(CPAR(c), src);
            wr(CM0AR(c), dst);
        }
        wr(CCR(c), rd(CCR(c)) | TCIE | TEIE | HTIE);
        wr(CCR(c), rd(CCR(c)) | EN);
    }
    static uint64_t ns(uint64_t beats) { return (beats * 1000000000ull + 63999999) / 64000000; }
};

constexpr uint32_t M2M_WORDS = MEM2MEM | PINC | MINC | PSIZE_WORD | MSIZE_WORD;

// RM0399 BDMA register map: ISR, IFCR, then channel x's CCR, CNDTR, CPAR,
// CM0AR, CM1AR at 0x08 + 0x14 * x; all reset to 0; CCR bits 17-31 reserved.
TEST_F(BdmaTest, RegisterMapAndResetValues)
{
    EXPECT_EQ(bdma.bank()["C7CR"].offset(), 0x08u + 0x14 * 7);
    EXPECT_EQ(bdma.bank()["C0CR"].defined_mask(), 0x0001FFFFu);
    for (unsigned c = 0; c < 8; c++) {
        EXPECT_EQ(rd(CCR(c)), 0u);
        EXPECT_EQ(rd(CNDTR(c)), 0u);
    }
    wr(ISR, 0xFFFFFFFF);
    EXPECT_EQ(rd(ISR), 0u);
}

// RM0399 BDMA "Memory-to-memory mode": with MEM2MEM = 1 the channel starts
// without a request; the transfer takes one read and one write beat per item;
// HTIF at half, TCIF at the end, GIF with them, the interrupt to the core.
TEST_F(BdmaTest, MemoryToMemoryInD3CopiesAndFlags)
{
    fill(SRAM4, 256, 5);
    hal_start(2, M2M_WORDS, SRAM4, BKPSRAM, 64);
    EXPECT_EQ(rd(CNDTR(2)), 64u);
    EXPECT_EQ(rd(ISR), 0u);
    time.advance(ns(128));
    EXPECT_TRUE(same(SRAM4, BKPSRAM, 256));
    EXPECT_EQ(rd(CNDTR(2)), 0u);
    EXPECT_EQ(rd(ISR), GIF(2) | TCIF(2) | HTIF(2));
    EXPECT_TRUE(irqs[131]);
}

// RM0399 BDMA: in normal mode, after the last transfer the channel stays
// enabled (EN = 1) and serves no more requests; software disables it.
TEST_F(BdmaTest, ChannelStaysEnabledAfterTheLastTransfer)
{
    fill(SRAM4, 16, 1);
    hal_start(0, M2M_WORDS, SRAM4, SRAM4 + 0x100, 4);
    time.advance(ns(8));
    EXPECT_EQ(rd(CCR(0)) & EN, EN);
    EXPECT_EQ(rd(ISR) & TCIF(0), TCIF(0));
}

// RM0399 BDMA_IFCR: CGIFx clears GIFx, TCIFx, HTIFx and TEIFx; CTCIFx only TCIFx.
TEST_F(BdmaTest, IfcrClearsFlagsAndGlobalFlag)
{
    fill(SRAM4, 16, 1);
    hal_start(1, M2M_WORDS, SRAM4, SRAM4 + 0x100, 4);
    time.advance(ns(8));
    ASSERT_EQ(rd(ISR), GIF(1) | TCIF(1) | HTIF(1));
    wr(IFCR, TCIF(1));
    EXPECT_EQ(rd(ISR), GIF(1) | HTIF(1));
    wr(IFCR, GIF(1));
    EXPECT_EQ(rd(ISR), 0u);
    EXPECT_FALSE(irqs[130]);
}

// RM0399 BDMA "Programmable data width": no packing; a byte read is written as
// a word zero-extended, a word read as a half-word keeps its low half.
TEST_F(BdmaTest, DataWidthIsPaddedOrTruncatedPerItem)
{
    for (unsigned i = 0; i < 4; i++) {
        bus.at(SRAM4 + i) = static_cast<uint8_t>(0xF0 + i);
    }
    hal_start(0, MEM2MEM | PINC | MINC | PSIZE_BYTE | MSIZE_WORD, SRAM4, SRAM4 + 0x100, 4);
    time.advance(ns(8));
    for (unsigned i = 0; i < 4; i++) {
        uint32_t w;
        std::memcpy(&w, bus.memory(0, SRAM4 + 0x100 + 4 * i, 4), 4);
        EXPECT_EQ(w, 0xF0u + i);
    }
    const uint32_t words[2] = {0x11223344, 0x55667788};
    std::memcpy(bus.memory(0, SRAM4 + 0x200, 8), words, 8);
    hal_start(0, MEM2MEM | PINC | MINC | PSIZE_WORD | MSIZE_HALF, SRAM4 + 0x200, SRAM4 + 0x300, 2);
    time.advance(ns(4));
    uint16_t h[2];
    std::memcpy(h, bus.memory(0, SRAM4 + 0x300, 4), 4);
    EXPECT_EQ(h[0], 0x3344);
    EXPECT_EQ(h[1], 0x7788);
}

// RM0399 bus matrix: the BDMA reaches only D3 (SRAM4, backup SRAM, D3
// peripherals).  An access elsewhere (AXI SRAM) is a bus error: TEIFx set and
// the channel disabled (EN cleared by hardware), the interrupt raised.
TEST_F(BdmaTest, AddressOutsideD3IsATransferError)
{
    fill(AXI, 64, 3);
    hal_start(3, M2M_WORDS, AXI, SRAM4, 16);
    time.advance(ns(32));
    EXPECT_EQ(rd(ISR), GIF(3) | TEIF(3));
    EXPECT_EQ(rd(CCR(3)) & EN, 0u);
    EXPECT_EQ(rd(CNDTR(3)), 16u);
    EXPECT_EQ(bus.at(SRAM4), 0u);
    EXPECT_TRUE(irqs[132]);
    EXPECT_TRUE(cap.has("outside the areas its bus matrix reaches"));
}

// RM0399 BDMA: software clearing EN stops the channel; CNDTR keeps the items
// not moved; no flag is set (unlike DMA1/DMA2 streams).
TEST_F(BdmaTest, SoftwareDisableStopsWithoutAFlag)
{
    fill(SRAM4, 4096, 3);
    hal_start(0, M2M_WORDS, SRAM4, SRAM4 + 0x8000, 1024);
    time.advance(ns(200));
    wr(CCR(0), rd(CCR(0)) & ~EN);
    EXPECT_EQ(rd(CNDTR(0)), 1024u - 100);
    EXPECT_EQ(rd(ISR), 0u);
}

// RM0399 DMAMUX2: channel c forwards the request line its DMAREQ_ID selects to
// BDMA channel c; a peripheral-to-memory channel moves one item per request
// cycle while the request is high.
TEST_F(BdmaTest, Dmamux2RequestDrivesABdmaChannel)
{
    bus.rx = {0x41, 0x42, 0x43, 0x44};
    reg_write(mux, 0x04, 17, 1); // C1CR.DMAREQ_ID = 17
    hal_start(1, MINC | PSIZE_BYTE | MSIZE_BYTE, D3_REG, SRAM4, 4);
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(1)), 4u); // no request yet
    mux.input(17, true);
    time.advance(1000);
    mux.input(17, false);
    EXPECT_EQ(rd(CNDTR(1)), 0u);
    EXPECT_EQ(bus.at(SRAM4 + 3), 0x44);
    EXPECT_EQ(rd(ISR) & TCIF(1), TCIF(1));
}

// ST's PWR_Domain3SystemControl: DMAMUX2 request generator 0 on trigger 7
// (LPUART1 RX wake-up, HAL_DMAMUX2_REQ_GEN_LPUART1_RX_WKUP), rising edge,
// GNBREQ = 3, feeds BDMA channel 7 (DMAREQ_ID 1 = BDMA_REQUEST_GENERATOR0)
// reading a D3 register: 4 items per trigger (RM0399 "DMAMUX request
// generator"), the BDMA's acknowledges counting them down.
TEST_F(BdmaTest, RequestGeneratorFeedsFourItemsPerTrigger)
{
    bus.rx = {'0', '1', '2', '3', '4', '5', '6', '7'};
    reg_write(mux, 0x1C, 1, 1);                                      // C7CR.DMAREQ_ID
    reg_write(mux, 0x100, 7u | (1u << 17) | (3u << 19), 1);          // RG0CR
    reg_write(mux, 0x100, reg_read(mux, 0x100, 1) | (1u << 16), 1);  // GE
    hal_start(7, MINC | PSIZE_BYTE | MSIZE_BYTE, D3_REG, SRAM4, 8);
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(7)), 8u);
    mux.input(256 + 7, true); // the LPUART's RX wake-up rises
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(7)), 4u);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(bus.memory(0, SRAM4, 4)), 4), "0123");
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(7)), 4u) << "no more requests until the next trigger";
    mux.input(256 + 7, false);
    mux.input(256 + 7, true);
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(7)), 0u);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(bus.memory(0, SRAM4, 8)), 8), "01234567");
    EXPECT_EQ(rd(ISR) & TCIF(7), TCIF(7));
    EXPECT_EQ(reg_read(mux, 0x140, 1), 0u); // no trigger overrun
}

// RM0399 "DMAMUX2 implementation": 8 channels (C0CR-C7CR), CSR has SOF0-7.
TEST_F(BdmaTest, Dmamux2HasEightChannels)
{
    EXPECT_EQ(mux.bank()["CSR"].defined_mask(), 0xFFu);
    EXPECT_NE(mux.bank().at(0x1C), nullptr);
    EXPECT_EQ(mux.bank().at(0x20), nullptr);
    EXPECT_NE(mux.irq("req_out7"), nullptr);
}

// RM0399 DMAMUX CxCR.EGE / NBREQ: with event generation on, channel x pulses
// dmamux_evtx each time NBREQ + 1 requests have been forwarded to the DMA (ST's
// PWR_Domain3SystemControl: HAL_DMAEx_ConfigMuxSync with EventEnable, 4
// requests, no synchronization; dmamux2_evt7 is an EXTI D3 pendclear source).
TEST_F(BdmaTest, EventGenerationPulsesEveryNbreqPlusOneRequests)
{
    testutil::WaveSink exti; // counts the pulses on the EXTI's pendclear input
    mux.irq("evt7")->connect_input(&exti, 97);
    bus.rx = std::vector<uint32_t>(12, 'x');
    // HAL_DMA_Init: C7CR = request 1 (generator 0); ConfigMuxSync: SE and EGE
    // cleared, then NBREQ = 3, EGE = 1 in one write (DMAREQ_ID kept).
    reg_write(mux, 0x1C, 1, 1);
    reg_write(mux, 0x1C, reg_read(mux, 0x1C, 1) & ~((1u << 16) | (1u << 9)), 1);
    reg_write(mux, 0x1C, 1u | (3u << 19) | (1u << 9), 1);
    reg_write(mux, 0x100, 7u | (1u << 17) | (3u << 19), 1);
    reg_write(mux, 0x100, reg_read(mux, 0x100, 1) | (1u << 16), 1);
    hal_start(7, MINC | PSIZE_BYTE | MSIZE_BYTE, D3_REG, SRAM4, 12);
    for (int chunk = 1; chunk <= 3; chunk++) {
        mux.input(256 + 7, true);
        time.advance(ns(3 * 2)); // three items served
        EXPECT_EQ(exti.rises[97], chunk - 1) << "not before the 4th request";
        time.advance(1000);
        EXPECT_EQ(exti.rises[97], chunk) << "one event per 4 requests";
        mux.input(256 + 7, false);
    }
    EXPECT_FALSE(cap.has("guest error"));
}

// RM0399 RCC_D3AMR (BDMAAMEN clear, its CPU in CStop) stops the BDMA's clock:
// requests wait and a memory-to-memory pass stands still; both go on from
// where they were when the clock returns.
TEST_F(BdmaTest, NoClockNoTransferThenItGoesOn)
{
    bus.rx = {0x41, 0x42};
    reg_write(mux, 0x04, 17, 1);
    hal_start(1, MINC | PSIZE_BYTE | MSIZE_BYTE, D3_REG, SRAM4, 2);
    bdma.input(Stm32Dma::CLOCK_OFF, true);
    mux.input(17, true);
    time.advance(10000);
    EXPECT_EQ(rd(CNDTR(1)), 2u) << "no clock: the request waits";
    bdma.input(Stm32Dma::CLOCK_OFF, false);
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(1)), 0u);
    EXPECT_EQ(bus.at(SRAM4 + 1), 0x42);

    fill(SRAM4 + 0x1000, 4096, 9);
    hal_start(0, M2M_WORDS, SRAM4 + 0x1000, SRAM4 + 0x4000, 1024);
    time.advance(ns(200));
    bdma.input(Stm32Dma::CLOCK_OFF, true);
    EXPECT_EQ(rd(CNDTR(0)), 1024u - 100);
    time.advance(ns(2000));
    EXPECT_EQ(rd(CNDTR(0)), 1024u - 100) << "the pass stands still";
    bdma.input(Stm32Dma::CLOCK_OFF, false);
    time.advance(ns(200));
    EXPECT_EQ(rd(CNDTR(0)), 1024u - 200) << "and goes on at the same rate";
    time.advance(ns(2048));
    EXPECT_TRUE(same(SRAM4 + 0x1000, SRAM4 + 0x4000, 4096));
}

// RM0399: no access to a block whose clock is off (SRAM4 without SRAM4AMEN
// while the CPUs are in CStop): the BDMA's item is not written, with a guest
// error; the transfer itself goes on (its own clock runs).
TEST_F(BdmaTest, ItemIntoAStoppedSram4IsNotWritten)
{
    bdma.configure({{"gated", "0x38000000+0x10000,0x38800000+0x1000"}}, {"cm7", "cm4"});
    bus.rx = {0x41, 0x42};
    reg_write(mux, 0x04, 17, 1);
    hal_start(1, MINC | PSIZE_BYTE | MSIZE_BYTE, D3_REG, SRAM4, 2);
    bdma.input(Stm32Dma::MEM_CLOCK_OFF + 0, true); // SRAM4 stopped
    mux.input(17, true);
    time.advance(1000);
    EXPECT_EQ(rd(CNDTR(1)), 0u);
    EXPECT_EQ(bus.at(SRAM4), 0u);
    EXPECT_EQ(bus.at(SRAM4 + 1), 0u);
    EXPECT_EQ(cap.count("whose clock is stopped"), 1) << "said once per pass";
    bdma.input(Stm32Dma::MEM_CLOCK_OFF + 0, false);
    bus.rx = {0x43};
    hal_start(1, MINC | PSIZE_BYTE | MSIZE_BYTE, D3_REG, SRAM4, 1);
    time.advance(1000);
    EXPECT_EQ(bus.at(SRAM4), 0x43);
}

} // namespace
