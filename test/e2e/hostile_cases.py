"""What a hostile or broken client sends at the wire, case by case, and how to read the answer.

Each case is a function (url, ca, token) -> outcome, sent the same way to kcache and to
kube-apiserver, once without credentials and once with a token. The outcome is the list of
status codes that came back ("closed" when the connection ended without a whole answer,
"nothing" when nothing came), or for TLS-level cases a short word. test_hostile_wire.py
compares the two servers; run this file to print the table of every case:

    KCACHE_E2E_CLUSTER=/tmp/kc python3 hostile_cases.py   # a cluster from test/cluster/up.sh
"""

import os
import socket
import ssl
import subprocess
import time

import wire
from wire import request

MIB = 1 << 20


def send(payload_of, **read):
    """A case that sends one payload, made from the token, on a fresh connection."""
    def run(url, ca, token):
        return wire.exchange(url, ca, payload_of(token), **read)
    return run


def get(target, headers=(), **kwargs):
    return send(lambda token: request("GET", target, headers, token=token, **kwargs))


def raw(text):
    """A payload that is exactly `text` (plus the token's header after the first line)."""
    def payload(token):
        if token is None:
            return text
        first, sep, rest = text.partition(b"\r\n")
        if not sep:
            return text
        return first + b"\r\nAuthorization: Bearer " + token.encode() + sep + rest
    return send(payload)


def post_configmap(body, headers=(), token=None, content_length=True):
    headers = [("Content-Type", "application/json"), *headers]
    if content_length:
        headers.append(("Content-Length", str(len(body))))
    return request("POST", "/api/v1/namespaces/default/configmaps", headers, body, token=token)


def chunked(body_chunks):
    return b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in body_chunks) + b"0\r\n\r\n"


def expect_continue(url, ca, token):
    """Sends the headers of a POST with Expect: 100-continue, waits for the interim answer (as
    curl does, up to 2 s), then sends the body. The outcome is the final answer: kube-apiserver
    says 100 Continue only once its handler reads the body (after authorizing), kcache as soon
    as it has read the header (README "Security")."""
    body = b'{"metadata":{"generateName":"expect-"},"data":{"a":"b"}}'
    head = post_configmap(body, [("Expect", "100-continue")], token)[: -len(body)]
    with wire.connect(url, ca) as sock:
        sock.sendall(head)
        reader = wire.ResponseReader(sock)
        reader._fill(2.0)
        if b" 100 " in reader.data.split(b"\r\n", 1)[0] or not reader.data:
            sock.sendall(body)
        return [code for code in reader.statuses() if code != 100]


def pipelined(targets, garbage_after=b""):
    def run(url, ca, token):
        payload = b"".join(request("GET", t, token=token, close=False) for t in targets)
        payload += garbage_after or request("GET", "/version", token=token)
        return wire.exchange(url, ca, payload)
    return run


def reset_mid_request(url, ca, token):
    sock = wire.connect(url, ca)
    sock.sendall(b"GET /api/v1/pods HTTP/1.1\r\nHost: kcache\r\nX-Half: ")
    wire.reset(sock)
    return ["reset"]


def reset_mid_response(url, ca, token):
    sock = wire.connect(url, ca)
    sock.sendall(request("GET", "/api/v1/pods", token=token))
    status = sock.recv(12)
    wire.reset(sock)
    return [status.decode("latin-1").strip() or "nothing", "reset"]


def reset_during_watch(url, ca, token):
    sock = wire.connect(url, ca)
    sock.sendall(request("GET", "/api/v1/namespaces/default/configmaps?watch=true", token=token))
    status = sock.recv(12)
    time.sleep(0.5)
    wire.reset(sock)
    return [status.decode("latin-1").strip() or "nothing", "reset"]


def half_close_after_request(url, ca, token):
    """The request, then the TCP write side shut (no TLS close_notify): the answer still comes."""
    with wire.connect(url, ca) as sock:
        sock.sendall(request("GET", "/version", token=token, close=False))
        sock.shutdown(socket.SHUT_WR)
        return wire.ResponseReader(sock).statuses()


def close_notify_after_request(url, ca, token):
    """The request, then TLS's close_notify: the client will send nothing more."""
    sock = wire.connect(url, ca)
    sock.sendall(request("GET", "/version", token=token, close=False))
    try:
        raw = sock.unwrap()
    except (ssl.SSLError, OSError):
        return ["unwrap failed"]
    with raw:
        raw.settimeout(10)
        data = b""
        try:
            while True:
                chunk = raw.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    return ["closed" if not data else "bytes after close_notify"]


def slow_reader(url, ca, token):
    """Asks for every pod and reads a kilobyte every 100 ms for 3 s, then leaves."""
    sock = wire.connect(url, ca)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(request("GET", "/api/v1/pods", token=token))
    first = sock.recv(12)
    for _ in range(30):
        sock.recv(1024)
        time.sleep(0.1)
    sock.close()
    return [first.decode("latin-1").strip() or "nothing", "left"]


def plaintext_http(url, ca, token):
    """An HTTP request where a TLS handshake belongs: Go answers it in plain text."""
    data = wire.plain_exchange(url, request("GET", "/version", token=token))
    return [data.split(b"\r\n", 1)[0].decode("latin-1") or "closed"]


def garbage_tls(url, ca, token):
    data = wire.plain_exchange(url, bytes(range(256)) * 8)
    return ["closed" if not data else "answered"]


def truncated_client_hello(url, ca, token):
    """The first bytes of a real ClientHello, then the connection closes."""
    host, port = wire.host_port(url)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = wire.tls_context(ca).wrap_bio(incoming, outgoing, server_hostname=host)
    try:
        client.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    data = wire.plain_exchange(url, hello[: len(hello) // 2], timeout=5)
    return ["closed" if not data else "answered"]


def openssl_client(url, ca, *args, stdin_steps=()):
    """Runs `openssl s_client` against `url`, writing each of `stdin_steps` a second apart (its
    interactive commands, such as R, act only on lines of their own); returns what it printed."""
    host, port = wire.host_port(url)
    process = subprocess.Popen(["openssl", "s_client", "-connect", f"{host}:{port}",
                                "-servername", host, "-CAfile", ca, *args],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        for step in stdin_steps:
            time.sleep(1)
            process.stdin.write(step)
            process.stdin.flush()
        time.sleep(1)
        process.stdin.close()
        out, _ = process.communicate(timeout=20)
    except (subprocess.TimeoutExpired, BrokenPipeError):
        process.kill()
        out, _ = process.communicate()
    return out.decode("latin-1", "replace")


def tls_renegotiation(url, ca, token):
    """A TLS 1.2 client asks to renegotiate ("R" to s_client), then sends a request."""
    out = openssl_client(url, ca, "-tls1_2", stdin_steps=[
        b"R\n", request("GET", "/version", token=token)])
    if "RENEGOTIATING" not in out:
        return ["no renegotiation asked"]
    answered = "HTTP/1.1 200" in out
    refused = not answered and ("alert" in out or "no renegotiation" in out)
    return ["renegotiation refused" if refused else "renegotiated",
            "answered" if answered else "not answered"]


def old_tls(url, ca, token):
    out = openssl_client(url, ca, "-tls1_1", stdin_steps=[b"Q\n"])
    return ["handshake failed" if "Cipher is (NONE)" in out or "alert" in out.lower()
            or "error" in out.lower() else "handshake done"]


# name -> case. Names say what is sent; the comment what a client might mean by it.
CASES = {
    # The request line.
    "request_line_over_1mib": get("/" + "a" * (MIB + 8192)),
    "target_of_70kib": get("/api/v1/namespaces/" + "a" * 70000),
    "missing_version": raw(b"GET /version\r\nHost: kcache\r\n\r\n"),
    "lowercase_version": raw(b"GET /version http/1.1\r\nHost: kcache\r\n\r\n"),
    "http_1_0": get("/version", version="HTTP/1.0", host=False),
    "http_9_9": raw(b"GET /version HTTP/9.9\r\nHost: kcache\r\n\r\n"),
    "bad_method_characters": raw(b"G@T /version HTTP/1.1\r\nHost: kcache\r\n\r\n"),
    "unknown_method": send(lambda token: request("BREW", "/api/v1/pods", token=token)),
    "double_space": raw(b"GET  /version HTTP/1.1\r\nHost: kcache\r\n\r\n"),
    "leading_empty_lines": raw(b"\r\n\r\nGET /version HTTP/1.1\r\nHost: kcache\r\n\r\n"),
    "bare_lf_line_ends": raw(b"GET /version HTTP/1.1\nHost: kcache\nConnection: close\n\n"),
    "only_garbage": raw(b"GARBAGE\r\n\r\n"),
    "binary_garbage": raw(b"\x00\x01\x02\x03\r\n\r\n"),
    # Header names and values at and beyond every limit.
    "value_of_65533_bytes": get("/version", [("X-Big", "a" * 65533)]),
    "value_of_65534_bytes": get("/version", [("X-Big", "a" * 65534)]),
    "value_of_70000_bytes": get("/version", [("X-Big", "a" * 70000)]),
    "value_of_1mib": get("/version", [("X-Big", "a" * MIB)]),
    "name_of_70000_bytes": get("/version", [("X" * 70000, "1")]),
    "headers_under_1mib_in_all": get("/version",
                                     [(f"X-Pad-{i}", "p" * 60000) for i in range(16)]),
    "headers_over_1mib_in_all": get("/version", [(f"X-Pad-{i}", "p" * 60000) for i in range(20)]),
    "20000_small_headers": get("/version", [(f"X-H{i}", "v") for i in range(20000)]),
    "obsolete_line_folding": get("/version", [b"X-Folded: a\r\n  b"]),
    "space_before_colon": get("/version", [b"X-Space : a"]),
    "header_without_colon": get("/version", [b"Not a header"]),
    "nul_in_value": get("/version", [b"X-Nul: a\x00b"]),
    "utf8_in_value": get("/version", [("X-Utf8", "caf\u00e9".encode())]),
    "no_host": get("/version", host=False),
    "two_hosts": get("/version", [("Host", "other")]),
    "bad_authorization_scheme": get("/api/v1/namespaces", [("Authorization", "Basic Zm9vOmJhcg==")]),
    "empty_bearer_token": get("/api/v1/namespaces", [("Authorization", "Bearer ")]),
    # Framing: Content-Length and Transfer-Encoding.
    "content_length_not_a_number": send(lambda token: request(
        "GET", "/version", [("Content-Length", "abc")], token=token)),
    "content_length_negative": send(lambda token: request(
        "GET", "/version", [("Content-Length", "-1")], token=token)),
    "two_content_lengths_that_differ": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps",
        [("Content-Length", "2"), ("Content-Length", "3")], b"{}}", token=token)),
    "two_content_lengths_alike": send(lambda token: request(
        "GET", "/version", [("Content-Length", "2"), ("Content-Length", "2")], b"{}",
        token=token)),
    "content_length_and_chunked": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps",
        [("Content-Length", "4"), ("Transfer-Encoding", "chunked")], chunked([b"{}"]),
        token=token)),
    "transfer_encoding_gzip": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps", [("Transfer-Encoding", "gzip")],
        b"xxxx", token=token)),
    "chunked_twice": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps",
        [("Transfer-Encoding", "chunked, chunked")], chunked([b"{}"]), token=token)),
    "bad_chunk_size": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps", [("Transfer-Encoding", "chunked")],
        b"zz\r\n{}\r\n0\r\n\r\n", token=token)),
    "chunk_size_overflow": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps", [("Transfer-Encoding", "chunked")],
        b"fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n", token=token)),
    "chunk_without_crlf": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps", [("Transfer-Encoding", "chunked")],
        b"2\r\n{}XX0\r\n\r\n", token=token)),
    "body_over_3mib": send(lambda token: post_configmap(b"{" + b" " * (4 * MIB) + b"}",
                                                        token=token)),
    "chunked_body_over_3mib": send(lambda token: request(
        "POST", "/api/v1/namespaces/default/configmaps",
        [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
        chunked([b"{" + b" " * (1 * MIB)] * 4 + [b"}"]), token=token)),
    "get_with_a_body": send(lambda token: request(
        "GET", "/version", [("Content-Length", "5")], b"hello", token=token)),
    # Several requests on one connection.
    "pipelined_three": pipelined(["/version", "/api/v1/namespaces/default"]),
    "pipelined_then_garbage": pipelined(["/version"], garbage_after=b"GARBAGE\r\n\r\n"),
    "expect_100_continue": expect_continue,
    "expect_something_else": send(lambda token: post_configmap(
        b"{}", [("Expect", "teapot")], token)),
    # Connection upgrades.
    "upgrade_exec_of_a_missing_pod": get(
        "/api/v1/namespaces/default/pods/missing/exec?command=ls&stdout=true",
        [("Connection", "Upgrade"), ("Upgrade", "SPDY/3.1")], close=False),
    "upgrade_with_a_bad_token": get(
        "/api/v1/namespaces/default/pods/missing/exec?command=ls&stdout=true",
        [("Authorization", "Bearer not-a-token"), ("Connection", "Upgrade"),
         ("Upgrade", "SPDY/3.1")], close=False),
    "upgrade_to_h2c": get("/version", [("Connection", "Upgrade, HTTP2-Settings"),
                                       ("Upgrade", "h2c"), ("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")],
                          close=False),
    "upgrade_to_websocket_without_key": get(
        "/api/v1/namespaces/default/pods/missing/exec?command=ls&stdout=true",
        [("Connection", "Upgrade"), ("Upgrade", "websocket")], close=False),
    # Request targets.
    "absolute_target": get("https://127.0.0.1/version"),
    "absolute_target_to_an_api": get("https://kcache/api/v1/namespaces/default"),
    "connect": send(lambda token: request("CONNECT", "127.0.0.1:443", token=token)),
    "options_star": send(lambda token: request("OPTIONS", "*", token=token)),
    "percent_encoded_nul_in_path": get("/api/v1/namespaces/default/configmaps/a%00b"),
    "raw_nul_in_path": raw(b"GET /api/v1/pods\x00 HTTP/1.1\r\nHost: kcache\r\n\r\n"),
    "invalid_percent_in_path": get("/api/v1/%zz"),
    "invalid_percent_in_query": get("/api/v1/namespaces/default/configmaps?labelSelector=%zz"),
    "nul_in_query": get("/api/v1/namespaces/default/configmaps?labelSelector=a%00b"),
    "dot_segments": get("/api/v1/../v1/namespaces/default"),
    "double_slash": get("//api/v1/namespaces/default"),
    "fragment": get("/version#fragment"),
    "query_only": get("?watch=true"),
    # TLS that is not TLS, cut short, or asked to renegotiate.
    "plain_http_to_the_tls_port": plaintext_http,
    "garbage_instead_of_tls": garbage_tls,
    "truncated_client_hello": truncated_client_hello,
    "tls_renegotiation": tls_renegotiation,
    "tls_1_1": old_tls,
    # Connections cut at every stage, and slow readers.
    "reset_mid_request": reset_mid_request,
    "reset_mid_response": reset_mid_response,
    "reset_during_a_watch": reset_during_watch,
    "half_close_after_the_request": half_close_after_request,
    "close_notify_after_the_request": close_notify_after_request,
    "slow_reader": slow_reader,
}


if __name__ == "__main__":
    # Prints each case's answers from kube-apiserver and from a kcache started for the purpose.
    from harness import Cluster, start_private_kcache, stop_private_kcache

    cluster = Cluster.start()
    kcache = start_private_kcache(cluster, "hostile-table", ["--anonymous-auth=true"])
    try:
        print("| case | credentials | kube-apiserver | kcache |\n|---|---|---|---|")
        for name, case in CASES.items():
            for label, token in (("none", None), ("token", cluster.token("admin"))):
                up = case(cluster.url, cluster.ca, token)
                kc = case(kcache.url, kcache.ca, token)
                fmt = lambda outcome: " ".join(str(x) for x in outcome)
                print(f"| {name} | {label} | {fmt(up)} | {fmt(kc)} |", flush=True)
    finally:
        stop_private_kcache(kcache)
        cluster.stop()
