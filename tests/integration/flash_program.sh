#!/usr/bin/env bash
# FLASH program/erase (firmware/demos/flash_cm7.c, ST's FLASH_CoreConfiguration), under
# --strict, with the CM4 gated by the option bytes (--option-byte bcm4=0, as ST's readme
# asks): the CM7 unlocks the flash, erases bank 2 sector 0 (1 s at x64, measured in the
# hub's time with --trace flash; the CM7's SysTick figure, which host load shortens, is
# for information), programs the CM4 program into it one 256-bit flash word
# at a time through the flash memory, reads it back (no mismatch), sets BCM4 through the
# option bytes (OPTSTART) and releases the CM4, which then runs what is now in bank 2.
. "$(dirname "$0")/lib.sh"

size=$(stat -c %s "$FW/flash_payload_cm4.bin") || fail "no $FW/flash_payload_cm4.bin"
words=$(( size / 32 + 1 ))
run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --machine $MACHINE \
  --cm7 "$FW/flash_cm7.elf" --option-byte bcm4=0 --timeout 60 --trace flash \
  --expect '^\[cm4\] CM4 done$' --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q ' failed ' "$TMP/out" && fail "the demo reported a failure"
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the flash path"; }
grep -q '^\[cm7\] flash: option bytes BCM7=1 BCM4=0$' "$TMP/out" || fail "the CM4 was not gated at start"
ms=$(sed -nE 's/^\[cm7\] flash: bank 2 sector 0 erased in ([0-9]+) ms$/\1/p' "$TMP/out")
[ -n "$ms" ] || fail "no erase line"
hub=$(awk '/FLASH flash sector erase of 0x08100000 .* started/ { s = $2 }
           /FLASH flash erase of 0x08100000 done/ && s != "" { printf "%.1f", ($2 - s) / 1e3; exit }' "$TMP/out")
[ -n "$hub" ] || fail "no erase start/done trace lines"
awk -v m="$hub" 'BEGIN { exit !(m / 1000 >= 0.99 && m / 1000 < 1.3) }' ||
  fail "the sector erase took $hub ms of the hub's time, 1000 ms modelled (x64)"
grep -qE "^\[cm7\] flash: programmed $size bytes \($words flash words\) at 0x08100000 in [0-9]+ ms, mismatches 0\$" "$TMP/out" ||
  fail "bank 2 was not programmed with the $size-byte CM4 program"
grep -q '^\[cm7\] flash: option bytes now BCM7=1 BCM4=1$' "$TMP/out" || fail "OPTSTART did not set BCM4"
grep -q '^\[cm4\] flash_cm4: running from flash bank 2, vector table at 0x08100000$' "$TMP/out" ||
  fail "the CM4 did not run the program written into bank 2"
echo "information: sector erase $hub ms in the hub's time, $ms ms of the CM7's SysTick (1000 modelled)"
assert_clean $RUN_PID
pass "flash bank 2 erased, programmed with the CM4 program and read back; option bytes; the CM4 runs it"
