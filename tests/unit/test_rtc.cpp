// STM32H7 RTC, one RM0399 rule per test (RM0399 Rev 4, "Real-time clock
// (RTC)"; rules paraphrased).  Time comes from a fake scheduler; RTCCLK is
// the LSE, 32.768 kHz, unless a test says otherwise.
#include "fake_time.h"
#include "models/stm32_rtc.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace ampvp;
using testutil::reg_read;
using testutil::reg_write;

namespace {

struct FakeTime : testutil::FakeScheduler, ClockSource {
    uint64_t rate = 32768;
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

constexpr uint64_t SEC = 1000000000ull;
enum : uint32_t {
    TR = 0x00, DR = 0x04, CR = 0x08, ISR = 0x0C, PRER = 0x10, WUTR = 0x14, ALRMAR = 0x1C, ALRMBR = 0x20,
    WPR = 0x24, SSR = 0x28, BKP0R = 0x50,
};
// RM0399 RTC_CR / RTC_ISR bits.
enum : uint32_t {
    CR_FMT = 1u << 6, CR_ALRAE = 1u << 8, CR_WUTE = 1u << 10, CR_ALRAIE = 1u << 12, CR_WUTIE = 1u << 14,
    ISR_ALRAWF = 1u << 0, ISR_WUTWF = 1u << 2, ISR_INITS = 1u << 4, ISR_RSF = 1u << 5, ISR_INITF = 1u << 6,
    ISR_INIT = 1u << 7, ISR_ALRAF = 1u << 8, ISR_WUTF = 1u << 10,
    ALRM_MSK1 = 1u << 7, ALRM_MSK2 = 1u << 15, ALRM_MSK3 = 1u << 23, ALRM_MSK4 = 1u << 31,
};

struct RtcTest : ::testing::Test {
    Stm32Rtc rtc{"RTC"};
    FakeTime time;
    Level alarm, wakeup, wkup;
    testutil::LogCapture cap;
    void SetUp() override
    {
        DeviceContext ctx;
        ctx.scheduler = &time;
        ctx.clock_source = &time;
        rtc.set_context(ctx);
        rtc.configure({}, {"cm7", "cm4"});
        rtc.irq("alarm")->connect(&alarm, 0, 41);
        rtc.irq("wakeup")->connect(&wakeup, 0, 3);
        rtc.irq("wkup")->connect(&wkup, 0, 0);
    }
    uint32_t rd(uint32_t off) { return reg_read(rtc, off); }
    void wr(uint32_t off, uint32_t v) { reg_write(rtc, off, v); }
    void unlock()
    {
        wr(WPR, 0xCA);
        wr(WPR, 0x53);
    }
    // HAL_RTC_Init + HAL_RTC_SetTime/SetDate: unlock, INIT, wait INITF, write, leave.
    void set_calendar(uint32_t tr, uint32_t dr)
    {
        unlock();
        wr(ISR, 0xFFFFFFFF); // RTC_INIT_MASK
        ASSERT_TRUE(rd(ISR) & ISR_INITF);
        wr(PRER, 0x7F00FF); // 32768 / 128 / 256 = 1 Hz
        wr(TR, tr);
        wr(DR, dr);
        wr(ISR, rd(ISR) & ~ISR_INIT);
        wr(WPR, 0xFF);
    }
};

// RM0399 RTC register write protection: after reset the RTC registers are
// write-protected; writing 0xCA then 0x53 in RTC_WPR unlocks them, a wrong
// key locks them again.
TEST_F(RtcTest, WritesNeedTheWprKeySequence)
{
    wr(CR, CR_FMT);
    EXPECT_EQ(rd(CR), 0u);
    EXPECT_TRUE(cap.has("write-protected"));
    unlock();
    wr(CR, CR_FMT);
    EXPECT_EQ(rd(CR), CR_FMT);
    wr(WPR, 0xFF);
    wr(CR, 0);
    EXPECT_EQ(rd(CR), CR_FMT);
    wr(WPR, 0xCA);
    wr(WPR, 0x12); // not 0x53: locked again
    wr(WPR, 0x53);
    wr(CR, 0);
    EXPECT_EQ(rd(CR), CR_FMT);
}

// RM0399 "Calendar initialization": TR and DR can be written only in
// initialization mode (INIT = 1, INITF = 1).
TEST_F(RtcTest, TimeWrittenOnlyInInitMode)
{
    unlock();
    wr(TR, 0x123456);
    EXPECT_TRUE(cap.has("outside initialization mode"));
    wr(ISR, ISR_INIT);
    EXPECT_TRUE(rd(ISR) & ISR_INITF);
    wr(TR, 0x123456);
    EXPECT_EQ(rd(TR), 0x123456u);
}

// RM0399: the calendar stops in initialization mode; leaving it, counting
// restarts from the values written, one second per ck_spre (RTCCLK /
// (PREDIV_A + 1) / (PREDIV_S + 1)).
TEST_F(RtcTest, CalendarCountsSecondsFromTheValueWritten)
{
    set_calendar(0x235958, 0x00241231); // 23:59:58, 2024-12-31 (WDU 0 -> given as is)
    EXPECT_EQ(rd(TR), 0x235958u);
    rd(DR);
    time.advance(SEC);
    EXPECT_EQ(rd(TR), 0x235959u);
    rd(DR);
    time.advance(SEC);
    EXPECT_EQ(rd(TR), 0x000000u);
    EXPECT_EQ(rd(DR) & ~(7u << 13), 0x00250101u) << "year, month and day roll over together";
}

// RM0399 RTC_DR: the weekday units advance each day (1 = Monday .. 7 = Sunday).
TEST_F(RtcTest, WeekdayAdvancesAtMidnight)
{
    set_calendar(0x235959, 0x0024E101 | (7u << 13)); // Sunday
    time.advance(SEC);
    rd(TR);
    EXPECT_EQ((rd(DR) >> 13) & 7u, 1u);
}

// RM0399: every fourth year (00-99) is a leap year: 28 February is followed
// by 29 February in 2024, by 1 March in 2023.
TEST_F(RtcTest, LeapYears)
{
    set_calendar(0x235959, 0x00240228);
    time.advance(SEC);
    rd(TR);
    EXPECT_EQ(rd(DR) & 0xFF1FFFu, 0x240229u);
    set_calendar(0x235959, 0x00230228);
    time.advance(SEC);
    rd(TR);
    EXPECT_EQ(rd(DR) & 0xFF1FFFu, 0x230301u);
}

// RM0399 RTC_SSR: the sub-second counter counts down from PREDIV_S at ck_apre.
TEST_F(RtcTest, SubSecondsCountDownFromPredivS)
{
    set_calendar(0, 0x00240101);
    EXPECT_EQ(rd(SSR), 255u);
    rd(DR);
    time.advance(SEC / 4);
    EXPECT_EQ(rd(SSR), 255u - 64u);
    rd(DR);
}

// RM0399 "Reading the calendar" (BYPSHAD = 0): reading SSR or TR locks the
// higher-order calendar shadow registers until DR is read.
TEST_F(RtcTest, ReadingTrFreezesDateUntilDrIsRead)
{
    set_calendar(0x235959, 0x00240101);
    EXPECT_EQ(rd(TR), 0x235959u);
    time.advance(2 * SEC);
    EXPECT_EQ(rd(TR), 0x235959u) << "still the locked shadow";
    EXPECT_EQ(rd(DR) & 0xFF1FFFu, 0x240101u) << "the date of the same moment";
    EXPECT_EQ(rd(TR), 0x000001u);
}

// RM0399 RTC_ISR.RSF: cleared by software (HAL_RTC_WaitForSynchro), set by
// hardware when the shadow registers are updated again.
TEST_F(RtcTest, RsfIsSetAgainAfterSoftwareClearsIt)
{
    set_calendar(0, 0x00240101);
    unlock();
    wr(ISR, rd(ISR) & ~(ISR_RSF | ISR_INIT));
    EXPECT_TRUE(rd(ISR) & ISR_RSF);
}

// RM0399 RTC_ISR.INITS: set when the calendar year is not 0 (it was
// initialized since the backup domain reset).
TEST_F(RtcTest, InitsOnceTheYearIsSet)
{
    EXPECT_FALSE(rd(ISR) & ISR_INITS);
    set_calendar(0, 0x00240101);
    EXPECT_TRUE(rd(ISR) & ISR_INITS);
}

// RM0399 "Programmable alarms": with its MSKx bits clear, alarm A matches when
// the calendar equals ALRMAR; ALRAF is set and, with ALRAIE, the alarm line
// (EXTI line 17) rises.  ALRMAR can be written only while ALRAWF (ALRAE = 0).
TEST_F(RtcTest, AlarmAFiresWhenTheCalendarMatches)
{
    set_calendar(0x120000, 0x00240101);
    unlock();
    wr(ALRMAR, 0x01120005); // day 1, 12:00:05
    wr(CR, CR_ALRAE | CR_ALRAIE);
    time.advance(4 * SEC + SEC / 2);
    EXPECT_FALSE(rd(ISR) & ISR_ALRAF);
    time.advance(SEC);
    EXPECT_TRUE(rd(ISR) & ISR_ALRAF);
    EXPECT_TRUE(alarm.level);
    EXPECT_TRUE(wkup.level) << "an RTC event also wakes the system from Standby";
    wr(ALRMAR, 0);
    EXPECT_TRUE(cap.has("ALRxWF = 0"));
    wr(ISR, ~ISR_ALRAF & ~ISR_INIT); // HAL: clear ALRAF (rc_w0)
    EXPECT_FALSE(alarm.level);
}

// RM0399 RTC_ALRMAR.MSK1-4: a masked field does not take part: with every
// field but the seconds masked, alarm A fires once a minute at :30.
TEST_F(RtcTest, MaskedFieldsAreDontCare)
{
    set_calendar(0x081510, 0x00240101);
    unlock();
    wr(ALRMAR, ALRM_MSK4 | ALRM_MSK3 | ALRM_MSK2 | 0x30);
    wr(CR, CR_ALRAE);
    time.advance(19 * SEC + SEC / 2);
    EXPECT_FALSE(rd(ISR) & ISR_ALRAF);
    time.advance(SEC);
    EXPECT_TRUE(rd(ISR) & ISR_ALRAF);
    wr(ISR, ~ISR_ALRAF & ~ISR_INIT);
    time.advance(60 * SEC);
    EXPECT_TRUE(rd(ISR) & ISR_ALRAF) << "again a minute later";
}

// RM0399 "Periodic auto-wake-up": with WUCKSEL = RTCCLK/16, WUTF is set every
// (WUT + 1) x 16 RTCCLK cycles; WUTR is writable only while WUTWF (WUTE = 0).
TEST_F(RtcTest, WakeupTimerPeriod)
{
    time.rate = 32000; // the LSI, as ST's PWR examples: 0x9C40 = 20 s
    unlock();
    EXPECT_TRUE(rd(ISR) & ISR_WUTWF);
    wr(WUTR, 1999); // 2000 x 16 / 32000 = 1 s
    wr(CR, CR_WUTE | CR_WUTIE);
    EXPECT_FALSE(rd(ISR) & ISR_WUTWF);
    wr(WUTR, 5);
    EXPECT_EQ(rd(WUTR), 1999u) << "ignored while the timer runs";
    time.advance(SEC - 1000);
    EXPECT_FALSE(rd(ISR) & ISR_WUTF);
    time.advance(2000);
    EXPECT_TRUE(rd(ISR) & ISR_WUTF);
    EXPECT_TRUE(wakeup.level);
    wr(ISR, ~ISR_WUTF & ~ISR_INIT);
    EXPECT_FALSE(wakeup.level);
    time.advance(SEC);
    EXPECT_TRUE(rd(ISR) & ISR_WUTF) << "periodic";
}

// RM0399 RTC_CR.WUCKSEL = 10x: the wake-up timer counts ck_spre (1 Hz).
TEST_F(RtcTest, WakeupTimerOnCkSpre)
{
    unlock();
    wr(WUTR, 2);      // 3 s
    wr(CR, 4u | CR_WUTE);
    time.advance(3 * SEC - 1000);
    EXPECT_FALSE(rd(ISR) & ISR_WUTF);
    time.advance(2000);
    EXPECT_TRUE(rd(ISR) & ISR_WUTF);
}

// RM0399 "RTC backup registers": BKPxR keep their contents through a system
// reset; the backup domain reset (RCC_BDCR.BDRST) clears them, and the
// calendar keeps counting through a system reset.
TEST_F(RtcTest, BackupRegistersSurviveASystemResetNotABackupDomainReset)
{
    set_calendar(0x100000, 0x00240101);
    wr(BKP0R + 4, 0x32F2);
    rtc.reset();
    EXPECT_EQ(rd(BKP0R + 4), 0x32F2u);
    time.advance(SEC);
    EXPECT_EQ(rd(TR), 0x100001u);
    rd(DR);
    rtc.input(0, true); // BDRST
    EXPECT_EQ(rd(BKP0R + 4), 0u);
    EXPECT_EQ(rd(DR), 0x2101u);
}

// A system reset locks the write protection again.
TEST_F(RtcTest, SystemResetLocksTheRegistersAgain)
{
    unlock();
    rtc.reset();
    wr(CR, CR_FMT);
    EXPECT_EQ(rd(CR), 0u);
}

// RM0399 RTC_CR.FMT = 1: TR holds the hour 1-12 with PM.
TEST_F(RtcTest, TwelveHourFormat)
{
    unlock();
    wr(ISR, ISR_INIT);
    wr(CR, CR_FMT);
    wr(TR, (1u << 22) | 0x115959); // 11:59:59 PM
    wr(DR, 0x00240101);
    wr(ISR, 0);
    time.advance(SEC);
    EXPECT_EQ(rd(TR), 0x120000u) << "12:00:00 AM";
    EXPECT_EQ(rd(DR) & 0xFF1FFFu, 0x240102u);
}

// RM0399 RTC_PRER reset value 0x007F 00FF, RTC_WUTR 0x0000 FFFF, RTC_ISR
// 0x0000 0007, RTC_DR 0x0000 2101.
TEST_F(RtcTest, ResetValues)
{
    EXPECT_EQ(rd(PRER), 0x007F00FFu);
    EXPECT_EQ(rd(WUTR), 0xFFFFu);
    EXPECT_EQ(rd(ISR) & 0x1FFu, 0x07u | ISR_RSF);
    EXPECT_EQ(rd(DR), 0x2101u);
}

} // namespace
