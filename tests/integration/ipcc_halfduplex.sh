#!/usr/bin/env bash
# IPCC half-duplex on the STM32MP15 (machine stm32mp157-2m): the mpu (processor
# 1) sends N requests to the M4 on channel 1; request and response share one
# buffer in MCU SRAM3; the M4 answers in its RX-occupied interrupt and clears the
# channel, and that "free" - the mpu's TX-free interrupt - means "response
# ready" (firmware/demos/ipcc_halfduplex_*.c).  Checked: both sides' counts and
# the checksum of the responses against the one computed here, and one occupy,
# one free and one TX-free interrupt per request in the trace.
. "$(dirname "$0")/lib.sh"
MACHINE=stm32mp157-2m
P1=mpu M4=m4 # core names in machine/stm32mp157-2m.json

# N comes from the firmware build (CMake IPCC_HALFDUPLEX_REQUESTS), through its manifest.
n=$(sed -nE 's/^ipcc_halfduplex_p1\.elf .*requests=([0-9]+).*/\1/p' "$FW/firmware-manifest.txt")
[ -n "$n" ] || fail "ipcc_halfduplex_p1.elf is not in $FW/firmware-manifest.txt"

# ipcc_demo.h: request seq carries v = ((seq * 0x9E3779B1) mod 2^32) ^ 0x52455121,
# the M4 answers r = ((v ^ 0xA5A5A5A5) + seq) mod 2^32; checksum c = c * 31 + r.
M=0xFFFFFFFF c=0
for ((seq = 1; seq <= n; seq++)); do
  v=$(( ((seq * 0x9E3779B1) & M) ^ 0x52455121 ))
  r=$(( ((v ^ 0xA5A5A5A5) + seq) & M ))
  c=$(( (c * 31 + r) & M ))
done
c=$(printf '0x%08x' "$c")

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --image $P1="$FW/ipcc_halfduplex_p1.elf" --image $M4="$FW/ipcc_halfduplex_m4.elf" \
  --timeout 120 --trace ipcc,irq \
  --expect "^\[$P1\] ipcc_halfduplex: MPU released the M4 \(RCC_MP_GCR\.BOOT_MCU = 1\)\$" \
  --expect "^\[$P1\] ipcc_halfduplex: MPU got $n of $n responses on channel 1, checksum $c, errors 0\$" \
  --expect "^\[$P1\] MPU done\$" \
  --expect "^\[$M4\] ipcc_halfduplex: M4 served $n of $n requests on channel 1, checksum $c, errors 0\$" \
  --expect "^\[$M4\] CM4 done\$"
wait $RUN_PID; rc=$?
grep -v '^\[trace\]' "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'stuck|no response|never became ready|not running' "$TMP/out" &&
  fail "the demo reported a failure"

count() { grep -cE "$1" "$TMP/out"; }
t='^\[trace\] [0-9.]+'
occ=$(count "$t $P1 ipcc $P1 occupies channel\(s\) 1 towards $M4\$")
free=$(count "$t $M4 ipcc $M4 frees channel\(s\) 1 of $P1\$")
[ "$occ" = "$n" ] && [ "$free" = "$n" ] ||
  fail "channel 1: $occ requests (occupies by $P1), $free responses (frees by $M4), expected $n each"
rx_m4=$(count "$t $M4 irq raise IRQ 103\$"); tx_p1=$(count "$t $P1 irq raise IRQ 101\$")
[ "$rx_m4" = "$n" ] || fail "$rx_m4 RX-occupied interrupts (IPCC_RX1 103) to $M4, expected $n"
[ "$tx_p1" = "$n" ] || fail "$tx_p1 response-ready (TX-free, IPCC_TX0 101) interrupts to $P1, expected $n"
# Nothing travels the other way.
[ "$(count "$t $M4 ipcc $M4 occupies ")" = 0 ] || fail "$M4 set a channel flag (half-duplex: it only clears)"
assert_clean $RUN_PID
pass "IPCC half-duplex: $n requests, response checksum $c; $(grep -oE '[0-9]+ us per request' "$TMP/out")"
