#!/usr/bin/env bash
# --trace rpmsg and --trace-json on the STM32MP15 (machine stm32mp157): the hub
# plays Linux's remoteproc/RPMsg master, the M4 runs our TTY echo firmware
# (mp15_tty_echo). Every message is one trace line by its sender with endpoints,
# length and the first 16 bytes; the M4's name-service announcements show by
# name; the JSON timeline has the same messages as RPMsg events (m4->mpu,
# mpu->m4).
source "$(dirname "$0")/lib.sh"
# Two lines go in: "ping\n" (5 bytes, shown whole) and "0123456789abcdefXYZ\n"
# (20 bytes: the first 16 and "...").
run_ampvp_bg "$TMP/out" "$TMP/err" run --machine stm32mp157 --m4 "$FW/mp15_tty_echo.elf" --timeout 60 \
  --trace rpmsg --trace-json "$TMP/t.json" --expect '^\[m4-log\] .*0x400 echoed 20 bytes'
wait_for "$TMP/out" 'rpmsg-tty 0x400 <-> host 0x[0-9a-f]+: /dev/pts/' 30 ||
  { kill $RUN_PID; cat "$TMP/out" "$TMP/err"; fail "no rpmsg-tty endpoint 0x400"; }
python3 "$(dirname "$0")/rpmsg_pty.py" "$TMP/out" '0x400=ping\n' '0x400=0123456789abcdefXYZ\n' ||
  { kill $RUN_PID 2>/dev/null; fail "pty echo"; }
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
host=$(sed -nE 's/^\[rpmsg\] rpmsg-tty 0x400 <-> host (0x[0-9a-f]+): .*/\1/p' "$TMP/out")
[ -n "$host" ] || fail "no host endpoint address"
lines=$(grep -E '^\[trace\] [0-9.]+ (m4|mpu) rpmsg 0x' "$TMP/out" | sed -E 's/^\[trace\] [0-9.]+ //')
want() { grep -qxF "$1" <<<"$lines" || { echo "$lines" >&2; fail "no trace line: $1"; }; }
want "m4 rpmsg 0x400 -> 0x35, 40 bytes: name service: create 'rpmsg-tty' at 0x400"
want "m4 rpmsg 0x401 -> 0x35, 40 bytes: name service: create 'rpmsg-tty' at 0x401"
want "mpu rpmsg $host -> 0x400, 5 bytes \"ping\\x0a\""
want "m4 rpmsg 0x400 -> $host, 5 bytes \"ping\\x0a\""
want "mpu rpmsg $host -> 0x400, 20 bytes \"0123456789abcdef...\""
want "m4 rpmsg 0x400 -> $host, 20 bytes \"0123456789abcdef...\""
# Order: each echo after the message it answers.
order=$(grep -E 'rpmsg .* (5|20) bytes' <<<"$lines" | awk '{print $1}' | tr '\n' ' ')
[ "$order" = "mpu m4 mpu m4 " ] || { echo "$lines" >&2; fail "message order: $order"; }
python3 - "$TMP/t.json" "$host" <<'PY' || fail "JSON trace"
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
host = sys.argv[2]
procs = {e["pid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
msgs = [e["args"] for e in ev if e.get("cat") == "rpmsg" and e["ph"] == "i" and "src" in e.get("args", {})]
assert all(procs[e["pid"]] == "RPMsg" for e in ev if e.get("cat") == "rpmsg" and e["ph"] == "i"), procs
ns = [m for m in msgs if m["dst"] == "0x35"]
assert [(m["from"], m["to"]) for m in ns] == [("m4", "mpu")] * 2, ns
assert any("name service: create 'rpmsg-tty' at 0x400" in m["data"] for m in ns), ns
data = [(m["from"], m["to"], m["src"], m["dst"], m["len"]) for m in msgs if m["dst"] != "0x35"]
assert data == [("mpu", "m4", host, "0x400", 5), ("m4", "mpu", "0x400", host, 5),
                ("mpu", "m4", host, "0x400", 20), ("m4", "mpu", "0x400", host, 20)], data
PY
python3 "$(dirname "$0")/trace_json_check.py" "$TMP/t.json" complete || fail "trace format"
assert_clean $RUN_PID
pass "MP15 RPMsg decoded: 2 name-service announcements by name, 2 messages and their echoes (endpoints, length, first bytes), as text and JSON"
