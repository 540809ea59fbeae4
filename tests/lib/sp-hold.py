#!/usr/bin/env python3
"""sp-hold.py SOCKET N ID READY: a member who tries to take every connection
slot of scalprofd. Opens N connections one after the other, each asking to
watch campaign ID, and reads each one's first answer: a connection answered
"ok" is kept open (and its events read and thrown away); one refused with an
error, or closed without an answer, is closed. Then writes a summary to
READY and holds what it got until killed:

  ok N / refused N / silent N / failed N
      (silent: closed or reset without an answer; failed: connect() failed)
  first refusal: TEXT                       (the first error message, if any)
"""
import json
import os
import select
import socket
import sys
import time

path, n, qid, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
kept, counts, first = [], {"ok": 0, "refused": 0, "silent": 0, "failed": 0}, None
for _ in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect(path)
    except OSError:
        counts["failed"] += 1
        s.close()
        continue
    try:
        s.sendall((json.dumps({"request": "watch", "id": qid}) + "\n").encode())
    except OSError:
        pass  # it answered and closed already: the answer says why
    data = b""
    try:
        while b"\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    line = data.split(b"\n", 1)[0]
    if not line:
        counts["silent"] += 1
        s.close()
        continue
    reply = json.loads(line)
    if reply.get("ok"):
        counts["ok"] += 1
        s.setblocking(False)
        kept.append(s)
    else:
        counts["refused"] += 1
        first = first or reply.get("error")
        s.close()
with open(ready + ".tmp", "w") as f:
    f.write("ok %(ok)d / refused %(refused)d / silent %(silent)d / failed %(failed)d\n" % counts)
    if first:
        f.write("first refusal: %s\n" % first)
os.rename(ready + ".tmp", ready)
# hold them, reading what comes so that the daemon never drops us for not
# reading; a connection the daemon ends is simply forgotten
while True:
    if not kept:
        time.sleep(1)
        continue
    for s in select.select(kept, [], [], 1)[0]:
        try:
            if not s.recv(65536):
                kept.remove(s)
                s.close()
        except OSError:
            kept.remove(s)
            s.close()
