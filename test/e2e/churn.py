"""Churn: many writes to one namespace of the UPSTREAM API server, from a few threads, at a set
rate for a set time, so that caches and clients in front of it have a stream of changes to follow.

ConfigMaps are created, updated (labels, annotations, data) and deleted by the thousand; pods
(fewer: at most `max_pods` alive) are created on kwok nodes so they become Running, relabelled
and deleted, half of them gracefully (kwok then finishes the deletion) and half at once.

Each thread owns the objects it creates (names carry the thread number and a counter that is
never reused), so the threads never race on one object and every write is expected to succeed;
failed writes are kept in `errors`.

    churn = Churn(cluster.url, cluster.token("admin"), cluster.ca, "churn-1", rate=100, duration=30)
    churn.setup()          # namespace + its default ServiceAccount
    churn.start()          # threads run for `duration` seconds (or until stop())
    churn.wait()           # join
    churn.settle()         # until no pod is terminating or pending and the namespace is still
    print(churn.summary())
"""

import json
import random
import threading
import time
from collections import Counter

import requests

READY_NODES = ("kwok-node-1", "kwok-node-2", "kwok-node-3")


class ChurnError(AssertionError):
    pass


def list_state(http, base, path, page=500):
    """{namespace/name: resourceVersion} of a collection, listed in pages at one consistent
    resourceVersion; returns (state, list resourceVersion)."""
    state = {}
    cont = None
    list_rv = None
    while True:
        params = {"limit": str(page)}
        if cont:
            params["continue"] = cont
        r = http.get(base + path, params=params, timeout=60)
        if r.status_code != 200:
            raise ChurnError(f"GET {path}: {r.status_code} {r.text[:300]}")
        doc = r.json()
        if list_rv is None:
            list_rv = doc["metadata"].get("resourceVersion")
        for item in doc["items"]:
            meta = item["metadata"]
            state[f"{meta.get('namespace', '')}/{meta['name']}"] = meta["resourceVersion"]
        cont = doc["metadata"].get("continue")
        if not cont:
            return state, list_rv


class Churn:
    def __init__(self, base_url, token, ca, namespace, *, rate=100.0, duration=30.0, threads=4,
                 max_pods=200, max_configmaps=4000, pod_share=0.15, nodes=READY_NODES, seed=1,
                 prefix="churn"):
        self.base = base_url.rstrip("/")
        self.token = token
        self.ca = ca
        self.namespace = namespace
        self.rate = float(rate)
        self.duration = float(duration)
        self.threads = int(threads)
        self.max_pods = int(max_pods)
        self.max_configmaps = int(max_configmaps)
        self.pod_share = float(pod_share)
        self.nodes = list(nodes)
        self.seed = seed
        self.prefix = prefix
        self.ops = Counter()  # "configmaps/create" etc.: successful writes
        self.errors = []
        self.max_resource_version = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers = []
        self.started_at = None
        self.stopped_at = None

    # -- plumbing --------------------------------------------------------------------------

    def http(self):
        s = requests.Session()
        # Not the environment's CA bundle (REQUESTS_CA_BUNDLE would override `verify`).
        s.trust_env = False
        s.verify = self.ca
        s.headers["Authorization"] = f"Bearer {self.token}"
        s.headers["User-Agent"] = "kcache-e2e-churn"
        return s

    def _ns_path(self, resource, name=None):
        path = f"/api/v1/namespaces/{self.namespace}/{resource}"
        return f"{path}/{name}" if name else path

    def _record(self, op, response, expected=(200, 201)):
        if response.status_code in expected:
            try:
                rv = int(response.json()["metadata"]["resourceVersion"])
            except (ValueError, KeyError, TypeError):
                rv = 0
            with self._lock:
                self.ops[op] += 1
                self.max_resource_version = max(self.max_resource_version, rv)
            return True
        with self._lock:
            self.errors.append((op, response.status_code, response.text[:300]))
        return False

    # -- namespace ---------------------------------------------------------------------------

    def setup(self, timeout=60.0):
        """Creates the namespace (if absent) and waits for its default ServiceAccount, without
        which the ServiceAccount admission plugin rejects pods."""
        s = self.http()
        body = {"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": self.namespace, "labels": {"kcache.test/churn": "true"}}}
        r = s.post(self.base + "/api/v1/namespaces", json=body, timeout=30)
        if r.status_code not in (201, 409):
            raise ChurnError(f"creating namespace {self.namespace}: {r.status_code} {r.text[:300]}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = s.get(self.base + self._ns_path("serviceaccounts", "default"), timeout=30)
            if r.status_code == 200:
                return self
            time.sleep(0.2)
        raise ChurnError(f"no default ServiceAccount in {self.namespace} after {timeout}s")

    def delete_namespace(self):
        s = self.http()
        s.delete(self.base + f"/api/v1/namespaces/{self.namespace}", timeout=30)

    # -- running -----------------------------------------------------------------------------

    def start(self):
        if self._workers:
            raise ChurnError("churn already started")
        self._stop.clear()
        self.started_at = time.monotonic()
        for i in range(self.threads):
            t = threading.Thread(target=self._worker, args=(i,), name=f"churn-{i}", daemon=True)
            t.start()
            self._workers.append(t)
        return self

    def stop(self):
        self._stop.set()

    def wait(self, timeout=None):
        """Joins the threads; by default waits out the duration plus 60 s for slow requests."""
        if timeout is None:
            timeout = self.duration + 60
        deadline = time.monotonic() + timeout
        for t in self._workers:
            t.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._workers if t.is_alive()]
        if alive:
            self.stop()
            raise ChurnError(f"churn threads still running after {timeout}s: {alive}")
        self.stopped_at = time.monotonic()
        return self

    def run(self):
        return self.start().wait()

    def _worker(self, index):
        rng = random.Random(f"{self.seed}-{self.namespace}-{index}")
        s = self.http()
        configmaps = []   # names this thread has alive
        pods = []
        counter = 0
        interval = self.threads / self.rate if self.rate > 0 else 0.0
        pod_cap = max(1, self.max_pods // self.threads)
        cm_cap = max(1, self.max_configmaps // self.threads)
        end = self.started_at + self.duration
        next_at = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= end:
                break
            if next_at > now:
                time.sleep(min(next_at - now, end - now))
                continue
            # Behind by more than a second: drop the backlog rather than burst.
            next_at = max(next_at + interval, now - 1.0)
            counter += 1
            try:
                if rng.random() < self.pod_share:
                    self._pod_op(s, rng, index, counter, pods, pod_cap)
                else:
                    self._configmap_op(s, rng, index, counter, configmaps, cm_cap)
            except requests.RequestException as e:
                with self._lock:
                    self.errors.append(("request", 0, repr(e)[:300]))

    def _configmap_op(self, s, rng, index, counter, alive, cap):
        roll = rng.random()
        if len(alive) < 20 or (roll < 0.4 and len(alive) < cap):
            name = f"{self.prefix}-{index}-cm-{counter}"
            body = {"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": name, "labels": {"churn": "true", "gen": "0"},
                                 "annotations": {"churn/created": str(time.time())}},
                    "data": {"value": str(counter), "blob": "x" * rng.choice((10, 100, 2000))}}
            if self._record("configmaps/create",
                            s.post(self.base + self._ns_path("configmaps"), json=body, timeout=60)):
                alive.append(name)
        elif roll < 0.8:
            name = rng.choice(alive)
            patch = self._metadata_patch(rng, counter)
            if rng.random() < 0.4:
                patch["data"] = {"value": str(counter), f"k{rng.randrange(5)}": "v" * rng.randrange(1, 500)}
            self._record("configmaps/update",
                         s.patch(self.base + self._ns_path("configmaps", name), data=json.dumps(patch),
                                 headers={"Content-Type": "application/merge-patch+json"}, timeout=60))
        else:
            name = alive.pop(rng.randrange(len(alive)))
            self._record("configmaps/delete",
                         s.delete(self.base + self._ns_path("configmaps", name), timeout=60))

    def _pod_op(self, s, rng, index, counter, alive, cap):
        roll = rng.random()
        if not alive or (roll < 0.45 and len(alive) < cap):
            name = f"{self.prefix}-{index}-pod-{counter}"
            body = {
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "labels": {"churn": "true", "app": f"churn-{index}"}},
                "spec": {
                    "nodeName": rng.choice(self.nodes),
                    "automountServiceAccountToken": False,
                    "terminationGracePeriodSeconds": 1,
                    "containers": [{"name": "app", "image": "registry.local/churn:1",
                                    "resources": {"requests": {"cpu": "1m", "memory": "1Mi"}}}],
                    "tolerations": [{"operator": "Exists"}],
                },
            }
            if self._record("pods/create",
                            s.post(self.base + self._ns_path("pods"), json=body, timeout=60)):
                alive.append(name)
        elif roll < 0.75:
            name = rng.choice(alive)
            self._record("pods/update",
                         s.patch(self.base + self._ns_path("pods", name),
                                 data=json.dumps(self._metadata_patch(rng, counter)),
                                 headers={"Content-Type": "application/merge-patch+json"}, timeout=60))
        else:
            name = alive.pop(rng.randrange(len(alive)))
            params = {"gracePeriodSeconds": "0"} if rng.random() < 0.5 else None
            self._record("pods/delete",
                         s.delete(self.base + self._ns_path("pods", name), params=params, timeout=60))

    @staticmethod
    def _metadata_patch(rng, counter):
        meta = {}
        if rng.random() < 0.6:
            labels = {"gen": str(counter), f"l{rng.randrange(4)}": f"v{rng.randrange(100)}"}
            if rng.random() < 0.2:
                labels[f"l{rng.randrange(4)}"] = None  # removal
            meta["labels"] = labels
        else:
            meta["annotations"] = {"churn/touched": str(counter),
                                   f"churn/a{rng.randrange(3)}": "n" * rng.randrange(1, 300)}
        return {"metadata": meta}

    # -- after -------------------------------------------------------------------------------

    def settle(self, timeout=90.0, quiet=1.5):
        """Waits until every pod in the namespace is Running and none is terminating (kwok acts
        on them shortly after each write), and the namespace's pods and configmaps have stopped
        changing for `quiet` seconds. Returns {"pods": state, "configmaps": state}."""
        s = self.http()
        deadline = time.monotonic() + timeout
        last = None
        last_change = time.monotonic()
        why = "no list yet"
        while time.monotonic() < deadline:
            r = s.get(self.base + self._ns_path("pods"), timeout=60)
            if r.status_code != 200:
                raise ChurnError(f"listing pods: {r.status_code} {r.text[:300]}")
            items = r.json()["items"]
            busy = [p["metadata"]["name"] for p in items
                    if p["metadata"].get("deletionTimestamp")
                    or p.get("status", {}).get("phase") != "Running"]
            state = {
                "pods": {f"{self.namespace}/{p['metadata']['name']}": p["metadata"]["resourceVersion"]
                         for p in items},
                "configmaps": list_state(s, self.base, self._ns_path("configmaps"))[0],
            }
            if state != last:
                last = state
                last_change = time.monotonic()
            if busy:
                why = f"{len(busy)} pods not Running or terminating, e.g. {busy[:3]}"
            elif time.monotonic() - last_change < quiet:
                why = "namespace still changing"
            else:
                return state
            time.sleep(0.3)
        raise ChurnError(f"namespace {self.namespace} did not settle in {timeout}s: {why}")

    def writes(self, resource):
        return sum(n for op, n in self.ops.items() if op.startswith(resource + "/"))

    def summary(self):
        took = (self.stopped_at or time.monotonic()) - (self.started_at or time.monotonic())
        total = sum(self.ops.values())
        return {"namespace": self.namespace, "seconds": round(took, 1), "writes": total,
                "writes_per_second": round(total / took, 1) if took > 0 else None,
                "ops": dict(sorted(self.ops.items())), "errors": len(self.errors),
                "first_errors": self.errors[:5]}
