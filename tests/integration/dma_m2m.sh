#!/usr/bin/env bash
# DMA1 on the STM32H745 (firmware/demos/dma_m2m_cm7.c), register for register as
# ST's HAL drives it: stream 0 copies N words memory-to-memory from AXI SRAM to
# SRAM4 and signals half-transfer and transfer-complete interrupts (IRQ 11); then
# stream 1 sends a console line to USART3_TDR on the USART's DMA requests
# (DMAMUX1 request 46), ending with the USART's TC interrupt.  Checked, under
# --strict: the checksum of the destination against the one computed here, one
# HT and one TC callback each, no error, the line sent by DMA on the console, and
# nothing unmodelled or erroneous on stderr.  The first poll of the stream right
# after EN = 1 is printed for information (it depends on host timing).
. "$(dirname "$0")/lib.sh"

# N comes from the firmware build, through its manifest.
n=$(sed -nE 's/^dma_m2m_cm7\.elf .*words=([0-9]+).*/\1/p' "$FW/firmware-manifest.txt")
[ -n "$n" ] || fail "dma_m2m_cm7.elf is not in $FW/firmware-manifest.txt"

# The demo's source words w[i] = (i * 0x9E3779B1 + 0x12345678) mod 2^32; the
# checksum of the destination is c = c * 31 + w, mod 2^32.
c=0 M=0xFFFFFFFF
for ((i = 0; i < n; i++)); do
  c=$(( (c * 31 + ((i * 0x9E3779B1 + 0x12345678) & M)) & M ))
done
c=$(printf '0x%08x' "$c")
bytes=$((4 * n))

run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --machine $MACHINE \
  --cm7 "$FW/dma_m2m_cm7.elf" --timeout 60 \
  --expect "^\[cm7\] dma_m2m: DMA1 stream 0 copied $bytes bytes from 0x24[0-9a-f]{6} to 0x38[0-9a-f]{6}: half-transfer 1, transfer-complete 1, errors 0, mismatches 0, checksum $c\$" \
  --expect '^\[cm7\] dma_uart: this line went out by DMA1 stream 1, DMAMUX1 request 46 \(USART3_TX\)$' \
  --expect '^\[cm7\] dma_uart: transmit complete, DMA half-transfer 1, transfer-complete 1, errors 0$' \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "did not happen" "$TMP/out" && fail "the demo reported a failure"
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the DMA path"; }
poll=$(sed -nE 's/.*first poll after EN=1: (EN=[01] NDTR=[0-9]+)$/\1/p' "$TMP/out")
echo "information: first poll after EN=1 ($n words to copy): $poll"
assert_clean $RUN_PID
pass "DMA1 memory-to-memory copy of $bytes bytes, checksum $c; USART3 line sent by DMA"
