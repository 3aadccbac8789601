#!/usr/bin/env python3
"""Drive the --web board page in a real headless Chromium through chromedriver's
WebDriver HTTP protocol (no Selenium): the page shows the LEDs, a click on B1 reaches
the firmware (its console line appears), and a screenshot is saved.

web_board.py PAGE_URL CHROMEDRIVER_URL SCREENSHOT.png
"""
import base64
import json
import sys
import time
import urllib.request

page, driver, shot = sys.argv[1:4]


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(driver + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)["value"]


def fail(msg):
    print("web_board: " + msg, file=sys.stderr)
    sys.exit(1)


caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,760"]}}}}
sid = call("POST", "/session", caps)["sessionId"]
try:
    call("POST", f"/session/{sid}/url", {"url": page})

    def find(css):
        try:
            v = call("POST", f"/session/{sid}/element", {"using": "css selector", "value": css})
            return list(v.values())[0]
        except urllib.error.HTTPError:
            return None

    # The page re-renders its elements as the board changes: an element found a
    # moment ago can be stale (WebDriver answers 404); the waits below retry.
    def attr(eid, name):
        try:
            return call("GET", f"/session/{sid}/element/{eid}/attribute/{name}") if eid else None
        except urllib.error.HTTPError:
            return None

    def text(css):
        e = find(css)
        try:
            return call("GET", f"/session/{sid}/element/{e}/text") if e else ""
        except urllib.error.HTTPError:
            return ""

    def click(css):
        try:
            call("POST", f"/session/{sid}/element/{find(css)}/click", {})
            return True
        except urllib.error.HTTPError:
            return False

    def wait(what, pred, secs=15):
        end = time.time() + secs
        while time.time() < end:
            if pred():
                return
            time.sleep(0.2)
        fail("timed out waiting for " + what)

    wait("the page to show B1 and LED1", lambda: find("#button-B1") and find("#led-LED1"))
    wait("the firmware to wait for B1", lambda: "waiting for B1" in text("#console-cm7"))
    wait("LED1 shown off before any press", lambda: attr(find("#led-LED1"), "data-on") == "0", secs=3)
    wait("the click on B1", lambda: click("#button-B1"))
    wait("the CM7's console line for the press", lambda: "CM7: B1 press 1" in text("#console-cm7"))
    wait("LED1 lit on the page", lambda: attr(find("#led-LED1"), "data-on") == "1")
    wait("the CM4's console line", lambda: "CM4: B1 press 1" in text("#console-cm4"))
    png = base64.b64decode(call("GET", f"/session/{sid}/screenshot"))
    with open(shot, "wb") as f:
        f.write(png)
    print("web_board: LED1 shown lit, the click reached both cores, screenshot " + shot)
finally:
    call("DELETE", f"/session/{sid}")
