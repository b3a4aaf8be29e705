"""The processes a benchmark run measures: a real cluster (etcd + kube-apiserver), kcache in front
of it, and nginx serving fixed bytes over kcache's own TLS certificate. Each is started fresh in
one work directory and stopped at the end."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests
import urllib3

urllib3.disable_warnings()

ROOT = Path(__file__).resolve().parent.parent
CLUSTER_SCRIPTS = ROOT / "test" / "cluster"
BUILD = ROOT / "build"
KCACHE = BUILD / "kcache"
LOADGEN = BUILD / "perf" / "loadgen"
INGEST_BENCH = BUILD / "perf" / "ingest_bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def read_env(path):
    env = {}
    for line in Path(path).read_text().splitlines():
        if line.startswith("export ") and "=" in line:
            key, value = line[len("export "):].split("=", 1)
            env[key] = value.strip("'\"")
    return env


def process_stats(pid):
    """Resident memory (bytes) and CPU seconds used so far by a process."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    return {"rss_bytes": rss, "cpu_seconds": cpu}


class Cluster:
    """etcd and kube-apiserver only: no controllers, no kubelets, so objects stay still."""

    def __init__(self, workdir):
        self.dir = Path(workdir) / "cluster"
        subprocess.run([CLUSTER_SCRIPTS / "build-tools.sh"], check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, UP_CONTROLLERS="0", UP_KWOK="0",
                   UP_ETCD_ARGS="--quota-backend-bytes=8589934592")
        subprocess.run([CLUSTER_SCRIPTS / "up.sh", str(self.dir)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        self.env = read_env(self.dir / "env")
        self.url = self.env["API_URL"]
        self.ca = self.env["CA_FILE"]
        self.token = self.env["ADMIN_TOKEN"]
        self.kubeconfig = self.env["ADMIN_KUBECONFIG"]
        self.pid = int(self.env["APISERVER_PID"])

    def version(self):
        r = requests.get(self.url + "/version", verify=self.ca, timeout=10,
                         headers={"Authorization": f"Bearer {self.token}"})
        return r.json().get("gitVersion", "?")

    def get_json(self, path):
        r = requests.get(self.url + path, verify=self.ca, timeout=600,
                         headers={"Authorization": f"Bearer {self.token}"})
        r.raise_for_status()
        return r.json()

    def stop(self):
        subprocess.run([CLUSTER_SCRIPTS / "down.sh", str(self.dir), "--purge"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Kcache:
    def __init__(self, workdir, cluster):
        self.cluster = cluster
        self.data_dir = Path(workdir) / "kcache"
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.process = None
        self.log = self.data_dir / "kcache.log"

    @property
    def ca(self):
        return str(self.data_dir / "pki" / "ca.crt")

    # What a scheduler-like tool needs of a pod: where it runs, its phase, its images and its app.
    PROJECTION = "perf-pods"
    CONFIG = f"""projections:
- name: {PROJECTION}
  resource: pods
  fields: [spec.nodeName, status.phase, "spec.containers[*].image"]
  labels: {{keep: [app]}}
"""

    def write_config(self):
        path = self.data_dir / "kcache.yaml"
        path.write_text(self.CONFIG)
        return path

    def start(self):
        """Starts kcache and returns the seconds until it answered /readyz."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        # The benchmark's single user must not be throttled by kcache's per-user limits (the
        # apiserver exempts system:masters from its own).
        self.process = subprocess.Popen(
            [str(KCACHE), f"--kubeconfig={self.cluster.kubeconfig}", f"--data-dir={self.data_dir}",
             f"--secure-port={self.port}", "--max-requests-per-second-per-user=0",
             "--max-watches-per-user=100000",
             # The benchmark selects 1% of pods by this label: index it as an operator would.
             "--index-label-keys=app,app.kubernetes.io/name,app.kubernetes.io/instance,slice",
             f"--config={self.write_config()}"],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)

        def ready():
            if self.process.poll() is not None:
                raise RuntimeError("kcache exited; see " + str(self.log))
            try:
                return requests.get(self.url + "/readyz", verify=False, timeout=2).status_code == 200
            except requests.RequestException:
                return False
        wait_until(ready, 600, "kcache /readyz")
        return time.monotonic() - began

    def count(self, path):
        """How many objects kcache holds under a collection path (from remainingItemCount)."""
        r = requests.get(f"{self.url}{path}?limit=1", verify=self.ca, timeout=60,
                         headers={"Authorization": f"Bearer {self.cluster.token}"})
        r.raise_for_status()
        body = r.json()
        return len(body["items"]) + body["metadata"].get("remainingItemCount", 0)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


class Nginx:
    """nginx serving files from `root` over TLS with kcache's serving certificate: the cost of
    sending the same bytes with no work to compute them."""

    def __init__(self, workdir, kcache):
        self.dir = Path(workdir) / "nginx"
        self.root = self.dir / "root"
        self.root.mkdir(parents=True, exist_ok=True)
        # nginx's workers run as an unprivileged user: let them reach the files.
        for directory in (Path(workdir), self.dir, self.root):
            directory.chmod(0o755)
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        pki = kcache.data_dir / "pki"
        (self.dir / "nginx.conf").write_text(f"""
worker_processes auto;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path {self.dir}/tmp;
  server {{
    listen 127.0.0.1:{self.port} ssl;
    ssl_certificate {pki}/serving.crt;
    ssl_certificate_key {pki}/serving.key;
    root {self.root};
    default_type application/json;
  }}
}}
""")
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen([binary, "-c", str(self.dir / "nginx.conf"), "-g",
                                         "daemon off;"], stderr=subprocess.DEVNULL)
        wait_until(self._up, 30, "nginx")

    def _up(self):
        try:
            requests.get(self.url + "/", verify=False, timeout=1)
            return True
        except requests.RequestException:
            return False

    def put(self, name, body):
        (self.root / name).write_bytes(body)
        (self.root / name).chmod(0o644)
        return "/" + name

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def loadgen(*args):
    """Runs the load driver; returns its JSON report."""
    out = subprocess.run([str(LOADGEN), *map(str, args)], check=True, capture_output=True,
                         text=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])
