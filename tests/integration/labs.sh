#!/usr/bin/env bash
# labs.sh docs/labs/N-name.md: run the lab's commands as the learner would and check
# its expected output. Each "Run it" heading's first sh block is run (build/ampvp and
# build/firmware/ become this build's), and every line of the "Expected output" block
# after it must appear in what it printed (standard output and error), in any order
# ("<t>" stands for a time stamp).
source "$(dirname "$0")/lib.sh"
lab=$1
[ -f "$lab" ] || fail "no lab $lab"
python3 - "$lab" "$TMP" <<'PY' || fail "cannot read $lab"
import re, sys
text = open(sys.argv[1]).read()
out = sys.argv[2]
parts = re.split(r"^#+ Run it\s*$", text, flags=re.M)[1:]
n = 0
for p in parts:
    cmd = re.search(r"```sh\n(.*?)```", p, re.S)
    exp = re.search(r"#+ Expected output\s*\n+```text\n(.*?)```", p, re.S)
    if not cmd or not exp:
        continue
    n += 1
    open(f"{out}/cmd{n}", "w").write(cmd.group(1).strip() + "\n")
    open(f"{out}/exp{n}", "w").write(exp.group(1))
if n == 0:
    sys.exit("no 'Run it' block with an 'Expected output' block")
PY
for cmdf in "$TMP"/cmd*; do
  k=${cmdf##*cmd}
  cmd=$(sed -e "s#build/ampvp#$AMPVP#g" -e "s#build/firmware/#$FW/#g" "$cmdf")
  bash -c "$cmd" >"$TMP/out$k" 2>&1 || { cat "$TMP/out$k" >&2; fail "$lab: command $k failed: $cmd"; }
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    python3 - "$line" "$TMP/out$k" <<'PY' || { cat "$TMP/out$k" >&2; fail "$lab: command $k: no line '$line'"; }
import re, sys
want, path = sys.argv[1], sys.argv[2]
pat = "^" + re.escape(want).replace(re.escape("<t>"), r"[0-9]+\.[0-9]+") + "$"
sys.exit(0 if any(re.match(pat, l.rstrip("\n")) for l in open(path)) else 1)
PY
  done <"$TMP/exp$k"
done
pass "$(basename "$lab"): $(ls "$TMP"/cmd* | wc -l) command(s), expected output seen"
