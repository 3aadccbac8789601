#!/usr/bin/env bash
# DMAMUX1's request generators on DMA2/DMA1 (firmware/demos/dmamux1_reqgen_cm7.c), the
# way ST's DMAMUX_RequestGen uses DMAMUX2's, in virtual time (--deterministic) under
# --strict:
#  - EXTI0 (trigger 6: SYSCFG's line 0 multiplexer, PA0 driven by the host, rising at
#    100, 200, 300, 400 ms) -> generator 0 (2 requests per edge) -> DMA2 stream 0: 8
#    words in four steps of 2, each after its edge and before the next; the destination
#    matches the source and nothing is written past it.
#  - LPTIM1_OUT (trigger 3: LPTIM1's PWM on the LSI, 1 ms period) -> generator 1 (1
#    request) -> DMA1 stream 1 (1 word, normal mode): the first edge is served, the second
#    waits (the stream has ended), the third is a trigger overrun: RGSR.OF1, DMAMUX1_OVR
#    (IRQ 102), HAL_DMAEx_MUX_IRQHandler; two LPTIM1 periods (2000 us) after the transfer.
. "$(dirname "$0")/lib.sh"

gpio=()
for t in 100 200 300 400; do gpio+=(--gpio "PA0=1@${t}ms" --gpio "PA0=0@$((t + 50))ms"); done
run_ampvp_bg "$TMP/out" "$TMP/err" run --strict --deterministic --machine $MACHINE \
  --cm7 "$FW/dmamux1_reqgen_cm7.elf" "${gpio[@]}" --timeout 120 --expect '^\[cm7\] .*CM7 done$'
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }
grep -qE 'unimplemented|not modelled|guest error|reserved bits' "$TMP/err" &&
  { cat "$TMP/err" >&2; fail "unmodelled or erroneous accesses"; }
# "[cm7] [<us>] text": the time (us of virtual time) of a console line matching $1.
at() { sed -nE "s/^\[cm7\] \[([0-9.]+)\] $1\$/\1/p" "$TMP/out"; }
within() { awk -v t="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(t != "" && t >= lo * 1000 && t < hi * 1000) }'; }
k=0
for n in 6 4 2; do
  t=$(at "dmamux1: EXTI0 edge: DMA2 stream 0 NDTR $n")
  lo=$((100 * (k + 1)))
  within "$t" $lo $((lo + 100)) || fail "NDTR $n reported at '${t}' us, expected after the edge at $lo ms, before the next"
  k=$((k + 1))
done
t=$(at "dmamux1: 8 words on 4 EXTI0 edges, transfer-complete 1, destination matches")
within "$t" 400 500 || fail "the transfer did not complete after the 4th edge (at 400 ms) with a matching destination ('$t')"
grep -qE '^\[cm7\] \[[0-9.]+\] dmamux1: LPTIM1_OUT: 1 transfer, trigger overrun 2000 us after it \(RGSR was 0x2\), word written$' "$TMP/out" ||
  fail "no trigger overrun two LPTIM1 periods after the one transfer"
assert_clean $RUN_PID
pass "DMAMUX1 generators: EXTI0 edges move 2 words each on DMA2 stream 0; LPTIM1_OUT overrun after 2 periods"
