#!/usr/bin/env bash
# --trace rpmsg between two firmware images: rpmsg_pingpong (ST's OpenAMP_PingPong
# shape: CM7 master, CM4 remote, HSEM notifications, the resource table found by its
# symbol and read from SRAM once the master wrote it). Every message is decoded from
# the vrings at the notification that announces it, in order, by its sender; the
# --trace-json timeline has them as RPMsg events.  Compared sender by sender: a core
# polling the vring (as ST's OpenAMP loops do) may answer before the hub has seen the
# other core's posted HSEM notification (shared memory is instant, the bridge is not),
# so the hub can decode a reply just before the message it answers.
# With "det": the same under --deterministic; the --trace-json timeline must stay valid
# although an IRQ one core raises on the other's track carries the first core's
# virtual time (behind the other core's quantum): such events are moved up to the
# track's last time and keep their own in args.at_us.
source "$(dirname "$0")/lib.sh"
MODE=()
[ "${1:-}" = det ] && MODE=(--deterministic)
out=$TMP/out err=$TMP/err
"$AMPVP" run "${MODE[@]}" --machine $MACHINE --cm7 "$FW/rpmsg_pingpong_cm7.elf" --cm4 "$FW/rpmsg_pingpong_cm4.elf" \
  --trace rpmsg --trace-json "$TMP/t.json" --timeout 20 --expect 'CM7 done' --expect 'CM4 done' >"$out" 2>"$err" \
  || { cat "$out" "$err" >&2; fail "run failed"; }
grep -q '^\[trace\] [0-9.]* cm7 rpmsg resource table at 0x38000100: vring0 0x38008000 (cm4 -> cm7), vring1 0x38008400 (cm7 -> cm4), 4 buffers each$' "$out" \
  || { cat "$out" >&2; fail "resource table line"; }
grep -E '^\[trace\] [0-9.]+ cm[47] rpmsg 0x' "$out" | sed -E 's/^\[trace\] [0-9.]+ //' >"$TMP/msgs"
{
  echo "cm4 rpmsg 0x400 -> 0x35, 40 bytes: name service: create 'rpmsg-openamp-demo-channel' at 0x400"
  for v in 0 1 2 3 4 5 6 7 8 9; do
    if [ $((v % 2)) = 0 ]; then
      printf 'cm7 rpmsg 0x401 -> 0x400, 4 bytes "\\x%02x\\x00\\x00\\x00"\n' $v
    else
      printf 'cm4 rpmsg 0x400 -> 0x401, 4 bytes "\\x%02x\\x00\\x00\\x00"\n' $v
    fi
  done
} >"$TMP/want"
for c in cm4 cm7; do
  diff <(grep "^$c " "$TMP/want") <(grep "^$c " "$TMP/msgs") || fail "$c: decoded messages differ (want < > got)"
done
[ "$(wc -l <"$TMP/msgs")" = 11 ] || { cat "$TMP/msgs" >&2; fail "expected 11 decoded messages"; }
grep -qE "^\[cm7\] (\[[0-9.]+\] )?rpmsg_pingpong: 10 messages, last value 9$" "$out" || fail "firmware verdict"
python3 - "$TMP/t.json" <<'PY' || fail "JSON trace"
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
procs = {e["pid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
msgs = [e for e in ev if e.get("cat") == "rpmsg" and e["ph"] == "i" and "src" in e.get("args", {})]
assert len(msgs) == 11, len(msgs)
assert all(procs[e["pid"]] == "RPMsg" for e in msgs)
ns = msgs[0]["args"]
assert (ns["from"], ns["to"], ns["dst"], ns["len"]) == ("cm4", "cm7", "0x35", 40), ns
assert "rpmsg-openamp-demo-channel" in ns["data"], ns
PY
python3 "$(dirname "$0")/trace_json_check.py" "$TMP/t.json" complete || fail "trace format"
pass "rpmsg decoded: 1 name service announcement + 10 messages, in order, by sender"
