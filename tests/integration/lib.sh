# Shared helpers for the integration tests (sourced).  Environment from CTest:
#   AMPVP  the ampvp binary     FW  the firmware build directory
set -u
: "${AMPVP:?AMPVP not set}" "${FW:?FW not set}"
MACHINE=stm32h745
TMP=$(mktemp -d /tmp/ampvp-itest-XXXXXX)
# A child this shell forks (`cmd &`, a pipeline stage) runs this EXIT trap as
# well if SIGINT/SIGTERM reaches it before it execs: only the shell that made
# TMP removes it.  Keep the `if`: in such a child `[ ... ] || rm` was seen to
# take the rm branch ($? 127 from the test).
TMP_OWNER=$BASHPID
trap 'if [ "$BASHPID" = "$TMP_OWNER" ]; then rm -rf "$TMP"; fi' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

# run_ampvp OUT ERR ARGS...: run in the background, set RUN_PID.
run_ampvp_bg() {
  local out=$1 err=$2; shift 2
  # Empty the files before forking: the child truncates them only once it is
  # scheduled, and until then a wait_for on OUT would match the previous run's
  # output and the test would signal a shell that has not yet become ampvp.
  : >"$out" && : >"$err" || fail "cannot create $out, $err"
  "$AMPVP" "$@" >"$out" 2>"$err" &
  RUN_PID=$!
}

# Everything a run creates carries its pid: /dev/shm/ampvp-<pid>-XXXXXX and
# QEMU instances with sock=/dev/shm/ampvp-<pid>-.../<core>.sock.
assert_clean() {
  local pid=$1
  local left_shm left_qemu
  left_shm=$(ls -d /dev/shm/ampvp-"$pid"-* /tmp/ampvp-"$pid"-* 2>/dev/null || true)
  [ -z "$left_shm" ] || fail "run $pid left files behind: $left_shm"
  left_qemu=$(pgrep -af "ampvp-$pid-" | grep -v pgrep || true)
  [ -z "$left_qemu" ] || fail "run $pid left QEMU processes behind: $left_qemu"
}

# wait_for FILE REGEX SECONDS: poll a growing output file.
wait_for() {
  local file=$1 re=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    grep -qE "$re" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Exactly one line on stderr matching REGEX, and stderr holds no other error line.
assert_one_error_line() {
  local err=$1 re=$2
  local n
  n=$(grep -c "ampvp: error:" "$err" || true)
  [ "$n" = 1 ] || { cat "$err" >&2; fail "expected one error line, got $n"; }
  grep -qE -e "$re" "$err" || { cat "$err" >&2; fail "error line does not match /$re/"; }
}
