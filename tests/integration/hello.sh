#!/usr/bin/env bash
# The hello demo on both cores of the emulated STM32H745: each core prints its
# CPUID-derived name, the CM4 sees the value the CM7 put in shared SRAM4, both
# finish, ampvp exits 0 as soon as every expected line was seen, and nothing is
# left behind.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" --timeout 60 \
  --expect '^\[cm7\] hello from Cortex-M7, CPUID=0x411fc271$' \
  --expect '^\[cm4\] hello from Cortex-M4, CPUID=0x410fc241$' \
  --expect '^\[cm7\] CM7 wrote 0xc0ffee45 to SRAM4$' \
  --expect '^\[cm4\] CM4 read 0xc0ffee45 from SRAM4$' \
  --expect '^\[cm7\] CM7 done$' \
  --expect '^\[cm4\] CM4 done$'
wait $RUN_PID
rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "timed out" "$TMP/out" && fail "CM4 did not see the SRAM4 value"
grep -q "guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "guest errors during the demo"; }
assert_clean $RUN_PID
pass "hello on both cores"
