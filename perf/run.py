#!/usr/bin/env python3
"""kcache's benchmark suite: every scenario measured through kcache and straight against
kube-apiserver (and, for whole lists, nginx sending the same bytes) in one run, on one machine.

    perf/run.py                 the long form: 1k, 10k and 30k pods, up to 5,000 watchers,
                                restart with 100k objects; writes perf/results/latest.json
                                and perf/README.md
    perf/run.py --short         a few minutes: 1k pods, 100 watchers; writes
                                build/perf/short.json only
    perf/run.py --sizes 1000,10000 --fanout 100x100x1,5000x500x50 --restart-objects 0

Each figure is the median over --rounds rounds; the rounds interleave the targets so that
drift on the machine affects all of them alike. Nothing here asserts a timing."""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_env  # noqa: E402
from bench_env import loadgen  # noqa: E402
import report  # noqa: E402

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
PROTOBUF_ACCEPT = "application/vnd.kcache.projection+protobuf"


def median_of(runs, key="p50_ms"):
    return statistics.median(run[key] for run in runs)


class Suite:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = Path(workdir)
        self.cluster = bench_env.Cluster(workdir)
        self.kcache = bench_env.Kcache(workdir, self.cluster)
        self.kcache.start()
        self.nginx = bench_env.Nginx(workdir, self.kcache)
        self.loaded = 0
        self.results = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "kube_apiserver": self.cluster.version(),
            "form": "short" if args.short else "long",
            "sizes": {},
        }

    # --- targets ---

    def apiserver(self, query_rv):
        return {"url": self.cluster.url, "ca": self.cluster.ca, "rv": query_rv}

    def via_kcache(self, query_rv):
        return {"url": self.kcache.url, "ca": self.kcache.ca, "rv": query_rv}

    def request(self, target, path, count, concurrency=1, accept="application/json", extra=()):
        sep = "&" if "?" in path else "?"
        if target["rv"] is not None:
            path = f"{path}{sep}resourceVersion={target['rv']}"
        return loadgen("requests", "--url", target["url"], "--ca", target["ca"],
                       "--token", self.cluster.token, "--path", path, "--count", count,
                       "--concurrency", concurrency, "--accept", accept, *extra)

    def compare(self, path, count, targets, **kwargs):
        """Median over rounds of each target's p50 (and throughput), targets interleaved."""
        runs = {name: [] for name in targets}
        for _ in range(self.args.rounds):
            for name, target in targets.items():
                runs[name].append(self.request(target, path, count, **kwargs))
        return {name: {"p50_ms": median_of(r), "p99_ms": median_of(r, "p99_ms"),
                       "rps": median_of(r, "rps"), "bytes_per_request": r[0]["bytes"] / max(1, r[0]["count"]),
                       "errors": sum(x["errors"] for x in r)}
                for name, r in runs.items()}

    def read_targets(self):
        return {"apiserver_rv0": self.apiserver(0), "apiserver_rv_unset": self.apiserver(None),
                "kcache_rv0": self.via_kcache(0), "kcache_rv_unset": self.via_kcache(None)}

    # --- workload ---

    def grow_to(self, pods):
        extra = self.args.restart_objects if pods == max(self.args.sizes) else 0
        subprocess.run([sys.executable, str(Path(__file__).parent / "workload.py"),
                        "--url", self.cluster.url, "--token", self.cluster.token,
                        "--ca", self.cluster.ca, "--pods", str(pods), "--first", str(self.loaded),
                        "--small-configmaps", str(max(0, extra - pods))],
                       check=True, stdout=subprocess.DEVNULL)
        self.loaded = pods
        bench_env.wait_until(lambda: self.kcache.count("/api/v1/pods") == pods, 600,
                             f"kcache to hold {pods} pods")

    # --- scenarios ---

    def lists(self, size):
        count = max(3, min(30, 30000 // size))
        full = self.kcache_bytes("/api/v1/pods?resourceVersion=0")
        namespace = self.kcache_bytes("/api/v1/namespaces/perf-000/pods?resourceVersion=0")
        targets = self.read_targets()
        static = {"url": self.nginx.url, "ca": self.kcache.ca, "rv": None}
        out = {"list_bytes": len(full), "memcpy": loadgen("memcpy", "--bytes", len(full))}
        out["list_all"] = self.compare("/api/v1/pods", count, targets)
        out["list_all"]["nginx"] = self.compare(self.nginx.put("all.json", full), count,
                                                {"nginx": static})["nginx"]
        out["list_namespace"] = self.compare("/api/v1/namespaces/perf-000/pods", count * 5, targets)
        out["list_namespace"]["nginx"] = self.compare(
            self.nginx.put("namespace.json", namespace), count * 5, {"nginx": static})["nginx"]
        out["list_label_1pct"] = self.compare("/api/v1/pods?labelSelector=slice%3D7", count * 5,
                                              targets)
        out["list_node"] = self.compare("/api/v1/pods?fieldSelector=spec.nodeName%3Dperf-node-7",
                                        count * 5, targets)
        out["list_paginated_500"] = self.compare(
            "/api/v1/pods?limit=500", count,
            {"apiserver_rv_unset": self.apiserver(None), "kcache_rv_unset": self.via_kcache(None)},
            extra=("--follow-continue", "1"))
        # What gzip costs and saves (clients such as client-go and kubectl accept it): the same
        # list with Accept-Encoding: gzip, bytes as sent.
        out["list_all_gzip"] = self.compare(
            "/api/v1/pods", count, {"apiserver_rv0": self.apiserver(0), "kcache_rv0": self.via_kcache(0)},
            extra=("--accept-encoding", "gzip"))
        out["table_namespace"] = self.compare("/api/v1/namespaces/perf-000/pods", count * 5,
                                              {"apiserver": self.apiserver(None),
                                               "kcache": self.via_kcache(None)},
                                              accept=TABLE_ACCEPT)
        # kubectl get pods -A: Tables in pages of 500, every cell printed per response.
        out["table_all_500"] = self.compare(
            "/api/v1/pods?limit=500", count,
            {"apiserver_rv_unset": self.apiserver(None), "kcache_rv_unset": self.via_kcache(None)},
            extra=("--follow-continue", "1"), accept=TABLE_ACCEPT)
        return out

    def projections(self, size):
        """Bytes and time of a projected list against the full list of the same pods, from the
        same kcache in the same run (JSON and protobuf), plus the first list of a projection no
        one asked for before (every object projected then, not taken from the memo)."""
        count = max(3, min(30, 30000 // size))
        kcache = {"kcache": self.via_kcache(None)}
        projected = f"/apis/projections.kcache.io/v1/{bench_env.Kcache.PROJECTION}"
        out = {"pods": size, "projection": bench_env.Kcache.CONFIG}
        out["full"] = self.compare("/api/v1/pods", count, kcache)["kcache"]
        out["apiserver_full"] = self.compare("/api/v1/pods", count,
                                             {"apiserver": self.apiserver(None)})["apiserver"]
        out["json"] = self.compare(projected, count, kcache)["kcache"]
        out["protobuf"] = self.compare(projected, count, kcache, accept=PROTOBUF_ACCEPT)["kcache"]
        # A variant of the projection (another label size limit) is a projection of its own:
        # its first list computes every object's projection.
        cold = [self.request(self.via_kcache(None), f"{projected}?maxValueBytes={1000 + i}", 1)
                for i in range(max(3, self.args.rounds))]
        out["json_first"] = {"p50_ms": median_of(cold), "bytes_per_request": cold[0]["bytes"],
                             "errors": sum(x["errors"] for x in cold)}
        return out

    def kcache_bytes(self, path):
        r = requests.get(self.kcache.url + path, verify=self.kcache.ca, timeout=600,
                         headers={"Authorization": f"Bearer {self.cluster.token}",
                                  "Accept": "application/json"})
        r.raise_for_status()
        return r.content

    def gets(self):
        path = "/api/v1/namespaces/perf-000/pods/pod-000000"
        seconds = 3 if self.args.short else 10
        out = {}
        for name, target in {"apiserver": self.apiserver(None), "kcache": self.via_kcache(None)}.items():
            out[name] = self.request(target, path, 0, concurrency=64,
                                     extra=("--duration-seconds", seconds))
        return out

    def watch_fanout(self):
        """Watchers under churn. "all" shapes: every watcher sees every event (informers of one
        namespace); "by name": watcher w selects one of 50 objects by field selector, as kubelets
        each watch their own pods, so an event reaches a fiftieth of the watchers."""
        out = []
        namespace = "perf-001"
        write_path = f"/api/v1/namespaces/{namespace}/configmaps/config-%d"
        for watchers, per_second, groups in self.args.fanout:
            row = {"watchers": watchers, "events_per_second": per_second, "groups": groups}
            for name, server in {"kcache": self.kcache, "apiserver": None}.items():
                # From the current version, so that no run replays the writes of the one before.
                rv = self.cluster.get_json(f"/api/v1/namespaces/{namespace}/configmaps?limit=1")[
                    "metadata"]["resourceVersion"]
                path = f"/api/v1/namespaces/{namespace}/configmaps?watch=1&resourceVersion={rv}"
                if groups > 1:
                    path += "&fieldSelector=metadata.name%3Dconfig-%d"
                url, ca = (server.url, server.ca) if server else (self.cluster.url, self.cluster.ca)
                pid = server.process.pid if server else self.cluster.pid
                before = bench_env.process_stats(pid)
                result = loadgen("watch-lag", "--url", url, "--ca", ca, "--token", self.cluster.token,
                                 "--path", path, "--watchers", watchers, "--groups", groups,
                                 "--write-url", self.cluster.url, "--write-ca", self.cluster.ca,
                                 "--write-path", write_path, "--events-per-second", per_second,
                                 "--seconds", 5 if self.args.short else 15)
                after = bench_env.process_stats(pid)
                result["server_cpu_seconds"] = after["cpu_seconds"] - before["cpu_seconds"]
                result["server_rss_delta_bytes"] = after["rss_bytes"] - before["rss_bytes"]
                row[name] = result
                time.sleep(2)  # let the closed watches be reaped before the next run
            out.append(row)
        return out

    def ingest(self, size):
        """Captures the pods as the upstream's watch sends them, then replays them."""
        capture = self.workdir / "pods-watch.jsonl"
        lines = min(size, 10000)
        with requests.get(self.cluster.url + "/api/v1/pods?watch=1&resourceVersion=0",
                          verify=self.cluster.ca, stream=True, timeout=600,
                          headers={"Authorization": f"Bearer {self.cluster.token}"}) as r, \
                open(capture, "wb") as f:
            for n, line in enumerate(r.iter_lines()):
                f.write(line + b"\n")
                if n + 1 >= lines:
                    break
        rounds = max(1, 50000 // lines)
        out = {}
        for persist in (True, False):
            run = subprocess.run([str(bench_env.INGEST_BENCH), "--events", str(capture),
                                  "--data-dir", str(self.workdir / "ingest-db"),
                                  "--rounds", str(rounds), "--memory-only", "0" if persist else "1"],
                                 check=True, capture_output=True, text=True)
            out["persist" if persist else "memory_only"] = json.loads(run.stdout)
        return out

    def memory(self):
        kinds = {"pods": "/api/v1/pods", "configmaps": "/api/v1/configmaps",
                 "nodes": "/api/v1/nodes"}
        json_bytes = {k: len(self.kcache_bytes(p + "?resourceVersion=0")) for k, p in kinds.items()}
        objects = {k: self.kcache.count(p) for k, p in kinds.items()}
        return {"json_bytes": json_bytes, "objects": objects,
                "kcache": bench_env.process_stats(self.kcache.process.pid),
                "apiserver": bench_env.process_stats(self.cluster.pid)}

    def restart(self):
        objects = sum(self.kcache.count(p) for p in
                      ("/api/v1/pods", "/api/v1/configmaps", "/api/v1/nodes", "/api/v1/namespaces"))
        self.kcache.stop()
        log_size = self.kcache.log.stat().st_size
        seconds = self.kcache.start()
        began = time.monotonic()
        self.kcache_bytes("/api/v1/pods?limit=1")
        first_list = time.monotonic() - began
        log = self.kcache.log.read_bytes()[log_size:].decode(errors="replace")
        relisted = [line for line in log.splitlines() if " listed " in line]
        return {"objects": objects, "seconds_to_ready": seconds,
                "first_list_after_ready_seconds": first_list, "relists": relisted,
                "log": [line for line in log.splitlines() if "loaded" in line]}

    def run(self):
        baseline = self.memory()
        self.results["baseline_memory"] = baseline
        for size in self.args.sizes:
            print(f"perf: loading {size} pods", file=sys.stderr)
            self.grow_to(size)
            print(f"perf: measuring at {size} pods", file=sys.stderr)
            result = self.lists(size)
            result["memory"] = self.memory()
            self.results["sizes"][str(size)] = result
        largest = self.results["sizes"][str(max(self.args.sizes))]
        print("perf: get, watch, ingest", file=sys.stderr)
        self.results["get"] = self.gets()
        self.results["watch"] = self.watch_fanout()
        self.results["ingest"] = self.ingest(max(self.args.sizes))
        print("perf: projections", file=sys.stderr)
        self.results["projections"] = self.projections(max(self.args.sizes))
        print("perf: restart", file=sys.stderr)
        largest["restart"] = self.restart()
        return self.results

    def stop(self):
        for part in (self.nginx, self.kcache, self.cluster):
            try:
                part.stop()
            except Exception as e:  # keep stopping the others
                print(f"perf: stopping {type(part).__name__}: {e}", file=sys.stderr)


def machine():
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(int(mem) / 2**20, 1),
            "kernel": platform.release()}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--fanout", type=lambda s: [tuple(int(v) for v in x.split("x"))
                                                    for x in s.split(",")],
                        help="watch shapes WATCHERSxEVENTS_PER_SECONDxGROUPS, comma-separated")
    parser.add_argument("--restart-objects", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--out")
    parser.add_argument("--report")
    args = parser.parse_args()
    short = args.short
    args.sizes = args.sizes or ([1000] if short else [1000, 10000, 30000])
    args.fanout = args.fanout or ([(100, 100, 1)] if short else
                                  [(100, 100, 1), (1000, 20, 1), (5000, 100, 50), (5000, 500, 50)])
    args.restart_objects = args.restart_objects if args.restart_objects is not None else (
        0 if short else 100000)
    args.rounds = args.rounds or (1 if short else 3)
    root = Path(__file__).resolve().parent.parent
    args.out = args.out or str(root / ("build/perf/short.json" if short else
                                       "perf/results/latest.json"))
    if args.report is None and not short:
        args.report = str(root / "perf" / "README.md")

    subprocess.run(["ninja", "-C", str(bench_env.BUILD), "kcache", "loadgen", "ingest_bench"],
                   check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="kcache-perf-") as workdir:
        suite = Suite(args, workdir)
        try:
            results = suite.run()
        finally:
            suite.stop()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    summary = report.summary_lines(results)
    print("\n".join(summary))
    if args.report:
        report.write(results, args.report)
        print(f"perf: report written to {args.report}")


if __name__ == "__main__":
    main()
