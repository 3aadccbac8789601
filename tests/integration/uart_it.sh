#!/usr/bin/env bash
# USART3 driven by interrupts the way ST's HAL does it (firmware/demos/uart_it_cm7.c),
# fed from the host with --serial stdin: the banner goes out through the TXE/TC (or
# TXFT/TC) interrupts, every line sent comes back through RXNE and is echoed, "quit"
# ends the demo, and ampvp exits 0 once every expected line was seen, with no guest
# error, no unimplemented register and nothing left behind.
#   uart_it.sh        uart_it_cm7.elf.  The input is piped in at once, before the
#                     firmware is ready: the hub offers a byte only while the USART
#                     has room (RDR empty), so none is lost.
#   uart_it.sh fifo   uart_it_fifo_cm7.elf (FIFO mode, TXFT interrupt).  The input is
#                     sent once "uart_it: ready" is out, like a user at the prompt:
#                     HAL's FIFO set-up calls clear UE, which discards received data.
. "$(dirname "$0")/lib.sh"

ELF=uart_it_cm7
[ "${1:-}" = fifo ] && ELF=uart_it_fifo_cm7
INPUT=$'hello\rquit\r'
ARGS=(run --machine "$MACHINE" --cm7 "$FW/$ELF.elf" --cm4 "$FW/idle_cm4.elf"
      --serial stdin --timeout 60
      --expect '^\[cm7\] uart_it: ready$'
      --expect "^\\[cm7\\] uart_it: got 'hello'\$"
      --expect "^\\[cm7\\] uart_it: got 'quit'\$"
      --expect '^\[cm7\] uart_it: bye$'
      --expect '^\[cm7\] CM7 done$')

if [ "$ELF" = uart_it_cm7 ]; then
  printf '%s' "$INPUT" | "$AMPVP" "${ARGS[@]}" >"$TMP/out" 2>"$TMP/err" &
  RUN_PID=$!
else
  mkfifo "$TMP/in"
  "$AMPVP" "${ARGS[@]}" <"$TMP/in" >"$TMP/out" 2>"$TMP/err" &
  RUN_PID=$!
  exec 3>"$TMP/in"
  if wait_for "$TMP/out" '^\[cm7\] uart_it: ready$' 60; then
    printf '%s' "$INPUT" >&3
  fi
  exec 3>&-
fi
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }

# The CM7's lines, in this order and nothing else (no lost or doubled byte).
expected=$'[cm7] uart_it: ready\n[cm7] uart_it: got \'hello\'\n[cm7] uart_it: got \'quit\'\n[cm7] uart_it: bye\n[cm7] CM7 done'
got=$(grep '^\[cm7\]' "$TMP/out")
[ "$got" = "$expected" ] || fail "CM7 lines differ from the expected echo:"$'\n'"$got"
grep -q "guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "guest errors during the demo"; }
grep -q "unimplemented" "$TMP/err" && { cat "$TMP/err" >&2; fail "unimplemented registers touched"; }
assert_clean $RUN_PID
pass "$ELF: interrupt-driven USART3 echoes the host's lines"
