#!/usr/bin/env bash
# ST's HRTIM_MultiplePWM on the NUCLEO-H745ZI-Q (firmware/demos/hrtim_pwm_cm7.c with
# st_boot_cm4.elf, the CM4 side of ST's dual-core examples), under --strict: every
# register the example and the HAL touch is modelled (no "unimplemented", "not
# modelled", "reserved bits" or "guest error" line).
# Asserted:
#  - the five HRTIM outputs TA1..TE1 as waveforms on their pins PC6, PC8 (AF1), PA9,
#    PA11, PG6 (AF2): 2 MHz (HRTIM clock 200 MHz = the APB2 timers' clock, period 100)
#    with 15/25/40/60/80 % duty, one trace line per change (not per edge);
#  - after RCC_CFGR.HRTIMSEL = 1 (the 400 MHz CPU clock, the example's alternative) the
#    same duties at 4 MHz (the 2.5 ns ticks: a duty within 0.5 % of the programmed one,
#    a waveform's times being whole nanoseconds);
#  - the master timer's repetition interrupt (HRTIM1_Master, IRQ 103) every 5 ms
#    counted over HAL_Delay(100): 20 in deterministic mode (virtual time);
#  - the CM4 woke up from D2 Stop and finished; exit 0 and nothing left behind;
#  - deterministic with 10 us quanta, the CM4 too: the same boot in virtual-time order.
. "$(dirname "$0")/lib.sh"

# ST's example frees HSEM 0 (the CM4's wake-up) right after SystemClock_Config without
# first waiting for the CM4 to reach D2 Stop: on the board the PLL lock time lets the CM4
# get there first; here, where oscillators and PLLs are ready at once, a loaded host can
# make the CM4 lose that race and sleep on (docs/supported.md).  Only that outcome, seen
# in the trace (the CM4's deep sleep after the CM7's unlock of semaphore 0), is run again.
lost_boot_race() {
  awk '/ cm7 hsem unlock semaphore 0$/ && !u { u = NR }
       / cm4 power deep sleep / && !d { d = NR }
       END { exit !(u && (!d || d > u)) }' "$1"
}
for attempt in 1 2 3; do
  run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --board nucleo-h745zi-q -v --trace gpio,tim,hsem,power \
    --cm7 "$FW/hrtim_pwm_cm7.elf" --cm4 "$FW/st_boot_cm4.elf" --timeout 30 \
    --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
  wait $RUN_PID; rc=$?
  [ $rc != 0 ] && [ $attempt -lt 3 ] && lost_boot_race "$TMP/out" || break
  echo "information: attempt $attempt: the CM4 reached D2 Stop after the CM7 freed HSEM 0 (ST's boot race, docs/supported.md); running again"
  assert_clean $RUN_PID
done
grep -vE '^\[trace\] [0-9.]+ [a-z0-9]+ gpio P[BE]' "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the HRTIM example's path"; }
grep -qE 'Error_Handler|HardFault|Unhandled exception' "$TMP/out" && fail "the firmware reported a failure"

grep -q '^\[cm7\] hrtim: TA1-TE1 started, period 100, CMP1 15/25/40/60/80$' "$TMP/out" ||
  fail "no start report with the example's period and compare values"
grep -q '^\[cm4\] CM4: woke up, SystemCoreClock=200000000$' "$TMP/out" || fail "the CM4 did not wake up"

# The example's five waveforms, one line each on its pin.
for pd in 'PC6 = pwm 15% 2 MHz (AF1)' 'PC8 = pwm 25% 2 MHz (AF1)' 'PA9 = pwm 40% 2 MHz (AF2)' \
          'PA11 = pwm 60% 2 MHz (AF2)' 'PG6 = pwm 80% 2 MHz (AF2)'; do
  n=$(grep -c "gpio $pd\$" "$TMP/out")
  [ "$n" = 1 ] || fail "'$pd' traced $n times, expected once"
done
for td in 'TA1 = pwm 15% 2 MHz' 'TE1 = pwm 80% 2 MHz'; do
  grep -q "HRTIM1 tim $td\$" "$TMP/out" || fail "no HRTIM trace line '$td'"
done

# The same duties at 4 MHz from the CPU clock.
want=(PC6:15 PC8:25 PA9:40 PA11:60 PG6:80)
for pw in "${want[@]}"; do
  pin=${pw%%:*} duty=${pw##*:}
  got=$(sed -nE "s/^\[trace\] [0-9.]+ hub gpio $pin = pwm ([0-9.]+)% 4 MHz \(AF[12]\)$/\1/p" "$TMP/out")
  [ -n "$got" ] || fail "$pin: no 4 MHz waveform after HRTIMSEL = 1"
  awk -v g="$got" -v w="$duty" 'BEGIN { d = g - w; exit !(d > -0.5 && d < 0.5) }' ||
    fail "$pin: $got % at 4 MHz, programmed $duty %"
done

# The master timer's repetition interrupt reaches the CM7 (free-running, the count
# depends on how the host schedules the cores against the hub's clock: the exact
# count is checked in deterministic mode below).
line=$(grep -E '^\[cm7\] hrtim: [0-9]+ master repetition interrupts in [0-9]+ ms$' "$TMP/out") ||
  fail "no master timer interrupt count"
read -r n ms < <(sed -E 's/.* ([0-9]+) master repetition interrupts in ([0-9]+) ms/\1 \2/' <<<"$line")
[ "$n" -ge 10 ] || fail "$n master repetition interrupts in $ms ms, expected one per 5 ms"
assert_clean $RUN_PID

# Deterministic mode (virtual time), the CM7 alone: the interrupt count is exact.
run_ampvp_bg "$TMP/out2" "$TMP/err2" run --strict --deterministic --board nucleo-h745zi-q --trace tim \
  --cm7 "$FW/hrtim_pwm_cm7.elf" --timeout 60 --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/err2" >&2; fail "deterministic run: exit code $rc, expected 0"; }
grep -E '^\[cm7\]' "$TMP/out2"
grep -qE '^\[cm7\] \[[0-9.]+\] hrtim: 20 master repetition interrupts in 101 ms$' "$TMP/out2" ||
  fail "deterministic run: not 20 master repetition interrupts over HAL_Delay(100) (one per 5 ms)"
for td in 'TA1 = pwm 15% 2 MHz' 'TB1 = pwm 25% 2 MHz' 'TC1 = pwm 40% 2 MHz' 'TD1 = pwm 60% 2 MHz' \
          'TE1 = pwm 80% 2 MHz' 'TC1 = pwm 40% 4 MHz'; do
  grep -q "HRTIM1 tim $td\$" "$TMP/out2" || fail "deterministic run: no HRTIM trace line '$td'"
done
assert_clean $RUN_PID

# Deterministic with the CM4 and 10 us quanta: ST's boot race in virtual-time order, as on
# the board (docs/determinism.md: within a quantum the first core runs first, so at the
# default 100 us the CM7 frees HSEM 0 at 30 us before the CM4 has run at all).  RM0399
# HSEM: freeing a semaphore whose interrupt CPU2 enabled (HSEM_C2IER) sets HSEM_C2ISR, and
# the pending HSEM2 interrupt ends the CM4's WFE (SEVONPEND), so D2 leaves Stop.
run_ampvp_bg "$TMP/out3" "$TMP/err3" run --strict --deterministic --quantum 10us --board nucleo-h745zi-q \
  --trace hsem,power --cm7 "$FW/hrtim_pwm_cm7.elf" --cm4 "$FW/st_boot_cm4.elf" --timeout 60 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { grep -E 'semaphore 0|cm4 power' "$TMP/out3" >&2; cat "$TMP/err3" >&2; fail "deterministic run with the CM4: exit code $rc, expected 0"; }
grep -qE '^\[trace\] [0-9.]+ cm7 hsem notify cm4: semaphore 0 free$' "$TMP/out3" ||
  fail "deterministic run with the CM4: freeing HSEM 0 did not notify the CM4"
grep -qE '^\[cm4\] \[[0-9.]+\] CM4: woke up, SystemCoreClock=200000000$' "$TMP/out3" ||
  fail "deterministic run with the CM4: the CM4 did not wake up"
assert_clean $RUN_PID
echo "information: $n master repetition interrupts in $ms ms (free-running), 20 in 101 ms (deterministic)"
pass "HRTIM1 TA1-TE1 PWM on pins at 2 MHz and 4 MHz, master timer interrupts"
