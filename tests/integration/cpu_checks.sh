#!/usr/bin/env bash
# The cores look like the silicon to code that checks them: 4 NVIC priority
# bits on both cores (FreeRTOS's port asserts it), CPUID of current silicon;
# on the CM7 the cache geometry CMSIS's cache enable walks (16 KB D-cache,
# 4 ways x 128 sets, so 512 DCISW operations) and ST's MPU_Config with the
# H7's 16 MPU regions; CCR.IC/DC read back 1 once enabled (QEMU patch 0003).
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/cpu_checks_cm7.elf" --cm4 "$FW/cpu_checks_cm4.elf" --timeout 30 \
  --expect '^\[cm7\] CM7: NVIC priority bits 4 \(0xff reads back 0xf0\)$' \
  --expect '^\[cm4\] CM4: NVIC priority bits 4 \(0xff reads back 0xf0\)$' \
  --expect '^\[cm7\] CM7: CPUID 0x411fc271 Cortex-M7 r1p1$' \
  --expect '^\[cm4\] CM4: CPUID 0x410fc241 Cortex-M4 r0p1$' \
  --expect '^\[cm7\] CM7: CLIDR 0x09000003 CTR 0x8303c003$' \
  --expect '^\[cm7\] CM7: D-cache 16 KB: 4 ways x 128 sets x 32 bytes \(CCSIDR 0xf00fe019\)$' \
  --expect '^\[cm7\] CM7: caches on: 512 set/way invalidations, CCR.IC=1 CCR.DC=1$' \
  --expect '^\[cm7\] CM7: MPU 16 regions, RNR 15 reads 15, region 1 reads back exactly, SRAM4 usable$' \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
assert_clean $RUN_PID
pass "NVIC priority bits and CPUIDs as on the silicon"
