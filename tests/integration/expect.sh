#!/usr/bin/env bash
# --expect-not and --expect-order with the hello demo: a forbidden line ends
# the run at once with status 5 and one error line naming the pattern and the
# line; --expect is unordered unless --expect-order, which refuses a line seen
# before its predecessor; with only --expect-not patterns, --timeout is the
# run's length and passes. --timestamps puts each line's time after its tag and
# leaves matching alone.
. "$(dirname "$0")/lib.sh"

HELLO=(run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf")

# run_rc EXPECTED-STATUS ARGS...: run ampvp, check its status and that nothing is left.
run_rc() {
  local want=$1; shift
  run_ampvp_bg "$TMP/out" "$TMP/err" "$@"
  wait $RUN_PID
  local rc=$?
  [ $rc = "$want" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit status $rc, expected $want: $*"; }
  assert_clean $RUN_PID
}

# 1. A forbidden line: status 5 as soon as it is printed, one error line.
run_rc 5 "${HELLO[@]}" --timeout 30 --expect 'never printed' --expect-not 'CM7 wrote'
assert_one_error_line "$TMP/err" \
  "^ampvp: error: forbidden line seen \(--expect-not 'CM7 wrote'\): \[cm7\] CM7 wrote 0xc0ffee45 to SRAM4$"
pass "--expect-not: status 5, $(grep 'ampvp: error:' "$TMP/err")"

# 2. Forbidden patterns that never match do not stand in the way of success.
run_rc 0 "${HELLO[@]}" --timeout 30 --expect 'CM7 done' --expect 'CM4 done' \
  --expect-not 'ASSERT|Error_Handler' --expect-not 'timed out'
grep -q "ampvp: error" "$TMP/err" && fail "error line in a passing run"
pass "--expect-not patterns never seen: status 0"

# 3. Only --expect-not: the run lasts --timeout and passes.
start=$(date +%s%N)
run_rc 0 "${HELLO[@]}" --timeout 1.5 --expect-not 'ASSERT'
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $ms -ge 1500 ] || fail "only --expect-not: the run ended after $ms ms, before --timeout"
grep -q "CM4 done" "$TMP/out" || fail "only --expect-not: the demo did not run"
pass "only --expect-not: ran the full --timeout ($ms ms), status 0"

# 4. Unordered (the default): the patterns in any order.
run_rc 0 "${HELLO[@]}" --timeout 30 --expect 'CM7 done' --expect 'hello from Cortex-M7'
pass "--expect is unordered by default"

# 5. --expect-order with the CM7's own order: passes.
run_rc 0 "${HELLO[@]}" --timeout 30 --expect-order \
  --expect 'hello from Cortex-M7' --expect 'CM7 wrote' --expect 'CM7 done'
pass "--expect-order in the order printed: status 0"

# 6. --expect-order, reversed: 'hello' came before 'CM7 done' and does not count.
run_rc 3 "${HELLO[@]}" --timeout 2 --expect-order --expect 'CM7 done' --expect 'hello from Cortex-M7'
assert_one_error_line "$TMP/err" \
  "timeout after 2 s; never saw 'hello from Cortex-M7' \(matched before 'CM7 done': \[cm7\] hello from Cortex-M7, CPUID=0x411fc271\)$"
pass "--expect-order reversed: status 3, $(grep 'ampvp: error:' "$TMP/err")"

# 7. A pattern that is no regular expression is a usage error naming the option.
"$AMPVP" "${HELLO[@]}" --expect-not '(' >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 2 ] || fail "bad --expect-not: exit $rc, expected 2"
grep -q -- "--expect-not: bad pattern '('" "$TMP/err" || { cat "$TMP/err" >&2; fail "bad --expect-not message"; }
pass "bad --expect-not pattern: status 2"

# 8. --timestamps: console lines carry their time after the tag, in increasing order;
#    --expect anchored at the tag still matches (it sees the line without the time).
run_rc 0 "${HELLO[@]}" --timeout 30 --timestamps --expect '^\[cm7\] CM7 done$'
grep -qE '^\[cm7\] \[[0-9]+\.[0-9]{3}\] CM7 done$' "$TMP/out" || { cat "$TMP/out" >&2; fail "no time-stamped 'CM7 done'"; }
awk -F'[][]' '/^\[cm7\] \[/ { if ($4 + 0 < last) bad = 1; last = $4 + 0 } END { exit bad }' "$TMP/out" \
  || { cat "$TMP/out" >&2; fail "--timestamps: times go backwards on one core"; }
pass "--timestamps: $(grep -m1 'CM7 done' "$TMP/out")"
