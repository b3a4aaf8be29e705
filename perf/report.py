"""Turns a benchmark run's results (perf/run.py) into summary lines and perf/README.md. The
measured sections are generated; perf/analysis.md (profiles, changes made because of them, the
gaps to the targets and what would close them) is written by hand and appended."""

from pathlib import Path

LIST_SCENARIOS = [
    ("list_all", "LIST all pods"),
    ("list_namespace", "LIST one namespace"),
    ("list_label_1pct", "LIST `labelSelector=slice=7` (1%)"),
    ("list_node", "LIST `fieldSelector=spec.nodeName=` (1%)"),
    ("list_paginated_500", "LIST all, `limit=500` pages (whole walk)"),
    ("list_all_gzip", "LIST all pods, gzip accepted"),
    ("table_namespace", "Table LIST one namespace (kubectl get)"),
    ("table_all_500", "Table LIST all, `limit=500` pages (kubectl get -A)"),
]
TARGETS = ["apiserver_rv0", "apiserver_rv_unset", "kcache_rv0", "kcache_rv_unset", "apiserver",
           "kcache", "nginx"]


def ms(value):
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def ratio(a, b):
    return f"{a / b:.1f}×" if b else "–"


def mib(n):
    return f"{n / 2**20:.1f} MiB"


def best_kcache(entry):
    return min(entry[k]["p50_ms"] for k in entry if k.startswith("kcache"))


def best_apiserver(entry):
    return min(entry[k]["p50_ms"] for k in entry if k.startswith("apiserver"))


def largest(results):
    return str(max(int(s) for s in results["sizes"]))


def headline(results):
    size = largest(results)
    lists = results["sizes"][size]["list_all"]
    k, a = lists["kcache_rv0"]["p50_ms"], lists["apiserver_rv0"]["p50_ms"]
    lines = [f"LIST {int(size):,} pods: kcache {ms(k)} ms, kube-apiserver (rv=0) {ms(a)} ms: "
             f"{ratio(a, k)} faster; nginx sending the same bytes {ms(lists['nginx']['p50_ms'])} ms "
             f"(kcache ÷ nginx {k / lists['nginx']['p50_ms']:.2f})"]
    get = results["get"]
    lines.append(f"GET at 64 connections: kcache {get['kcache']['rps']:,.0f}/s, kube-apiserver "
                 f"{get['apiserver']['rps']:,.0f}/s ({ratio(get['kcache']['rps'], get['apiserver']['rps'])})")
    for row in results["watch"]:
        w, a = row["kcache"], row["apiserver"]
        reach = "every watcher" if row["groups"] == 1 else f"1/{row['groups']} of the watchers"
        lines.append(f"WATCH {row['watchers']:,} watchers, {w['writes_per_second']:.0f} writes/s "
                     f"(asked {row['events_per_second']}) each reaching {reach}: lag p99 kcache "
                     f"{ms(w['p99_ms'])} ms, kube-apiserver {ms(a['p99_ms'])} ms; missed "
                     f"{w['missed']} / {a['missed']}")
    ingest = results["ingest"]
    lines.append(f"Ingest of {ingest['persist']['mean_event_bytes']:,} B pod events: "
                 f"{ingest['persist']['events_per_second']:,.0f}/s persisted, "
                 f"{ingest['memory_only']['events_per_second']:,.0f}/s memory-only")
    return lines + projection_headline(results)


def projection_headline(results):
    p = results.get("projections")
    if not isinstance(p, dict):
        return []
    full = p["full"]
    parts = [f"{name} {pct(p[name]['bytes_per_request'], full['bytes_per_request'])} of the bytes, "
             f"{pct(p[name]['p50_ms'], full['p50_ms'])} of the time ({ms(p[name]['p50_ms'])} ms)"
             for name in ("json", "protobuf")]
    return [f"Projected LIST of {p['pods']:,} pods vs the full list ({ms(full['p50_ms'])} ms): "
            + "; ".join(parts)]


def pct(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "?"


def compression_section(results):
    rows = []
    for size, data in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        gz = data.get("list_all_gzip")
        if not gz:
            continue
        for server, key in (("kube-apiserver", "apiserver_rv0"), ("kcache", "kcache_rv0")):
            plain = data["list_all"][key]
            rows.append(f"| {int(size):,} | {server} | {plain['bytes_per_request'] / 2**20:.1f} MiB, "
                        f"{ms(plain['p50_ms'])} ms | {gz[key]['bytes_per_request'] / 2**20:.1f} MiB, "
                        f"{ms(gz[key]['p50_ms'])} ms | "
                        f"{pct(gz[key]['bytes_per_request'], plain['bytes_per_request'])} | "
                        f"{gz[key]['p50_ms'] / plain['p50_ms']:.1f}× |")
    if not rows:
        return ["Not measured in this run."]
    return ["LIST of all pods (`rv=0`) without and with `Accept-Encoding: gzip` (which client-go and "
            "kubectl send): both servers compress at level 1 above 128 KiB. Bytes are as sent; "
            "time is to the last byte, on loopback, where bandwidth costs nothing and the "
            "compression's CPU is all that shows.", "",
            "| pods | server | plain | gzip | gzip bytes ÷ plain | gzip time ÷ plain |",
            "|---|---|---|---|---|---|", *rows]


def projection_section(results):
    p = results.get("projections")
    if not isinstance(p, dict):
        return ["Not measured in this run."]
    full = p["full"]
    out = [f"A named projection of {p['pods']:,} pods, defined in kcache's configuration as:", "",
           "```yaml", p["projection"].rstrip(), "```", "",
           "listed from the same kcache as the full list of the same pods, in one run "
           "(p50 of the rounds, one client). The first list of a projection no one asked for "
           "before projects every object; later lists reuse each object version's projection.", "",
           "| list | bytes | % of full bytes | p50 ms | % of full time | errors |",
           "|---|---|---|---|---|---|"]
    rows = [("kube-apiserver, full objects", p["apiserver_full"]), ("kcache, full objects", full),
            ("kcache, projection, JSON", p["json"]), ("kcache, projection, protobuf", p["protobuf"]),
            ("kcache, projection, JSON, first list", p["json_first"])]
    for title, entry in rows:
        out.append(f"| {title} | {entry['bytes_per_request']:,.0f} | "
                   f"{pct(entry['bytes_per_request'], full['bytes_per_request'])} | "
                   f"{ms(entry['p50_ms'])} | {pct(entry['p50_ms'], full['p50_ms'])} | "
                   f"{entry.get('errors', 0)} |")
    return out


def summary_lines(results):
    return [f"perf ({results['form']} form, {results['date']}): {line}" for line in headline(results)]


def list_table(results):
    out = []
    for size, data in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        out.append(f"\n### {int(size):,} pods ({mib(data['list_bytes'])} of JSON in the full list; "
                   f"copying it in memory takes {data['memcpy']['ms']:.1f} ms)\n")
        out.append("p50 latency in ms, median of the rounds (one client, one connection).\n")
        present = [t for t in TARGETS if any(t in data.get(s, {}) for s, _ in LIST_SCENARIOS)]
        out.append("| scenario | " + " | ".join(present) +
                   " | apiserver ÷ kcache | kcache ÷ nginx |")
        out.append("|---|" + "---|" * (len(present) + 2))
        for key, title in LIST_SCENARIOS:
            entry = data.get(key)
            if not entry:
                continue
            cells = [ms(entry[t]["p50_ms"]) if t in entry else "" for t in present]
            speedup = ratio(best_apiserver(entry), best_kcache(entry))
            vs_nginx = f"{best_kcache(entry) / entry['nginx']['p50_ms']:.2f}" if "nginx" in entry else ""
            errors = sum(v.get("errors", 0) for v in entry.values())
            note = f" ({errors} errors)" if errors else ""
            out.append(f"| {title}{note} | " + " | ".join(cells) + f" | {speedup} | {vs_nginx} |")
    return out


def get_section(results):
    get = results["get"]
    out = ["| server | requests/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
    for name in ("apiserver", "kcache"):
        g = get[name]
        out.append(f"| {name} | {g['rps']:,.0f} | {ms(g['p50_ms'])} | {ms(g['p99_ms'])} | {g['errors']} |")
    return out


def watch_section(results):
    out = ["| watchers | writes/s (asked) | each event reaches | server | deliveries | missed | "
           "lag p50 ms | lag p99 ms | max ms | server CPU s | server RSS growth |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in results["watch"]:
        reach = "all" if row["groups"] == 1 else f"1/{row['groups']}"
        for name in ("kcache", "apiserver"):
            w = row[name]
            out.append(f"| {row['watchers']:,} | {w['writes_per_second']:.0f} "
                       f"({row['events_per_second']}) | {reach} | {name} | {w['deliveries']:,} | "
                       f"{w['missed']} | {ms(w['p50_ms'])} | {ms(w['p99_ms'])} | {ms(w['max_ms'])} | "
                       f"{w['server_cpu_seconds']:.1f} | {mib(w['server_rss_delta_bytes'])} |")
    return out


def memory_section(results):
    base = results["baseline_memory"]
    out = ["| pods | JSON held (pods, configmaps, nodes) | kcache RSS | kcache RSS growth ÷ JSON | "
           "kube-apiserver RSS | apiserver RSS growth ÷ JSON |", "|---|---|---|---|---|---|"]
    for size, data in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        m = data["memory"]
        json_bytes = sum(m["json_bytes"].values()) - sum(base["json_bytes"].values())
        k = m["kcache"]["rss_bytes"] - base["kcache"]["rss_bytes"]
        a = m["apiserver"]["rss_bytes"] - base["apiserver"]["rss_bytes"]
        out.append(f"| {int(size):,} | {mib(json_bytes)} | {mib(m['kcache']['rss_bytes'])} | "
                   f"{k / json_bytes:.2f} | {mib(m['apiserver']['rss_bytes'])} | {a / json_bytes:.2f} |")
    return out


def restart_section(results):
    size = largest(results)
    r = results["sizes"][size].get("restart")
    if not r:
        return ["Not measured in this run."]
    return [f"kcache holding {r['objects']:,} objects (pods, configmaps, nodes, namespaces) was "
            f"stopped and started again on its data directory: ready (`/readyz`) after "
            f"{r['seconds_to_ready']:.2f} s, first list served {r['first_list_after_ready_seconds'] * 1000:.0f} ms "
            f"later; relists after the restart: {len(r['relists'])}. Its log: "
            f"`{'; '.join(r['log'])}`."]


def write(results, path):
    m = results["machine"]
    ingest = results["ingest"]
    lines = [
        "# kcache performance",
        "",
        f"Measured {results['date']} on {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, "
        f"Linux {m['kernel']}; kube-apiserver {results['kube_apiserver']} with etcd on the same "
        f"machine; {results['form']} form of the suite. Re-run: `perf/run.py` (long form, ~15 "
        f"minutes, rewrites this file) or `perf/run.py --short` (a few minutes, part of `make test`).",
        "",
        "Every figure comes from one run: kcache and kube-apiserver (and nginx for the physical "
        "limit) serve the same objects to the same client (`perf/loadgen`) in the same run, the "
        "targets interleaved round by round; figures are medians over the rounds. The client runs "
        "on the same two cores as the servers, as does etcd.",
        "",
        "## Headline",
        "",
        *[f"- {line}" for line in headline(results)],
        "",
        "## LIST",
        "",
        "`rv0`: `resourceVersion=0` (kube-apiserver answers from its watch cache); `rv_unset`: a "
        "consistent read (kube-apiserver 1.37 serves it from the watch cache once it has caught up "
        "with etcd; kcache serves it once it has seen the upstream's current version). nginx "
        "serves the byte-identical response as a static file over TLS with kcache's certificate.",
        *list_table(results),
        "",
        "## GET one object, 64 connections",
        "",
        *get_section(results),
        "",
        "## WATCH fan-out",
        "",
        "Watchers of one namespace's configmaps, all of them or (1/50) one configmap each by "
        "`fieldSelector=metadata.name=`, as kubelets watch their own pods; eight writers patch "
        "configmaps on kube-apiserver at the rate asked (the rate reached is shown: kube-apiserver "
        "on two shared cores cannot always take it); lag is from each write's response to the "
        "watcher's receipt of the event; server CPU is over the whole run, connections included.",
        "",
        *watch_section(results),
        "",
        "## Ingest",
        "",
        f"`perf/ingest_bench` replays pods captured from kube-apiserver's watch "
        f"({ingest['persist']['mean_event_bytes']:,} B per event on average) through the "
        f"reflector's steps on one thread: {ingest['persist']['events_per_second']:,.0f} events/s "
        f"({ingest['persist']['mb_per_second']:.0f} MB/s) parsed, indexed and written to RocksDB; "
        f"{ingest['memory_only']['events_per_second']:,.0f} events/s "
        f"({ingest['memory_only']['mb_per_second']:.0f} MB/s) for memory-only resources. "
        "RocksDB's flush and compaction run on background threads.",
        "",
        "## Memory",
        "",
        "Resident memory growth over the empty cluster, divided by the JSON bytes of the objects "
        "held (the sum of the list responses' sizes).",
        "",
        *memory_section(results),
        "",
        "## Restart from RocksDB",
        "",
        *restart_section(results),
        "",
        "## Compression",
        "",
        *compression_section(results),
        "",
        "## Projections",
        "",
        *projection_section(results),
        "",
    ]
    analysis = Path(path).parent / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text()]
    Path(path).write_text("\n".join(lines))
