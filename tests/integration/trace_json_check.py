#!/usr/bin/env python3
"""Assertions on a --trace-json file (Chrome trace-event format).

trace_json_check.py FILE complete    valid JSON, every B has its E, flows well formed
trace_json_check.py FILE handshake   + boot_sync's tracks, spans and the HSEM 0 -> CM4 flow
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
