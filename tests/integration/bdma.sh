#!/usr/bin/env bash
# BDMA + DMAMUX2 on the STM32H745 (firmware/demos/bdma_cm7.c), register for register
# as ST's HAL drives the BDMA: channel 0 copies N words memory-to-memory from SRAM4
# to the backup SRAM (both in D3) with half-transfer and transfer-complete
# interrupts (BDMA_Channel0, IRQ 129); then the same from AXI SRAM, which RM0399's
# bus matrix does not give the BDMA: a transfer error (TEIF, EN cleared by
# hardware), the destination untouched.  Checked under --strict: the checksum of
# the destination against the one computed here, the callback counts, and
# nothing unmodelled on stderr (the transfer error's guest-error line is expected,
# exactly one).
. "$(dirname "$0")/lib.sh"

n=$(sed -nE 's/^bdma_cm7\.elf .*words=([0-9]+).*/\1/p' "$FW/firmware-manifest.txt")
[ -n "$n" ] || fail "bdma_cm7.elf is not in $FW/firmware-manifest.txt"
c=0 M=0xFFFFFFFF
for ((i = 0; i < n; i++)); do
  c=$(( (c * 31 + ((i * 0x01000193 + 7) & M)) & M ))
done
c=$(printf '0x%08x' "$c")

run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --machine $MACHINE \
  --cm7 "$FW/bdma_cm7.elf" --timeout 60 \
  --expect "^\[cm7\] bdma: channel 0 copied $((4 * n)) bytes SRAM4 -> backup SRAM: half-transfer 1, transfer-complete 1, errors 0x0, mismatches 0, checksum $c\$" \
  --expect '^\[cm7\] bdma: channel 0 from AXI SRAM: transfer-complete 0, errors 0x1, EN after the error 0, destination untouched yes$' \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "did not happen" "$TMP/out" && fail "the demo reported a failure"
grep -qE 'unimplemented|not modelled|reserved bits' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled accesses on the BDMA path"; }
[ "$(grep -c 'guest error' "$TMP/err")" = 1 ] &&
  grep -q 'BDMA channel 0: bus error reading 0x24.*outside the areas its bus matrix reaches' "$TMP/err" ||
  { cat "$TMP/err" >&2; fail "expected exactly the AXI SRAM transfer error on stderr"; }
assert_clean $RUN_PID
pass "BDMA copy of $((4 * n)) bytes SRAM4 -> backup SRAM, checksum $c; AXI SRAM source a transfer error"
