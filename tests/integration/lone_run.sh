#!/usr/bin/env bash
# Deterministic mode (docs/determinism.md, protocol 2.6): an idle core sits out
# the rounds until its own timer or a message for it (IDLE), and a core running
# alone need not stop at every quantum end (GRANT); but such a run must be the
# same run as one without, line for line and virtual microsecond for virtual
# microsecond: whatever needs a quantum end (a model timer firing, an IRQ or
# event for a core, the release of a gated core, an SEV or a sleep) cuts the
# grant there.
# Each case runs with --lone-run 0 (a stop at every quantum end) and with the
# default, compares all output, and checks from the -v summary that the second
# run did use grants and stopped less often.
#   lone_run.sh tim6     TIM6 as the 1 kHz HAL time base (hub timer IRQs) beside SysTick
#   lone_run.sh pingpong SEV -> EXTI -> WFE between the cores, 1000 round trips: each
#                        core waits idle in WFE while the other runs alone
#   lone_run.sh stop     ST's RTC_Alarm: the CM4 in D2 Stop (clock stopped) while the
#                        CM7 waits for the RTC alarm
#   lone_run.sh uart_in  interrupt-driven USART3 with --serial stdin input: host input
#                        enters at grant ends, so here the check is that --replay of a
#                        --record made with grants repeats the run exactly
#   lone_run.sh events   lone_run_cm7.elf, CM4 gated (BCM4 = 0): between computations the
#                        CM7 raises its own EXTI0 (a posted write), runs TIM6 one-pulse,
#                        releases the CM4, and counts its loop turns until each arrived
. "$(dirname "$0")/lib.sh"

CASE=${1:?case}
case $CASE in
tim6)
  ARGS=(--machine "$MACHINE" --cm7 "$FW/tim6_timebase_cm7.elf" --trace tim,irq
        --expect '^\[cm7\] CM7 done$') ;;
pingpong)
  ARGS=(--machine "$MACHINE" --cm7 "$FW/sev_pingpong_cm7.elf" --cm4 "$FW/sev_pingpong_cm4.elf"
        --trace exti,power,irq --expect 'round trips in') ;;
stop)
  ARGS=(--machine "$MACHINE" --cm7 "$FW/rtc_alarm_cm7.elf" --cm4 "$FW/rtc_alarm_cm4.elf"
        --trace power,irq --expect '^\[cm7\] CM7 done') ;;
uart_in)
  ARGS=(--machine "$MACHINE" --cm7 "$FW/uart_it_cm7.elf" --serial stdin --trace uart,irq
        --expect '^\[cm7\] CM7 done$') ;;
events)
  ARGS=(--machine "$MACHINE" --option-byte bcm4=0 --cm7 "$FW/lone_run_cm7.elf" --cm4 "$FW/lone_run_cm4.elf"
        --trace irq,power --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$') ;;
*) fail "unknown case $CASE" ;;
esac

run_det() { # OUT ARGS...
  local out=$1; shift
  printf '%s' "$input" | "$AMPVP" run "${ARGS[@]}" --deterministic -v --timeout 120 "$@" >"$out.all" 2>&1
  local rc=$?
  [ $rc = 0 ] || { cat "$out.all"; fail "$*: exit code $rc"; }
  # The console and trace lines; -v's own lines (QEMU pids, connections in host
  # order, the summary, checked below) are not part of the run.
  grep -v '^ampvp: ' "$out.all" >"$out"
}
summary() { sed -nE "s/^ampvp: lockstep: ([0-9]+) rounds of [0-9]+ us; ([0-9]+) turns given to cores, ([0-9]+) of them grants.*/\\$2/p" "$TMP/$1.all"; }
input=""
if [ "$CASE" = uart_in ]; then
  input=$'hello\rquit\r'
  run_det "$TMP/a" --record "$TMP/rec"
  input=""
  run_det "$TMP/b" --replay "$TMP/rec" </dev/null
  grep -qE '^ampvp-record 1 quantum-ns 100000 icount-shift 3 lone-run-ns 10000000$' "$TMP/rec" \
    || { cat "$TMP/rec"; fail "the recording does not name --lone-run"; }
  grep -qE "^[0-9]+ USART3 68$" "$TMP/rec" || { cat "$TMP/rec"; fail "the recording does not hold the first input byte"; }
else
  run_det "$TMP/a" --lone-run 0
  run_det "$TMP/b"
  [ "$(summary a 3)" = 0 ] || fail "--lone-run 0 gave grants"
  [ "$(summary b 2)" -lt "$(summary a 2)" ] || fail "with grants the cores stopped $(summary b 2) times, without $(summary a 2)"
fi
grants=$(summary b 3) turns=$(summary b 2) rounds=$(summary b 1)
[ -n "$grants" ] || fail "no lockstep summary in the -v output"
[ "$grants" -gt 0 ] || fail "no grant given: the case does not test grants"
lines=$(wc -l <"$TMP/a")
[ "$lines" -gt 5 ] || { cat "$TMP/a"; fail "too little output to compare ($lines lines)"; }
grep -qE '^\[trace\] [0-9]+\.[0-9]{3} ' "$TMP/a" || fail "no trace lines with virtual times"
cmp -s "$TMP/a" "$TMP/b" || { diff "$TMP/a" "$TMP/b" | head -20; fail "$CASE: the two runs differ"; }
if [ "$CASE" = uart_in ]; then
  pass "$CASE: the replay of a run with $grants grants ($turns turns in $rounds rounds) gave the same $lines lines"
else
  pass "$CASE: $rounds rounds, $(summary a 2) turns without grants, $turns with ($grants grants): the same $lines lines"
fi
