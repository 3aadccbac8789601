// STM32H7 ADC1/ADC2 (one stm32h7-adc instance with the common registers), one
// RM0399 rule per test (RM0399 Rev 4, "Analog-to-digital converters (ADC)";
// rules paraphrased).  The register sequences are those of ST's HAL
// (stm32h7xx_hal_adc.c / _adc_ex.c).  Time is a fake scheduler; the ADC kernel
// clock is 64 MHz, so with PRESC = 1 the ADC clock is 32 MHz (revision V
// divides by 2); pin voltages come from a fake AnalogPins, VREF+ = 3.3 V.
#include "fake_time.h"
#include "models/stm32h7_adc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    ClockId clock_id(const std::string &n) const override { return n == "adc" ? 0 : n == "hclk" ? 1 : -1; }
    uint64_t hz(ClockId id) const override { return id == 0 ? 64000000 : id == 1 ? 200000000 : 0; }
};

struct FakeAnalog : AnalogPins {
    std::map<std::string, double> v;
    double volts(const std::string &pin) const override
    {
        auto it = v.find(pin);
        return it == v.end() ? 0.0 : it->second;
    }
    void drive(const std::string &pin, double x, const std::string &) override { v[pin] = x; }
};

struct Line : IrqSink {
    bool level = false;
    void set_irq(CoreId, unsigned, bool l) override { level = l; }
    void send_event(CoreId) override {}
};

// Offsets (RM0399 ADC registers; ADC2 at +0x100, common at +0x300) and bits.
enum : uint32_t {
    ISR = 0x00, IER = 0x04, CR = 0x08, CFGR = 0x0C, CFGR2 = 0x10, SMPR1 = 0x14, SMPR2 = 0x18,
    PCSEL = 0x1C, SQR1 = 0x30, DR = 0x40, JSQR = 0x4C, JDR1 = 0x80, JDR2 = 0x84, CALFACT = 0xC4,
    ADC2 = 0x100, CSR = 0x300, CCR = 0x308, CDR = 0x30C,
};
enum : uint32_t {
    ADRDY = 1u << 0, EOSMP = 1u << 1, EOC = 1u << 2, EOS = 1u << 3, OVR = 1u << 4, JEOC = 1u << 5,
    JEOS = 1u << 6, LDORDY = 1u << 12,
    ADEN = 1u << 0, ADDIS = 1u << 1, ADSTART = 1u << 2, JADSTART = 1u << 3, ADSTP = 1u << 4,
    ADCALLIN = 1u << 16, ADVREGEN = 1u << 28, DEEPPWD = 1u << 29, ADCAL = 1u << 31,
    DMNGT_CIRC = 3u << 0, RES_12 = 2u << 2, OVRMOD = 1u << 12, CONT = 1u << 13,
    EXTEN_RISING = 1u << 10, JQDIS = 1u << 31,
    EOCIE = 1u << 2,
    CCR_VREFEN = 1u << 22, CCR_DUAL_INTERL = 7u, CCR_DAMDF_32 = 2u << 14,
};
uint32_t extsel(uint32_t n) { return n << 5; }
uint32_t sq1(uint32_t ch) { return ch << 6; }

struct AdcTest : ::testing::Test {
    Stm32h7Adc adc{"ADC12"};
    FakeTime time;
    FakeAnalog pins;
    Line irq;
    testutil::LogCapture cap;
    // The instance's machine parameters (the STM32H745's ADC12 here).
    virtual std::map<std::string, std::string> params() const
    {
        return {{"names", "ADC1,ADC2"},
                {"channels.ADC1", "16:PA0 17:PA1 18:PA4 19:PA5 14:PA2"},
                {"channels.ADC2", "18:PA4 19:PA5 15:PA3"}};
    }
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        ctx.analog = &pins;
        adc.set_context(ctx);
        adc.configure(params(), {});
        adc.reset();
        adc.irq("irq")->connect(&irq, 0, 18);
    }
    uint32_t rd(uint32_t off) { return reg_read(adc, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(adc, off, v); }
    // HAL_ADC_Init's power-up (DEEPPWD off, ADVREGEN on, 10 us), then
    // ADC_Enable (ADEN, wait ADRDY) for ADC k (base 0 or ADC2).
    void power_up(uint32_t base = 0)
    {
        wr(base + CR, 0);
        wr(base + CR, ADVREGEN);
        time.advance(10000);
        wr(base + CR, ADVREGEN | ADEN);
    }
    // One regular conversion of `ch` (rank 1), 16 bits, software start.
    void single(uint32_t ch, uint32_t cfgr = 0, uint32_t base = 0)
    {
        wr(base + CFGR, JQDIS | cfgr);
        wr(base + PCSEL, 1u << ch);
        wr(base + SQR1, sq1(ch));
    }
    static uint32_t code(double v, unsigned bits)
    {
        return static_cast<uint32_t>(std::lround(v / 3.3 * ((1u << bits) - 1)));
    }
};

// RM0399 reset values: ADC_CR 0x2000 0000 (DEEPPWD = 1), ADC_CFGR 0x8000 0000
// (JQDIS = 1); the regulator is off (LDORDY = 0).
TEST_F(AdcTest, ResetValues)
{
    EXPECT_EQ(rd(CR), DEEPPWD);
    EXPECT_EQ(rd(CFGR), 0x80000000u);
    EXPECT_EQ(rd(ISR), 0u);
    EXPECT_EQ(rd(ADC2 + CR), DEEPPWD);
}

// RM0399 "ADC deep-power-down mode and ADC voltage regulator": after ADVREGEN
// the regulator needs its start-up time tADCVREG_STUP (10 us) before LDORDY.
TEST_F(AdcTest, RegulatorIsReadyAfterItsStartupTime)
{
    wr(CR, 0);
    wr(CR, ADVREGEN);
    time.advance(9000);
    EXPECT_EQ(rd(ISR) & LDORDY, 0u);
    time.advance(1000);
    EXPECT_EQ(rd(ISR) & LDORDY, LDORDY);
}

// RM0399 "Calibration": ADCAL starts it and is cleared by hardware when it
// ends; with ADCALLIN (linearity too) it lasts longer.  CALFACT then holds
// the factors.
TEST_F(AdcTest, CalibrationClearsAdcalWhenDone)
{
    wr(CR, 0);
    wr(CR, ADVREGEN);
    time.advance(10000);
    wr(CR, ADVREGEN | ADCAL);
    EXPECT_EQ(rd(CR) & ADCAL, ADCAL);
    time.advance(16384 * 1000000000ull / 32000000 + 1000); // offset only: 16384 ADC cycles
    EXPECT_EQ(rd(CR) & ADCAL, 0u);
    EXPECT_NE(rd(CALFACT), 0u);
    wr(CR, ADVREGEN | ADCALLIN | ADCAL);
    time.advance(16384 * 1000000000ull / 32000000 + 1000);
    EXPECT_EQ(rd(CR) & ADCAL, ADCAL); // offset and linearity take longer
}

// RM0399: ADCAL can be set only while the ADC is disabled (ADEN = 0).
TEST_F(AdcTest, CalibrationIsRefusedWhileEnabled)
{
    power_up();
    wr(CR, ADVREGEN | ADEN | ADCAL);
    EXPECT_EQ(rd(CR) & ADCAL, 0u);
    EXPECT_TRUE(cap.has("ADCAL set while ADEN = 1"));
}

// RM0399 "ADC on-off control": ADEN enables the ADC and ADRDY reports it ready;
// ADDIS disables it (ADEN and ADDIS return to 0).
TEST_F(AdcTest, AdenSetsAdrdyAndAddisClearsAden)
{
    power_up();
    EXPECT_EQ(rd(ISR) & ADRDY, ADRDY);
    EXPECT_EQ(rd(CR) & ADEN, ADEN);
    wr(CR, ADVREGEN | ADDIS);
    EXPECT_EQ(rd(CR) & (ADEN | ADDIS), 0u);
}

// RM0399 ADC_CR: ADEN, ADDIS, ADSTART, JADSTART, ADSTP, JADSTP, ADCAL are set by
// software and cleared by hardware: writing 0 to them has no effect (HAL's
// MODIFY_REG writes 0 there when it changes another bit).
TEST_F(AdcTest, ControlBitsIgnoreWritingZero)
{
    power_up();
    wr(CR, ADVREGEN); // ADEN written as 0
    EXPECT_EQ(rd(CR) & ADEN, ADEN);
}

// RM0399: ADSTART with EXTEN = 00 starts the regular sequence at once; the
// result is round(V / VREF+ * (2^N - 1)); EOC and EOS are set; in single mode
// with a software trigger ADSTART is cleared at the end of the sequence.
TEST_F(AdcTest, SoftwareStartConvertsAndClearsAdstart)
{
    pins.v["PA0"] = 1.65;
    power_up();
    single(16);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    EXPECT_EQ(rd(CR) & ADSTART, ADSTART);
    time.advance(1000000);
    EXPECT_EQ(rd(ISR) & (EOC | EOS | EOSMP), EOC | EOS | EOSMP);
    EXPECT_EQ(rd(CR) & ADSTART, 0u);
    EXPECT_EQ(rd(DR), code(1.65, 16));
}

// RM0399 "Channel-wise programmable sampling time": a conversion takes the
// sampling time SMPx plus the resolution's conversion cycles (16 bits: 8.5),
// in ADC clock cycles: here 810.5 + 8.5 = 819 cycles at 32 MHz, 25.6 us.
TEST_F(AdcTest, ConversionTimeIsSamplingPlusConversionCycles)
{
    power_up();
    single(16);
    wr(SMPR2, 7u << (3 * (16 - 10))); // SMP16 = 810.5 cycles
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(25500);
    EXPECT_EQ(rd(ISR) & EOC, 0u);
    time.advance(200);
    EXPECT_EQ(rd(ISR) & EOC, EOC);
}

// RM0399 ADC_CCR.PRESC divides the asynchronous kernel clock: DIV4 makes the
// same conversion four times longer.
TEST_F(AdcTest, PrescalerSlowsTheAdcClock)
{
    wr(CCR, 2u << 18); // PRESC = 0010: /4
    power_up();
    single(16);
    wr(SMPR2, 7u << (3 * (16 - 10)));
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(4 * 25500);
    EXPECT_EQ(rd(ISR) & EOC, 0u);
    time.advance(4 * 200);
    EXPECT_EQ(rd(ISR) & EOC, EOC);
}

// RM0399: EOC is cleared by software writing 1 or by reading ADC_DR.
TEST_F(AdcTest, ReadingDrClearsEoc)
{
    power_up();
    single(16);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(100000);
    (void)rd(DR);
    EXPECT_EQ(rd(ISR) & EOC, 0u);
    EXPECT_EQ(rd(ISR) & EOS, EOS);
    wr(ISR, EOS);
    EXPECT_EQ(rd(ISR) & EOS, 0u);
}

// RM0399 ADC_CFGR.RES: the result has the selected resolution (12 bits: 0-4095).
TEST_F(AdcTest, ResolutionScalesTheResult)
{
    pins.v["PA0"] = 1.0;
    power_up();
    single(16, RES_12);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(100000);
    EXPECT_EQ(rd(DR), code(1.0, 12));
}

// RM0399 ADC_CFGR2.LSHIFT: the data is shifted left by LSHIFT bits.
TEST_F(AdcTest, LshiftShiftsTheResult)
{
    pins.v["PA0"] = 1.0;
    power_up();
    single(16, RES_12);
    wr(CFGR2, 4u << 28);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(100000);
    EXPECT_EQ(rd(DR), code(1.0, 12) << 4);
}

// RM0399 "Overrun": a result that comes while EOC is still set is an overrun
// (OVR); with OVRMOD = 0 the DR keeps the old data, with OVRMOD = 1 it takes
// the new one.  CONT restarts the sequence at once.
TEST_F(AdcTest, OverrunKeepsOldDataUnlessOvrmod)
{
    pins.v["PA0"] = 1.0;
    power_up();
    single(16, CONT);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(700); // first conversion (11 cycles at 32 MHz: 344 ns)
    pins.v["PA0"] = 2.0;
    time.advance(700);
    EXPECT_EQ(rd(ISR) & OVR, OVR);
    wr(CR, ADVREGEN | ADEN | ADSTP);
    EXPECT_EQ(rd(DR), code(1.0, 16));
    wr(ISR, OVR);
    wr(CFGR, JQDIS | CONT | OVRMOD);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(1000);
    wr(CR, ADVREGEN | ADEN | ADSTP);
    EXPECT_EQ(rd(DR), code(2.0, 16));
}

// RM0399 "Channel selection": SQR1.L + 1 ranks are converted in the order
// SQ1, SQ2 ...; EOC after each conversion, EOS after the last.
TEST_F(AdcTest, RegularSequenceConvertsTheRanksInOrder)
{
    pins.v["PA0"] = 0.5;
    pins.v["PA4"] = 1.5;
    pins.v["PA2"] = 2.5;
    power_up();
    wr(CFGR, JQDIS);
    wr(PCSEL, (1u << 16) | (1u << 18) | (1u << 14));
    wr(SQR1, 2u | sq1(16) | (18u << 12) | (14u << 18)); // L = 2: three ranks
    wr(CR, ADVREGEN | ADEN | ADSTART);
    std::vector<uint32_t> got;
    for (int i = 0; i < 100 && got.size() < 3; i++) {
        time.advance(100);
        if (rd(ISR) & EOC) {
            EXPECT_EQ((rd(ISR) & EOS) != 0, got.size() == 2);
            got.push_back(rd(DR));
        }
    }
    EXPECT_EQ(got, (std::vector<uint32_t>{code(0.5, 16), code(1.5, 16), code(2.5, 16)}));
}

// RM0399 "Conversion on external trigger": with EXTEN != 00, ADSTART arms the
// ADC and the selected edge of the EXTSEL trigger (input 4: adc_ext_trg4,
// TIM3_TRGO) starts the sequence; the other edge does nothing.
TEST_F(AdcTest, HardwareTriggerStartsOnTheSelectedEdge)
{
    power_up();
    single(16, extsel(4) | EXTEN_RISING);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(100000);
    EXPECT_EQ(rd(ISR) & EOC, 0u);
    adc.input(4, true);
    time.advance(100000);
    EXPECT_EQ(rd(ISR) & EOC, EOC);
    (void)rd(DR);
    EXPECT_EQ(rd(CR) & ADSTART, ADSTART); // still armed
    adc.input(4, false);
    adc.input(5, true); // another trigger line
    time.advance(100000);
    EXPECT_EQ(rd(ISR) & EOC, 0u);
}

// RM0399 "Managing conversions using the DMA": with DMNGT = 11 each EOC makes
// a DMA request, which reading DR (the DMA's read) acknowledges.
TEST_F(AdcTest, DmaRequestFromEocUntilDrIsRead)
{
    struct Req : Device {
        bool level = false;
        Req() : Device("req") {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input(unsigned, bool l) override { level = l; }
    } req;
    adc.irq("dma0")->connect_input(&req, 9);
    power_up();
    single(16, DMNGT_CIRC);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(100000);
    EXPECT_TRUE(req.level);
    (void)rd(DR);
    EXPECT_FALSE(req.level);
}

// RM0399 ADC_IER: the ADC interrupt is raised while a flag and its enable are
// both set (HAL_ADC_Start_IT enables EOCIE).
TEST_F(AdcTest, InterruptFollowsFlagAndEnable)
{
    power_up();
    single(16);
    wr(IER, EOCIE);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    EXPECT_FALSE(irq.level);
    time.advance(100000);
    EXPECT_TRUE(irq.level);
    (void)rd(DR);
    EXPECT_FALSE(irq.level);
}

// RM0399 "Injected channels": JADSTART with JEXTEN = 00 converts JL + 1
// injected ranks into JDR1.., JEOC after each, JEOS after the last, and
// JADSTART is cleared; VREFINT (channel 19 here) reads only with CCR.VREFEN.
TEST_F(AdcTest, InjectedSoftwareStartFillsJdrs)
{
    Stm32h7Adc a3{"ADC3"};
    DeviceContext ctx;
    ctx.scheduler = &time;
    ctx.clock_source = &time;
    ctx.analog = &pins;
    a3.set_context(ctx);
    a3.configure({{"names", "ADC3"}, {"channels.ADC3", "7:PF8 19:vrefint"}}, {});
    a3.reset();
    pins.v["PF8"] = 3.0;
    reg_write(a3, CCR, CCR_VREFEN);
    reg_write(a3, CR, 0);
    reg_write(a3, CR, ADVREGEN);
    time.advance(10000);
    reg_write(a3, CR, ADVREGEN | ADEN);
    reg_write(a3, PCSEL, (1u << 7) | (1u << 19));
    reg_write(a3, JSQR, 1u | (19u << 9) | (7u << 15)); // JL = 1: JSQ1 = 19, JSQ2 = 7
    reg_write(a3, CR, ADVREGEN | ADEN | JADSTART);
    time.advance(100000);
    EXPECT_EQ(reg_read(a3, ISR) & (JEOC | JEOS), JEOC | JEOS);
    EXPECT_EQ(reg_read(a3, CR) & JADSTART, 0u);
    EXPECT_EQ(reg_read(a3, JDR1), code(1.216, 16));
    EXPECT_EQ(reg_read(a3, JDR2), code(3.0, 16));
    EXPECT_EQ(reg_read(a3, ADC2 + ISR), 0u); // an ADC3 instance has no second ADC
    EXPECT_TRUE(cap.has("no such register"));
}

// RM0399: the injected group's own trigger (JEXTSEL, input 32 + n) starts it.
TEST_F(AdcTest, InjectedExternalTrigger)
{
    pins.v["PA1"] = 0.33;
    power_up();
    wr(PCSEL, 1u << 17);
    wr(JSQR, (12u << 2) | (1u << 7) | (17u << 9)); // JEXTSEL 12 (TIM3_TRGO), rising
    wr(CR, ADVREGEN | ADEN | JADSTART);
    time.advance(100000);
    EXPECT_EQ(rd(ISR) & JEOS, 0u);
    adc.input(32 + 12, true);
    time.advance(100000);
    EXPECT_EQ(rd(ISR) & JEOS, JEOS);
    EXPECT_EQ(rd(JDR1), code(0.33, 16));
}

// RM0399 "Dual ADC modes", interleaved (DUAL = 00111) with DAMDF = 10: the
// master's trigger converts on both ADCs, the slave after the delay; CDR holds
// the slave's result in [31:16] and the master's in [15:0], and the master's
// DMA request comes once both are in.  CSR shows both ADCs' flags.
TEST_F(AdcTest, DualInterleavedPacksBothResultsInCdr)
{
    struct Req : Device {
        int rises = 0;
        bool level = false;
        Req() : Device("req") {}
        uint32_t read(BusAccess &) override { return 0; }
        void write(BusAccess &, uint32_t) override {}
        void input(unsigned, bool l) override
        {
            rises += l && !level;
            level = l;
        }
    } req;
    adc.irq("dma0")->connect_input(&req, 9);
    pins.v["PA4"] = 1.2;
    power_up(0);
    power_up(ADC2);
    single(18, DMNGT_CIRC | extsel(4) | EXTEN_RISING, 0);
    single(18, DMNGT_CIRC, ADC2);
    wr(CCR, CCR_DUAL_INTERL | CCR_DAMDF_32);
    wr(CR, ADVREGEN | ADEN | ADSTART);
    adc.input(4, true);
    time.advance(100000);
    EXPECT_EQ(rd(ISR) & EOC, EOC);
    EXPECT_EQ(rd(ADC2 + ISR) & EOC, EOC);
    EXPECT_EQ(rd(CSR) & ((EOC << 16) | EOC), (EOC << 16) | EOC);
    EXPECT_EQ(req.rises, 1);
    EXPECT_EQ(rd(CDR), (code(1.2, 16) << 16) | code(1.2, 16));
    EXPECT_FALSE(req.level);
    adc.input(4, false);
    adc.input(4, true);
    time.advance(100000);
    EXPECT_EQ(req.rises, 2);
}

// RM0399: a channel must be preselected in ADC_PCSEL to be converted.
TEST_F(AdcTest, ChannelNotPreselectedIsAGuestError)
{
    power_up();
    wr(CFGR, JQDIS);
    wr(SQR1, sq1(16));
    wr(CR, ADVREGEN | ADEN | ADSTART);
    time.advance(100000);
    EXPECT_TRUE(cap.has("not preselected in PCSEL"));
}

// RM0399: a conversion can be started only on an enabled ADC (ADEN, ADRDY).
TEST_F(AdcTest, StartOnADisabledAdcIsIgnored)
{
    single(16);
    wr(CR, ADSTART);
    EXPECT_EQ(rd(CR) & ADSTART, 0u);
    EXPECT_TRUE(cap.has("not enabled"));
}

} // namespace

namespace {

// The STM32MP15's ADC1/ADC2 (RM0436 "Analog-to-digital converters (ADC)") as
// machine/stm32mp157.json configures the model: the ADC runs at its input
// clock (no division by 2: ST's MP1 ADC_ConfigureBoostMode takes the clock as
// it is), calibration lasts 1280 ADC clock cycles (offset) or 16384 (offset and
// linearity: ST's stm32mp1xx_ll_adc.h LL_ADC_CALIB_OFFSET / _OFFSET_LINEARITY),
// and each ADC has its own interrupt line (ADC1_IRQn 18, ADC2_IRQn 90).
struct Mp15AdcTest : AdcTest {
    Line irq1, irq2;
    std::map<std::string, std::string> params() const override
    {
        return {{"names", "ADC1,ADC2"}, {"channels.ADC2", "16:PA4"},
                {"clock_div2", "0"}, {"calibration_cycles", "1280,16384"}};
    }
    void SetUp() override
    {
        AdcTest::SetUp();
        adc.irq("irq0")->connect(&irq1, 0, 18);
        adc.irq("irq1")->connect(&irq2, 0, 90);
    }
};

// RM0436: with CKMODE = 00 the ADC clock is the kernel clock (64 MHz here) /
// PRESC; a 12-bit conversion with 1.5 sampling cycles takes 1.5 + 6.5 = 8
// cycles: 125 ns at 64 MHz (the STM32H7 revision V would take 250 ns).
TEST_F(Mp15AdcTest, AdcClockIsNotDividedByTwo)
{
    power_up(ADC2);
    single(16, RES_12, ADC2);
    pins.v["PA4"] = 1.65;
    wr(ADC2 + CR, ADVREGEN | ADEN | ADSTART);
    time.advance(124);
    EXPECT_EQ(rd(ADC2 + ISR) & EOC, 0u);
    time.advance(2);
    EXPECT_EQ(rd(ADC2 + ISR) & EOC, EOC);
    EXPECT_EQ(rd(ADC2 + DR), code(1.65, 12));
}

// ST's stm32mp1xx_ll_adc.h: "Calibration of ADC offset: 1280 ADC clock cycles
// ... offset and linearity: 16384 ADC clock cycles".
TEST_F(Mp15AdcTest, CalibrationTakesTheMp15Durations)
{
    wr(CR, 0);
    wr(CR, ADVREGEN);
    time.advance(10000);
    wr(CR, ADVREGEN | ADCAL);
    time.advance(1280 * 1000000000ull / 64000000 - 10);
    EXPECT_EQ(rd(CR) & ADCAL, ADCAL);
    time.advance(20);
    EXPECT_EQ(rd(CR) & ADCAL, 0u);
    wr(CR, ADVREGEN | ADCALLIN | ADCAL);
    time.advance(16384 * 1000000000ull / 64000000 - 10);
    EXPECT_EQ(rd(CR) & ADCAL, ADCAL);
    time.advance(20);
    EXPECT_EQ(rd(CR) & ADCAL, 0u);
}

// stm32mp157cxx_cm4.h: ADC1_IRQn 18 and ADC2_IRQn 90 are separate vectors:
// ADC2's end of conversion raises only ADC2's line.
TEST_F(Mp15AdcTest, EachAdcHasItsOwnInterruptLine)
{
    power_up(ADC2);
    single(16, RES_12, ADC2);
    wr(ADC2 + IER, EOCIE);
    wr(ADC2 + CR, ADVREGEN | ADEN | ADSTART);
    time.advance(1000);
    EXPECT_TRUE(irq2.level);
    EXPECT_FALSE(irq1.level);
    (void)rd(ADC2 + DR); // reading DR clears EOC
    EXPECT_FALSE(irq2.level);
}

// HAL_ADC_DeInit sets CFGR.JQM with the injected queue disabled (JQDIS = 1,
// the reset value): RM0399/RM0436 JQM selects how the queue behaves when it
// is enabled, so with JQDIS = 1 it has nothing to change and is not reported.
TEST_F(Mp15AdcTest, JqmWithTheQueueDisabledIsNotAGap)
{
    wr(CFGR, rd(CFGR) | (1u << 21));
    EXPECT_EQ(rd(CFGR) & (1u << 21), 1u << 21);
    EXPECT_FALSE(cap.has("unimplemented"));
    wr(CFGR, (1u << 21)); // JQDIS = 0: the queue, which the model does not have
    EXPECT_TRUE(cap.has("injected queue is not modelled"));
}

} // namespace
