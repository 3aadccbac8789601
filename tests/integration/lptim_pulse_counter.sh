#!/usr/bin/env bash
# ST's LPTIM_PulseCounter (firmware/demos/lptim_pulse_counter_cm7.c, CM4 parked in D2
# Stop), under --strict and --deterministic (exact virtual time): LPTIM1 counts the
# rising edges on PD12 (LPTIM1_IN1, AF1; CFGR.COUNTMODE = 1, sampled by the LSI) while
# the CM7 waits in Stop; its ARR match (ARR = 1000) wakes the CM7 through EXTI line 47
# and the interrupt toggles LED1.  The readme asks for a square wave on PD12: the host
# drives one with --gpio steps, 5 kHz from 20 ms on (rising edge j at 20 + 0.2 j ms).
# Asserted: the ARR matches come exactly at the 1000th and the 2001st rising edge (ARRM
# when CNT reaches ARR, then every ARR + 1 edges: the readme's "(1000 + 1) rising
# edges"), at those edges' virtual time to the microsecond; the CM7's clock restarts at
# the first one; LED1 toggles within one 100 us quantum after each (the interrupt is
# taken at the next quantum boundary).  Second run: the STM32H747I-DISCO variant (LED1
# on PI12, active low) on the stm32h747 machine.
. "$(dirname "$0")/lib.sh"

# A square wave on PD12 with n rising edges (idle high: the pin has its pull-up).
square() {
  awk -v n="$1" 'BEGIN { for (j = 1; j <= n; j++)
    printf " --gpio PD12=0@%.1fms --gpio PD12=1@%.1fms", 19.9 + 0.2 * j, 20 + 0.2 * j }'
}
edge_us() { awk -v j="$1" 'BEGIN { printf "%.1f", 20000 + 200 * j }'; }

# example BOARD CM7_IMAGE EXPECT RISING_EDGES: one deterministic, strict run, which must
# end well and touch nothing unmodelled.
example() {
  local board=$1 image=$2 expect=$3 edges=$4
  # shellcheck disable=SC2046 # the stimuli are separate words
  run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --board "$board" --deterministic -v \
    --trace tim,power --timeout 120 \
    --cm7 "$FW/$image" --cm4 "$FW/lptim_pulse_counter_cm4.elf" --expect "$expect" $(square "$edges")
  wait $RUN_PID; rc=$?
  grep -v '^\[board\] PD12 = ' "$TMP/out"
  [ $rc = 0 ] || { cat "$TMP/err" >&2; fail "$board: exit code $rc, expected 0"; }
  grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
    { cat "$TMP/err" >&2; fail "$board: unmodelled or erroneous accesses on the example's path"; }
  assert_clean $RUN_PID
}

example nucleo-h745zi-q lptim_pulse_counter_cm7.elf '^\[cm7\] CM7 done$' 2005
[ "$(grep -c '^\[board\] PD12 = 1$' "$TMP/out")" = 2005 ] || fail "not every rising edge was driven"

# The count: rising edges driven before each ARR match.
mapfile -t at_edge < <(awk '/^\[board\] PD12 = 1$/ { n++ } / LPTIM1 tim ARR match$/ { print n }' "$TMP/out")
[ "${at_edge[*]}" = "1000 2001" ] ||
  fail "ARR matches after rising edges ${at_edge[*]:-none} (expected 1000 and 2001)"

# The time: each match at its edge's virtual time (us), and what follows it.
mapfile -t t_match < <(awk '/ LPTIM1 tim ARR match$/ { print $2 }' "$TMP/out")
mapfile -t t_led < <(sed -nE 's/^\[board\] LED1 (on|off) \(at ([0-9.]+) ms\)$/\2/p' "$TMP/out")
[ "${#t_led[@]}" = 2 ] || fail "LED1 changed ${#t_led[@]} times, expected 2 (one toggle per match)"
for i in 0 1; do
  want=$(edge_us "${at_edge[$i]}")
  awk -v t="${t_match[$i]}" -v w="$want" 'BEGIN { d = t - w; exit !(d >= 0 && d <= 1) }' ||
    fail "ARR match $((i + 1)) at ${t_match[$i]} us, its edge at $want us"
  awk -v l="${t_led[$i]}" -v t="${t_match[$i]}" 'BEGIN { d = l * 1000 - t; exit !(d > 0 && d <= 200) }' ||
    fail "LED1 toggled at ${t_led[$i]} ms, the match was at ${t_match[$i]} us: not within 200 us"
  echo "match $((i + 1)): rising edge ${at_edge[$i]} at $want us, ARRM at ${t_match[$i]} us, LED1 at ${t_led[$i]} ms"
done
grep -q '^\[trace\] [0-9.]* cm7 power CStop' "$TMP/out" || fail "the CM7 did not stop its clock (Stop)"
t_wake=$(awk '/ cm7 power clock restarted/ { print $2; exit }' "$TMP/out")
[ "$t_wake" = "${t_match[0]}" ] || fail "the CM7 restarted at ${t_wake:-never} us, the first match was at ${t_match[0]} us"
mapfile -t said < <(grep -oE 'lptim_pulse: (ARR match [0-9]+|CM7 (in|left) Stop)$|CM7 done$' "$TMP/out")
want=('lptim_pulse: CM7 in Stop' 'lptim_pulse: ARR match 1' 'lptim_pulse: CM7 left Stop' 'lptim_pulse: ARR match 2' 'CM7 done')
[ "${said[*]}" = "${want[*]}" ] || fail "console: ${said[*]} (expected: ${want[*]})"

# STM32H747I-DISCO: the same counting on the H747, LED1 on PI12 (active low).
example stm32h747i-disco lptim_pulse_counter_h747disco_cm7.elf '^\[cm7:USART3\] lptim_pulse: CM7 left Stop$' 1001
n=$(awk '/^\[board\] PD12 = 1$/ { n++ } / LPTIM1 tim ARR match$/ { print n; exit }' "$TMP/out")
[ "$n" = 1000 ] || fail "H747I-DISCO: ARR match after ${n:-no} rising edges, expected 1000"
grep -qE '^\[board\] LED1 on \(at 220\.[0-9]+ ms\)$' "$TMP/out" || fail "H747I-DISCO: LED1 (PI12) not on after the match"
pass "LPTIM1 counted PD12's rising edges: ARR match at edges 1000 and 2001 at their virtual time, CM7 woken from Stop, LED1 toggled within 200 us; H747I-DISCO too"
