"""Response compression as kube-apiserver does it: a body above 128 KiB to a client whose
Accept-Encoding names gzip is gzipped (chunked, with Vary), smaller ones and other clients get
plain bodies, and WatchList streams are gzipped as they are written. Each case is sent to both
servers; the headers that matter and the decompressed bodies must agree."""

import json
import zlib

import pytest

from harness import Api, normalize, start_private_kcache, stop_private_kcache

# Larger than 128 KiB in the test cluster (hundreds of pods with real statuses).
LARGE = "/api/v1/pods"
SMALL = "/api/v1/namespaces/team-a"


def raw_get(api, path, accept_encoding, stream=False):
    """The response with its body as sent (not decoded by requests)."""
    # None: no Accept-Encoding at all (requests would otherwise send its own).
    headers = {"Accept-Encoding": accept_encoding}
    r = api.session.get(api.base + path, headers={"Accept": "application/json", **headers},
                        stream=True, timeout=60)
    if not stream:
        r._content = r.raw.read(decode_content=False)
    return r


def gunzip_members(data):
    """Every gzip member of `data`, concatenated decompressed (a WatchList stream is one member
    per write)."""
    out = b""
    while data:
        inflater = zlib.decompressobj(wbits=31)
        out += inflater.decompress(data)
        assert inflater.eof, "a gzip member was cut short"
        data = inflater.unused_data
    return out


def body_of(r):
    return gunzip_members(r.content) if r.headers.get("Content-Encoding") == "gzip" else r.content


@pytest.mark.parametrize("path,accept_encoding,compressed", [
    (LARGE, "gzip", True),
    (LARGE, "deflate, gzip", True),
    (LARGE, "br , gzip ", True),
    (LARGE, None, False),
    (LARGE, "identity", False),
    (LARGE, "gzip;q=1.0", False),  # kube-apiserver matches the bare token only
    (LARGE, "deflate", False),
    (SMALL, "gzip", False),        # under the threshold
])
def test_compression_matches_upstream(upstream_api, kcache_api, path, accept_encoding, compressed):
    for _ in range(10):  # the cluster is live: ask again if state moved between the two reads
        up = raw_get(upstream_api, path, accept_encoding)
        kc = raw_get(kcache_api, path, accept_encoding)
        if normalize(body_of(up)) == normalize(body_of(kc)):
            break
    for r in (up, kc):
        assert r.status_code == 200
        assert (r.headers.get("Content-Encoding") == "gzip") == compressed, r.headers
        if compressed:
            assert r.headers.get("Vary") == "Accept-Encoding"
            assert "Content-Length" not in r.headers
    assert normalize(body_of(up)) == normalize(body_of(kc))


def watch_list_initial_names(api, accept_encoding):
    """Names sent as initial events of a WatchList, read until its end bookmark."""
    path = ("/api/v1/namespaces/team-a/pods?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
            "&resourceVersionMatch=NotOlderThan&timeoutSeconds=20")
    r = raw_get(api, path, accept_encoding, stream=True)
    assert r.status_code == 200
    compressed = r.headers.get("Content-Encoding") == "gzip"
    inflater, pending, names = zlib.decompressobj(wbits=31), b"", set()
    with r:
        for data in r.raw.stream(4096, decode_content=False):
            while compressed and data:
                pending += inflater.decompress(data)
                data = inflater.unused_data
                if inflater.eof:
                    inflater = zlib.decompressobj(wbits=31)
            if not compressed:
                pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                event = json.loads(line)
                meta = event["object"]["metadata"]
                if event["type"] == "BOOKMARK":
                    if meta.get("annotations", {}).get("k8s.io/initial-events-end") == "true":
                        return compressed, names
                    continue
                names.add(meta["name"])
    raise AssertionError("the stream ended before the initial-events-end bookmark")


@pytest.mark.parametrize("accept_encoding,compressed", [("gzip", True), ("identity", False)])
def test_watch_list_stream_compression_matches_upstream(upstream_api, kcache_api, accept_encoding,
                                                       compressed):
    up_compressed, up_names = watch_list_initial_names(upstream_api, accept_encoding)
    kc_compressed, kc_names = watch_list_initial_names(kcache_api, accept_encoding)
    assert up_compressed == kc_compressed == compressed
    assert kc_names == up_names and kc_names


def test_plain_watches_are_not_compressed(upstream_api, kcache_api):
    """Only WatchList streams are compressed; a watch from a version is not."""
    for api in (upstream_api, kcache_api):
        rv = api.get("/api/v1/namespaces/team-a/pods").json()["metadata"]["resourceVersion"]
        r = raw_get(api, f"/api/v1/namespaces/team-a/pods?watch=1&resourceVersion={rv}"
                         "&timeoutSeconds=1", "gzip", stream=True)
        with r:
            assert r.status_code == 200
            assert "Content-Encoding" not in r.headers


def test_compression_can_be_turned_off_and_tuned(cluster):
    token = cluster.token("admin")
    off = start_private_kcache(cluster, "gzip-off", ["--response-compression=false"])
    try:
        r = raw_get(Api(off.url, off.ca, token), LARGE, "gzip")
        assert "Content-Encoding" not in r.headers and int(r.headers["Content-Length"]) > 128 * 1024
    finally:
        stop_private_kcache(off)
    tuned = start_private_kcache(cluster, "gzip-tuned", ["--gzip-threshold-bytes=100",
                                                         "--gzip-level=9"])
    try:
        r = raw_get(Api(tuned.url, tuned.ca, token), SMALL, "gzip")
        assert r.headers.get("Content-Encoding") == "gzip"
        plain = raw_get(Api(tuned.url, tuned.ca, token), SMALL, None)
        assert gunzip_members(r.content) == plain.content
    finally:
        stop_private_kcache(tuned)
