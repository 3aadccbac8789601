#!/usr/bin/env bash
# ST's UART_WakeUpFromStopUsingFIFO (firmware/demos/uart_wakeup_stop_cm7.c): the CM7 enters
# Stop (SLEEPDEEP + WFI, CStop: its clock stops) and only USART3's usart_wkup, through EXTI
# direct line 28, restarts it.  The host's bytes are sent one at a time with --serial stdin
# once the demo says it enters Stop, and --trace power shows when the clock restarts:
#   part 1 (UESM, RXFTIE, WUFIE; HAL_UART_Receive_IT(3) adds RXFNEIE since 3 < 4): the CM7
#     sleeps in CStop until the 1st byte (RXFIFO not empty with RXFNEIE), prints after the 3rd;
#   part 2 (UESM, RXFFIE, WUFIE; HAL_UART_Receive_IT(15) adds RXFTIE since 15 >= 4): it
#     sleeps until the RXFIFO holds 4 data, i.e. the 3rd byte with the 4th byte of part 1
#     still in it, not before; it prints after 15 are read.
# No guest error; the only "unimplemented" line is the WUS = 00 address-match wake-up event.
# USART3's wake-up pulses of part 1 (bytes 2 and 3, read while the CM7 is awake) must not
# restart it in part 2: RM0399's direct-line wake-up is a level with no pending bit.
. "$(dirname "$0")/lib.sh"

mkfifo "$TMP/in"
trap '' PIPE # ampvp may exit (all lines seen) before the last bytes are written
"$AMPVP" run --machine "$MACHINE" --cm7 "$FW/uart_wakeup_stop_cm7.elf" --cm4 "$FW/idle_cm4.elf" \
  --serial stdin --trace power --timeout 120 \
  --expect '^\[cm7\] uart_wakeup: example finished successfully$' \
  --expect '^\[cm7\] CM7 done$' <"$TMP/in" >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
exec 3>"$TMP/in"

restarts() { grep -c 'cm7 power clock restarted' "$TMP/out" || true; }
stops() { grep -c 'cm7 power CStop' "$TMP/out" || true; }
# send BYTE: one byte to the USART, then let the hub and the CM7 act on it.
send() { printf '%s' "$1" >&3; sleep 0.8; }
# slept_until N WHAT: the CM7 is still stopped (restart count N), or fail.
still_stopped() {
  [ "$(restarts)" = "$1" ] || { cat "$TMP/out"; fail "CM7 woke up early: $2"; }
}
woke() {
  wait_for_count 'cm7 power clock restarted' "$(($1 + 1))" 10 ||
    { cat "$TMP/out"; fail "CM7 did not wake up: $2"; }
}
wait_for_count() {
  local re=$1 n=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    [ "$(grep -c "$re" "$TMP/out" || true)" -ge "$n" ] && return 0
    sleep 0.1
  done
  return 1
}

# ---- part 1 -----------------------------------------------------------------------------
wait_for "$TMP/out" '^\[cm7\] uart_wakeup: part 1: entering Stop' 60 ||
  { cat "$TMP/out" "$TMP/err"; fail "part 1 never started"; }
wait_for_count 'cm7 power CStop' 1 10 || { cat "$TMP/out"; fail "part 1: the CM7 never entered CStop"; }
r=$(restarts)
sleep 1
still_stopped "$r" "part 1, before any byte"
send a
woke "$r" "part 1, after the 1st byte (RXFNE with RXFNEIE)"
send b
send c
wait_for "$TMP/out" "^\\[cm7\\] uart_wakeup: woke up on the RXFIFO threshold, got 'abc'\$" 10 ||
  { cat "$TMP/out"; fail "part 1: no wake-up line after 3 bytes"; }
send d # the readme's 4th byte: stays in the RXFIFO

# ---- part 2 -----------------------------------------------------------------------------
wait_for "$TMP/out" '^\[cm7\] uart_wakeup: part 2: entering Stop' 20 ||
  { cat "$TMP/out"; fail "part 2 never started"; }
wait_for_count 'cm7 power CStop' 2 10 || { cat "$TMP/out"; fail "part 2: the CM7 never entered CStop"; }
sleep 1
r=$(restarts)
still_stopped "$r" "part 2, before any byte"
send e
still_stopped "$r" "part 2, after 1 byte (RXFIFO: 2 data)"
send f
still_stopped "$r" "part 2, after 2 bytes (RXFIFO: 3 data)"
send g
woke "$r" "part 2, after 3 bytes (RXFIFO: 4 data = the 1/4 threshold, RXFTIE)"
# The rest of the readme's 16 bytes: 15 are read (d + e..r), s and t stay in the RXFIFO.
for c in h i j k l m n o p q r s t; do printf '%s' "$c" >&3 2>/dev/null || break; sleep 0.1; done
exec 3>&-
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }

expected=$'[cm7] uart_wakeup: UART WakeUp from stop mode using FIFO
[cm7] uart_wakeup: part 1: entering Stop, send 4 bytes
[cm7] uart_wakeup: woke up on the RXFIFO threshold, got \'abc\'
[cm7] uart_wakeup: part 2: entering Stop, send 16 bytes
[cm7] uart_wakeup: woke up on the RXFIFO full, got \'defghijklmnopqr\'
[cm7] uart_wakeup: example finished successfully
[cm7] CM7 done'
got=$(grep '^\[cm7\]' "$TMP/out")
[ "$got" = "$expected" ] || fail "CM7 lines differ:"$'\n'"$got"
[ "$(stops)" = 2 ] || fail "expected 2 CStop entries of the CM7, got $(stops)"
grep -q "guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "guest errors during the demo"; }
others=$(grep "unimplemented" "$TMP/err" | grep -v 'wake-up on address match' || true)
[ -z "$others" ] || { cat "$TMP/err" >&2; fail "unimplemented registers touched"; }
assert_clean $RUN_PID
pass "uart_wakeup_stop_cm7: USART3 wakes the CM7 from CStop through EXTI line 28"
