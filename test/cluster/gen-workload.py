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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--pods", type=int, default=300)
    ap.add_argument("--nodes", type=int, default=5)
    ap.add_argument("--chunks", type=int, default=4)
    ap.add_argument("--controllers", action="store_true")
    args = ap.parse_args()
    if args.nodes < 1 or args.pods < 0:
        ap.error("need --nodes >= 1 and --pods >= 0")
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
