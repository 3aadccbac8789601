// STM32H7 DMA1/DMA2 streams and DMAMUX1, one RM0399 rule per test (RM0399 Rev 4,
// "Direct memory access controller (DMA)" and "DMA request multiplexer
// (DMAMUX)"; rules paraphrased in the comments).  The register sequences are
// those of ST's HAL (stm32h7xx_hal_dma.c).  Memory is a fake BusMaster owning
// byte vectors; time is a fake Scheduler; the DMA's clock is 64 MHz unless a
// test says otherwise, so one beat takes 15.625 ns.
#include "models/stm32_dma.h"
#include "models/stm32_tim.h"
#include "models/stm32_usart.h"
#include "models/stm32h7_dmamux.h"
#include "dma_test_env.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;
using dmatest::FakeBus;
using dmatest::FakeTime;
using dmatest::Level;

namespace {

// RM0399 DMA register map.
enum : uint32_t { LISR = 0x00, HISR = 0x04, LIFCR = 0x08, HIFCR = 0x0C };
constexpr uint32_t CR(unsigned s) { return 0x10 + 0x18 * s; }
constexpr uint32_t NDTR(unsigned s) { return 0x14 + 0x18 * s; }
constexpr uint32_t PAR(unsigned s) { return 0x18 + 0x18 * s; }
constexpr uint32_t M0AR(unsigned s) { return 0x1C + 0x18 * s; }
constexpr uint32_t M1AR(unsigned s) { return 0x20 + 0x18 * s; }
constexpr uint32_t FCR(unsigned s) { return 0x24 + 0x18 * s; }
// SxCR / SxFCR bits as RM0399 names them.
enum : uint32_t {
    EN = 1u << 0, DMEIE = 1u << 1, TEIE = 1u << 2, HTIE = 1u << 3, TCIE = 1u << 4,
    DIR_P2M = 0u << 6, DIR_M2P = 1u << 6, DIR_M2M = 2u << 6, CIRC = 1u << 8, PINC = 1u << 9,
    MINC = 1u << 10, PSIZE_BYTE = 0u << 11, PSIZE_HALF = 1u << 11, PSIZE_WORD = 2u << 11,
    MSIZE_BYTE = 0u << 13, MSIZE_HALF = 1u << 13, MSIZE_WORD = 2u << 13, MSIZE_MASK = 3u << 13,
    PL_HIGH = 2u << 16, DBM = 1u << 18, CT = 1u << 19, TRBUFF = 1u << 20,
    FCR_FTH_FULL = 3u, FCR_DMDIS = 1u << 2, FCR_FEIE = 1u << 7,
};
// A stream's flags in LISR/HISR: offset 0, 6, 16, 22 for streams 0-3 (4-7).
constexpr unsigned flag_shift(unsigned s)
{
    return s % 4 == 0 ? 0u : s % 4 == 1 ? 6u : s % 4 == 2 ? 16u : 22u;
}
constexpr uint32_t FEIF(unsigned s) { return 1u << (flag_shift(s) + 0); }
constexpr uint32_t DMEIF(unsigned s) { return 1u << (flag_shift(s) + 2); }
constexpr uint32_t TEIF(unsigned s) { return 1u << (flag_shift(s) + 3); }
constexpr uint32_t HTIF(unsigned s) { return 1u << (flag_shift(s) + 4); }
constexpr uint32_t TCIF(unsigned s) { return 1u << (flag_shift(s) + 5); }
constexpr uint32_t ISR(unsigned s) { return s < 4 ? LISR : HISR; }
constexpr uint32_t IFCR(unsigned s) { return s < 4 ? LIFCR : HIFCR; }

constexpr uint64_t AXI = 0x24000000, SRAM4 = 0x38000000, DTCM = 0x20000000;
constexpr uint64_t FAKE_REG = 0x40001000; // a register of some peripheral

struct DmaTest : ::testing::Test {
    Stm32Dma dma{"DMA1"};
    FakeTime time;
    FakeBus bus;
    Level irqs;
    testutil::LogCapture cap;
    void SetUp() override
    {
        bus.regions.push_back({AXI, std::vector<uint8_t>(0x10000), -1});
        bus.regions.push_back({SRAM4, std::vector<uint8_t>(0x10000), -1});
        bus.regions.push_back({DTCM, std::vector<uint8_t>(0x1000), 0}); // the CM7's only
        bus.fake_reg = FAKE_REG;
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        ctx.master = &bus;
        dma.set_context(ctx);
        for (unsigned s = 0; s < Stm32Dma::STREAMS; s++) {
            dma.irq("s" + std::to_string(s))->connect(&irqs, 0, s);
        }
    }
    uint32_t rd(uint32_t off) { return reg_read(dma, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(dma, off, v); }
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
    // HAL_DMA_Init: disable, wait EN = 0, CR = configuration, FCR, clear flags.
    void hal_init(unsigned s, uint32_t config, uint32_t fcr = 0)
    {
        wr(CR(s), rd(CR(s)) & ~EN);
        ASSERT_EQ(rd(CR(s)) & EN, 0u);
        wr(CR(s), config);
        wr(FCR(s), (rd(FCR(s)) & ~(FCR_DMDIS | FCR_FTH_FULL)) | fcr);
        wr(IFCR(s), 0x3Fu << flag_shift(s));
    }
    // HAL_DMA_Start_IT: DMA_SetConfig, then TC/TE/DME enabled (HT if asked),
    // then EN.  Memory-to-peripheral: PAR = destination, M0AR = source.
    void hal_start_it(unsigned s, uint64_t src, uint64_t dst, uint32_t n, bool ht = false)
    {
        wr(CR(s), rd(CR(s)) & ~EN);
        wr(IFCR(s), 0x3Fu << flag_shift(s));
        wr(CR(s), rd(CR(s)) & ~DBM);
        wr(NDTR(s), n);
        if ((rd(CR(s)) & (3u << 6)) == DIR_M2P) {
            wr(PAR(s), static_cast<uint32_t>(dst));
            wr(M0AR(s), static_cast<uint32_t>(src));
        } else {
            wr(PAR(s), static_cast<uint32_t>(src));
            wr(M0AR(s), static_cast<uint32_t>(dst));
        }
        wr(CR(s), (rd(CR(s)) & ~(TCIE | TEIE | DMEIE | HTIE)) | TCIE | TEIE | DMEIE | (ht ? HTIE : 0));
        wr(CR(s), rd(CR(s)) | EN);
    }
    // A memory-to-memory word copy of `words` words from AXI to SRAM4 on stream s.
    void m2m_words(unsigned s, uint32_t words, bool ht = false)
    {
        fill(AXI, words * 4, 0x11);
        hal_init(s, DIR_M2M | PINC | MINC | PSIZE_WORD | MSIZE_WORD | PL_HIGH,
                 FCR_DMDIS | FCR_FTH_FULL);
        hal_start_it(s, AXI, SRAM4, words, ht);
    }
    // Duration of a memory-to-memory pass of n items of psize bytes into msize
    // units at 64 MHz: n + n * psize / msize beats of 15.625 ns.
    static uint64_t pass_ns(uint64_t n, unsigned psize = 4, unsigned msize = 4)
    {
        const uint64_t beats = n + (n * psize + msize - 1) / msize;
        return (beats * 1000000000ull + 64000000 - 1) / 64000000;
    }
};

// ---- the register table ---------------------------------------------------

// RM0399 DMA register map: every register resets to 0 except SxFCR, which
// resets to 0x00000021 (FS = 100 "FIFO empty", FTH = 01 "1/2 full").
TEST_F(DmaTest, ResetValues)
{
    for (uint32_t off : {LISR, HISR}) {
        EXPECT_EQ(rd(off), 0u);
    }
    for (unsigned s = 0; s < 8; s++) {
        EXPECT_EQ(rd(CR(s)), 0u);
        EXPECT_EQ(rd(NDTR(s)), 0u);
        EXPECT_EQ(rd(PAR(s)), 0u);
        EXPECT_EQ(rd(M0AR(s)), 0u);
        EXPECT_EQ(rd(M1AR(s)), 0u);
        EXPECT_EQ(rd(FCR(s)), 0x21u) << "stream " << s;
    }
}

// RM0399 DMA_SxCR: bits 25-31 are reserved; DMA_LISR/HISR are read-only.
TEST_F(DmaTest, ReservedAndReadOnlyBitsComeFromTheTable)
{
    const Register &cr = dma.bank()["S0CR"];
    EXPECT_EQ(cr.defined_mask(), 0x01FFFFFFu);
    wr(CR(0), 0xFE000000u);
    EXPECT_EQ(rd(CR(0)), 0u);
    EXPECT_TRUE(cap.has("reserved bits of DMA1.S0CR"));
    const Register &lisr = dma.bank()["LISR"];
    EXPECT_EQ(lisr.mask_of(Acc::RO), 0x0F7D0F7Du); // flags of streams 0-3
    wr(LISR, 0xFFFFFFFFu);
    EXPECT_EQ(rd(LISR), 0u);
}

// RM0399 DMA_LISR/HISR: streams 0-3 (4-7) have FEIF, DMEIF, TEIF, HTIF, TCIF at
// bits 0, 2-5 / 6, 8-11 / 16, 18-21 / 22, 24-27; stream 5's are in HISR 6, 8-11.
TEST_F(DmaTest, StreamFlagsAtTheirOddBitPositions)
{
    m2m_words(5, 16);
    time.advance(pass_ns(16));
    EXPECT_EQ(rd(HISR), (1u << 10) | (1u << 11)); // HTIF5, TCIF5
    EXPECT_EQ(rd(LISR), 0u);
}

// RM0399 DMA_LIFCR/HIFCR: writing 1 clears the corresponding flag; 0 has no
// effect.  HAL's 0x3F << offset (which includes the reserved bit between FEIF
// and DMEIF) is accepted without a guest error.
TEST_F(DmaTest, InterruptFlagClearRegisterClearsWrittenFlags)
{
    m2m_words(1, 8);
    time.advance(pass_ns(8));
    ASSERT_EQ(rd(LISR), HTIF(1) | TCIF(1));
    wr(LIFCR, HTIF(1)); // the clear bit sits where the flag does
    EXPECT_EQ(rd(LISR), TCIF(1));
    wr(LIFCR, 0);
    EXPECT_EQ(rd(LISR), TCIF(1));
    wr(LIFCR, 0x3Fu << 6);
    EXPECT_EQ(rd(LISR), 0u);
    EXPECT_FALSE(cap.has("guest error")) << cap.lines.back();
}

// ---- memory-to-memory -------------------------------------------------------

// RM0399 "Memory-to-memory mode": the stream starts at once when EN is set, the
// peripheral port (SxPAR) is the source and the memory port (SxM0AR) the
// destination; at the end NDTR is 0, EN is cleared by hardware and TCIF is set.
TEST_F(DmaTest, MemoryToMemoryCopiesThenClearsEnAndSetsTcif)
{
    m2m_words(0, 256);
    time.advance(pass_ns(256));
    EXPECT_TRUE(same(AXI, SRAM4, 1024));
    EXPECT_EQ(rd(NDTR(0)), 0u);
    EXPECT_EQ(rd(CR(0)) & EN, 0u);
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
}

// The transfer takes time: right after EN = 1 the stream is busy (EN reads 1,
// NDTR the full count, no flag, the destination untouched), as
// HAL_DMA_PollForTransfer sees it.  Timing rule of the model: one beat per
// DMA clock cycle, N source beats plus N * PSIZE / MSIZE destination beats:
// 256 words at 64 MHz take 512 beats = 8 us.
TEST_F(DmaTest, TransferIsNotDoneRightAfterEnableButAfterItsBeats)
{
    m2m_words(0, 256);
    EXPECT_EQ(rd(CR(0)) & EN, EN);
    EXPECT_EQ(rd(NDTR(0)), 256u);
    EXPECT_EQ(rd(LISR), 0u);
    EXPECT_EQ(bus.at(SRAM4 + 1020), 0u);
    time.advance(8000 - 100);
    EXPECT_EQ(rd(CR(0)) & EN, EN);
    EXPECT_EQ(rd(LISR) & TCIF(0), 0u);
    EXPECT_GT(rd(NDTR(0)), 0u);
    time.advance(100);
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
    EXPECT_EQ(rd(NDTR(0)), 0u);
}

// The duration follows the DMA's clock (rcc_hclk1): at 200 MHz the same 512
// beats take 2.56 us.
TEST_F(DmaTest, DurationFollowsTheDmaClock)
{
    time.rate = 200000000;
    m2m_words(0, 256);
    time.advance(2560 - 20);
    EXPECT_EQ(rd(LISR) & TCIF(0), 0u);
    time.advance(20);
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
}

// RM0399 HTIFx: set when half of the data items have been transferred; NDTR
// counts down as items are moved, and the first half is in place.
TEST_F(DmaTest, HalfTransferFlagAndNdtrCountDown)
{
    m2m_words(0, 256, true);
    time.advance(pass_ns(256) / 2);
    EXPECT_EQ(rd(LISR), HTIF(0));
    EXPECT_EQ(rd(NDTR(0)), 128u);
    EXPECT_TRUE(same(AXI, SRAM4, 512));
    EXPECT_FALSE(same(AXI + 512, SRAM4 + 512, 512));
    EXPECT_TRUE(irqs[0]); // HTIE set
}

// RM0399 "Programmable data width, packing/unpacking": with PSIZE = byte and
// MSIZE = word the FIFO packs four bytes (little-endian) per memory write; NDT
// counts peripheral-port items (bytes).
TEST_F(DmaTest, PackingBytesIntoWordsCountsPeripheralItems)
{
    fill(AXI, 64, 3);
    hal_init(0, DIR_M2M | PINC | MINC | PSIZE_BYTE | MSIZE_WORD, FCR_DMDIS | FCR_FTH_FULL);
    hal_start_it(0, AXI, SRAM4, 64);
    EXPECT_EQ(rd(NDTR(0)), 64u);
    time.advance(pass_ns(64, 1, 4));
    EXPECT_TRUE(same(AXI, SRAM4, 64));
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
}

// RM0399 SxCR.PINC = 0: the peripheral-port address stays fixed, so a
// memory-to-memory stream with a fixed source fills the destination.
TEST_F(DmaTest, FixedSourceAddressFillsTheDestination)
{
    bus.at(AXI) = 0xA5;
    hal_init(0, DIR_M2M | MINC | PSIZE_BYTE | MSIZE_BYTE, FCR_DMDIS);
    hal_start_it(0, AXI, SRAM4, 100);
    time.advance(pass_ns(100, 1, 1));
    for (unsigned i = 0; i < 100; i++) {
        ASSERT_EQ(bus.at(SRAM4 + i), 0xA5u) << i;
    }
    EXPECT_EQ(bus.at(SRAM4 + 100), 0u);
}

// RM0399 SxFCR.DMDIS: set by hardware when memory-to-memory mode is selected
// and the stream is enabled (direct mode is not allowed there).
TEST_F(DmaTest, MemoryToMemoryForcesFifoMode)
{
    hal_init(0, DIR_M2M | PINC | MINC | PSIZE_WORD | MSIZE_WORD, 0);
    hal_start_it(0, AXI, SRAM4, 4);
    EXPECT_EQ(rd(FCR(0)) & FCR_DMDIS, FCR_DMDIS);
}

// ---- interrupt lines -----------------------------------------------------------

// RM0399 "DMA interrupts": a stream's interrupt is the OR of its flags with
// their enables; TCIF without TCIE raises nothing; clearing the flag drops it.
TEST_F(DmaTest, StreamLineIsFlagAndEnable)
{
    m2m_words(3, 8);
    time.advance(pass_ns(8));
    EXPECT_TRUE(irqs[3]);
    EXPECT_FALSE(irqs[0]);
    wr(LIFCR, TCIF(3));
    EXPECT_FALSE(irqs[3]); // HTIF stays, but HTIE is off
    EXPECT_EQ(rd(LISR), HTIF(3));
    wr(CR(3), rd(CR(3)) | HTIE);
    EXPECT_TRUE(irqs[3]);
}

// ---- errors -----------------------------------------------------------------

// RM0399 "DMA error management": a bus error sets TEIFx and the stream is
// disabled by a hardware clear of its EN bit; NDTR keeps what is left.
TEST_F(DmaTest, BusErrorSetsTeifAndClearsEn)
{
    hal_init(0, DIR_M2M | PINC | MINC | PSIZE_WORD | MSIZE_WORD, FCR_DMDIS);
    hal_start_it(0, 0x60000000, SRAM4, 16); // no memory, no register there
    time.advance(pass_ns(16));
    EXPECT_EQ(rd(LISR), TEIF(0));
    EXPECT_EQ(rd(CR(0)) & EN, 0u);
    EXPECT_EQ(rd(NDTR(0)), 16u);
    EXPECT_TRUE(irqs[0]); // TEIE
    EXPECT_TRUE(cap.has("bus error reading 0x60000000"));
}

// A register access that the bus answers with a fault (ampvp --strict: a
// peripheral with no model) is a bus error too.
TEST_F(DmaTest, FaultingRegisterAccessIsABusError)
{
    hal_init(0, DIR_P2M | MINC | PSIZE_WORD | MSIZE_WORD);
    hal_start_it(0, 0x40005400, SRAM4, 4); // I2C1: nothing answers in the fake bus
    dma.input(0, true);
    time.advance(pass_ns(1));
    EXPECT_EQ(rd(LISR), TEIF(0));
    EXPECT_EQ(rd(CR(0)) & EN, 0u);
}

// The stream stops at the first faulting item: the items before it are moved.
TEST_F(DmaTest, BusErrorMidwayKeepsTheItemsMoved)
{
    // The last 4 words of AXI SRAM, then the end of the memory.
    const uint64_t src = AXI + 0x10000 - 16;
    fill(src, 16, 9);
    hal_init(0, DIR_M2M | PINC | MINC | PSIZE_WORD | MSIZE_WORD, FCR_DMDIS);
    hal_start_it(0, src, SRAM4, 8);
    time.advance(pass_ns(8));
    EXPECT_EQ(rd(LISR) & TEIF(0), TEIF(0));
    EXPECT_EQ(rd(NDTR(0)), 4u);
    EXPECT_TRUE(same(src, SRAM4, 16));
}

// RM0399 bus matrix: DMA1/DMA2 have no path to the CM7's DTCM.  With the view
// of a core that has no DTCM ("view": cm4), a stream programmed by the CM7
// towards DTCM gets a transfer error.
TEST_F(DmaTest, MemoryOutsideTheDmaViewIsABusError)
{
    dma.configure({{"view", "cm4"}}, {"cm7", "cm4"});
    hal_init(0, DIR_M2M | PINC | MINC | PSIZE_WORD | MSIZE_WORD, FCR_DMDIS);
    hal_start_it(0, AXI, DTCM, 4);
    time.advance(pass_ns(4));
    EXPECT_EQ(rd(LISR) & TEIF(0), TEIF(0));
    EXPECT_EQ(bus.at(DTCM), 0u);
}

// RM0399 SxCR: the configuration bits "can be written only if EN is 0"; a write
// while the stream is enabled changes only EN and the interrupt enables.
TEST_F(DmaTest, ConfigurationIsLockedWhileEnabled)
{
    m2m_words(0, 256);
    const uint32_t cr = rd(CR(0));
    wr(CR(0), (cr | PL_HIGH | CIRC | HTIE) & ~MINC);
    EXPECT_EQ(rd(CR(0)), cr | HTIE);
    EXPECT_TRUE(cap.has("SxCR configuration bits written while EN = 1"));
}

// RM0399 SxNDTR / SxPAR / SxM0AR: written only when the stream is disabled.
TEST_F(DmaTest, CountAndAddressesAreLockedWhileEnabled)
{
    m2m_words(0, 256);
    wr(NDTR(0), 5);
    wr(PAR(0), 0x30000000);
    wr(M0AR(0), 0x30000000);
    EXPECT_EQ(rd(NDTR(0)), 256u);
    EXPECT_EQ(rd(PAR(0)), AXI);
    EXPECT_EQ(rd(M0AR(0)), SRAM4);
    time.advance(pass_ns(256));
    EXPECT_TRUE(same(AXI, SRAM4, 1024));
}

// RM0399 "Stream configuration procedure" / HAL_DMA_Abort_IT: clearing EN
// stops the stream; NDTR keeps the items not moved and TCIF signals the end
// (HAL's IRQ handler completes an abort on that TC interrupt).
TEST_F(DmaTest, SoftwareDisableStopsAndSignalsTransferComplete)
{
    m2m_words(0, 256);
    time.advance(pass_ns(256) / 4);
    wr(CR(0), rd(CR(0)) & ~EN);
    EXPECT_EQ(rd(CR(0)) & EN, 0u);
    const uint32_t left = rd(NDTR(0));
    EXPECT_GT(left, 0u);
    EXPECT_LT(left, 256u);
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
    time.advance(pass_ns(256));
    EXPECT_EQ(rd(NDTR(0)), left); // nothing moves after the stop
    EXPECT_EQ(bus.at(SRAM4 + 1020), 0u);
}

// RM0399 SxNDTR: after a completed transfer it stays 0 and is reloaded with the
// previously programmed value when the stream is enabled again.
TEST_F(DmaTest, ReEnablingReloadsTheProgrammedCount)
{
    m2m_words(0, 32);
    time.advance(pass_ns(32));
    ASSERT_EQ(rd(NDTR(0)), 0u);
    wr(LIFCR, 0x3Fu);
    std::memset(bus.memory(0, SRAM4, 128), 0, 128);
    wr(CR(0), rd(CR(0)) | EN);
    EXPECT_EQ(rd(NDTR(0)), 32u);
    time.advance(pass_ns(32));
    EXPECT_TRUE(same(AXI, SRAM4, 128));
}

// RM0399 SxCR.EN: the stream's flags must be cleared before it is enabled.
TEST_F(DmaTest, EnablingWithFlagsSetIsAGuestError)
{
    m2m_words(0, 8);
    time.advance(pass_ns(8));
    wr(CR(0), rd(CR(0)) | EN);
    EXPECT_TRUE(cap.has("enabled with event flags still set"));
}

// ---- peripheral requests ----------------------------------------------------

// RM0399 "DMA transactions": in peripheral-to-memory mode each request of the
// peripheral moves one item; with the request low the stream waits.
TEST_F(DmaTest, PeripheralToMemoryMovesOneItemPerRequest)
{
    bus.rx = {'a', 'b', 'c'};
    hal_init(2, DIR_P2M | MINC | PSIZE_BYTE | MSIZE_BYTE | TRBUFF);
    hal_start_it(2, FAKE_REG, SRAM4, 3);
    time.advance(1000);
    EXPECT_EQ(rd(NDTR(2)), 3u); // no request yet
    dma.input(2, true);
    time.advance(pass_ns(1, 1, 1)); // one request cycle
    EXPECT_EQ(rd(NDTR(2)), 2u);
    EXPECT_EQ(bus.at(SRAM4), 'a');
    time.advance(10 * pass_ns(1, 1, 1)); // the line stays high: the rest follows
    dma.input(2, false);
    EXPECT_EQ(rd(NDTR(2)), 0u);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(bus.memory(0, SRAM4, 3)), 3), "abc");
    EXPECT_EQ(rd(LISR) & TCIF(2), TCIF(2));
    EXPECT_EQ(rd(CR(2)) & EN, 0u);
}

// RM0399 memory-to-peripheral mode: SxM0AR is the source, SxPAR the
// destination (HAL_DMA_Start_IT: PAR = DstAddress); the peripheral address is
// fixed with PINC = 0.
TEST_F(DmaTest, MemoryToPeripheralWritesThePeripheralRegister)
{
    std::memcpy(bus.memory(0, AXI, 5), "hello", 5);
    hal_init(1, DIR_M2P | MINC | PSIZE_BYTE | MSIZE_BYTE);
    hal_start_it(1, AXI, FAKE_REG, 5);
    dma.input(1, true);
    time.advance(10 * pass_ns(1, 1, 1));
    EXPECT_EQ(bus.tx, (std::vector<uint32_t>{'h', 'e', 'l', 'l', 'o'}));
    EXPECT_EQ(rd(LISR) & TCIF(1), TCIF(1));
}

// RM0399 SxCR.MSIZE: in direct mode (DMDIS = 0) MSIZE is forced to PSIZE when
// the stream is enabled.
TEST_F(DmaTest, DirectModeForcesMsizeToPsize)
{
    hal_init(0, DIR_P2M | MINC | PSIZE_BYTE | MSIZE_WORD);
    hal_start_it(0, FAKE_REG, SRAM4, 4);
    EXPECT_EQ(rd(CR(0)) & MSIZE_MASK, MSIZE_BYTE);
}

// RM0399 "Circular mode": at the end of a pass NDTR is reloaded, the addresses
// return to their base and requests keep being served; TCIF marks each pass.
TEST_F(DmaTest, CircularModeReloadsAndKeepsGoing)
{
    bus.rx = {1, 2, 3, 4, 5, 6};
    hal_init(0, DIR_P2M | MINC | CIRC | PSIZE_BYTE | MSIZE_BYTE);
    hal_start_it(0, FAKE_REG, SRAM4, 4);
    dma.input(0, true);
    time.advance(6 * pass_ns(1, 1, 1));
    dma.input(0, false);
    EXPECT_EQ(rd(CR(0)) & EN, EN);
    EXPECT_EQ(rd(NDTR(0)), 2u);
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
    const uint8_t *m = bus.memory(0, SRAM4, 4);
    EXPECT_EQ(std::vector<uint8_t>(m, m + 4), (std::vector<uint8_t>{5, 6, 3, 4}));
}

// RM0399 "Double-buffer mode": CIRC is forced; at the end of each pass CT
// toggles and the other memory (SxM1AR) becomes the target.
TEST_F(DmaTest, DoubleBufferSwapsTheTargetMemory)
{
    bus.rx = {1, 2, 3, 4, 5};
    hal_init(0, DIR_P2M | MINC | PSIZE_BYTE | MSIZE_BYTE);
    wr(NDTR(0), 2);
    wr(PAR(0), FAKE_REG);
    wr(M0AR(0), SRAM4);
    wr(M1AR(0), SRAM4 + 0x100);
    wr(CR(0), rd(CR(0)) | DBM | TCIE);
    wr(CR(0), rd(CR(0)) | EN);
    EXPECT_EQ(rd(CR(0)) & CIRC, CIRC);
    dma.input(0, true);
    time.advance(3 * pass_ns(1, 1, 1));
    dma.input(0, false);
    EXPECT_EQ(rd(CR(0)) & CT, CT);
    EXPECT_EQ(bus.at(SRAM4), 1u);
    EXPECT_EQ(bus.at(SRAM4 + 1), 2u);
    EXPECT_EQ(bus.at(SRAM4 + 0x100), 3u);
}

// RM0399 "DMA error management": in double-buffer mode, writing the address
// register of the memory in use (M0AR with CT = 0) is a transfer error; the
// other one (M1AR) may be written.
TEST_F(DmaTest, DoubleBufferWriteToCurrentTargetIsATransferError)
{
    hal_init(0, DIR_P2M | MINC | PSIZE_BYTE | MSIZE_BYTE);
    wr(NDTR(0), 2);
    wr(PAR(0), FAKE_REG);
    wr(M0AR(0), SRAM4);
    wr(CR(0), rd(CR(0)) | DBM);
    wr(CR(0), rd(CR(0)) | EN);
    wr(M1AR(0), SRAM4 + 0x200);
    EXPECT_EQ(rd(M1AR(0)), SRAM4 + 0x200);
    EXPECT_EQ(rd(LISR), 0u);
    wr(M0AR(0), SRAM4 + 0x300);
    EXPECT_EQ(rd(M0AR(0)), SRAM4);
    EXPECT_EQ(rd(LISR), TEIF(0));
    EXPECT_EQ(rd(CR(0)) & EN, 0u);
}

// ---- DMAMUX1 --------------------------------------------------------------------

// Counts the rising edges of pulse outputs (acknowledges, events).
struct Edges : IrqSink {
    std::map<unsigned, int> rises;
    std::map<unsigned, bool> level;
    void set_irq(CoreId, unsigned line, bool l) override
    {
        rises[line] += l && !level[line];
        level[line] = l;
    }
    void send_event(CoreId) override {}
};

struct DmamuxTest : ::testing::Test {
    Stm32h7Dmamux mux{"DMAMUX1"};
    FakeTime time;
    Level out;
    Edges pulses;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        mux.set_context(ctx);
        for (unsigned c = 0; c < Stm32h7Dmamux::CHANNELS; c++) {
            mux.irq("req_out" + std::to_string(c))->connect(&out, 0, c);
            mux.irq("evt" + std::to_string(c))->connect(&pulses, 0, 1000 + c);
        }
        mux.irq("ovr")->connect(&out, 0, 102);
    }
    // The DMA serves one request of channel c: its acknowledge pulse.
    void ack(unsigned c)
    {
        mux.input(512 + c, true);
        mux.input(512 + c, false);
    }
};

// RM0399 DMAMUX register map: CxCR at 0x04 * x, CSR 0x80, CFR 0x84, RGxCR at
// 0x100 + 0x04 * x, RGSR 0x140, RGCFR 0x144; all reset to 0.
TEST_F(DmamuxTest, RegisterMapAndResetValues)
{
    const auto &b = mux.bank();
    EXPECT_EQ(b["C0CR"].offset(), 0x00u);
    EXPECT_EQ(b["C15CR"].offset(), 0x3Cu);
    EXPECT_EQ(b["CSR"].offset(), 0x80u);
    EXPECT_EQ(b["CFR"].offset(), 0x84u);
    EXPECT_EQ(b["RG0CR"].offset(), 0x100u);
    EXPECT_EQ(b["RG7CR"].offset(), 0x11Cu);
    EXPECT_EQ(b["RGSR"].offset(), 0x140u);
    EXPECT_EQ(b["RGCFR"].offset(), 0x144u);
    for (const Register &r : b.registers()) {
        EXPECT_EQ(r.reset_value(), 0u) << r.name();
    }
}

// RM0399 "DMAMUX request line multiplexer": channel x forwards the request
// line its DMAREQ_ID selects to its DMA stream (USART3_TX is line 46).
TEST_F(DmamuxTest, ChannelForwardsTheSelectedRequestLine)
{
    reg_write(mux, 4 * 1, 46); // C1CR.DMAREQ_ID = USART3_TX
    mux.input(46, true);
    EXPECT_TRUE(out[1]);
    EXPECT_FALSE(out[0]);
    mux.input(45, true);
    EXPECT_FALSE(out[0]);
    mux.input(46, false);
    EXPECT_FALSE(out[1]);
    mux.input(46, true);
    reg_write(mux, 4 * 1, 45); // reselect: the channel follows the new line
    EXPECT_TRUE(out[1]);
    reg_write(mux, 4 * 1, 0); // 0: no request (HAL's value for memory-to-memory)
    EXPECT_FALSE(out[1]);
}

// The same line may be selected by two channels.
TEST_F(DmamuxTest, TwoChannelsMaySelectTheSameLine)
{
    reg_write(mux, 4 * 3, 45);
    reg_write(mux, 4 * 12, 45);
    mux.input(45, true);
    EXPECT_TRUE(out[3]);
    EXPECT_TRUE(out[12]);
}

// RM0399 "DMAMUX request line multiplexer": the request and its acknowledge
// are routed both ways: the DMA's acknowledge of channel x goes back to the
// peripheral whose line the channel selects (TIM3_CH1 is line 23).
TEST_F(DmamuxTest, AcknowledgeGoesBackToTheSelectedLine)
{
    mux.irq("req_ack23")->connect(&pulses, 0, 23);
    mux.irq("req_ack46")->connect(&pulses, 0, 46);
    reg_write(mux, 4 * 7, 23); // C7CR.DMAREQ_ID = TIM3_CH1 (HAL_DMA_Init)
    mux.input(23, true);
    ack(7);
    EXPECT_EQ(pulses.rises[23], 1);
    EXPECT_EQ(pulses.rises[46], 0) << "only the selected line's peripheral";
    ack(6); // a channel selecting nothing: no acknowledge
    EXPECT_EQ(pulses.rises[23], 1);
}

// CxCR fields (RM0399 DMAMUX_CxCR): DMAREQ_ID [7:0], SOIE [8], EGE [9], SE
// [16], SPOL [18:17], NBREQ [23:19], SYNC_ID [28:24].
constexpr uint32_t cxcr(uint32_t req, bool se, uint32_t spol, uint32_t nbreq, uint32_t sync_id,
                        bool ege = false)
{
    return req | (se ? 1u << 16 : 0u) | (spol << 17) | (nbreq << 19) | (sync_id << 24) |
           (ege ? 1u << 9 : 0u);
}

// RM0399 "Synchronization mode": a synchronized channel forwards its pending
// request only after an edge SPOL selects on input SYNC_ID, then NBREQ + 1
// requests; at the request counter's underrun it waits for the next event.
TEST_F(DmamuxTest, SynchronizedChannelForwardsNbreqPlusOneRequestsPerEvent)
{
    reg_write(mux, 0, cxcr(46, true, 1, 2, 6)); // HAL_DMAEx_ConfigMuxSync: EXTI0, rising, 3 requests
    mux.input(46, true);                        // USART3_TX requests
    EXPECT_FALSE(out[0]) << "no synchronization event yet";
    mux.input(768 + 6, true);                   // the event
    EXPECT_TRUE(out[0]);
    ack(0);
    ack(0);
    EXPECT_TRUE(out[0]);
    ack(0);                                     // the third: counter underrun
    EXPECT_FALSE(out[0]);
    mux.input(768 + 6, false);                  // SPOL rising: no event
    EXPECT_FALSE(out[0]);
    mux.input(768 + 6, true);
    EXPECT_TRUE(out[0]);
}

// RM0399: a synchronization event while no request is pending is discarded;
// the request asserted later waits for the next event.
TEST_F(DmamuxTest, SynchronizationEventWithoutAPendingRequestIsDiscarded)
{
    reg_write(mux, 0, cxcr(46, true, 3, 0, 4)); // both edges, 1 request, LPTIM2_OUT
    mux.input(768 + 4, true);
    mux.input(46, true);
    EXPECT_FALSE(out[0]);
    mux.input(768 + 4, false);
    EXPECT_TRUE(out[0]);
}

// RM0399 "Synchronization overrun": an event before the request counter
// underrun sets CSR.SOFx, an interrupt with SOIE; CFR.CSOFx clears it.
TEST_F(DmamuxTest, SynchronizationEventBeforeTheUnderrunIsAnOverrun)
{
    constexpr uint32_t CSR = 0x80, CFR = 0x84, SOIE = 1u << 8;
    reg_write(mux, 4 * 2, cxcr(45, true, 1, 1, 3));
    reg_write(mux, 4 * 2, reg_read(mux, 4 * 2) | SOIE); // HAL_DMA_Start_IT
    mux.input(45, true);
    mux.input(768 + 3, true);
    ack(2);                                     // one of two served
    mux.input(768 + 3, false);
    mux.input(768 + 3, true);                   // too early
    EXPECT_EQ(reg_read(mux, CSR), 1u << 2);
    EXPECT_TRUE(out[102]);
    reg_write(mux, CFR, 1u << 2);
    EXPECT_EQ(reg_read(mux, CSR), 0u);
    EXPECT_FALSE(out[102]);
}

// RM0399 "Channel event generation": with EGE the request counter counts the
// served requests and dmamux_evtx pulses at each underrun, every NBREQ + 1
// requests, with or without synchronization.
TEST_F(DmamuxTest, EventEveryNbreqPlusOneServedRequests)
{
    reg_write(mux, 4 * 1, cxcr(46, false, 0, 1, 0, true));
    mux.input(46, true);
    EXPECT_TRUE(out[1]) << "not synchronized: forwarded at once";
    ack(1);
    EXPECT_EQ(pulses.rises[1001], 0);
    ack(1);
    EXPECT_EQ(pulses.rises[1001], 1);
    ack(1);
    ack(1);
    EXPECT_EQ(pulses.rises[1001], 2);
}

// RM0399 DMAMUX_CxCR.NBREQ "must only be written when both SE and EGE bits
// are low".
TEST_F(DmamuxTest, NbreqChangeWhileSynchronizedIsAGuestError)
{
    reg_write(mux, 0, cxcr(46, true, 1, 2, 6));
    EXPECT_FALSE(cap.has("NBREQ"));
    reg_write(mux, 0, cxcr(46, true, 1, 5, 6));
    EXPECT_TRUE(cap.has("C0CR.NBREQ changed while SE or EGE is set"));
}

// RGxCR fields (RM0399 DMAMUX_RGxCR): SIG_ID [4:0], OIE [8], GE [16], GPOL
// [18:17], GNBREQ [23:19].
constexpr uint32_t RGCR = 0x100, RGSR = 0x140, RGCFR = 0x144;
constexpr uint32_t rg(uint32_t sig, uint32_t gpol, uint32_t gnbreq, bool ge)
{
    return sig | (gpol << 17) | (gnbreq << 19) | (ge ? 1u << 16 : 0u);
}

// RM0399 "DMAMUX request generator": with GE set, an edge of the selected
// trigger (GPOL: 01 rising) makes the generator issue GNBREQ + 1 requests on
// its request line (generator 0 is line 1); it stops once the DMA has served
// them, counted by the DMA's acknowledges.
TEST_F(DmamuxTest, GeneratorIssuesGnbreqPlusOneRequestsPerTrigger)
{
    reg_write(mux, 4 * 2, 1);                 // C2CR.DMAREQ_ID = 1: generator 0
    reg_write(mux, RGCR, rg(5, 1, 2, false)); // HAL_DMAEx_ConfigMuxRequestGenerator
    mux.input(256 + 5, true);
    EXPECT_FALSE(out[2]) << "GE = 0: no request";
    mux.input(256 + 5, false);
    reg_write(mux, RGCR, rg(5, 1, 2, true));  // HAL_DMAEx_EnableMuxRequestGenerator
    mux.input(256 + 5, true);                 // rising edge: 3 requests due
    EXPECT_TRUE(out[2]);
    mux.input(512 + 2, true);                 // served: one
    mux.input(512 + 2, false);
    mux.input(512 + 2, true);                 // two
    mux.input(512 + 2, false);
    EXPECT_TRUE(out[2]);
    mux.input(512 + 2, true);                 // three: done
    EXPECT_FALSE(out[2]);
    mux.input(256 + 5, false);                // GPOL rising: a falling edge is no trigger
    EXPECT_FALSE(out[2]);
}

// RM0399: a trigger while the generator still owes requests is a trigger
// overrun: RGSR.OFx, and DMAMUX_OVR with RGxCR.OIE; RGCFR.COFx clears it.
// Clearing GE stops the generator.
TEST_F(DmamuxTest, TriggerBeforeTheRequestsAreServedIsAnOverrun)
{
    reg_write(mux, 0, 1);
    reg_write(mux, RGCR, rg(7, 3, 0, true) | (1u << 8)); // both edges, 1 request, OIE
    mux.input(256 + 7, true);
    EXPECT_TRUE(out[0]);
    EXPECT_EQ(reg_read(mux, RGSR), 0u);
    mux.input(256 + 7, false);                // falling edge counts too: overrun
    EXPECT_EQ(reg_read(mux, RGSR), 1u);
    EXPECT_TRUE(out[102]);
    reg_write(mux, RGCFR, 1u);
    EXPECT_EQ(reg_read(mux, RGSR), 0u);
    EXPECT_FALSE(out[102]);
    EXPECT_TRUE(out[0]);
    reg_write(mux, RGCR, rg(7, 3, 0, false)); // GE = 0
    EXPECT_FALSE(out[0]);
}

// A trigger input may be a waveform (an LPTIM's PWM output is one periodic
// signal): each of its edges GPOL selects is a trigger event at its own time
// (RM0399 "DMAMUX request generator": requests on each trigger edge).
TEST_F(DmamuxTest, PeriodicTriggerTriggersAtEachEdge)
{
    reg_write(mux, 0, 1);                     // channel 0: generator 0
    reg_write(mux, RGCR, rg(4, 1, 0, true));  // LPTIM2_OUT, rising, 1 request
    Waveform w;                               // 1 kHz, 25 %, rising at 10 us
    w.period_ns = 1000000;
    w.high_ns = 250000;
    w.start_ns = 10000;
    mux.input_wave(256 + 4, w);
    EXPECT_FALSE(out[0]) << "low at t = 1 us: no edge yet";
    time.advance(8999);                       // just before the rising edge
    EXPECT_FALSE(out[0]);
    time.advance(1);
    EXPECT_TRUE(out[0]) << "rising edge at 10 us";
    ack(0);
    EXPECT_FALSE(out[0]);
    time.advance(500000);                     // past the falling edge: not selected
    EXPECT_FALSE(out[0]);
    time.advance(500000);                     // the next rising edge at 1.01 ms
    EXPECT_TRUE(out[0]);
    time.advance(1000000);                    // another edge before the DMA served
    EXPECT_EQ(reg_read(mux, RGSR), 1u) << "trigger overrun";
    reg_write(mux, RGCR, rg(4, 1, 0, false)); // generator off: no deadline left
    EXPECT_TRUE(time.due.empty());
}

// ---- TIM3 CC1 through DMAMUX1 to DMA1 stream 7 (ST's TIM_DMA), end to end --------

// Records each waveform a pin receives, with the time it came.
struct PinLog : Device {
    std::vector<std::pair<uint64_t, Waveform>> changes;
    const Scheduler *clock = nullptr;
    PinLog() : Device("pin") {}
    uint32_t read(BusAccess &) override { return 0; }
    void write(BusAccess &, uint32_t) override {}
    void input_wave(unsigned, const Waveform &w) override { changes.push_back({clock->now_ns(), w}); }
};

constexpr uint64_t TIM3 = 0x40000400;
enum : uint32_t { T_CR1 = 0x00, T_DIER = 0x0C, T_SR = 0x10, T_EGR = 0x14, T_CCMR1 = 0x18, T_CCER = 0x20,
                  T_PSC = 0x28, T_ARR = 0x2C, T_CCR1 = 0x34 };

struct Tim3DmaTest : DmaTest {
    Stm32Tim tim{"TIM3"};
    Stm32h7Dmamux mux{"DMAMUX1"};
    PinLog pin;
    void SetUp() override
    {
        DmaTest::SetUp();
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time; // no "tim_apb1": the timer's 64 MHz reset clock
        tim.set_context(ctx);
        mux.set_context(ctx);
        pin.clock = &time;
        bus.dev = &tim;
        bus.dev_base = TIM3;
        bus.dev_size = 0x400;
        // The machine description's wiring: TIM3_CH1 is DMAMUX1 line 23, channel 7
        // drives DMA1 stream 7, the acknowledges go back the same way.
        tim.irq("dma_cc1")->connect_input(&mux, 23);
        mux.irq("req_out7")->connect_input(&dma, 7);
        dma.irq("ack7")->connect_input(&mux, 512 + 7);
        mux.irq("req_ack23")->connect_input(&tim, Stm32Tim::ACK_CC);
        tim.irq("ch1")->connect_input(&pin, 0);
    }
    // Counter ticks at 64 MHz, in ns as the timer rounds them.
    static uint64_t tick_ns(uint64_t n) { return (n * 15625 + 500) / 1000; }
};

// ST's TIM_DMA (HAL_TIM_PWM_Init, HAL_TIM_PWM_ConfigChannel PWM1 with preload,
// HAL_TIM_PWM_Start_DMA on channel 1): DMA1 stream 7, circular memory-to-
// peripheral, three CCR1 values; RM0399 CCDS = 0: each CC1 match requests the
// DMA, which writes the next value into CCR1's preload register; the update
// event makes it active, so the duty cycle changes period by period.
TEST_F(Tim3DmaTest, DmaRewritesCcr1EveryPeriod)
{
    const uint32_t values[3] = {750, 500, 250};
    std::memcpy(bus.memory(0, SRAM4, sizeof(values)), values, sizeof(values));
    reg_write(tim, T_PSC, 0);
    reg_write(tim, T_ARR, 999); // 1000 ticks: 15.625 us
    reg_write(tim, T_EGR, 1);
    reg_write(tim, T_SR, 0);
    reg_write(tim, T_CCER, 0);
    reg_write(tim, T_CCMR1, 6u << 4);               // PWM mode 1
    reg_write(tim, T_CCR1, values[0]);
    reg_write(tim, T_CCMR1, (6u << 4) | (1u << 3)); // OC1PE
    reg_write(mux, 4 * 7, 23);                      // HAL_DMA_Init: DMA_REQUEST_TIM3_CH1
    hal_init(7, DIR_M2P | MINC | PSIZE_WORD | MSIZE_WORD | CIRC | PL_HIGH);
    hal_start_it(7, SRAM4, TIM3 + T_CCR1, 3, true);
    reg_write(tim, T_DIER, 1u << 9);                // CC1DE
    reg_write(tim, T_CCER, 1);                      // CC1E
    reg_write(tim, T_CR1, 1);                       // CEN
    const uint64_t t0 = time.now, period = tick_ns(1000);
    pin.changes.clear();
    time.advance(7 * period + 10);
    // Period 0 and 1: 750 (the DMA's first write is 750 again); then 500, 250,
    // 750, 500, 250, 750 from periods 2-7, each from its update event on.
    const uint32_t duty[] = {500, 250, 750, 500, 250, 750};
    ASSERT_EQ(pin.changes.size(), 6u);
    for (unsigned k = 0; k < 6; k++) {
        EXPECT_EQ(pin.changes[k].first, t0 + (k + 2) * period) << "change " << k;
        EXPECT_EQ(pin.changes[k].second.high_ns, tick_ns(duty[k])) << "change " << k;
        EXPECT_EQ(pin.changes[k].second.period_ns, period);
    }
    EXPECT_EQ(rd(NDTR(7)), 3u - 7u % 3u) << "one item per period, circular";
    EXPECT_EQ(rd(HISR) & TCIF(7), TCIF(7));
}

// ---- USART3 through DMAMUX1 to DMA1, end to end ---------------------------------

struct Chars : CharSink {
    std::string out, by;
    void put_char(const std::string &, const BusAccess &a, uint8_t ch) override
    {
        out += static_cast<char>(ch);
        by = a.core_name;
    }
};

constexpr uint64_t USART3 = 0x40004800;
enum : uint32_t { U_CR1 = 0x00, U_CR3 = 0x08, U_ISR = 0x1C, U_ICR = 0x20, U_RDR = 0x24, U_TDR = 0x28 };
enum : uint32_t { U_UE = 1u << 0, U_RE = 1u << 2, U_TE = 1u << 3, U_TCIE = 1u << 6,
                  U_DMAR = 1u << 6, U_DMAT = 1u << 7, U_TC = 1u << 6, U_TCCF = 1u << 6 };

struct UsartDmaTest : DmaTest {
    Stm32Usart usart{"USART3"};
    Stm32h7Dmamux mux{"DMAMUX1"};
    Chars chars;
    void SetUp() override
    {
        DmaTest::SetUp();
        DeviceContext uctx;
        uctx.chars = &chars;
        usart.set_context(uctx);
        bus.dev = &usart;
        bus.dev_base = USART3;
        bus.dev_size = 0x400;
        // The machine description's wiring: USART3 -> DMAMUX1 lines 45/46,
        // DMAMUX1 channel x -> DMA1 stream x.
        usart.irq("dmareq_rx")->connect_input(&mux, 45);
        usart.irq("dmareq_tx")->connect_input(&mux, 46);
        for (unsigned c = 0; c < 8; c++) {
            mux.irq("req_out" + std::to_string(c))->connect_input(&dma, c);
        }
        reg_write(usart, U_CR1, U_UE | U_RE | U_TE);
    }
};

// HAL_UART_Transmit_DMA: DMA1 stream 1 memory-to-peripheral to USART3_TDR, DMAMUX1
// channel 1 = USART3_TX (46), ICR.TCCF, then CR3.DMAT: the USART requests while
// TXE is set, the DMA writes each byte, and the characters go out as written by
// the core that started the stream.
TEST_F(UsartDmaTest, TransmitDmaSendsTheBufferThroughTdr)
{
    std::memcpy(bus.memory(0, AXI, 11), "DMA says hi", 11);
    reg_write(mux, 4 * 1, 46);
    hal_init(1, DIR_M2P | MINC | PSIZE_BYTE | MSIZE_BYTE | TRBUFF);
    hal_start_it(1, AXI, USART3 + U_TDR, 11);
    reg_write(usart, U_ICR, U_TCCF);
    reg_write(usart, U_CR3, reg_read(usart, U_CR3) | U_DMAT);
    time.advance(100 * pass_ns(1, 1, 1));
    EXPECT_EQ(chars.out, "DMA says hi");
    EXPECT_EQ(chars.by, "cm7");
    EXPECT_EQ(rd(LISR) & TCIF(1), TCIF(1));
    EXPECT_TRUE(irqs[1]);
    // UART_DMATransmitCplt: DMAT off, then TCIE: the USART's TC is set.
    reg_write(usart, U_CR3, reg_read(usart, U_CR3) & ~U_DMAT);
    EXPECT_EQ(reg_read(usart, U_ISR) & U_TC, U_TC);
}

// HAL_UART_Receive_DMA: DMA1 stream 0 peripheral-to-memory from USART3_RDR,
// DMAMUX1 channel 0 = USART3_RX (45), CR3.DMAR: each received byte (RXNE) is
// read by the DMA into memory; RXNE is clear again, so the host may send more.
TEST_F(UsartDmaTest, ReceiveDmaStoresEachReceivedByte)
{
    reg_write(mux, 0, 45);
    hal_init(0, DIR_P2M | MINC | PSIZE_BYTE | MSIZE_BYTE | TRBUFF);
    hal_start_it(0, USART3 + U_RDR, SRAM4, 4);
    reg_write(usart, U_CR3, reg_read(usart, U_CR3) | U_DMAR);
    for (char c : std::string("ping")) {
        ASSERT_TRUE(usart.accepts_input());
        usart.host_input(static_cast<uint8_t>(c));
        time.advance(pass_ns(1, 1, 1));
    }
    EXPECT_EQ(std::string(reinterpret_cast<char *>(bus.memory(0, SRAM4, 4)), 4), "ping");
    EXPECT_EQ(rd(NDTR(0)), 0u);
    EXPECT_EQ(rd(LISR) & TCIF(0), TCIF(0));
    EXPECT_TRUE(usart.accepts_input());
}

} // namespace
