#!/usr/bin/env bash
# --trace prints one line per event, "[trace] <us> <core> <category> <what>",
# only for the categories asked for.
. "$(dirname "$0")/lib.sh"

run_ampvp_bg "$TMP/out" "$TMP/err" run --machine $MACHINE \
  --cm7 "$FW/boot_sync_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" --timeout 30 \
  --trace hsem,exti,power,irq --expect 'CM4 done' --expect 'CM7 done'
wait $RUN_PID; rc=$?
[ $rc = 0 ] || { cat "$TMP/out" "$TMP/err" >&2; fail "exit code $rc"; }
bad=$(grep '^\[trace\]' "$TMP/out" | grep -vE '^\[trace\] [0-9]+\.[0-9]{3} [a-z0-9]+ (hsem|exti|power|irq) .+$' || true)
[ -z "$bad" ] || fail "malformed trace lines: $bad"
for cat in hsem power irq; do
  grep -qE "^\[trace\] [0-9.]+ [a-z0-9]+ $cat " "$TMP/out" || fail "no $cat trace line"
done
grep -q 'cm4 irq raise IRQ 126' "$TMP/out" || fail "the HSEM2 interrupt to the CM4 is not traced"
n=$(grep -c '^\[trace\]' "$TMP/out")
# Only the categories asked for:
run_ampvp_bg "$TMP/out2" "$TMP/err2" run --machine $MACHINE \
  --cm7 "$FW/boot_sync_cm7.elf" --cm4 "$FW/boot_sync_cm4.elf" --timeout 30 \
  --trace power --expect 'CM4 done' --expect 'CM7 done'
wait $RUN_PID
grep '^\[trace\]' "$TMP/out2" | grep -vqE ' power ' && fail "--trace power printed other categories"
assert_clean $RUN_PID
pass "$n well-formed trace lines"
