#!/usr/bin/env bash
# Core clocks follow the RCC: the CM7 counts the same number of 1 ms SysTick
# ticks before (64 MHz HSI, reload 64000) and after switching SYSCLK to PLL1
# at 400 MHz the way HAL does (reload 400000).  Both phases must last about
# the same host time; had the core stayed at 64 MHz the second would last
# 6.25 times longer.  A ratio of two phases of one run, not a timed test.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/clock_switch_cm7.elf" --timeout 60 --trace uart,clock \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q 'latency did not read back' "$TMP/out" && fail "FLASH_ACR latency did not read back"
grep -q 'cm7 clock SYSCLK 400 MHz (PLL1), CM7 400 MHz, HCLK/CM4 200 MHz, PCLK1 100 MHz' "$TMP/out" \
  || fail "the clock tree does not show 400/200/100 MHz"
t() { sed -nE "s/^\[trace\] ([0-9.]+) cm7 uart line \"tick $1\"$/\1/p" "$TMP/out"; }
ratio=$(awk -v a="$(t 'phase 1 start')" -v b="$(t 'phase 1 end')" \
            -v c="$(t 'phase 2 start')" -v d="$(t 'phase 2 end')" 'BEGIN { printf "%.2f", (d - c) / (b - a) }')
echo "phase 2 / phase 1 duration: $ratio"
awk -v r="$ratio" 'BEGIN { exit !(r > 0.4 && r < 2.5) }' \
  || fail "phase 2 lasted $ratio x phase 1: SysTick did not follow the clock switch"
assert_clean $RUN_PID
pass "SysTick keeps 1 ms across the switch to 400 MHz (ratio $ratio)"
