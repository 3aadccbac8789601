#!/usr/bin/env bash
# Deterministic lockstep (docs/determinism.md): the same images and inputs give
# byte-identical console and trace output on every run, whatever the host does.
# Each case runs twice (the second time, for "hog", with two CPU hogs on the host)
# and compares everything ampvp printed, trace lines with their virtual times
# included.
#   deterministic.sh sev_pingpong   SEV -> EXTI -> WFE between the cores, 1000 round trips
#   deterministic.sh hsem_mutex     the shared counter with and without HSEM (increments lost: the same)
#   deterministic.sh boot_sync      ST's HSEM boot handshake (CM4 in Stop until the release)
#   deterministic.sh uart_it        --serial stdin input; then --replay of a --record
#                                   equals the recorded run, with no input given
#   deterministic.sh button         --press B1 twice (after console lines), EXTI to both cores
#   deterministic.sh stop_rtc       ST's RTC_Alarm: the CM4 enters D2 Stop with its SysTick
#                                   running (HAL_Init's tick) and wakes on the RTC alarm
#   deterministic.sh hog            sev_pingpong again while two CPU hogs run
. "$(dirname "$0")/lib.sh"

CASE=${1:?case}
HOGS=()
cleanup_hogs() { for h in "${HOGS[@]}"; do kill "$h" 2>/dev/null; done; }
trap 'cleanup_hogs; if [ "$BASHPID" = "$TMP_OWNER" ]; then rm -rf "$TMP"; fi' EXIT

input=""
case $CASE in
sev_pingpong|hog)
  ARGS=(--machine "$MACHINE" --cm7 "$FW/sev_pingpong_cm7.elf" --cm4 "$FW/sev_pingpong_cm4.elf"
        --trace exti,power,irq --expect 'round trips in') ;;
hsem_mutex)
  # Both cores hammer one counter in shared SRAM with and without HSEM: how many
  # increments the unlocked phase loses depends on the exact interleaving.
  ARGS=(--machine "$MACHINE" --cm7 "$FW/hsem_mutex_cm7.elf" --cm4 "$FW/hsem_mutex_cm4.elf"
        --trace power --expect '^\[cm7\] CM7 done') ;;
boot_sync)
  ARGS=(--machine "$MACHINE" --cm7 "$FW/boot_sync_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf"
        --trace hsem,exti,power,irq --expect '^\[cm4\] CM4 done' --expect '^\[cm7\] CM7 done') ;;
uart_it)
  input=$'hello\rquit\r'
  ARGS=(--machine "$MACHINE" --cm7 "$FW/uart_it_cm7.elf" --cm4 "$FW/idle_cm4.elf" --serial stdin
        --trace uart,irq --expect '^\[cm7\] CM7 done') ;;
button)
  ARGS=(--board nucleo-h745zi-q --cm7 "$FW/button_exti_cm7.elf" --cm4 "$FW/button_exti_cm4.elf"
        --press 'B1@/both cores waiting for B1/' --press 'B1@/press 1 seen by both cores, B1 released/'
        --trace exti,gpio,irq --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$') ;;
stop_rtc)
  # Stop freezes SysTick: QEMU 7.2's instruction counting refused that clock read
  # inside the WFI ("Bad icount read") and the CM4 died.
  ARGS=(--machine "$MACHINE" --cm7 "$FW/rtc_alarm_cm7.elf" --cm4 "$FW/rtc_alarm_cm4.elf"
        --trace power,irq --expect '^\[cm7\] CM7 done') ;;
*) fail "unknown case $CASE" ;;
esac

run_det() { # OUT [extra args...]
  local out=$1; shift
  printf '%s' "$input" | "$AMPVP" run "${ARGS[@]}" --deterministic --timeout 60 "$@" >"$out" 2>&1
}

run_det "$TMP/run1" --record "$TMP/rec"; rc=$?
[ $rc = 0 ] || { cat "$TMP/run1"; fail "first run: exit code $rc"; }
if [ "$CASE" = hog ]; then
  for i in 1 2; do (while :; do :; done) & HOGS+=($!); done
fi
run_det "$TMP/run2"; rc=$?
cleanup_hogs
[ $rc = 0 ] || { cat "$TMP/run2"; fail "second run: exit code $rc"; }
lines=$(wc -l <"$TMP/run1")
[ "$lines" -gt 5 ] || { cat "$TMP/run1"; fail "too little output to compare ($lines lines)"; }
cmp -s "$TMP/run1" "$TMP/run2" || { diff "$TMP/run1" "$TMP/run2" | head -20; fail "$CASE: the two runs differ"; }
grep -qE '^\[trace\] [0-9]+\.[0-9]{3} ' "$TMP/run1" || fail "no trace lines with virtual times"
# Console lines carry the virtual time they were completed at, after their tag.
grep -qE '^\[cm[47]\] \[[0-9]+\.[0-9]{3}\] ' "$TMP/run1" || fail "no console lines with virtual times"
if [ "$CASE" = uart_it ]; then
  grep -q "^1[0-9]* USART3 68$" "$TMP/rec" || grep -qE "^[0-9]+ USART3 68$" "$TMP/rec" \
    || { cat "$TMP/rec"; fail "the recording does not hold the first input byte"; }
  input=""
  run_det "$TMP/run3" --replay "$TMP/rec" </dev/null; rc=$?
  [ $rc = 0 ] || { cat "$TMP/run3"; fail "replay: exit code $rc"; }
  cmp -s "$TMP/run1" "$TMP/run3" || { diff "$TMP/run1" "$TMP/run3" | head -20; fail "the replay differs from the recorded run"; }
fi
pass "$CASE: two deterministic runs gave the same $lines lines$([ "$CASE" = hog ] && echo ' (second one under two CPU hogs)')"
