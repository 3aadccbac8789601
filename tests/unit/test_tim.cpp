// STM32H7 timer time base, one RM0399 rule per test (RM0399 Rev 4, basic and
// general-purpose timers; rules paraphrased).  Time comes from a fake
// scheduler; the kernel clock is 64 MHz unless a test says otherwise.
#include "fake_time.h"
#include "models/stm32_tim.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    uint64_t rate = 64000000;
    ClockId clock_id(const std::string &) const override { return 0; }
    uint64_t hz(ClockId) const override { return rate; }
};

struct Level : IrqSink {
    bool level = false;
    int raises = 0;
    void set_irq(CoreId, unsigned, bool l) override
    {
        raises += l && !level;
        level = l;
    }
    void send_event(CoreId) override {}
};

enum : uint32_t {
    CR1 = 0x00, CR2 = 0x04, DIER = 0x0C, SR = 0x10, EGR = 0x14, CCMR1 = 0x18, CCMR2 = 0x1C,
    CCER = 0x20, CNT = 0x24, PSC = 0x28, ARR = 0x2C, CCR1 = 0x34, CCR2 = 0x38, CCR3 = 0x3C,
    CCR4 = 0x40, BDTR = 0x44,
};
// Bits as RM0399 names them (TIMx_CR1, TIMx_DIER, TIMx_SR, TIMx_EGR).
enum : uint32_t {
    CR1_CEN = 1u << 0, CR1_UDIS = 1u << 1, CR1_URS = 1u << 2, CR1_OPM = 1u << 3,
    CR1_ARPE = 1u << 7, DIER_UIE = 1u << 0, SR_UIF = 1u << 0, EGR_UG = 1u << 0,
};

struct TimTest : ::testing::Test {
    Stm32Tim t{"TIM6"};
    FakeTime time;
    Level irq;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        t.set_context(ctx);
        t.irq("irq")->connect(&irq, 0, 54);
    }
    // HAL_TIM_Base_Init + HAL_TIM_Base_Start_IT for a 1 kHz tick at 64 MHz.
    void start_1khz()
    {
        reg_write(t, PSC, 63);  // 1 MHz counter
        reg_write(t, ARR, 999); // 1000 ticks = 1 ms
        reg_write(t, EGR, EGR_UG);    // load PSC/ARR
        reg_write(t, SR, 0);          // HAL clears the UIF that UG set
        reg_write(t, DIER, DIER_UIE);
        reg_write(t, CR1, CR1_CEN);
    }
};

// RM0399: ARR resets to 0xFFFF; the counter is stopped after reset.
TEST_F(TimTest, ResetValues)
{
    EXPECT_EQ(reg_read(t, ARR), 0xFFFFu);
    EXPECT_EQ(reg_read(t, CR1), 0u);
    time.advance(1000000);
    EXPECT_EQ(reg_read(t, CNT), 0u);
}

// RM0399: setting UG re-initialises the counter, loads the prescaler and
// auto-reload shadows and sets UIF (unless URS).
TEST_F(TimTest, UgLoadsShadowsAndSetsUif)
{
    reg_write(t, PSC, 63);
    reg_write(t, EGR, EGR_UG);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    reg_write(t, SR, 0);
    reg_write(t, CR1, CR1_URS); // only overflow sets UIF
    reg_write(t, EGR, EGR_UG);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
}

// RM0399: SR flags are rc_w0: writing 1 leaves them, writing 0 clears them.
TEST_F(TimTest, SrIsClearedByWritingZero)
{
    reg_write(t, EGR, EGR_UG);
    reg_write(t, SR, SR_UIF);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    reg_write(t, SR, 0);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
}

// RM0399: the counter counts at CK_CNT = TIMxCLK / (PSC + 1).
TEST_F(TimTest, CounterAdvancesAtTheDividedClock)
{
    start_1khz();
    time.advance(250000); // 250 us at 1 MHz
    EXPECT_EQ(reg_read(t, CNT), 250u);
}

// RM0399: at the overflow (CNT passes ARR) an update event sets UIF; with
// UIE the interrupt is raised and stays until software clears UIF.
TEST_F(TimTest, OverflowRaisesTheUpdateInterruptEveryPeriod)
{
    start_1khz();
    EXPECT_FALSE(irq.level);
    time.advance(999000);
    EXPECT_FALSE(irq.level);
    time.advance(2000);
    EXPECT_TRUE(irq.level);
    reg_write(t, SR, 0);
    EXPECT_FALSE(irq.level);
    time.advance(10 * 1000000);
    EXPECT_EQ(irq.raises, 2); // UIF stayed set (not cleared) after the second
}

TEST_F(TimTest, TenMillisecondsGiveTenUpdates)
{
    start_1khz();
    int n = 0;
    for (int i = 0; i < 10; i++) {
        time.advance(1000000);
        if (reg_read(t, SR) & SR_UIF) {
            n++;
            reg_write(t, SR, 0);
        }
    }
    EXPECT_EQ(n, 10);
}

// RM0399: UDIS disables update events (no UIF on overflow).
TEST_F(TimTest, UdisSuppressesUpdates)
{
    start_1khz();
    reg_write(t, CR1, CR1_CEN | CR1_UDIS);
    time.advance(5000000);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
}

// RM0399: in one-pulse mode the counter stops (CEN cleared) at the update.
TEST_F(TimTest, OnePulseModeStopsAtTheUpdate)
{
    start_1khz();
    reg_write(t, CR1, CR1_CEN | CR1_OPM);
    time.advance(1500000);
    EXPECT_EQ(reg_read(t, CR1) & CR1_CEN, 0u);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
}

// RM0399: PSC is buffered: a new prescaler applies from the next update.
TEST_F(TimTest, PrescalerChangeWaitsForTheNextUpdate)
{
    start_1khz();
    reg_write(t, PSC, 127); // half speed, but only after the update
    time.advance(500000);
    EXPECT_EQ(reg_read(t, CNT), 500u);
    time.advance(500000); // update at 1 ms loads PSC 127
    time.advance(1000000);
    EXPECT_EQ(reg_read(t, CNT), 500u);
}

// Timers follow the kernel clock the RCC reports (here 200 MHz).
TEST_F(TimTest, CountingFollowsTheKernelClock)
{
    time.rate = 200000000;
    reg_write(t, PSC, 199);
    reg_write(t, EGR, EGR_UG);
    reg_write(t, CR1, CR1_CEN);
    time.advance(1000000);
    EXPECT_EQ(reg_read(t, CNT), 1000u);
}

// RM0399 ARPE = 0: TIMx_ARR is not buffered; a new auto-reload value applies
// to the running count at once.
TEST_F(TimTest, ArrWithoutArpeAppliesAtOnce)
{
    start_1khz();
    time.advance(100000);
    reg_write(t, ARR, 499);
    time.advance(399000); // CNT 499
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    time.advance(1000); // passes ARR = 499
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    EXPECT_EQ(reg_read(t, CNT), 0u);
}

// RM0399 ARPE = 1: TIMx_ARR is buffered; the new value is loaded into the
// shadow register at the next update event.
TEST_F(TimTest, ArrWithArpeWaitsForTheNextUpdate)
{
    start_1khz();
    reg_write(t, CR1, CR1_CEN | CR1_ARPE);
    time.advance(100000);
    reg_write(t, ARR, 499);
    time.advance(500000); // 600 us: the old period (1 ms) still runs
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    EXPECT_EQ(reg_read(t, CNT), 600u);
    time.advance(400000); // the update at 1 ms loads ARR = 499
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    reg_write(t, SR, 0);
    time.advance(500000); // one 500 us period later
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
}

// RM0399 CEN = 0 stops the counter: CNT keeps its value and no update comes.
TEST_F(TimTest, ClearingCenFreezesTheCounter)
{
    start_1khz();
    time.advance(300000);
    reg_write(t, CR1, 0);
    time.advance(5000000);
    EXPECT_EQ(reg_read(t, CNT), 300u);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    EXPECT_FALSE(irq.level);
    reg_write(t, CR1, CR1_CEN); // counting resumes from 300
    time.advance(100000);
    EXPECT_EQ(reg_read(t, CNT), 400u);
}

// RM0399 TIMx_CNT is read/write: a running counter continues from the value
// written.
TEST_F(TimTest, WritingCntContinuesFromTheValueWritten)
{
    start_1khz();
    time.advance(100000);
    reg_write(t, CNT, 900);
    time.advance(99000); // CNT 999
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, 0u);
    time.advance(1000);
    EXPECT_EQ(reg_read(t, SR) & SR_UIF, SR_UIF);
    EXPECT_TRUE(irq.level);
}

// RM0399 TIMx_EGR: a write-only register; UG clears itself and reads as 0.
TEST_F(TimTest, EgrReadsZero)
{
    reg_write(t, EGR, EGR_UG);
    EXPECT_EQ(reg_read(t, EGR), 0u);
}

// ---- capture/compare channels, PWM, TRGO -------------------------------------------

// Bits as RM0399 names them (TIMx_CCMRx output/input views, TIMx_CCER, TIMx_BDTR,
// TIMx_DIER, TIMx_SR, TIMx_CR2).
enum : uint32_t {
    OC1M_PWM1 = 6u << 4, OC1M_PWM2 = 7u << 4, OC1M_TOGGLE = 3u << 4, OC1M_ACTIVE = 1u << 4,
    OC1M_FORCE_HIGH = 5u << 4, OC1PE = 1u << 3, CC1S_TI1 = 1u << 0, CC1S_TI2 = 2u << 0,
    IC1PSC_4 = 2u << 2, OC2M_PWM1 = 6u << 12,
    CCER_CC1E = 1u << 0, CCER_CC1P = 1u << 1, CCER_CC1NE = 1u << 2, CCER_CC1NP = 1u << 3,
    CCER_CC2E = 1u << 4,
    BDTR_MOE = 1u << 15, BDTR_OSSI = 1u << 10, CR2_OIS1 = 1u << 8,
    DIER_CC1IE = 1u << 1, SR_CC1IF = 1u << 1, SR_CC1OF = 1u << 9, EGR_CC1G = 1u << 1,
    CR2_MMS_UPDATE = 2u << 4, CR2_MMS_OC1REF = 4u << 4,
};

using testutil::WaveSink;

struct TimChannelTest : TimTest {
    WaveSink pins;
    void SetUp() override
    {
        TimTest::SetUp();
        t.irq("ch1")->connect_input(&pins, 1);
        t.irq("ch2")->connect_input(&pins, 2);
        t.irq("ch1n")->connect_input(&pins, 11);
        t.irq("trgo")->connect_input(&pins, 100);
    }
    // HAL_TIM_PWM_Init + HAL_TIM_PWM_ConfigChannel(PWM1, pulse) + HAL_TIM_PWM_Start
    // on channel 1: a 1 kHz period of 1000 ticks at 1 MHz.
    void pwm1(uint32_t pulse, uint32_t ccer = CCER_CC1E)
    {
        reg_write(t, PSC, 63);
        reg_write(t, ARR, 999);
        reg_write(t, EGR, EGR_UG);
        reg_write(t, SR, 0);
        reg_write(t, CCER, 0);
        reg_write(t, CCMR1, OC1M_PWM1);
        reg_write(t, CCR1, pulse);
        reg_write(t, CCMR1, OC1M_PWM1 | OC1PE);
        reg_write(t, CCER, ccer);
        reg_write(t, BDTR, BDTR_MOE);
        reg_write(t, CR1, CR1_CEN);
    }
};

// RM0399 PWM mode 1: in upcounting, OCxREF is high as long as CNT < CCRx, else
// low; the period is (ARR + 1) counter ticks.  The output is one waveform.
TEST_F(TimChannelTest, Pwm1IsHighWhileCntBelowCcr)
{
    pwm1(250);
    const Waveform &w = pins.last[1];
    ASSERT_TRUE(w.periodic());
    EXPECT_EQ(w.period_ns, 1000000u);
    EXPECT_EQ(w.high_ns, 250000u);
    EXPECT_EQ(w.describe(), "pwm 25% 1 kHz");
    const int before = pins.messages[1];
    time.advance(20 * 1000000); // twenty periods: still the same waveform, no message
    EXPECT_EQ(pins.messages[1], before);
}

// RM0399 PWM mode 1: if CCRx > ARR, OCxREF is held high; if CCRx = 0 it is held low.
TEST_F(TimChannelTest, Pwm1FullAndZeroDuty)
{
    pwm1(1000);
    EXPECT_FALSE(pins.last[1].periodic());
    EXPECT_TRUE(pins.last[1].level);
    reg_write(t, CCMR1, OC1M_PWM1); // no preload: CCR1 applies at once
    reg_write(t, CCR1, 0);
    EXPECT_FALSE(pins.last[1].level);
}

// RM0399 PWM mode 2: OCxREF is low as long as CNT < CCRx, else high.
TEST_F(TimChannelTest, Pwm2IsTheInverse)
{
    pwm1(250);
    reg_write(t, CCMR1, OC1M_PWM2 | OC1PE);
    EXPECT_EQ(pins.last[1].high_ns, 750000u);
}

// RM0399 CCxP: the output is OCxREF inverted when CCxP = 1 (active low).
TEST_F(TimChannelTest, PolarityInvertsTheOutput)
{
    pwm1(250, CCER_CC1E | CCER_CC1P);
    EXPECT_EQ(pins.last[1].high_ns, 750000u);
}

// RM0399 OCxPE = 1: the preload register is transferred to the active CCRx
// at each update event only.
TEST_F(TimChannelTest, PreloadedCcrAppliesAtTheNextUpdate)
{
    pwm1(250);
    time.advance(300000);
    reg_write(t, CCR1, 500);
    EXPECT_EQ(pins.last[1].high_ns, 250000u);
    time.advance(700000); // the update at 1 ms
    EXPECT_EQ(pins.last[1].high_ns, 500000u);
}

// RM0399 CCxE = 0: the output is disabled (OCx = 0).
TEST_F(TimChannelTest, DisabledChannelOutputsZero)
{
    pwm1(250, 0);
    EXPECT_FALSE(pins.last[1].periodic());
    EXPECT_FALSE(pins.last[1].level);
}

// RM0399 advanced timers: OCx is enabled only when MOE = 1 in TIMx_BDTR; with
// MOE = 0 and OSSI = 1 the output takes its idle level OISx.
TEST_F(TimChannelTest, AdvancedTimerOutputsNeedMoe)
{
    Stm32Tim adv{"TIM1"};
    DeviceContext ctx;
    ctx.scheduler = &time;
    ctx.clock_source = &time;
    adv.set_context(ctx);
    adv.configure({{"advanced", "1"}}, {});
    WaveSink s;
    adv.irq("ch1")->connect_input(&s, 1);
    adv.irq("ch1n")->connect_input(&s, 2);
    reg_write(adv, PSC, 63);
    reg_write(adv, ARR, 999);
    reg_write(adv, EGR, EGR_UG);
    reg_write(adv, CCMR1, OC1M_PWM1);
    reg_write(adv, CCR1, 250);
    reg_write(adv, CCER, CCER_CC1E | CCER_CC1NE);
    reg_write(adv, CR1, CR1_CEN);
    EXPECT_FALSE(s.last[1].periodic()); // MOE = 0
    reg_write(adv, BDTR, BDTR_MOE);     // HAL_TIM_PWM_Start: __HAL_TIM_MOE_ENABLE
    EXPECT_EQ(s.last[1].high_ns, 250000u);
    // The complementary output OC1N is OC1REF inverted.
    EXPECT_EQ(s.last[2].high_ns, 750000u);
    reg_write(adv, CR2, CR2_OIS1);
    reg_write(adv, BDTR, BDTR_OSSI);
    EXPECT_FALSE(s.last[1].periodic());
    EXPECT_TRUE(s.last[1].level);
}

// RM0399 toggle mode: OCxREF toggles when CNT = CCRx: a square wave of twice
// the counter period.
TEST_F(TimChannelTest, ToggleModeGivesHalfTheFrequency)
{
    pwm1(300);
    reg_write(t, CCMR1, OC1M_TOGGLE);
    const Waveform &w = pins.last[1];
    ASSERT_TRUE(w.periodic());
    EXPECT_EQ(w.period_ns, 2000000u);
    EXPECT_EQ(w.high_ns, 1000000u);
}

// RM0399 forced output mode: OCxREF is forced high (0101) or low (0100)
// whatever the comparison.
TEST_F(TimChannelTest, ForcedActive)
{
    pwm1(250);
    reg_write(t, CCMR1, OC1M_FORCE_HIGH);
    EXPECT_FALSE(pins.last[1].periodic());
    EXPECT_TRUE(pins.last[1].level);
}

// RM0399 output compare "active on match": OCxREF goes high when CNT = CCRx,
// and CCxIF is set; with CCxIE the interrupt is raised.
TEST_F(TimChannelTest, ActiveOnMatchSetsTheOutputAndCc1if)
{
    reg_write(t, PSC, 63);
    reg_write(t, ARR, 999);
    reg_write(t, EGR, EGR_UG);
    reg_write(t, SR, 0);
    reg_write(t, CCMR1, OC1M_ACTIVE);
    reg_write(t, CCR1, 400);
    reg_write(t, CCER, CCER_CC1E);
    reg_write(t, DIER, DIER_CC1IE);
    reg_write(t, CR1, CR1_CEN);
    time.advance(399000);
    EXPECT_FALSE(pins.last[1].level);
    EXPECT_FALSE(irq.level);
    time.advance(2000);
    EXPECT_TRUE(pins.last[1].level);
    EXPECT_EQ(reg_read(t, SR) & SR_CC1IF, SR_CC1IF);
    EXPECT_TRUE(irq.level);
    reg_write(t, SR, ~SR_CC1IF);
    EXPECT_FALSE(irq.level);
}

// RM0399: CCxIF is also set on a match in PWM mode; software that polls SR sees it
// without any interrupt enabled.
TEST_F(TimChannelTest, PwmMatchSetsCcifWhenPolled)
{
    pwm1(250);
    reg_write(t, SR, 0);
    time.advance(100000);
    EXPECT_EQ(reg_read(t, SR) & SR_CC1IF, 0u);
    time.advance(200000);
    EXPECT_EQ(reg_read(t, SR) & SR_CC1IF, SR_CC1IF);
}

// RM0399 input capture: with CC1S = 01 (IC1 on TI1) and CC1E, a rising edge of
// TI1 copies the counter into CCR1 and sets CC1IF (interrupt with CC1IE).
TEST_F(TimChannelTest, InputCaptureLatchesTheCounterOnARisingEdge)
{
    reg_write(t, PSC, 63);
    reg_write(t, ARR, 0xFFFF);
    reg_write(t, EGR, EGR_UG);
    reg_write(t, SR, 0);
    reg_write(t, CCMR1, CC1S_TI1);
    reg_write(t, CCER, CCER_CC1E);
    reg_write(t, DIER, DIER_CC1IE);
    reg_write(t, CR1, CR1_CEN);
    time.advance(1234000);
    t.input(0, true);
    EXPECT_EQ(reg_read(t, CCR1), 1234u);
    EXPECT_TRUE(irq.level);
    EXPECT_EQ(reg_read(t, SR) & SR_CC1IF, SR_CC1IF);
    // The falling edge is not selected (CC1P = 0, CC1NP = 0): no capture.
    time.advance(1000000);
    t.input(0, false);
    EXPECT_EQ(reg_read(t, CCR1), 1234u);
}

// RM0399: CCRx is read-only in input mode; a capture while CCxIF is still set
// sets the overcapture flag CCxOF.
TEST_F(TimChannelTest, OvercaptureAndReadOnlyCcr)
{
    reg_write(t, PSC, 63);
    reg_write(t, ARR, 0xFFFF);
    reg_write(t, EGR, EGR_UG); // PSC is buffered: load it
    reg_write(t, CCMR1, CC1S_TI1);
    reg_write(t, CCER, CCER_CC1E | CCER_CC1P | CCER_CC1NP); // both edges
    reg_write(t, CR1, CR1_CEN);
    time.advance(100000);
    t.input(0, true);
    time.advance(100000);
    t.input(0, false);
    EXPECT_EQ(reg_read(t, SR) & SR_CC1OF, SR_CC1OF);
    EXPECT_EQ(reg_read(t, CCR1), 200u);
    reg_write(t, CCR1, 5);
    EXPECT_EQ(reg_read(t, CCR1), 200u);
}

// RM0399 ICxPSC = 10: a capture is done once every 4 events; CC1S = 10 maps IC1
// on TI2.
TEST_F(TimChannelTest, InputPrescalerAndCrossedInput)
{
    reg_write(t, PSC, 63);
    reg_write(t, ARR, 0xFFFF);
    reg_write(t, EGR, EGR_UG); // PSC is buffered: load it
    reg_write(t, CCMR1, CC1S_TI2 | IC1PSC_4);
    reg_write(t, CCER, CCER_CC1E);
    reg_write(t, CR1, CR1_CEN);
    for (int i = 1; i <= 4; i++) {
        time.advance(10000);
        t.input(1, true);
        t.input(1, false);
        EXPECT_EQ((reg_read(t, SR) & SR_CC1IF) != 0, i == 4) << i;
    }
    EXPECT_EQ(reg_read(t, CCR1), 40u);
}

// RM0399: CCxS bits are writable only when the channel is off (CCxE = 0).
TEST_F(TimChannelTest, CcsIsLockedWhileTheChannelIsOn)
{
    pwm1(250);
    reg_write(t, CCMR1, CC1S_TI1);
    EXPECT_EQ(reg_read(t, CCMR1) & 3u, 0u);
    EXPECT_TRUE(cap.has("CC1S written while CC1E = 1"));
}

// RM0399 EGR.CCxG: on an input channel, a capture as if an edge had come.
TEST_F(TimChannelTest, Cc1gCaptures)
{
    reg_write(t, PSC, 63);
    reg_write(t, EGR, EGR_UG); // PSC is buffered: load it
    reg_write(t, CCMR1, CC1S_TI1);
    reg_write(t, CCER, CCER_CC1E);
    reg_write(t, CR1, CR1_CEN);
    time.advance(77000);
    reg_write(t, EGR, EGR_CC1G);
    EXPECT_EQ(reg_read(t, CCR1), 77u);
}

// RM0399 master mode MMS = 010 (update): the update event is the trigger output
// TRGO, one pulse per counter period (an ADC or DAC trigger).
TEST_F(TimChannelTest, TrgoPulsesAtEachUpdate)
{
    reg_write(t, CR2, CR2_MMS_UPDATE);
    reg_write(t, PSC, 63);
    reg_write(t, ARR, 999);
    reg_write(t, EGR, EGR_UG); // an update too
    reg_write(t, CR1, CR1_CEN);
    const int after_ug = pins.rises[100];
    EXPECT_EQ(after_ug, 1);
    time.advance(5 * 1000000 + 10);
    EXPECT_EQ(pins.rises[100], after_ug + 5);
}

// Every update event is a TRGO pulse even when the hub comes late: a deadline
// handled 5 periods late still gives the 5 pulses (an ADC counts on each).
TEST_F(TimChannelTest, LateUpdatesStillPulseTrgoEachTime)
{
    reg_write(t, CR2, CR2_MMS_UPDATE);
    reg_write(t, PSC, 63);
    reg_write(t, ARR, 999);
    reg_write(t, EGR, EGR_UG);
    reg_write(t, CR1, CR1_CEN);
    const int before = pins.rises[100];
    time.now += 5 * 1000000 + 10; // no deadline fired in between
    (void)reg_read(t, CNT);
    EXPECT_EQ(pins.rises[100], before + 5);
}

// RM0399 MMS = 100: OC1REF is the trigger output.
TEST_F(TimChannelTest, TrgoCanBeOc1ref)
{
    pwm1(500);
    reg_write(t, CR2, CR2_MMS_OC1REF);
    EXPECT_EQ(pins.last[100].describe(), "pwm 50% 1 kHz");
}
// ---- DMA requests ----------------------------------------------------------------

enum : uint32_t {
    DIER_UDE = 1u << 8, DIER_CC1DE = 1u << 9, CR2_CCDS = 1u << 3,
};

struct TimDmaTest : TimChannelTest {
    void SetUp() override
    {
        TimChannelTest::SetUp();
        t.irq("dma_up")->connect_input(&pins, 200);
        t.irq("dma_cc1")->connect_input(&pins, 201);
    }
    bool up() { return pins.last[200].level; }
    bool cc1() { return pins.last[201].level; }
    // The DMA served the request (DMAMUX1's req_ack pulse).
    void ack(unsigned n)
    {
        t.input(n, true);
        t.input(n, false);
    }
};

// RM0399 TIMx_DIER.UDE "update DMA request enable": the update event (counter
// overflow) raises the update DMA request, which stays until the DMA
// acknowledges it.
TEST_F(TimDmaTest, UpdateDmaRequestAtOverflowUntilAcknowledged)
{
    start_1khz();
    reg_write(t, DIER, DIER_UDE);
    time.advance(999999);
    EXPECT_FALSE(up());
    time.advance(1); // the overflow at 1 ms
    EXPECT_TRUE(up());
    time.advance(500000);
    EXPECT_TRUE(up()) << "held until served";
    ack(Stm32Tim::ACK_UP);
    EXPECT_FALSE(up());
    time.advance(500000); // the next overflow
    EXPECT_TRUE(up());
    EXPECT_EQ(pins.rises[200], 2);
}

// RM0399 TIMx_CR1.URS: with URS = 0 setting UG generates the update DMA
// request, with URS = 1 only the overflow does; UDIS: no update event at all.
TEST_F(TimDmaTest, UgRequestsOnlyWithUrsZero)
{
    reg_write(t, DIER, DIER_UDE);
    reg_write(t, CR1, CR1_URS);
    reg_write(t, EGR, EGR_UG);
    EXPECT_FALSE(up());
    reg_write(t, CR1, CR1_UDIS);
    reg_write(t, EGR, EGR_UG);
    EXPECT_FALSE(up());
    reg_write(t, CR1, 0);
    reg_write(t, EGR, EGR_UG);
    EXPECT_TRUE(up());
}

// RM0399 TIMx_CR2.CCDS = 0: the CCx DMA request is sent when the CCx event
// occurs (in PWM mode, the compare match CNT = CCRx).
TEST_F(TimDmaTest, CcDmaRequestAtTheCompareMatch)
{
    pwm1(250);
    reg_write(t, DIER, DIER_CC1DE);
    time.advance(249999);
    EXPECT_FALSE(cc1());
    time.advance(1); // CNT = 250
    EXPECT_TRUE(cc1());
    EXPECT_FALSE(up());
    ack(Stm32Tim::ACK_CC);
    EXPECT_FALSE(cc1());
    time.advance(1000000); // the next period's match
    EXPECT_TRUE(cc1());
}

// RM0399 TIMx_CR2.CCDS = 1: the CCx DMA requests are sent when the update
// event occurs instead.
TEST_F(TimDmaTest, CcdsMovesTheCcRequestToTheUpdateEvent)
{
    pwm1(250);
    reg_write(t, CR2, CR2_CCDS);
    reg_write(t, DIER, DIER_CC1DE);
    time.advance(500000);
    EXPECT_FALSE(cc1()) << "the match is no request with CCDS = 1";
    time.advance(500000); // the update at 1 ms
    EXPECT_TRUE(cc1());
}

// A request not yet served stays one request: further events make no second
// one; clearing the enable bit withdraws it.
TEST_F(TimDmaTest, HeldRequestIsOneAndClearingTheEnableWithdrawsIt)
{
    pwm1(250);
    reg_write(t, DIER, DIER_CC1DE);
    time.advance(3 * 1000000);
    EXPECT_TRUE(cc1());
    EXPECT_EQ(pins.rises[201], 1);
    reg_write(t, DIER, 0);
    EXPECT_FALSE(cc1());
    EXPECT_FALSE(cap.has("unimplemented")) << "UDE/CCxDE/CCDS are modelled";
}

// RM0399: EGR.CC1G generates a CC1 event, so the CC1 DMA request with CC1DE.
TEST_F(TimDmaTest, Cc1gRequests)
{
    reg_write(t, DIER, DIER_CC1DE);
    reg_write(t, EGR, EGR_CC1G);
    EXPECT_TRUE(cc1());
}
} // namespace
