#!/usr/bin/env bash
# Core clocks follow the RCC: when the CM7 switches SYSCLK to PLL1 at 400 MHz
# the way HAL does, the hub computes the new tree and sends each core its new
# CPU clock (CM7 400 MHz; the CM4, HCLK 200 MHz, has no image here), which
# QEMU's SysTick follows.
# Asserted: the tree and the CLOCK messages (deterministic).  Printed for
# information: how long 300 SysTick ms last after vs before the switch (about
# 1 when SysTick follows, 6.25 when it does not).  An intermittent 7.8 was
# seen once in the full suite and is an open bug (see the session notes).
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
grep -q '^\[trace\] [0-9.]* cm7 clock CPU clock set to 400000000 Hz$' "$TMP/out" \
  || fail "the CM7 was not sent its 400 MHz clock"
echo "information: phase 2 / phase 1 = $ratio (1 = SysTick followed)"
assert_clean $RUN_PID
pass "clock switch to 400 MHz: tree and CLOCK messages (phase ratio $ratio)"
