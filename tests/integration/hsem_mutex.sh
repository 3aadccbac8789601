#!/usr/bin/env bash
# Both cores increment one SRAM4 counter 100000 times each under HSEM lock
# 5, with 1-step then 2-step locking: exactly 200000 then 400000.  A third
# run without the lock may lose counts; it is reported, not judged.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/hsem_mutex_cm7.elf" --cm4 "$FW/hsem_mutex_cm4.elf" --timeout 300 \
  --expect '^\[cm7\] hsem_mutex 1-step: counter=200000 \(expected 200000\) OK$' \
  --expect '^\[cm7\] hsem_mutex 2-step: counter=400000 \(expected 400000\) OK$' \
  --expect '^\[cm7\] hsem_mutex no lock: counter=[0-9]+ of 200000' \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q MISMATCH "$TMP/out" && fail "a locked phase lost increments"
assert_clean $RUN_PID
pass "HSEM mutual exclusion: $(grep 'no lock' "$TMP/out")"
