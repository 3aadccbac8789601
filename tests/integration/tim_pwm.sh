#!/usr/bin/env bash
# TIM capture/compare on the NUCLEO-H745ZI-Q (firmware/demos/tim_pwm_cm7.c), under
# --strict: ST's TIM_PWMOutput (TIM1 CH1-CH4 PWM at 20 kHz on PE9/PE11/PE13/PE14, duty
# 50/37.5/25/12.5 %) seen as pin waveforms (--trace gpio), a PWM on LED1 (TIM3 CH3 on
# PB0) seen as '[board] LED1 pwm 50% 1 kHz' once per change instead of an on/off line
# per edge, and TIM2 CH1 input capture of edges the host drives on PA0 every 100 ms.
# Timing as ratios: the LED's 200 ms steps (board line times) and the captured periods
# (timer ticks of the hub's clock) against what was programmed / driven.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --board nucleo-h745zi-q \
  --cm7 "$FW/tim_pwm_cm7.elf" -v --trace gpio --timeout 60 \
  --gpio PA0=1@150ms --gpio PA0=0@200ms --gpio PA0=1@250ms --gpio PA0=0@300ms \
  --gpio PA0=1@350ms --gpio PA0=0@400ms \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
grep -v '^\[trace\]' "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the timer path"; }

# TIM_PWMOutput's four channels, each one waveform line on its pin.
for pd in 'PE9 = pwm 50% 20 kHz' 'PE11 = pwm 37.5% 20 kHz' 'PE13 = pwm 25% 20 kHz' 'PE14 = pwm 12.5% 20 kHz'; do
  grep -q "gpio $pd (AF1)\$" "$TMP/out" || fail "no trace line '$pd (AF1)'"
  [ "$(grep -c "gpio $pd (AF1)\$" "$TMP/out")" -le 2 ] || fail "'$pd' traced more than twice: not one line per change"
done

# LED1: one line per change, in order.
mapfile -t led < <(grep -E '^\[board\] LED1 ' "$TMP/out" | sed -E 's/ \(at [0-9.]+ ms\)$//')
want=('[board] LED1 on' '[board] LED1 pwm 50% 1 kHz' '[board] LED1 pwm 25% 1 kHz' '[board] LED1 off')
[ "${led[*]}" = "${want[*]}" ] || fail "LED1 lines: ${led[*]} (expected: ${want[*]})"
at() { grep -E "^\[board\] LED1 $1 \(at " "$TMP/out" | sed -E 's/.*\(at ([0-9.]+) ms\)$/\1/'; }
t50=$(at 'pwm 50% 1 kHz'); t25=$(at 'pwm 25% 1 kHz'); toff=$(at off)
ratio_ok() { awk -v d="$1" -v want="$2" 'BEGIN { r = d / want; exit !(r > 0.8 && r < 1.6) }'; }
d1=$(awk -v a="$t50" -v b="$t25" 'BEGIN { print b - a }')
d2=$(awk -v a="$t25" -v b="$toff" 'BEGIN { print b - a }')
ratio_ok "$d1" 200 || fail "LED1 50% -> 25% after $d1 ms, programmed 200 ms (+ up to one 1 ms period)"
ratio_ok "$d2" 200 || fail "LED1 25% -> off after $d2 ms, programmed 200 ms"

# Input capture: the host's rising edges 100 ms apart, in 1 MHz ticks.
line=$(grep -E '^\[cm7\] tim_ic: rising edges [0-9]+ us and [0-9]+ us apart$' "$TMP/out") ||
  fail "no input capture result: $(grep tim_ic "$TMP/out")"
read -r a b < <(sed -E 's/.*edges ([0-9]+) us and ([0-9]+) us apart/\1 \2/' <<<"$line")
ratio_ok "$a" 100000 || fail "captured period $a us, edges were driven 100 ms apart"
ratio_ok "$b" 100000 || fail "captured period $b us, edges were driven 100 ms apart"
echo "information: LED1 steps $d1 ms and $d2 ms (programmed 200), captured periods $a us and $b us (driven 100000)"
assert_clean $RUN_PID
pass "TIM1 PWM x4 on pins, LED1 PWM lines, TIM2 input capture"
