/*
 * st_lowpower.h - the register sequences of ST's HAL for the RTC, the watchdogs and
 * the PWR low-power modes, written for ampvp from the HAL's documented behaviour (ST's
 * public STM32CubeH7 sources were read for the order of the accesses; no code or text
 * is copied).  Included once per image (static functions); the including file decides
 * which it uses.
 *
 *   HAL_PWR_EnableBkUpAccess            pwr_enable_bkup_access
 *   HAL_RTC_MspInit (LSI) + PeriphCLK   rtc_clock_lsi
 *   HAL_RTC_Init                        rtc_init
 *   HAL_RTC_SetTime / SetDate (BCD)     rtc_set_calendar
 *   HAL_RTC_SetAlarm_IT (alarm A)       rtc_set_alarm_a_it
 *   HAL_RTCEx_SetWakeUpTimer_IT         rtc_set_wakeup_timer_it
 *   HAL_RTCEx_DeactivateWakeUpTimer     rtc_deactivate_wakeup_timer
 *   HAL_RTC_GetTime + GetDate           rtc_now_ms (time of day in ms, with SSR)
 *   HAL_PWR_EnterSTOPMode               hal_pwr_enter_stop_mode
 *   HAL_PWREx_EnterSTOPMode             pwr_enter_stop
 *   HAL_PWREx_EnterSTANDBYMode          pwr_enter_standby
 *   HAL_PWREx_HoldCore / ReleaseCore    pwr_hold_core / pwr_release_core
 *   HAL_PWREx_ClearPendingEvent         pwr_clear_pending_event
 *   HAL_RCC_OscConfig (LSE on)          rcc_lse_on
 *   HAL_LPTIM_Init (software trigger)   lptim_init
 *   HAL_LPTIM_PWM_Start                 lptim_pwm_start
 */
#ifndef AMPVP_ST_LOWPOWER_H
#define AMPVP_ST_LOWPOWER_H

#include <stdint.h>

#include "cortex_m.h"
#include "demo_time.h"
#include "stm32h745_lowpower.h"
#include "stm32h745_regs.h"

#define LP_WAIT_POLLS 2000000u /* bound of every flag wait (the HAL uses 1-2 s timeouts) */

enum lp_domain { LP_D1 = 0, LP_D2 = 1, LP_D3 = 2 };

/* HAL_Delay on the demo's 1 kHz tick: at least `ms` ms (one tick added). */
static inline void hal_delay_ms(uint32_t ms)
{
    const uint32_t t0 = demo_ms();
    while (demo_ms() - t0 < ms + 1u) {
    }
}

/* What the low-power demos keep across resets: the backup SRAM (RM0399: retained
 * through a system reset; its clock is RCC_AHB4ENR.BKPRAMEN, writes need PWR_CR1.DBP).
 * The last 256 bytes of it; zero at power-on (the emulator starts SRAM zeroed). */
struct lp_keep {
    volatile uint32_t life;      /* the demo's own boot counter */
    volatile uint32_t cm4_beats; /* CM4: +1 per 10 ms while it runs */
    volatile uint32_t t_ms;      /* a time stamp a demo hands to its next life */
    volatile uint32_t cm4_life;  /* the CM4's boot counter */
};
#define LP_KEEP ((struct lp_keep *)(BKPSRAM_BASE + 0xF00u))

static inline void lp_keep_enable(void)
{
    RCC->AHB4ENR |= RCC_AHB4ENR_BKPRAMEN; /* __HAL_RCC_BKPRAM_CLK_ENABLE */
    (void)RCC->AHB4ENR;
    PWR->CR1 |= PWR_CR1_DBP;
}

/* HAL_GetCurrentCPUID: CPUID[7:4] == 7 is the Cortex-M7. */
static inline int lp_cpu_is_cm7(void) { return ((SCB->CPUID & 0xF0u) >> 4) == 7u; }

static inline int lp_wait_set(volatile uint32_t *reg, uint32_t mask)
{
    for (uint32_t i = 0; i < LP_WAIT_POLLS; i++) {
        if (*reg & mask) {
            return 1;
        }
    }
    return 0;
}

static inline int lp_wait_clear(volatile uint32_t *reg, uint32_t mask)
{
    for (uint32_t i = 0; i < LP_WAIT_POLLS; i++) {
        if (!(*reg & mask)) {
            return 1;
        }
    }
    return 0;
}

/* ---- PWR ------------------------------------------------------------------------- */
/* ST's dual-core templates on the CM7: wait (at most 0xFFFF polls) until the CM4 has
 * parked D2 in Stop at boot (RCC_FLAG_D2CKRDY reads 0).  1 if it did. */
static inline int lp_wait_cm4_parked(void)
{
    int32_t timeout = 0xFFFF;
    while ((RCC->CR & RCC_CR_D2CKRDY) && timeout-- > 0) {
    }
    return timeout >= 0;
}

static inline void pwr_enable_bkup_access(void) { PWR->CR1 |= PWR_CR1_DBP; }

/* HAL_PWREx_ClearPendingEvent: the CM7 WFE, the CM4 SEV then WFE. */
static inline void pwr_clear_pending_event(void)
{
    if (!lp_cpu_is_cm7()) {
        cm_sev();
    }
    cm_wfe();
}

static inline void lp_deep_sleep(int wfe)
{
    SCB->SCR |= SCB_SCR_SLEEPDEEP;
    cm_dsb();
    cm_isb();
    if (wfe) {
        cm_wfe();
    } else {
        cm_wfi();
    }
    SCB->SCR &= ~SCB_SCR_SLEEPDEEP;
}

/* HAL_PWR_EnterSTOPMode(Regulator, STOPEntry) on a DUAL_CORE part: PWR_CR1.LPDS as the
 * regulator says (PWR_LOWPOWERREGULATOR_ON: 1), the calling CPU's domain and D3 kept in
 * DStop (its PDDS_Dn and PDDS_D3 cleared in PWR_CPUCR), then deep sleep by WFI or WFE. */
static inline void hal_pwr_enter_stop_mode(int lowpower_regulator, int wfe)
{
    PWR->CR1 = (PWR->CR1 & ~PWR_CR1_LPDS) | (lowpower_regulator ? PWR_CR1_LPDS : 0u);
    PWR->CPUCR &= ~((lp_cpu_is_cm7() ? PWR_CPUCR_PDDS_D1 : PWR_CPUCR_PDDS_D2) | PWR_CPUCR_PDDS_D3);
    lp_deep_sleep(wfe);
}

/* HAL_PWREx_EnterSTOPMode(PWR_MAINREGULATOR_ON, entry, domain): LPDS = 0; the domain's
 * PDDS bit cleared in PWR_CPUCR; deep sleep only by the domain's own core (D3: nothing
 * but the PDDS_D3 bit). */
static inline void pwr_enter_stop(enum lp_domain d, int wfe)
{
    PWR->CR1 &= ~PWR_CR1_LPDS;
    if (d == LP_D1) {
        if (!lp_cpu_is_cm7()) {
            return;
        }
        PWR->CPUCR &= ~PWR_CPUCR_PDDS_D1;
        lp_deep_sleep(wfe);
    } else if (d == LP_D2) {
        PWR->CPUCR &= ~PWR_CPUCR_PDDS_D2;
        if (lp_cpu_is_cm7()) {
            return;
        }
        lp_deep_sleep(wfe);
    } else {
        PWR->CPUCR &= ~PWR_CPUCR_PDDS_D3;
    }
}

/* HAL_PWREx_EnterSTANDBYMode(domain): PDDS_Dn set in PWR_CPUCR and PWR_CPU2CR, then WFI
 * by the domain's core (D3: the two bits only). */
static inline void pwr_enter_standby(enum lp_domain d)
{
    if (d == LP_D1) {
        if (!lp_cpu_is_cm7()) {
            return;
        }
        PWR->CPUCR |= PWR_CPUCR_PDDS_D1;
        PWR->CPU2CR |= PWR_CPU2CR_PDDS_D1;
        lp_deep_sleep(0);
    } else if (d == LP_D2) {
        PWR->CPUCR |= PWR_CPUCR_PDDS_D2;
        if (lp_cpu_is_cm7()) {
            return;
        }
        PWR->CPU2CR |= PWR_CPU2CR_PDDS_D2;
        lp_deep_sleep(0);
    } else {
        PWR->CPUCR |= PWR_CPUCR_PDDS_D3;
        PWR->CPU2CR |= PWR_CPU2CR_PDDS_D3;
    }
}

/* HAL_PWREx_HoldCore(PWR_CORE_CPU2): HOLD2 in PWR_CPUCR unless CPU1 is held. */
static inline int pwr_hold_cpu2(void)
{
    if (PWR->CPU2CR & PWR_CPU2CR_HOLD1) {
        return 0;
    }
    PWR->CPUCR |= PWR_CPUCR_HOLD2;
    return 1;
}

static inline void pwr_release_cpu2(void) { PWR->CPUCR &= ~PWR_CPUCR_HOLD2; }

/* __HAL_PWR_CLEAR_FLAG(PWR_CPU_FLAGS) on this core: CSSF of its own register. */
static inline void pwr_clear_cpu_flags(void)
{
    if (lp_cpu_is_cm7()) {
        PWR->CPUCR |= PWR_CPUCR_CSSF;
    } else {
        PWR->CPU2CR |= PWR_CPU2CR_CSSF;
    }
}

/* ---- RTC clock (HAL_RTC_MspInit with LSI, HAL_RCCEx_PeriphCLKConfig) -------------- */
static inline int rtc_clock_lsi(void)
{
    pwr_enable_bkup_access();
    RCC->CSR |= RCC_CSR_LSION;
    if (!lp_wait_set(&RCC->CSR, RCC_CSR_LSIRDY)) {
        return 0;
    }
    /* A new RTC clock source needs a backup domain reset first (HAL keeps BDCR). */
    if ((RCC->BDCR & RCC_BDCR_RTCSEL_Msk) != RCC_BDCR_RTCSEL_LSI) {
        const uint32_t keep = RCC->BDCR & ~RCC_BDCR_RTCSEL_Msk;
        RCC->BDCR |= RCC_BDCR_BDRST;
        RCC->BDCR &= ~RCC_BDCR_BDRST;
        RCC->BDCR = keep;
        RCC->BDCR = (RCC->BDCR & ~RCC_BDCR_RTCSEL_Msk) | RCC_BDCR_RTCSEL_LSI;
    }
    RCC->BDCR |= RCC_BDCR_RTCEN; /* __HAL_RCC_RTC_ENABLE */
    return 1;
}

/* ---- RTC (HAL_RTC_*) ------------------------------------------------------------ */
static inline void rtc_unlock(void)
{
    RTC->WPR = RTC_WPR_KEY1;
    RTC->WPR = RTC_WPR_KEY2;
}
static inline void rtc_lock(void) { RTC->WPR = 0xFFu; }

static inline int rtc_enter_init(void)
{
    if (!(RTC->ISR & RTC_ISR_INITF)) {
        RTC->ISR = RTC_INIT_MASK;
        return lp_wait_set(&RTC->ISR, RTC_ISR_INITF);
    }
    return 1;
}

/* RTC_ExitInitMode: INIT cleared, then (BYPSHAD = 0) HAL_RTC_WaitForSynchro. */
static inline int rtc_exit_init(void)
{
    RTC->ISR &= ~RTC_ISR_INIT;
    if (!(RTC->CR & RTC_CR_BYPSHAD)) {
        RTC->ISR &= RTC_RSF_MASK;
        return lp_wait_set(&RTC->ISR, RTC_ISR_RSF);
    }
    return 1;
}

/* HAL_RTC_Init: 24-hour format, outputs off, prescalers. */
static inline int rtc_init(uint32_t asynch, uint32_t synch)
{
    rtc_unlock();
    if (!rtc_enter_init()) {
        rtc_lock();
        return 0;
    }
    RTC->CR &= ~(RTC_CR_FMT | RTC_CR_OSEL_Msk | RTC_CR_POL);
    RTC->PRER = synch;
    RTC->PRER |= asynch << 16;
    const int ok = rtc_exit_init();
    RTC->OR &= ~3u; /* RTC_OR_ALARMOUTTYPE, RTC_OR_OUT_RMP: open drain, PC13 */
    rtc_lock();
    return ok;
}

/* HAL_RTC_SetDate then HAL_RTC_SetTime, values in BCD (RTC_FORMAT_BCD). */
static inline int rtc_set_calendar(uint32_t dr_bcd, uint32_t tr_bcd)
{
    rtc_unlock();
    int ok = rtc_enter_init();
    RTC->DR = dr_bcd;
    ok = ok && rtc_exit_init();
    rtc_unlock();
    ok = ok && rtc_enter_init();
    RTC->TR = tr_bcd;
    RTC->CR &= ~(1u << 18); /* BKP (StoreOperation RESET) */
    ok = ok && rtc_exit_init();
    rtc_lock();
    return ok;
}

/* EXTI line of this core: EXTI_D1 (C1*) on the CM7, EXTI_D2 (C2*) on the CM4, as the
 * HAL's __HAL_RTC_*_EXTI_ENABLE_IT / _EXTID2_ variants. */
static inline void rtc_exti_enable_it(unsigned line)
{
    if (lp_cpu_is_cm7()) {
        EXTI->C1IMR1 |= 1u << line;
    } else {
        EXTI->C2IMR1 |= 1u << line;
    }
    EXTI->RTSR1 |= 1u << line;
}

/* HAL_RTC_SetAlarm_IT(alarm A): disable it, clear ALRAF, wait ALRAWF, program, enable
 * with its interrupt; EXTI line 17 interrupt on a rising edge for this core. */
static inline int rtc_set_alarm_a_it(uint32_t alrmar, uint32_t alrmassr)
{
    rtc_unlock();
    RTC->CR &= ~RTC_CR_ALRAE;
    RTC->ISR = ~(RTC_ISR_ALRAF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
    if (!lp_wait_set(&RTC->ISR, RTC_ISR_ALRAWF)) {
        rtc_lock();
        return 0;
    }
    RTC->ALRMAR = alrmar;
    RTC->ALRMASSR = alrmassr;
    RTC->CR |= RTC_CR_ALRAE;
    RTC->CR |= RTC_CR_ALRAIE;
    rtc_exti_enable_it(EXTI_LINE_RTC_ALARM);
    rtc_lock();
    return 1;
}

/* HAL_RTCEx_DeactivateWakeUpTimer. */
static inline void rtc_deactivate_wakeup_timer(void)
{
    rtc_unlock();
    RTC->CR &= ~RTC_CR_WUTE;
    RTC->CR &= ~RTC_CR_WUTIE;
    lp_wait_set(&RTC->ISR, RTC_ISR_WUTWF);
    rtc_lock();
}

/* HAL_RTCEx_SetWakeUpTimer_IT(counter, clock): timer off, wait WUTWF, WUTR, WUCKSEL,
 * EXTI line 19 interrupt (rising edge) for this core, WUTF cleared, WUTIE and WUTE. */
static inline int rtc_set_wakeup_timer_it(uint32_t counter, uint32_t wucksel)
{
    rtc_unlock();
    if (RTC->CR & RTC_CR_WUTE) {
        lp_wait_clear(&RTC->ISR, RTC_ISR_WUTWF);
    }
    RTC->CR &= ~RTC_CR_WUTE;
    RTC->ISR = ~(RTC_ISR_WUTF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
    if (!lp_wait_set(&RTC->ISR, RTC_ISR_WUTWF)) {
        rtc_lock();
        return 0;
    }
    RTC->WUTR = counter;
    RTC->CR = (RTC->CR & ~RTC_CR_WUCKSEL_Msk) | wucksel;
    rtc_exti_enable_it(EXTI_LINE_RTC_WAKEUP);
    RTC->ISR = ~(RTC_ISR_WUTF | RTC_ISR_INIT) | (RTC->ISR & RTC_ISR_INIT);
    RTC->CR |= RTC_CR_WUTIE | RTC_CR_WUTE;
    rtc_lock();
    return 1;
}

static inline uint32_t lp_bcd(uint32_t v) { return (v >> 4) * 10u + (v & 0xFu); }

/* HAL_RTC_GetTime (SSR, then TR) and HAL_RTC_GetDate (DR unlocks the shadow): the time
 * of day in ms, the sub-seconds from SSR and PREDIV_S. */
static inline uint32_t rtc_now_ms(uint32_t *tr_out)
{
    const uint32_t ss = RTC->SSR;
    const uint32_t tr = RTC->TR;
    (void)RTC->DR;
    const uint32_t prediv_s = RTC->PRER & 0x7FFFu;
    const uint32_t secs = lp_bcd((tr >> 16) & 0x3Fu) * 3600u + lp_bcd((tr >> 8) & 0x7Fu) * 60u + lp_bcd(tr & 0x7Fu);
    if (tr_out) {
        *tr_out = tr;
    }
    return secs * 1000u + (prediv_s - ss) * 1000u / (prediv_s + 1u);
}

/* A delay timed by the RTC rather than SysTick: on a loaded host QEMU can merge SysTick
 * interrupts (ticks are lost, HAL_Delay lasts longer), while the RTC follows the hub's
 * clock.  For waits whose length the example's logic depends on (a watchdog window, a
 * delay that must end before a wake-up timer).  The calendar must run (RSF). */
static inline void rtc_wait_since(uint32_t t0, uint32_t ms)
{
    while ((rtc_now_ms(0) + 86400000u - t0) % 86400000u < ms) {
        /* polled without WFI: waking on SysTick would tie the delay to it again */
    }
}

static inline void rtc_delay_ms(uint32_t ms) { rtc_wait_since(rtc_now_ms(0), ms); }

/* ---- LSE and LPTIM ------------------------------------------------------------- */

/* HAL_RCC_OscConfig(LSE on): backup domain write access (PWR_CR1.DBP, waited for), then
 * RCC_BDCR.LSEON, wait LSERDY.  1 when the LSE runs. */
static inline int rcc_lse_on(void)
{
    PWR->CR1 |= PWR_CR1_DBP;
    if (!lp_wait_set(&PWR->CR1, PWR_CR1_DBP)) {
        return 0;
    }
    RCC->BDCR |= RCC_BDCR_LSEON;
    return lp_wait_set(&RCC->BDCR, RCC_BDCR_LSERDY);
}

/* HAL_LPTIM_Init with a software trigger: CFGR read-modify-write: CKPOL and CKFLT cleared
 * when Input1 clocks the counter (CKSEL or COUNTMODE in `cfgr`: ULPTIM clock source or
 * external counter source), CKSEL, TRIGEN, PRELOAD, WAVPOL, PRESC and COUNTMODE replaced
 * by `cfgr` (clock source | prescaler | output polarity | update mode | counter source);
 * then the input sources (CFGR2 of LPTIM1/2/3) to 0: Input1 and Input2 from the pins. */
static inline void lptim_init(struct h7_lptim *t, uint32_t cfgr)
{
    uint32_t v = t->CFGR;
    if (cfgr & (LPTIM_CFGR_CKSEL | LPTIM_CFGR_COUNTMODE)) {
        v &= ~(LPTIM_CFGR_CKPOL_Msk | LPTIM_CFGR_CKFLT_Msk);
    }
    v &= ~(LPTIM_CFGR_CKSEL | LPTIM_CFGR_TRIGEN_Msk | LPTIM_CFGR_PRELOAD | LPTIM_CFGR_WAVPOL |
           LPTIM_CFGR_PRESC_Msk | LPTIM_CFGR_COUNTMODE);
    t->CFGR = v | cfgr;
    if (t == LPTIM1 || t == LPTIM2 || t == LPTIM3) {
        t->CFGR2 = 0u;
    }
}

/* HAL_LPTIM_PWM_Start(period, pulse): CFGR.WAVE = 0 (PWM); ENABLE; ICR.ARROKCF; ARR; wait
 * ARROK; ICR.CMPOKCF; CMP; wait CMPOK; CNTSTRT.  1 on success (the HAL's HAL_TIMEOUT is 0). */
static inline int lptim_pwm_start(struct h7_lptim *t, uint32_t period, uint32_t pulse)
{
    t->CFGR &= ~LPTIM_CFGR_WAVE;
    t->CR |= LPTIM_CR_ENABLE;
    t->ICR = LPTIM_ISR_ARROK;
    t->ARR = period;
    if (!lp_wait_set(&t->ISR, LPTIM_ISR_ARROK)) {
        return 0;
    }
    t->ICR = LPTIM_ISR_CMPOK;
    t->CMP = pulse;
    if (!lp_wait_set(&t->ISR, LPTIM_ISR_CMPOK)) {
        return 0;
    }
    t->CR |= LPTIM_CR_CNTSTRT;
    return 1;
}

#endif /* AMPVP_ST_LOWPOWER_H */
