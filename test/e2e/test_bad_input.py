"""Bad input gets the answer kube-apiserver gives it, and kcache keeps serving: oversized
headers, malformed requests and bodies over the limit never crash it or lose cached data."""

import socket
import ssl

import pytest



def raw_exchange(url, ca, payload, read_bytes=4096):
    """Sends raw bytes over TLS and returns what comes back before the server closes."""
    host, port = url.removeprefix("https://").split(":")
    context = ssl.create_default_context(cafile=ca)
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            try:
                tls.sendall(payload)
            except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
                pass  # the server may answer and close before taking everything
            data = b""
            try:
                while len(data) < read_bytes:
                    chunk = tls.recv(read_bytes)
                    if not chunk:
                        break
                    data += chunk
            except (ConnectionResetError, ssl.SSLError, socket.timeout):
                pass
            return data


def status_line(response):
    return response.split(b"\r\n", 1)[0]


def request(path, headers=b"", token=""):
    auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
    return (f"GET {path} HTTP/1.1\r\nHost: x\r\n".encode() + auth + headers +
            b"Connection: close\r\n\r\n")


@pytest.mark.parametrize("header_bytes", [(1 << 20) + 8192, 4 << 20])
def test_oversized_headers_get_431(cluster, kcache, header_bytes):
    big = b"X-Big: " + b"a" * header_bytes + b"\r\n"
    up = raw_exchange(cluster.url, cluster.ca, request("/api/v1/pods", big))
    kc = raw_exchange(kcache.url, kcache.ca, request("/api/v1/pods", big))
    assert status_line(up).startswith(b"HTTP/1.1 431")
    assert status_line(kc).startswith(b"HTTP/1.1 431")


def test_headers_below_the_limit_are_served(cluster, kcache):
    # 512 KiB of headers in 32 KiB values (a single value above 64 KiB is refused with 431:
    # the HTTP library kcache uses keeps field lengths in 16 bits).
    header = b"".join(b"X-Padding-%d: " % i + b"a" * (32 << 10) + b"\r\n" for i in range(16))
    token = cluster.token("admin")
    kc = raw_exchange(kcache.url, kcache.ca, request("/api/v1/namespaces", header, token))
    assert status_line(kc) == b"HTTP/1.1 200 OK"


@pytest.mark.parametrize("payload", [
    b"GARBAGE\r\n\r\n",
    b"GET /api/v1/pods HTTP/9.9\r\n\r\n",
    b"GET /api/v1/pods HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    b"\x00\x01\x02\x03\r\n\r\n",
])
def test_malformed_requests_get_the_upstreams_answer(cluster, kcache, payload):
    up = raw_exchange(cluster.url, cluster.ca, payload)
    kc = raw_exchange(kcache.url, kcache.ca, payload)
    assert status_line(up)[:12] in (b"HTTP/1.1 400", b"HTTP/1.1 505"), up[:200]
    assert kc == up


def test_body_over_the_limit_is_refused(cluster, kcache, kcache_api):
    body = b"{" + b" " * (4 << 20) + b"}"
    payload = (b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
               b"Authorization: Bearer " + cluster.token("admin").encode() + b"\r\n"
               b"Content-Type: application/json\r\n" +
               f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    up = raw_exchange(cluster.url, cluster.ca, payload)
    kc = raw_exchange(kcache.url, kcache.ca, payload)
    assert status_line(up).startswith(b"HTTP/1.1 413")
    assert status_line(kc).startswith(b"HTTP/1.1 413")
    body = lambda response: response.split(b"\r\n\r\n", 1)[1]
    assert body(kc) == body(up)


def test_kcache_still_serves_after_bad_input(cluster, kcache, kcache_api, upstream_api):
    for payload in (b"GARBAGE\r\n\r\n", request("/api/v1/pods", b"X-Big: " + b"a" * (2 << 20) + b"\r\n")):
        raw_exchange(kcache.url, kcache.ca, payload)
    assert kcache.process.poll() is None
    up = upstream_api.get("/api/v1/namespaces/team-a/pods").json()
    kc = kcache_api.get("/api/v1/namespaces/team-a/pods").json()
    assert len(kc["items"]) == len(up["items"]) > 0


def test_client_that_disconnects_mid_response_does_not_hurt(kcache, kcache_api):
    host, port = kcache.url.removeprefix("https://").split(":")
    for _ in range(20):
        context = ssl.create_default_context(cafile=kcache.ca)
        raw = socket.create_connection((host, int(port)))
        tls = context.wrap_socket(raw, server_hostname=host)
        tls.sendall(request("/api/v1/pods", token=kcache_api.session.headers["Authorization"][7:]))
        tls.recv(100)
        raw.close()
    assert kcache_api.get("/api/v1/namespaces").status_code == 200
    assert kcache.process.poll() is None
