#!/usr/bin/env bash
# STM32H747I-DISCO: the board selects the stm32h747 machine and its console is
# USART1, so the demos' USART3 output is shown as a second UART
# ("[cm7:USART3] ..."); the H745 images run unchanged on the H747 (same IPC,
# same memory map).  A board/machine mismatch is one clear error.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board stm32h747i-disco -v \
  --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" --timeout 30 \
  --expect '^\[cm7:USART3\] CM7 done$' --expect '^\[cm4:USART3\] CM4 read 0xc0ffee45 from SRAM4$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q 'board stm32h747i-disco: 4 LEDs' "$TMP/err" || { cat "$TMP/err" >&2; fail "the board's four LEDs were not set up"; }
assert_clean $RUN_PID

"$AMPVP" run --board stm32h747i-disco --machine stm32h745 --cm7 "$FW/hello_cm7.elf" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 1 ] || fail "board/machine mismatch: exit $rc, expected 1"
assert_one_error_line "$TMP/err" "board stm32h747i-disco carries a stm32h747, not a stm32h745"
pass "stm32h747i-disco: H747 machine, USART1 console, H745 images unchanged"
