#!/usr/bin/env bash
# ST's dual-core template (STM32CubeH7 NUCLEO-H745ZI-Q Templates/BootCM4_CM7) boots:
# the st_boot pair does what the template and the HAL functions it calls do, register
# for register (firmware/demos/st_boot_cm7.c, st_boot_cm4.c).  Run under --strict, so an
# access to an unmodelled register is a bus error, and the boot path must be fully
# modelled: no "unimplemented", "not modelled", "reserved bits" or "guest error" line.
# Asserted: the clocks each core computes from the RCC registers as HAL does
# (400/200 MHz), the HAL tick over HAL_Delay(100) on both cores (SysTick follows the
# new clocks), the hub's clock tree, USART3 at 115200 baud from PCLK1 = 100 MHz, LED2
# on then off, the handshake order, exit 0 and nothing left behind.
# Deterministic (virtual time, docs/determinism.md): free-running, the tick read after
# HAL_Delay's loop is host time, and a host stall of over a millisecond between the
# loop's last read and that one (ctest -j2 on 2 CPUs) made it 102.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --board nucleo-h745zi-q --strict --trace clock,power -v --deterministic \
  --cm7 "$FW/st_boot_cm7.elf" --cm4 "$FW/st_boot_cm4.elf" --timeout 60 \
  --expect '^\[cm7\] CM7: SYSCLK=400000000 HCLK=200000000 \(from RCC registers\)$' \
  --expect '^\[cm7\] CM7: HAL_GetTick advanced [0-9]+ ms over HAL_Delay\(100\)$' \
  --expect '^\[cm7\] CM7 done$' \
  --expect '^\[cm4\] CM4: woke up, SystemCoreClock=200000000$' \
  --expect '^\[cm4\] CM4: HAL_GetTick advanced [0-9]+ ms over HAL_Delay\(100\)$' \
  --expect '^\[cm4\] CM4 done$'
wait $RUN_PID; rc=$?
# Console lines carry their virtual time after the tag: checked without it.
sed -Ei 's/^(\[[a-z0-9]+\]) \[[0-9.]+\] /\1 /' "$TMP/out"
# Leave the cores' idle-loop power lines out of the log.
grep -vE '^\[trace\] [0-9.]+ cm[47] power (sleep|wake)' "$TMP/out"
cat "$TMP/err" >&2
[ $rc = 0 ] || fail "exit code $rc, expected 0"

line_of() { grep -nE -m1 "$1" "$TMP/out" | cut -d: -f1; }
has() { grep -qE "$1" "$TMP/out"; }

# Nothing failed on the way (ST's Error_Handler, HAL_Init, a fault).
grep -qE 'Error_Handler|HAL_Init failed|FastTake\(0\) failed|PCLK1 is|HardFault|Unhandled exception' "$TMP/out" &&
  fail "the firmware reported a failure"

# The HAL tick over HAL_Delay(100): HAL waits one tick more than asked (exactly 101 in
# virtual time; 100 if the delay starts just before a tick).
for c in 7 4; do
  n=$(sed -nE "s/^\[cm$c\] CM$c: HAL_GetTick advanced ([0-9]+) ms over HAL_Delay\(100\)$/\1/p" "$TMP/out")
  [ "$n" = 100 ] || [ "$n" = 101 ] || fail "CM$c: HAL_GetTick advanced '$n' ms over HAL_Delay(100), expected 100 or 101"
done

# The hub computed the same tree from the registers the CM7 wrote.
tree='cm7 clock SYSCLK 400 MHz \(PLL1\), CM7 400 MHz, HCLK/CM4 200 MHz, PCLK1 100 MHz'
has "^\[trace\] [0-9.]+ $tree" || fail "no clock-tree line for 400/200/100 MHz"
has '^\[trace\] [0-9.]+ cm7 clock CPU clock set to 400000000 Hz$' || fail "the CM7 was not sent its 400 MHz clock"
has '^\[trace\] [0-9.]+ cm4 clock CPU clock set to 200000000 Hz$' || fail "the CM4 was not sent its 200 MHz clock"
grep -q 'USART3: 115207 baud 8N1 (kernel clock 100 MHz, BRR 0x364, OVER8 0)' "$TMP/err" ||
  fail "USART3 was not enabled at 115200 baud from PCLK1 = 100 MHz (BRR 0x364)"

# LED2 (PE1): BSP_LED_Init leaves it off, two BSP_LED_Toggle: on, then off.
seq=$(grep -oE '^\[board\] LED[0-9] (on|off)' "$TMP/out" | tr '\n' ',')
[ "$seq" = "[board] LED2 on,[board] LED2 off," ] || fail "board LED changes '$seq', expected LED2 on, LED2 off"

# The handshake in order: the CM4 in D2 STOP before the CM7 switches the clocks, woken
# by HSEM 0 (IRQ 126) after the switch, printing only after that.
sleep4=$(line_of '^\[trace\] [0-9.]+ cm4 power deep sleep')
clk=$(line_of "^\[trace\] [0-9.]+ $tree")
wake4=$(line_of '^\[trace\] [0-9.]+ cm4 power wake \(after IRQ 126\)')
first4=$(line_of '^\[cm4\]')
[ -n "$sleep4" ] && [ -n "$clk" ] && [ -n "$wake4" ] && [ -n "$first4" ] ||
  fail "missing handshake lines (deep sleep '$sleep4', clock '$clk', wake '$wake4', CM4 output '$first4')"
[ "$sleep4" -lt "$clk" ] && [ "$clk" -lt "$wake4" ] && [ "$wake4" -lt "$first4" ] ||
  fail "handshake out of order: deep sleep $sleep4, clock switch $clk, CM4 wake $wake4, CM4 output $first4"

# The boot path is fully modelled.
bad=$(grep -E 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" || true)
[ -z "$bad" ] || fail "the boot path touches what the emulator does not model:"$'\n'"$bad"
assert_clean $RUN_PID
pass "ST's BootCM4_CM7 template: 400/200/100 MHz, HAL tick on both cores, LED2, fully modelled"
