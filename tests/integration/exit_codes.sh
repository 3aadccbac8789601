#!/usr/bin/env bash
# The exit status table of docs/user-guide.md is complete and true: it lists
# exactly the codes of runner.h's enum ExitCode, and each code is provoked
# here with the one stderr line the table shows for it.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
GUIDE=$SRC/docs/user-guide.md

# Codes in the table: rows "| N | ..." of the "### Exit status" section.
documented=$(awk '/^### Exit status/ {on = 1; next} on && /^#/ {on = 0}
                  on && /^\| [0-9]+ \|/ {print $2}' "$GUIDE" | sort -n | paste -sd' ')
declared=$(grep -oE 'EXIT_[A-Z_]+ = [0-9]+' "$SRC/qemu-devices/hub/runner.h" | awk '{print $3}' \
           | sort -n | paste -sd' ')
[ -n "$declared" ] || fail "no exit codes found in runner.h"
[ "$documented" = "$declared" ] || fail "user-guide.md documents '$documented', runner.h declares '$declared'"
grep -qE "Exit status: 0 every --expect seen" <("$AMPVP" run --help) || fail "run --help lacks the exit statuses"
for c in $declared; do
  "$AMPVP" run --help | tr '\n' ' ' | grep -qE "(^|[ ,:])$c [a-z-]" || fail "run --help does not mention status $c"
done
pass "documented = declared = --help: $declared"

HELLO=(run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf")
# provoke CODE: run the scenario for CODE; leaves the status in $rc.
provoke() {
  case $1 in
    0) run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}" --timeout 30 --expect 'CM7 done' ;;
    1) run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --cm7 "$TMP/app.elf" ;;
    2) run_ampvp_bg "$TMP/out" "$TMP/err" run --cm7 "$FW/hello_cm7.elf" ;;
    3) run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}" --timeout 1 --expect 'CM4 done' --expect 'never printed' ;;
    4) run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}" --timeout 30 --qemu /bin/false ;;
    5) run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}" --timeout 30 --expect-not 'CM4 read' ;;
    130|143)
       run_ampvp_bg "$TMP/out" "$TMP/err" "${HELLO[@]}"
       wait_for "$TMP/out" 'CM4 done' 30 || fail "$1: the demo did not start"
       kill -"$2" $RUN_PID ;;
    *) fail "no scenario for documented exit status $1" ;;
  esac
  wait $RUN_PID; rc=$?
  assert_clean $RUN_PID
}
# The line the table shows for each code (a regex over the whole stderr line).
declare -A LINE=(
  [0]=''
  [1]="^ampvp: error: $TMP/app.elf: cannot open: No such file or directory$"
  [2]='^ampvp: error: run needs --machine NAME or --board NAME$'
  [3]="^ampvp: error: timeout after 1 s; never saw 'never printed'$"
  [4]='^ampvp: error: core cm[47] died: QEMU exited with status 1$'
  [5]="^ampvp: error: forbidden line seen \(--expect-not 'CM4 read'\): \[cm4\] CM4 read 0xc0ffee45 from SRAM4$"
  [130]='^ampvp: stopping on Interrupt$'
  [143]='^ampvp: stopping on (Terminated|Hangup)$'
)
for code in $declared; do
  signals=(none)
  [ "$code" = 130 ] && signals=(INT)
  [ "$code" = 143 ] && signals=(TERM HUP)
  for sig in "${signals[@]}"; do
    provoke "$code" "$sig"
    [ "$rc" = "$code" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "scenario for $code ($sig) exited $rc"; }
    if [ -z "${LINE[$code]}" ]; then
      grep -q "ampvp: error" "$TMP/err" && { cat "$TMP/err" >&2; fail "status 0 with an error line"; }
      pass "status 0: no error line"
    else
      grep -qE "${LINE[$code]}" "$TMP/err" || { cat "$TMP/err" >&2; fail "status $code: no line /${LINE[$code]}/"; }
      [ "$code" -ge 128 ] || assert_one_error_line "$TMP/err" "${LINE[$code]}"
      label=""; [ "$sig" = none ] || label=" (SIG$sig)"
      pass "status $code$label: $(grep -E "${LINE[$code]}" "$TMP/err")"
    fi
    # The table's example line for this code has the same shape.
    row=$(grep -E "^\| $code \|" "$GUIDE")
    case $code in
      1) grep -qF 'cannot open: No such file or directory' <<<"$row" ;;
      2) grep -qF 'run needs --machine NAME or --board NAME' <<<"$row" ;;
      3) grep -qF 'ampvp: error: timeout after' <<<"$row" ;;
      4) grep -qF 'ampvp: error: core cm4 died: QEMU' <<<"$row" ;;
      5) grep -qF "ampvp: error: forbidden line seen (--expect-not '" <<<"$row" ;;
      130) grep -qF 'ampvp: stopping on Interrupt' <<<"$row" ;;
      143) grep -qF 'ampvp: stopping on Terminated' <<<"$row" && grep -qF 'Hangup' <<<"$row" ;;
      *) true ;;
    esac || fail "the table's row for $code does not show the line seen: $row"
  done
done
