#!/usr/bin/env bash
# TIM6 as the 1 kHz HAL time base (RTOS templates): 300 update interrupts
# must take about as long as 300 SysTick milliseconds of the same core.
# Compared within one run; loose bounds catch a wrong prescaler or clock
# (off by a factor), not host noise.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/tim6_timebase_cm7.elf" --timeout 60 --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
ms=$(sed -nE 's/.*tim6: 300 updates while SysTick counted ([0-9]+) ms$/\1/p' "$TMP/out")
[ -n "$ms" ] || fail "no tim6 line"
[ "$ms" -ge 150 ] && [ "$ms" -le 450 ] || fail "300 TIM6 updates took $ms SysTick ms (expected about 300)"
grep -q "unimplemented" "$TMP/err" && { cat "$TMP/err" >&2; fail "unimplemented registers touched on the TIM6 path"; }
assert_clean $RUN_PID
pass "TIM6 time base: 300 updates in $ms SysTick ms"
