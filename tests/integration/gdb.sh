#!/usr/bin/env bash
# Debugging both cores with gdb-multiarch (issue 12): `--gdb PORT --gdb-halt-both`
# opens one GDB stub per core (PORT for the cm7, PORT+1 for the cm4, loopback only),
# each core's debugger can stop it at a breakpoint and read its registers and the
# shared SRAM4, and a halt of one core stops the other (its counter in SRAM4 stands
# still) until the first runs again.  Nothing is left behind.
. "$(dirname "$0")/lib.sh"
command -v gdb-multiarch >/dev/null || fail "gdb-multiarch is not installed (scripts/setup installs it)"

PORT=$((20000 + $$ % 20000))
run_ampvp_bg "$TMP/out" "$TMP/err" run --machine "$MACHINE" \
  --cm7 "$FW/gdb_demo_cm7.elf" --cm4 "$FW/gdb_demo_cm4.elf" \
  --gdb "$PORT" --gdb-halt-both --timeout 120 -v
wait_for "$TMP/err" "cm4: gdb on localhost:$((PORT + 1))" 20 || { kill $RUN_PID; cat "$TMP/err"; fail "no gdb port line"; }
grep -q "cm7: gdb on localhost:$PORT" "$TMP/err" || fail "no cm7 gdb port line"
wait_for "$TMP/out" 'gdb_demo: cm7 counting' 20 || { kill $RUN_PID; fail "the demo did not start"; }

COUNT7='*(unsigned *)0x380000E0'
COUNT4='*(unsigned *)0x380000E4'
cat >"$TMP/cm7.gdb" <<GDB
set pagination off
set confirm off
target remote localhost:$PORT
break core_tick
ignore 1 999
continue
info registers pc
printf "cm7 count %u\n", $COUNT7
# The halt reaches the cm4 through the hub (a message to its QEMU): give it
# a moment before the first reading.
shell sleep 0.3
set \$a = $COUNT4
shell sleep 0.5
set \$b = $COUNT4
printf "cm4 while cm7 halted: %u %u\n", \$a, \$b
delete
set \$stop = $COUNT7 + 300
break core_tick if $COUNT7 > \$stop
continue
printf "cm4 after cm7 ran again: %u\n", $COUNT4
delete
detach
GDB
timeout 60 gdb-multiarch -batch -x "$TMP/cm7.gdb" "$FW/gdb_demo_cm7.elf" >"$TMP/g7" 2>&1 || { cat "$TMP/g7"; kill $RUN_PID; fail "gdb on the cm7 failed"; }
cat "$TMP/g7"
grep -q "Breakpoint 1, .* in core_tick" "$TMP/g7" || { kill $RUN_PID; fail "the cm7 did not stop at core_tick"; }
grep -qE "^pc +0x80[0-9a-f]+ +0x80[0-9a-f]+ <core_tick" "$TMP/g7" || { kill $RUN_PID; fail "no pc in core_tick"; }
grep -qE "^cm7 count [1-9][0-9]*$" "$TMP/g7" || { kill $RUN_PID; fail "the cm7's debugger did not read its counter"; }
read -r a b < <(sed -n 's/^cm4 while cm7 halted: //p' "$TMP/g7")
[ -n "$a" ] && [ "$a" = "$b" ] || { kill $RUN_PID; fail "the cm4 ran on while the cm7 was halted ($a -> $b)"; }
c=$(sed -n 's/^cm4 after cm7 ran again: //p' "$TMP/g7")
[ -n "$c" ] && [ "$c" -gt "$b" ] || { kill $RUN_PID; fail "the cm4 did not run again with the cm7 ($b -> $c)"; }

cat >"$TMP/cm4.gdb" <<GDB
set pagination off
set confirm off
target remote localhost:$((PORT + 1))
break core_tick
continue
info registers pc sp
printf "cm4 count %u, cm7 count %u\n", $COUNT4, $COUNT7
delete
detach
GDB
timeout 60 gdb-multiarch -batch -x "$TMP/cm4.gdb" "$FW/gdb_demo_cm4.elf" >"$TMP/g4" 2>&1 || { cat "$TMP/g4"; kill $RUN_PID; fail "gdb on the cm4 failed"; }
cat "$TMP/g4"
grep -q "Breakpoint 1, .* in core_tick" "$TMP/g4" || { kill $RUN_PID; fail "the cm4 did not stop at core_tick"; }
grep -qE "^sp +0x1" "$TMP/g4" || { kill $RUN_PID; fail "no cm4 stack pointer (SRAM)"; }
grep -qE "^cm4 count [1-9][0-9]*, cm7 count [1-9][0-9]*$" "$TMP/g4" || { kill $RUN_PID; fail "the cm4's debugger did not read both counters"; }

kill -INT $RUN_PID
wait $RUN_PID; rc=$?
[ $rc = 130 ] || { cat "$TMP/err"; fail "exit code $rc after SIGINT, expected 130"; }
assert_clean $RUN_PID
pass "GDB on both cores: breakpoints, registers, SRAM4 from each, cross-halt"
