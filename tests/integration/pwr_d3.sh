#!/usr/bin/env bash
# RM0399 PWR_CPUCR.RUN_D3 (the rule under ST's PWR_Domain3SystemControl): with RUN_D3
# set, both CPUs in Stop (the CM4 parked in D2 Stop by boot_sync_cm4, the CM7 in D1
# Stop until its RTC wake-up timer) leave D3 and the system in Run: STOPF stays 0 and
# the HSE system clock survives; with RUN_D3 clear the same Stop is a system Stop:
# STOPF = 1, the system wakes on the HSI with the HSE off.  The CM4 never wakes.
. "$(dirname "$0")/lib.sh"

"$AMPVP" run --board nucleo-h745zi-q --strict --cm7 "$FW/pwr_d3_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" \
  --timeout 30 --expect '^\[cm7\] CM7 done$' >"$TMP/out" 2>"$TMP/err" \
  || { cat "$TMP/out" "$TMP/err" >&2; fail "run failed"; }
cat "$TMP/out"
grep -qx '\[cm7\] pwr_d3: RUN_D3=1: CM7 woke from Stop, STOPF=0, SYSCLK=HSE, HSE on' "$TMP/out" \
  || fail "with RUN_D3 the system left Run"
grep -qx '\[cm7\] pwr_d3: RUN_D3=0: CM7 woke from Stop, STOPF=1, SYSCLK=HSI, HSE off' "$TMP/out" \
  || fail "without RUN_D3 the system did not enter Stop"
grep -q '^\[cm4\]' "$TMP/out" && fail "the CM4 woke up"
grep -qE 'unimplemented|not modelled|guest error' "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled or forbidden accesses"; }
pass "RUN_D3 keeps the system in Run through both CPUs' Stop; without it the system Stops"
