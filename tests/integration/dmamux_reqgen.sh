#!/usr/bin/env bash
# ST's DMA/DMAMUX_RequestGen (firmware/demos/dmamux_reqgen_cm7.c) on the STM32H745I-DISCO
# (LED1) or, with "h747", the STM32H747I-DISCO (LED4): LPTIM2 on the LSE / 4 makes a PWM
# whose inverted output (WAVPOL) rises every 16385 ticks of 8192 Hz = 2.000122 s; each
# rising edge is a trigger of DMAMUX2 request generator 0, whose one request makes BDMA
# channel 0 write the next word of {LED on, LED off} into the LED port's ODR.  Checked in
# virtual time (--deterministic), under --strict: the LED toggles on, off, on, off, the
# first right after the DMA starts (the edge WAVPOL itself made when HAL_LPTIM_Init wrote
# it, RM0399 "the output default value will change immediately"), then one toggle per
# LPTIM2 period, 2000.122 ms apart to the microsecond; two transfer-complete interrupts,
# no overrun, no error; nothing unmodelled.
. "$(dirname "$0")/lib.sh"

board=stm32h745i-disco led=LED1 elf=dmamux_reqgen_cm7.elf con='\[cm7\]'
if [ "${1:-}" = h747 ]; then
  board=stm32h747i-disco led=LED4 elf=dmamux_reqgen_h747_cm7.elf con='\[cm7:USART3\]'
fi

run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --deterministic --board $board -v \
  --cm7 "$FW/$elf" --timeout 120 --expect "^$con .*CM7 done\$"
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE "^$con \[[0-9.]+\] dmamux_reqgen: BDMA channel 0 <- DMAMUX2 generator 0 <- LPTIM2_OUT \(LSE / 4, ARR 16384, CMP 8192\), toggling $led\$" "$TMP/out" ||
  fail "no start line"
grep -qE "^$con \[[0-9.]+\] dmamux_reqgen: 2 transfer-complete interrupts \(4 LED writes\), errors 0x0\$" "$TMP/out" ||
  fail "not two transfer-complete interrupts without error"
grep -qE 'unimplemented|not modelled|guest error|reserved bits' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses"; }

# The LED lines after the start line: on, off, on, off; their times (ms, to the us).
mapfile -t toggles < <(sed -n "/dmamux_reqgen: BDMA channel 0/,\$p" "$TMP/out" | grep -E "^\[board\] $led ")
want=("on" "off" "on" "off")
[ ${#toggles[@]} = 4 ] || fail "${#toggles[@]} $led changes after the start, expected 4: ${toggles[*]}"
for i in 0 1 2 3; do
  [[ ${toggles[$i]} =~ ^\[board\]\ $led\ ${want[$i]}\ \(at\ ([0-9.]+)\ ms\)$ ]] ||
    fail "change $i: '${toggles[$i]}', expected $led ${want[$i]}"
  t[$i]=${BASH_REMATCH[1]}
done
awk -v a="${t[0]}" 'BEGIN { exit !(a < 20) }' || fail "the first toggle came at ${t[0]} ms, not at the DMA's start"
for i in 1 2 3; do
  d=$(awk -v a="${t[$((i - 1))]}" -v b="${t[$i]}" 'BEGIN { printf "%.3f", b - a }')
  [ $i = 1 ] && continue # from the DMA start to the first period end: not a whole period
  # 16385 ticks of LSE / 4: 16385 x 4 / 32768 s = 2000.122 ms.
  awk -v d="$d" 'BEGIN { exit !(d >= 2000.121 && d <= 2000.123) }' ||
    fail "toggles $((i - 1)) and $i are $d ms apart, expected 2000.122 (one LPTIM2 period)"
done
awk -v a="${t[0]}" -v b="${t[1]}" 'BEGIN { d = b - a; exit !(d > 1990 && d < 2000.123) }' ||
  fail "the second toggle came $(awk -v a="${t[0]}" -v b="${t[1]}" 'BEGIN { print b - a }') ms after the first"
assert_clean $RUN_PID
pass "$board: $led toggled by BDMA on each LPTIM2_OUT rising edge, every 2000.122 ms"
