#!/usr/bin/env bash
# The ST dual-core boot handshake on the emulated STM32H745: the CM4 arms the
# HSEM 0 notification and enters D2 STOP with WFE; the CM7 sees D2CKRDY drop,
# takes and releases HSEM 0; the CM4 wakes and both report.  The trace shows
# the handshake in order.  With "norelease" the CM4 must stay asleep: the CM7
# gives up waiting and the CM4 prints nothing.
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = stop-holds ]; then
  # Issue 8c, ST's FreeRTOS_AMP_RTOS_BareMetal: RM0399 "CPU CStop": SLEEPDEEP + WFE stops
  # the CM4's clock (its SysTick too); only an EXTI wake-up restarts it.  The CM7's TIM6
  # time base (IRQ 54, to both NVICs, no EXTI input) ticks 300 times and the CM4's own
  # SysTick was running: neither may wake it.  HSEM 0's release (EXTI line 78) does.
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
    --cm7 "$FW/boot_sync_tim6_cm7.elf" --cm4 "$FW/boot_sync_systick_cm4.elf" --timeout 30 \
    --trace power,hsem \
    --expect '^\[cm7\] CM7: 300 TIM6 ticks while the CM4 stayed in D2 STOP \(D2CKRDY=0\)$' \
    --expect '^\[cm4\] CM4 woke up from D2 STOP \(HSEM 0 notification\)$' \
    --expect '^\[cm4\] CM4: SysTick runs again after the wake-up$' \
    --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
  wait $RUN_PID; rc=$?
  grep -v '^\[trace\] [0-9.]* cm7 power ' "$TMP/out"
  [ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
  # Before the CM7's unlock of semaphore 0 the CM4 was in CStop and never woke; after
  # it, the clock restarted before the first wake-up.  (A tick may end the clearing
  # WFE before the CM4 sleeps at all: that is no wake-up from Stop, and shows no line.)
  order=$(grep -oE 'cm4 power CStop|cm7 hsem unlock semaphore 0|cm4 power clock restarted|cm4 power wake' "$TMP/out" \
          | sed -E 's/^cm[47] (power|hsem) //' | uniq | tr '\n' ',')
  case "$order" in
    "CStop,unlock semaphore 0,clock restarted,wake,"*) ;;
    *) fail "CM4 power/HSEM order: $order" ;;
  esac
  assert_clean $RUN_PID
  pass "D2 STOP holds the CM4 through 300 TIM6 ticks and its own SysTick; HSEM 0 wakes it"
  exit 0
fi

if [ "${1:-}" = norelease ]; then
  # The run ends when the CM7 has given up polling D2CKRDY (its bound is a number of
  # polls, so on a loaded host it takes longer: no fixed timeout decides the verdict).
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
    --cm7 "$FW/boot_sync_norelease_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" --timeout 60 \
    --expect '^\[cm7\] CM7 done$' --trace power
  wait $RUN_PID; rc=$?
  cat "$TMP/out"
  [ $rc = 0 ] || { cat "$TMP/err"; fail "exit code $rc, expected 0 (the CM7 finishes)"; }
  grep -q '^\[cm7\] CM7: CM4 is in D2 STOP (D2CKRDY=0)$' "$TMP/out" || fail "CM7 did not see D2 STOP"
  grep -q '^\[cm7\] CM7: not releasing HSEM 0 (negative test)$' "$TMP/out" || fail "no negative-test line"
  grep -q '^\[cm7\] CM7: CM4 still in D2 STOP$' "$TMP/out" || fail "CM7 did not report the CM4 still asleep"
  grep -q '^\[cm4\]' "$TMP/out" && fail "the CM4 printed although nobody released HSEM 0"
  grep -q 'cm4 power wake' "$TMP/out" && fail "the CM4 woke up although nobody released HSEM 0"
  assert_clean $RUN_PID
  pass "without the release the CM4 stays in D2 STOP"
  exit 0
fi

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/boot_sync_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" --timeout 30 \
  --trace hsem,power \
  --expect '^\[cm7\] CM7: CM4 is in D2 STOP \(D2CKRDY=0\)$' \
  --expect '^\[cm4\] CM4 woke up from D2 STOP \(HSEM 0 notification\)$' \
  --expect '^\[cm7\] CM7: CM4 woke up \(D2CKRDY=1\)$' \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
# The handshake, in this order, in the trace.
order=$(grep -oE 'cm4 power deep sleep|cm7 hsem lock semaphore 0 \(1-step\)|cm7 hsem unlock semaphore 0|cm7 hsem notify cm4: semaphore 0 free|cm4 power wake' "$TMP/out" \
        | sed -E 's/^cm[47] (power|hsem) //; s/ \(1-step\)//; s/: semaphore 0 free//' | uniq | tr '\n' ',')
case "$order" in
  "deep sleep,lock semaphore 0,unlock semaphore 0,notify cm4,wake,"*) ;;
  *) fail "trace order of the handshake: $order" ;;
esac
assert_clean $RUN_PID
pass "boot handshake: $order"
