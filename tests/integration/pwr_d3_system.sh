#!/usr/bin/env bash
# ST's PWR_Domain3SystemControl, NUCLEO-H745ZI-Q, LOW_POWER_BOARD build
# (firmware/demos/pwr_d3_system_cm7.c + _cm4.c): the host plays ST's second board and
# sends 5 chunks of 4 bytes to LPUART1 while both CPUs are in Stop.  What RM0399 makes
# of it, checked here:
#   - the readme's LEDs: LED1 and LED2 on at start; LED2 off after the CM4's
#     HAL_Delay(3000), LED1 off after the CM7's HAL_Delay(5000): exactly 3001 / 5001
#     SysTick ticks (HAL_GetTick, as the demos print it), i.e. 3000-3001 / 5000-5001 ms
#     of virtual time (LED2's on/off times; the CM7's console lines less the frames of
#     the second one); LED3 (error) never;
#   - per round, with both CPUs in CStop: exactly 5 D3 runs (each chunk: LPUART1's RX
#     FIFO threshold wake-up pends a D3 wake-up in EXTI, D3PMR2.MR34; the BDMA moves 4
#     bytes, DMAMUX2 channel 7's event clears the request and D3 stops again), then the
#     BDMA's transfer complete (EXTI line 73) restarts the CM7 and only it, at the end
#     of the 5th run.  In virtual time: a host byte enters LPUART1 at the first quantum
#     boundary after the previous frame (86.8 us at 115200 8N1) has left the line, so
#     with 100 us quanta one byte a quantum and a D3 run every 4 bytes: exactly 400 us
#     apart, each 0.252 us long (4 BDMA items and the channel event);
#   - the CM7 got the 20 bytes in SRAM4 with SYSCLK = HSI and STOPF = 1 (the system was
#     in Stop in between) and sent them back on LPUART1, two rounds in a row; the CM4
#     never wakes after its Stop;
#   - --strict: no unimplemented register, no guest error.
# Mode "noam" (pwr_d3_system_noam_cm7.elf: RCC_D3AMR.BDMAAMEN left clear): the BDMA's
# clock stops with the CM7 (RM0399 RCC_D3AMR), so the first chunk wakes D3 but nothing
# moves: D3 stays in Run, the CM7 is never woken.
# --deterministic: the times above are virtual, the same on every run.
. "$(dirname "$0")/lib.sh"

MODE=${1:-example}
CM7=pwr_d3_system_cm7.elf
TRACE=power
ARGS=(--expect '^\[cm7\] pwr_d3_system: round 2: BDMA moved' --timeout 120)
if [ "$MODE" = noam ]; then
  CM7=pwr_d3_system_noam_cm7.elf
  TRACE=power,clock
  ARGS=(--expect-not 'BDMA moved' --timeout 240)
fi

mkfifo "$TMP/in"
trap '' PIPE
"$AMPVP" run --board nucleo-h745zi-q --deterministic --quantum 100us --strict -v --timestamps --cm7 "$FW/$CM7" --cm4 "$FW/pwr_d3_system_cm4.elf" \
  --serial LPUART1=stdin --trace "$TRACE" "${ARGS[@]}" <"$TMP/in" >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
exec 3>"$TMP/in"

# round N DATA: once both CPUs are in CStop (the CM4 since its second Stop, the CM7
# for round N: the system is in Stop), the second board's 20 bytes.
count() { grep -c "$1" "$TMP/out" || true; }
round() {
  wait_for "$TMP/out" "^\\[cm7\\] .*round $1: CM7 enters Stop" 90 || { cat "$TMP/out" "$TMP/err"; fail "round $1 never started"; }
  local i
  for ((i = 0; i < 600; i++)); do
    [ "$(count 'cm7 power CStop')" -ge "$1" ] && [ "$(count 'cm4 power CStop')" -ge 2 ] && break
    sleep 0.1
  done
  sleep 0.5
  printf '%s' "$2" >&3
}

round 1 0123456789ABCDEFGHIJ
if [ "$MODE" = noam ]; then
  # Long enough for 20 frames and whatever D3 would do with them; then Ctrl-C (130).
  wait_for "$TMP/out" 'D3 leaves DStop' 30
  sleep 2
  kill -INT $RUN_PID
  expect_rc=130
else
  round 2 KLMNOPQRSTUVWXYZabcd
  expect_rc=0
fi
wait $RUN_PID; rc=$?
exec 3>&-
cat "$TMP/out"
[ $rc = $expect_rc ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected $expect_rc"; }
grep -qE 'unimplemented|guest error' "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled or forbidden accesses"; }

# The trace lines as "<time us> <what>", in order.
awk '/^\[trace\]/ { t = $2; $1 = ""; $2 = ""; sub(/^  /, ""); print t, $0 }' "$TMP/out" >"$TMP/trace"

if [ "$MODE" = noam ]; then
  grep -q 'BDMA clock clock stopped: no transfer' "$TMP/trace" || fail "the BDMA's clock did not stop with the CM7"
  [ "$(grep -c 'D3 leaves DStop' "$TMP/trace")" = 1 ] || fail "expected one D3 run, the first chunk's"
  awk '/D3 leaves DStop/ { d3 = 1 } d3 && /system Stop/ { bad = 1 } END { exit bad }' "$TMP/trace" ||
    fail "D3 stopped again although nothing cleared its pending request"
  awk '/cm7 power CStop/ { s = 1 } s && /cm7 power clock restarted/ { bad = 1 } END { exit bad }' "$TMP/trace" ||
    fail "the CM7 woke up"
  assert_clean $RUN_PID
  pass "without BDMAAMEN the BDMA stops with the CM7: D3 runs on, nothing moves, the CM7 sleeps"
  exit 0
fi

for r in 1 2; do
  data=0123456789ABCDEFGHIJ
  [ $r = 2 ] && data=KLMNOPQRSTUVWXYZabcd
  grep -qE "^\[cm7\] \[[0-9.]+\] pwr_d3_system: round $r: BDMA moved 20 bytes '$data' while the CM7 was stopped \(SYSCLK=HSI, STOPF=1\), sent back on LPUART1$" "$TMP/out" ||
    fail "round $r: not the 20 bytes, or not after a system Stop"
done
grep -qE '^\[cm7:LPUART1\] \[[0-9.]+\] 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd$' "$TMP/out" ||
  fail "the data did not come back on LPUART1"
grep -q 'LED3 on' "$TMP/out" && fail "LED3 (error) lit"

# LEDs: HAL_Delay in SysTick ticks (HAL waits one tick more than asked), and in virtual
# time within that tick: LED2 from on to off; the CM7 from its "ready" line's end (the
# delay starts as uart_puts returns) to its "took" line's end, less that line's frames.
grep -q '^\[cm4\] .*CM4 enters Stop (LED2 was on for 3001 ticks)$' "$TMP/out" || fail "the CM4's HAL_Delay(3000) was not 3001 ticks"
took='pwr_d3_system: CM7 HAL_Delay(5000) took 5001 ticks'
grep -q "^\[cm7\] .*$took\$" "$TMP/out" || fail "the CM7's HAL_Delay(5000) was not 5001 ticks"
led_ms() { sed -n "s/^\[board\] $1 (at \([0-9.]*\) ms)$/\1/p" "$TMP/out" | head -1; }
line_us() { grep -m1 "$1" "$TMP/out" | sed -n 's/^\[[a-z0-9:]*\] \[\([0-9.]*\)\].*/\1/p'; }
ready_us=$(line_us 'CM7 ready at 400 MHz') took_us=$(line_us "$took")
led2_on=$(led_ms 'LED2 on') led2_off=$(led_ms 'LED2 off')
[ -n "$led2_on" ] && [ -n "$led2_off" ] && [ -n "$ready_us" ] && [ -n "$took_us" ] || fail "LED or console times missing"
awk -v on="$led2_on" -v off="$led2_off" 'BEGIN { d = off - on; exit !(d >= 3000 && d <= 3001) }' ||
  fail "LED2 lit for $(awk -v a="$led2_on" -v b="$led2_off" 'BEGIN { print b - a }') ms, not HAL_Delay(3000)'s 3000-3001"
delay_ms=$(awk -v r="$ready_us" -v t="$took_us" -v n=$((${#took} + 1)) 'BEGIN { printf "%.3f", (t - r - n * 1e7 / 115200) / 1000 }')
awk -v d="$delay_ms" 'BEGIN { exit !(d >= 5000 && d <= 5001) }' || fail "the CM7's HAL_Delay(5000) took $delay_ms ms of virtual time, not 5000-5001"

# Per round: 5 D3 runs between the CM7's CStop and its restart, 400 us apart, each ended
# by a system Stop 0.252 us later; the CM7 restarts as the 5th ends.
awk '
  /cm7 power CStop/ { round++; in_stop = 1; runs = 0; open = 0; next }
  in_stop && /D3 leaves DStop/ { if (open) { print "round " round ": D3 ran twice without stopping"; bad = 1 }
                                 if (runs && $1 - start != 400) { print "round " round ": D3 run " runs + 1 " " $1 - start " us after the last, not 400"; bad = 1 }
                                 runs++; open = 1; start = $1; next }
  in_stop && /system Stop \(D3 in DStop\)/ {
    open = 0; end = $1
    if (sprintf("%.3f", end - start) != "0.252") { print "round " round ": D3 run " runs " lasted " end - start " us, not 0.252"; bad = 1 }
    next
  }
  in_stop && /cm7 power clock restarted/ {
    in_stop = 0
    if (runs != 5) { print "round " round ": " runs " D3 runs, expected 5"; bad = 1 }
    if ($1 != end) { print "round " round ": the CM7 restarted at " $1 ", not as the 5th run ended (" end ")"; bad = 1 }
  }
  /cm4 power CStop/ { cm4_stops++ }
  /cm4 power clock restarted/ && cm4_stops >= 2 { print "the CM4 woke up from its Stop"; bad = 1 }
  END { if (round != 2) { print round " CM7 Stops, expected 2"; bad = 1 } exit bad }
' "$TMP/trace" || fail "the D3 domain did not run on its own as RM0399 says"
assert_clean $RUN_PID
pass "PWR_Domain3SystemControl: D3 alone moved 2 x 5 chunks to SRAM4 while both CPUs slept; the CM7 woke once per 20 bytes"
