#!/usr/bin/env bash
# ST's PWR_STANDBY_RTC (NUCLEO-H745ZI-Q): the CM4 takes D2 and the CM7 D1 to DStandby
# with PDDS_D3 set, so the system enters Standby (PWR SBF); the RTC wake-up timer, a
# Standby wake-up source of its own (not through EXTI), ends it 500 ms later with a
# system reset: both cores boot again and find SBF = 1 and D1RSTF | D2RSTF | C1RSTF |
# C2RSTF in RCC_RSR.  Timing in the hub's time (--trace): ~500 ms from arming to reset.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace tim,power \
  --cm7 "$FW/pwr_standby_rtc_cm7.elf" --cm4 "$FW/pwr_standby_rtc_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
for re in '^\[cm7\] pwr_standby_rtc: CM7 to D1 DStandby, system to Standby for 500 ms$' \
          'PWR power system Standby$' \
          '^\[cm7\] pwr_standby_rtc: resumed from Standby \(SBF=1, RSR=0x001e0000\)$' \
          '^\[cm4\] CM4: resumed from Standby \(SBF=1, RSR=0x001e0000\)$'; do
  grep -qE "$re" "$TMP/out" || fail "missing /$re/"
done
grep -q 'system reset (the system leaves Standby)' "$TMP/err" || { cat "$TMP/err" >&2; fail "no system reset line"; }
t_arm=$(grep -m1 'RTC tim wake-up timer runs: every 500000 us' "$TMP/out" | awk '{print $2}')
t_rst=$(grep -m1 'reset requested: the system leaves Standby' "$TMP/out" | awk '{print $2}')
[ -n "$t_arm" ] && [ -n "$t_rst" ] || fail "trace lines missing"
awk -v a="$t_arm" -v r0="$t_rst" 'BEGIN { r = (r0 - a) / 5e5; printf "armed -> Standby exit %.1f ms: %.3f x 500 ms\n", (r0 - a) / 1e3, r
  exit !(r >= 0.99 && r <= 1.3) }' || fail "the Standby exit did not come ~500 ms after arming"
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "system Standby left by the RTC wake-up timer with a system reset, SBF and the reset flags set"
