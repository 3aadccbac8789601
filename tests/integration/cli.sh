#!/usr/bin/env bash
# Command-line behaviour: help, usage errors, timeout, Ctrl-C.
. "$(dirname "$0")/lib.sh"

"$AMPVP" --help | grep -q "run" || fail "--help does not list run"
"$AMPVP" run --help | grep -q -- "--expect" || fail "run --help does not document --expect"
"$AMPVP" machines | grep -q "^stm32h745" || fail "'ampvp machines' does not list stm32h745"
pass "help and machines"

"$AMPVP" run --cm7 x.elf >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || fail "missing --machine: exit $rc, expected 2"
"$AMPVP" run --machine $MACHINE --image cm7= >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 2 ] || fail "bad --image: exit $rc, expected 2"
grep -q "CORE=FILE or FILE" "$TMP/err" || fail "bad --image message"
# Without CORE= the file is a combined image: a missing one is bad input (1).
"$AMPVP" run --machine $MACHINE --image "$TMP/nonsense.hex" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 1 ] || fail "missing combined image: exit $rc, expected 1"
assert_one_error_line "$TMP/err" "nonsense.hex: cannot open"
"$AMPVP" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --trace nosuch >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 2 ] && grep -q "unknown trace category 'nosuch'" "$TMP/err" || fail "bad --trace: exit $rc"
"$AMPVP" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --expect '(' >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 2 ] && grep -q "bad --expect pattern" "$TMP/err" || fail "bad --expect: exit $rc"
pass "usage errors exit 2"

# Timeout: an expectation that never comes true.
run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" \
  --timeout 3 --expect 'CM7 done' --expect 'never printed'
wait $RUN_PID; rc=$?
[ $rc = 3 ] || { cat "$TMP/err"; fail "timeout: exit $rc, expected 3"; }
assert_one_error_line "$TMP/err" "timeout after 3 s; never saw 'never printed'"
assert_clean $RUN_PID
pass "timeout exits 3 naming what was missing"

# Ctrl-C (SIGINT to the hub) stops everything and exits 130.
run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf"
wait_for "$TMP/out" 'CM7 done' 30 || fail "demo did not start"
kill -INT $RUN_PID
wait $RUN_PID; rc=$?
[ $rc = 130 ] || { cat "$TMP/err"; fail "SIGINT: exit $rc, expected 130"; }
assert_clean $RUN_PID
# SIGTERM likewise, 143.
run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf"
wait_for "$TMP/out" 'CM7 done' 30 || fail "demo did not start"
kill -TERM $RUN_PID
wait $RUN_PID; rc=$?
[ $rc = 143 ] || { cat "$TMP/err"; fail "SIGTERM: exit $rc, expected 143"; }
assert_clean $RUN_PID
pass "SIGINT/SIGTERM stop cleanly with 130/143"
