#!/usr/bin/env python3
"""sp-request.py SOCKET [--raw TEXT | --file PATH | --hold SECONDS | --big BYTES]:
talks to scalprofd like a careless or hostile client would, and prints every
line it answers. --raw sends TEXT as is (no newline added); --file sends
the file at PATH as is (for requests larger than an argument may be);
--hold connects and sends nothing for SECONDS; --big sends a request line
of BYTES bytes."""
import socket
import sys
import time

path, mode = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.settimeout(30)
try:
    if mode == "--raw":
        s.sendall(sys.argv[3].encode())
        if len(sys.argv) > 4 and sys.argv[4] == "--close":
            s.shutdown(socket.SHUT_WR)
    elif mode == "--file":
        with open(sys.argv[3], "rb") as f:
            s.sendall(f.read())
    elif mode == "--hold":
        time.sleep(float(sys.argv[3]))
    elif mode == "--big":
        s.sendall(b'{"request":"submit","yaml":"' + b"x" * int(sys.argv[3]) + b'"}\n')
except (BrokenPipeError, ConnectionResetError):
    pass
data = b""
while True:
    try:
        chunk = s.recv(65536)
    except (ConnectionResetError, socket.timeout):
        break
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode(errors="replace"))
