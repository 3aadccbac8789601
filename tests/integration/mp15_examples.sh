#!/usr/bin/env bash
# ST's STM32MP157C-DK2 Cortex-M4 examples (STM32CubeMP1) that need no extra hardware, as
# firmware/demos/mp15_*.c reproduce them register for register, on the stm32mp157
# machine with the DK2 board, under --strict: each run's stderr holds no unimplemented,
# unmodelled or guest-error line.  One case per run of this script:
#   crc   CRC_UserDefinedPolynomial: engineering boot (SystemClock_Config: PLL3 at
#         208.88 MHz as ST's HAL computes it), CRC2 with an 8-bit polynomial gives 0xEF,
#         LED7 on (once: no glitch while PH7 is still analog); then production boot
#         (the hub's remoteproc master loads and releases the M4, no SystemClock_Config).
#   dma   DMA_FIFOMode: DMA2 stream 0 (DMAMUX1 channel 8, MEM2MEM) copies 32 words
#         through its FIFO from the constant table in MCU SRAM1 (0x1000xxxx) to SRAM2,
#         TC interrupt (IRQ 56) -> LED7 on; --deterministic: right after EN = 1 the
#         stream is still busy (the copy takes its beats at the 208.9 MHz MLHCLK).
. "$(dirname "$0")/lib.sh"

GAPS='unimplemented|not modelled|reserved bits|guest error'

# run_m4 NAME ELF EXPECT [AMPVP-RUN-ARGS...]: run the image on the DK2 under --strict
# until EXPECT; fail on another exit status or on a gap in stderr.  Output in $TMP/NAME.
run_m4() {
  local name=$1 elf=$2 expect=$3; shift 3
  run_ampvp_bg "$TMP/$name.out" "$TMP/$name.err" run --board stm32mp157c-dk2 --strict \
    --m4 "$FW/$elf" --timeout 60 --expect "$expect" "$@"
  wait $RUN_PID; local rc=$?
  cat "$TMP/$name.out"
  [ $rc = 0 ] || { cat "$TMP/$name.err" >&2; fail "$name: exit code $rc, expected 0"; }
  grep -qE "$GAPS" "$TMP/$name.err" && { cat "$TMP/$name.err" >&2; fail "$name: unmodelled or erroneous accesses"; }
  assert_clean $RUN_PID
}

# in_order FILE REGEX...: the lines appear in FILE in this order.
in_order() {
  local file=$1; shift
  local prev=0 re n
  for re in "$@"; do
    n=$(grep -nE -m1 "$re" "$file" | cut -d: -f1)
    [ -n "$n" ] || fail "missing /$re/ in $file"
    [ "$n" -gt "$prev" ] || fail "/$re/ (line $n) comes before the previous line (line $prev)"
    prev=$n
  done
}

case "${1:-}" in
crc)
  run_m4 crc mp15_crc.elf '^\[m4:USART3\] CM4 done$' --option-byte boot_pins=4
  in_order "$TMP/crc.out" \
    '^\[m4:USART3\] mp15_crc: engineering boot, SystemClock_Config done, SystemCoreClock 20887793[0-9] Hz$' \
    '^\[m4:USART3\] mp15_crc: CRC2 of 0x00001234 \(poly 0x9B, 8 bits, init 0xFF\) = 0xef, expected 0xef$' \
    '^\[board\] LED7 on$' '^\[m4:USART3\] mp15_crc: LED7 on$'
  [ "$(grep -c '^\[board\] LED7' "$TMP/crc.out")" = 1 ] || fail "LED7 changed other than once"
  # Production boot: Linux's role (the hub) loads the image and sets BOOT_MCU.
  run_m4 crc_prod mp15_crc.elf '^\[m4:USART3\] CM4 done$'
  grep -q '^\[m4:USART3\] mp15_crc: production boot, SystemCoreClock 64000000 Hz$' "$TMP/crc_prod.out" ||
    fail "production boot: no SystemCoreClock line"
  grep -q '= 0xef, expected 0xef$' "$TMP/crc_prod.out" || fail "production boot: wrong CRC"
  pass "CRC_UserDefinedPolynomial: CRC2 gives 0xEF, LED7 on, in engineering and production boot"
  ;;
dma)
  run_m4 dma mp15_dma_fifo.elf '^\[m4:USART3\] (\[[0-9.]+\] )?CM4 done$' --option-byte boot_pins=4 --deterministic
  in_order "$TMP/dma.out" '^\[board\] LED7 on$' \
    '^\[m4:USART3\] \[[0-9.]+\] mp15_dma_fifo: first poll after EN=1: EN=1 NDTR=([1-9]|[12][0-9]|3[01])$' \
    '^\[m4:USART3\] \[[0-9.]+\] mp15_dma_fifo: DMA2 stream 0 copied 128 bytes from 0x1000[0-9a-f]{4} to 0x1002[0-9a-f]{4} through its FIFO: transfer-complete 1, errors 0, mismatches 0$'
  [ "$(grep -c '^\[board\] LED7' "$TMP/dma.out")" = 1 ] || fail "LED7 changed other than once"
  pass "DMA_FIFOMode: DMA2 stream 0 copies 128 bytes through its FIFO, TC interrupt, LED7 on"
  ;;
*)
  fail "usage: $0 crc|dma"
  ;;
esac
