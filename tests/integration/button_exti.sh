#!/usr/bin/env bash
# NUCLEO-H745ZI-Q user button B1 (PC13) as EXTI line 13 to both cores, as ST's
# GPIO_EXTI dual-core example: each core takes EXTI15_10 (IRQ 40), clears its own
# pending bit and toggles its LED (CM7 LED1, CM4 LED2).
#   button_exti.sh          B1 pressed twice: each core takes exactly 2 presses, exit 0
#   button_exti.sh nopress  B1 never pressed: both cores keep sleeping, exit 3 (timeout)
. "$(dirname "$0")/lib.sh"

mode=${1:-press}
board=nucleo-h745zi-q
if [ "$mode" = disco ]; then
  # STM32H745I-DISCO (UM2488): its user button B1 is PC13 too (ST's BSP BUTTON_USER,
  # active high); its LEDs are on other pins (PJ2/PI13), so only the button path is
  # checked there: presses reach both cores through SYSCFG and EXTI line 13.
  board=stm32h745i-disco
fi
args=(run --board $board --cm7 "$FW/button_exti_cm7.elf" --cm4 "$FW/button_exti_cm4.elf"
      --trace exti,power --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$')
# The CM7's SysTick wakes it every millisecond: leave its power lines out of the log.
show() { grep -v '^\[trace\] [0-9.]* cm7 power ' "$TMP/out"; }
count() { grep -cE "$1" "$TMP/out"; }
line_of() { grep -nE -m1 "$1" "$TMP/out" | cut -d: -f1; }

if [ "$mode" = nopress ]; then
  run_ampvp_bg "$TMP/out" "$TMP/err" "${args[@]}" --timeout 5
  wait $RUN_PID; rc=$?
  show
  cat "$TMP/err" >&2
  [ $rc = 3 ] || fail "exit code $rc, expected 3 (timeout: nothing was pressed)"
  grep -q '^\[cm7\] button_exti: both cores waiting for B1$' "$TMP/out" ||
    fail "the cores did not get ready within 5 s: the negative test proves nothing"
  grep -qi 'press' "$TMP/out" && fail "a press was reported although B1 was never pressed"
  grep -q '^\[board\]' "$TMP/out" && fail "board activity although B1 was never pressed"
  grep -q 'exti line 13' "$TMP/out" && fail "EXTI line 13 fired although B1 was never pressed"
  grep -qE '^\[cm[47]\] CM[47] done$' "$TMP/out" && fail "a core finished without presses"
  [ "$(count '^\[trace\] [0-9.]* cm4 power sleep ')" -ge 1 ] || fail "the CM4 never slept (WFI)"
  [ "$(count '^\[trace\] [0-9.]* cm4 power wake')" = 0 ] || fail "the CM4 woke up with nothing pressed"
  assert_clean $RUN_PID
  pass "button_exti without a press: both cores wait asleep, timeout as expected"
  exit 0
fi

# Press 1 once the CM7 has seen the CM4 ready (after its own set-up, including the
# CM4's EXTI mask); press 2 once both cores took press 1 and B1 is up again.
run_ampvp_bg "$TMP/out" "$TMP/err" "${args[@]}" --timeout 60 \
  --press 'B1@/both cores waiting for B1/' --press 'B1@/press 1 seen by both cores, B1 released/' \
  --expect '^\[cm7\] button_exti: press 2 seen by both cores, B1 released$'
wait $RUN_PID; rc=$?
show
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'not running|not ready|did not take' "$TMP/out" && fail "the demo reported a failure"

# Both cores were configured before the first press.
w7=$(line_of '^\[cm7\] CM7: waiting for B1$'); w4=$(line_of '^\[cm4\] CM4: waiting for B1$')
both=$(line_of '^\[cm7\] button_exti: both cores waiting for B1$'); p1=$(line_of '^\[board\] B1 pressed$')
[ -n "$w7" ] && [ -n "$w4" ] && [ -n "$both" ] && [ -n "$p1" ] || fail "missing ready or press lines"
[ "$w7" -lt "$both" ] && [ "$w4" -lt "$both" ] && [ "$both" -lt "$p1" ] ||
  fail "B1 was pressed before both cores were waiting (lines $w7, $w4, $both, $p1)"

# Exactly 2 presses per core, reported in order.
for c in 7 4; do
  seq=$(grep -oE "^\[cm$c\] CM$c: B1 press [0-9]+$" "$TMP/out" | awk '{print $NF}' | tr '\n' ' ')
  [ "$seq" = "1 2 " ] || fail "CM$c reported presses '$seq', expected '1 2 '"
  n=$(count "^\[trace\] [0-9.]* cm$c exti line 13 interrupt pending \(rising edge\)$")
  [ "$n" = 2 ] || fail "EXTI line 13 pending for cm$c $n times, expected 2"
done
[ -z "$(grep 'interrupt pending' "$TMP/out" | grep -v ' exti line 13 ')" ] ||
  fail "an EXTI line other than 13 became pending"
seq=$(grep -oE '^\[board\] B1 (pressed|released)$' "$TMP/out" | awk '{print $3}' | tr '\n' ' ')
[ "$seq" = "pressed released pressed released " ] || fail "B1 sequence: $seq"

if [ "$mode" = disco ]; then
  assert_clean $RUN_PID
  pass "STM32H745I-DISCO: B1 (PC13) pressed twice reaches both cores by EXTI line 13"
  exit 0
fi

# Each core toggled its own LED once per press: on, then off.
for led in LED1 LED2; do
  seq=$(grep -oE "^\[board\] $led (on|off)$" "$TMP/out" | awk '{print $3}' | tr '\n' ' ')
  [ "$seq" = "on off " ] || fail "$led sequence '$seq', expected 'on off '"
done
grep -q 'LED3' "$TMP/out" && fail "LED3 changed although nobody drives PB14"

# The cores slept while waiting: the CM4 (no SysTick) was asleep before the first
# press and woke exactly twice, by IRQ 40; the CM7 slept in WFI too.
s4=$(line_of '^\[trace\] [0-9.]* cm4 power sleep ')
[ -n "$s4" ] && [ "$s4" -lt "$p1" ] || fail "the CM4 was not asleep (WFI) before the first press"
[ "$(count '^\[trace\] [0-9.]* cm4 power wake')" = 2 ] &&
  [ "$(count '^\[trace\] [0-9.]* cm4 power wake \(after IRQ 40\)$')" = 2 ] ||
  fail "the CM4 should wake exactly twice, by EXTI15_10 (IRQ 40)"
[ "$(count '^\[trace\] [0-9.]* cm7 power sleep ')" -ge 1 ] || fail "the CM7 never slept (WFI)"
assert_clean $RUN_PID
pass "button_exti: 2 presses taken by each core, LED1 and LED2 toggled twice"
