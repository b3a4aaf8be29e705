"""Watches through kcache deliver what kube-apiserver delivers: the same events, in the same
order, with the same object bytes, including the events kube-apiserver makes up when an object
enters or leaves a selector, initial events, the WatchList end bookmark and 410 errors."""

import json
import queue
import re
import socket
import threading
import time
import uuid

import pytest

from harness import wait_until


class WatchStream:
    """Reads one watch response line by line on a thread."""

    def __init__(self, api, path):
        self.response = api.get(path, stream=True, timeout=120)
        self.status = self.response.status_code
        self.content_type = self.response.headers.get("Content-Type")
        # The socket, taken now: the response lets go of it once reading starts.
        self.sock = self.response.raw._fp.fp.raw._sock
        self.lines = queue.Queue()
        self.ended = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.response.iter_lines(chunk_size=1):
                if line:
                    self.lines.put(line.decode())
        except Exception:  # the connection is closed when the test is done with it
            pass
        self.ended.set()

    def events(self, until, timeout=20):
        """Events received until `until(events)` holds, or the stream ends."""
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until(got):
            try:
                got.append(json.loads(self.lines.get(timeout=0.2)))
            except queue.Empty:
                if self.ended.is_set() and self.lines.empty():
                    break
        return got

    def close(self):
        # Shut the socket down first: the reader thread holds it in a blocking read, and
        # closing the response alone would wait for that read to return.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.response.close()


def without_bookmarks(events):
    return [e for e in events if e["type"] != "BOOKMARK"]


def rv_of(event):
    return int(event["object"]["metadata"]["resourceVersion"])


@pytest.fixture
def namespace(upstream_api, cluster):
    name = f"e2e-watch-{uuid.uuid4().hex[:6]}"
    assert upstream_api.request("POST", "/api/v1/namespaces",
                                {"metadata": {"name": name}}).status_code == 201
    # The controller-manager adds kube-root-ca.crt to a new namespace a moment later; wait for
    # it, or it may land between the two requests a test compares.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and upstream_api.get(
            f"/api/v1/namespaces/{name}/configmaps/kube-root-ca.crt").status_code != 200:
        time.sleep(0.1)
    yield name
    cluster.kubectl_run("delete", "namespace", name, "--wait=false", check=False)


def write(api, method, path, body=None, content_type="application/json"):
    response = api.request(method, path, body, content_type=content_type)
    assert response.status_code in (200, 201), response.text
    return response.json()


def churn(api, ns):
    """Creates, relabels and deletes configmaps; returns the version of the last change."""
    base = f"/api/v1/namespaces/{ns}/configmaps"
    patch = "application/merge-patch+json"
    write(api, "POST", base, {"metadata": {"name": "a", "labels": {"tier": "x"}}, "data": {"k": "1"}})
    write(api, "POST", base, {"metadata": {"name": "b", "labels": {"tier": "y"}}, "data": {"k": "1"}})
    write(api, "PATCH", f"{base}/a", {"data": {"k": "2"}}, patch)                      # stays x
    write(api, "PATCH", f"{base}/b", {"metadata": {"labels": {"tier": "x"}}}, patch)   # enters x
    write(api, "PATCH", f"{base}/a", {"metadata": {"labels": {"tier": "z"}}}, patch)   # leaves x
    write(api, "POST", base, {"metadata": {"name": "c", "labels": {"tier": "x"}}})
    assert api.request("DELETE", f"{base}/c").status_code == 200
    # A delete answers with a Status: one more change gives the version to wait for.
    last = write(api, "PATCH", f"{base}/b", {"data": {"k": "3"}}, patch)
    return rv_of({"object": last})


def compare_watch(upstream_api, kcache_api, path, expect_after_rv):
    up = WatchStream(upstream_api, path)
    kc = WatchStream(kcache_api, path)
    return up, kc


def current_rv(api, ns):
    return int(api.get(f"/api/v1/namespaces/{ns}/configmaps").json()["metadata"]["resourceVersion"])


@pytest.mark.parametrize("selector", [
    "",
    "labelSelector=tier%3Dx",
    "labelSelector=tier%20in%20(x%2Cy)",
    "fieldSelector=metadata.name%3Db",
    "labelSelector=tier%21%3Dy",
])
def test_watch_from_version_matches_upstream(upstream_api, kcache_api, namespace, selector):
    start = current_rv(upstream_api, namespace)
    path = f"/api/v1/namespaces/{namespace}/configmaps?watch=true&resourceVersion={start}"
    if selector:
        path += "&" + selector
    up, kc = WatchStream(upstream_api, path), WatchStream(kcache_api, path)
    assert (up.status, up.content_type) == (kc.status, kc.content_type) == (200, "application/json")
    last = churn(upstream_api, namespace)
    done = lambda events: any(rv_of(e) >= last for e in without_bookmarks(events))
    # Both streams are read up to the last change, plus a moment to catch duplicates; events of
    # later changes (a controller may still be writing) are not compared.
    up_events = without_bookmarks(up.events(done))
    kc_events = without_bookmarks(kc.events(done))
    kc_events += without_bookmarks(kc.events(lambda ev: False, timeout=0.5))
    up_events = [e for e in up_events if rv_of(e) <= last]
    kc_events = [e for e in kc_events if rv_of(e) <= last]
    up.close()
    kc.close()
    assert up_events, "the upstream sent no events"
    assert [e["type"] for e in kc_events] == [e["type"] for e in up_events]
    assert kc_events == up_events


def test_watch_events_are_byte_identical(upstream_api, kcache_api, namespace):
    start = current_rv(upstream_api, namespace)
    path = f"/api/v1/namespaces/{namespace}/configmaps?watch=true&resourceVersion={start}"
    up = upstream_api.get(path, stream=True)
    kc = kcache_api.get(path, stream=True)
    last = churn(upstream_api, namespace)
    up_lines, kc_lines = [], []
    for response, lines in ((up, up_lines), (kc, kc_lines)):
        for line in response.iter_lines(chunk_size=1):
            lines.append(line)
            if json.loads(line)["type"] != "BOOKMARK" and rv_of(json.loads(line)) >= last:
                break
        response.close()
    strip = lambda lines: [l for l in lines if b'"type":"BOOKMARK"' not in l]
    assert strip(kc_lines) == strip(up_lines)


def test_legacy_watch_path_for_one_object(upstream_api, kcache_api, namespace):
    start = current_rv(upstream_api, namespace)
    path = f"/api/v1/watch/namespaces/{namespace}/configmaps/b?resourceVersion={start}"
    up, kc = WatchStream(upstream_api, path), WatchStream(kcache_api, path)
    last = churn(upstream_api, namespace)
    up_events = up.events(lambda ev: any(rv_of(e) >= last - 3 for e in without_bookmarks(ev)), 5)
    kc_events = kc.events(lambda ev: len(without_bookmarks(ev)) >= len(without_bookmarks(up_events)), 5)
    up.close()
    kc.close()
    assert without_bookmarks(up_events)
    assert without_bookmarks(kc_events) == without_bookmarks(up_events)


@pytest.mark.parametrize("query", [
    "watch=true&resourceVersion=0",
    "watch=true",
    "watch=1&resourceVersion=0&labelSelector=tier%3Dx",
    "watch=True&allowWatchBookmarks=True&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
    "watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=0",
])
def test_initial_events_match_upstream(upstream_api, kcache_api, namespace, query):
    last = churn(upstream_api, namespace)
    wait_until(lambda: current_rv(kcache_api, namespace) >= last, what="kcache caught up")
    path = f"/api/v1/namespaces/{namespace}/configmaps?{query}"
    up, kc = WatchStream(upstream_api, path), WatchStream(kcache_api, path)
    end = lambda events: any(e["type"] == "BOOKMARK" for e in events)
    wants_bookmark = "allowWatchBookmarks" in query
    up_events = up.events(end, timeout=10 if wants_bookmark else 2)
    kc_events = kc.events(end, timeout=10 if wants_bookmark else 2)
    up.close()
    kc.close()
    assert without_bookmarks(kc_events) == without_bookmarks(up_events)
    assert len(without_bookmarks(up_events)) >= 1
    if wants_bookmark:
        up_mark, kc_mark = up_events[-1], kc_events[-1]
        assert up_mark["type"] == kc_mark["type"] == "BOOKMARK"
        # Same object except the version each server's cache had reached.
        up_mark["object"]["metadata"]["resourceVersion"] = "RV"
        kc_mark["object"]["metadata"]["resourceVersion"] = "RV"
        assert kc_mark == up_mark


def test_too_old_resource_version_gets_410_error_event(upstream_api, kcache_api, namespace):
    path = f"/api/v1/namespaces/{namespace}/configmaps?watch=true&resourceVersion=1"
    results = []
    for api in (upstream_api, kcache_api):
        stream = WatchStream(api, path)
        events = stream.events(lambda ev: len(ev) >= 1, timeout=10)
        assert stream.ended.wait(10), "the stream should end after the ERROR event"
        results.append((stream.status, events))
    (up_status, up_events), (kc_status, kc_events) = results
    assert up_status == kc_status == 200
    assert len(up_events) == len(kc_events) == 1
    number = re.compile(r"\(\d+\)")
    for event in up_events + kc_events:
        event["object"]["message"] = number.sub("(N)", event["object"]["message"])
    assert kc_events == up_events


def test_watch_ends_at_its_timeout(kcache_api, namespace):
    started = time.monotonic()
    stream = WatchStream(kcache_api,
                         f"/api/v1/namespaces/{namespace}/configmaps?watch=true&timeoutSeconds=2")
    assert stream.ended.wait(10)
    assert 1.5 < time.monotonic() - started < 6


@pytest.mark.parametrize("query", [
    "watch=true&resourceVersionMatch=NotOlderThan",
    "watch=true&sendInitialEvents=true",
    "watch=true&sendInitialEvents=true&resourceVersionMatch=Exact",
    "watch=true&resourceVersion=abc",
    "watch=true&labelSelector=a%20b",
    "watch=true&fieldSelector=nope%3D1",
    "watch=true&timeoutSeconds=x",
])
def test_watch_errors_match_upstream(upstream_api, kcache_api, namespace, query):
    path = f"/api/v1/namespaces/{namespace}/configmaps?{query}"
    up = upstream_api.get(path, stream=True, timeout=10)
    kc = kcache_api.get(path, stream=True, timeout=10)
    up_body = up.raw.read(2000) if up.status_code != 200 else b""
    kc_body = kc.raw.read(2000) if kc.status_code != 200 else b""
    up.close()
    kc.close()
    assert up.status_code == kc.status_code
    assert kc_body == up_body
