#!/usr/bin/env bash
# One file with both cores' code, the way STM32CubeProgrammer users often have
# it: hello_cm7 and hello_cm4 converted to Intel HEX and merged (the CM7's
# end-of-file record dropped), given as `--image FILE` without a core.  Each
# segment lands at its address (flash bank 1 and 2), both cores boot from
# their boot addresses.  A corrupt record is one error line naming file and line.
. "$(dirname "$0")/lib.sh"
OBJCOPY=${OBJCOPY:-arm-none-eabi-objcopy}
command -v "$OBJCOPY" >/dev/null || fail "$OBJCOPY not found (scripts/setup installs gcc-arm-none-eabi)"

"$OBJCOPY" -O ihex "$FW/hello_cm7.elf" "$TMP/cm7.hex"
"$OBJCOPY" -O ihex "$FW/hello_cm4.elf" "$TMP/cm4.hex"
{ grep -v '^:00000001FF' "$TMP/cm7.hex"; cat "$TMP/cm4.hex"; } >"$TMP/both.hex"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE --image "$TMP/both.hex" -v --timeout 30 \
  --expect '^\[cm7\] CM7 done$' --expect '^\[cm4\] CM4 read 0xc0ffee45 from SRAM4$' --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "all cores: loaded $TMP/both.hex" "$TMP/err" || { cat "$TMP/err" >&2; fail "no load line for the combined image"; }
assert_clean $RUN_PID

# Flip one data digit of line 3: the checksum no longer matches.
awk 'NR == 3 { c = substr($0, 10, 1); $0 = substr($0, 1, 9) (c == "0" ? "1" : "0") substr($0, 11) } 1' \
  "$TMP/both.hex" >"$TMP/bad.hex"
cmp -s "$TMP/bad.hex" "$TMP/both.hex" && fail "test set-up: bad.hex is not corrupted"
"$AMPVP" run --machine $MACHINE --image "$TMP/bad.hex" >"$TMP/out" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] || fail "corrupt HEX: exit $rc, expected 1"
assert_one_error_line "$TMP/err" "bad.hex:3: checksum mismatch"
pass "combined Intel HEX: both cores boot; a corrupt record names file and line"
