"""Talking HTTP/1.1 over TLS byte by byte, as a hostile or broken client does: raw requests, the
status codes of what comes back (pipelined responses, 100 Continue included), connections cut
with a reset or half-closed, and TLS that is not TLS."""

import select
import socket
import ssl
import struct
import time


def host_port(url):
    host, port = url.removeprefix("https://").split(":")
    return host, int(port)


def tls_context(ca):
    context = ssl.create_default_context(cafile=ca)
    return context


def connect(url, ca, timeout=30):
    """A TLS connection to `url`, verified against `ca`."""
    host, port = host_port(url)
    raw = socket.create_connection((host, port), timeout=timeout)
    return tls_context(ca).wrap_socket(raw, server_hostname=host)


def reset(sock):
    """Ends a connection with a TCP reset instead of a close (SO_LINGER 0)."""
    raw = sock
    if isinstance(sock, ssl.SSLSocket):
        raw = socket.socket(fileno=sock.detach())
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()


def request(method, target, headers=(), body=b"", version="HTTP/1.1", token=None, host=True,
            close=True):
    """The bytes of one request. `headers` are (name, value) pairs or raw header lines."""
    lines = [f"{method} {target} {version}".encode("latin-1")]
    if host:
        lines.append(b"Host: kcache")
    if token:
        lines.append(b"Authorization: Bearer " + token.encode())
    for header in headers:
        if isinstance(header, tuple):
            name, value = header
            header = (name if isinstance(name, bytes) else name.encode()) + b": " + (
                value if isinstance(value, bytes) else value.encode())
        lines.append(header)
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class ResponseReader:
    """Reads responses from a socket as they arrive and parses them as HTTP/1.1: status codes
    in order, each body skipped by its framing (Content-Length, chunked, or to the close)."""

    def __init__(self, sock):
        self.sock = sock
        self.data = b""
        self.closed = False

    def _fill(self, timeout):
        """Reads what arrives within `timeout`; False when nothing did."""
        pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
        if not pending:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return False
        try:
            chunk = self.sock.recv(1 << 20)
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError):
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.data += chunk
        return True

    def statuses(self, first_byte_timeout=10.0, quiet=0.5, deadline=60.0):
        """The status codes of every complete response received until the server closes, or
        until nothing more arrives for `quiet` seconds after a complete response. "closed"
        ends the list when the connection ended in the middle of a response or before any."""
        started = time.monotonic()
        waited_for_first = True
        while not self.closed and time.monotonic() - started < deadline:
            codes, complete = parse_responses(self.data)
            if complete and codes:
                timeout = quiet
            elif waited_for_first and not self.data:
                timeout = first_byte_timeout
            else:
                timeout = 5.0
            if not self._fill(timeout):
                if self.closed:
                    break
                if complete and codes:
                    break
                if not self.data:
                    break  # nothing within the first-byte timeout
        codes, complete = parse_responses(self.data, at_close=self.closed)
        if not complete or not codes:
            codes = codes + ["closed" if self.closed else "nothing"]
        return codes


def parse_responses(data, at_close=False):
    """Status codes of the responses in `data`, and whether the last one is complete."""
    codes = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return codes, False
        head = data[:end].decode("latin-1").split("\r\n")
        data = data[end + 4:]
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            return codes + ["garbage"], True
        code = int(parts[1])
        codes.append(code)
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), value.strip())
        if 100 <= code < 200 or code in (204, 304):
            continue
        if "chunked" in headers.get("transfer-encoding", "").lower():
            while True:
                line_end = data.find(b"\r\n")
                if line_end < 0:
                    return codes, False
                size = int(data[:line_end].split(b";")[0] or b"0", 16)
                if len(data) < line_end + 2 + size + 2:
                    return codes, False
                data = data[line_end + 2 + size + 2:]
                if size == 0:
                    break
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if len(data) < length:
                return codes, False
            data = data[length:]
        else:
            return codes, at_close  # the body runs to the close
    return codes, True


def exchange(url, ca, payload, **read):
    """Sends `payload` on a fresh connection and returns the status codes that come back."""
    with connect(url, ca) as sock:
        try:
            sock.sendall(payload)
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            pass  # the server answered and closed before taking everything
        return ResponseReader(sock).statuses(**read)


def plain_exchange(url, payload, timeout=10):
    """Sends `payload` without TLS to a TLS port; what comes back before the close."""
    host, port = host_port(url)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(payload)
        except OSError:
            pass
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        return data
