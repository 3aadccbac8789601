#!/usr/bin/env bash
# DMA2D on the STM32H747 (the STM32H747I-DISCO's part; firmware/demos/dma2d_cm7.c),
# register for register as ST's HAL drives it in ST's DMA2D examples, without the
# LCD: register-to-memory fill of an RGB565 area inside a wider frame (output line
# offset) in interrupt mode (DMA2D_IRQn 90), memory-to-memory with pixel-format
# conversion RGB565 -> ARGB8888 and an ARGB4444 foreground (alpha replaced by 0x7F)
# blended over an RGB565 background, both polled as HAL_DMA2D_PollForTransfer does.
# The demo checks every pixel against RM0399's conversion and blender formulas.
# Checked under --strict: one transfer complete and no mismatch per part, the fill's
# checksum against the one computed here, nothing unmodelled or erroneous on stderr.
. "$(dirname "$0")/lib.sh"

# The fill: 24 lines of 64 RGB565 pixels, 40 of them 0x001F (blue), the rest 0x1234.
c=0
for ((y = 0; y < 24; y++)); do
  for ((x = 0; x < 64; x++)); do
    v=$(( x < 40 ? 0x001F : 0x1234 ))
    c=$(( (c * 31 + v) & 0xFFFFFFFF ))
  done
done
c=$(printf '0x%08x' "$c")

run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --machine stm32h747 \
  --cm7 "$FW/dma2d_cm7.elf" --timeout 60 \
  --expect "^\[cm7\] dma2d: register-to-memory RGB565 40x24 in a 64-pixel frame: transfer-complete 1, errors 0x0, mismatches 0, checksum $c\$" \
  --expect '^\[cm7\] dma2d: memory-to-memory with PFC RGB565 -> ARGB8888 32x16: transfer-complete 1, errors 0x0, mismatches 0, checksum 0x[0-9a-f]{8}$' \
  --expect '^\[cm7\] dma2d: blending ARGB4444 alpha 0x7F over RGB565 32x16: transfer-complete 1, errors 0x0, mismatches 0, checksum 0x[0-9a-f]{8}$' \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "did not happen" "$TMP/out" && fail "the demo reported a failure"
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the DMA2D path"; }
assert_clean $RUN_PID
pass "DMA2D fill (checksum $c), RGB565 -> ARGB8888 conversion and ARGB4444-over-RGB565 blending on the STM32H747"
