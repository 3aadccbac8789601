#!/usr/bin/env bash
# ST's PWR_D1ON_D2OFF then PWR_D2ON_D1OFF (NUCLEO-H745ZI-Q) in one run, with the exits
# they leave out: D2 in DStandby (SBF_D2, D2CKRDY = 0), woken by the CM7's HSEM
# notification, which resets the CM4 (D2RSTF | C2RSTF); then D1 in DStandby (SBF_D1,
# D1CKRDY = 0 as the CM4 sees them), woken by the RTC wake-up timer after 500 ms, which
# resets the CM7 (D1RSTF | C1RSTF; its RCC_C1_RSR also still shows the D2 reset's
# D2RSTF | C2RSTF: both CPUs' copies record every reset until each CPU clears its own).  Timing in the hub's time (--trace): the wake-up
# timer fires ~500 ms after it was armed and the CM7's reset follows at once.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace tim,power \
  --cm7 "$FW/pwr_standby_cm7.elf" --cm4 "$FW/pwr_standby_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
for re in '^\[cm7\] pwr_standby: CM4 released$' '^\[cm7\] pwr_standby: D2 in DStandby \(SBF_D2=1, D2CKRDY=0\)$' \
          '^\[cm7\] pwr_standby: D2 left DStandby, CM4 restarted$' \
          '^\[cm4\] CM4: boot after D2 left DStandby \(RSR=0x00140000, SBF_D2=1\)$' \
          '^\[cm7\] pwr_standby: CM7 to D1 DStandby for 500 ms$' \
          '^\[cm4\] CM4: D1 in DStandby \(SBF_D1=1, D1CKRDY=0\)$' \
          '^\[cm7\] pwr_standby: CM7 restarted, D1 left DStandby \(RSR=0x001e0000, SBF_D1=1\)$'; do
  grep -qE "$re" "$TMP/out" || fail "missing /$re/"
done
ms=$(sed -nE 's/.*CM4: D1 back after ([0-9]+) ms.*/\1/p' "$TMP/out")
[ -n "$ms" ] || fail "no D1 timing line"
echo "information: the CM4's SysTick counted $ms ms with D1 off"
t_arm=$(grep -m1 'RTC tim wake-up timer runs: every 500000 us' "$TMP/out" | awk '{print $2}')
t_wut=$(grep -m1 'RTC tim wake-up timer$' "$TMP/out" | awk '{print $2}')
t_rst=$(grep -m1 'reset requested: D1 domain leaves DStandby' "$TMP/out" | awk '{print $2}')
[ -n "$t_arm" ] && [ -n "$t_wut" ] && [ -n "$t_rst" ] || fail "trace lines missing"
awk -v a="$t_arm" -v w="$t_wut" -v r0="$t_rst" 'BEGIN {
  r = (w - a) / 5e5; printf "wake-up timer after %.1f ms (%.3f x 500 ms), D1 reset +%.1f ms\n", (w - a) / 1e3, r, (r0 - w) / 1e3
  exit !(r >= 0.99 && r <= 1.3 && r0 >= w && r0 - w < 100000) }' || fail "timing of the D1 wake-up"
grep -q 'cm4: reset (D2 domain leaves DStandby)' "$TMP/err" || { cat "$TMP/err" >&2; fail "no D2 reset line"; }
grep -q 'cm7: reset (D1 domain leaves DStandby)' "$TMP/err" || { cat "$TMP/err" >&2; fail "no D1 reset line"; }
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "D2 and D1 DStandby with their exits as domain resets (D1 off ${ms} ms for 500)"
