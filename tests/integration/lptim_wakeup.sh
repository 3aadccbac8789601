#!/usr/bin/env bash
# LPTIM1 on the LSI as the CM4's wake-up source from Stop: each ARR match (200 ms)
# raises EXTI direct line 47, which restarts the CM4, and its interrupt (IRQ 93) is
# taken.  Timing in the hub's time (--trace): ARR matches 200 ms apart, each followed
# at once by the CM4's clock restarting; the CM7's SysTick figure is for information.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace tim,power \
  --cm7 "$FW/lptim_wakeup_cm7.elf" --cm4 "$FW/lptim_wakeup_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
for k in 1 2 3; do
  grep -q "^\[cm4\] CM4: LPTIM1 wake-up $k\$" "$TMP/out" || fail "no wake-up $k (or its interrupt was not taken)"
done
ms=$(sed -nE 's/.*CM4 woke 3 times, every ([0-9]+) ms.*/\1/p' "$TMP/out")
[ -n "$ms" ] || fail "no timing line"
echo "information: the CM7's SysTick saw wake-ups $ms ms apart"
awk '/LPTIM1 tim ARR match/ { a[n++] = $2 } /cm4 power clock restarted/ && n > 0 && !w[n] { w[n] = $2 }
  END { if (n < 3) exit 1
        for (i = 1; i < 3; i++) { d = (a[i] - a[i - 1]) / 1e3; printf "ARR match %d: %.1f ms after the previous (%.3f x 200 ms), CM4 +%.1f ms\n", i + 1, d, d / 200, (w[i + 1] - a[i]) / 1e3
          if (d < 199 || d > 260 || w[i + 1] < a[i] || w[i + 1] - a[i] > 60000) exit 1 } }' "$TMP/out" ||
  fail "ARR matches not 200 ms apart, or the CM4 not woken by them"
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "LPTIM1 woke the CM4 from Stop every ${ms} ms (200 ms programmed)"
