#!/usr/bin/env bash
# --board nucleo-h745zi-q: the machine comes from the board, and every change
# of an LED's pin prints "[board] LEDn on/off" (active-high LEDs).
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q \
  --cm7 "$FW/blink_cm7.elf" --cm4 "$FW/blink_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
[ "$(grep -c '^\[board\] LED1 on$' "$TMP/out")" = 3 ] || fail "LED1 should go on 3 times"
[ "$(grep -c '^\[board\] LED1 off$' "$TMP/out")" = 3 ] || fail "LED1 should go off 3 times"
[ "$(grep -c '^\[board\] LED2 on$' "$TMP/out")" = 3 ] || fail "LED2 should go on 3 times"
[ "$(grep -c '^\[board\] LED2 off$' "$TMP/out")" = 3 ] || fail "LED2 should go off 3 times"
grep -q '^\[cm7\] CM7: LED1 set (IDR=1)$' "$TMP/out" || fail "IDR does not read the output level"
grep -q 'LED3' "$TMP/out" && fail "LED3 changed although nobody drove PB14"
# LED1's lines come in order on, off, on, off ...
seq=$(grep -oE '^\[board\] LED1 (on|off)$' "$TMP/out" | awk '{print $3}' | tr '\n' ' ')
[ "$seq" = "on off on off on off " ] || fail "LED1 sequence: $seq"
# Verbose runs stamp LED lines with the time since the start; --trace gpio
# shows each pin change with the core that made it.
run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q -v --trace gpio \
  --cm7 "$FW/blink_cm7.elf" --cm4 "$FW/blink_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "verbose run: exit code $rc"; }
grep -qE '^\[board\] LED1 on \(at [0-9]+\.[0-9]{3} ms\)$' "$TMP/out" || fail "no time on LED lines in verbose mode"
grep -qE '^\[trace\] [0-9.]+ cm7 gpio PB0 = 1 \(output\)$' "$TMP/out" || fail "no gpio trace for PB0 by cm7"
grep -qE '^\[trace\] [0-9.]+ cm4 gpio PE1 = 1 \(output\)$' "$TMP/out" || fail "no gpio trace for PE1 by cm4"
# A board on another machine is refused with one line.
"$AMPVP" run --board nucleo-h745zi-q --machine "$TMP/x.json" --cm7 "$FW/blink_cm7.elf" 2>"$TMP/err2"; rc=$?
[ $rc = 1 ] && grep -q "carries a stm32h745" "$TMP/err2" || fail "mismatched --machine: exit $rc"
"$AMPVP" run --board nosuch --cm7 "$FW/blink_cm7.elf" 2>"$TMP/err3"; rc=$?
[ $rc = 1 ] && grep -q "unknown board 'nosuch' (known: nucleo-h745zi-q, stm32h745i-disco, stm32h747i-disco, stm32mp157c-dk2)" "$TMP/err3" || fail "unknown board: exit $rc"
assert_clean $RUN_PID
pass "board LEDs: $(grep -c '^\[board\]' "$TMP/out") LED changes"
