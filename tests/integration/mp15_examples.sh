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
#   wwdg  WWDG_Example: WWDG1 refreshed every 16 ms in its window; USER1 (PA14 falling,
#         EXTI14) makes the M4 fault (a store to 0xA0003000) and stop refreshing: WWDG1
#         resets the MCU (RM0436: only the M4 and WWDG1, not the RCC), the M4 boots
#         again with MC_RSTSCLRR = WWDG1RSTF alone and its clocks as they were (ST skips
#         SystemClock_Config then), keeps LED7 on for 4 s and restarts the watchdog.
#         Free-running (a core reset stalls --deterministic runs, see the report).  The
#         DK2's PA14 idles high (LED5 to 3.3 V, the button to ground); ampvp's board does
#         not drive idle levels, so the run drives PA14 = 1 from the start.
#   uart  UART_Receive_Transmit_Console: USART3 at 115200 baud from the 104.44 MHz PCLK1
#         with OVER8 (BRR 0x712), after HAL's USART3 force/release reset; the host types
#         "z" (refused), "c", "Test9" (invalid), "Test1" (LED7 toggles 50 times, 100 ms
#         apart) and "Test3" (exit); every character is echoed; LED7 ends on.
#   gpio  GPIO_EXTI: USER1 (PA14) on EXTI line 14, falling edge only: three presses toggle
#         LED7 three times (on, off, on); the releases (rising edges) do nothing; HAL's
#         handler clears FPR1 bit 14.  PA14 idles high as in the wwdg case.
#   adc   ADC_SingleConversion_TriggerTimer_DMA: TIM2's update (TRGO, EXTSEL 11) starts
#         each ADC2 conversion of channel 16 (DAC1 OUT1 inside the chip: MCR.MODE1 = 011
#         leaves PA4 alone), 12 bits, 810.5 cycles at HCLK / 2 with BOOST; DMA2 stream 1
#         (request 10) fills a circular 64 half-word buffer, LED7 off at each half, on at
#         each end.  Six USER1 presses, one a second, step the DAC through 0, 1023, 2047,
#         3071, 4095 and 0 again: every result of the buffer is the DAC code; the buffers
#         come at TIM2's rate.  Production boot (64 MHz: TIM2 at 32 MHz / 98000 = 326.5
#         Hz, 5.1 buffers a second), then engineering boot (PLL3: 1066 Hz, 16.7 a second;
#         ST's BSP_PMIC_Init over I2C4 and VREFBUF are not modelled: the demo skips them).
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

# in_order FILE REGEX...: lines matching these, in this order (each after the previous one).
in_order() {
  local file=$1; shift
  local prev=0 re n
  for re in "$@"; do
    n=$(tail -n +"$((prev + 1))" "$file" | grep -nE -m1 "$re" | cut -d: -f1)
    [ -n "$n" ] || fail "no /$re/ after line $prev of $file"
    prev=$((prev + n))
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
wwdg)
  # Free-running, the refresh window is host time (17 ms after the last refresh, the reset
  # at 20.1 ms): a host that starves the M4 for 3 ms lets the watchdog fire before USER1's
  # handler has printed its line (4.4 ms of UART at 115200 baud), and the one press is
  # spent.  Only that outcome (a WWDG1 boot before the whole USER1 line) is run again, at
  # most three times; any other failure fails at once.
  for attempt in 1 2 3; do
    run_ampvp_bg "$TMP/wwdg.out" "$TMP/wwdg.err" run --board stm32mp157c-dk2 --strict \
      --m4 "$FW/mp15_wwdg.elf" --timeout 60 --expect 'WWDG1 started' --option-byte boot_pins=4 \
      --gpio PA14=1 --press 'USER1@/refreshed every/' --timestamps --expect-order \
      --expect 'USER1: WWDG1 counter' --expect 'boot, MC_RSTSCLRR=' --expect 'WWDG1RSTF set' \
      --expect 'WWDG1 started'
    wait $RUN_PID; rc=$?
    assert_clean $RUN_PID
    [ $attempt -lt 3 ] &&
      awk '/mp15_wwdg: USER1: WWDG1 counter 0x[0-9a-f]+, store to 0xA0003000$/ { u = 1 }
           /mp15_wwdg: boot, MC_RSTSCLRR=0x00000400/ && !u { r = 1 }
           END { exit !r }' "$TMP/wwdg.out" || break
    echo "information: attempt $attempt: WWDG1 fired before USER1's handler ran (a loaded host missed a refresh window); running again"
  done
  cat "$TMP/wwdg.out"
  [ $rc = 0 ] || { cat "$TMP/wwdg.err" >&2; fail "wwdg: exit code $rc, expected 0"; }
  grep -qE "$GAPS" "$TMP/wwdg.err" && { cat "$TMP/wwdg.err" >&2; fail "wwdg: unmodelled or erroneous accesses"; }
  ts='\[[0-9.]+\] '
  in_order "$TMP/wwdg.out" \
    "^\\[m4:USART3\\] ${ts}mp15_wwdg: boot, MC_RSTSCLRR=0x00000015, SystemCoreClock 20887793[0-9] Hz$" \
    "^\\[m4:USART3\\] ${ts}mp15_wwdg: WWDG1 started \\(W 0x50, T 0x7F, WDGTB 3, PCLK1 10443896[0-9] Hz\\), refreshed every 16 ms$" \
    '^\[board\] USER1 pressed$' \
    "^\\[m4:USART3\\] ${ts}mp15_wwdg: USER1: WWDG1 counter 0x(4[1-9a-f]|[5-7][0-9a-f]), store to 0xA0003000$" \
    "^\\[m4:USART3\\] ${ts}mp15_wwdg: boot, MC_RSTSCLRR=0x00000400, SystemCoreClock 20887793[0-9] Hz$" \
    '^\[board\] LED7 on$' "^\\[m4:USART3\\] ${ts}mp15_wwdg: WWDG1RSTF set: LED7 on for 4 s$"
  # The refresh comes 17 ms after the last one, the reset 20.1 ms after it: a host that
  # starves the M4 for 3 ms lets the watchdog fire on its own (free-running time).
  boots=$(grep -c 'mp15_wwdg: boot' "$TMP/wwdg.out")
  [ "$boots" = 2 ] || echo "information: the M4 booted $boots times (a loaded host missed a refresh window)"
  grep -q 'm4: reset (WWDG1 reset of the MCU), boots again from 0x00000000' "$TMP/wwdg.err" ||
    { cat "$TMP/wwdg.err" >&2; fail "no MCU reset by WWDG1"; }
  # HAL_Delay(4000) between "WWDG1RSTF set" and the watchdog's restart (console times in us).
  t_set=$(sed -nE 's/^\[m4:USART3\] \[([0-9.]+)\] mp15_wwdg: WWDG1RSTF set.*/\1/p' "$TMP/wwdg.out")
  t_restart=$(sed -nE 's/^\[m4:USART3\] \[([0-9.]+)\] mp15_wwdg: WWDG1 started.*/\1/p' "$TMP/wwdg.out" | tail -1)
  awk -v a="$t_set" -v b="$t_restart" 'BEGIN { exit !(b - a >= 4000000) }' ||
    fail "the watchdog restarted $t_set -> $t_restart us: less than the 4 s of LED7"
  pass "WWDG_Example: refreshed in its window, the fault leads to an MCU reset by WWDG1 with WWDG1RSTF, clocks kept, LED7 4 s"
  ;;
uart)
  mkfifo "$TMP/in"
  "$AMPVP" run --board stm32mp157c-dk2 --strict --m4 "$FW/mp15_uart_console.elf" --timeout 60 \
    --option-byte boot_pins=4 --serial USART3=stdin --timestamps --expect '^\[m4:USART3\] CM4 done$' \
    <"$TMP/in" >"$TMP/uart.out" 2>"$TMP/uart.err" &
  RUN_PID=$!
  exec 3>"$TMP/in"
  # As a user at the prompt: HAL_UARTEx_DisableFifoMode clears UE, which drops what came before.
  wait_for "$TMP/uart.out" "Press c to continue" 60 && printf 'zcTest9Test1Test3' >&3
  exec 3>&-
  wait $RUN_PID; rc=$?
  cat "$TMP/uart.out"
  [ $rc = 0 ] || { cat "$TMP/uart.err" >&2; fail "uart: exit code $rc, expected 0"; }
  grep -qE "$GAPS" "$TMP/uart.err" && { cat "$TMP/uart.err" >&2; fail "uart: unmodelled or erroneous accesses"; }
  assert_clean $RUN_PID
  p='^\[m4:USART3\] \[[0-9.]+\] '
  in_order "$TMP/uart.out" "${p}mp15_uart: USART3 BRR 0x712 \\(PCLK1 10443896[0-9] Hz, OVER8\\)$" \
    "${p}\\*\\* Start UART Receive and Transmit Example \\*\\*$" "${p}z$" \
    "${p} !!! Invalid Character, please press c to continue the test !!! $" "${p}c$" \
    "${p}          Test3: Exit $" "${p}Test9$" "${p}                !! INVALID CHOICE$" "${p}Test1$" \
    "${p}                \\*\\* Start Fast Toggle Test : see LED7!$" \
    "${p}                \\*\\* Fast Toggle Test is Finished!$" "${p}Test3$" \
    "${p}  >> Getchar = Test finished successfully. \\*\\* $" '^\[board\] LED7 on$' \
    "${p}\\*\\* Stop UART Receive and Transmit Example \\*\\*$"
  toggles=$(sed -n '/Start Fast Toggle/,/Fast Toggle Test is Finished/p' "$TMP/uart.out" | grep -c '^\[board\] LED7 o')
  [ "$toggles" = 50 ] || fail "LED7 toggled $toggles times in Test1, expected 50"
  t0=$(sed -nE 's/^\[m4:USART3\] \[([0-9.]+)\] +\*\* Start Fast Toggle.*/\1/p' "$TMP/uart.out")
  t1=$(sed -nE 's/^\[m4:USART3\] \[([0-9.]+)\] +\*\* Fast Toggle Test is Finished.*/\1/p' "$TMP/uart.out")
  awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 5000000) }' || fail "Test1 took $t0 -> $t1 us, less than 50 x 100 ms"
  pass "UART_Receive_Transmit_Console: printf and getchar on USART3 (OVER8, 104.44 MHz), menu, LED7 toggles"
  ;;
gpio)
  run_m4 gpio mp15_gpio_exti.elf 'falling edge 3,' --option-byte boot_pins=4 --gpio PA14=1 \
    --press 'USER1@/waiting for USER1/' --press USER1@1s --press USER1@1500ms
  in_order "$TMP/gpio.out" '^\[m4:USART3\] mp15_gpio_exti: SystemCoreClock 20887793[0-9] Hz, waiting for USER1$' \
    '^\[board\] USER1 pressed$' '^\[board\] LED7 on$' \
    '^\[m4:USART3\] mp15_gpio_exti: EXTI14 falling edge 1, FPR1 bit 14 cleared: 1, LED7 on$' \
    '^\[board\] USER1 released$' '^\[board\] USER1 pressed$' '^\[board\] LED7 off$' \
    '^\[m4:USART3\] mp15_gpio_exti: EXTI14 falling edge 2, FPR1 bit 14 cleared: 1, LED7 off$' \
    '^\[board\] USER1 pressed$' '^\[board\] LED7 on$' \
    '^\[m4:USART3\] mp15_gpio_exti: EXTI14 falling edge 3, FPR1 bit 14 cleared: 1, LED7 on$'
  [ "$(grep -c '^\[board\] LED7' "$TMP/gpio.out")" = 3 ] || fail "LED7 changed other than three times"
  pass "GPIO_EXTI: three USER1 presses, three EXTI14 falling-edge interrupts, LED7 on/off/on"
  ;;
adc)
  presses=(--press USER1@1s --press USER1@2s --press USER1@3s --press USER1@4s --press USER1@5s --press USER1@6s)
  # check_adc RUN BUFFERS_PER_S: the six reports, in order, and the buffer rate over 3 s.
  check_adc() {
    local run=$1 rate=$2 p='^\[m4:USART3\] \[[0-9.]+\] mp15_adc: '
    in_order "$TMP/$run.out" "${p}ADC2 calibrated, CCR 0x00020000, CFGR 0x8000156b, CR 0x10010100$" \
      "${p}conversions started, waiting for USER1$" \
      "${p}USER1 1: DAC1 OUT1 0, ADC2 channel 16 min 0 max 0 \\(0 mV at VDDA 2900 mV\\)" \
      "${p}USER1 2: DAC1 OUT1 1023, ADC2 channel 16 min 1023 max 1023 \\(724 mV" \
      "${p}USER1 3: DAC1 OUT1 2047, ADC2 channel 16 min 2047 max 2047 \\(1449 mV" \
      "${p}USER1 4: DAC1 OUT1 3071, ADC2 channel 16 min 3071 max 3071 \\(2174 mV" \
      "${p}USER1 5: DAC1 OUT1 4095, ADC2 channel 16 min 4095 max 4095 \\(2900 mV" \
      "${p}USER1 6: DAC1 OUT1 0, ADC2 channel 16 min 0 max 0 "
    grep -q '^\[board\] LED7 off$' "$TMP/$run.out" && grep -q '^\[board\] LED7 on$' "$TMP/$run.out" ||
      fail "$run: LED7 did not follow the DMA half / complete interrupts"
    local c2 c5
    c2=$(sed -nE 's/.*USER1 2: .* complete ([0-9]+)$/\1/p' "$TMP/$run.out")
    c5=$(sed -nE 's/.*USER1 5: .* complete ([0-9]+)$/\1/p' "$TMP/$run.out")
    awk -v a="$c2" -v b="$c5" -v r="$rate" 'BEGIN { n = b - a; exit !(n >= 3 * r * 0.8 && n <= 3 * r * 1.2) }' ||
      fail "$run: $((c5 - c2)) buffers between the 2nd and 5th press, expected about $rate a second"
  }
  run_m4 adc mp15_adc.elf 'USER1 6:' --gpio PA14=1 --timestamps "${presses[@]}"
  grep -q 'mp15_adc: production boot, SystemCoreClock 64000000 Hz$' "$TMP/adc.out" || fail "adc: not a production boot"
  check_adc adc 5.1
  run_m4 adc_eng mp15_adc.elf 'USER1 6:' --option-byte boot_pins=4 --gpio PA14=1 --timestamps "${presses[@]}"
  in_order "$TMP/adc_eng.out" 'mp15_adc: engineering boot, SystemCoreClock 20887793[0-9] Hz$' \
    'mp15_adc: BSP_PMIC_Init and VREFBUF skipped'
  check_adc adc_eng 16.7
  pass "ADC_SingleConversion_TriggerTimer_DMA: TIM2-triggered ADC2 conversions of DAC1 OUT1 by DMA, five DAC levels, production and engineering boot"
  ;;
*)
  fail "usage: $0 crc|dma|wwdg|uart|gpio|adc"
  ;;
esac
