#!/usr/bin/env bash
# Bad images give one clear error line naming the file, exit status 1, and
# leave no process and no /dev/shm file behind.
. "$(dirname "$0")/lib.sh"

check() { # name expected-regex ampvp-args... (--machine defaults to $MACHINE)
  local name=$1 re=$2; shift 2
  case " $* " in *" --machine "*) ;; *) set -- --machine $MACHINE "$@" ;; esac
  run_ampvp_bg "$TMP/out" "$TMP/err" run --timeout 20 "$@"
  wait $RUN_PID
  local rc=$?
  [ $rc = 1 ] || { cat "$TMP/err" >&2; fail "$name: exit code $rc, expected 1"; }
  assert_one_error_line "$TMP/err" "$re"
  assert_clean $RUN_PID
  pass "$name: $(grep 'ampvp: error:' "$TMP/err")"
}

echo "this is not an ELF file" > "$TMP/text.elf"
check "text file" "text.elf: not an ELF file" --cm7 "$TMP/text.elf" --cm4 "$FW/hello_cm4.elf"
check "host binary" "64-bit ELF" --cm7 /bin/true
check "missing file" "nope.elf: cannot open: No such file" --cm7 "$TMP/nope.elf"
# The mps2 benchmark image is linked for address 0: nothing of the CM4's is there.
check "segment outside memory" "outside the memories of core cm4" \
  --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/bench_loop_mps2_10000000.elf"
check "two images, different flash contents" "program different contents into flash_bank1 0x08000000-" \
  --cm7 "$FW/hello_cm7.elf" --image cm4="$FW/cpu_checks_cm7.elf"
check "unknown core" "has no core 'ca7'" --image ca7="$FW/hello_cm7.elf"
check "unknown machine" "unknown machine 'stm32zz'" --machine stm32zz --cm7 "$FW/hello_cm7.elf"
