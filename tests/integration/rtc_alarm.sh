#!/usr/bin/env bash
# ST's RTC_Alarm (NUCLEO-H745ZI-Q): the CM7 sets the RTC (LSI) and alarm A two seconds
# ahead, routes EXTI line 17 to the CM4, and the CM4, waiting in D2 Stop (WFI), is woken
# by the alarm and no earlier.  Timing in the hub's time (--trace): from the calendar
# starting at 02:20:00 to the CM4's clock restarting must be ~2 s (the ratio, with a
# margin for host load); the CM7's SysTick measurement is printed for information (a
# loaded host makes QEMU drop SysTick ticks).  --strict: nothing on the way is unmodelled.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace tim,power \
  --cm7 "$FW/rtc_alarm_cm7.elf" --cm4 "$FW/rtc_alarm_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q '^\[cm7\] rtc_alarm: alarm A at 02:20:02, CM4 waits in D2 Stop$' "$TMP/out" || fail "no alarm line"
line=$(grep -E '^\[cm7\] rtc_alarm: CM4 woke after [0-9]+ ms \(alarm 2000 ms away\), RTC 02:20:02$' "$TMP/out") ||
  fail "the CM4 did not wake at 02:20:02"
ms=$(sed -nE 's/.*CM4 woke after ([0-9]+) ms.*/\1/p' <<<"$line")
echo "information: the CM7's SysTick counted $ms ms while the CM4 was stopped"
t_cal=$(grep -m1 'RTC tim calendar runs from 0x174202 0x022000' "$TMP/out" | awk '{print $2}')
t_alarm=$(grep -m1 'RTC tim alarm A$' "$TMP/out" | awk '{print $2}')
t_wake=$(grep 'cm4 power clock restarted' "$TMP/out" | tail -1 | awk '{print $2}')
[ -n "$t_cal" ] && [ -n "$t_alarm" ] && [ -n "$t_wake" ] || fail "trace lines missing"
awk -v c="$t_cal" -v a="$t_alarm" -v w="$t_wake" 'BEGIN {
  r = (w - c) / 2e6; printf "calendar start -> alarm %.1f ms, -> CM4 clock restarted %.1f ms: %.3f x 2 s\n", (a - c) / 1e3, (w - c) / 1e3, r
  exit !(a >= c && w >= a && r >= 0.99 && r <= 1.3) }' || fail "the CM4 did not wake ~2 s after the calendar started, at the alarm"
grep -q '^\[cm4\] CM4: woke up from Stop by the RTC alarm (1 interrupt), RTC 02:20:0[23]$' "$TMP/out" ||
  fail "the CM4 did not take the RTC alarm interrupt"
grep -qE "unimplemented|not modelled|guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses"; }
assert_clean $RUN_PID
pass "RTC alarm A woke the CM4 from Stop after ${ms} ms (2 s programmed)"
