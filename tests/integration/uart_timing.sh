#!/usr/bin/env bash
# A UART transfer lasts what its baud rate says (RM0399 "USART transmitter", "USART
# baud rate generation"): the firmware times HAL_UART_Transmit of 100 bytes (8N1,
# oversampling 16: 10 * BRR kernel clock cycles a frame, back to back through TDR
# and the shift register) with SysTick on the 64 MHz CPU clock, which is also the
# USART's kernel clock (rcc_pclk1 after reset).  Asserted in deterministic mode
# (virtual time, docs/determinism.md), for BRR 556 (115108 baud: 8.69 ms) and BRR
# 1667 (38392 baud: 26.0 ms): the measured cycles within 1% of 100 * 10 * BRR, and
# the bytes reached the console as one whole line each time.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/uart_timing_cm7.elf" --timeout 60 --deterministic \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
digits=$(printf '0123456789%.0s' $(seq 10) | cut -c1-98)
n=$(grep -cE "^\[cm7\] (\[[0-9.]+\] )?$digits$" "$TMP/out") # deterministic runs stamp lines
[ "$n" = 2 ] || fail "expected the 98-digit line twice on the console, saw it $n times"
for brr in 556 1667; do
  line=$(grep -E "^\[cm7\] (\[[0-9.]+\] )?uart_timing: 100 bytes at BRR $brr: [0-9]+ cycles, expected [0-9]+$" "$TMP/out")
  [ -n "$line" ] || fail "no measurement for BRR $brr"
  got=$(echo "$line" | sed -E 's/.*: ([0-9]+) cycles, expected ([0-9]+)$/\1/')
  want=$(echo "$line" | sed -E 's/.*: ([0-9]+) cycles, expected ([0-9]+)$/\2/')
  [ "$want" = $((100 * 10 * brr)) ] || fail "BRR $brr: firmware expects $want cycles"
  awk -v g="$got" -v w="$want" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= w / 100) }' \
    || fail "BRR $brr: HAL_UART_Transmit of 100 bytes took $got cycles, expected $want +- 1%"
  echo "BRR $brr: $got cycles for 100 bytes (expected $want: $(awk -v g="$got" -v w="$want" 'BEGIN { printf "%+.3f%%", (g - w) * 100 / w }'))"
done
grep -q "guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "guest errors"; }
assert_clean $RUN_PID
pass "HAL_UART_Transmit of 100 bytes lasts 10 * BRR cycles a byte at 115108 and 38392 baud"
