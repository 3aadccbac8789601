#include "stm32_rtc.h"
#include "../model_registry.h"

#include "../log.h"

namespace ampvp {

namespace {
uint32_t bcd(unsigned v) { return ((v / 10) << 4) | (v % 10); }
unsigned unbcd(uint32_t v) { return ((v >> 4) & 0xF) * 10 + (v & 0xF); }

// Days since 2000-01-01 of a date in 2000-2099 (every fourth year a leap
// year, as the RTC counts them), and back.
const unsigned kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
unsigned month_days(unsigned year, unsigned month) // month 1..12
{
    return month == 2 && year % 4 == 0 ? 29 : kMonthDays[month - 1];
}
uint64_t day_number(unsigned year, unsigned month, unsigned day) // year 0..99
{
    uint64_t d = 0;
    for (unsigned y = 0; y < year; y++) {
        d += y % 4 == 0 ? 366 : 365;
    }
    for (unsigned m = 1; m < month; m++) {
        d += month_days(year, m);
    }
    return d + (day - 1);
}
void date_of(uint64_t days, unsigned &year, unsigned &month, unsigned &day)
{
    days %= 36525; // a century of RTC years (25 leap years)
    year = 0;
    while (days >= (year % 4 == 0 ? 366u : 365u)) {
        days -= year % 4 == 0 ? 366 : 365;
        year++;
    }
    month = 1;
    while (days >= month_days(year, month)) {
        days -= month_days(year, month);
        month++;
    }
    day = static_cast<unsigned>(days) + 1;
}
} // namespace

Stm32Rtc::Stm32Rtc(const std::string &name) : RegisterDevice(name)
{
    alarm_ = &add_irq("alarm");
    wakeup_ = &add_irq("wakeup");
    tamp_ = &add_irq("tamp");
    wkup_ = &add_irq("wkup");
    auto &r = regs_;
    auto guard = [this](const char *reg) {
        return [this, reg](BusAccess &a, uint32_t, uint32_t &, uint32_t) { return protected_write(a, reg); };
    };
    // RM0399 RTC_TR / RTC_DR: writable in initialization mode only.
    auto init_only = [this](const char *reg) {
        return [this, reg](BusAccess &a, uint32_t, uint32_t &, uint32_t) {
            if (!protected_write(a, reg)) {
                return false;
            }
            if (!initf_.on()) {
                log().guest_error(a.core_name, this->name() + "." + reg + " written outside initialization mode "
                                               "(ISR.INITF = 0): ignored");
                return false;
            }
            return true;
        };
    };
    tr_ = &r.reg("TR", 0x00, 0)
               .field("SU", 0, 4, Acc::RW)
               .field("ST", 4, 3, Acc::RW)
               .field("MNU", 8, 4, Acc::RW)
               .field("MNT", 12, 3, Acc::RW)
               .field("HU", 16, 4, Acc::RW)
               .field("HT", 20, 2, Acc::RW)
               .field("PM", 22, 1, Acc::RW)
               .pre_write(init_only("TR"))
               .on_read([this](BusAccess &, uint32_t v) {
                   if (init_.on()) {
                       return v;
                   }
                   if (bypshad_.on()) {
                       return tr_of(calendar_at(ticks_now()));
                   }
                   if (!shadow_) {
                       latch();
                   }
                   return shadow_tr_;
               });
    // RM0399 RTC_DR reset value 0x0000 2101: Monday 1 January (20)00.
    dr_ = &r.reg("DR", 0x04, 0x00002101)
               .field("DU", 0, 4, Acc::RW)
               .field("DT", 4, 2, Acc::RW)
               .field("MU", 8, 4, Acc::RW)
               .field("MT", 12, 1, Acc::RW)
               .field("WDU", 13, 3, Acc::RW)
               .field("YU", 16, 4, Acc::RW)
               .field("YT", 20, 4, Acc::RW)
               .pre_write(init_only("DR"))
               .on_read([this](BusAccess &, uint32_t v) {
                   if (init_.on()) {
                       return v;
                   }
                   if (bypshad_.on()) {
                       return dr_of(calendar_at(ticks_now()));
                   }
                   if (!shadow_) {
                       latch();
                   }
                   shadow_ = false; // reading DR unfreezes the shadow registers
                   return shadow_dr_;
               });
    r.reg("CR", 0x08, 0)
        .field("WUCKSEL", 0, 3, Acc::RW, &wucksel_)
        .unimpl("TSEDGE", 3, 1)
        .unimpl("REFCKON", 4, 1)
        .field("BYPSHAD", 5, 1, Acc::RW, &bypshad_)
        .field("FMT", 6, 1, Acc::RW, &fmt_)
        .field("ALRAE", 8, 1, Acc::RW, &alrae_)
        .field("ALRBE", 9, 1, Acc::RW, &alrbe_)
        .field("WUTE", 10, 1, Acc::RW, &wute_)
        .unimpl("TSE", 11, 1, Acc::RW, &tse_)
        .field("ALRAIE", 12, 1, Acc::RW, &alraie_)
        .field("ALRBIE", 13, 1, Acc::RW, &alrbie_)
        .field("WUTIE", 14, 1, Acc::RW, &wutie_)
        .field("TSIE", 15, 1, Acc::RW, &tsie_)
        .unimpl("ADD1H", 16, 1)
        .unimpl("SUB1H", 17, 1)
        .field("BKP", 18, 1, Acc::RW)
        .unimpl("COSEL", 19, 1)
        .unimpl("POL", 20, 1)
        .unimpl("OSEL", 21, 2)
        .unimpl("COE", 23, 1)
        .unimpl("ITSE", 24, 1)
        .pre_write(guard("CR"))
        .post_write([this](BusAccess &, uint32_t old, uint32_t now, uint32_t) {
            if (wute_.in(now) != wute_.in(old)) {
                if (wute_.in(now)) {
                    restart_wut();
                } else if (ctx_.scheduler) {
                    ctx_.scheduler->schedule(this, TAG_WUT, 0);
                }
            }
            schedule_second();
        });
    // RM0399 RTC_ISR reset value 0x0000 0007 (the three write flags); the
    // event flags are rc_w0.
    r.reg("ISR", 0x0C, 0x00000007)
        .field("ALRAWF", 0, 1, Acc::RO, &alrawf_)
        .field("ALRBWF", 1, 1, Acc::RO, &alrbwf_)
        .field("WUTWF", 2, 1, Acc::RO, &wutwf_)
        .field("SHPF", 3, 1, Acc::RO)
        .field("INITS", 4, 1, Acc::RO, &inits_)
        .field("RSF", 5, 1, Acc::W0C, &rsf_)
        .field("INITF", 6, 1, Acc::RO, &initf_)
        .field("INIT", 7, 1, Acc::RW, &init_)
        .field("ALRAF", 8, 1, Acc::W0C, &alraf_)
        .field("ALRBF", 9, 1, Acc::W0C, &alrbf_)
        .field("WUTF", 10, 1, Acc::W0C, &wutf_)
        .field("TSF", 11, 1, Acc::W0C, &tsf_)
        .field("TSOVF", 12, 1, Acc::W0C)
        .field("TAMP1F", 13, 1, Acc::W0C)
        .field("TAMP2F", 14, 1, Acc::W0C)
        .field("TAMP3F", 15, 1, Acc::W0C)
        .field("RECALPF", 16, 1, Acc::RO)
        .field("ITSF", 17, 1, Acc::W0C)
        // Bits 31:18 are reserved; the HAL writes them as 1 (RTC_INIT_MASK,
        // the flag-clearing macros' ~flag): accepted, read as 0.
        .field("RES", 18, 14, Acc::RO)
        .pre_write([this](BusAccess &a, uint32_t old, uint32_t &next, uint32_t) {
            // The event flags may be cleared under write protection; INIT not.
            if (init_.in(next) != init_.in(old) && key_state_ != 2) {
                log().guest_error(a.core_name, this->name() + ".ISR.INIT written while the RTC registers "
                                               "are write-protected (RTC_WPR): ignored");
                next = init_.with(next, init_.in(old));
            }
            return true;
        })
        .post_write([this](BusAccess &, uint32_t old, uint32_t now, uint32_t) {
            if (init_.in(now) && !init_.in(old)) {
                freeze_into_registers(); // INITF at once; the calendar stops
                initf_.set(1);
                rsf_.set(0);
            } else if (!init_.in(now) && init_.in(old)) {
                initf_.set(0);
                anchor_from_registers();
                if (log().tracing("tim")) {
                    const Calendar c = calendar_at(anchor_ticks_);
                    AMPVP_TRACE("tim", this->name(), "calendar runs from " + hex(dr_of(c) & 0xFFFFFF, 6) +
                                                         " " + hex(tr_of(c), 6) + " (DR TR)");
                }
            }
        })
        .on_read([this](BusAccess &, uint32_t v) {
            // Outside INIT the shadow registers are in step again by the time
            // software looks (RSF); the write flags follow the enables.
            if (!init_.on()) {
                rsf_.set(1);
                v = rsf_.with(v, 1);
            }
            v = alrawf_.with(v, !alrae_.on() || init_.on());
            v = alrbwf_.with(v, !alrbe_.on() || init_.on());
            v = wutwf_.with(v, !wute_.on() || init_.on());
            return inits_.with(v, (dr_->value & 0x00FF0000u) != 0);
        });
    // RM0399 RTC_PRER reset value 0x007F 00FF (32.768 kHz / 128 / 256 = 1 Hz).
    r.reg("PRER", 0x10, 0x007F00FF)
        .field("PREDIV_S", 0, 15, Acc::RW, &prediv_s_)
        .field("PREDIV_A", 16, 7, Acc::RW, &prediv_a_)
        .pre_write(init_only("PRER"));
    r.reg("WUTR", 0x14, 0x0000FFFF)
        .field("WUT", 0, 16, Acc::RW, &wut_)
        .pre_write([this](BusAccess &a, uint32_t, uint32_t &, uint32_t) {
            if (!protected_write(a, "WUTR")) {
                return false;
            }
            if (wute_.on() && !init_.on()) {
                log().guest_error(a.core_name, this->name() + ".WUTR written while the wake-up timer runs "
                                               "(ISR.WUTWF = 0): ignored");
                return false;
            }
            return true;
        });
    auto alarm_guard = [this](const char *reg, FieldRef *enable) {
        return [this, reg, enable](BusAccess &a, uint32_t, uint32_t &, uint32_t) {
            if (!protected_write(a, reg)) {
                return false;
            }
            if (enable->on() && !init_.on()) {
                log().guest_error(a.core_name, this->name() + "." + reg + " written while its alarm is "
                                               "enabled (ISR.ALRxWF = 0): ignored");
                return false;
            }
            return true;
        };
    };
    for (int k = 0; k < 2; k++) {
        const char *n = k ? "ALRMBR" : "ALRMAR";
        Register &alrm = r.reg(n, k ? 0x20 : 0x1C, 0)
                             .field("SU", 0, 4, Acc::RW)
                             .field("ST", 4, 3, Acc::RW)
                             .field("MSK1", 7, 1, Acc::RW)
                             .field("MNU", 8, 4, Acc::RW)
                             .field("MNT", 12, 3, Acc::RW)
                             .field("MSK2", 15, 1, Acc::RW)
                             .field("HU", 16, 4, Acc::RW)
                             .field("HT", 20, 2, Acc::RW)
                             .field("PM", 22, 1, Acc::RW)
                             .field("MSK3", 23, 1, Acc::RW)
                             .field("DU", 24, 4, Acc::RW)
                             .field("DT", 28, 2, Acc::RW)
                             .field("WDSEL", 30, 1, Acc::RW)
                             .field("MSK4", 31, 1, Acc::RW)
                             .pre_write(alarm_guard(n, k ? &alrbe_ : &alrae_));
        (k ? alrmbr_ : alrmar_) = &alrm;
    }
    r.reg("WPR", 0x24, 0)
        .field("KEY", 0, 8, Acc::WO)
        .post_write([this](BusAccess &, uint32_t, uint32_t now, uint32_t) {
            // RM0399 "RTC register write protection": 0xCA then 0x53 unlocks;
            // a wrong key locks again.
            const uint32_t key = now & 0xFF;
            key_state_ = key == 0xCA ? 1 : (key == 0x53 && key_state_ == 1) ? 2 : 0;
        });
    r.reg("SSR", 0x28, 0)
        .field("SS", 0, 16, Acc::RO)
        .on_read([this](BusAccess &, uint32_t) {
            if (init_.on()) {
                return prediv_s_.get();
            }
            const Calendar c = calendar_at(ticks_now());
            if (!bypshad_.on()) {
                shadow_tr_ = tr_of(c);
                shadow_dr_ = dr_of(c);
                shadow_ = true;
            }
            return c.ss;
        });
    r.reg("SHIFTR", 0x2C, 0).unimpl("SUBFS", 0, 15, Acc::WO).unimpl("ADD1S", 31, 1, Acc::WO).pre_write(guard("SHIFTR"));
    r.reg("TSTR", 0x30, 0).field("TIME", 0, 23, Acc::RO);
    r.reg("TSDR", 0x34, 0).field("DATE", 0, 16, Acc::RO);
    r.reg("TSSSR", 0x38, 0).field("SS", 0, 16, Acc::RO);
    r.reg("CALR", 0x3C, 0)
        .unimpl("CALM", 0, 9)
        .unimpl("CALW16", 13, 1)
        .unimpl("CALW8", 14, 1)
        .unimpl("CALP", 15, 1)
        .pre_write(guard("CALR"));
    r.reg("TAMPCR", 0x40, 0).unimpl("TAMP", 0, 25);
    r.reg("ALRMASSR", 0x44, 0).field("SS", 0, 15, Acc::RW).field("MASKSS", 24, 4, Acc::RW).pre_write(guard("ALRMASSR"));
    r.reg("ALRMBSSR", 0x48, 0).field("SS", 0, 15, Acc::RW).field("MASKSS", 24, 4, Acc::RW).pre_write(guard("ALRMBSSR"));
    r.reg("OR", 0x4C, 0).field("RTC_ALARM_TYPE", 0, 1, Acc::RW).field("RTC_OUT_RMP", 1, 1, Acc::RW);
    for (unsigned k = 0; k < 32; k++) {
        r.reg("BKP" + std::to_string(k) + "R", 0x50 + 4 * k, 0).field("BKP", 0, 32, Acc::RW);
    }
    anchor_from_registers();
}

void Stm32Rtc::configure(const std::map<std::string, std::string> &params, const std::vector<std::string> &)
{
    auto it = params.find("clock");
    if (it != params.end()) {
        clock_ = it->second;
    }
    clock_id_ = -2;
    anchor_from_registers();
}

bool Stm32Rtc::protected_write(BusAccess &a, const char *reg)
{
    if (key_state_ == 2) {
        return true;
    }
    log().guest_error(a.core_name, this->name() + "." + reg + " written while the RTC registers are "
                                   "write-protected (unlock with 0xCA, 0x53 in RTC_WPR): ignored");
    return false;
}

uint64_t Stm32Rtc::now() const { return ctx_.scheduler ? ctx_.scheduler->now_ns() : 0; }

uint64_t Stm32Rtc::rtcclk() const
{
    if (!ctx_.clock_source) {
        return 32768; // a model alone (tests without a clock tree): LSE
    }
    if (clock_id_ == -2) {
        clock_id_ = ctx_.clock_source->clock_id(clock_);
    }
    return ctx_.clock_source->hz(clock_id_);
}

uint64_t Stm32Rtc::ticks_now() const
{
    if (init_.on()) {
        return anchor_ticks_;
    }
    const uint64_t t = now();
    const uint64_t hz = rtcclk();
    if (t <= anchor_ns_ || hz == 0) {
        return anchor_ticks_;
    }
    const unsigned __int128 num = static_cast<unsigned __int128>(t - anchor_ns_) * hz;
    const unsigned __int128 den = static_cast<unsigned __int128>(prediv_a_.get() + 1) * 1000000000u;
    return anchor_ticks_ + static_cast<uint64_t>(num / den);
}

uint64_t Stm32Rtc::ns_at_tick(uint64_t ticks) const
{
    const uint64_t hz = rtcclk();
    if (hz == 0 || ticks <= anchor_ticks_) {
        return now();
    }
    const unsigned __int128 num =
        static_cast<unsigned __int128>(ticks - anchor_ticks_) * (prediv_a_.get() + 1) * 1000000000u;
    return anchor_ns_ + static_cast<uint64_t>((num + hz - 1) / hz);
}

Stm32Rtc::Calendar Stm32Rtc::calendar_at(uint64_t ticks) const
{
    Calendar c;
    const uint32_t per = ticks_per_sec();
    c.secs = ticks / per;
    c.ss = prediv_s_.get() - static_cast<uint32_t>(ticks % per);
    const uint64_t day = c.secs / 86400;
    c.wdu = static_cast<unsigned>((anchor_wdu_ - 1 + (day - anchor_day_) % 7) % 7) + 1;
    return c;
}

uint64_t Stm32Rtc::seconds_now() { return calendar_at(ticks_now()).secs; }

uint32_t Stm32Rtc::tr_of(const Calendar &c) const
{
    const unsigned s = c.secs % 60, m = (c.secs / 60) % 60, h24 = (c.secs / 3600) % 24;
    unsigned h = h24;
    uint32_t pm = 0;
    if (fmt_.on()) { // 12-hour format: 12, 1 .. 11 with AM/PM
        pm = h24 >= 12;
        h = h24 % 12 == 0 ? 12 : h24 % 12;
    }
    return (pm << 22) | (bcd(h) << 16) | (bcd(m) << 8) | bcd(s);
}

uint32_t Stm32Rtc::dr_of(const Calendar &c) const
{
    unsigned y, mo, d;
    date_of(c.secs / 86400, y, mo, d);
    return (bcd(y) << 16) | (c.wdu << 13) | (bcd(mo) << 8) | bcd(d);
}

void Stm32Rtc::latch()
{
    const Calendar c = calendar_at(ticks_now());
    shadow_tr_ = tr_of(c);
    shadow_dr_ = dr_of(c);
    shadow_ = true;
}

// Leaving initialization mode (and at reset): the time and date written in
// TR/DR, at the start of that second.
void Stm32Rtc::anchor_from_registers()
{
    const uint32_t tr = tr_->value, dr = dr_->value;
    unsigned h = unbcd((tr >> 16) & 0x3F);
    if (fmt_.valid() && fmt_.on()) {
        h = h % 12 + (((tr >> 22) & 1) ? 12 : 0);
    }
    const unsigned m = unbcd((tr >> 8) & 0x7F), s = unbcd(tr & 0x7F);
    unsigned y = unbcd((dr >> 16) & 0xFF), mo = unbcd((dr >> 8) & 0x1F), d = unbcd(dr & 0x3F);
    y %= 100;
    mo = mo < 1 || mo > 12 ? 1 : mo;
    d = d < 1 || d > month_days(y, mo) ? 1 : d;
    anchor_day_ = day_number(y, mo, d);
    anchor_wdu_ = (dr >> 13) & 7;
    anchor_wdu_ = anchor_wdu_ ? anchor_wdu_ : 1;
    const uint64_t secs = anchor_day_ * 86400 + (h % 24) * 3600 + m * 60 + s;
    anchor_ticks_ = secs * ticks_per_sec();
    anchor_ns_ = now();
    checked_sec_ = secs;
    shadow_ = false;
    schedule_second();
    if (wute_.valid() && wute_.on()) {
        restart_wut();
    }
}

void Stm32Rtc::freeze_into_registers()
{
    const uint64_t t = ticks_now();
    const Calendar c = calendar_at(t);
    tr_->value = tr_of(c);
    dr_->value = dr_of(c);
    anchor_ticks_ = t;
    anchor_ns_ = now();
    shadow_ = false;
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, TAG_SECOND, 0);
    }
}

// RM0399 RTC_ALRMxR: each field takes part unless its MSKn bit is set; with
// WDSEL the date units are a weekday.
bool Stm32Rtc::alarm_matches(const Register &alrm, const Calendar &c) const
{
    const uint32_t a = alrm.value;
    const Calendar &cal = c;
    const uint32_t tr = tr_of(cal), dr = dr_of(cal);
    if (!(a & (1u << 7)) && (a & 0x7F) != (tr & 0x7F)) {
        return false;
    }
    if (!(a & (1u << 15)) && ((a >> 8) & 0x7F) != ((tr >> 8) & 0x7F)) {
        return false;
    }
    if (!(a & (1u << 23)) && ((a >> 16) & 0x7F) != ((tr >> 16) & 0x7F)) {
        return false;
    }
    if (!(a & (1u << 31))) {
        if (a & (1u << 30)) {
            if (((a >> 24) & 0xF) != cal.wdu) {
                return false;
            }
        } else if (((a >> 24) & 0x3F) != (dr & 0x3F)) {
            return false;
        }
    }
    return true;
}

// Compare the alarms at every second boundary passed since the last check.
void Stm32Rtc::check_alarms_up_to(uint64_t ticks)
{
    const uint64_t sec = ticks / ticks_per_sec();
    if (sec <= checked_sec_) {
        return;
    }
    // A host stall of more than a day is not worth replaying second by second.
    uint64_t from = sec - checked_sec_ > 86400 ? sec - 86400 : checked_sec_ + 1;
    for (uint64_t s = from; s <= sec; s++) {
        const Calendar c = calendar_at(s * ticks_per_sec());
        if (alrae_.on() && alarm_matches(*alrmar_, c) && !alraf_.on()) {
            alraf_.set(1);
            AMPVP_TRACE("tim", name(), "alarm A");
        }
        if (alrbe_.on() && alarm_matches(*alrmbr_, c) && !alrbf_.on()) {
            alrbf_.set(1);
            AMPVP_TRACE("tim", name(), "alarm B");
        }
    }
    checked_sec_ = sec;
}

void Stm32Rtc::schedule_second()
{
    if (!ctx_.scheduler) {
        return;
    }
    if (init_.on() || (!alrae_.on() && !alrbe_.on()) || rtcclk() == 0) {
        ctx_.scheduler->schedule(this, TAG_SECOND, 0);
        return;
    }
    const uint64_t t = ticks_now();
    checked_sec_ = std::max(checked_sec_, t / ticks_per_sec());
    const uint64_t next = (t / ticks_per_sec() + 1) * ticks_per_sec();
    ctx_.scheduler->schedule(this, TAG_SECOND, ns_at_tick(next));
}

// RM0399 "Periodic auto-wake-up": WUTF every WUT + 1 cycles of the clock
// WUCKSEL selects (RTCCLK / 16, 8, 4, 2; ck_spre; ck_spre with WUT + 2^16).
void Stm32Rtc::restart_wut()
{
    const uint64_t hz = rtcclk();
    const uint32_t sel = wucksel_.get();
    uint64_t cycles = wut_.get() + 1ull;
    if (hz == 0) {
        wut_period_ns_ = 0;
        return;
    }
    if (sel < 4) {
        const unsigned div = 16u >> sel;
        wut_period_ns_ = static_cast<uint64_t>(static_cast<unsigned __int128>(cycles) * div * 1000000000u / hz);
    } else {
        if (sel >= 6) {
            cycles += 65536;
        }
        const uint64_t spre_hz_num = hz; // ck_spre = hz / ((PREDIV_A + 1) (PREDIV_S + 1))
        const uint64_t div = static_cast<uint64_t>(prediv_a_.get() + 1) * ticks_per_sec();
        wut_period_ns_ = static_cast<uint64_t>(static_cast<unsigned __int128>(cycles) * div * 1000000000u / spre_hz_num);
    }
    wut_next_ns_ = now() + wut_period_ns_;
    AMPVP_TRACE("tim", name(), "wake-up timer runs: every " + std::to_string(wut_period_ns_ / 1000) + " us");
    schedule_wut();
}

void Stm32Rtc::schedule_wut()
{
    if (ctx_.scheduler && wute_.on() && wut_period_ns_) {
        ctx_.scheduler->schedule(this, TAG_WUT, wut_next_ns_);
    }
}

void Stm32Rtc::timer_fired(unsigned tag)
{
    if (tag == TAG_SECOND) {
        check_alarms_up_to(ticks_now());
        schedule_second();
    } else if (tag == TAG_WUT && wute_.on() && wut_period_ns_) {
        wutf_.set(1);
        AMPVP_TRACE("tim", name(), "wake-up timer");
        const uint64_t t = now();
        do {
            wut_next_ns_ += wut_period_ns_;
        } while (wut_next_ns_ <= t);
        schedule_wut();
    }
    update_irq();
}

void Stm32Rtc::update_irq()
{
    const bool alarm = (alraf_.on() && alraie_.on()) || (alrbf_.on() && alrbie_.on());
    const bool wut = wutf_.on() && wutie_.on();
    const bool ts = tsf_.on() && tsie_.on();
    alarm_->set(alarm);
    wakeup_->set(wut);
    tamp_->set(ts);
    wkup_->set(alarm || wut || ts);
}

// A system reset: the RTC is in the backup domain and keeps counting; only
// the write protection comes back.
void Stm32Rtc::reset()
{
    key_state_ = 0;
    shadow_ = false;
}

// Backup domain reset (RCC_BDCR.BDRST): every register to its reset value.
void Stm32Rtc::input(unsigned n, bool level)
{
    if (n != 0 || !level) {
        return;
    }
    if (ctx_.scheduler) {
        ctx_.scheduler->schedule(this, TAG_SECOND, 0);
        ctx_.scheduler->schedule(this, TAG_WUT, 0);
    }
    RegisterDevice::reset();
    key_state_ = 0;
    anchor_from_registers();
    update_irq();
}

} // namespace ampvp

AMPVP_MODEL("stm32-rtc", ampvp::Stm32Rtc)
