#!/usr/bin/env bash
# Killing one core's QEMU ends the run with a non-zero status naming the core,
# and the other core's QEMU and every file are gone too.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" --timeout 60
wait_for "$TMP/out" 'CM4 done' 30 || { cat "$TMP/out" "$TMP/err" >&2; fail "demo did not get going"; }
cm4=$(pgrep -f "ampvp-$RUN_PID-.*/cm4.sock" | head -1)
cm7=$(pgrep -f "ampvp-$RUN_PID-.*/cm7.sock" | head -1)
[ -n "$cm4" ] && [ -n "$cm7" ] || fail "could not find both QEMU instances"
kill -9 "$cm4"
wait $RUN_PID
rc=$?
cat "$TMP/err"
[ $rc = 4 ] || fail "exit code $rc, expected 4 (a core died)"
grep -q "ampvp: error: core cm4 died: QEMU was killed by signal 9" "$TMP/err" || fail "no line naming cm4"
kill -0 "$cm7" 2>/dev/null && fail "cm7's QEMU ($cm7) still runs"
assert_clean $RUN_PID
pass "killed cm4: run ended with status 4, nothing left"
