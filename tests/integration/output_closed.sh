#!/usr/bin/env bash
# A reader that closes ampvp's output early (`ampvp run ... | head -1`) must not
# leave anything behind: SIGPIPE is one of the signals the hub handles (exit 143),
# so it removes its runtime directory in /dev/shm and stops its QEMU instances.
. "$(dirname "$0")/lib.sh"

# A runtime parent of its own: tests running beside this one have theirs in /dev/shm.
export AMPVP_RUNTIME_PARENT="$TMP/rt"
mkdir -p "$AMPVP_RUNTIME_PARENT"
for stream in stderr stdout; do
  if [ $stream = stderr ]; then
    # -v lines go to stderr, before the cores even start.
    "$AMPVP" run --machine "$MACHINE" --cm7 "$FW/hello_cm7.elf" --cm4 "$FW/hello_cm4.elf" \
      -v --timeout 20 2>&1 >/dev/null | head -1 >"$TMP/first"
  else
    "$AMPVP" run --machine "$MACHINE" --cm7 "$FW/gdb_demo_cm7.elf" --cm4 "$FW/gdb_demo_cm4.elf" \
      --trace irq,uart --timeout 20 2>/dev/null | head -1 >"$TMP/first"
  fi
  # (a foreground pipeline: bash waits for ampvp too, not only for head)
  [ -s "$TMP/first" ] || fail "$stream: no first line"
  # Every ampvp-<pid>-* runtime directory of this test's runs is gone.
  left=$(find "$AMPVP_RUNTIME_PARENT" -mindepth 1 -maxdepth 1 2>/dev/null || true)
  [ -z "$left" ] || fail "$stream closed early: left behind $left"
done
# This test's QEMU instances: their socket is in this test's runtime parent (a pattern
# on the image path also matched the hub of another test running the same image beside
# this one, under ctest -j2).
pgrep -af "sock=$AMPVP_RUNTIME_PARENT/" | grep -v pgrep && fail "QEMU instances left running"
pass "a closed output pipe (stdout or stderr) stops the run and leaves nothing behind"
