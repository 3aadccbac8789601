#!/usr/bin/env bash
# The STM32MP15 M4 under the hub's remoteproc master (machine stm32mp157, the
# Linux role), with our TTY echo firmware (firmware/demos/mp15_tty_echo.c):
#   rpmsg_tty.sh        the firmware announces two rpmsg-tty endpoints; each gets a
#                       pty (its path printed); lines written into each pty come back
#                       in order; the firmware's trace buffer shows as [m4-log]
#                       lines; when the last expected line is seen the master asks
#                       for shutdown on IPCC channel 3, waits its bound (ST's
#                       firmware never acknowledges) and ampvp exits 0, leaving
#                       nothing behind.
#   rpmsg_tty.sh det    the same with --deterministic --record; a --replay without any
#                       pty writer prints the same lines (pty input at boundaries).
#   rpmsg_tty.sh notable    an M4 image without .resource_table starts without
#                       RPMsg, with one line saying so (Linux boots it too).
#   rpmsg_tty.sh badtable   a resource table of version 2: one error line naming
#                       the file and the reason, exit 1, the M4 never released.
. "$(dirname "$0")/lib.sh"

ELF="$FW/mp15_tty_echo.elf"
case "${1:-}" in
notable)
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine stm32mp157 --m4 "$FW/ipcc_simplex_m4.elf" \
    --timeout 30 --expect 'has no \.resource_table'
  wait $RUN_PID; rc=$?
  [ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
  grep -qE '^\[rpmsg\] .*ipcc_simplex_m4.elf has no \.resource_table: m4 started without RPMsg' "$TMP/out" ||
    { cat "$TMP/out"; fail "no line about the missing resource table"; }
  grep -q "leaves reset" "$TMP/err" || true
  assert_clean $RUN_PID
  pass "a firmware without resource table starts without RPMsg, said in one line"
  exit 0 ;;
badtable)
  OBJCOPY=arm-none-eabi-objcopy
  "$OBJCOPY" -O binary --only-section=.resource_table "$ELF" "$TMP/rt.bin" || fail "cannot extract the table"
  printf '\x02' | dd of="$TMP/rt.bin" bs=1 count=1 conv=notrunc status=none # ver = 2
  "$OBJCOPY" --update-section .resource_table="$TMP/rt.bin" "$ELF" "$TMP/bad.elf" || fail "cannot patch"
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine stm32mp157 --m4 "$TMP/bad.elf" --timeout 30 --trace power
  wait $RUN_PID; rc=$?
  [ $rc = 1 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 1"; }
  assert_one_error_line "$TMP/err" "m4: .*bad\.elf: \.resource_table: unsupported resource table version 2"
  grep -q "reset released" "$TMP/out" && fail "the M4 was released despite the bad table"
  assert_clean $RUN_PID
  pass "a resource table of version 2 is refused in one line, the M4 stays in reset"
  exit 0 ;;
esac

# The last line is 77 bytes long and goes to the second endpoint: the firmware
# logs "0x401 echoed 77 bytes" only after every earlier echo.
# "det": the same with --deterministic --record, then a --replay with nothing
# written into the ptys must print the same (what the host wrote entered at
# quantum boundaries and was recorded as rpmsg:rpmsg-tty.0x40N).
DET=()
[ "${1:-}" = det ] && DET=(--deterministic --record "$TMP/rec")
run_ampvp_bg "$TMP/out" "$TMP/err" run --board stm32mp157c-dk2 --m4 "$ELF" --timeout 60 --trace ipcc \
  --expect '^\[m4-log\] .*0x401 echoed 77 bytes' "${DET[@]}"
wait_for "$TMP/out" 'rpmsg-tty 0x401 <-> host 0x[0-9a-f]+: /dev/pts/' 30 ||
  { kill $RUN_PID; cat "$TMP/out" "$TMP/err"; fail "no second rpmsg-tty endpoint"; }
msgs=()
for i in 0 1 2 3 4; do
  for k in 0 1; do msgs+=("0x40$k=line $i to tty $k\n"); done
done
msgs+=("0x400=$(printf 'x%.0s' $(seq 300))\n")   # one message, 301 bytes
msgs+=("0x401=$(printf '%-76s' 'last line')\n")   # 77 bytes: ends the run
python3 "$(dirname "$0")/rpmsg_pty.py" "$TMP/out" "${msgs[@]}" || { kill $RUN_PID 2>/dev/null; fail "pty echo"; }
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE "^\[rpmsg\] (\[[0-9.]+\] )?name service: 'rpmsg-tty' at 0x400$" "$TMP/out" || fail "no name-service line for 0x400"
grep -qE "^\[rpmsg\] (\[[0-9.]+\] )?name service: 'rpmsg-tty' at 0x401$" "$TMP/out" || fail "no name-service line for 0x401"
grep -qE '^\[m4-log\] .*cm4 started' "$TMP/out" || fail "no [m4-log] line from the trace buffer"
grep -qE 'mpu ipcc shutdown request on channel 3' "$TMP/out" || fail "no shutdown request at the end"
grep -q "guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "guest errors"; }
assert_clean $RUN_PID
if [ "${1:-}" = det ]; then
  grep -qE '^[0-9]+ rpmsg:rpmsg-tty\.0x401 ' "$TMP/rec" || { cat "$TMP/rec"; fail "nothing recorded for the pty"; }
  run_ampvp_bg "$TMP/out2" "$TMP/err2" run --board stm32mp157c-dk2 --m4 "$ELF" --timeout 60 --trace ipcc \
    --expect '^\[m4-log\] .*0x401 echoed 77 bytes' --deterministic --replay "$TMP/rec"
  wait $RUN_PID; rc=$?
  [ $rc = 0 ] || { cat "$TMP/out2" "$TMP/err2" >&2; fail "replay: exit code $rc, expected 0"; }
  # The ptys get new numbers each run.
  sed -E 's#/dev/pts/[0-9]+#/dev/pts/N#' "$TMP/out" >"$TMP/a"
  sed -E 's#/dev/pts/[0-9]+#/dev/pts/N#' "$TMP/out2" >"$TMP/b"
  cmp -s "$TMP/a" "$TMP/b" || { diff "$TMP/a" "$TMP/b" | head -20; fail "the replay differs from the recorded run"; }
  assert_clean $RUN_PID
  # A recording naming an endpoint this run never opens: one error line, exit 1.
  sed -E 's/ rpmsg:rpmsg-tty\.0x401 / rpmsg:rpmsg-tty.0x409 /' "$TMP/rec" >"$TMP/rec2"
  run_ampvp_bg "$TMP/out3" "$TMP/err3" run --board stm32mp157c-dk2 --m4 "$ELF" --timeout 60 \
    --expect '^\[m4-log\] .*0x401 echoed 77 bytes' --deterministic --replay "$TMP/rec2"
  wait $RUN_PID; rc=$?
  [ $rc = 1 ] || { cat "$TMP/out3" "$TMP/err3" >&2; fail "replay of a foreign input: exit code $rc, expected 1"; }
  assert_one_error_line "$TMP/err3" "--replay: input 'rpmsg:rpmsg-tty\.0x409' at round [0-9]+ does not exist in this run"
  assert_clean $RUN_PID
  pass "deterministic: RPMsg pty input recorded at quantum boundaries; the replay printed the same $(wc -l <"$TMP/a") lines; a foreign input is refused"
  exit 0
fi
pass "two rpmsg-tty ptys echo in order, [m4-log] lines, shutdown requested, exit 0"
