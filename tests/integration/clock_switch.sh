#!/usr/bin/env bash
# HAL_Delay keeps real time across ST's clock switch (issue 8a).
# ARMv7-M B3.3 (SysTick): with SYST_CSR.CLKSOURCE = 1 the counter decrements on the
# processor clock; the reference clock (RM0399 "RCC": HCLK/8 to the Cortex system
# timer) matters only with CLKSOURCE = 0.
# The firmware does what ST's HAL does, in the HAL's order: HAL_InitTick at 64 MHz
# (HSI), SystemClock_Config to PLL1 400 MHz, HAL_InitTick again with CLKSOURCE
# unchanged; then it times 300 ticks before and after.  The hub sends the core its new
# CPU clock and reference clock; SysTick must count on the CPU clock in both phases.
# Asserted: the clock tree, the CLOCK message, and phase 2 / phase 1 between 0.5
# and 2 (host times of the two phases, measured in the same run; 8 when SysTick
# took the reference clock, QEMU 7.2's bug fixed by our patch 0004).
#   clock_switch.sh [cm7|cm4]   which core runs the sequence (the CM4 as in ST's
#                               BootCM4_CM7Gated, where the CM4 configures the clocks)
. "$(dirname "$0")/lib.sh"
core=${1:-cm7}
case $core in
cm7) hz=400000000 ;;
cm4) hz=200000000 ;;
*) fail "usage: clock_switch.sh [cm7|cm4]" ;;
esac
CORE=${core^^}

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --$core "$FW/clock_switch_$core.elf" --timeout 60 --trace uart,clock \
  --expect "^\[$core\] $CORE done$"
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q 'latency did not read back' "$TMP/out" && fail "FLASH_ACR latency did not read back"
grep -q "$core clock SYSCLK 400 MHz (PLL1), CM7 400 MHz, HCLK/CM4 200 MHz, PCLK1 100 MHz" "$TMP/out" \
  || { cat "$TMP/out"; fail "the clock tree does not show 400/200/100 MHz"; }
grep -q "^\[trace\] [0-9.]* $core clock CPU clock set to $hz Hz$" "$TMP/out" \
  || fail "the $CORE was not sent its $hz Hz clock"
t() { sed -nE "s/^\[trace\] ([0-9.]+) $core uart line \"tick $1\"$/\1/p" "$TMP/out"; }
ratio=$(awk -v a="$(t 'phase 1 start')" -v b="$(t 'phase 1 end')" \
            -v c="$(t 'phase 2 start')" -v d="$(t 'phase 2 end')" \
            'BEGIN { if (b <= a) { print "none"; exit } printf "%.2f", (d - c) / (b - a) }')
echo "phase 2 / phase 1 duration: $ratio"
awk -v r="$ratio" 'BEGIN { exit !(r != "none" && r >= 0.5 && r <= 2.0) }' \
  || fail "300 SysTick ticks lasted $ratio times as long after the switch as before (want 1)"
assert_clean $RUN_PID
pass "$CORE: HAL_InitTick before and after the switch to 400 MHz: SysTick keeps time (ratio $ratio)"
