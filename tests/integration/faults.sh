#!/usr/bin/env bash
# Guest faults reported in one line each (issue 12): the core, the exception, the
# CFSR/HFSR bits by name, MMFAR/BFAR when valid (marked unmapped where nothing is),
# and the PC/LR with their function names; with --on-fault stop the run ends with exit
# code 4 (by default, "continue", the firmware's handler runs: the "handled" case).  A lockup ends the run with that
# one line and exit code 4; QEMU's register dump is only shown with -v.
#   faults.sh KIND   one of busfault forced udf divzero mpu lockup handled
. "$(dirname "$0")/lib.sh"

KIND=${1:?fault kind}
ELF="$FW/fault_${KIND}_cm7.elf"
case $KIND in
busfault) re='cm7: BusFault \(PRECISERR BFARVALID\) at 0x[0-9a-f]{8} <fault_here[^>]*>, lr 0x[0-9a-f]{8} <main\+0x[0-9a-f]+>, BFAR 0x60000000 \(unmapped\)' ;;
forced)   re='cm7: HardFault \(FORCED, PRECISERR BFARVALID\) at 0x[0-9a-f]{8} <fault_here[^>]*>, .*BFAR 0x60000000 \(unmapped\)' ;;
udf)      re='cm7: UsageFault \(UNDEFINSTR\) at 0x[0-9a-f]{8} <main\+0x[0-9a-f]+>' ;;
divzero)  re='cm7: UsageFault \(DIVBYZERO\) at 0x[0-9a-f]{8} <main\+0x[0-9a-f]+>' ;;
mpu)      re='cm7: MemManage \(DACCVIOL MMARVALID\) at 0x[0-9a-f]{8} <main\+0x[0-9a-f]+>, lr .*, MMFAR 0x38000000 ' ;;
lockup)   re='cm7: lockup \(.*\) at 0x[0-9a-f]{8} <main\+0x[0-9a-f]+>' ;;
handled)  re='cm7: BusFault \(PRECISERR BFARVALID\) at .*BFAR 0x60000000 \(unmapped\)' ;;
*) fail "unknown kind $KIND" ;;
esac

if [ "$KIND" = handled ]; then
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine "$MACHINE" --cm7 "$ELF" --timeout 30 \
    --expect 'fault_cm7: handled \(1\), still running'
  wait $RUN_PID; rc=$?
  [ $rc = 0 ] || { cat "$TMP/out" "$TMP/err"; fail "exit code $rc, expected 0 (handler ran)"; }
  grep -qE "ampvp: warning: $re" "$TMP/err" || { cat "$TMP/err"; fail "no one-line report as a warning"; }
else
  run_ampvp_bg "$TMP/out" "$TMP/err" run --machine "$MACHINE" --cm7 "$ELF" --timeout 30 --on-fault stop
  wait $RUN_PID; rc=$?
  [ $rc = 4 ] || { cat "$TMP/out" "$TMP/err"; fail "exit code $rc, expected 4"; }
  assert_one_error_line "$TMP/err" "ampvp: error: $re"
  grep -q "fault_cm7: $KIND next" "$TMP/out" || fail "the demo did not reach the fault"
  grep -q "no fault happened" "$TMP/out" && fail "the firmware went on after the fault"
  # No QEMU register dump, no "killed by signal" without -v.
  grep -qE "qemu\]|signal|R00=" "$TMP/err" && { cat "$TMP/err"; fail "QEMU's dump or a signal line without -v"; }
fi
assert_clean $RUN_PID
pass "$KIND: $(grep -oE 'cm7: [A-Za-z]+[^,]*' "$TMP/err" | head -1)"
