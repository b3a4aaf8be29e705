"""The pieces every end-to-end test uses: a real cluster (test/cluster), a kcache process in
front of it, and HTTP clients that send the same request both ways.

A cluster started by the suite is torn down at the end. KCACHE_E2E_CLUSTER=DIR reuses a cluster
already running in DIR (started with test/cluster/up.sh and workload.sh), which makes reruns
fast while working on kcache."""

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests
import urllib3

urllib3.disable_warnings()

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SCRIPTS = ROOT / "test" / "cluster"
KCACHE_BINARY = Path(os.environ.get("KCACHE_BINARY", ROOT / "build" / "kcache"))


def read_env(path):
    env = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line.startswith("export "):
            line = line[len("export "):]
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value.strip("'\"")
    return env


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=30.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Cluster:
    """A real etcd + kube-apiserver (+ controllers, kwok) from test/cluster."""

    def __init__(self, directory, owned):
        self.dir = Path(directory)
        self.owned = owned
        self.env = read_env(self.dir / "env")
        self.url = self.env["API_URL"]
        self.ca = self.env["CA_FILE"]
        self.kubectl = self.env["KUBECTL"]

    @classmethod
    def start(cls, pods=300):
        existing = os.environ.get("KCACHE_E2E_CLUSTER")
        if existing:
            return cls(existing, owned=False)
        subprocess.run([CLUSTER_SCRIPTS / "build-tools.sh"], check=True, stdout=subprocess.DEVNULL)
        directory = tempfile.mkdtemp(prefix="kcache-e2e-cluster-")
        subprocess.run([CLUSTER_SCRIPTS / "up.sh", directory], check=True)
        subprocess.run([CLUSTER_SCRIPTS / "workload.sh", directory, "--pods", str(pods)],
                       check=True)
        return cls(directory, owned=True)

    def stop(self):
        if self.owned:
            subprocess.run([CLUSTER_SCRIPTS / "down.sh", str(self.dir), "--purge"], check=False)

    def token(self, user="admin"):
        return self.env[f"{user.upper()}_TOKEN"]

    def kubeconfig(self, user="admin"):
        return self.env[f"{user.upper()}_KUBECONFIG"]

    def kubectl_run(self, *args, kubeconfig=None, check=True, input=None, timeout=120):
        cmd = [self.kubectl, f"--kubeconfig={kubeconfig or self.kubeconfig()}", *args]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, input=input,
                              timeout=timeout)


class Kcache:
    """One kcache process in front of a cluster."""

    def __init__(self, cluster, data_dir=None, extra_args=(), env=None):
        self.cluster = cluster
        self.env = env  # added to this process's environment
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="kcache-e2e-data-"))
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.process = None
        self.log_path = self.data_dir / "kcache.log"

    def start(self, wait_ready=True):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(KCACHE_BINARY), f"--kubeconfig={self.cluster.kubeconfig()}",
             f"--data-dir={self.data_dir}", f"--secure-port={self.port}", *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, **self.env} if self.env else None)
        if wait_ready:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=60):
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"kcache exited: {self.log_tail()}")
            try:
                r = requests.get(self.url + "/readyz", verify=False, timeout=2)
                return r.status_code == 200
            except requests.RequestException:
                return False
        wait_until(ready, timeout=timeout, what="kcache /readyz")

    @property
    def ca(self):
        return str(self.data_dir / "pki" / "ca.crt")

    def kubeconfig(self, user="admin"):
        """A kubeconfig for `user` pointing at kcache, made by `kcache kubeconfig`."""
        path = self.data_dir / f"{user}.kubeconfig"
        if not path.exists():
            out = subprocess.run(
                [str(KCACHE_BINARY), "kubeconfig", f"--from={self.cluster.kubeconfig(user)}",
                 f"--server={self.url}", f"--data-dir={self.data_dir}"],
                check=True, capture_output=True, text=True).stdout
            path.write_text(out)
        return str(path)

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def stop(self):
        self.kill(signal.SIGTERM)

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def metrics(self):
        """kcache's /metrics, read as the cluster admin (it needs authentication too)."""
        text = requests.get(self.url + "/metrics", verify=False, timeout=5,
                            headers={"Authorization": f"Bearer {self.cluster.token('admin')}"}).text
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                values[name] = float(value)
        return values


def start_private_kcache(cluster, name, extra_args, env=None, wait_ready=True):
    """A kcache of a test module's own, with a data directory of its own (a RocksDB copy of the
    whole cluster) that stop_private_kcache removes. Failure messages carry its log tail."""
    kcache = Kcache(cluster, data_dir=tempfile.mkdtemp(prefix=f"kcache-e2e-{name}-data-"),
                    extra_args=extra_args, env=env)
    try:
        return kcache.start(wait_ready=wait_ready)
    except BaseException:
        stop_private_kcache(kcache)
        raise


def stop_private_kcache(kcache):
    kcache.stop()
    shutil.rmtree(kcache.data_dir, ignore_errors=True)


def divergence(a, b, where="$"):
    """Where two JSON documents (expected or upstream's first, kcache's second) first differ, as
    a short path with both values: for failure messages."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in b:
                return f"{where}.{key} only expected ({json.dumps(a[key])[:120]})"
            if key not in a:
                return f"{where}.{key} only in kcache's ({json.dumps(b[key])[:120]})"
            if a[key] != b[key]:
                return divergence(a[key], b[key], f"{where}.{key}")
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} vs {len(b)} entries: {json.dumps(a)[:200]} vs " \
                   f"{json.dumps(b)[:200]}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return divergence(x, y, f"{where}[{i}]")
        return None
    return None if a == b else f"{where}: expected {json.dumps(a)[:200]}, " \
                               f"kcache {json.dumps(b)[:200]}"


class Api:
    """HTTP client for one server (the upstream or kcache) and one user."""

    def __init__(self, base_url, ca, token=None, user_agent="kcache-e2e"):
        self.base = base_url
        self.session = requests.Session()
        # Certificates and proxies come from here, never from REQUESTS_CA_BUNDLE and friends.
        self.session.trust_env = False
        self.session.verify = ca
        self.session.headers["User-Agent"] = user_agent
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, accept=None, stream=False, timeout=60, **headers):
        if accept:
            headers["Accept"] = accept
        return self.session.get(self.base + path, headers=headers, stream=stream, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json", **headers):
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        headers.setdefault("Content-Type", content_type)
        return self.session.request(method, self.base + path, data=body, headers=headers,
                                    timeout=60)


class JsonLines:
    """A streamed watch on one server; its events (one JSON document per line) are collected
    on a thread into `events`."""

    def __init__(self, api, path, accept, timeout=90):
        self.response = api.get(path, accept, stream=True, timeout=timeout)
        self.events = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for line in self.response.iter_lines():
                if line:
                    self.events.append(json.loads(line))
        except (requests.RequestException, ValueError, AttributeError):
            pass  # closed by the test, or by the server at the end of the watch

    def close(self):
        self.response.close()


def decode_continue(token):
    padded = token + "=" * (-len(token) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def normalize(body):
    """What kube-apiserver itself varies between two identical requests: the resourceVersion of
    a list (the cache's current version) and the version inside continue tokens."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    if isinstance(doc, dict):
        meta = doc.get("metadata")
        if isinstance(meta, dict) and ("items" in doc or doc.get("kind") == "Table"):
            meta.pop("resourceVersion", None)
        if isinstance(meta, dict) and meta.get("continue"):
            token = decode_continue(meta["continue"])
            token["rv"] = "RV" if token["rv"] > 0 else token["rv"]
            # kube-apiserver's cache writes the start key with a leading '/', its etcd path
            # without; which one answers depends on its cache's snapshots.
            token["start"] = token["start"].lstrip("/")
            meta["continue"] = token
        if doc.get("kind") == "Status" and "Too large resource version" in doc.get("message", ""):
            doc["message"] = doc["message"].rsplit(", current:", 1)[0]
    return doc
