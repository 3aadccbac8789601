#!/usr/bin/env bash
# ST's PWR_Hold_Mechanism (NUCLEO-H745ZI-Q, CM4_HOLD_TEST): both cores in Stop, the RTC
# wake-up timer (1 s) wakes the system; the CM7 wakes, the CM4 stays on hold (HOLD2F,
# D2CKRDY = 0) until the CM7 releases it 300 ms later.  Timing in the hub's time
# (--trace): the wake-up timer fires ~1 s after it was armed, the CM7's clock restarts
# then, the CM4's only ~300 ms later, after the release.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace tim,power \
  --cm7 "$FW/pwr_hold_cm7.elf" --cm4 "$FW/pwr_hold_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q '^\[cm7\] pwr_hold: CM4 released from its boot Stop$' "$TMP/out" || fail "boot handshake"
grep -q '^\[cm4\] CM4: to Stop$' "$TMP/out" || fail "the CM4 did not go to Stop"
grep -qE '^\[cm7\] pwr_hold: CM7 woke \(SysTick counted [0-9]+ ms since arming the 1000 ms timer\), HOLD2F=1, D2CKRDY=0$' "$TMP/out" ||
  fail "the CM7 did not wake with the CM4 on hold"
t_arm=$(grep -m1 'RTC tim wake-up timer runs: every 1000000 us' "$TMP/out" | awk '{print $2}')
t_wut=$(grep -m1 'RTC tim wake-up timer$' "$TMP/out" | awk '{print $2}')
t_cm7=$(awk -v t="$t_wut" '/cm7 power clock restarted/ && $2 >= t { print $2; exit }' "$TMP/out")
t_cm4=$(awk -v t="$t_wut" '/cm4 power clock restarted/ && $2 >= t { print $2; exit }' "$TMP/out")
[ -n "$t_arm" ] && [ -n "$t_wut" ] && [ -n "$t_cm7" ] && [ -n "$t_cm4" ] || fail "trace lines missing"
awk -v a="$t_arm" -v w="$t_wut" -v c7="$t_cm7" -v c4="$t_cm4" 'BEGIN {
  r = (w - a) / 1e6; printf "wake-up timer after %.1f ms (%.3f x 1 s), CM7 +%.1f ms, CM4 +%.1f ms (held ~300 ms)\n", (w - a) / 1e3, r, (c7 - w) / 1e3, (c4 - w) / 1e3
  exit !(r >= 0.99 && r <= 1.2 && c7 - w < 100000 && c4 - w >= 250000) }' || fail "timing: the wake-up, or the hold, was not as programmed"
grep -qE '^\[cm7\] pwr_hold: CM4 released, D2CKRDY=1 after [0-9]+ ms$' "$TMP/out" || fail "release"
grep -qE '^\[cm4\] CM4: woke, SysTick counted [0-9]+ ms in Stop \(held by the CM7\)$' "$TMP/out" || fail "the CM4 did not wake"
# The CM4 woke only after the CM7's release line.
awk '/pwr_hold: CM7 woke \(/ { w = NR } /CM4: woke, SysTick/ { c = NR } END { exit !(w && c > w) }' "$TMP/out" ||
  fail "the CM4 woke before the CM7 released it"
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "hold mechanism: the CM7 woke at the wake-up timer with the CM4 held, then released it"
