#!/usr/bin/env bash
# ADC and DAC on the NUCLEO-H745ZI-Q (firmware/demos/adc_dac_cm7.c), under --strict:
#  - ADC1 channel 16 converts the voltage the host puts on PA0 (--analog PA0=1.65, then
#    0.5 V once the first result is printed): 16-bit results computed here;
#  - DAC1 OUT1 (PA4) read back by ADC1 channel 18 on the same pad: the 12-bit codes come
#    back unchanged;
#  - ADC3's injected group converts VREFINT (1.216 V);
#  - ST's ADC_DualModeInterleaved: TIM3-triggered ADC1/ADC2 interleaved into DMA, DAC1
#    stepping through 5 levels on TIM6 + DMA: every result is one of the 5 levels, each
#    level is seen, the slave (almost always) equals the master, no overrun; LED1 is on at each DMA
#    transfer-complete, 256 ms apart at 1 kHz (virtual time: --deterministic, +-0.1%).
. "$(dirname "$0")/lib.sh"

code16() { awk -v v="$1" 'BEGIN { printf "%d", int(v / 3.3 * 65535 + 0.5) }'; }
run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --deterministic --board nucleo-h745zi-q \
  --cm7 "$FW/adc_dac_cm7.elf" -v --timeout 120 \
  --analog PA0=1.65 --analog 'PA0=0.5@/ADC1 channel 16 \(PA0\)/' \
  --expect '^\[cm7\] CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
# Deterministic runs stamp console lines with virtual time ("[cm7] [1152.3] text"):
# the checks below read the text.
sed -Ei 's/^(\[[a-z0-9]+\]) \[[0-9.]+\] /\1 /' "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -q "did not happen" "$TMP/out" && fail "the demo reported a failure"
grep -qE 'unimplemented|not modelled|reserved bits|guest error' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses on the ADC/DAC path"; }

c1=$(code16 1.65); c2=$(code16 0.5)
mapfile -t pa0 < <(sed -nE 's/^\[cm7\] adc: ADC1 channel 16 \(PA0\) = ([0-9]+) .*/\1/p' "$TMP/out")
[ "${pa0[*]}" = "$c1 $c2" ] || fail "PA0 results ${pa0[*]}, expected $c1 (1.65 V) then $c2 (0.5 V)"
for c in 0 1024 2048 3072 4095; do
  grep -q "^\[cm7\] dac->adc: DAC1 OUT1 $c -> ADC1 channel 18 $c\$" "$TMP/out" ||
    fail "DAC code $c did not come back unchanged through PA4"
done
vref=$(code16 1.216)
grep -q "^\[cm7\] adc: ADC3 injected VREFINT = $vref (1216 mV)\$" "$TMP/out" || fail "VREFINT is not $vref"

line=$(grep -E '^\[cm7\] adc_dual: ' "$TMP/out") || fail "no dual-mode result"
[[ "$line" =~ levels\ ([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+)\ of\ 512\ results,\ other\ 0,\ slave\ =\ master\ in\ ([0-9]+)\ of\ 256,\ overruns\ 0$ ]] ||
  fail "dual mode: $line"
for n in "${BASH_REMATCH[@]:1:5}"; do
  [ "$n" -gt 40 ] || fail "a DAC level was seen only $n times of 512: $line"
done
# The slave samples one ADC clock after the master: a DAC step (TIM6) can fall in
# between when the two timers' updates nearly coincide -- rarely.
[ "${BASH_REMATCH[6]}" -ge 248 ] || fail "slave and master differ too often: $line"
# LED1 on at each transfer complete: 256 conversions at 1 kHz.
mapfile -t on < <(sed -nE 's/^\[board\] LED1 on \(at ([0-9.]+) ms\)$/\1/p' "$TMP/out")
[ "${#on[@]}" -ge 4 ] || fail "LED1 was on ${#on[@]} times, expected 4 (one per complete buffer)"
last=$(( ${#on[@]} - 1 ))
period=$(awk -v a="${on[1]}" -v b="${on[$last]}" -v n="$(( last - 1 ))" 'BEGIN { print (b - a) / n }')
awk -v p="$period" 'BEGIN { exit !(p / 256 > 0.999 && p / 256 < 1.001) }' ||
  fail "LED1 on every $period ms of virtual time, expected 256 ms (256 conversions at 1 kHz)"
echo "LED1 on every $period ms of virtual time (256 expected)"
assert_clean $RUN_PID
pass "ADC1 on host voltages, DAC1->ADC1 loopback, ADC3 injected VREFINT, dual interleaved with DMA and a DAC waveform"
