"""kubectl through kcache prints what it prints against kube-apiserver itself.

Every command runs twice, once with the upstream's kubeconfig and once with kcache's, and the two
outcomes (exit code, stdout, stderr) are compared after normalising only what legitimately
differs: the server URL in kubectl's own messages and, in human-readable output, the ages each
server prints from its clock at the moment it answers (with the column padding that follows
their width). Reads kcache serves from its cache (JSON: -o json, yaml, name, jsonpath,
custom-columns; Tables for human output, printed by kcache) and what it passes through
(discovery, OpenAPI, logs, writes, access reviews) are both covered; tests count which is which
with kcache's metrics.

Each kubectl gets its own fresh discovery cache (--cache-dir) per module, and KUBERC=off keeps a
preferences file in the home directory out of the results."""

import difflib
import json
import os
import re
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import pytest

from harness import normalize, wait_until

ENV = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"} | {"KUBERC": "off"}


class Outcome(NamedTuple):
    code: int
    stdout: str
    stderr: str


class Kubectl:
    """The cluster's kubectl against one server (the upstream or kcache)."""

    def __init__(self, binary, kubeconfig, server_url, cache_dir):
        self.binary = binary
        self.kubeconfig = kubeconfig
        self.server_url = server_url
        self.cache_dir = str(cache_dir)

    def command(self, args):
        return [self.binary, f"--kubeconfig={self.kubeconfig}", f"--cache-dir={self.cache_dir}",
                *args]

    def run(self, *args, input=None, timeout=120):
        return subprocess.run(self.command(args), capture_output=True, text=True, input=input,
                              timeout=timeout, env=ENV)

    def outcome(self, result, normalise=lambda text: text):
        """The result with this server's URL replaced, then `normalise`d."""
        def clean(text):
            return normalise(text.replace(self.server_url, "<server>"))
        return Outcome(result.returncode, clean(result.stdout), clean(result.stderr))


# A kubectl age (duration.HumanDuration): 7s, 119s, 5m30s, 63m, 3h5m, 10h, 2d3h, 30d, 2y45d.
AGE = re.compile(r"(?<![\w.:/-])\d+[smhdy](?:\d+[smhd])?(?![\w.:/-])")


def human(text):
    """Ages replaced, and runs of blanks (column padding, which follows their width) made one."""
    return "\n".join(re.sub(r"[ \t]+", " ", AGE.sub("<age>", line)).rstrip()
                     for line in text.splitlines())


def as_is(text):
    return text


def output_format(args):
    for i, arg in enumerate(args):
        if arg == "-o" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(("-o=", "--output=")):
            return arg.split("=", 1)[1]
    return None


def normaliser_for(args):
    if args[0] in ("describe",) or (args[0] == "get" and output_format(args) in (None, "wide")):
        return human
    return as_is


def clip(text, limit=6000):
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more)"


def explain_difference(args, expected, actual, extra=""):
    parts = [f"kubectl {' '.join(args)}: kcache differs from the upstream{extra}"]
    if expected.code != actual.code:
        parts.append(f"exit code: upstream {expected.code}, kcache {actual.code}")
    for stream in ("stdout", "stderr"):
        up, kc = getattr(expected, stream), getattr(actual, stream)
        if up != kc:
            diff = "\n".join(difflib.unified_diff(up.splitlines(), kc.splitlines(),
                                                  f"upstream {stream}", f"kcache {stream}",
                                                  lineterm="", n=2))
            parts.append(clip(diff))
    return "\n".join(parts)


def both(up, kc, args, normalise=None, attempts=10, input=None, kcache=None):
    """Runs `args` against both servers at once until the outcomes agree (the cluster is live:
    controllers and kwok keep writing, and a real difference persists); asserts they agree."""
    normalise = normalise or normaliser_for(args)
    expected = actual = None
    for _ in range(attempts):
        with ThreadPoolExecutor(2) as pool:
            up_run = pool.submit(up.run, *args, input=input)
            kc_run = pool.submit(kc.run, *args, input=input)
            expected = up.outcome(up_run.result(), normalise)
            actual = kc.outcome(kc_run.result(), normalise)
        if expected == actual:
            return expected
    tail = f"\nkcache log tail:\n{kcache.log_tail(15)}" if kcache else ""
    raise AssertionError(explain_difference(args, expected, actual) + tail)


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    return tmp_path_factory.mktemp("kubectl-cache")


@pytest.fixture(scope="module")
def up(cluster, cache_root):
    return Kubectl(cluster.kubectl, cluster.kubeconfig(), cluster.url, cache_root / "upstream")


@pytest.fixture(scope="module")
def kc(cluster, kcache, cache_root):
    return Kubectl(cluster.kubectl, kcache.kubeconfig(), kcache.url, cache_root / "kcache")


@pytest.fixture(scope="module")
def a_pod(up):
    names = up.run("get", "pods", "-n", "team-a", "-o", "name").stdout.split()
    assert names, "no pods in team-a: run test/cluster/workload.sh"
    return sorted(names)[0].split("/", 1)[1]


# -- get ---------------------------------------------------------------------------------------

CUSTOM_COLUMNS = ("custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,"
                  "NODE:.spec.nodeName,IP:.status.podIP,IMAGES:.spec.containers[*].image")
JSONPATH = ("jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} "
            "{.metadata.labels.app}{'\\n'}{end}")

GETS = [
    # pods
    ("get", "pods", "-n", "team-a", "-o", "json"),
    ("get", "pods", "-A", "-o", "yaml"),
    ("get", "pods", "-A", "-o", "name"),
    ("get", "pods", "-n", "team-a", "-o", JSONPATH),
    ("get", "pods", "-A", "-o", CUSTOM_COLUMNS),
    ("get", "pods", "-A"),
    ("get", "pods", "-n", "team-a"),
    ("get", "pods", "-n", "team-b", "-o", "wide"),
    ("get", "pods", "-n", "team-a", "--show-labels"),
    ("get", "pods", "-A", "-l", "app=web", "-o", "json"),
    ("get", "pods", "-A", "-l", "app=web"),
    ("get", "pods", "-A", "-l", "app in (web,api),tier!=frontend", "-o", "name"),
    ("get", "pods", "-A", "--field-selector", "spec.nodeName=kwok-node-1", "-o", "json"),
    ("get", "pods", "-A", "--field-selector", "spec.nodeName=kwok-node-1"),
    ("get", "pods", "-A", "--field-selector", "status.phase!=Running", "-o", "name"),
    ("get", "pods", "-n", "team-a", "-l", "app=web", "--field-selector", "spec.nodeName=kwok-node-2",
     "-o", "yaml"),
    ("get", "pods", "-A", "--chunk-size=7", "-o", "json"),
    ("get", "pods", "-n", "team-b", "--chunk-size=7", "-o", "name"),
    ("get", "pods", "-n", "team-c", "--chunk-size=7", "-o", "yaml"),
    ("get", "pods", "-n", "team-a", "--chunk-size=7"),
    # nodes
    ("get", "nodes", "-o", "json"),
    ("get", "nodes"),
    ("get", "nodes", "-o", "wide"),
    ("get", "nodes", "--show-labels"),
    ("get", "nodes", "-l", "kubernetes.io/hostname=kwok-node-1", "-o", "yaml"),
    ("get", "nodes", "--field-selector", "spec.unschedulable=true", "-o", "name"),
    # namespaces
    ("get", "namespaces", "-o", "yaml"),
    ("get", "namespaces", "-o", "name"),
    ("get", "namespaces", "-l", "kcache.test/workload=true"),
    ("get", "namespaces", "-l", "kcache.test/workload=true", "--show-labels"),
    # configmaps
    ("get", "configmaps", "-A", "-o", "name"),
    ("get", "configmaps", "-n", "team-b", "-o", "json", "--chunk-size=3"),
    ("get", "configmaps", "-n", "team-a"),
    ("get", "configmaps", "-A", "-l", "app=web", "-o", "yaml"),
    # deployments
    ("get", "deployments", "-A", "-o", "json"),
    ("get", "deployments", "-A"),
    ("get", "deployments", "-n", "team-c", "-o", "wide"),
    ("get", "deployments.apps", "-n", "team-c", "--show-labels"),
    # services
    ("get", "services", "-A", "-o", "yaml"),
    ("get", "services", "-n", "team-a"),
    ("get", "svc", "-A", "--field-selector", "spec.type=ClusterIP", "-o", "name"),
    # several kinds at once, short names
    ("get", "pods,services,configmaps", "-n", "team-a", "-o", "name"),
    ("get", "deploy,svc", "-n", "team-c", "-o", "json"),
    ("get", "all", "-n", "team-c"),
    # single objects
    ("get", "pod", "{pod}", "-n", "team-a", "-o", "json"),
    ("get", "pod", "{pod}", "-n", "team-a", "-o", "yaml"),
    ("get", "pod", "{pod}", "-n", "team-a"),
    ("get", "pod/{pod}", "-n", "team-a", "-o", "jsonpath={.metadata.uid} {.spec.nodeName}"),
    ("get", "node", "kwok-node-1", "-o", "json"),
    ("get", "node", "kwok-node-0", "kwok-node-4", "-o", "name"),
    ("get", "namespace", "team-a", "-o", "yaml"),
    ("get", "deployment", "frontend", "-n", "team-c", "-o", "json"),
    ("get", "deployment", "frontend", "-n", "team-c"),
    ("get", "service", "web", "-n", "team-a", "-o", "yaml"),
    # errors
    ("get", "pod", "no-such-pod", "-n", "team-a"),
    ("get", "pod", "no-such-pod", "-n", "team-a", "-o", "json"),
    ("get", "pod", "{pod}", "no-such-pod", "-n", "team-a", "-o", "name"),
    ("get", "pods", "-n", "no-such-namespace"),
    ("get", "pods", "-n", "no-such-namespace", "-o", "json"),
    ("get", "pods", "-A", "-l", "a b", "-o", "json"),
    ("get", "pods", "-A", "--field-selector", "foo=bar", "-o", "json"),
    ("get", "deployments", "-A", "--field-selector", "spec.replicas=1", "-o", "json"),
    ("get", "nosuchkind"),
]


# Every kind kcache prints, as `kubectl get` shows it (all namespaces where namespaced) and with
# -o wide; the printers-* namespaces hold objects in the states each printer distinguishes.
PRINTED_KINDS = [
    "events", "events.events.k8s.io", "replicasets", "statefulsets", "daemonsets", "jobs",
    "cronjobs", "endpoints", "endpointslices", "serviceaccounts", "persistentvolumes",
    "persistentvolumeclaims", "storageclasses", "ingresses", "ingressclasses",
    "networkpolicies", "leases", "roles", "rolebindings", "clusterroles", "clusterrolebindings",
    "customresourcedefinitions", "priorityclasses", "runtimeclasses", "poddisruptionbudgets",
    "horizontalpodautoscalers", "certificatesigningrequests", "controllerrevisions",
    "limitranges", "resourcequotas", "podtemplates", "replicationcontrollers", "flowschemas",
    "prioritylevelconfigurations", "validatingwebhookconfigurations",
    "mutatingwebhookconfigurations", "validatingadmissionpolicies",
    "validatingadmissionpolicybindings", "apiservices", "csidrivers", "csinodes",
    "volumeattachments", "ipaddresses", "servicecidrs", "deviceclasses", "resourceclaims",
    "resourceslices", "clustertrustbundles",
]
GETS += [("get", kind, "-A") for kind in PRINTED_KINDS]
GETS += [("get", kind, "-A", "-o", "wide") for kind in PRINTED_KINDS[:24]]
GETS += [
    ("get", "pods", "-A", "--sort-by=.spec.nodeName"),
    ("get", "pods", "-n", "team-a", "--sort-by=.status.startTime", "-o", "wide"),
    ("get", "pods", "-A", "-L", "app", "-L", "tier"),
    ("get", "pods", "-A", "-l", "app=web", "-L", "app", "--show-labels"),
    ("get", "nodes", "-L", "kubernetes.io/hostname", "--sort-by=.metadata.name"),
    ("get", "deployments", "-A", "-o", "wide", "--show-labels"),
    ("get", "pods", "-A", "--field-selector", "status.phase!=Running", "-o", "wide"),
    ("get", "pods", "-A", "--chunk-size=13", "-o", "wide"),
    ("get", "pods", "-A", "--no-headers"),
    ("get", "events", "-A", "--field-selector", "type=Warning"),
    ("get", "pods,deployments,services", "-A", "--show-kind"),
    ("get", "pod", "{pod}", "-n", "team-a", "-o", "wide", "--show-labels"),
    ("get", "storageclasses", "-o", "wide"),
    # Pods in every state the pod printer tells apart (test/cluster/printer-states.sh).
    ("get", "pods", "-n", "printer-states"),
    ("get", "pods", "-n", "printer-states", "-o", "wide"),
    ("get", "pods", "-n", "printer-states", "--sort-by=.status.phase"),
    ("get", "all", "-n", "printer-states", "-o", "wide"),
    ("get", "pods", "-n", "printer-states", "--field-selector", "status.phase=Pending"),
]


def substitute(args, pod):
    return tuple(a.replace("{pod}", pod) for a in args)


@pytest.mark.parametrize("args", GETS, ids=[" ".join(a) for a in GETS])
def test_get_matches_upstream(up, kc, kcache, a_pod, args):
    both(up, kc, substitute(args, a_pod), kcache=kcache)


@pytest.mark.parametrize("path", [
    "/api/v1/namespaces/team-a/pods?limit=3",
    "/api/v1/namespaces/team-a/pods/{pod}",
    "/api/v1/nodes?labelSelector=kubernetes.io%2Fhostname%3Dkwok-node-2",
    "/apis/apps/v1/namespaces/team-c/deployments",
    "/api/v1/namespaces/team-a/pods/no-such-pod",
])
def test_get_raw_matches_upstream(up, kc, kcache, a_pod, path):
    """`get --raw` prints the body as received; a list's resourceVersion and the version inside
    continue tokens are the server's own (harness.normalize)."""
    def raw(text):
        return json.dumps(normalize(text), sort_keys=True) if text.startswith("{") else text
    both(up, kc, ("get", "--raw", path.replace("{pod}", a_pod)), normalise=raw, kcache=kcache)


# -- other commands ----------------------------------------------------------------------------

OTHERS = [
    ("version",),
    ("version", "-o", "json"),
    ("version", "-o", "yaml"),
    ("api-versions",),
    ("api-resources",),
    ("api-resources", "--namespaced=false", "-o", "name"),
    ("api-resources", "--api-group=apps", "-o", "wide"),
    ("explain", "pods.spec.containers"),
    ("explain", "deployments.spec.strategy", "--recursive"),
    ("explain", "nodes.status.conditions", "--output=plaintext-openapiv2"),
    ("auth", "can-i", "list", "pods"),
    ("auth", "can-i", "delete", "nodes", "--all-namespaces"),
    ("auth", "can-i", "--list", "-n", "team-a"),
    ("auth", "whoami"),
    ("cluster-info",),
    ("describe", "pod", "{pod}", "-n", "team-a"),
    ("describe", "node", "kwok-node-1"),
    ("describe", "deployment", "frontend", "-n", "team-c"),
    ("describe", "namespace", "team-a"),
    ("describe", "pod", "crash-loop", "-n", "printer-states"),
    ("describe", "service", "web", "-n", "team-a"),
    ("describe", "pod", "no-such-pod", "-n", "team-a"),
    ("rollout", "status", "deployment/frontend", "-n", "team-c", "--timeout=30s"),
    ("wait", "--for=condition=Available", "deployment/backend", "-n", "team-c", "--timeout=30s"),
    ("top", "pods", "-n", "team-a"),
]


@pytest.mark.parametrize("args", OTHERS, ids=[" ".join(a) for a in OTHERS])
def test_command_matches_upstream(up, kc, kcache, a_pod, args):
    both(up, kc, substitute(args, a_pod), kcache=kcache)


@pytest.mark.parametrize("user,args", [
    ("alice", ("auth", "can-i", "list", "pods", "-n", "team-a")),
    ("alice", ("auth", "can-i", "list", "pods", "-n", "team-b")),
    ("alice", ("auth", "whoami", "-o", "json")),
    ("alice", ("get", "pods", "-n", "team-a", "-o", "name")),
    ("alice", ("get", "pods", "-n", "team-b", "-o", "name")),
    ("alice", ("get", "configmaps", "-A", "-o", "json")),
    ("bob", ("get", "configmaps", "-n", "team-b", "-o", "json")),
    ("bob", ("get", "configmaps", "-n", "team-a")),
    ("bob", ("get", "configmaps", "-n", "team-a", "-o", "json")),
    ("bob", ("get", "configmap", "kube-root-ca.crt", "-n", "team-a", "-o", "yaml")),
], ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_other_users_match_upstream(cluster, kcache, cache_root, user, args):
    up = Kubectl(cluster.kubectl, cluster.kubeconfig(user), cluster.url,
                 cache_root / f"upstream-{user}")
    kc = Kubectl(cluster.kubectl, kcache.kubeconfig(user), kcache.url,
                 cache_root / f"kcache-{user}")
    both(up, kc, args, kcache=kcache)


def test_logs_match_upstream(up, kc, kcache, a_pod):
    """kwok runs no kubelet: whatever the upstream answers for logs (an error, here), kcache
    answers the same."""
    for args in (("logs", "-n", "team-a", a_pod),
                 ("logs", "-n", "team-a", a_pod, "--all-containers", "--tail=5"),
                 ("logs", "-n", "team-a", "no-such-pod")):
        both(up, kc, args, attempts=3, kcache=kcache)


# -- served by the cache or passed through -----------------------------------------------------

RESPONSE = re.compile(r'"Response" verb="(\w+)" url="([^"]+)" status="(\d+)')


def requests_made(stderr, server_url):
    """(verb, path) of every request kubectl logged at -v=6."""
    return [(verb, url[len(server_url):].split("?")[0].removesuffix("/"))
            for verb, url, _ in RESPONSE.findall(stderr)]


KLOG = re.compile(r"[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ \S+:\d+\] ")


def without_log(stderr):
    """stderr without kubectl's -v log lines (a line ending in '{' goes on until a '}' line)."""
    kept, in_object = [], False
    for line in stderr.splitlines(keepends=True):
        if in_object:
            in_object = line.rstrip("\n") != "}"
        elif KLOG.match(line):
            in_object = line.rstrip("\n").endswith("{")
        else:
            kept.append(line)
    return "".join(kept)


def traced(kubectl, args):
    """Runs kubectl with -v=6; returns the result without the log lines, and the requests."""
    result = kubectl.run(*args, "-v=6")
    made = requests_made(result.stderr, kubectl.server_url)
    result.stderr = without_log(result.stderr)
    return result, made


def is_discovery(path):
    return path in ("/api", "/apis") or path.startswith(("/openapi/", "/version"))


def counters(kcache):
    """(reads answered from the cache, requests answered otherwise: passed to the upstream or,
    for discovery and OpenAPI, from kcache's copies of the upstream's documents, which
    test_discovery.py covers)."""
    m = kcache.metrics()
    return (m["kcache_requests_cached_total"],
            m["kcache_requests_passed_total"] + m.get("kcache_discovery_cache_hits_total", 0))


CACHED_COMMANDS = [
    ("get", "pods", "-A", "-o", "json"),
    ("get", "pods", "-A", "-o", "json"),
    ("get", "nodes", "-o", "yaml"),
    ("get", "namespaces", "-o", "name"),
    ("get", "configmaps", "-n", "team-a", "-o", "json"),
    ("get", "deployments", "-A", "-o", "yaml"),
    ("get", "services", "-A", "-o", "name"),
    ("get", "pods", "-n", "team-a", "-o", JSONPATH),
    ("get", "pods", "-A", "-o", CUSTOM_COLUMNS),
    ("get", "pods", "-A", "-l", "app=web", "--field-selector", "spec.nodeName=kwok-node-1",
     "-o", "json"),
    ("get", "pod", "{pod}", "-n", "team-a", "-o", "json"),
    ("get", "pod", "no-such-pod", "-n", "team-a", "-o", "json"),
    ("get", "pods,services", "-n", "team-a", "-o", "name"),
]


def test_json_reads_are_served_by_the_cache(cluster, kcache, a_pod, tmp_path):
    """With a fresh discovery cache, the first command fetches discovery (/api, /apis) and every
    list or get that kubectl makes for JSON output is answered by kcache's
    cache; after that, nothing of these commands reaches the upstream."""
    kc = Kubectl(cluster.kubectl, kcache.kubeconfig(), kcache.url, tmp_path / "cache")
    for i, args in enumerate(CACHED_COMMANDS):
        args = substitute(args, a_pod)
        before = counters(kcache)
        result = kc.run(*args, "-v=6")
        after = counters(kcache)
        made = requests_made(result.stderr, kcache.url)
        discovery = [path for verb, path in made if is_discovery(path)]
        reads = [path for verb, path in made if not is_discovery(path)]
        what = f"kubectl {' '.join(args)}: requests {made}"
        assert result.returncode == (1 if "no-such-pod" in args else 0), result.stderr[-2000:]
        assert reads and all(verb == "GET" for verb, _ in made), what
        assert after[0] - before[0] == len(reads), f"{what}; cached {before[0]} -> {after[0]}"
        assert after[1] - before[1] == len(discovery), f"{what}; passed {before[1]} -> {after[1]}"
        if i == 0:
            assert discovery == ["/api", "/apis"], what
        else:
            assert discovery == [], what


def test_paginated_get_pages_through_the_cache(cluster, kcache, tmp_path):
    kc = Kubectl(cluster.kubectl, kcache.kubeconfig(), kcache.url, tmp_path / "cache")
    pods = len(kc.run("get", "pods", "-A", "-o", "name").stdout.split())
    before = counters(kcache)
    result, made = traced(kc, ("get", "pods", "-A", "--chunk-size=20", "-o", "json"))
    after = counters(kcache)
    assert result.returncode == 0, result.stderr
    assert abs(len(json.loads(result.stdout)["items"]) - pods) < 20
    assert len(made) >= pods // 20, made
    assert all(path == "/api/v1/pods" for _, path in made), made
    assert after[0] - before[0] == len(made)
    assert after[1] == before[1]


TABLE_COMMANDS = [
    ("get", "pods", "-n", "team-a"),
    ("get", "pods", "-A", "--show-labels"),
    ("get", "pods", "-A", "-o", "wide", "--chunk-size=50"),
    ("get", "pods", "-A", "--sort-by=.metadata.name"),
    ("get", "nodes", "-o", "wide"),
    ("get", "pod", "{pod}", "-n", "team-a"),
    ("get", "deployments,replicasets,services", "-A"),
    ("get", "configmaps,serviceaccounts,endpoints", "-n", "team-b"),
    ("get", "events", "-A"),
    ("get", "namespaces", "-L", "kcache.test/workload"),
    ("get", "clusterroles,clusterrolebindings,storageclasses,priorityclasses"),
    ("get", "customresourcedefinitions"),
]


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=lambda a: " ".join(a))
def test_table_reads_are_served_by_the_cache(cluster, kcache, a_pod, tmp_path, args):
    """Human output asks for Tables, which kcache prints from its cache: apart from discovery
    (a fresh kubectl cache fetches /api and /apis), nothing reaches the upstream."""
    kc = Kubectl(cluster.kubectl, kcache.kubeconfig(), kcache.url, tmp_path / "cache")
    before = counters(kcache)
    result, made = traced(kc, substitute(args, a_pod))
    after = counters(kcache)
    discovery = [path for _, path in made if is_discovery(path)]
    reads = [path for _, path in made if not is_discovery(path)]
    assert result.returncode == 0 and reads, (made, result.stderr[-2000:])
    assert after[0] - before[0] == len(reads), made
    assert after[1] - before[1] == len(discovery), made


# -- get -w ------------------------------------------------------------------------------------


class Streaming:
    """A kubectl that keeps running (get -w); its output is collected on threads."""

    def __init__(self, kubectl, args):
        self.args = args
        self.process = subprocess.Popen(kubectl.command(args), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=ENV)
        self.out, self.err = bytearray(), bytearray()
        self.lock = threading.Lock()
        self.readers = [threading.Thread(target=self._read, args=(pipe, buf), daemon=True)
                        for pipe, buf in ((self.process.stdout, self.out),
                                          (self.process.stderr, self.err))]
        for reader in self.readers:
            reader.start()

    def _read(self, pipe, buf):
        while chunk := os.read(pipe.fileno(), 65536):
            with self.lock:
                buf.extend(chunk)

    def text(self):
        with self.lock:
            return self.out.decode(errors="replace")

    def wait_for(self, needle, what, timeout=30):
        def seen():
            if needle in self.text():
                return True
            if self.process.poll() is not None:
                time.sleep(0.2)  # let the readers drain
                raise AssertionError(f"kubectl {' '.join(self.args)} exited "
                                     f"({self.process.returncode}) before {what}:\n"
                                     f"{self.text()[-2000:]}\n{bytes(self.err).decode()[-2000:]}")
            return False
        wait_until(seen, timeout=timeout, interval=0.05,
                   what=f"{what} in the output of kubectl {' '.join(self.args)}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        for reader in self.readers:
            reader.join(timeout=5)
        with self.lock:
            return subprocess.CompletedProcess(self.args, self.process.returncode,
                                               self.out.decode(errors="replace"),
                                               self.err.decode(errors="replace"))


def api_write(api, method, path, body=None, content_type="application/json"):
    response = api.request(method, path, body, content_type=content_type)
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def watch_namespace(upstream_api, kcache_api, cluster):
    name = f"e2e-kubectl-w-{uuid.uuid4().hex[:6]}"
    api_write(upstream_api, "POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    # A labelled object from the start, so that every watch (selected by label or not) prints
    # something once it has listed; and kube-controller-manager's kube-root-ca.crt, in both
    # caches before anything starts.
    api_write(upstream_api, "POST", f"/api/v1/namespaces/{name}/configmaps",
              {"metadata": {"name": "seed", "labels": {"tier": "x"}}, "data": {"k": "0"}})
    for api in (upstream_api, kcache_api):
        wait_until(lambda: api.get(f"/api/v1/namespaces/{name}/configmaps/kube-root-ca.crt")
                   .status_code == 200, what=f"kube-root-ca.crt in {name} via {api.base}")
    yield name
    cluster.kubectl_run("delete", "namespace", name, "--wait=false", check=False)


def watch_changes(api, ns):
    """Creates, changes, relabels and deletes configmaps; ends with `zz-last` (label tier=x)."""
    base = f"/api/v1/namespaces/{ns}/configmaps"
    merge = "application/merge-patch+json"
    api_write(api, "POST", base, {"metadata": {"name": "a", "labels": {"tier": "x"}}, "data": {"k": "1"}})
    api_write(api, "POST", base, {"metadata": {"name": "b", "labels": {"tier": "y"}}, "data": {"k": "1"}})
    api_write(api, "PATCH", f"{base}/a", {"data": {"k": "2", "j": "3"}}, merge)         # stays x
    api_write(api, "PATCH", f"{base}/b", {"metadata": {"labels": {"tier": "x"}}}, merge)  # enters x
    api_write(api, "PATCH", f"{base}/a", {"metadata": {"labels": {"tier": "z"}}}, merge)  # leaves x
    assert api.request("DELETE", f"{base}/b").status_code == 200
    api_write(api, "PATCH", f"{base}/seed", {"data": {"k": "9"}}, merge)
    api_write(api, "POST", base, {"metadata": {"name": "zz-last", "labels": {"tier": "x"}}})


@pytest.mark.parametrize("output", [
    ("-o", "json"),
    ("-o", "json", "--output-watch-events"),
    ("-o", "yaml"),
    ("-o", "name"),
    (),
    ("--output-watch-events",),
    ("-l", "tier=x", "-o", "json"),
    ("-l", "tier=x"),
    ("--field-selector", "metadata.name!=kube-root-ca.crt", "-o", "json", "--output-watch-events"),
], ids=lambda o: " ".join(o) or "table")
def test_get_watch_matches_upstream(up, kc, kcache, upstream_api, watch_namespace, output):
    args = ("get", "configmaps", "-n", watch_namespace, "-w", *output)
    up_watch, kc_watch = Streaming(up, args), Streaming(kc, args)
    try:
        # Both have listed (and print "seed") before anything changes.
        up_watch.wait_for("seed", "the initial list")
        kc_watch.wait_for("seed", "the initial list")
        watch_changes(upstream_api, watch_namespace)
        up_watch.wait_for("zz-last", "the last change")
        kc_watch.wait_for("zz-last", "the last change")
        time.sleep(0.5)  # anything after the last change (a duplicate) would show up by now
    finally:
        up_result, kc_result = up_watch.stop(), kc_watch.stop()
    normalise = human if output_format(args) is None else as_is
    expected, actual = up.outcome(up_result, normalise), kc.outcome(kc_result, normalise)
    assert expected == actual, (explain_difference(args, expected, actual)
                                + f"\nkcache log tail:\n{kcache.log_tail(15)}")
    assert expected.stdout.count("zz-last") == 1


# -- writes ------------------------------------------------------------------------------------


class Sides:
    """One namespace per server, made with `kubectl create namespace` through that server; every
    write runs on both, each in its own namespace, and the outputs are compared with the
    namespace name replaced."""

    def __init__(self, up, kc, kcache, base):
        self.up, self.kc, self.kcache = up, kc, kcache
        self.ns = {"upstream": f"{base}-up", "kcache": f"{base}-kc"}

    def args_for(self, side, args):
        return tuple(a.replace("{ns}", self.ns[side]) for a in args)

    def outcome(self, side, result, normalise=as_is):
        kubectl = self.up if side == "upstream" else self.kc
        return kubectl.outcome(result, lambda t: normalise(t.replace(self.ns[side], "<ns>")))

    def write(self, *args, input=None, normalise=as_is):
        """Runs a write through the upstream, then the same one through kcache; both outcomes
        must agree. Returns kcache's."""
        results = {}
        for side, kubectl in (("upstream", self.up), ("kcache", self.kc)):
            results[side] = self.outcome(side, kubectl.run(
                *self.args_for(side, args),
                input=input.replace("{ns}", self.ns[side]) if input else None), normalise)
        expected, actual = results["upstream"], results["kcache"]
        assert expected == actual, explain_difference(args, expected, actual,
                                                      f"\nkcache log tail:\n"
                                                      f"{self.kcache.log_tail(15)}")
        return actual

    def read_back(self, *args):
        """Reads through kcache right after a write through kcache (no retry: kcache answers a
        write once its cache has the written version), then through the upstream. The read must
        come from kcache's cache, and agree with the upstream's."""
        before = counters(self.kcache)
        result, made = traced(self.kc, self.args_for("kcache", args))
        after = counters(self.kcache)
        got = self.outcome("kcache", result)
        want = self.outcome("kcache", self.up.run(*self.args_for("kcache", args)))
        discovery = [path for _, path in made if is_discovery(path)]
        reads = len(made) - len(discovery)
        assert reads >= 1 and (after[0] - before[0], after[1] - before[1]) == (reads, len(discovery)), \
            (f"kubectl {' '.join(args)} through kcache was not served by its cache: requests "
             f"{made}, cached {before[0]} -> {after[0]}, passed {before[1]} -> {after[1]}")
        assert got == want, explain_difference(args, want, got, " right after the write")
        return got


def comparable(text, ns):
    """An object as returned by the two sides, without what differs between two objects made
    by the same writes: identity, versions, times."""
    obj = json.loads(text.replace(ns, "<ns>"))
    meta = obj["metadata"]
    for key in ("uid", "resourceVersion", "creationTimestamp"):
        meta.pop(key, None)
    for entry in meta.get("managedFields", []):
        entry.pop("time", None)
    return obj


@pytest.fixture(scope="module")
def sides(up, kc, kcache, cluster):
    s = Sides(up, kc, kcache, f"e2e-kubectl-{uuid.uuid4().hex[:6]}")
    yield s
    for ns in s.ns.values():
        cluster.kubectl_run("delete", "namespace", ns, "--wait=false", check=False)


def test_create_namespace(sides):
    assert sides.write("create", "namespace", "{ns}").stdout == "namespace/<ns> created\n"
    sides.read_back("get", "namespace", "{ns}", "-o", "json")
    out = sides.write("create", "namespace", "{ns}")
    assert out.code == 1 and "AlreadyExists" in out.stderr


CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  namespace: {ns}
  labels:
    app: demo
    tier: x
data:
  color: %s
"""


def test_apply_then_get_reads_the_write(sides):
    out = sides.write("apply", "-f", "-", input=CONFIGMAP % "red")
    assert out.stdout == "configmap/applied created\n"
    obj = json.loads(sides.read_back("get", "configmap", "applied", "-n", "{ns}", "-o", "json").stdout)
    assert obj["metadata"]["labels"] == {"app": "demo", "tier": "x"}
    assert obj["data"] == {"color": "red"}
    assert sides.write("apply", "-f", "-", input=CONFIGMAP % "red").stdout == \
        "configmap/applied unchanged\n"
    assert sides.write("apply", "-f", "-", input=CONFIGMAP % "blue").stdout == \
        "configmap/applied configured\n"
    obj = json.loads(sides.read_back("get", "configmap", "applied", "-n", "{ns}", "-o", "json").stdout)
    assert obj["data"] == {"color": "blue"}
    sides.read_back("get", "configmaps", "-n", "{ns}", "-l", "app=demo", "-o", "json")
    out = sides.write("apply", "--server-side", "--force-conflicts", "-f", "-",
                      input=CONFIGMAP % "green")
    assert out.stdout == "configmap/applied serverside-applied\n"
    obj = json.loads(sides.read_back("get", "configmap", "applied", "-n", "{ns}", "-o", "json",
                                     "--show-managed-fields").stdout)
    assert obj["data"] == {"color": "green"}
    # The same writes had the same effect through either server.
    up_obj = sides.up.run("get", "configmap", "applied", "-n", sides.ns["upstream"], "-o", "json",
                          "--show-managed-fields")
    assert comparable(up_obj.stdout, sides.ns["upstream"]) == comparable(
        json.dumps(obj), sides.ns["kcache"])


def test_label_annotate_patch_then_get_reads_the_write(sides):
    sides.write("create", "configmap", "meta", "-n", "{ns}", "--from-literal=k=v")
    get = ("get", "configmap", "meta", "-n", "{ns}", "-o", "json")
    sides.read_back(*get)
    steps = [
        (("label", "configmap", "meta", "-n", "{ns}", "stage=labelled"), "labeled", 0),
        (("label", "configmap", "meta", "-n", "{ns}", "stage=again"), "", 1),
        (("label", "configmap", "meta", "-n", "{ns}", "stage=again", "--overwrite"), "labeled", 0),
        (("label", "configmap", "meta", "-n", "{ns}", "stage-"), "unlabeled", 0),
        (("annotate", "configmap", "meta", "-n", "{ns}", "e2e.kcache.io/note=hello"), "annotated", 0),
        (("annotate", "configmap", "meta", "-n", "{ns}", "e2e.kcache.io/note=again"), "", 1),
        (("patch", "configmap", "meta", "-n", "{ns}", "-p", '{"data":{"k":"w"}}'), "patched", 0),
        (("patch", "configmap", "meta", "-n", "{ns}", "-p", '{"data":{"k":"w"}}'),
         "patched (no change)", 0),
        (("patch", "configmap", "meta", "-n", "{ns}", "--type=json",
          "-p", '[{"op":"add","path":"/data/j","value":"1"}]'), "patched", 0),
        (("patch", "configmap", "meta", "-n", "{ns}", "-p", '{"data":{"k":1}}'), "", 1),
        (("patch", "configmap", "no-such-configmap", "-n", "{ns}", "-p", '{"data":{"k":"w"}}'),
         "", 1),
    ]
    for args, printed, code in steps:
        out = sides.write(*args)
        assert out.code == code, (args, out)
        if printed:
            assert out.stdout == f"configmap/meta {printed}\n", (args, out)
        else:
            assert out.stderr, (args, out)
        sides.read_back(*get)
    obj = json.loads(sides.kc.run(*sides.args_for("kcache", get)).stdout)
    assert obj["data"] == {"k": "w", "j": "1"}
    assert "stage" not in obj["metadata"].get("labels", {})
    assert obj["metadata"]["annotations"] == {"e2e.kcache.io/note": "hello"}
    up_obj = sides.up.run(*sides.args_for("upstream", get)).stdout
    assert comparable(up_obj, sides.ns["upstream"]) == comparable(json.dumps(obj), sides.ns["kcache"])


def test_scale_deployment_then_get_reads_the_write(sides):
    out = sides.write("create", "deployment", "web", "-n", "{ns}", "--image=registry.invalid/web:1",
                      "--replicas=1")
    assert out.stdout == "deployment.apps/web created\n"
    replicas = ("get", "deployment", "web", "-n", "{ns}", "-o", "jsonpath={.spec.replicas}")
    assert sides.read_back(*replicas).stdout == "1"
    for count in ("3", "0", "2"):
        out = sides.write("scale", "deployment", "web", "-n", "{ns}", f"--replicas={count}")
        assert out.stdout == "deployment.apps/web scaled\n"
        assert sides.read_back(*replicas).stdout == count
    out = sides.write("scale", "deployment", "web", "-n", "{ns}", "--replicas=4",
                      "--current-replicas=3")
    assert out == Outcome(1, "", "error: Expected replicas to be 3, was 2\n"), out
    out = sides.write("scale", "deployment", "no-such-deployment", "-n", "{ns}", "--replicas=1")
    assert out.code == 1 and "NotFound" in out.stderr, out


def test_delete_then_get_reads_the_write(sides):
    sides.write("create", "configmap", "doomed", "-n", "{ns}", "--from-literal=k=v")
    sides.write("create", "configmap", "doomed-too", "-n", "{ns}", "--from-literal=k=v")
    sides.read_back("get", "configmap", "doomed", "-n", "{ns}", "-o", "json")
    out = sides.write("delete", "configmap", "doomed", "-n", "{ns}")
    assert out.code == 0 and "deleted" in out.stdout, out
    gone = sides.read_back("get", "configmap", "doomed", "-n", "{ns}", "-o", "json")
    assert gone.code == 1 and "NotFound" in gone.stderr, gone
    out = sides.write("delete", "configmap", "doomed", "-n", "{ns}")
    assert out.code == 1 and out.stderr == 'Error from server (NotFound): configmaps "doomed" not found\n'
    out = sides.write("delete", "configmap", "doomed", "-n", "{ns}", "--ignore-not-found")
    assert out == Outcome(0, "", ""), out
    out = sides.write("delete", "configmap", "-n", "{ns}", "-l", "no-such-label=1")
    assert out.code == 0, out
    out = sides.write("delete", "configmap/doomed-too", "configmap/no-such", "-n", "{ns}")
    assert out.code == 1, out
    listed = sides.read_back("get", "configmaps", "-n", "{ns}", "-o", "name")
    assert "doomed" not in listed.stdout
