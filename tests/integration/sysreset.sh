#!/usr/bin/env bash
# A system reset requested by the CM7 (HAL_NVIC_SystemReset: SCB AIRCR.SYSRESETREQ).
# RM0399: the whole system resets, both cores boot again from their reset vectors,
# RCC_RSR of each CPU shows SFT1RSTF with PINRSTF, C1RSTF and C2RSTF, the backup
# SRAM and the option bytes are kept.  Pair: sysreset_cm7 + wwdg_cm4 (boot counter).
#
# The path: QEMU's NVIC pulses SYSRESETREQ -> the core sends SYSRESETREQ (protocol 2.4)
# -> the machine routes it to the RCC's reset input (stm32h745.json "sysresetreq") ->
# the RCC model resets the system.  Without it QEMU resets the CM7 alone (RSR 0, the
# CM4 runs on): the checks below fail then.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace power \
  --cm7 "$FW/sysreset_cm7.elf" --cm4 "$FW/wwdg_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4: boot 1, RSR=0x[0-9a-f]{8}$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qx '\[cm7\] sysreset: NVIC_SystemReset' "$TMP/out" || fail "the CM7 never asked for the reset"
grep -qE '^\[cm7\] sysreset: life 1, ' "$TMP/out" || fail "the CM7 did not boot again"
opt0=$(sed -nE 's/^\[cm7\] sysreset: life 0, .*OPTSR=(0x[0-9a-f]+)$/\1/p' "$TMP/out")
opt1=$(sed -nE 's/^\[cm7\] sysreset: life 1, .*OPTSR=(0x[0-9a-f]+)$/\1/p' "$TMP/out")
[ -n "$opt0" ] && [ "$opt0" = "$opt1" ] || fail "option bytes changed: $opt0 -> $opt1"
for re in '^\[cm7\] sysreset: life 1, RSR=0x01460000, ' \
          '^\[cm7\] sysreset: system reset by CPU1 \(SFT1RSTF\), backup SRAM kept$' \
          '^\[cm4\] CM4: boot 0, RSR=0x00f80000$' '^\[cm4\] CM4: boot 1, RSR=0x01460000$'; do
  grep -qE "$re" "$TMP/out" || fail "missing /$re/"
done
grep -q 'reset requested: SYSRESETREQ from CPU1' "$TMP/out" || fail "no system reset in the hub's trace"
grep -qE "unimplemented|not modelled" "$TMP/err" && { cat "$TMP/err" >&2; fail "unmodelled accesses"; }
assert_clean $RUN_PID
pass "SYSRESETREQ from the CM7: system reset, both cores booted again, SFT1RSTF, backup SRAM and option bytes kept"
