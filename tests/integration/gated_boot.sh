#!/usr/bin/env bash
# Gated boot (RM0399 "Boot configuration"): a core whose option bit BCMx is 0
# stays in reset until the other core sets RCC_GCR.BOOT_Cx, then starts from
# its boot address as SYSCFG_UR holds it at that moment.
#   cm4-ram  BCM4 = 0, no CM4 image: the CM7 copies the CM4 program to SRAM at
#            0x10000000, writes UR3.BCM4_ADD0 = 0x1000 and sets BOOT_C2 (ST's
#            BootCM7_CM4Gated_RAM template); the CM4 must run from SRAM.
#   cm7      BCM7 = 0: the CM4 boots alone, then releases the CM7.
#   never    BCM4 = 0 and nobody releases it: the CM4 prints nothing, and the
#            hub still ends it cleanly.
. "$(dirname "$0")/lib.sh"

case "${1:-}" in
cm4-ram)
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --option-byte bcm4=0 \
    --cm7 "$FW/boot_cm4_gated_ram_cm7.elf" --timeout 30 --trace power \
    --expect '^\[cm7\] CM7: the CM4 runs the code it was given$' \
    --expect '^\[cm4\] CM4 done$' --expect '^\[cm7\] CM7 done$'
  wait $RUN_PID; rc=$?
  cat "$TMP/out"
  [ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
  grep -q '^\[cm7\] CM7: option bytes BCM7=1 BCM4=0$' "$TMP/out" || fail "FLASH_OPTSR_CUR does not show BCM4=0"
  grep -q '^\[cm7\] CM7: CM4 boot address 0x10000000, releasing' "$TMP/out" || fail "UR3 did not read back 0x1000"
  grep -qE '^\[cm4\] CM4: booted from SRAM, VTOR=0x10000000, running at 0x1000[0-9a-f]{4}$' "$TMP/out" \
    || fail "the CM4 did not run from SRAM at 0x10000000"
  grep -qE 'cm4 power reset released \(released by cm7\), vector table 0x10000000' "$TMP/out" \
    || fail "no trace line for the release"
  # Nothing ran on the CM4 before the release.
  first_cm4=$(grep -n '^\[cm4\]' "$TMP/out" | head -1 | cut -d: -f1)
  release=$(grep -n 'releasing the CM4' "$TMP/out" | head -1 | cut -d: -f1)
  [ "$first_cm4" -gt "$release" ] || fail "the CM4 printed before the CM7 released it"
  assert_clean $RUN_PID
  pass "CM4 gated, copied to SRAM, released with BOOT_C2, ran from 0x10000000"
  ;;
cm7)
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --option-byte bcm7=0 \
    --cm7 "$FW/boot_cm7_gated_cm7.elf" --cm4 "$FW/boot_cm7_gated_cm4.elf" --timeout 30 \
    --expect '^\[cm4\] CM4: the CM7 is running$' \
    --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
  wait $RUN_PID; rc=$?
  cat "$TMP/out"
  [ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
  grep -q '^\[cm4\] CM4: first to run; option bytes BCM7=0 BCM4=1$' "$TMP/out" || fail "OPTSR_CUR does not show BCM7=0"
  grep -q '^\[cm7\] CM7: released by the CM4, VTOR=0x08000000$' "$TMP/out" || fail "the CM7 did not boot from flash bank 1"
  first_cm7=$(grep -n '^\[cm7\]' "$TMP/out" | head -1 | cut -d: -f1)
  release=$(grep -n 'releasing the CM7' "$TMP/out" | head -1 | cut -d: -f1)
  [ "$first_cm7" -gt "$release" ] || fail "the CM7 printed before the CM4 released it"
  assert_clean $RUN_PID
  pass "CM7 gated, released by the CM4 with BOOT_C1"
  ;;
never)
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --option-byte bcm4=0 \
    --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" --timeout 4 --expect 'CM4 done'
  wait $RUN_PID; rc=$?
  cat "$TMP/out"
  [ $rc = 3 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 3 (timeout)"; }
  grep -q '^\[cm7\] CM7 done$' "$TMP/out" || fail "the CM7 did not run"
  grep -q '^\[cm4\]' "$TMP/out" && fail "the gated CM4 ran without a release"
  assert_clean $RUN_PID
  pass "a gated core nobody releases stays in reset and is cleaned up"
  ;;
bad)
  "$AMPVP" run --machine $MACHINE --option-byte bcm5=0 --cm7 "$FW/hello_cm7.elf" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  [ $rc = 1 ] || fail "unknown option byte: exit $rc, expected 1"
  assert_one_error_line "$TMP/err" "no option byte 'bcm5' \(it has: bcm4, bcm7, boot4, boot7\)"
  "$AMPVP" run --machine $MACHINE --option-byte bcm4=0 --option-byte bcm7=0 \
    --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  [ $rc = 1 ] || fail "both cores gated: exit $rc, expected 1"
  assert_one_error_line "$TMP/err" "held in reset by the option bytes"
  "$AMPVP" run --machine $MACHINE --option-byte bcm4 --cm7 "$FW/hello_cm7.elf" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  [ $rc = 2 ] || fail "--option-byte without '=': exit $rc, expected 2"
  pass "bad option bytes: one clear error line each"
  ;;
*) fail "usage: gated_boot.sh cm4-ram|cm7|never|bad" ;;
esac
