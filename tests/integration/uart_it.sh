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
#   uart_it.sh lpuart lpuart_it_cm7.elf: the same on LPUART1 (IRQ 142, kernel clock
#                     rcc_pclk4, BRR = 256 * fck / baud), fed with --serial
#                     LPUART1=stdin; its lines are "[cm7:LPUART1] ..." (not the console
#                     UART).  With -v the LPUART's enable line must give 115200 baud.
. "$(dirname "$0")/lib.sh"

ELF=uart_it_cm7
SERIAL=stdin
EXTRA=()
P='[cm7]'     # the line prefix, as printed
[ "${1:-}" = fifo ] && ELF=uart_it_fifo_cm7
if [ "${1:-}" = lpuart ]; then
  ELF=lpuart_it_cm7
  SERIAL=LPUART1=stdin
  EXTRA=(-v)
  P='[cm7:LPUART1]'
fi
RE=$(printf '%s' "$P" | sed 's/[][]/\\&/g') # the prefix as a regular expression
INPUT=$'hello\rquit\r'
ARGS=(run --machine "$MACHINE" --cm7 "$FW/$ELF.elf" --cm4 "$FW/idle_cm4.elf"
      --serial "$SERIAL" --timeout 60 "${EXTRA[@]}"
      --expect "^$RE uart_it: ready\$"
      --expect "^$RE uart_it: got 'hello'\$"
      --expect "^$RE uart_it: got 'quit'\$"
      --expect "^$RE uart_it: bye\$"
      --expect "^$RE CM7 done\$")

if [ "$ELF" != uart_it_fifo_cm7 ]; then
  printf '%s' "$INPUT" | "$AMPVP" "${ARGS[@]}" >"$TMP/out" 2>"$TMP/err" &
  RUN_PID=$!
else
  mkfifo "$TMP/in"
  "$AMPVP" "${ARGS[@]}" <"$TMP/in" >"$TMP/out" 2>"$TMP/err" &
  RUN_PID=$!
  exec 3>"$TMP/in"
  if wait_for "$TMP/out" "^$RE uart_it: ready\$" 60; then
    printf '%s' "$INPUT" >&3
  fi
  exec 3>&-
fi
wait $RUN_PID; rc=$?
cat "$TMP/out"
[ $rc = 0 ] || { cat "$TMP/err" >&2; fail "exit code $rc, expected 0"; }

# The demo UART's lines, in this order and nothing else (no lost or doubled byte).
expected="$P uart_it: ready"$'\n'"$P uart_it: got 'hello'"$'\n'"$P uart_it: got 'quit'"$'\n'"$P uart_it: bye"$'\n'"$P CM7 done"
got=$(grep -F "$P " "$TMP/out")
[ "$got" = "$expected" ] || fail "CM7 lines differ from the expected echo:"$'\n'"$got"
grep -q "guest error" "$TMP/err" && { cat "$TMP/err" >&2; fail "guest errors during the demo"; }
grep -q "unimplemented" "$TMP/err" && { cat "$TMP/err" >&2; fail "unimplemented registers touched"; }
if [ "$ELF" = lpuart_it_cm7 ]; then
  # RM0399 LPUART baud rate: 256 * 64 MHz / 142222 = 115200 (the -v enable line).
  grep -q "LPUART1: 115200 baud 8N1 (kernel clock 64 MHz, BRR 0x22b8e)" "$TMP/err" "$TMP/out" ||
    { cat "$TMP/err" >&2; fail "no 'LPUART1: 115200 baud' enable line"; }
fi
assert_clean $RUN_PID
pass "$ELF: the interrupt-driven UART echoes the host's lines"
