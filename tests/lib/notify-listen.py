#!/usr/bin/env python3
"""notify-listen.py SOCKET OUT: plays systemd's part of sd_notify(3) for the
daemon tests: binds a datagram socket at SOCKET and appends every message
it receives to OUT, one line per assignment, until killed."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a", buffering=1) as f:
    print("listening", file=f)
    while True:
        data = s.recv(65536)
        for line in data.decode(errors="replace").splitlines():
            print(line, file=f)
