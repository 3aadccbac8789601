#!/usr/bin/env bash
# ST's WWDG_Example (NUCLEO-H745ZI-Q) with the early wake-up interrupt and both reset
# scopes of RM0399: with RCC_GCR.WW1RSC = 0 WWDG1 resets the CM7 alone (WWDG1RSTF |
# C1RSTF, the CM4 runs on: its heartbeat advances, it does not boot again); with
# WW1RSC = 1 it resets the system (both cores boot, PINRSTF and C2RSTF too).
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace power,irq \
  --cm7 "$FW/wwdg_cm7.elf" --cm4 "$FW/wwdg_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4: boot 1, RSR=0x10460000$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
for re in '^\[cm7\] wwdg: life 0, RSR=0x00f80000$' '^\[cm7\] wwdg: refresh 3 at counter 0x4[0-9a-f]$' \
          '^\[cm7\] wwdg: life 1, RSR=0x10020000$' \
          '^\[cm7\] wwdg: CPU1 reset by WWDG1 \(WW1RSC=0\), CM4 ran on \(heartbeat \+[1-9][0-9]*\)$' \
          '^\[cm7\] wwdg: life 2, RSR=0x10460000$' '^\[cm7\] wwdg: system reset by WWDG1 \(WW1RSC=1\)$' \
          '^\[cm4\] CM4: boot 0, RSR=0x00f80000$'; do
  grep -qE "$re" "$TMP/out" || fail "missing /$re/"
done
awk '/WWDG1 power early wake-up \(counter 0x40\)/ && !e { e = NR } /cm7 irq raise IRQ 0$/ && e && !i { i = NR }
     /WWDG1 power reset: counter rolled/ && !r { r = NR } END { exit !(e && i > e && r > i) }' "$TMP/out" ||
  fail "no early wake-up interrupt (IRQ 0) at counter 0x40 before the reset"
grep -q '^\[cm7\] wwdg: early wake-up was taken at counter 0x40, then the reset$' "$TMP/out" ||
  echo "information: the CM7 did not run its early wake-up handler in the one counter step before the reset (host load)"
[ "$(grep -c '^\[cm4\] CM4: boot' "$TMP/out")" = 2 ] || fail "the CM4 booted other than twice (the CPU1 reset must not touch it)"
grep -q 'cm7: reset (WWDG1 reset of CPU1 (WW1RSC = 0))' "$TMP/err" || { cat "$TMP/err" >&2; fail "no CPU1 reset line"; }
grep -q 'system reset (WWDG1 reset, system (WW1RSC = 1))' "$TMP/err" || { cat "$TMP/err" >&2; fail "no system reset line"; }
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "WWDG1: early wake-up, CPU1 reset (CM4 ran on), then system reset, with their RCC_RSR flags"
