#!/usr/bin/env python3
"""Print N free TCP ports on 127.0.0.1, one per line (default N=1).

The kernel picks each port (bind to port 0). All sockets stay open until
every port is known, so the N ports are distinct. A port can still be taken
by someone else between this exit and the caller's bind; that window is
short and callers report the "address in use" error.
"""
import socket
import sys


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        print("\n".join(str(s.getsockname()[1]) for s in socks))
    finally:
        for s in socks:
            s.close()


if __name__ == "__main__":
    main()
