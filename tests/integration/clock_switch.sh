#!/usr/bin/env bash
# HAL_Delay keeps real time across ST's clock switch (issue 8a).
# ARMv7-M B3.3 (SysTick): with SYST_CSR.CLKSOURCE = 1 the counter decrements on the
# processor clock; the reference clock (RM0399 "RCC": HCLK/8 to the Cortex system
# timer) matters only with CLKSOURCE = 0.
# The firmware does what ST's HAL does, in the HAL's order: HAL_InitTick at 64 MHz
# (HSI), SystemClock_Config to PLL1 400 MHz, HAL_InitTick again with CLKSOURCE
# unchanged; then it times 300 ticks before and after.  The hub sends the core its new
# CPU clock and reference clock; SysTick must count on the CPU clock in both phases.
# Asserted, in deterministic mode (virtual time, docs/determinism.md): the clock tree,
# the CLOCK message, and each phase of 300 ticks lasting 300 ms +- 1% of virtual time
# (2400 ms after the switch when SysTick took the reference clock, QEMU 7.2's bug
# fixed by our patch 0004).
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
  --$core "$FW/clock_switch_$core.elf" --timeout 60 --trace uart,clock --deterministic \
  --expect "^\[$core\] $CORE done$"
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q 'latency did not read back' "$TMP/out" && fail "FLASH_ACR latency did not read back"
grep -q "$core clock SYSCLK 400 MHz (PLL1), CM7 400 MHz, HCLK/CM4 200 MHz, PCLK1 100 MHz" "$TMP/out" \
  || { cat "$TMP/out"; fail "the clock tree does not show 400/200/100 MHz"; }
grep -q "^\[trace\] [0-9.]* $core clock CPU clock set to $hz Hz$" "$TMP/out" \
  || fail "the $CORE was not sent its $hz Hz clock"
t() { sed -nE "s/^\[trace\] ([0-9.]+) $core uart line \"tick $1\"$/\1/p" "$TMP/out"; }
for phase in 1 2; do
  ms=$(awk -v a="$(t "phase $phase start")" -v b="$(t "phase $phase end")" \
           'BEGIN { if (a == "" || b <= a) { print "none"; exit } printf "%.3f", (b - a) / 1000 }')
  echo "phase $phase: 300 SysTick ticks in $ms ms of virtual time"
  awk -v m="$ms" 'BEGIN { exit !(m != "none" && m >= 297 && m <= 303) }' \
    || fail "phase $phase: 300 ticks of 1 ms lasted $ms ms of virtual time (want 300 +- 1%)"
done
assert_clean $RUN_PID
pass "$CORE: HAL_InitTick before and after the switch to 400 MHz: 300 ticks = 300 ms virtual in both phases"
