#!/usr/bin/env python3
"""Sends one-line commands to the Keel test guest over a QEMU serial console socket and prints
what each answered, up to its KEEL-OK / KEEL-ERR line, then "ELAPSED <seconds>" from sending the
command to that line. Exit status 1 on KEEL-ERR or timeout.

    guest_cmd.py SOCKET TIMEOUT_SECONDS COMMAND...
"""
import socket
import sys
import time


def main():
    path, timeout, commands = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    buf = b""
    for command in commands:
        start = time.monotonic()
        s.sendall(command.encode() + b"\n")
        deadline = start + timeout
        while True:
            lines = buf.split(b"\n")
            done = [l for l in lines[:-1] if l.strip() == b"KEEL-OK" or l.startswith(b"KEEL-ERR")]
            if done:
                end = lines.index(done[0])
                sys.stdout.write(b"\n".join(lines[:end + 1]).decode(errors="replace") + "\n")
                sys.stdout.write("ELAPSED %.3f\n" % (time.monotonic() - start))
                buf = b"\n".join(lines[end + 1:])
                if done[0].startswith(b"KEEL-ERR"):
                    return 1
                break
            left = deadline - time.monotonic()
            if left <= 0:
                sys.stderr.write("timed out running %r\n" % command)
                return 1
            s.settimeout(left)
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                sys.stderr.write("the console closed running %r\n" % command)
                return 1
            buf += chunk
    return 0


if __name__ == "__main__":
    sys.exit(main())
