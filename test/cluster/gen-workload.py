#!/usr/bin/env python3
"""Generate the sample workload of workload.sh as multi-document YAML files.

Output (in OUT_DIR):
  base.yaml          namespaces and kwok nodes (applied first: pods need
                     their namespace and, with KCM, its default ServiceAccount)
  objects-K.yaml     configmaps, secrets, services, pods and, with
                     --controllers, deployments and jobs; split into chunks
                     so several `kubectl apply` processes can run at once

With --printer-states it writes, instead, the objects of the printer-states
namespace (printer-states.sh applies them):
  printer-states-ns.yaml  the namespace
  printer-states.yaml     pods (no nodeName yet) and a few other objects
and with --printer-states-status PODS_JSON (those pods as the API server
lists them) the status each pod is given, derived from its creationTimestamp
and uid only, so the same pod always gets the same status:
  printer-states-actions.tsv  VERB OBJECT ARG lines: `status pods/NAME FILE`,
                              `bind NAME NODE`, `delete NAME -`
  printer-states-status/*.json  merge patches for the status subresource

Everything is derived from a fixed seed, so a second run produces the same
objects and `kubectl apply` reports them unchanged.

The pods carry spec.nodeName, so kwok makes them Running with no scheduler.
They are spread over the schedulable nodes and the cordoned node (cordoning
only stops the scheduler), never over the not-ready node: KCM would evict
them from it after the default 300 s toleration and the workload would shrink
while tests run.
"""
import argparse
import hashlib
import json
import os
import random

SEED = 20260101

# namespace -> (team, [(app, tier, containers, has_init, replicas_weight)])
LAYOUT = {
    "team-a": ("team-a", [
        ("web", "frontend", ["nginx", "log-shipper"], False, 4),
        ("api", "backend", ["api"], True, 4),
        ("worker", "backend", ["worker"], False, 3),
        ("redis", "cache", ["redis", "redis-exporter"], False, 1),
    ]),
    "team-b": ("team-b", [
        ("shop-frontend", "frontend", ["frontend"], False, 4),
        ("checkout", "backend", ["checkout", "envoy"], True, 3),
        ("payments", "backend", ["payments"], True, 2),
        ("postgres", "database", ["postgres", "pg-exporter"], True, 1),
    ]),
    "team-c": ("team-c", [
        ("search", "backend", ["search"], False, 3),
        ("indexer", "batch", ["indexer"], True, 2),
        ("recommender", "backend", ["model-server", "envoy"], False, 2),
    ]),
    "monitoring": ("platform", [
        ("prometheus", "monitoring", ["prometheus", "config-reloader"], True, 1),
        ("alertmanager", "monitoring", ["alertmanager"], False, 1),
        ("grafana", "monitoring", ["grafana"], True, 1),
        ("loki", "monitoring", ["loki"], False, 1),
    ]),
    "ingress": ("platform", [
        ("ingress-controller", "edge", ["controller"], False, 2),
        ("external-dns", "edge", ["external-dns"], False, 1),
    ]),
    "data": ("data", [
        ("kafka", "streaming", ["kafka", "jmx-exporter"], True, 2),
        ("zookeeper", "streaming", ["zookeeper"], False, 1),
        ("etl", "batch", ["etl"], True, 2),
    ]),
}

IMAGES = {
    "nginx": "nginx", "redis": "redis", "postgres": "postgres", "envoy": "envoyproxy/envoy",
    "prometheus": "prom/prometheus", "grafana": "grafana/grafana", "kafka": "bitnami/kafka",
}


def dump(obj):
    # JSON is valid YAML and needs no third-party module.
    return json.dumps(obj, separators=(",", ":"))


def template_hash(ns, app):
    return hashlib.sha256(f"{ns}/{app}".encode()).hexdigest()[:10]


def suffix(rng, n=5):
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))


def node_objects(count):
    """kwok nodes: node-0 cordoned, the last one (if >= 3 nodes) not ready."""
    nodes, schedulable = [], []
    for i in range(count):
        name = f"kwok-node-{i}"
        labels = {
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64", "type": "kwok",
            "node.kubernetes.io/instance-type": random.Random(i).choice(["m5.xlarge", "c6i.2xlarge"]),
            "topology.kubernetes.io/zone": f"zone-{'abc'[i % 3]}",
        }
        spec = {}
        not_ready = count >= 3 and i == count - 1
        if i == 0 and count >= 2:
            spec["unschedulable"] = True  # cordoned
        if not_ready:
            # Turns on kwok's node-not-ready stage for this node only.
            labels["node-not-ready.stage.kwok.x-k8s.io"] = "true"
        else:
            schedulable.append(name)
        nodes.append({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": labels,
                         "annotations": {"kwok.x-k8s.io/node": "fake",
                                         "node.alpha.kubernetes.io/ttl": "0"}},
            "spec": spec,
        })
    return nodes, schedulable


def namespace_objects():
    out = []
    for ns, (team, _) in LAYOUT.items():
        out.append({"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": ns, "labels": {"team": team, "kcache.test/workload": "true"}}})
    return out


def config_objects(ns, team, app, rng):
    big = rng.random() < 0.25
    data = {
        "LOG_LEVEL": rng.choice(["info", "debug", "warn"]),
        "FEATURE_FLAGS": ",".join(rng.sample(["a", "b", "c", "d", "e", "f"], 3)),
        "app.yaml": "\n".join(f"key{i}: value-{i}-{suffix(rng, 8)}" for i in range(20)),
    }
    if big:
        # Around 32 KiB, to exercise large objects.
        data["rules.json"] = dump([{"id": i, "expr": f"rate(x_{i}[5m]) > {i}", "pad": "x" * 300}
                                   for i in range(100)])
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": f"{app}-config", "namespace": ns,
                       "labels": {"app": app, "team": team}},
          "data": data}
    svc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": app, "namespace": ns, "labels": {"app": app, "team": team}},
           "spec": {"selector": {"app": app}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}
    if app in ("postgres", "kafka", "zookeeper"):
        svc["spec"]["clusterIP"] = "None"
    return [cm, svc]


def secret_object(ns, team):
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": "app-credentials", "namespace": ns, "labels": {"team": team}},
            "stringData": {"username": f"{ns}-svc", "password": hashlib.sha256(ns.encode()).hexdigest()}}


def pod_object(ns, team, app, tier, containers, has_init, node, rng, idx):
    h = template_hash(ns, app)
    version = f"v{1 + idx % 3}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"
    labels = {
        "app": app, "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": ns,
        "app.kubernetes.io/managed-by": "kcache-workload", "tier": tier, "team": team,
        "version": version, "pod-template-hash": h,
        "environment": rng.choice(["prod", "prod", "staging"]),
    }
    annotations = {
        "prometheus.io/scrape": "true", "prometheus.io/port": "9090",
        "kcache.test/config-hash": hashlib.sha256(f"{app}{idx}".encode()).hexdigest(),
        "kcache.test/owner": f"{team}@example.com",
    }
    if rng.random() < 0.1:
        # A few KiB of annotation (on top of last-applied-configuration).
        annotations["kcache.test/notes"] = " ".join(f"note-{i}-{suffix(rng, 12)}" for i in range(200))
    spec_containers = []
    for c in containers:
        spec_containers.append({
            "name": c, "image": f"{IMAGES.get(c, 'example.com/' + team + '/' + c)}:{version}",
            "ports": [{"name": "http", "containerPort": 8080}] if c == containers[0] else [],
            "env": [{"name": "APP", "value": app}, {"name": "POD_NAMESPACE",
                                                   "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
            "resources": {"requests": {"cpu": f"{rng.choice([50, 100, 250])}m",
                                       "memory": f"{rng.choice([64, 128, 256])}Mi"},
                          "limits": {"memory": "512Mi"}},
            "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}],
        })
    spec = {
        "nodeName": node,
        "containers": spec_containers,
        "volumes": [{"name": "config", "configMap": {"name": f"{app}-config"}}],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 5,
    }
    if has_init:
        spec["initContainers"] = [{"name": "init-migrate", "image": f"example.com/{team}/migrate:{version}",
                                   "command": ["/bin/migrate", "--wait"]}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"{app}-{h}-{suffix(rng)}", "namespace": ns,
                         "labels": labels, "annotations": annotations},
            "spec": spec}


def controller_objects():
    """Objects that need kube-controller-manager and the scheduler."""
    out = []
    for name, replicas in (("frontend", 3), ("backend", 2)):
        out.append({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": name, "namespace": "team-c", "labels": {"app": name, "team": "team-c"}},
                    "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                             "template": {"metadata": {"labels": {"app": name, "team": "team-c", "tier": "deployed"}},
                                          "spec": {"containers": [{"name": name,
                                                                   "image": f"example.com/team-c/{name}:v1"}],
                                                   "terminationGracePeriodSeconds": 5}}}})
    out.append({"apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": "nightly-report", "namespace": "data", "labels": {"app": "report"}},
                "spec": {"completions": 2, "parallelism": 2, "backoffLimit": 0,
                         "template": {"metadata": {"labels": {"app": "report"}},
                                      "spec": {"restartPolicy": "Never",
                                               "containers": [{"name": "report",
                                                               "image": "example.com/data/report:v1"}]}}}})
    return out


# -- printer-states ------------------------------------------------------------
#
# Pods in every STATUS kube-apiserver's pod printer distinguishes (printPod in
# pkg/printers/internalversion/printers.go), with statuses written through the
# status subresource as a kubelet would have reported them. kwok only acts on
# pods bound to its nodes, and there only on pods that are Pending or being
# deleted, so the pods are created unbound with a schedulerName no scheduler
# serves: Pending ones stay unbound (kwok would start them), the others are
# bound to a kwok node once their status is set (pods/binding), and pods that
# end up Terminating are bound before they are deleted (PodGC force-deletes,
# and marks Failed, terminating pods that have no node).

PRINTER_NS = "printer-states"
NO_SCHEDULER = "kcache-test-no-scheduler"
EXPECTED = "kcache.test/expected-status"
PS_IMAGE = "registry.example.com/printer-states/{}:v1"


def _digest(*parts):
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def _running(t):
    return {"running": {"startedAt": t}}


def _waiting(reason, message=None):
    w = {"reason": reason}
    if message:
        w["message"] = message
    return {"waiting": w}


def _terminated(t, code, reason=None, message=None):
    term = {"exitCode": code, "startedAt": t, "finishedAt": t}
    if reason:
        term["reason"] = reason
    if message:
        term["message"] = message
    return {"terminated": term}


def _ran(state):
    return "running" in state or "terminated" in state


def _cstatus(ctx, name, state, ready=False, restarts=0, last=None, started=None):
    """A container status as the kubelet reports it; times are the pod's
    creationTimestamp, so RESTARTS reads "N (<pod age> ago)"."""
    image = ctx["images"][name]
    cs = {"name": name, "image": image, "imageID": "", "ready": ready,
          "restartCount": restarts, "state": state, "lastState": last or {}}
    if _ran(state) or last:
        cs["imageID"] = f"{image.rsplit(':', 1)[0]}@sha256:{_digest(image)}"
        cs["containerID"] = "containerd://" + _digest(ctx["uid"], name, str(restarts))
    if started is not None:
        cs["started"] = started
    return cs


def _conditions(t, *, sandbox=True, initialized=True, ready=False, scheduled=True,
                reason=None, extra=()):
    """Kubelet-style conditions; `reason` explains a not-ready pod."""
    def cond(ctype, ok, why=None):
        c = {"type": ctype, "status": "True" if ok else "False", "lastTransitionTime": t}
        if not ok and why:
            c["reason"] = why
        return c
    out = [cond("PodReadyToStartContainers", sandbox),
           cond("Initialized", initialized, "ContainersNotInitialized"),
           cond("Ready", ready, reason or "ContainersNotReady"),
           cond("ContainersReady", ready, "ContainersNotReady")]
    out += [cond(ctype, ok) for ctype, ok in extra]
    if scheduled:
        out.append(cond("PodScheduled", True))
    return out


def _ips(ctx):
    if not ctx["bound"]:
        return {}
    ip = f"10.244.255.{ctx['index'] + 1}"
    return {"hostIP": "10.0.0.1", "hostIPs": [{"ip": "10.0.0.1"}],
            "podIP": ip, "podIPs": [{"ip": ip}]}


def _status(ctx, phase, conditions, containers=(), init=(), **extra):
    st = {"phase": phase, "conditions": conditions, **_ips(ctx)}
    if conditions and conditions[0]["type"] == "PodReadyToStartContainers":
        st["startTime"] = ctx["t"]
    if containers:
        st["containerStatuses"] = list(containers)
    if init:
        st["initContainerStatuses"] = list(init)
    st.update(extra)
    return st


def _back_off(ctx, name, seconds):
    return (f"back-off {seconds}s restarting failed container={name} "
            f"pod={ctx['name']}_{PRINTER_NS}({ctx['uid']})")


# Each state: name, the STATUS printPod shows, where it lives ("node": bound
# after its status is set, "unbound", "gated": scheduling gates, status left
# to the API server), pod spec extras, and the status as f(ctx). "delete"
# states carry the kcache.test/hold finalizer and are deleted once bound.
def _ps_crash_loop(ctx):
    t = ctx["t"]
    return _status(ctx, "Running", _conditions(t), [
        _cstatus(ctx, "app", _waiting("CrashLoopBackOff", _back_off(ctx, "app", 40)), restarts=3,
                 last=_terminated(t, 1, "Error"), started=False),
        _cstatus(ctx, "log-shipper", _running(t), ready=True, started=True)])


def _ps_pull(reason, message):
    def status(ctx):
        t = ctx["t"]
        return _status(ctx, "Pending", _conditions(t, scheduled=False), [
            _cstatus(ctx, "app", _waiting(reason, message.format(image=ctx["images"]["app"])),
                     started=False)])
    return status


def _ps_container_creating(ctx):
    t = ctx["t"]
    return _status(ctx, "Pending", _conditions(t, sandbox=False, scheduled=False),
                   [_cstatus(ctx, "app", _waiting("ContainerCreating"), started=False)])


def _ps_init_waiting(ctx):
    t = ctx["t"]
    return _status(ctx, "Pending", _conditions(t, initialized=False, scheduled=False),
                   [_cstatus(ctx, "app", _waiting("PodInitializing"), started=False)],
                   [_cstatus(ctx, "wait-for-db", _running(t), started=True),
                    _cstatus(ctx, "migrate", _waiting("PodInitializing"), started=False)])


def _ps_init_error(ctx):
    t = ctx["t"]
    return _status(ctx, "Failed", _conditions(t, sandbox=False, initialized=False),
                   [_cstatus(ctx, "app", _waiting("PodInitializing"), started=False)],
                   [_cstatus(ctx, "wait-for-db", _terminated(t, 1, "Error"), started=False),
                    _cstatus(ctx, "migrate", _waiting("PodInitializing"), started=False)])


def _ps_init_crash_loop(ctx):
    t = ctx["t"]
    return _status(ctx, "Pending", _conditions(t, initialized=False, scheduled=False),
                   [_cstatus(ctx, "app", _waiting("PodInitializing"), started=False)],
                   [_cstatus(ctx, "migrate", _waiting("CrashLoopBackOff", _back_off(ctx, "migrate", 80)),
                             restarts=4, last=_terminated(t, 2, "Error"), started=False)])


def _ps_pod_initializing(ctx):
    t = ctx["t"]
    return _status(ctx, "Pending", _conditions(t, scheduled=False),
                   [_cstatus(ctx, "app", _waiting("PodInitializing"), started=False)],
                   [_cstatus(ctx, "migrate", _terminated(t, 0, "Completed"), started=False)])


def _ps_sidecar(ctx):
    t = ctx["t"]
    return _status(ctx, "Running", _conditions(t, ready=True),
                   [_cstatus(ctx, "app", _running(t), ready=True, started=True)],
                   [_cstatus(ctx, "setup", _terminated(t, 0, "Completed"), started=False),
                    _cstatus(ctx, "proxy", _running(t), ready=True, restarts=1,
                             last=_terminated(t, 1, "Error"), started=True)])


def _ps_oom_killed(ctx):
    t = ctx["t"]
    return _status(ctx, "Running", _conditions(t), [
        _cstatus(ctx, "app", _terminated(t, 137, "OOMKilled"), restarts=2,
                 last=_terminated(t, 137, "OOMKilled"), started=False)])


def _ps_finished(phase, code, reason):
    def status(ctx):
        t = ctx["t"]
        return _status(ctx, phase, _conditions(t, sandbox=False, reason="PodCompleted"),
                       [_cstatus(ctx, "app", _terminated(t, code, reason), started=False)])
    return status


def _ps_not_ready(ctx):
    t = ctx["t"]
    return _status(ctx, "Running", _conditions(t), [
        _cstatus(ctx, "loader", _terminated(t, 0, "Completed"), started=False),
        _cstatus(ctx, "server", _running(t), ready=True, started=True)])


def _ps_evicted(ctx):
    t = ctx["t"]
    return _status(ctx, "Failed", _conditions(t, sandbox=False, reason="PodFailed"),
                   reason="Evicted",
                   message="The node was low on resource: memory. Threshold quantity: 100Mi, "
                           "available: 92Mi. Container app was using 1210Mi, request is 0, "
                           "has larger consumption of memory.")


def _ps_readiness_gates(ctx):
    t = ctx["t"]
    c = _conditions(t, reason="ReadinessGatesNotReady",
                    extra=[("kcache.test/load-balancer", True), ("kcache.test/warmed-up", False)])
    c[3] = {**c[3], "status": "True"}
    c[3].pop("reason")
    c[2]["message"] = 'the status of pod readiness gate "kcache.test/warmed-up" is not "True", but False'
    return _status(ctx, "Running", c,
                   [_cstatus(ctx, "app", _running(t), ready=True, started=True)])


def _ps_nominated(ctx):
    t = ctx["t"]
    return _status(ctx, "Pending", [
        {"type": "PodScheduled", "status": "False", "lastTransitionTime": t, "reason": "Unschedulable",
         "message": "0/5 nodes are available: 5 Insufficient memory. preemption: "
                    "victims on the nominated node are terminating."}],
        nominatedNodeName=ctx["node"])


def _ps_terminating(ctx):
    t = ctx["t"]
    return _status(ctx, "Running", _conditions(t, ready=True),
                   [_cstatus(ctx, "app", _running(t), ready=True, started=True)])


def _ps_node_lost(ctx):
    st = _ps_terminating(ctx)
    st["reason"] = "NodeLost"
    st["message"] = f"Node {ctx['node']} which was running pod {ctx['name']} is unresponsive"
    return st


PRINTER_STATES = [
    # name, STATUS, placement, spec extras, status
    ("crash-loop", "CrashLoopBackOff", "node", {"containers": ["app", "log-shipper"]}, _ps_crash_loop),
    ("image-pull-back-off", "ImagePullBackOff", "unbound", {},
     _ps_pull("ImagePullBackOff", 'Back-off pulling image "{image}"')),
    ("err-image-pull", "ErrImagePull", "unbound", {},
     _ps_pull("ErrImagePull", 'failed to pull and unpack image "{image}": not found')),
    ("container-creating", "ContainerCreating", "unbound", {}, _ps_container_creating),
    ("init-waiting", "Init:0/2", "unbound", {"init": ["wait-for-db", "migrate"]}, _ps_init_waiting),
    ("init-error", "Init:Error", "node", {"init": ["wait-for-db", "migrate"], "restartPolicy": "Never"},
     _ps_init_error),
    ("init-crash-loop", "Init:CrashLoopBackOff", "unbound", {"init": ["migrate"]}, _ps_init_crash_loop),
    ("pod-initializing", "PodInitializing", "unbound", {"init": ["migrate"]}, _ps_pod_initializing),
    ("sidecar", "Running", "node", {"init": ["setup", "proxy"], "sidecars": ["proxy"]}, _ps_sidecar),
    ("oom-killed", "OOMKilled", "node", {"memory": "64Mi"}, _ps_oom_killed),
    ("completed", "Completed", "node", {"restartPolicy": "Never"}, _ps_finished("Succeeded", 0, "Completed")),
    ("error", "Error", "node", {"restartPolicy": "Never"}, _ps_finished("Failed", 1, "Error")),
    ("exit-code", "ExitCode:2", "node", {"restartPolicy": "Never"}, _ps_finished("Failed", 2, None)),
    ("not-ready", "NotReady", "node", {"containers": ["loader", "server"]}, _ps_not_ready),
    ("evicted", "Evicted", "node", {}, _ps_evicted),
    ("readiness-gates", "Running", "node",
     {"readinessGates": ["kcache.test/load-balancer", "kcache.test/warmed-up"]}, _ps_readiness_gates),
    ("nominated", "Pending", "unbound", {"memory": "64Gi"}, _ps_nominated),
    ("scheduling-gated", "SchedulingGated", "gated", {}, None),
    ("terminating", "Terminating", "delete", {}, _ps_terminating),
    ("node-lost", "Unknown", "delete", {}, _ps_node_lost),
]


def printer_state_pod(name, expected, placement, extras):
    def container(c, sidecar=False):
        out = {"name": c, "image": PS_IMAGE.format(c)}
        if sidecar:
            out["restartPolicy"] = "Always"
        if "memory" in extras and c == "app":
            out["resources"] = {"requests": {"memory": extras["memory"]},
                                "limits": {"memory": extras["memory"]}}
        return out
    spec = {
        "containers": [container(c) for c in extras.get("containers", ["app"])],
        "restartPolicy": extras.get("restartPolicy", "Always"),
        "terminationGracePeriodSeconds": 5,
    }
    if "init" in extras:
        spec["initContainers"] = [container(c, c in extras.get("sidecars", ())) for c in extras["init"]]
    if "readinessGates" in extras:
        spec["readinessGates"] = [{"conditionType": c} for c in extras["readinessGates"]]
    if placement == "gated":
        spec["schedulingGates"] = [{"name": "kcache.test/hold"}]
    else:
        # No scheduler serves it: the pod stays unbound until printer-states.sh binds it.
        spec["schedulerName"] = NO_SCHEDULER
    meta = {"name": name, "namespace": PRINTER_NS,
            "labels": {"app": "printer-states", "printer-state": name},
            "annotations": {EXPECTED: expected}}
    if placement == "delete":
        meta["finalizers"] = ["kcache.test/hold"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def printer_states_objects(controllers):
    """The namespace, and the pods and other objects that go in it."""
    ns = {"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"name": PRINTER_NS, "labels": {"kcache.test/printer-states": "true"}}}
    objs = [printer_state_pod(n, e, p, x) for n, e, p, x, _ in PRINTER_STATES]
    def meta(name):
        return {"name": name, "namespace": PRINTER_NS, "labels": {"app": "printer-states"}}
    pod_template = {"metadata": {"labels": {"app": "printer-states"}},
                    "spec": {"restartPolicy": "Never", "schedulerName": NO_SCHEDULER,
                             "containers": [{"name": "report", "image": PS_IMAGE.format("report")}]}}
    objs.append({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("suspended"),
                 "spec": {"schedule": "30 2 * * *", "timeZone": "Etc/UTC", "suspend": True,
                          "jobTemplate": {"spec": {"template": pod_template}}}})
    objs.append({"apiVersion": "v1", "kind": "Service", "metadata": meta("load-balancer"),
                 "spec": {"type": "LoadBalancer", "allocateLoadBalancerNodePorts": False,
                          "selector": {"printer-state": "none"},
                          "ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                    {"name": "https", "port": 443, "targetPort": 8443}]}})
    objs.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("tls"),
                 "spec": {"ingressClassName": "nginx",
                          "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}],
                          "rules": [{"host": "shop.example.com", "http": {"paths": [
                              {"path": "/", "pathType": "Prefix", "backend": {"service": {
                                  "name": "load-balancer", "port": {"number": 80}}}}]}}]}})
    if controllers:
        # Fails at its deadline: its pod is never scheduled (and, unbound, is
        # deleted at once when the Job controller gives up).
        objs.append({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta("deadline-exceeded"),
                     "spec": {"activeDeadlineSeconds": 1, "backoffLimit": 0, "template": pod_template}})
        objs.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("scaled-to-zero"),
                     "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "scaled-to-zero"}},
                              "template": {"metadata": {"labels": {"app": "scaled-to-zero"}},
                                           "spec": {"containers": [{"name": "app",
                                                                    "image": PS_IMAGE.format("app")}]}}}})
        # Bound to a volume that does not exist: the PV controller keeps it
        # Pending without an event every resync.
        objs.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("pending"),
                     "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "printer-states",
                              "volumeName": "printer-states-missing",
                              "resources": {"requests": {"storage": "1Gi"}}}})
    return [ns], objs


LB_STATUS = {"status": {"loadBalancer": {"ingress": [
    {"ip": "192.0.2.10", "ipMode": "VIP"}, {"hostname": "lb.printer-states.example.com"}]}}}
INGRESS_STATUS = {"status": {"loadBalancer": {"ingress": [
    {"ip": "192.0.2.20"}, {"hostname": "shop.example.com"}]}}}


def printer_states_actions(out_dir, pods_json, node):
    """What printer-states.sh does to the listed pods: status patches (from
    each pod's creationTimestamp and uid), bindings and deletions (only those
    not done yet), and the Service and Ingress status."""
    with open(pods_json) as f:
        pods = {p["metadata"]["name"]: p for p in json.load(f)["items"]}
    sdir = os.path.join(out_dir, "printer-states-status")
    os.makedirs(sdir, exist_ok=True)
    lines = []

    def patch(obj, body):
        path = os.path.join(sdir, obj.replace("/", "-") + ".json")
        with open(path, "w") as f:
            f.write(dump(body) + "\n")
        lines.append(f"status\t{obj}\t{path}")

    for index, (name, _, placement, _, status) in enumerate(PRINTER_STATES):
        pod = pods.get(name)
        if pod is None or status is None:
            continue
        spec, meta = pod["spec"], pod["metadata"]
        bind = placement in ("node", "delete")
        images = {c["name"]: c["image"] for c in spec.get("initContainers", []) + spec["containers"]}
        ctx = {"name": name, "t": meta["creationTimestamp"], "uid": meta["uid"], "index": index,
               "node": spec.get("nodeName") or node, "bound": bind, "images": images}
        patch(f"pods/{name}", {"status": status(ctx)})
        if bind and not spec.get("nodeName") and not meta.get("deletionTimestamp"):
            lines.append(f"bind\t{name}\t{node}")
        if placement == "delete" and not meta.get("deletionTimestamp"):
            lines.append(f"delete\t{name}\t-")
    patch("services/load-balancer", LB_STATUS)
    patch("ingresses.networking.k8s.io/tls", INGRESS_STATUS)
    with open(os.path.join(out_dir, "printer-states-actions.tsv"), "w") as f:
        f.write("".join(line + "\n" for line in lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--pods", type=int, default=300)
    ap.add_argument("--nodes", type=int, default=5)
    ap.add_argument("--chunks", type=int, default=4)
    ap.add_argument("--controllers", action="store_true")
    ap.add_argument("--printer-states", action="store_true",
                    help="write the printer-states objects instead of the workload")
    ap.add_argument("--printer-states-status", metavar="PODS_JSON",
                    help="write the printer-states actions for these pods")
    ap.add_argument("--node", default="kwok-node-1", help="node printer-states pods are bound to")
    args = ap.parse_args()
    if args.nodes < 1 or args.pods < 0:
        ap.error("need --nodes >= 1 and --pods >= 0")
    if args.printer_states_status:
        printer_states_actions(args.out_dir, args.printer_states_status, args.node)
        return
    if args.printer_states:
        ns, objs = printer_states_objects(args.controllers)
        write(os.path.join(args.out_dir, "printer-states-ns.yaml"), ns)
        write(os.path.join(args.out_dir, "printer-states.yaml"), objs)
        return
    rng = random.Random(SEED)

    nodes, schedulable = node_objects(args.nodes)
    write(os.path.join(args.out_dir, "base.yaml"), namespace_objects() + nodes)

    objects = []
    apps = [(ns, team, a) for ns, (team, lst) in LAYOUT.items() for a in lst]
    for ns, (team, _) in LAYOUT.items():
        objects.append(secret_object(ns, team))
    for ns, team, (app, *_rest) in apps:
        objects.extend(config_objects(ns, team, app, rng))
    # Hand out pods to apps by weight, deterministically.
    weights = [a[2][4] for a in apps]
    counters = {}
    for i in range(args.pods):
        ns, team, (app, tier, containers, has_init, _) = rng.choices(apps, weights)[0]
        counters[app] = counters.get(app, 0) + 1
        node = schedulable[i % len(schedulable)]
        objects.append(pod_object(ns, team, app, tier, containers, has_init, node, rng, counters[app]))
    if args.controllers:
        objects.extend(controller_objects())

    chunks = max(1, args.chunks)
    for k in range(chunks):
        write(os.path.join(args.out_dir, f"objects-{k}.yaml"), objects[k::chunks])


def write(path, objs):
    with open(path, "w") as f:
        for o in objs:
            f.write("---\n" + dump(o) + "\n")


if __name__ == "__main__":
    main()
