#!/usr/bin/python3
"""Read a JUnit XML report with python3-junitparser (a real consumer, as CI
test reporters are) and print one line per test case:
    SUITE|CASE|RESULT|TYPE|TIME|MESSAGE
RESULT is pass, failure or error.  Exits 1 if the counts the suite declares do
not match its test cases, or a case's time exceeds the suite's."""
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
ok = True
for suite in xml:
    cases = list(suite)
    fails = sum(1 for c in cases for r in c.result if isinstance(r, Failure))
    errors = sum(1 for c in cases for r in c.result if isinstance(r, Error))
    if (suite.tests, suite.failures, suite.errors) != (len(cases), fails, errors):
        print(f"counts: suite says {suite.tests}/{suite.failures}/{suite.errors}, "
              f"cases are {len(cases)}/{fails}/{errors}", file=sys.stderr)
        ok = False
    for c in cases:
        result, kind, message = "pass", "", ""
        for r in c.result:
            if isinstance(r, (Failure, Error)):
                result = "failure" if isinstance(r, Failure) else "error"
                kind, message = r.type or "", r.message or ""
            elif isinstance(r, Skipped):
                result = "skipped"
        if c.time > suite.time + 1e-9:
            print(f"case {c.name}: time {c.time} > suite time {suite.time}", file=sys.stderr)
            ok = False
        print(f"{suite.name}|{c.name}|{result}|{kind}|{c.time:.3f}|{message}")
    for prop in suite.properties():
        print(f"PROPERTY|{prop.name}|{prop.value}")
    # junitparser 2.8 has system-out only per test case; the suite's is its child.
    for tag, prefix in (("system-out", "OUT"), ("system-err", "ERR")):
        elem = suite._elem.find(tag)
        for line in (elem.text or "").splitlines() if elem is not None else []:
            print(f"{prefix}|{line}")
sys.exit(0 if ok else 1)
