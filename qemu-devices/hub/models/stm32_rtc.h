// STM32H7 real-time clock RTC (RM0399 Rev 4, chapter "Real-time clock
// (RTC)": calendar, alarms, periodic wake-up, backup registers, RTC
// registers).
//
// Modelled:
//  - The calendar counts on RTCCLK (params "clock", default "rtcclk", asked
//    of the RCC: BDCR.RTCSEL/RTCEN, LSE 32.768 kHz or LSI 32 kHz): ck_apre =
//    RTCCLK / (PREDIV_A + 1) decrements SSR from PREDIV_S; ck_spre = ck_apre /
//    (PREDIV_S + 1) advances the time and date (TR/DR in BCD, 24 h or 12 h
//    with FMT, years 00-99 = 2000-2099 with their leap years, the weekday
//    WDU advancing each day).  Host time (the hub's scheduler) is the time
//    base; the clock's frequency is sampled at each access and event.
//  - Initialization mode: CR/ISR/PRER/TR/DR writes need the write protection
//    unlocked (WPR: 0xCA then 0x53; any other key locks again; a system reset
//    locks it); ISR.INIT stops the calendar (INITF at once) and only then are
//    TR, DR and PRER writable; leaving it restarts the count at the start of
//    the second written.  RSF: cleared by software or entering INIT, set again
//    at the next read outside INIT (the shadow registers are in step).
//    INITS: the year is not 0.
//  - Shadow registers (BYPSHAD = 0): reading SSR or TR freezes TR and DR until
//    DR is read.
//  - Alarms A and B: ALRMxR with MSK1-4 (seconds, minutes, hours with PM,
//    date or weekday with WDSEL) compared at each second; ALRxF set when it
//    matches and ALRxE is set; ALRMxR writable only while ALRxWF (ALRxE = 0).
//  - Wake-up timer: WUCKSEL selects RTCCLK/16, /8, /4, /2 or ck_spre (and
//    ck_spre with WUT + 2^16); WUTF is set every WUT + 1 cycles while WUTE is
//    set; WUTR writable only while WUTWF (WUTE = 0).
//  - Outputs (levels, ISR flag and its enable): "alarm" (ALRAF & ALRAIE |
//    ALRBF & ALRBIE: EXTI line 17), "wakeup" (WUTF & WUTIE: EXTI line 19),
//    "tamp" (TSF & TSIE: EXTI line 18), and "wkup", any of them (the PWR's
//    Standby wake-up: RM0399 "Exiting Standby mode").
//  - Backup registers BKP0R-BKP31R, like the whole RTC, are in the backup
//    domain: a system reset (Device::reset) keeps everything and only locks
//    the write protection again; input 0 (RCC "bdrst", BDCR.BDRST) is the
//    backup domain reset: every register to its reset value.
// Not modelled (stored, logged once when set): timestamp and tamper
// detection, smooth calibration (CALR) and shift (SHIFTR), reference clock
// detection, the calibration / alarm outputs, sub-second alarm comparison
// (ALRMxSSR.MASKSS: alarms match at the second), daylight saving (ADD1H /
// SUB1H), PWR_CR1.DBP (the backup domain write protection is not checked).
#pragma once

#include "../regs.h"

namespace ampvp {

class Stm32Rtc : public RegisterDevice {
public:
    explicit Stm32Rtc(const std::string &name);
    void configure(const std::map<std::string, std::string> &params,
                   const std::vector<std::string> &core_names) override;
    void reset() override;              // system reset: the backup domain stays
    void input(unsigned n, bool level) override; // 0: backup domain reset
    void timer_fired(unsigned tag) override;

    // The calendar as seconds since 2000-01-01 00:00:00 (tests, traces).
    uint64_t seconds_now();

protected:
    void update_irq() override;

private:
    enum : unsigned { TAG_SECOND = 1, TAG_WUT = 2 };
    struct Calendar {
        uint64_t secs = 0; // seconds since 2000-01-01 00:00:00
        uint32_t ss = 0;   // SSR value (counts down from PREDIV_S)
        unsigned wdu = 1;  // weekday 1 (Monday) .. 7
    };
    uint64_t now() const;
    uint64_t rtcclk() const;
    uint32_t ticks_per_sec() const { return prediv_s_.get() + 1; }
    uint64_t ticks_now() const;            // ck_apre ticks since 2000-01-01
    Calendar calendar_at(uint64_t ticks) const;
    uint64_t ns_at_tick(uint64_t ticks) const; // host time of a future tick
    void anchor_from_registers();          // leaving INIT: TR/DR -> count
    void freeze_into_registers();          // entering INIT: count -> TR/DR
    uint32_t tr_of(const Calendar &c) const;
    uint32_t dr_of(const Calendar &c) const;
    void latch();
    bool alarm_matches(const Register &alrm, const Calendar &c) const;
    void check_alarms_up_to(uint64_t ticks);
    void schedule_second();
    void restart_wut();
    void schedule_wut();
    bool protected_write(BusAccess &a, const char *reg);

    std::string clock_ = "rtcclk";
    mutable ClockId clock_id_ = -2;
    // The running calendar: ticks_at(now) = anchor_ticks_ + elapsed * rate.
    uint64_t anchor_ticks_ = 0, anchor_ns_ = 0;
    uint64_t anchor_day_ = 0;  // day number at the anchor (for the weekday)
    unsigned anchor_wdu_ = 1;
    uint64_t checked_sec_ = 0; // last second the alarms were compared at
    uint64_t wut_next_ns_ = 0, wut_period_ns_ = 0;
    bool shadow_ = false;      // TR/DR frozen until DR is read
    uint32_t shadow_tr_ = 0, shadow_dr_ = 0;
    int key_state_ = 0;        // WPR: 0 locked, 1 got 0xCA, 2 unlocked

    IrqLine *alarm_, *wakeup_, *tamp_, *wkup_;
    Register *tr_ = nullptr, *dr_ = nullptr, *alrmar_ = nullptr, *alrmbr_ = nullptr;
    FieldRef wucksel_, fmt_, bypshad_, alrae_, alrbe_, wute_, tse_, alraie_, alrbie_, wutie_, tsie_; // CR
    FieldRef alrawf_, alrbwf_, wutwf_, inits_, rsf_, initf_, init_, alraf_, alrbf_, wutf_, tsf_;   // ISR
    FieldRef prediv_s_, prediv_a_;                                                                 // PRER
    FieldRef wut_;                                                                                 // WUTR
};

} // namespace ampvp
