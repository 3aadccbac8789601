#!/usr/bin/env bash
# --trace-json: the boot handshake of boot_sync (HSEM 0 release wakes the CM4
# from D2 STOP) as Chrome trace-event JSON, checked for its tracks, spans and
# the cause -> effect flow; the file is complete on a timeout and on SIGINT
# too, and an unwritable path is one error line.
#   trace_json.sh            the handshake
#   trace_json.sh exits      timeout, SIGINT, bad path
#   trace_json.sh limit      --trace-json-max: a busy run (SEV ping-pong) cut at
#                            64 KiB: one warning, the run itself unaffected, the
#                            file no larger than the bound and still valid
#                            (every span closed, flows bound, the cut marked)
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
limit)
  "$AMPVP" run --machine $MACHINE --cm7 "$FW/sev_pingpong_cm7.elf" --cm4 "$FW/sev_pingpong_cm4.elf" \
    --trace-json "$TMP/t.json" --trace-json-max 64K --timeout 60 \
    --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$' >"$TMP/out" 2>"$TMP/err"
  rc=$?
  [ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
  n=$(grep -c 'size limit' "$TMP/err")
  [ "$n" = 1 ] || { cat "$TMP/err" >&2; fail "$n lines about the size limit, expected 1"; }
  grep -qE "^ampvp: warning: --trace-json: $TMP/t.json: size limit of 64 KiB reached at [0-9]+\.[0-9]{3} us: later events are not written \(--trace-json-max SIZE, 0 for no limit\)$" "$TMP/err" \
    || { cat "$TMP/err" >&2; fail "warning line"; }
  size=$(stat -c %s "$TMP/t.json")
  [ "$size" -le 65536 ] || fail "file is $size bytes, bound 65536"
  [ "$size" -gt 32768 ] || fail "file is only $size bytes: cut too early"
  python3 "$CHECK" "$TMP/t.json" complete || fail "cut trace is not valid"
  python3 - "$TMP/t.json" <<'PY' || fail "cut marker"
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
marks = [e for e in ev if e["ph"] == "i" and e.get("s") == "g"]
assert len(marks) == 1 and marks[0]["name"] == "trace-json size limit of 64 KiB reached", marks
assert max(e["ts"] for e in ev if "ts" in e) == marks[0]["ts"], "events after the cut"
PY
  # --trace-json-max 0: no bound (the same run is written whole).
  "$AMPVP" run --machine $MACHINE --cm7 "$FW/sev_pingpong_cm7.elf" --cm4 "$FW/sev_pingpong_cm4.elf" \
    --trace-json "$TMP/all.json" --trace-json-max 0 --timeout 60 \
    --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$' >"$TMP/out" 2>"$TMP/err" \
    || { cat "$TMP/err" >&2; fail "unbounded run failed"; }
  grep -q 'size limit' "$TMP/err" && fail "size limit reported without a bound"
  [ "$(stat -c %s "$TMP/all.json")" -gt 65536 ] || fail "the unbounded trace is not larger than the bound"
  python3 "$CHECK" "$TMP/all.json" complete || fail "unbounded trace"
  pass "trace_json limit: cut at 64 KiB with one warning, valid; 0 writes it whole"
  ;;
esac
