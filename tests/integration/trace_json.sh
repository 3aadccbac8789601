#!/usr/bin/env bash
# --trace-json: the boot handshake of boot_sync (HSEM 0 release wakes the CM4
# from D2 STOP) as Chrome trace-event JSON, checked for its tracks, spans and
# the cause -> effect flow; the file is complete on a timeout and on SIGINT
# too, and an unwritable path is one error line.
#   trace_json.sh            the handshake
#   trace_json.sh exits      timeout, SIGINT, bad path
source "$(dirname "$0")/lib.sh"
CHECK="$(dirname "$0")/trace_json_check.py"
mode=${1:-handshake}

case $mode in
handshake)
  out=$TMP/out err=$TMP/err json=$TMP/t.json
  "$AMPVP" run --machine $MACHINE --cm7 "$FW/boot_sync_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" \
    --trace-json "$json" --timeout 20 --expect 'CM7 done' --expect 'CM4 done' >"$out" 2>"$err" \
    || { cat "$out" "$err" >&2; fail "run failed"; }
  python3 "$CHECK" "$json" handshake || fail "trace content"
  ls "$TMP" | grep -q 'tmp-' && fail "temporary file left: $(ls "$TMP")"
  pass "trace_json handshake"
  ;;
exits)
  # A timeout (exit 3) still writes a complete trace.
  "$AMPVP" run --machine $MACHINE --cm7 "$FW/boot_sync_norelease_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" \
    --trace-json "$TMP/timeout.json" --timeout 1 --expect 'never printed' >/dev/null 2>"$TMP/err1"
  rc=$?
  [ $rc = 3 ] || { cat "$TMP/err1" >&2; fail "timeout run: exit $rc, expected 3"; }
  python3 "$CHECK" "$TMP/timeout.json" complete || fail "trace after timeout"
  # SIGINT (exit 130): the loop ends normally and the trace is written.
  run_ampvp_bg "$TMP/out2" "$TMP/err2" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" \
    --cm4 "$FW/idle_cm4.elf" --trace-json "$TMP/int.json"
  wait_for "$TMP/out2" 'CM7 done' 20 || fail "hello did not run"
  kill -INT $RUN_PID
  wait $RUN_PID
  rc=$?
  [ $rc = 130 ] || fail "SIGINT run: exit $rc, expected 130"
  python3 "$CHECK" "$TMP/int.json" complete || fail "trace after SIGINT"
  assert_clean $RUN_PID
  # A path that cannot be created: one error line, nothing started.
  "$AMPVP" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --trace-json "$TMP/no/such/dir/t.json" \
    --timeout 5 >/dev/null 2>"$TMP/err3"
  rc=$?
  [ $rc = 1 ] || fail "bad path: exit $rc, expected 1"
  assert_one_error_line "$TMP/err3" 'ampvp: error: --trace-json: .*/no/such/dir/t.json: cannot create'
  pass "trace_json exits"
  ;;
esac
