"""Real clients through kcache while the upstream churns: a client-go informer (WatchList,
protobuf Accept), the Python `kubernetes` client's list/watch/read, and a kcache killed with
SIGKILL and started again on its data directory. Each ends up comparing what the client (or the
restarted kcache) holds with what the upstream holds: {namespace/name: resourceVersion}.

Knobs (environment): KCACHE_E2E_CHURN_SECONDS (default 30), KCACHE_E2E_CHURN_RATE (writes per
second, default 120), KCACHE_E2E_CONVERGE_SECONDS (default 60)."""

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import urllib3
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config
from kubernetes import watch as k8s_watch

from churn import Churn, list_state
from harness import ROOT, Kcache

CHURN_SECONDS = float(os.environ.get("KCACHE_E2E_CHURN_SECONDS", "30"))
CHURN_RATE = float(os.environ.get("KCACHE_E2E_CHURN_RATE", "120"))
CONVERGE_SECONDS = float(os.environ.get("KCACHE_E2E_CONVERGE_SECONDS", "60"))
CHURN_THREADS = 4


# -- helpers ---------------------------------------------------------------------------------


def http_for(url, ca, token):
    s = requests.Session()
    s.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would replace `verify`
    s.verify = ca
    s.headers["Authorization"] = f"Bearer {token}"
    s.headers["User-Agent"] = "kcache-e2e-clients"
    s.base = url
    return s


def state_of(s, path):
    return list_state(s, s.base, path)[0]


def describe_diff(expected, actual, limit=8):
    """'' when equal, else a short account of what differs."""
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    stale = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    if not (missing or extra or stale):
        return ""
    parts = []
    if missing:
        parts.append(f"{len(missing)} missing, e.g. {missing[:limit]}")
    if extra:
        parts.append(f"{len(extra)} extra, e.g. {extra[:limit]}")
    if stale:
        parts.append(f"{len(stale)} at another resourceVersion, e.g. "
                     f"{[(k, 'want ' + expected[k], 'got ' + actual[k]) for k in stale[:limit]]}")
    return f"({len(expected)} expected, {len(actual)} held) " + "; ".join(parts)


def new_namespace(kind):
    return f"churn-{kind}-{uuid.uuid4().hex[:6]}"


def make_churn(cluster, namespace, duration=CHURN_SECONDS, prefix="churn"):
    return Churn(cluster.url, cluster.token("admin"), cluster.ca, namespace, rate=CHURN_RATE,
                 duration=duration, threads=CHURN_THREADS, max_pods=200, seed=namespace,
                 prefix=prefix)


def log_since(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


@pytest.fixture(scope="module")
def informer_binary():
    out = subprocess.run([str(ROOT / "test" / "clients" / "build.sh"), "informer"],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, f"building the informer client failed:\n{out.stderr[-3000:]}"
    paths = dict(line.split("=", 1) for line in out.stdout.split() if "=" in line)
    return paths["informer"]


class InformerProcess:
    """test/clients/informer running against one kubeconfig."""

    def __init__(self, binary, kubeconfig, name, workdir, namespace=None):
        self.name = name
        self.snapshot_file = Path(workdir) / f"{name}.snapshot.json"
        self.stderr_path = Path(workdir) / f"{name}.stderr"
        args = [binary, f"--kubeconfig={kubeconfig}", f"--name={name}",
                f"--snapshot-file={self.snapshot_file}", "--sync-timeout=60s"]
        if namespace:
            args.append(f"--namespace={namespace}")
        self.stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr)

    def stderr_text(self, tail=3000):
        return self.stderr_path.read_text(errors="replace")[-tail:]

    def wait_synced(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if '"msg":"synced"' in self.stderr_path.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise AssertionError(f"informer {self.name} exited ({self.process.returncode}):\n"
                                     f"{self.stderr_text()}")
            time.sleep(0.1)
        raise AssertionError(f"informer {self.name} not synced after {timeout}s:\n"
                             f"{self.stderr_text()}")

    def snapshot(self, timeout=15):
        self.snapshot_file.unlink(missing_ok=True)
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.snapshot_file.exists():
                return json.loads(self.snapshot_file.read_text())
            if self.process.poll() is not None:
                raise AssertionError(f"informer {self.name} exited:\n{self.stderr_text()}")
            time.sleep(0.05)
        raise AssertionError(f"informer {self.name} wrote no snapshot in {timeout}s")

    def stop(self, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"informer {self.name} did not exit {timeout}s after SIGTERM")
        finally:
            self.stderr.close()
        assert out.strip(), f"informer {self.name} printed no report:\n{self.stderr_text()}"
        return json.loads(out)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.stderr.close()


def summarize_report(report):
    return {res: {"objects": r["count"], "events": r["events"], "requests": r["requests"],
                  "anomalies": r["anomaly_count"], "watch_errors": len(r["watch_errors"]),
                  "watch_error_events": len(r["watch_error_events"])}
            for res, r in report["resources"].items()}


# -- client-go informer --------------------------------------------------------------------


def test_informer_through_kcache_follows_churn(cluster, kcache, informer_binary, tmp_path):
    """A client-go informer (WatchList, protobuf Accept) through kcache, and one directly on
    the upstream, while a namespace churns: afterwards both stores equal the upstream's
    pods and configmaps (all namespaces), with no anomaly in either event stream, no relist,
    and event counts that match each other and cover every churn write."""
    upstream = http_for(cluster.url, cluster.ca, cluster.token("admin"))
    namespace = new_namespace("informer")
    churn = make_churn(cluster, namespace).setup()
    via_kcache = InformerProcess(informer_binary, kcache.kubeconfig("admin"), "kcache", tmp_path)
    direct = InformerProcess(informer_binary, cluster.kubeconfig("admin"), "upstream", tmp_path)
    informers = [via_kcache, direct]
    try:
        for inf in informers:
            inf.wait_synced()
        started = time.monotonic()
        churn.run()
        churn_took = time.monotonic() - started
        assert not churn.errors, f"churn writes failed: {churn.summary()}"
        churn.settle()

        # Converge: poll until both informers hold what the upstream lists now.
        resources = ("pods", "configmaps")
        deadline = time.monotonic() + CONVERGE_SECONDS
        while True:
            expected = {res: state_of(upstream, f"/api/v1/{res}") for res in resources}
            snaps = {inf.name: inf.snapshot() for inf in informers}
            diffs = {f"{name}/{res}": describe_diff(expected[res], snap["resources"][res]["store"])
                     for name, snap in snaps.items() for res in resources}
            diffs = {k: v for k, v in diffs.items() if v}
            if not diffs:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"informer stores did not converge to the upstream within "
                            f"{CONVERGE_SECONDS}s after the churn settled: {diffs}\n"
                            f"kcache log:\n{kcache.log_tail()}")
            time.sleep(1)
        converged_after = time.monotonic() - started - churn_took
        reports = {inf.name: inf.stop() for inf in informers}
    finally:
        for inf in informers:
            inf.kill()
        churn.delete_namespace()

    print(f"\nchurn: {churn.summary()} in {churn_took:.1f}s; converged {converged_after:.1f}s "
          f"after the churn ended")
    for name, report in reports.items():
        print(f"{name}: {json.dumps(summarize_report(report))}")
        print(f"{name}: Accept {report['accept']} -> Content-Type {report['content_types']}")

    for name, report in reports.items():
        for res, r in report["resources"].items():
            assert r["anomaly_count"] == 0, \
                f"{name} informer, {res}: {r['anomaly_count']} anomalies, e.g. {r['anomalies'][:10]}"
            assert not r["watch_errors"], f"{name} informer, {res}: watch errors {r['watch_errors']}"
            req = r["requests"]
            # client-go 0.37 streams the initial state (sendInitialEvents) instead of listing;
            # one such request and no plain list means no fallback and no relist.
            assert req["watchlist"] == 1 and req["list"] == 0, \
                f"{name} informer, {res}: expected exactly one WatchList request and no list, " \
                f"got {req}; ERROR events {r['watch_error_events'][:3]}"
        assert "application/vnd.kubernetes.protobuf" in " ".join(report["accept"]), report["accept"]

    k, u = reports["kcache"]["resources"], reports["upstream"]["resources"]
    for res in ("pods", "configmaps"):
        ops = {op.split("/")[1]: n for op, n in churn.ops.items() if op.startswith(res + "/")}
        for name, r in (("kcache", k[res]), ("upstream", u[res])):
            ev = r["events"]
            assert ev["add"] >= ops.get("create", 0) and ev["delete"] >= ops.get("delete", 0) \
                and ev["update"] >= ops.get("update", 0), \
                f"{name} informer saw fewer {res} events than churn writes: {ev} vs {ops}"
        for kind in ("add", "update", "delete"):
            a, b = k[res]["events"][kind], u[res]["events"][kind]
            assert abs(a - b) <= max(5, b // 100), \
                f"{res} {kind} events: {a} through kcache, {b} from the upstream"


# -- Python kubernetes client ---------------------------------------------------------------


class ConfigMapStream(threading.Thread):
    """watch.Watch().stream(list_namespaced_config_map) from one resourceVersion on, applying
    every event to a copy of the initial state and checking the event sequence."""

    def __init__(self, api_client, namespace, resource_version, initial, name):
        super().__init__(name=f"watch-{name}", daemon=True)
        self.v1 = k8s_client.CoreV1Api(api_client)
        self.namespace = namespace
        self.start_rv = resource_version
        self.label = name
        self.lock = threading.Lock()
        self.state = dict(initial)
        self.events = []      # (type, key, resourceVersion)
        self.problems = []    # what breaks watch semantics
        self.errors = []      # how streams ended other than by stop()
        self.streams = 0
        self.bookmarks = 0
        self.stop_ignored = False
        self._stopping = threading.Event()
        self._watch = None
        self._seen_rvs = set()

    def snapshot(self):
        with self.lock:
            return dict(self.state)

    def stop(self):
        self._stopping.set()
        if self._watch:
            self._watch.stop()

    def stop_and_join(self, grace=3.0, timeout=15.0):
        """Watch.stop() and wait for the stream to end. Watch.stop() shuts down the connection's
        socket, which urllib3 no longer holds once a response says `Connection: close`; then the
        stream is closed from below and `stop_ignored` tells so."""
        self.stop()
        self.join(grace)
        if self.is_alive():
            self.stop_ignored = True
            try:
                self._watch._resp._fp.fp.raw._sock.shutdown(socket.SHUT_RDWR)
            except (AttributeError, OSError):
                pass
            self.join(timeout)
        assert not self.is_alive(), f"{self.label} watch did not stop within {grace + timeout}s"

    def _apply(self, etype, obj, last_rv):
        meta = obj["metadata"]
        key = f"{meta['namespace']}/{meta['name']}"
        rv = meta["resourceVersion"]
        with self.lock:
            self.events.append((etype, key, rv))
            if int(rv) <= last_rv:
                self.problems.append(f"stream {self.streams}: {etype} {key} at {rv} after {last_rv}")
            if rv in self._seen_rvs:
                self.problems.append(f"resourceVersion {rv} seen twice ({etype} {key})")
            self._seen_rvs.add(rv)
            present = key in self.state
            if etype == "ADDED" and present:
                self.problems.append(f"ADDED {key} at {rv}, already held at {self.state[key]}")
            if etype in ("MODIFIED", "DELETED") and not present:
                self.problems.append(f"{etype} {key} at {rv}, not held")
            if etype == "DELETED":
                self.state.pop(key, None)
            else:
                self.state[key] = rv
        return int(rv)

    def run(self):
        rv = self.start_rv
        while not self._stopping.is_set():
            self.streams += 1
            self._watch = k8s_watch.Watch()
            last_rv = int(rv)
            try:
                for event in self._watch.stream(self.v1.list_namespaced_config_map, self.namespace,
                                                resource_version=rv, allow_watch_bookmarks=True,
                                                timeout_seconds=900):
                    obj = event["raw_object"]
                    if event["type"] == "BOOKMARK":
                        self.bookmarks += 1
                        brv = int(obj["metadata"]["resourceVersion"])
                        if brv < last_rv:
                            with self.lock:
                                self.problems.append(f"bookmark at {brv} after event at {last_rv}")
                        rv = str(max(brv, last_rv))
                        continue
                    last_rv = self._apply(event["type"], obj, last_rv)
                    rv = str(last_rv)
            except k8s_client.ApiException as e:
                self.errors.append(f"stream {self.streams}: {e.status} {e.reason}")
                return
            except (urllib3.exceptions.HTTPError, OSError, ValueError) as e:
                if not self._stopping.is_set():
                    self.errors.append(f"stream {self.streams}: {e!r}")
                    return
            if not self._stopping.is_set():
                # The server ended the stream: resume from the last version, as clients do.
                self.errors.append(f"stream {self.streams} ended by the server at {rv}")


def sanitized(api_client, obj):
    return api_client.sanitize_for_serialization(obj)


def pod_list_items(api_client, namespace):
    pods = k8s_client.CoreV1Api(api_client).list_namespaced_pod(namespace)
    doc = sanitized(api_client, pods)
    doc["metadata"].pop("resourceVersion", None)
    return doc


def test_python_client_watch_list_read_through_kcache(cluster, kcache):
    """The `kubernetes` Python client through kcache during churn: a configmap watch from a
    list's resourceVersion gets the upstream's exact event sequence (no event missed,
    duplicated or out of order) and ends in the upstream's state; pod lists and reads equal the
    upstream's."""
    kc = k8s_config.new_client_from_config(config_file=kcache.kubeconfig("admin"))
    up = k8s_config.new_client_from_config(config_file=cluster.kubeconfig("admin"))
    upstream = http_for(cluster.url, cluster.ca, cluster.token("admin"))
    namespace = new_namespace("python")
    churn = make_churn(cluster, namespace).setup()
    streams = []
    try:
        initial = k8s_client.CoreV1Api(kc).list_namespaced_config_map(namespace)
        start_rv = initial.metadata.resource_version
        initial_state = {f"{namespace}/{i.metadata.name}": i.metadata.resource_version
                         for i in initial.items}
        # The list through kcache is the upstream's state at that resourceVersion.
        exact = upstream.get(f"{cluster.url}/api/v1/namespaces/{namespace}/configmaps",
                             params={"resourceVersion": start_rv,
                                     "resourceVersionMatch": "Exact"}, timeout=30)
        assert exact.status_code == 200, exact.text[:300]
        exact_state = {f"{namespace}/{i['metadata']['name']}": i["metadata"]["resourceVersion"]
                       for i in exact.json()["items"]}
        assert initial_state == exact_state, \
            f"list through kcache at {start_rv}: {describe_diff(exact_state, initial_state)}"

        streams = [ConfigMapStream(kc, namespace, start_rv, initial_state, "kcache"),
                   ConfigMapStream(up, namespace, start_rv, initial_state, "upstream")]
        for s in streams:
            s.start()
        started = time.monotonic()
        churn.run()
        churn_took = time.monotonic() - started
        assert not churn.errors, f"churn writes failed: {churn.summary()}"
        settled = churn.settle()

        deadline = time.monotonic() + CONVERGE_SECONDS
        while True:
            expected = state_of(upstream, f"/api/v1/namespaces/{namespace}/configmaps")
            diffs = {s.label: describe_diff(expected, s.snapshot()) for s in streams}
            diffs = {k: v for k, v in diffs.items() if v}
            if not diffs or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        for s in streams:
            s.stop_and_join()
        assert not diffs, (f"configmap watch state did not converge to the upstream within "
                           f"{CONVERGE_SECONDS}s: {diffs}\nkcache log:\n{kcache.log_tail()}")

        kstream, ustream = streams
        print(f"\nchurn: {churn.summary()} in {churn_took:.1f}s")
        for s in streams:
            print(f"{s.label}: {len(s.events)} events, {s.streams} streams, {s.bookmarks} "
                  f"bookmarks, {len(s.problems)} problems, errors {s.errors}")
        for s in streams:
            assert not s.problems, f"{s.label} watch: {len(s.problems)} problems: {s.problems[:10]}"
            assert not s.errors, f"{s.label} watch: {s.errors}"
        assert len(kstream.events) >= churn.writes("configmaps"), \
            f"{len(kstream.events)} events through kcache for {churn.writes('configmaps')} writes"
        if kstream.events != ustream.events:
            first = next((i for i, (a, b) in enumerate(zip(kstream.events, ustream.events))
                          if a != b), min(len(kstream.events), len(ustream.events)))
            pytest.fail(f"event sequences differ at index {first} (kcache {len(kstream.events)} "
                        f"events, upstream {len(ustream.events)}): kcache "
                        f"{kstream.events[first:first + 3]} vs upstream "
                        f"{ustream.events[first:first + 3]}")

        # Pods: list (churn namespace and a workload one) and reads equal the upstream's.
        for ns in (namespace, "team-a"):
            deadline = time.monotonic() + 30
            while True:
                got, want = pod_list_items(kc, ns), pod_list_items(up, ns)
                if got == want or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            if got != want:
                gs = {p["metadata"]["name"]: p for p in got["items"]}
                ws = {p["metadata"]["name"]: p for p in want["items"]}
                differing = sorted(n for n in set(gs) | set(ws) if gs.get(n) != ws.get(n))
                pytest.fail(f"list_namespaced_pod({ns}) through kcache differs from the upstream "
                            f"({len(gs)} vs {len(ws)} pods): {differing[:8]}; "
                            f"list fields: {({k: v for k, v in got.items() if k != 'items'}, {k: v for k, v in want.items() if k != 'items'})}")
        names = sorted(k.split("/", 1)[1] for k in settled["pods"])[:40]
        assert names, "the churn left no pods to read"
        kv1, uv1 = k8s_client.CoreV1Api(kc), k8s_client.CoreV1Api(up)
        for name in names:
            got = sanitized(kc, kv1.read_namespaced_pod(name, namespace))
            want = sanitized(up, uv1.read_namespaced_pod(name, namespace))
            assert got == want, f"read_namespaced_pod({name}) through kcache differs from the upstream"

        # Watch.stop() from another thread ends a watch on the upstream; through kcache it
        # must, too (it cannot while kcache answers watches with `Connection: close`).
        assert not ustream.stop_ignored, "Watch.stop() did not end the upstream watch"
        assert not kstream.stop_ignored, \
            "Watch.stop() did not end the watch through kcache: its response says " \
            "`Connection: close`, so urllib3 drops the socket Watch.stop() shuts down"
    finally:
        for s in streams:
            s.stop()
        churn.stop()
        churn.delete_namespace()


# -- restart --------------------------------------------------------------------------------


LOADED = re.compile(r"kcache: loaded (\d+) objects of (\d+) resources from disk in (\d+) ms")
RELIST_SIGNS = ("watch error 410", "refused (410)", "Expired", "too old resource version")


def restart(first, downtime=2.0):
    """SIGKILL `first`, wait `downtime`, start a new kcache on its data directory and port.
    Returns (the new Kcache, the log offset where its output starts, seconds until ready)."""
    first.kill(signal.SIGKILL)
    offset = first.log_path.stat().st_size
    time.sleep(downtime)
    second = Kcache(first.cluster, data_dir=first.data_dir)
    second.port, second.url = first.port, first.url
    started = time.monotonic()
    second.start(wait_ready=False)
    second.wait_ready(timeout=30)
    return second, offset, time.monotonic() - started


def test_restart_resumes_from_disk_during_churn(cluster, tmp_path):
    """SIGKILL a kcache while a namespace churns, start a new process on the same data directory
    and port: it is ready quickly from what it stored, resumes its watches without relisting
    (a relist would also end the watches it serves), and converges to the upstream's state once
    the churn stops; a watch opened on it right after the restart gets the upstream's events."""
    upstream = http_for(cluster.url, cluster.ca, cluster.token("admin"))
    up = k8s_config.new_client_from_config(config_file=cluster.kubeconfig("admin"))
    namespace = new_namespace("restart")
    first = Kcache(cluster, data_dir=tmp_path / "kcache").start()
    second = None
    streams = []
    churn = make_churn(cluster, namespace).setup()
    try:
        churn.start()
        time.sleep(min(10, CHURN_SECONDS / 3))
        before = first.metrics()
        killed_at = time.monotonic()
        second, offset, ready_in = restart(first)
        kc = http_for(second.url, second.ca, cluster.token("admin"))
        right_after = state_of(kc, f"/api/v1/namespaces/{namespace}/configmaps")
        after = second.metrics()

        # A watch on the restarted kcache from its own list, and the same on the upstream.
        kc_client = k8s_config.new_client_from_config(config_file=second.kubeconfig("admin"))
        initial = k8s_client.CoreV1Api(kc_client).list_namespaced_config_map(namespace)
        initial_state = {f"{namespace}/{i.metadata.name}": i.metadata.resource_version
                         for i in initial.items}
        start_rv = initial.metadata.resource_version
        streams = [ConfigMapStream(kc_client, namespace, start_rv, initial_state, "kcache"),
                   ConfigMapStream(up, namespace, start_rv, initial_state, "upstream")]
        for s in streams:
            s.start()

        churn.wait()
        assert not churn.errors, f"churn writes failed: {churn.summary()}"
        churn.settle()

        deadline = time.monotonic() + CONVERGE_SECONDS
        paths = (f"/api/v1/namespaces/{namespace}/configmaps",
                 f"/api/v1/namespaces/{namespace}/pods", "/api/v1/pods")
        while True:
            expected = {p: state_of(upstream, p) for p in paths}
            diffs = {p: describe_diff(expected[p], state_of(kc, p)) for p in paths}
            for s in streams:
                diffs[f"{s.label} watch"] = describe_diff(expected[paths[0]], s.snapshot())
            diffs = {p: d for p, d in diffs.items() if d}
            if not diffs:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"restarted kcache did not converge to the upstream within "
                            f"{CONVERGE_SECONDS}s after the churn settled: {diffs}\n"
                            f"log:\n{second.log_tail()}")
            time.sleep(0.5)
        for s in streams:
            s.stop_and_join()
        log = log_since(second.log_path, offset)
    finally:
        for s in streams:
            s.stop()
        churn.stop()
        churn.delete_namespace()
        if second:
            second.stop()
        first.kill()

    objects_key = 'kcache_store_objects{resource="%s"}'
    rv_key = 'kcache_store_resource_version{resource="%s"}'
    stored_before = sum(v for k, v in before.items() if k.startswith("kcache_store_objects{"))
    kstream, ustream = streams
    print(f"\nchurn: {churn.summary()}; killed {killed_at - churn.started_at:.1f}s in, ready "
          f"{ready_in:.2f}s after the restart with {len(right_after)} configmaps in the churn "
          f"namespace; before kill: {stored_before:.0f} objects, configmaps rv "
          f"{before.get(rv_key % 'configmaps')}; after restart: configmaps rv "
          f"{after.get(rv_key % 'configmaps')}; watch after restart: {len(kstream.events)} "
          f"events through kcache, {len(ustream.events)} upstream")
    print("restart log:\n" + log[-2000:])

    loaded = LOADED.search(log)
    assert loaded, f"the restarted kcache did not log loading from disk:\n{log[-2000:]}"
    loaded_objects = int(loaded.group(1))
    assert abs(loaded_objects - stored_before) <= max(200, stored_before * 0.05), \
        f"loaded {loaded_objects} objects from disk, the killed process held {stored_before:.0f}"
    assert ready_in < 10, f"restarted kcache took {ready_in:.1f}s to become ready"
    assert right_after, "restarted kcache served no configmaps of the churn namespace when ready"
    for res in ("configmaps", "pods"):
        assert after.get(rv_key % res, 0) >= before.get(rv_key % res, 0), \
            f"{res}: resourceVersion went back from {before.get(rv_key % res)} to " \
            f"{after.get(rv_key % res)} across the restart"
        assert after.get(objects_key % res, 0) > 0, f"{res}: no objects after the restart"
    relists = [line for line in log.splitlines() if any(sign in line for sign in RELIST_SIGNS)]
    assert not relists, f"the restarted kcache relisted instead of resuming: {relists[:5]}"
    for s in streams:
        assert not s.problems, f"{s.label} watch: {len(s.problems)} problems: {s.problems[:10]}"
        # kcache ends the watches it serves when it relists; none may end here.
        assert not s.errors, f"{s.label} watch after the restart: {s.errors}"
    assert kstream.events == ustream.events, \
        f"watch after the restart: {len(kstream.events)} events through kcache, " \
        f"{len(ustream.events)} from the upstream, or in another order"


def wait_converged(informer, upstream, namespace, timeout, kcache):
    """Polls until the informer's pods and configmaps equal the upstream's in `namespace`."""
    deadline = time.monotonic() + timeout
    while True:
        expected = {res: state_of(upstream, f"/api/v1/namespaces/{namespace}/{res}")
                    for res in ("pods", "configmaps")}
        snap = informer.snapshot()
        diffs = {res: describe_diff(expected[res], snap["resources"][res]["store"])
                 for res in expected}
        diffs = {k: v for k, v in diffs.items() if v}
        if not diffs:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"informer store did not converge to the upstream within {timeout}s: "
                        f"{diffs}\nkcache log:\n{kcache.log_tail()}")
        time.sleep(0.5)


def test_informer_across_kcache_restart(cluster, informer_binary, tmp_path):
    """A client-go informer on one namespace, connected to a kcache that is SIGKILLed and
    restarted on the same data directory and port while the namespace churns. Just before the
    kill a configmap changes in another namespace, so the informer's last resourceVersion is
    older than the one kcache has for configmaps (as happens to any namespace- or
    selector-scoped watcher). kube-apiserver resumes such a watch from its resourceVersion, so
    must kcache: the informer reconnects without relisting, and ends with the upstream's state
    and no anomaly."""
    upstream = http_for(cluster.url, cluster.ca, cluster.token("admin"))
    namespace = new_namespace("informer-restart")
    before_kill = min(10.0, CHURN_SECONDS / 3)
    first = Kcache(cluster, data_dir=tmp_path / "kcache").start()
    second = None
    churn = make_churn(cluster, namespace, duration=before_kill).setup()
    churn_after = make_churn(cluster, namespace, duration=CHURN_SECONDS - before_kill,
                             prefix="after")
    elsewhere = f"/api/v1/namespaces/default/configmaps/{namespace}-elsewhere"
    informer = InformerProcess(informer_binary, first.kubeconfig("admin"), "kcache", tmp_path,
                               namespace=namespace)
    rv_metric = 'kcache_store_resource_version{resource="configmaps"}'
    try:
        informer.wait_synced()
        churn.run()
        assert not churn.errors, f"churn writes failed: {churn.summary()}"
        # The namespace is quiet and the informer has every change of it; then one change
        # elsewhere, which kcache (and its checkpoint on disk) sees and the informer does not.
        churn.settle()
        wait_converged(informer, upstream, namespace, 30, first)
        r = upstream.post(cluster.url + "/api/v1/namespaces/default/configmaps", timeout=30,
                          json={"metadata": {"name": f"{namespace}-elsewhere"}, "data": {"a": "1"}})
        assert r.status_code == 201, r.text[:300]
        elsewhere_rv = int(r.json()["metadata"]["resourceVersion"])
        deadline = time.monotonic() + 10
        while first.metrics().get(rv_metric, 0) < elsewhere_rv:
            assert time.monotonic() < deadline, \
                f"kcache did not reach configmaps resourceVersion {elsewhere_rv} in 10s"
            time.sleep(0.05)
        informer_rv = int(informer.snapshot()["resources"]["configmaps"]["last_sync_resource_version"])
        assert informer_rv < elsewhere_rv, \
            f"setup: the informer is at {informer_rv}, not behind the change elsewhere ({elsewhere_rv})"

        churn_after.start()  # runs through the downtime and after the restart
        second, offset, ready_in = restart(first)
        churn_after.wait()
        assert not churn_after.errors, f"churn writes failed: {churn_after.summary()}"
        churn_after.settle()
        wait_converged(informer, upstream, namespace, CONVERGE_SECONDS, second)
        report = informer.stop()
        log = log_since(second.log_path, offset)
    finally:
        informer.kill()
        churn.stop()
        churn_after.stop()
        upstream.delete(cluster.url + elsewhere, timeout=30)
        churn.delete_namespace()
        if second:
            second.stop()
        first.kill()

    print(f"\nchurn: {churn.summary()}, then {churn_after.summary()}; informer at "
          f"{informer_rv}, kcache at {elsewhere_rv} or later when killed; ready {ready_in:.2f}s "
          f"after the restart")
    print(f"informer: {json.dumps(summarize_report(report))}")
    for res, r in report["resources"].items():
        print(f"{res}: watch errors {r['watch_errors'][:5]}, ERROR events "
              f"{r['watch_error_events'][:5]}")
    print("restart log:\n" + log[-2000:])
    for res, r in report["resources"].items():
        assert r["requests"]["watchlist"] == 1 and r["requests"]["list"] == 0, \
            f"{res}: the informer relisted after the kcache restart: requests {r['requests']}, " \
            f"ERROR events {r['watch_error_events'][:3]}, watch errors {r['watch_errors'][:3]}"
        assert r["anomaly_count"] == 0, \
            f"{res}: {r['anomaly_count']} anomalies, e.g. {r['anomalies'][:10]}"
