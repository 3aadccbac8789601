#!/usr/bin/env bash
# MDMA on the STM32H745 (firmware/demos/mdma_cm7.c), register for register as ST's
# HAL drives it in ST's MDMA_LinkedList and MDMA_RepeatBlock_Rotation examples:
# a linked list of three nodes (word -> byte into AXI SRAM, byte -> byte into
# SRAM1, byte -> word into SRAM4) started by one software request, ending with
# the channel-transfer-complete interrupt (MDMA_IRQn 122); then a frame cleared
# from one RGB565 colour (fixed source, one block per line) and an image copied
# into its centre rotated by 180 degrees (decrementing destination, negative
# block offset); the block flags whose interrupts are not enabled (BRTIF, BTIF,
# TCIF: 0x1c) are left set.  Checked under --strict: every buffer equal to its
# source, the frame's checksum against the one computed here, the callback
# counts and flags, and nothing unmodelled or erroneous on stderr.
. "$(dirname "$0")/lib.sh"

# The frame as the demo expects it: grey 0x7BEF, the 32x20 image
# p[i] = (i * 0x9E37 + 0x1234) mod 2^16 rotated by 180 degrees at (8, 6) of 48x32;
# checksum c = c * 31 + pixel over the frame in row order, mod 2^32.
W=48 H=32 w=32 h=20 x0=8 y0=6 c=0
for ((y = 0; y < H; y++)); do
  for ((x = 0; x < W; x++)); do
    v=$((0x7BEF))
    if ((x >= x0 && x < x0 + w && y >= y0 && y < y0 + h)); then
      i=$(( (h - 1 - (y - y0)) * w + (w - 1 - (x - x0)) ))
      v=$(( (i * 0x9E37 + 0x1234) & 0xFFFF ))
    fi
    c=$(( (c * 31 + v) & 0xFFFFFFFF ))
  done
done
c=$(printf '0x%08x' "$c")

run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --machine $MACHINE \
  --cm7 "$FW/mdma_cm7.elf" --timeout 60 \
  --expect '^\[cm7\] mdma: linked list of 3 nodes: 256\+200\+128 bytes, transfer-complete 1, block 0, errors 0x0, mismatches 0$' \
  --expect "^\[cm7\] mdma: repeated block: clear 48x32, rotate 32x20: transfer-complete 2, flags left 0x1c, errors 0x0, mismatches 0, checksum $c\$" \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "did not happen" "$TMP/out" && fail "the demo reported a failure"
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the MDMA path"; }
assert_clean $RUN_PID
pass "MDMA linked list of 3 nodes and repeated-block clear + 180-degree rotation, checksum $c"
