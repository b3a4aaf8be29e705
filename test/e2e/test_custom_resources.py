"""Custom resources through kcache: CRDs created while kcache runs are picked up live (kcache
watches CRDs and discovers again), their resources are then served from the cache exactly as
kube-apiserver serves them (custom list kinds, selectable fields, PartialObjectMetadata, pages,
watches), and a deleted CRD stops being served, as upstream.

Two CRDs, created through the upstream by a module fixture:
  widgets.e2e.kcache.io   namespaced, list kind WidgetList, spec.color selectable,
                          printer columns
  gadgets.e2e.kcache.io   cluster-scoped, list kind GadgetCollection, nothing selectable"""

import json
import time
import urllib.parse
import uuid

import pytest

from harness import normalize as normalize_builtin, wait_until
from test_differential_reads import PARTIAL, PARTIAL_LIST, pages
from test_differential_watch import WatchStream, rv_of, without_bookmarks
from test_kubectl import human

GROUP = "e2e.kcache.io"
W = f"/apis/{GROUP}/v1"
CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
TABLE_BETA = "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
PICKUP_TIMEOUT = 60

WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": f"widgets.{GROUP}"},
    "spec": {
        "group": GROUP,
        "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget",
                  "listKind": "WidgetList", "shortNames": ["wdg"]},
        "versions": [{
            "name": "v1",
            "served": True,
            "storage": True,
            "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {
                    "color": {"type": "string"},
                    "size": {"type": "integer"},
                    "ratio": {"type": "number"},
                    "enabled": {"type": "boolean"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "shape": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                    "conditions": {"type": "array", "items": {"type": "object", "properties": {
                        "type": {"type": "string"}, "status": {"type": "string"}}}},
                    "since": {"type": "string"},
                }}},
            }},
            "selectableFields": [{"jsonPath": ".spec.color"}],
            # Every column type kcache prints, and the JSONPath forms it evaluates.
            "additionalPrinterColumns": [
                {"name": "Color", "type": "string", "jsonPath": ".spec.color"},
                {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                {"name": "Ratio", "type": "number", "jsonPath": ".spec.ratio",
                 "description": "size & ratio <explained>"},
                {"name": "Whole Ratio", "type": "integer", "jsonPath": ".spec.ratio",
                 "priority": 1},
                {"name": "Size Number", "type": "number", "jsonPath": ".spec.size", "priority": 1},
                {"name": "Enabled", "type": "boolean", "jsonPath": ".spec.enabled"},
                {"name": "First Tag", "type": "string", "jsonPath": ".spec.tags[*]"},
                {"name": "Second Tag", "type": "string", "jsonPath": ".spec.tags[1]",
                 "priority": 1},
                {"name": "Ready", "type": "string",
                 "jsonPath": '.spec.conditions[?(@.type=="Ready")].status'},
                {"name": "Shape", "type": "string", "jsonPath": ".spec.shape", "priority": 1},
                {"name": "Missing", "type": "string", "jsonPath": ".spec.nothing",
                 "priority": 1},
                {"name": "Since", "type": "date", "jsonPath": ".spec.since", "priority": 1},
                {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
            ],
        }],
    },
}

GADGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": f"gadgets.{GROUP}"},
    "spec": {
        "group": GROUP,
        "scope": "Cluster",
        "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget",
                  "listKind": "GadgetCollection"},
        "versions": [{
            "name": "v1",
            "served": True,
            "storage": True,
            "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {
                    "color": {"type": "string"},
                }}},
            }},
        }],
    },
}

# (namespace key, name, color, size, labels)
WIDGETS = [
    ("a", "w-1", "red", 1, {"tier": "front"}),
    ("a", "w-2", "blue", 2, {"tier": "back"}),
    ("a", "w-3", "red", 3, {}),
    ("a", "w-4", "green", 1, {"tier": "front", "extra": "yes"}),
    ("b", "w-1", "blue", 5, {"tier": "front"}),
    ("b", "w-5", "red", 8, {"tier": "back"}),
    ("b", "w-6", "yellow", 13, {}),
]
GADGETS = [("g-1", "red", {"kind": "small"}), ("g-2", "blue", {}), ("g-3", "red", {"kind": "big"})]


def widget(name, color, size, labels=None):
    """A Widget whose other fields follow from its size, for the printer columns."""
    return {"apiVersion": f"{GROUP}/v1", "kind": "Widget",
            "metadata": {"name": name, "labels": labels or {}},
            "spec": {"color": color, "size": size, "ratio": size / 2, "enabled": size % 2 == 0,
                     "tags": [color, "t" * size],
                     "shape": {"sides": size, "name": f"<{color}> & co", "ok": True},
                     "conditions": [{"type": "Other", "status": "Unknown"},
                                    {"type": "Ready", "status": "True" if size > 2 else "False"}],
                     "since": ["2026-01-02T03:04:05Z", "", "not a time", "null"][size % 4]}}


def gadget(name, color, labels=None):
    return {"apiVersion": f"{GROUP}/v1", "kind": "Gadget",
            "metadata": {"name": name, "labels": labels or {}}, "spec": {"color": color}}


def normalize(body):
    """harness.normalize, for custom resource lists too: kube-apiserver writes their metadata
    with "continue": "" when there is no next page."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    meta = doc.get("metadata") if isinstance(doc, dict) else None
    empty_continue = isinstance(meta, dict) and meta.get("continue") == ""
    if empty_continue:
        del meta["continue"]
    doc = normalize_builtin(json.dumps(doc))
    if empty_continue:
        doc["metadata"]["continue"] = ""
    return doc


def same_answer(up, kc):
    return (up.status_code == kc.status_code
            and up.headers.get("Content-Type") == kc.headers.get("Content-Type")
            and normalize(up.text) == normalize(kc.text))


def write(api, method, path, body=None, content_type="application/json"):
    response = api.request(method, path, body, content_type=content_type)
    assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
    return response.json()


def delete_crd(api, name, timeout=PICKUP_TIMEOUT):
    """Deletes a CRD (the upstream first deletes its objects) and waits until it is gone."""
    path = f"{CRDS}/{name}"
    response = api.request("DELETE", path)
    assert response.status_code in (200, 202, 404), response.text
    wait_until(lambda: api.get(path).status_code == 404, timeout=timeout,
               what=f"CRD {name} deleted upstream")


def create_crd(api, crd):
    write(api, "POST", CRDS, crd)
    name = crd["metadata"]["name"]

    def established():
        doc = api.get(f"{CRDS}/{name}").json()
        conditions = {c["type"]: c["status"]
                      for c in (doc.get("status") or {}).get("conditions") or []}
        return conditions.get("Established") == "True"
    wait_until(established, timeout=PICKUP_TIMEOUT, what=f"CRD {name} Established upstream")
    plural = crd["spec"]["names"]["plural"]
    wait_until(lambda: api.get(f"{W}/{plural}").status_code == 200, timeout=PICKUP_TIMEOUT,
               what=f"{W}/{plural} served upstream")


def cached(kcache, kcache_api, path):
    """True when kcache answers `path` (200) from its cache."""
    before = kcache.metrics()["kcache_requests_cached_total"]
    status = kcache_api.get(path).status_code
    return status == 200 and kcache.metrics()["kcache_requests_cached_total"] == before + 1


def wait_cached(kcache, kcache_api, path):
    try:
        wait_until(lambda: cached(kcache, kcache_api, path), timeout=PICKUP_TIMEOUT, interval=0.2,
                   what=f"kcache serving {path} from its cache")
    except AssertionError as e:
        raise AssertionError(f"{e}\nkcache log tail:\n{kcache.log_tail(30)}") from None


def printed_by_kcache(kcache, resource):
    key = f'kcache_table_printer{{group="{GROUP}",version="v1",resource="{resource}"}}'
    return kcache.metrics().get(key) == 1


@pytest.fixture(scope="module")
def crds(cluster, kcache, upstream_api, kcache_api):
    """Both CRDs and their objects, created while kcache runs; yields the namespaces."""
    for crd in (WIDGET_CRD, GADGET_CRD):  # leftovers of an interrupted run
        delete_crd(upstream_api, crd["metadata"]["name"])
    suffix = uuid.uuid4().hex[:6]
    ns = {"a": f"e2e-crd-{suffix}-a", "b": f"e2e-crd-{suffix}-b"}
    try:
        for name in ns.values():
            write(upstream_api, "POST", "/api/v1/namespaces", {"metadata": {"name": name}})
        created = time.monotonic()
        create_crd(upstream_api, WIDGET_CRD)
        create_crd(upstream_api, GADGET_CRD)
        for key, name, color, size, labels in WIDGETS:
            write(upstream_api, "POST", f"{W}/namespaces/{ns[key]}/widgets",
                  widget(name, color, size, labels))
        for name, color, labels in GADGETS:
            write(upstream_api, "POST", f"{W}/gadgets", gadget(name, color, labels))
        pickup = {}
        for path in (f"{W}/widgets", f"{W}/gadgets"):
            wait_cached(kcache, kcache_api, path)
            pickup[path] = round(time.monotonic() - created, 2)
        # Tables too: kcache prints them once the upstream has confirmed the CRD's columns.
        wait_until(lambda: printed_by_kcache(kcache, "widgets") and
                   printed_by_kcache(kcache, "gadgets"),
                   timeout=PICKUP_TIMEOUT, what="kcache to print the custom resources' Tables")
        yield {"ns": ns, "pickup": pickup}
    finally:
        for crd in (WIDGET_CRD, GADGET_CRD):
            upstream_api.request("DELETE", f"{CRDS}/{crd['metadata']['name']}")
        for name in ns.values():
            cluster.kubectl_run("delete", "namespace", name, "--wait=false", check=False)


def fill(template, crds):
    return (template.replace("{W}", W).replace("{a}", crds["ns"]["a"])
            .replace("{b}", crds["ns"]["b"]))


def enc(selector):
    return urllib.parse.quote(selector, safe="")


JSON = "application/json"

CASES = [
    # Lists: all namespaces, one namespace, an empty or missing namespace.
    "{W}/widgets",
    "{W}/namespaces/{a}/widgets",
    "{W}/namespaces/{b}/widgets",
    "{W}/namespaces/no-such-namespace/widgets",
    # Gets: present, missing, present in the other namespace only.
    "{W}/namespaces/{a}/widgets/w-1",
    "{W}/namespaces/{b}/widgets/w-1",
    "{W}/namespaces/{a}/widgets/missing",
    "{W}/namespaces/{b}/widgets/w-2",
    # Label selectors.
    "{W}/widgets?labelSelector=" + enc("tier=front"),
    "{W}/widgets?labelSelector=" + enc("tier"),
    "{W}/widgets?labelSelector=" + enc("!tier"),
    "{W}/widgets?labelSelector=" + enc("tier notin (front)"),
    "{W}/namespaces/{a}/widgets?labelSelector=" + enc("tier in (front,back),extra"),
    "{W}/widgets?labelSelector=" + enc("a b"),
    # Field selectors: the selectable spec.color, metadata fields, and what is not selectable.
    "{W}/widgets?fieldSelector=" + enc("spec.color=red"),
    "{W}/widgets?fieldSelector=" + enc("spec.color==red"),
    "{W}/widgets?fieldSelector=" + enc("spec.color!=red"),
    "{W}/widgets?fieldSelector=" + enc("spec.color=purple"),
    "{W}/namespaces/{a}/widgets?fieldSelector=" + enc("spec.color=red"),
    "{W}/widgets?fieldSelector=" + enc("spec.color=red,metadata.namespace={b}"),
    "{W}/widgets?fieldSelector=" + enc("metadata.name=w-1"),
    "{W}/widgets?fieldSelector=" + enc("metadata.name!=w-1,spec.color!=blue"),
    "{W}/widgets?labelSelector=" + enc("tier=front") + "&fieldSelector=" + enc("spec.color=red"),
    "{W}/widgets?fieldSelector=" + enc("spec.size=1"),
    "{W}/widgets?fieldSelector=" + enc("spec.colour=red"),
    "{W}/widgets?fieldSelector=" + enc("status.phase=Running"),
    "{W}/namespaces/{a}/widgets?fieldSelector=" + enc("spec.size=1,spec.color=red"),
    # Versions and pages.
    "{W}/widgets?resourceVersion=0",
    "{W}/widgets?limit=2",
    "{W}/widgets?resourceVersionMatch=NotOlderThan",
    # Transforms.
    ("{W}/widgets", PARTIAL_LIST),
    ("{W}/namespaces/{a}/widgets?fieldSelector=" + enc("spec.color=red"), PARTIAL_LIST),
    ("{W}/namespaces/{a}/widgets/w-1", PARTIAL),
    ("{W}/widgets?fieldSelector=" + enc("spec.color=purple"), PARTIAL_LIST),
    ("{W}/namespaces/no-such-namespace/widgets", PARTIAL_LIST),
    # Tables printed from the CRD's additionalPrinterColumns (and the default AGE column).
    ("{W}/widgets", TABLE),
    ("{W}/namespaces/{a}/widgets", TABLE),
    ("{W}/namespaces/{a}/widgets?includeObject=Object", TABLE),
    ("{W}/namespaces/{b}/widgets?includeObject=None", TABLE),
    ("{W}/widgets?limit=2", TABLE),
    ("{W}/widgets?fieldSelector=" + enc("spec.color=purple"), TABLE),
    ("{W}/namespaces/{a}/widgets/w-3", TABLE),
    ("{W}/namespaces/{a}/widgets/missing", TABLE),
    ("{W}/namespaces/{b}/widgets/w-6", TABLE_BETA),
    ("{W}/gadgets", TABLE),
    ("{W}/gadgets/g-2", TABLE),
    # The cluster-scoped kind with its own list kind and no selectable fields.
    "{W}/gadgets",
    "{W}/gadgets/g-1",
    "{W}/gadgets/missing",
    "{W}/gadgets?labelSelector=" + enc("kind"),
    "{W}/gadgets?labelSelector=" + enc("kind=big"),
    "{W}/gadgets?fieldSelector=" + enc("metadata.name=g-2"),
    "{W}/gadgets?fieldSelector=" + enc("spec.color=red"),
    "{W}/gadgets?fieldSelector=" + enc("metadata.namespace=x"),
    "{W}/gadgets?limit=1",
    "{W}/namespaces/{a}/gadgets",
    ("{W}/gadgets", PARTIAL_LIST),
    ("{W}/gadgets/g-3", PARTIAL),
    # Unknown kinds and versions of the group.
    "{W}/doohickeys",
    "/apis/e2e.kcache.io/v2/widgets",
]


def case_id(case):
    path, accept = case if isinstance(case, tuple) else (case, JSON)
    return path if accept == JSON else f"{path} [{accept.split(',')[0]}]"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_read_matches_upstream(crds, upstream_api, kcache_api, case):
    template, accept = case if isinstance(case, tuple) else (case, JSON)
    path = fill(template, crds)
    for _ in range(20):
        up, kc = upstream_api.get(path, accept=accept), kcache_api.get(path, accept=accept)
        if same_answer(up, kc):
            break
    assert up.status_code == kc.status_code, (up.text[:500], kc.text[:500])
    assert up.headers.get("Content-Type") == kc.headers.get("Content-Type")
    assert normalize(up.text) == normalize(kc.text)


def test_list_kinds_and_selected_items(crds, kcache_api):
    """What the equality above rests on, checked directly on kcache's answers."""
    print("kcache served the new CRDs from its cache, seconds after their creation:",
          crds["pickup"])
    widgets = kcache_api.get(f"{W}/widgets").json()
    assert widgets["kind"] == "WidgetList" and widgets["apiVersion"] == f"{GROUP}/v1"
    assert len(widgets["items"]) == len(WIDGETS)
    assert all(i["kind"] == "Widget" for i in widgets["items"])
    red = kcache_api.get(f"{W}/widgets?fieldSelector=spec.color%3Dred").json()
    assert sorted(i["metadata"]["name"] for i in red["items"]) == ["w-1", "w-3", "w-5"]
    gadgets = kcache_api.get(f"{W}/gadgets").json()
    assert gadgets["kind"] == "GadgetCollection"
    assert [i["metadata"]["name"] for i in gadgets["items"]] == ["g-1", "g-2", "g-3"]
    rejected = kcache_api.get(f"{W}/widgets?fieldSelector=spec.size%3D1")
    assert rejected.status_code == 400
    assert rejected.json()["message"] == "field label not supported: spec.size"


@pytest.mark.parametrize("template", [
    "{W}/widgets",
    "{W}/namespaces/{a}/widgets",
    "{W}/widgets?fieldSelector=" + enc("spec.color=red"),
    "{W}/widgets?limit=100",
    "{W}/gadgets",
])
def test_list_bytes_match_upstream_at_one_version(crds, upstream_api, kcache_api, template):
    """At one resourceVersion (kcache's, which the upstream also serves, from etcd) a list is
    the same bytes from both: item order, key order, metadata. (Single pages only: the start key
    inside a continue token legitimately differs, see harness.normalize.)"""
    path = fill(template, crds)
    rv = kcache_api.get(path).json()["metadata"]["resourceVersion"]
    sep = "&" if "?" in path else "?"
    exact = f"{path}{sep}resourceVersion={rv}&resourceVersionMatch=Exact"
    up, kc = upstream_api.get(exact), kcache_api.get(exact)
    assert up.status_code == kc.status_code == 200, (up.text[:300], kc.text[:300])
    assert kc.text == up.text


def test_list_at_a_version_reached_through_other_resources(crds, upstream_api, kcache_api):
    """A client may hold a resourceVersion from another resource (a write's answer, another
    list): the upstream serves a NotOlderThan list at it at once, whatever kind it lists."""
    rv = upstream_api.get("/api/v1/namespaces/default/configmaps?limit=1").json()["metadata"][
        "resourceVersion"]
    path = f"{W}/widgets?resourceVersion={rv}&resourceVersionMatch=NotOlderThan"
    started = time.monotonic()
    kc = kcache_api.get(path)
    took = time.monotonic() - started
    up = upstream_api.get(path)
    assert up.status_code == 200
    assert kc.status_code == 200, f"kcache answered {kc.status_code} after {took:.1f}s: {kc.text[:300]}"
    assert normalize(kc.text)["items"] == normalize(up.text)["items"]


@pytest.mark.parametrize("accept", [JSON, TABLE], ids=["json", "table"])
def test_reads_are_served_by_the_cache(crds, kcache, kcache_api, accept):
    paths = [f"{W}/widgets", fill("{W}/namespaces/{a}/widgets/w-1", crds),
             f"{W}/widgets?fieldSelector=spec.color%3Dred", f"{W}/gadgets", f"{W}/gadgets/g-2"]
    before = kcache.metrics()
    for path in paths:
        assert kcache_api.get(path, accept=accept).status_code == 200, path
    after = kcache.metrics()
    assert after["kcache_requests_cached_total"] - before["kcache_requests_cached_total"] == len(paths)
    assert after["kcache_requests_passed_total"] == before["kcache_requests_passed_total"]


def test_tables_follow_printer_column_changes(crds, upstream_api, kcache_api):
    """A CRD's new printer columns show in kcache's Tables as soon as kcache has the new CRD
    (until then kcache leaves those Tables to the upstream)."""
    path = f"{CRDS}/{GADGET_CRD['metadata']['name']}"
    columns = [{"name": "Color", "type": "string", "jsonPath": ".spec.color"},
               {"name": "Created", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
    patch = [{"op": "add", "path": "/spec/versions/0/additionalPrinterColumns", "value": columns}]
    write(upstream_api, "PATCH", path, patch, content_type="application/json-patch+json")
    try:
        def same_table():
            up = upstream_api.get(f"{W}/gadgets", accept=TABLE)
            kc = kcache_api.get(f"{W}/gadgets", accept=TABLE)
            names = [c["name"] for c in kc.json().get("columnDefinitions") or []]
            return names == ["Name", "Color", "Created"] and same_answer(up, kc)
        wait_until(same_table, timeout=PICKUP_TIMEOUT, what="kcache's gadget Table with Color")
    finally:
        patch = [{"op": "remove", "path": "/spec/versions/0/additionalPrinterColumns"}]
        write(upstream_api, "PATCH", path, patch, content_type="application/json-patch+json")


@pytest.mark.parametrize("template", [
    "{W}/widgets?limit=2",
    "{W}/widgets?limit=1&labelSelector=" + enc("tier"),
    "{W}/widgets?limit=3&fieldSelector=" + enc("spec.color=red"),
    "{W}/widgets?limit=2&fieldSelector=" + enc("spec.color!=blue"),
    "{W}/namespaces/{a}/widgets?limit=3",
    "{W}/gadgets?limit=1",
])
def test_paginated_list_matches_upstream_page_by_page(crds, upstream_api, kcache_api, template):
    path = fill(template, crds)
    if "Selector" in template:
        # With a selector, kube-apiserver serves custom resource pages from etcd, which ends a
        # page after `limit` matches and offers a next page while any key (matching or not)
        # remains; kcache, like kube-apiserver's watch cache for built-in kinds, offers one only
        # while matches remain. Both are the documented contract ("fewer items, even none, with
        # a continue"): the items across all pages must be the same.
        items = lambda ps: [i for p in ps for i in p.json()["items"]]
        for _ in range(10):
            up_items, kc_items = items(pages(upstream_api, path)), items(pages(kcache_api, path))
            if up_items == kc_items:
                break
        assert up_items and kc_items == up_items
        return
    for _ in range(10):
        up_pages, kc_pages = pages(upstream_api, path), pages(kcache_api, path)
        if [normalize(p.text) for p in up_pages] == [normalize(p.text) for p in kc_pages]:
            break
    assert len(up_pages) == len(kc_pages) > 1
    for up, kc in zip(up_pages, kc_pages):
        assert normalize(up.text) == normalize(kc.text)


# -- watch -------------------------------------------------------------------------------------


def widget_changes(api, ns):
    """Creates, recolours, relabels, resizes and deletes widgets in `ns`; returns the version of
    the last change (to x-2, by then red and labelled tier=front)."""
    base = f"{W}/namespaces/{ns}/widgets"
    merge = "application/merge-patch+json"
    write(api, "POST", base, widget("x-1", "red", 1, {"tier": "front"}))
    write(api, "POST", base, widget("x-2", "blue", 2, {"tier": "back"}))
    write(api, "PATCH", f"{base}/x-1", {"spec": {"size": 10}}, merge)                 # stays red
    write(api, "PATCH", f"{base}/x-2", {"spec": {"color": "red"}}, merge)             # becomes red
    write(api, "PATCH", f"{base}/x-1", {"spec": {"color": "green"}}, merge)           # no longer red
    write(api, "PATCH", f"{base}/x-2", {"metadata": {"labels": {"tier": "front"}}}, merge)
    write(api, "POST", base, widget("x-3", "red", 3))
    assert api.request("DELETE", f"{base}/x-3").status_code == 200
    write(api, "PUT", f"{base}/x-1", {**widget("x-1", "red", 4, {"tier": "back"}),
                                      "metadata": {**api.get(f"{base}/x-1").json()["metadata"],
                                                   "labels": {"tier": "back"}}})
    return rv_of({"object": write(api, "PATCH", f"{base}/x-2", {"spec": {"size": 99}}, merge)})


def gadget_changes(api, prefix):
    base = f"{W}/gadgets"
    merge = "application/merge-patch+json"
    write(api, "POST", base, gadget(f"{prefix}-1", "red", {"kind": "small"}))
    write(api, "POST", base, gadget(f"{prefix}-2", "blue"))
    write(api, "PATCH", f"{base}/{prefix}-1", {"spec": {"color": "blue"}}, merge)
    write(api, "PATCH", f"{base}/{prefix}-2", {"metadata": {"labels": {"kind": "small"}}}, merge)
    assert api.request("DELETE", f"{base}/{prefix}-1").status_code == 200
    return rv_of({"object": write(api, "PATCH", f"{base}/{prefix}-2", {"spec": {"color": "x"}},
                                  merge)})


@pytest.fixture
def watch_namespace(crds, upstream_api, cluster):
    name = f"e2e-crd-w-{uuid.uuid4().hex[:6]}"
    write(upstream_api, "POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    yield name
    cluster.kubectl_run("delete", "namespace", name, "--wait=false", check=False)


def compare_watches(upstream_api, kcache_api, path, change):
    up, kc = WatchStream(upstream_api, path), WatchStream(kcache_api, path)
    try:
        assert (up.status, up.content_type) == (kc.status, kc.content_type) == (200, JSON)
        last = change()
        done = lambda events: any(rv_of(e) >= last for e in without_bookmarks(events))
        up_events = without_bookmarks(up.events(done))
        kc_events = without_bookmarks(kc.events(done))
        kc_events += without_bookmarks(kc.events(lambda ev: False, timeout=0.5))
    finally:
        up.close()
        kc.close()
    up_events = [e for e in up_events if rv_of(e) <= last]
    kc_events = [e for e in kc_events if rv_of(e) <= last]
    assert up_events, "the upstream sent no events"
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in kc_events] == \
        [(e["type"], e["object"]["metadata"]["name"]) for e in up_events]
    assert kc_events == up_events


@pytest.mark.parametrize("query", [
    "",
    "labelSelector=" + enc("tier=front"),
    "fieldSelector=" + enc("spec.color=red"),
    "fieldSelector=" + enc("spec.color!=green,metadata.name!=x-3"),
    "labelSelector=" + enc("tier") + "&fieldSelector=" + enc("spec.color=red"),
])
def test_widget_watch_matches_upstream(upstream_api, kcache_api, watch_namespace, query):
    base = f"{W}/namespaces/{watch_namespace}/widgets"
    start = upstream_api.get(base).json()["metadata"]["resourceVersion"]
    path = f"{base}?watch=true&resourceVersion={start}" + (f"&{query}" if query else "")
    compare_watches(upstream_api, kcache_api, path,
                    lambda: widget_changes(upstream_api, watch_namespace))


def test_widget_watch_of_all_namespaces_matches_upstream(upstream_api, kcache_api, watch_namespace):
    start = upstream_api.get(f"{W}/widgets").json()["metadata"]["resourceVersion"]
    path = f"{W}/widgets?watch=true&resourceVersion={start}&fieldSelector=" + enc("spec.color=red")
    compare_watches(upstream_api, kcache_api, path,
                    lambda: widget_changes(upstream_api, watch_namespace))


@pytest.mark.parametrize("query", ["", "labelSelector=" + enc("kind=small")])
def test_gadget_watch_matches_upstream(crds, upstream_api, kcache_api, query):
    prefix = f"gw-{uuid.uuid4().hex[:6]}"
    start = upstream_api.get(f"{W}/gadgets").json()["metadata"]["resourceVersion"]
    path = f"{W}/gadgets?watch=true&resourceVersion={start}" + (f"&{query}" if query else "")
    compare_watches(upstream_api, kcache_api, path, lambda: gadget_changes(upstream_api, prefix))


def test_widget_initial_events_match_upstream(crds, upstream_api, kcache_api):
    path = fill("{W}/namespaces/{a}/widgets", crds) + \
        "?watch=true&sendInitialEvents=true&allowWatchBookmarks=true" \
        "&resourceVersionMatch=NotOlderThan&fieldSelector=" + enc("spec.color!=green")
    up, kc = WatchStream(upstream_api, path), WatchStream(kcache_api, path)
    end = lambda events: any(e["type"] == "BOOKMARK" for e in events)
    try:
        up_events, kc_events = up.events(end, timeout=10), kc.events(end, timeout=10)
    finally:
        up.close()
        kc.close()
    assert without_bookmarks(kc_events) == without_bookmarks(up_events)
    assert len(without_bookmarks(up_events)) == 3
    assert kc_events[-1]["type"] == up_events[-1]["type"] == "BOOKMARK"


# -- kubectl -----------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("get", "widgets", "-A", "-o", "json"),
    ("get", "widgets.e2e.kcache.io", "-n", "{a}", "-o", "yaml"),
    ("get", "wdg", "-A", "--field-selector", "spec.color=red", "-o", "name"),
    ("get", "widgets", "-A", "--field-selector", "spec.size=1", "-o", "json"),
    ("get", "widget", "w-1", "-n", "{b}", "-o", "jsonpath={.spec}"),
    ("get", "gadgets", "-o", "json", "--chunk-size=1"),
    ("get", "gadgets", "-l", "kind", "-o", "name"),
    ("get", "widgets", "-A"),
    ("get", "gadgets", "--show-labels"),
], ids=lambda a: " ".join(a))
def test_kubectl_matches_upstream(cluster, kcache, crds, tmp_path, args):
    """kubectl's reads of custom resources; human output (printer columns, ages) is compared
    with ages normalised."""
    args = [fill(a, crds) for a in args]
    table = "-o" not in args
    for _ in range(10):  # namespaces of the watch tests may still be going away: ask again
        outcomes = []
        for name, kubeconfig, url in (("upstream", cluster.kubeconfig(), cluster.url),
                                      ("kcache", kcache.kubeconfig(), kcache.url)):
            result = cluster.kubectl_run(f"--cache-dir={tmp_path / name}", *args,
                                         kubeconfig=kubeconfig, check=False)
            stdout = human(result.stdout) if table else result.stdout
            outcomes.append((result.returncode, stdout, result.stderr.replace(url, "<server>")))
        if outcomes[1] == outcomes[0]:
            break
    assert outcomes[1] == outcomes[0]


# -- the CRDs go away --------------------------------------------------------------------------


def answer(api, path):
    """Status, content type and body of an error (a 200, which may be a watch, is not read)."""
    response = api.get(path, stream=True, timeout=10)
    body = response.raw.read(4000) if response.status_code != 200 else b"(not read)"
    response.close()
    return response.status_code, response.headers.get("Content-Type"), body


def test_deleted_crd_is_no_longer_served(crds, kcache, upstream_api, kcache_api):
    """Deleting the CRD (through the upstream) ends kcache's serving of its resources: once the
    upstream answers 404, kcache answers the same 404 (eventually: it learns of the deletion from
    its CRD watch), and passes requests for the resource through."""
    paths = [f"{W}/widgets", fill("{W}/namespaces/{a}/widgets/w-1", crds),
             f"{W}/widgets?fieldSelector=spec.color%3Dred", f"{W}/gadgets", f"{W}/gadgets/g-1",
             f"{W}/widgets?watch=true"]
    for crd in (WIDGET_CRD, GADGET_CRD):
        delete_crd(upstream_api, crd["metadata"]["name"])
    for path in paths:
        wait_until(lambda: answer(upstream_api, path)[0] == 404,
                   timeout=PICKUP_TIMEOUT, what=f"upstream 404 for {path}")

    def kcache_agrees():
        return all(answer(kcache_api, path) == answer(upstream_api, path) for path in paths)
    started = time.monotonic()
    try:
        wait_until(kcache_agrees, timeout=PICKUP_TIMEOUT, interval=0.2,
                   what="kcache answering like the upstream (404) for the deleted CRDs")
    except AssertionError:
        diffs = [f"{path}: upstream {answer(upstream_api, path)!r}; kcache {answer(kcache_api, path)!r}"
                 for path in paths]
        raise AssertionError("after deleting the CRDs, kcache still differs:\n" + "\n".join(diffs)
                             + f"\nkcache log tail:\n{kcache.log_tail(30)}") from None
    took = time.monotonic() - started
    before = kcache.metrics()
    for path in paths[:5]:
        assert kcache_api.get(path).status_code == 404
    after = kcache.metrics()
    assert after["kcache_requests_cached_total"] == before["kcache_requests_cached_total"]
    assert after["kcache_requests_passed_total"] - before["kcache_requests_passed_total"] == 5
    print(f"kcache followed the CRD deletion within {took:.1f}s")


def test_recreated_crd_is_served_fresh(crds, kcache, upstream_api, kcache_api):
    """A CRD made again after its deletion starts from what the upstream has (nothing, then one
    new widget), not from what kcache held before."""
    create_crd(upstream_api, WIDGET_CRD)
    ns = crds["ns"]["a"]
    write(upstream_api, "POST", f"{W}/namespaces/{ns}/widgets", widget("w-new", "red", 7))
    wait_cached(kcache, kcache_api, f"{W}/widgets")
    for path in (f"{W}/widgets", f"{W}/namespaces/{ns}/widgets/w-1",
                 f"{W}/namespaces/{ns}/widgets/w-new", f"{W}/widgets?fieldSelector=spec.color%3Dred"):
        for _ in range(20):
            up, kc = upstream_api.get(path), kcache_api.get(path)
            if same_answer(up, kc):
                break
        assert (kc.status_code, normalize(kc.text)) == (up.status_code, normalize(up.text)), path
    names = [i["metadata"]["name"] for i in kcache_api.get(f"{W}/widgets").json()["items"]]
    assert names == ["w-new"]
    delete_crd(upstream_api, WIDGET_CRD["metadata"]["name"])
