#!/usr/bin/env bash
# N round trips driven only by SEV -> EXTI (lines 79/80, event masks) -> WFE.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/sev_pingpong_cm7.elf" --cm4 "$FW/sev_pingpong_cm4.elf" --timeout 60 --trace exti \
  --expect '^\[cm7\] sev_pingpong: N=[0-9]+ round trips in [0-9]+ ms, [0-9]+ us per round trip$' \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q stuck "$TMP/out" && fail "a round trip got stuck"
# Every trip must be carried by events both ways (not by the CM7's SysTick
# waking its WFE): one EXTI line-80 event to the CM4 and one line-79 event to
# the CM7 per round trip, counted in the trace rather than timed.
n=$(sed -nE 's/.*N=([0-9]+) round trips.*/\1/p' "$TMP/out")
to_cm4=$(grep -c '^\[trace\] [0-9.]* cm4 exti line 80 event$' "$TMP/out")
to_cm7=$(grep -c '^\[trace\] [0-9.]* cm7 exti line 79 event$' "$TMP/out")
[ "$to_cm4" -ge "$n" ] || fail "only $to_cm4 CM7->CM4 events for $n round trips"
[ "$to_cm7" -ge "$n" ] || fail "only $to_cm7 CM4->CM7 events for $n round trips"
assert_clean $RUN_PID
pass "SEV ping-pong: $(grep 'round trips' "$TMP/out"); events $to_cm4 to cm4, $to_cm7 to cm7"
