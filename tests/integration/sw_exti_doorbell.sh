#!/usr/bin/env bash
# The doorbell of FreeRTOS's message buffers between two kernels (ST's
# FreeRTOS_AMP_Dual_RTOS): per message the CM7 clears EXTI_C1IMR1 bit 0, sets
# EXTI_C2IMR1 bit 0 and writes 1 to EXTI_SWIER1 bit 0; the CM4 takes EXTI0 (IRQ 6),
# clears EXTI_C2PR1 and acknowledges the message through SRAM4.  As in ST's project,
# both images carry a loaded (PROGBITS) section in SRAM4 for the message-buffer handle
# (.RAM_D3): both must load (issue 8b), and the CM4 must see what the CM7 stored.
. "$(dirname "$0")/lib.sh"

# N comes from the firmware build (CMake SW_EXTI_MESSAGES), through its manifest.
n=$(sed -nE 's/^sw_exti_doorbell_cm7\.elf .*messages=([0-9]+).*/\1/p' "$FW/firmware-manifest.txt")
[ -n "$n" ] || fail "sw_exti_doorbell_cm7.elf is not in $FW/firmware-manifest.txt"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/sw_exti_doorbell_cm7.elf" --cm4 "$FW/sw_exti_doorbell_cm4.elf" --timeout 60 \
  --trace exti,power \
  --expect "^\[cm7\] sw_exti_doorbell: $n messages delivered in order\$" \
  --expect '^\[cm7\] CM7 done$' --expect "^\[cm4\] CM4: $n doorbells taken\$" \
  --expect '^\[cm4\] CM4: message-buffer handle 0x4d424846 in SRAM4 \(\.RAM_D3, loaded by both images\)$' \
  --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
# The CM7 sleeps between SysTick ticks: leave its power lines out of the log.
grep -v '^\[trace\] [0-9.]* cm7 power ' "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'not ready|not acknowledged|not running|got message|of [0-9]+ messages' "$TMP/out" &&
  fail "the demo reported a failure"

count() { grep -cE "$1" "$TMP/out"; }
# Every SWIER1 write made line 0 pending for the CM4 (its mask set) and never for
# the CM7 (its mask cleared before each ring): N and 0, counted in the trace.
to_cm4=$(count '^\[trace\] [0-9.]* cm4 exti line 0 interrupt pending \(software trigger \(SWIER1\)\)$')
to_cm7=$(count '^\[trace\] [0-9.]* cm7 exti line 0 ')
[ "$to_cm4" = "$n" ] || fail "EXTI line 0 pending for cm4 $to_cm4 times, expected $n"
[ "$to_cm7" = 0 ] || fail "EXTI line 0 reached cm7 $to_cm7 times, expected 0"
[ "$(count 'exti line 0 event')" = 0 ] || fail "EXTI line 0 raised an event (no EMR bit is set)"

# The CM4 has no SysTick: it sleeps in WFI between doorbells and only EXTI0 wakes it.
# (A doorbell that arrives in the few instructions between the CM4's acknowledgement
# and its WFI finds it awake, so allow some wake-ups fewer than messages.)
wakes=$(count '^\[trace\] [0-9.]* cm4 power wake')
wakes6=$(count '^\[trace\] [0-9.]* cm4 power wake \(after IRQ 6\)$')
[ "$wakes" = "$wakes6" ] || fail "the CM4 woke $wakes times, only $wakes6 of them by EXTI0 (IRQ 6)"
[ "$wakes6" -le "$n" ] && [ $((2 * wakes6)) -ge "$n" ] ||
  fail "the CM4 woke $wakes6 times for $n doorbells: it does not sleep between them"
assert_clean $RUN_PID
pass "sw_exti_doorbell: $n messages, line 0 pending ${to_cm4}x for cm4, ${to_cm7}x for cm7, CM4 woken $wakes6 times by IRQ 6"
