#!/usr/bin/env bash
# RNG on the STM32H745I-DISCO (firmware/demos/rng_cm7.c, ST's RNG_MultiRNG), under
# --strict: 8 numbers by polling, 8 more by interrupt after a press on B1; all 16
# non-zero and different, and the polled ones the same in a second run (the model's
# seeded generator: runs are reproducible).  The interrupt-driven ones may skip a
# number of the sequence: HAL's handler reads DR whenever SR.DRDY is set, and an RNG
# interrupt line the hub has lowered can still be seen high by the core for a few
# microseconds (the lowering travels on the asynchronous channel), long enough for the
# next number (4.5 us) to be taken by a second run of the handler.  The runs use
# --deterministic: how far that race goes then depends on the images only, not on the
# host's load (under `ctest -j2` beside builds it once gave a different count).
. "$(dirname "$0")/lib.sh"

numbers() {
  run_ampvp_bg "$TMP/out$1" "$TMP/err$1" run --strict --board stm32h745i-disco \
    --cm7 "$FW/rng_cm7.elf" --timeout 30 --press 'B1@/waiting for B1/' --deterministic \
    --expect '^\[cm7\] CM7 done$'
  wait $RUN_PID; local rc=$?
  cat "$TMP/out$1" >&2
  [ $rc = 0 ] || { cat "$TMP/err$1" >&2; fail "run $1: exit code $rc, expected 0"; }
  grep -q ' error$' "$TMP/out$1" && fail "run $1: the demo reported an error"
  grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err$1" &&
    { cat "$TMP/err$1" >&2; fail "unmodelled or erroneous accesses on the RNG path"; }
  assert_clean $RUN_PID
  sed -nE 's/^\[cm7\] (\[[0-9.]+\] )?rng: aRandom32bit = (.*)$/\2/p' "$TMP/out$1" | tr ' ' '\n'
}
mapfile -t a < <(numbers 1)
mapfile -t b < <(numbers 2)
[ "${#a[@]}" = 16 ] || fail "run 1 gave ${#a[@]} numbers, expected 16"
[ "$(printf '%s\n' "${a[@]}" | sort -u | wc -l)" = 16 ] || fail "repeated numbers: ${a[*]}"
printf '%s\n' "${a[@]}" | grep -qx '0x00000000' && fail "a zero among the numbers"
[ "${a[*]:0:8}" = "${b[*]:0:8}" ] || fail "the polled numbers of the two runs differ (the generator is seeded: they must not)"
pass "RNG: 16 distinct numbers (polling and interrupt), the polled ones the same in two runs"
