#!/usr/bin/env bash
# ampvp run --web: the board page in a real headless browser (Debian's chromium with
# chromium-driver, driven over WebDriver's HTTP protocol by web_board.py): LED state
# appears, a click on B1 reaches the firmware (button_exti on the NUCLEO-H745ZI-Q: its
# console lines), a screenshot is taken. web_board.sh [SCREENSHOT.png]
source "$(dirname "$0")/lib.sh"
shot=${1:-$TMP/board.png}
command -v chromedriver >/dev/null && [ -x /usr/bin/chromium ] || fail "chromium and chromium-driver are needed (scripts/setup)"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WEB=$(port) CD=$(port)
run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --cm7 "$FW/button_exti_cm7.elf" \
  --cm4 "$FW/button_exti_cm4.elf" --web "$WEB" --timeout 60 --expect 'CM7: B1 press 1' --expect 'CM4: B1 press 1'
wait_for "$TMP/err" "board page on http://127.0.0.1:$WEB/" 20 || { cat "$TMP/err" >&2; fail "no board page line"; }
chromedriver --port="$CD" >"$TMP/cd.log" 2>&1 &
CD_PID=$!
trap 'kill $CD_PID 2>/dev/null; kill $RUN_PID 2>/dev/null; if [ "$BASHPID" = "$TMP_OWNER" ]; then rm -rf "$TMP"; fi' EXIT
wait_for "$TMP/cd.log" "started successfully|was started successfully" 20 || { cat "$TMP/cd.log" >&2; fail "chromedriver did not start"; }
python3 "$(dirname "$0")/web_board.py" "http://127.0.0.1:$WEB/" "http://127.0.0.1:$CD" "$shot" \
  || { cat "$TMP/out" "$TMP/err" >&2; fail "browser check"; }
wait $RUN_PID
rc=$?
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "ampvp exit $rc"; }
grep -q '^\[board\] B1 pressed (web page)$' "$TMP/out" || fail "no '[board] B1 pressed (web page)' line"
# A port in use: one error line, exit status 1, nothing started.
BUSY=$(port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(8)' "$BUSY" &
LPID=$!
sleep 0.5
"$AMPVP" run --machine $MACHINE --cm7 "$FW/hello_cm7.elf" --web "$BUSY" --timeout 5 >/dev/null 2>"$TMP/err4"
rc=$?
kill $LPID 2>/dev/null
[ $rc = 1 ] || fail "busy port: exit $rc, expected 1"
assert_one_error_line "$TMP/err4" "ampvp: error: --web: cannot listen on 127.0.0.1:$BUSY"
pass "web board page: LED shown, click reached the firmware, screenshot $shot"
