#!/usr/bin/env python3
"""Assertions on a --trace-json file (Chrome trace-event format).

trace_json_check.py FILE complete    valid JSON, every B has its E, flows well formed,
                                     and the trace-event format rules below
trace_json_check.py FILE handshake   + boot_sync's tracks, spans and the HSEM 0 -> CM4 flow

The format rules are those the Trace Event Format document states and that the
legacy trace viewer's JSON importer (catapult's trace_event_importer, behind
chrome://tracing) enforces: Chromium 156 on this machine no longer serves
chrome://tracing (ERR_FAILED), so the file is checked against the rules instead
of loaded there (docs/user-guide.md, "Timeline trace"):
  - a JSON object with a "traceEvents" list; "displayTimeUnit" "ms" or "ns";
  - every event has "ph", "pid", "tid"; all but metadata a numeric "ts";
    B, i, M and flow events a "name";
  - metadata (M) names the importer knows, with their argument;
  - instants: scope "s" is g, p or t;
  - per thread, in file order: B, E and thread instants never start before the
    innermost open slice ("Timestamps are moving backward"), every E closes an
    open B (and names it, if it has a name), every B is closed;
  - flows (s, t, f) have "id" and "name"; an "s" while its id is open is an
    error; "s" and "t" bind to the slice enclosing their ts on their thread;
    "f" binds to the enclosing slice with "bp": "e" (any other bp is an
    error), else to the next slice after it.
"""
import json
import sys


def fail(msg):
    print("trace_json_check: " + msg, file=sys.stderr)
    sys.exit(1)


path, what = sys.argv[1], sys.argv[2]
with open(path) as f:
    doc = json.load(f)
events = doc.get("traceEvents")
if not isinstance(events, list) or not events:
    fail("no traceEvents")

PHASES = set("BEXiIMstfCbenSTFpNODPvVcRAa(),")
META = {"process_name": "name", "process_labels": "labels", "process_sort_index": "sort_index",
        "thread_name": "name", "thread_sort_index": "sort_index", "num_cpus": "number"}
if doc.get("displayTimeUnit", "ms") not in ("ms", "ns"):
    fail(f"displayTimeUnit {doc['displayTimeUnit']!r} is neither ms nor ns")
for e in events:
    if e.get("ph") not in PHASES:
        fail(f"unknown phase: {e}")
    if e["ph"] in "BiIMstf" and not isinstance(e.get("name"), str):
        fail(f"event without a name: {e}")
    if e["ph"] == "M":
        key = META.get(e["name"])
        if key is None or key not in e.get("args", {}):
            fail(f"metadata the importer does not know: {e}")
    if e["ph"] in "iI" and e.get("s", "t") not in ("g", "p", "t"):
        fail(f"instant with scope {e.get('s')!r}: {e}")
    if e["ph"] in "stf" and "id" not in e:
        fail(f"flow event without an id: {e}")
    if e["ph"] == "f" and "bp" in e and e["bp"] != "e":
        fail(f"flow end with binding point {e['bp']!r}: {e}")

# Slices per thread, in file order, as the importer builds them: B/E pairs and
# thread instants (zero-length slices).
open_slices, slices = {}, {}
for e in events:
    if e["ph"] not in "BEiI" or (e["ph"] in "iI" and e.get("s", "t") != "t"):
        continue
    k = (e["pid"], e["tid"])
    stack = open_slices.setdefault(k, [])
    if stack and e["ts"] < stack[-1]["ts"]:
        fail(f"timestamps moving backward on pid {k[0]} tid {k[1]}: {e}")
    if e["ph"] == "B":
        stack.append(e)
    elif e["ph"] == "E":
        if not stack:
            fail(f"E without an open B on pid {k[0]} tid {k[1]}: {e}")
        b = stack.pop()
        if e.get("name") not in (None, b["name"]):
            fail(f"E named {e['name']!r} closes {b['name']!r}")
        slices.setdefault(k, []).append((b["ts"], e["ts"]))
    else:
        slices.setdefault(k, []).append((e["ts"], e["ts"]))
for k, stack in open_slices.items():
    if stack:
        fail(f"B never closed on pid {k[0]} tid {k[1]}: {stack[0]}")


def enclosing(k, ts):
    return any(a <= ts <= b for a, b in slices.get(k, []))


def next_after(k, ts):
    return any(a > ts for a, b in slices.get(k, []))


flow_open = {}
for n, e in sorted(((n, e) for n, e in enumerate(events) if e["ph"] in "stf"),
                   key=lambda x: (x[1]["ts"], x[0])):
    k = (e["pid"], e["tid"])
    if e["ph"] == "s":
        if flow_open.get(e["id"]):
            fail(f"flow id {e['id']} started again while open: {e}")
        if not enclosing(k, e["ts"]):
            fail(f"flow start {e['id']} at {e['ts']} is not at a slice of its thread")
        flow_open[e["id"]] = True
        continue
    if not flow_open.get(e["id"]):
        fail(f"flow {e['ph']} for id {e['id']} without an open start")
    bound = enclosing(k, e["ts"]) if (e["ph"] == "t" or e.get("bp") == "e") else next_after(k, e["ts"])
    if not bound:
        fail(f"flow {e['ph']} {e['id']} at {e['ts']} binds to no slice of its thread")
    flow_open[e["id"]] = e["ph"] == "t"

procs, threads = {}, {}
for e in events:
    for key in ("ph", "pid", "tid"):
        if key not in e:
            fail(f"event without {key}: {e}")
    if e["ph"] == "M" and e["name"] == "process_name":
        procs[e["pid"]] = e["args"]["name"]
    if e["ph"] == "M" and e["name"] == "thread_name":
        threads[(e["pid"], e["tid"])] = e["args"]["name"]
    if e["ph"] != "M" and not isinstance(e.get("ts"), (int, float)):
        fail(f"event without a numeric ts: {e}")


def track(e):
    return procs.get(e["pid"], "?"), threads.get((e["pid"], e["tid"]), "")


# Spans: B/E balanced per track, E never before its B.
depth = {}
spans = []  # (track, name, begin, end)
stack = {}
for e in sorted((e for e in events if e["ph"] in "BE"), key=lambda e: e["ts"]):
    k = (e["pid"], e["tid"])
    if e["ph"] == "B":
        stack.setdefault(k, []).append(e)
    else:
        if not stack.get(k):
            fail(f"E without B on {track(e)} at {e['ts']}")
        b = stack[k].pop()
        spans.append((track(b), b["name"], b["ts"], e["ts"]))
for k, s in stack.items():
    if s:
        fail(f"span never ended on {track(s[0])}: {s[0]['name']}")

# Flows: each id has one s, then t*, and at most one f, in time order.
flows = {}
for e in events:
    if e["ph"] in "stf":
        flows.setdefault(e["id"], []).append(e)
for fid, pts in flows.items():
    phases = "".join(p["ph"] for p in pts)
    if phases[0] != "s" or "s" in phases[1:] or "f" in phases[:-1]:
        fail(f"flow {fid} is malformed: {phases}")
    if any(b["ts"] < a["ts"] for a, b in zip(pts, pts[1:])):
        fail(f"flow {fid} goes back in time")

if what == "complete":
    sys.exit(0)

# --- boot_sync handshake ---
names = set(procs.values())
for p in ("cores", "HSEM", "EXTI"):
    if p not in names:
        fail(f"no process {p}: {sorted(names)}")
core_threads = [threads[k] for k in sorted(threads) if procs[k[0]] == "cores"]
if core_threads[:2] != ["cm7", "cm4"]:
    fail(f"core tracks are {core_threads}, expected cm7, cm4 first")
held = [s for s in spans if s[0] == ("HSEM", "sem 0") and s[1] == "held by cm7"]
if not held or not held[0][3] > held[0][2]:
    fail(f"no span 'held by cm7' on HSEM sem 0: {spans}")
stop = [s for s in spans if s[0] == ("cores", "cm4") and s[1] == "deep sleep"]
if not stop:
    fail("no deep sleep span on cm4")
cstop = [s for s in spans if s[0] == ("cores", "cm4 clock") and s[1] == "CStop"]
if not cstop:
    fail("no CStop span on the cm4 clock track")
# The flow from the release of semaphore 0 to the CM4's wake-up.
by_pos = {}
for e in events:
    if e["ph"] == "i":
        by_pos.setdefault((e["pid"], e["tid"], e["ts"]), []).append(e)


def bound(p):
    return [e["name"] for e in by_pos.get((p["pid"], p["tid"], p["ts"]), [])]


ok = False
for fid, pts in flows.items():
    first, last = pts[0], pts[-1]
    if (track(first) == ("HSEM", "sem 0") and "unlock by cm7" in bound(first)
            and last["ph"] == "f" and track(last) == ("cores", "cm4") and "wake" in bound(last)):
        steps = [n for p in pts[1:-1] for n in bound(p)]
        if "sem 0 free: notify cm4" in steps and "IRQ 126 raised" in steps:
            ok = True
if not ok:
    fail("no flow unlock (HSEM sem 0) -> notify cm4 -> IRQ 126 raised -> wake (cm4)")
consoles = [e for e in events if e["ph"] == "i" and e.get("cat") == "uart"]
if not any(track(e) == ("cores", "cm4") and e["args"]["text"] == "CM4 done" for e in consoles):
    fail("console line 'CM4 done' is not an instant on the cm4 track")
print(f"trace_json_check: {len(events)} events, {len(spans)} spans, {len(flows)} flows: ok")
