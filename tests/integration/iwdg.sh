#!/usr/bin/env bash
# ST's IWDG_WindowMode (NUCLEO-H745ZI-Q), then the plain time-out: IWDG1 resets the
# system (both cores boot again, the RTC and its backup registers survive) first for a
# refresh above the window, then for no refresh at all, 762 ms later.  Each restart
# shows IWDG1RSTF (with PINRSTF and both CPUs' flags) in RCC_RSR of both cores.  The
# time-out is timed in the hub's time (--trace): ~762 ms from the last reload to the
# reset; the firmware's own figure (the RTC across the reset) is for information.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace power \
  --cm7 "$FW/iwdg_cm7.elf" --cm4 "$FW/wwdg_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4: boot 2, RSR=0x04460000$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
for re in '^\[cm7\] iwdg: life 0, RSR=0x00f80000$' '^\[cm7\] iwdg: refresh 3 inside the window$' \
          '^\[cm7\] iwdg: refresh after 200 ms, above the window$' \
          '^\[cm7\] iwdg: life 1, RSR=0x04460000$' '^\[cm7\] iwdg: reset by IWDG1 \(IWDG1RSTF\), [0-9]+ ms after the early refresh$' \
          '^\[cm7\] iwdg: life 2, RSR=0x04460000$' '^\[cm4\] CM4: boot 0, RSR=0x00f80000$' \
          '^\[cm4\] CM4: boot 1, RSR=0x04460000$'; do
  grep -qE "$re" "$TMP/out" || fail "missing /$re/"
done
[ "$(grep -c 'system reset (IWDG1 time-out)' "$TMP/err")" = 2 ] || { cat "$TMP/err" >&2; fail "expected two IWDG1 system resets"; }
early=$(sed -nE 's/.*reset by IWDG1 \(IWDG1RSTF\), ([0-9]+) ms after.*/\1/p' "$TMP/out")
[ "$early" -lt 150 ] || fail "the refresh above the window reset ${early} ms later, not at once"
ms=$(sed -nE 's/.*reset by IWDG1 after ([0-9]+) ms without refresh.*/\1/p' "$TMP/out")
[ -n "$ms" ] || fail "no time-out line"
echo "information: the RTC measured $ms ms from the last reload to the restart"
awk '/IWDG1 power reloaded/ { rel = $2 } /reset requested: IWDG1 time-out/ { n++; if (n == 2) { req = $2; exit } }
  END { if (!req || !rel) exit 1; r = (req - rel) / 762e3; printf "last reload -> time-out reset %.1f ms: %.3f x 762 ms\n", (req - rel) / 1e3, r
        exit !(r >= 0.99 && r <= 1.2) }' "$TMP/out" || fail "the time-out did not come ~762 ms after the last reload"
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "IWDG1: window violation and time-out (${ms} ms for 762) reset the system with IWDG1RSTF"
