#!/usr/bin/env bash
# --junit FILE: the report of passing and failing runs (every exit path that
# gets past the command line) is valid against tests/integration/junit.xsd
# (xmllint) and reads back through python3-junitparser as CI reporters read
# it: one test case per --expect/--expect-not with its time to match, the
# failure reason, the console in system-out; written atomically (no
# temporary file left, never half a file).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
command -v xmllint >/dev/null || fail "xmllint missing (scripts/setup installs libxml2-utils)"
/usr/bin/python3 -c 'import junitparser' 2>/dev/null || fail "python3-junitparser missing (scripts/setup)"

HELLO=(run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf")
mkdir "$TMP/reports"

# report NAME EXPECTED-STATUS ARGS...: run with --junit $TMP/reports/NAME.xml,
# validate it, and leave junitparser's reading in $TMP/NAME.cases.
report() {
  local name=$1 want=$2; shift 2
  local xml="$TMP/reports/$name.xml"
  run_ampvp_bg "$TMP/out" "$TMP/err" "$@" --junit "$xml"
  wait $RUN_PID
  local rc=$?
  [ $rc = "$want" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "$name: exit status $rc, expected $want"; }
  assert_clean $RUN_PID
  check_report "$name"
}
check_report() {
  local name=$1 xml="$TMP/reports/$1.xml"
  [ -s "$xml" ] || fail "$name: no report written"
  xmllint --noout --schema "$HERE/junit.xsd" "$xml" 2>"$TMP/xmllint" \
    || { cat "$TMP/xmllint" "$xml" >&2; fail "$name: report does not validate against junit.xsd"; }
  /usr/bin/python3 "$HERE/junit_check.py" "$xml" >"$TMP/$name.cases" \
    || { cat "$xml" >&2; fail "$name: junitparser reading failed"; }
}
# has NAME REGEX: a line of junitparser's reading matches.
has() { grep -qE "$2" "$TMP/$1.cases" || { cat "$TMP/$1.cases" >&2; fail "$1: no line matching /$2/"; }; }
cases() { grep -vcE '^(OUT|ERR|PROPERTY)\|' "$TMP/$1.cases"; }

# The schema is not vacuous: a report without hostname is refused.
sed 's/ hostname="[^"]*"//' >"$TMP/bad.xml" <<'XML'
<?xml version="1.0"?>
<testsuites><testsuite name="s" id="0" package="p" tests="0" failures="0" errors="0" time="0" timestamp="2024-01-01T00:00:00" hostname="h"><properties/><system-out/><system-err/></testsuite></testsuites>
XML
xmllint --noout --schema "$HERE/junit.xsd" "$TMP/bad.xml" 2>/dev/null && fail "junit.xsd accepts a suite without hostname"

# 1. Everything seen: each expectation passes with its time to match.
report pass 0 "${HELLO[@]}" --timeout 30 --junit-name hello_demo \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$' --expect-not 'ASSERT|timed out'
[ "$(cases pass)" = 3 ] || fail "pass: $(cases pass) test cases, expected 3"
has pass '^hello_demo\|expect: \^\\\[cm7\\\] CM7 done\$\|pass\|\|[0-9.]+\|$'
has pass '^hello_demo\|expect: \^\\\[cm4\\\] CM4 done\$\|pass\|'
has pass '^hello_demo\|expect-not: ASSERT\|timed out\|pass\|'
has pass '^OUT\|\[cm4\] CM4 read 0xc0ffee45 from SRAM4$'
has pass '^PROPERTY\|image.cm7\|.*/hello_cm7.elf$'
has pass '^PROPERTY\|exit-status\|0$'
t=$(grep -F '|expect: ^\[cm7\] CM7 done$|' "$TMP/pass.cases" | cut -d'|' -f5)
awk -v t="$t" 'BEGIN { exit !(t > 0 && t < 30) }' || fail "pass: time to match $t"
pass "all seen: 3 passing test cases, CM7 done after $t s, console in system-out"

# 2. A forbidden line: its case fails with the line, the unseen expectation says why.
report forbidden 5 "${HELLO[@]}" --timeout 30 --expect 'never printed' --expect-not 'CM7 wrote'
has forbidden '\|expect-not: CM7 wrote\|failure\|forbidden\|[0-9.]+\|forbidden line seen at [0-9.]+ s: \[cm7\] CM7 wrote 0xc0ffee45 to SRAM4$'
has forbidden "\|expect: never printed\|failure\|not-seen\|[0-9.]+\|never saw a line matching 'never printed': forbidden line seen"
has forbidden "^stm32h745\|" # default suite name: the machine
pass "forbidden line: failure of type forbidden naming the line"

# 3. Timeout, ordered: the failure names the line that came too early.
report ordered 3 "${HELLO[@]}" --timeout 2 --expect-order --expect 'CM7 done' --expect 'hello from Cortex-M7'
has ordered '\|expect: CM7 done\|pass\|'
has ordered "\|expect: hello from Cortex-M7\|failure\|not-seen\|.*timeout after 2 s.*\(a line matched before 'CM7 done' was seen: \[cm7\] hello from Cortex-M7"
has ordered '^PROPERTY\|expect-order\|true$'
pass "ordered timeout: failure with the reason and the early line"

# 4. A core dies: the expectations fail with the core's death as the reason.
report died 4 "${HELLO[@]}" --timeout 30 --expect 'CM7 done' --qemu /bin/false
has died "\|expect: CM7 done\|failure\|not-seen\|.*core cm[47] died: QEMU exited with status 1"
pass "core died: $(grep -o 'core cm. died[^|]*' "$TMP/died.cases" | head -1)"

# 5. Setup failure, no expectations: one "run" case with the error.
report setup 1 run --machine $MACHINE --cm7 "$TMP/nope.elf" --board nucleo-h745zi-q
[ "$(cases setup)" = 1 ] || fail "setup: $(cases setup) test cases, expected 1"
has setup '^nucleo-h745zi-q\|run\|error\|exit-status-1\|[0-9.]+\|.*nope.elf: cannot open'
pass "setup failure: one run case in error, suite named after the board"

# 6. SIGTERM in the middle of a run: status 143, the report complete.
run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}" --expect 'never printed' --junit "$TMP/reports/term.xml"
wait_for "$TMP/out" 'CM4 done' 30 || fail "term: the demo did not start"
kill -TERM $RUN_PID
wait $RUN_PID; rc=$?
[ $rc = 143 ] || fail "term: exit status $rc, expected 143"
assert_clean $RUN_PID
check_report term
has term "\|expect: never printed\|failure\|not-seen\|.*stopped by SIGTERM"
has term '^OUT\|\[cm7\] CM7 done$'
pass "SIGTERM: report written, reason 'stopped by SIGTERM'"

# 7. Atomic: an existing report is replaced whole, no temporary file stays.
report pass 0 "${HELLO[@]}" --timeout 30 --expect 'CM7 done'
[ "$(cases pass)" = 1 ] || fail "rewrite: the old report was not replaced"
left=$(ls "$TMP/reports" | grep -v '\.xml$' || true)
[ -z "$left" ] || fail "temporary files left: $left"
pass "reports replaced whole, no temporary files: $(ls "$TMP/reports" | paste -sd' ')"

# 8. An unwritable destination turns success into status 1 with one error line.
run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}" --timeout 30 --expect 'CM7 done' \
  --junit "$TMP/no/such/dir/r.xml"
wait $RUN_PID; rc=$?
[ $rc = 1 ] || fail "unwritable: exit status $rc, expected 1"
assert_one_error_line "$TMP/err" "^ampvp: error: --junit: $TMP/no/such/dir/r.xml: cannot create: No such file or directory$"
assert_clean $RUN_PID
pass "unwritable report: status 1, $(grep 'ampvp: error' "$TMP/err")"
