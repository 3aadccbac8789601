#!/usr/bin/env bash
# IPCC simplex on the STM32MP15 (machine stm32mp157-2m: core "mpu" plays the
# Cortex-A7, IPCC processor 1; "m4" is processor 2).  The mpu releases the M4
# (RCC_MP_GCR.BOOT_MCU), then both send N messages at once: mpu -> m4 on channel
# 1, m4 -> mpu on channel 2, each message in MCU SRAM3, each taken by an
# RX-occupied interrupt and freed with CHnC, the sender waiting for its TX-free
# interrupt before the next one (firmware/demos/ipcc_simplex.c).  Checked: both
# sides' counts and checksums against the ones computed here, and every message
# carried by exactly one "occupy" and one "free" of its channel in the IPCC trace,
# each free raising the sender's TX-free line.
. "$(dirname "$0")/lib.sh"
MACHINE=stm32mp157-2m
P1=mpu M4=m4 # core names in machine/stm32mp157-2m.json

# N comes from the firmware build (CMake IPCC_SIMPLEX_MESSAGES), through its manifest.
n=$(sed -nE 's/^ipcc_simplex_p1\.elf .*messages=([0-9]+).*/\1/p' "$FW/firmware-manifest.txt")
[ -n "$n" ] || fail "ipcc_simplex_p1.elf is not in $FW/firmware-manifest.txt"

# The checksum both sides keep (ipcc_demo.h): message seq carries the 4 words
# ((seq * 0x9E3779B1 + k * 0x7F4A7C15) ^ tag) mod 2^32, k = 0..3; c = c * 31 + w.
checksum() { # tag
  local tag=$1 c=0 seq k w M=0xFFFFFFFF
  for ((seq = 1; seq <= n; seq++)); do
    for ((k = 0; k < 4; k++)); do
      w=$(( ((seq * 0x9E3779B1 + k * 0x7F4A7C15) & M) ^ tag ))
      c=$(( (c * 31 + w) & M ))
    done
  done
  printf '0x%08x' "$c"
}
c1=$(checksum 0x50315032) # "P1P2", channel 1
c2=$(checksum 0x50325031) # "P2P1", channel 2

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --image $P1="$FW/ipcc_simplex_p1.elf" --image $M4="$FW/ipcc_simplex_m4.elf" \
  --timeout 120 --trace ipcc,irq \
  --expect "^\[$P1\] ipcc_simplex: MPU released the M4 \(RCC_MP_GCR\.BOOT_MCU = 1\)\$" \
  --expect "^\[$P1\] ipcc_simplex: MPU sent $n messages on channel 1, checksum $c1\$" \
  --expect "^\[$P1\] ipcc_simplex: MPU received $n of $n messages on channel 2, checksum $c2, errors 0\$" \
  --expect "^\[$P1\] MPU done\$" \
  --expect "^\[$M4\] ipcc_simplex: M4 received $n of $n messages on channel 1, checksum $c1, errors 0\$" \
  --expect "^\[$M4\] ipcc_simplex: M4 sent $n messages on channel 2, checksum $c2\$" \
  --expect "^\[$M4\] CM4 done\$"
wait $RUN_PID; rc=$?
grep -v '^\[trace\]' "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'stuck|never became ready|not running' "$TMP/out" && fail "the demo reported a failure"

count() { grep -cE "$1" "$TMP/out"; }
t='^\[trace\] [0-9.]+'
occ1=$(count "$t $P1 ipcc $P1 occupies channel\(s\) 1 towards $M4\$")
free1=$(count "$t $M4 ipcc $M4 frees channel\(s\) 1 of $P1\$")
occ2=$(count "$t $M4 ipcc $M4 occupies channel\(s\) 2 towards $P1\$")
free2=$(count "$t $P1 ipcc $P1 frees channel\(s\) 2 of $M4\$")
[ "$occ1" = "$n" ] && [ "$free1" = "$n" ] ||
  fail "channel 1: $occ1 occupies by $P1 and $free1 frees by $M4, expected $n each"
[ "$occ2" = "$n" ] && [ "$free2" = "$n" ] ||
  fail "channel 2: $occ2 occupies by $M4 and $free2 frees by $P1, expected $n each"
# Flow control by interrupts: every free raised the sender's TX-free line once
# (mpu IPCC_TX0 101, m4 IPCC_TX1 104) and every occupy the receiver's RX line
# (m4 IPCC_RX1 103, mpu IPCC_RX0 100).
tx_p1=$(count "$t $P1 irq raise IRQ 101\$"); tx_m4=$(count "$t $M4 irq raise IRQ 104\$")
rx_m4=$(count "$t $M4 irq raise IRQ 103\$"); rx_p1=$(count "$t $P1 irq raise IRQ 100\$")
[ "$tx_p1" = "$n" ] && [ "$tx_m4" = "$n" ] ||
  fail "TX-free interrupts: $tx_p1 to $P1, $tx_m4 to $M4, expected $n each"
[ "$rx_m4" = "$n" ] && [ "$rx_p1" = "$n" ] ||
  fail "RX-occupied interrupts: $rx_m4 to $M4, $rx_p1 to $P1, expected $n each"
assert_clean $RUN_PID
pass "IPCC simplex: $n messages each way, checksums $c1 / $c2; $(grep -oE '[0-9]+ ms for' "$TMP/out") $n messages each way"
