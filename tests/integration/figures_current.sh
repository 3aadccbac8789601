#!/usr/bin/env bash
# Every figure in docs/figures is what scripts/trace-render makes of the trace excerpt
# committed next to it (scripts/make-figures made both from a live run).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
for ex in "$ROOT"/docs/figures/*.trace.json; do
  name=$(basename "$ex" .trace.json)
  "$ROOT/scripts/trace-render" "$ex" -o "$TMP/$name.svg" || { echo "FAIL: $name: render failed" >&2; exit 1; }
  cmp -s "$TMP/$name.svg" "$ROOT/docs/figures/$name.svg" \
    || { echo "FAIL: docs/figures/$name.svg is stale: run scripts/make-figures" >&2; exit 1; }
  n=$((n + 1))
done
[ $n -gt 0 ] || { echo "FAIL: no figures" >&2; exit 1; }
# The mermaid form of one: a sequence diagram with the same lifelines.
"$ROOT/scripts/trace-render" "$ROOT/docs/figures/event-hsem.trace.json" --format mermaid >"$TMP/m.mmd" || exit 1
head -1 "$TMP/m.mmd" | grep -qx sequenceDiagram || { echo "FAIL: mermaid header" >&2; exit 1; }
grep -q 'participant P[0-9] as HSEM' "$TMP/m.mmd" && grep -q -- '->>' "$TMP/m.mmd" \
  || { cat "$TMP/m.mmd" >&2; echo "FAIL: mermaid lifelines/arrows" >&2; exit 1; }
echo "PASS: $n figures match their trace excerpts"
