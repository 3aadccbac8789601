#!/usr/bin/env bash
# RAMECC monitors (RM0399 "RAM ECC monitoring"): ramecc_cm7 starts all 12 monitors
# of RAMECC1-3 as ST's HAL does (Init, EnableNotification, StartMonitor, GIE,
# ECC_IRQn 145), writes and reads back 4 KiB of five RAMs in words, half-words and
# bytes: no flag, no failing address, no interrupt. Run with --strict: every
# register it touches is modelled (no unimplemented line, no guest error).
source "$(dirname "$0")/lib.sh"
"$AMPVP" run --machine $MACHINE --cm7 "$FW/ramecc_cm7.elf" --strict --timeout 30 \
  --expect '^\[cm7\] CM7 done$' >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/out" "$TMP/err" >&2; fail "run failed"; }
grep -qx '\[cm7\] ramecc: 12 monitors started, 5 RAMs x 4096 bytes checked, 0 ECC errors, 0 ECC interrupts' "$TMP/out" \
  || { cat "$TMP/out" >&2; fail "verdict line"; }
grep -E 'unimplemented|guest error' "$TMP/err" && fail "unmodelled or forbidden accesses"
pass "RAMECC: 12 monitors started, no ECC error, no ECC interrupt, --strict clean"
