#!/usr/bin/env python3
"""Loads a realistic workload into a Kubernetes API server for kcache's benchmarks: pods of
10-20 KB (about 1% of 70 KB) with many labels, a last-applied-configuration annotation, other
large annotations and the managedFields a create leaves; configmaps; nodes of ~15 KB.

    workload.py --url URL --token T --ca CA --pods N [--first F] [--namespaces K] [--nodes M]
                [--small-configmaps C]

Pods F..N-1 are created (so a run can grow an existing workload); with --small-configmaps,
C more configmaps of ~300 bytes, to reach a large object count cheaply.

Pods name real nodes (spec.nodeName) but no kubelet runs: they stay Pending, so the data does
not change under the benchmark. One label, `slice`, takes 100 values: `slice=7` selects 1%."""

import argparse
import concurrent.futures
import json
import random
import string
import threading

import requests
import urllib3

urllib3.disable_warnings()

rng = random.Random(42)


def word(n):
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def pod(index, namespace, nodes, big):
    app = f"app-{index % 37}"
    labels = {
        "app": app, "app.kubernetes.io/name": app, "app.kubernetes.io/instance": f"{app}-prod",
        "app.kubernetes.io/version": f"1.{index % 9}.{index % 13}", "app.kubernetes.io/component":
        rng.choice(["web", "worker", "cache", "api"]), "app.kubernetes.io/part-of": "shop",
        "app.kubernetes.io/managed-by": "helm", "team": f"team-{index % 11}", "tier":
        rng.choice(["frontend", "backend"]), "pod-template-hash": word(10), "slice": str(index % 100),
        "topology.kubernetes.io/zone": f"zone-{index % 3}", "cost-center": f"cc-{index % 23}",
        "release": f"r{index % 5}", "environment": "production",
    }
    containers = []
    for c in range(rng.choice([2, 3])):
        containers.append({
            "name": f"c{c}-{word(6)}", "image": f"registry.example.com/{app}/c{c}:{word(12)}",
            "imagePullPolicy": "IfNotPresent",
            "command": ["/bin/server", "--config=/etc/config/app.yaml", f"--shard={index % 16}"],
            "env": [{"name": f"ENV_{word(8).upper()}", "value": word(24)} for _ in range(10)],
            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                      {"name": "metrics", "containerPort": 9090, "protocol": "TCP"}],
            "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                          "limits": {"cpu": "1", "memory": "1Gi"}},
            "volumeMounts": [{"name": "config", "mountPath": "/etc/config"},
                             {"name": "data", "mountPath": "/var/data"}],
            "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080},
                               "periodSeconds": 5},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080},
                              "periodSeconds": 10, "failureThreshold": 3},
        })
    spec = {
        "nodeName": nodes[index % len(nodes)], "containers": containers,
        "volumes": [{"name": "config", "configMap": {"name": f"config-{index % 50}"}},
                    {"name": "data", "emptyDir": {}}],
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "shop",
                         "effect": "NoSchedule"}],
    }
    body = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"pod-{index:06d}", "namespace": namespace, "labels": labels},
            "spec": spec}
    annotations = {
        "kubectl.kubernetes.io/last-applied-configuration": json.dumps(body, sort_keys=True),
        "prometheus.io/scrape": "true", "prometheus.io/port": "9090",
        "example.com/owner-contact": f"{word(8)}@example.com",
        "example.com/build-info": json.dumps({"commit": word(40), "pipeline": word(30),
                                              "artifacts": [word(40) for _ in range(6)]}),
    }
    if big:
        annotations["example.com/rendered-config"] = word(50000)
    body["metadata"]["annotations"] = annotations
    return body


def node(index):
    labels = {f"feature.node.example.com/{word(10)}": "true" for _ in range(60)}
    labels.update({"kubernetes.io/hostname": f"perf-node-{index}", "node.kubernetes.io/instance-type":
                   "m5.4xlarge", "topology.kubernetes.io/zone": f"zone-{index % 3}"})
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": f"perf-node-{index}", "labels": labels,
                         "annotations": {"example.com/hardware": word(3000)}},
            "spec": {"taints": [{"key": "dedicated", "value": "shop", "effect": "NoSchedule"}]}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--pods", type=int, default=1000)
    parser.add_argument("--namespaces", type=int, default=50)
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--small-configmaps", type=int, default=0)
    parser.add_argument("--threads", type=int, default=12)
    args = parser.parse_args()

    local = threading.local()

    def session():
        if not hasattr(local, "s"):
            local.s = requests.Session()
            local.s.trust_env = False
            local.s.verify = args.ca
            local.s.headers["Authorization"] = f"Bearer {args.token}"
        return local.s

    def create(path, body):
        r = session().post(args.url + path, json=body, timeout=60)
        if r.status_code not in (201, 409):
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
        return len(r.content)

    namespaces = [f"perf-{i:03d}" for i in range(args.namespaces)]
    nodes = [f"perf-node-{i}" for i in range(args.nodes)]
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        if args.first == 0:
            for ns in namespaces:
                create("/api/v1/namespaces", {"metadata": {"name": ns}})
            list(pool.map(lambda i: create("/api/v1/nodes", node(i)), range(args.nodes)))
            list(pool.map(lambda i: create(
                f"/api/v1/namespaces/{namespaces[i % len(namespaces)]}/configmaps",
                {"metadata": {"name": f"config-{i // len(namespaces)}"},
                 "data": {"app.yaml": word(2000)}}),
                range(len(namespaces) * 50)))
        list(pool.map(lambda i: create(
            f"/api/v1/namespaces/{namespaces[i % len(namespaces)]}/configmaps",
            {"metadata": {"name": f"small-{i:07d}", "labels": {"slice": str(i % 100)}},
             "data": {"value": word(200)}}),
            range(args.small_configmaps)))
        futures = []
        for i in range(args.first, args.pods):
            ns = namespaces[i % len(namespaces)]
            futures.append(pool.submit(create, f"/api/v1/namespaces/{ns}/pods",
                                       pod(i, ns, nodes, big=(i % 100 == 99))))
        sizes = [f.result() for f in futures]
    print(json.dumps({"pods": args.pods, "mean_pod_bytes": sum(sizes) / max(1, len(sizes))}))


if __name__ == "__main__":
    main()
