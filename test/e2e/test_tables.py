"""Tables (what `kubectl get` asks for) printed by kcache equal kube-apiserver's own.

The same Table request goes to both servers at the same moment, and the two documents must be
equal after normalising only what each server legitimately varies: a list's resourceVersion,
the version inside continue tokens, and durations (AGE and the like), which each server prints
from its own clock at the moment it answers. A live cluster changes between two requests (kwok
renews leases and node heartbeats), so a comparison is repeated a few times before a difference
counts. Every resource kcache caches is compared, with every includeObject value, pages, label
and field selectors, single objects, errors and watches."""

import re
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import JsonLines, divergence, normalize, wait_until

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
TABLE_BETA = "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

# A duration as apimachinery's HumanDuration writes it: 7s, 5m30s, 3h5m, 2d3h, 400d, 2y70d.
DURATION = re.compile(r"\b\d+[smhdy](\d+[smhd])?\b")


def without_durations(value):
    if isinstance(value, str):
        return DURATION.sub("<duration>", value)
    if isinstance(value, list):
        return [without_durations(v) for v in value]
    if isinstance(value, dict):
        return {k: without_durations(v) for k, v in value.items()}
    return value


def comparable(response):
    """Status, content type and the body, normalised."""
    body = normalize(response.text)
    if isinstance(body, dict) and body.get("kind") == "Table":
        body["rows"] = without_durations(body.get("rows"))
    return response.status_code, response.headers.get("Content-Type"), body


def fetch_both(upstream_api, kcache_api, path, accept):
    with ThreadPoolExecutor(2) as pool:
        up = pool.submit(upstream_api.get, path, accept)
        kc = pool.submit(kcache_api.get, path, accept)
        return up.result(), kc.result()


def differs(upstream_api, kcache_api, path, accept=TABLE, attempts=6):
    """None when both servers answer `path` the same, else where they differ."""
    where = None
    for attempt in range(attempts):
        up, kc = fetch_both(upstream_api, kcache_api, path, accept)
        expected, actual = comparable(up), comparable(kc)
        if expected == actual:
            return None
        where = (f"{path}: status {expected[0]} vs {actual[0]}, type {expected[1]} vs "
                 f"{actual[1]}; {divergence(expected[2], actual[2])}")
        time.sleep(0.3 * attempt)
    return where


def assert_same(upstream_api, kcache_api, path, accept=TABLE):
    where = differs(upstream_api, kcache_api, path, accept)
    assert where is None, where


def printed_resources(kcache):
    """(group, version, resource) of every resource whose Tables kcache prints, and of those it
    leaves to the upstream."""
    printed, left = [], []
    for name, value in kcache.metrics().items():
        if name.startswith("kcache_table_printer{"):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', name))
            (printed if value == 1 else left).append(
                (labels["group"], labels["version"], labels["resource"]))
    return printed, left


def collection_path(group, version, resource, namespace=None):
    prefix = f"/api/{version}" if not group else f"/apis/{group}/{version}"
    scope = f"/namespaces/{namespace}" if namespace else ""
    return f"{prefix}{scope}/{resource}"


def learned_everything(kcache):
    """Whether kcache has asked the upstream about the Tables of every resource it caches."""
    metrics = kcache.metrics()
    stores = sum(1 for name in metrics if name.startswith("kcache_store_objects{"))
    learned = sum(1 for name in metrics if name.startswith("kcache_table_printer{"))
    return stores > 0 and learned == stores


def gone_upstream(upstream_api, resources):
    """The resources the upstream no longer serves (404 for the whole collection)."""
    return [r for r in resources
            if upstream_api.get(collection_path(*r) + "?limit=1").status_code == 404]


@pytest.fixture(scope="module")
def printed(kcache, upstream_api):
    wait_until(lambda: learned_everything(kcache), timeout=60,
               what="kcache to confirm its printers with the upstream")
    # A resource removed upstream just before (a CRD an earlier module deleted) leaves kcache's
    # cache moments later; until then the two would be compared on something only one serves.
    wait_until(lambda: not gone_upstream(upstream_api, printed_resources(kcache)[0]),
               timeout=60, interval=0.5,
               what="kcache to stop printing resources the upstream no longer serves")
    return printed_resources(kcache)


def test_kcache_prints_every_cached_resource(printed):
    """Every cached resource's printer was confirmed by the upstream (column names and the cells
    of a sample row); none is left to the upstream."""
    resources, left = printed
    assert len(resources) >= 55, resources
    assert left == [], f"left to the upstream: {left}"


def test_every_resource_lists_as_the_upstream_does(upstream_api, kcache_api, printed):
    """Each cached resource listed as a Table, all namespaces, with the default includeObject
    (Metadata) and with the whole objects."""
    failures = []
    for group, version, resource in printed[0]:
        path = collection_path(group, version, resource)
        for query in ("", "?includeObject=Object"):
            where = differs(upstream_api, kcache_api, path + query)
            if where:
                failures.append(where)
    assert not failures, "\n".join(failures)


def test_every_resource_gets_as_the_upstream_does(upstream_api, kcache_api, printed):
    """One object of each cached resource as a Table (kubectl get KIND NAME)."""
    failures = []
    for group, version, resource in printed[0]:
        listed = upstream_api.get(collection_path(group, version, resource) + "?limit=1").json()
        if not listed.get("items"):
            continue
        meta = listed["items"][0]["metadata"]
        path = collection_path(group, version, resource, meta.get("namespace")) + "/" + \
            urllib.parse.quote(meta["name"], safe="")
        where = differs(upstream_api, kcache_api, path)
        if where:
            failures.append(where)
    assert not failures, "\n".join(failures)


CASES = [
    "/api/v1/namespaces/team-a/pods",
    "/api/v1/namespaces/team-a/pods?includeObject=None",
    "/api/v1/namespaces/team-a/pods?includeObject=Object",
    "/api/v1/namespaces/team-a/pods?includeObject=Metadata",
    "/api/v1/namespaces/team-a/pods?includeObject=",
    "/api/v1/pods?labelSelector=app%3Dweb",
    "/api/v1/pods?fieldSelector=spec.nodeName%3Dkwok-node-1",
    "/api/v1/pods?fieldSelector=status.phase!%3DRunning",
    "/api/v1/pods?limit=7",
    "/api/v1/namespaces/team-b/pods?limit=500",
    "/api/v1/pods?labelSelector=no-such-label%3Dx",
    "/api/v1/nodes",
    "/api/v1/nodes?labelSelector=kubernetes.io%2Fhostname%3Dkwok-node-0",
    "/api/v1/nodes/kwok-node-0",
    "/api/v1/namespaces/no-such-namespace/pods",
    "/api/v1/namespaces/team-a/pods/no-such-pod",
    "/api/v1/namespaces/team-a/pods?includeObject=Everything",
    "/api/v1/namespaces/team-a/pods/no-such-pod?includeObject=Everything",
    "/api/v1/nodes/kwok-node-0?includeObject=Everything",
    "/api/v1/namespaces?labelSelector=kcache.test%2Fworkload%3Dtrue",
    "/apis/apps/v1/deployments",
    "/apis/apps/v1/namespaces/team-c/deployments?includeObject=Object",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=5",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=no-such-label%3Dx",
    "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas",
    "/apis/storage.k8s.io/v1/storageclasses",
    "/api/v1/events?limit=50",
    "/apis/events.k8s.io/v1/events?limit=50",
]


@pytest.mark.parametrize("path", CASES)
def test_table_request_matches_upstream(upstream_api, kcache_api, printed, path):
    assert_same(upstream_api, kcache_api, path)


@pytest.mark.parametrize("path", ["/api/v1/namespaces/team-a/pods", "/api/v1/nodes/kwok-node-1",
                                  "/api/v1/namespaces/team-a/pods?includeObject=Object"])
def test_table_v1beta1_matches_upstream(upstream_api, kcache_api, printed, path):
    assert_same(upstream_api, kcache_api, path, accept=TABLE_BETA)


def pages(api, path, limit):
    """Every page of a Table list, followed through continue tokens."""
    out, token = [], ""
    while True:
        query = f"limit={limit}" + (f"&continue={token}" if token else "")
        page = api.get(f"{path}?{query}", TABLE).json()
        out.append(page)
        token = page["metadata"].get("continue")
        if not token:
            return out


def test_pages_match_upstream(upstream_api, kcache_api, printed):
    """kubectl's chunked lists: every page carries the same column definitions, and the rows of
    all pages are the upstream's rows."""
    up, kc = pages(upstream_api, "/api/v1/pods", 40), pages(kcache_api, "/api/v1/pods", 40)
    assert len(kc) > 2
    assert all(p["columnDefinitions"] == kc[0]["columnDefinitions"] for p in kc)
    assert kc[0]["columnDefinitions"] == up[0]["columnDefinitions"]
    assert [p["metadata"].get("remainingItemCount") for p in kc] == \
        [p["metadata"].get("remainingItemCount") for p in up]

    def names(all_pages):
        return [(r["object"]["metadata"]["namespace"], r["object"]["metadata"]["name"])
                for p in all_pages for r in p["rows"]]
    assert names(kc) == names(up)


@pytest.fixture
def namespace(upstream_api):
    name = f"tables-{uuid.uuid4().hex[:8]}"
    upstream_api.request("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    yield name
    upstream_api.request("DELETE", f"/api/v1/namespaces/{name}")


def test_watch_matches_upstream(upstream_api, kcache_api, printed, namespace):
    """kubectl get -w: one-row Tables per event, column definitions only in the first; the same
    events with the same cells and objects as the upstream's. (The namespace's root CA
    ConfigMap may come first, from kube-controller-manager.)"""

    def mine(watch):
        return [e for e in watch.events if e["object"]["rows"][0]["cells"][0] == "a"]
    path = f"/api/v1/namespaces/{namespace}/configmaps"
    rv = upstream_api.get(path).json()["metadata"]["resourceVersion"]
    wait_until(lambda: kcache_api.get(path + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan").status_code == 200)
    query = f"?watch=true&resourceVersion={rv}&timeoutSeconds=60"
    watches = [JsonLines(upstream_api, path + query, TABLE), JsonLines(kcache_api, path + query, TABLE)]
    try:
        upstream_api.request("POST", path, {"metadata": {"name": "a", "labels": {"x": "1"}},
                                            "data": {"k": "v"}})
        upstream_api.request("PATCH", path + "/a", {"data": {"k": "w", "l": "m"}},
                             content_type="application/merge-patch+json")
        upstream_api.request("DELETE", path + "/a")
        wait_until(lambda: all(len(mine(w)) >= 3 for w in watches), timeout=30,
                   what="three events on both watches")
    finally:
        for w in watches:
            w.close()
    up, kc = ([without_durations(e) for e in mine(w)[:3]] for w in watches)
    assert [e["type"] for e in kc] == ["ADDED", "MODIFIED", "DELETED"]
    first = watches[1].events[0]
    assert first["object"]["columnDefinitions"], first
    assert all(e["object"]["columnDefinitions"] is None for e in watches[1].events[1:])
    assert up == kc, divergence(up, kc)


def test_watch_list_matches_upstream(upstream_api, kcache_api, printed):
    """A WatchList as Tables: the initial events, then the bookmark that ends them, printed as a
    row of its own with the bookmark's metadata (the annotation), as the upstream sends it."""
    path = ("/api/v1/namespaces/team-a/configmaps?watch=true&sendInitialEvents=true"
            "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30")

    def ended(watch):
        return any(e["type"] == "BOOKMARK" for e in watch.events)

    watches = [JsonLines(upstream_api, path, TABLE), JsonLines(kcache_api, path, TABLE)]
    try:
        wait_until(lambda: all(ended(w) for w in watches), timeout=30,
                   what="the end of the initial events on both watches")
    finally:
        for w in watches:
            w.close()

    def comparable_events(watch):
        events = []
        for event in watch.events:
            event = without_durations(event)
            if event["type"] == "BOOKMARK":  # each server's own version
                event["object"]["metadata"].pop("resourceVersion", None)
                event["object"]["rows"][0]["object"]["metadata"].pop("resourceVersion", None)
                events.append(event)
                break
            events.append(event)
        return events

    up, kc = comparable_events(watches[0]), comparable_events(watches[1])
    assert kc[0]["object"]["columnDefinitions"] and kc[-1]["type"] == "BOOKMARK"
    assert up == kc, divergence(up, kc)
