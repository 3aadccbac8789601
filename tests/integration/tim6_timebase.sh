#!/usr/bin/env bash
# TIM6 as the 1 kHz HAL time base (RTOS templates): HAL's init sequence
# works on the model and 300 update interrupts are delivered and cleared,
# with no unimplemented register on the way.  The rate itself is stated by
# the TIM unit tests against a fake clock (deterministic); here the SysTick
# count over the same 300 updates is printed for information only: two
# free-running clocks in two processes drift apart under host load.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/tim6_timebase_cm7.elf" --timeout 60 --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
ms=$(sed -nE 's/.*tim6: 300 updates while SysTick counted ([0-9]+) ms$/\1/p' "$TMP/out")
[ -n "$ms" ] || fail "no tim6 line"
echo "information: 300 TIM6 updates while SysTick counted $ms ms"
grep -q "unimplemented" "$TMP/err" && { cat "$TMP/err" >&2; fail "unimplemented registers touched on the TIM6 path"; }
assert_clean $RUN_PID
pass "TIM6 time base: 300 update interrupts delivered"
