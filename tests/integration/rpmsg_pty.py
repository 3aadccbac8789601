#!/usr/bin/env python3
"""Echo check through the ptys of the MP15 remoteproc master's rpmsg-tty endpoints.

rpmsg_pty.py OUT ADDR=TEXT...   for each argument in order: write TEXT (backslash
                                escapes decoded: \\n) into the pty that OUT's line
                                "[rpmsg] [time] rpmsg-tty ADDR <-> host 0x..: /dev/pts/N"
                                names, and wait (20 s at most) until exactly the same
                                bytes come back.  Exit 1 with the reason otherwise.
"""
import os
import re
import select
import sys
import tty

out, specs = sys.argv[1], sys.argv[2:]
paths = dict(re.findall(r"^\[rpmsg\] (?:\[[0-9.]+\] )?rpmsg-tty (0x[0-9a-f]+) <-> host 0x[0-9a-f]+: (/dev/pts/\d+)$",
                        open(out).read(), re.M))
fds = {}
for spec in specs:
    addr, text = spec.split("=", 1)
    msg = text.encode().decode("unicode_escape").encode("latin-1")
    if addr not in paths:
        sys.exit("no pty for endpoint %s (have %s)" % (addr, sorted(paths)))
    if addr not in fds:
        fds[addr] = os.open(paths[addr], os.O_RDWR | os.O_NOCTTY)
        tty.setraw(fds[addr])
    fd = fds[addr]
    os.write(fd, msg)
    got = b""
    while len(got) < len(msg):
        if not select.select([fd], [], [], 20)[0]:
            sys.exit("no echo of %r (got %r)" % (msg, got))
        got += os.read(fd, 4096)
    if got != msg:
        sys.exit("echo differs: sent %r, got %r" % (msg, got))
print("echoed %d messages on %d ptys" % (len(specs), len(fds)))
