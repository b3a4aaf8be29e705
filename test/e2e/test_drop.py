"""KEP-5958's `drop` Accept parameter on the standard endpoints: kcache leaves the named metadata
members (`metadata.managedFields`, and `metadata.annotations` as the KEP intends to extend it)
out of every object it serves from its cache. The upstream, which does not implement the
parameter yet, answers the same request in full; its answer with those members deleted must
equal kcache's, object for object, and the rest of kcache's bytes are the upstream's."""

import uuid

import pytest

from harness import JsonLines, divergence, normalize, wait_until

MANAGED = "metadata.managedFields"
ANNOTATIONS = "metadata.annotations"


def accept(*targets, transform=""):
    return f"application/json{transform};drop={'+'.join(targets)}"


def without(doc, members):
    """`doc` (an object, a list or a watch event) with the metadata members deleted."""
    if isinstance(doc, dict):
        if isinstance(doc.get("metadata"), dict) and ("kind" in doc or "spec" in doc or
                                                        "data" in doc or "status" in doc):
            for member in members:
                doc["metadata"].pop(member, None)
        for key in ("items",):
            for item in doc.get(key) or []:
                without(item, members)
        if "object" in doc:
            without(doc["object"], members)
    return doc


CASES = [
    ("/api/v1/namespaces/team-a/pods", (MANAGED,), ""),
    ("/api/v1/pods?limit=25", (MANAGED, ANNOTATIONS), ""),
    ("/api/v1/configmaps", (ANNOTATIONS,), ""),
    ("/apis/apps/v1/deployments", (MANAGED,), ""),
    ("/api/v1/nodes", (MANAGED, "spec.unknown"), ""),
    ("/api/v1/namespaces/team-a/pods", (MANAGED,),
     ";as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"),
]


@pytest.mark.parametrize("path,targets,transform", CASES,
                         ids=[f"{p} {'+'.join(t)}{x}" for p, t, x in CASES])
def test_list_matches_upstream_without_the_members(upstream_api, kcache_api, path, targets,
                                                   transform):
    members = [t.split(".", 1)[1] for t in targets if t.startswith("metadata.")]
    for _ in range(10):
        up = upstream_api.get(path, accept(*targets, transform=transform))
        kc = kcache_api.get(path, accept(*targets, transform=transform))
        assert up.status_code == kc.status_code == 200, kc.text[:300]
        expected = without(normalize(up.text), members)
        actual = normalize(kc.text)
        if expected == actual:
            break
    assert expected == actual, divergence(expected, actual)
    for item in actual.get("items") or []:
        assert not set(members) & set(item["metadata"]), list(item["metadata"])


def test_get_matches_upstream_without_the_members(upstream_api, kcache_api):
    name = upstream_api.get("/api/v1/namespaces/team-a/pods?limit=1").json()["items"][0][
        "metadata"]["name"]
    path = f"/api/v1/namespaces/team-a/pods/{name}"
    up = upstream_api.get(path, accept(MANAGED, ANNOTATIONS))
    kc = kcache_api.get(path, accept(MANAGED, ANNOTATIONS))
    assert kc.status_code == 200
    assert "managedFields" in up.text  # the upstream ignores the parameter
    assert "managedFields" not in kc.text and '"annotations"' not in kc.text
    assert without(up.json(), ["managedFields", "annotations"]) == kc.json()
    # Everything else is the upstream's bytes: dropping nothing changes nothing.
    assert kcache_api.get(path, accept("spec.unknown")).text == \
        kcache_api.get(path, "application/json").text


def test_watch_matches_upstream_without_the_members(upstream_api, kcache_api):
    namespace = f"drop-{uuid.uuid4().hex[:8]}"
    upstream_api.request("POST", "/api/v1/namespaces", {"metadata": {"name": namespace}})
    try:
        path = f"/api/v1/namespaces/{namespace}/configmaps"
        rv = upstream_api.get(path).json()["metadata"]["resourceVersion"]
        query = f"?watch=true&resourceVersion={rv}&timeoutSeconds=60&fieldSelector=metadata.name%3Da"
        header = accept(MANAGED)
        wait_until(lambda: kcache_api.get(f"{path}?resourceVersion={rv}&resourceVersionMatch=NotOlderThan").status_code == 200)
        watches = [JsonLines(upstream_api, path + query, header),
                   JsonLines(kcache_api, path + query, header)]
        upstream_api.request("POST", path, {"metadata": {"name": "a", "annotations": {"x": "1"}},
                                            "data": {"k": "v"}})
        upstream_api.request("PATCH", path + "/a", {"data": {"k": "w"}},
                             content_type="application/merge-patch+json")
        upstream_api.request("DELETE", path + "/a")
        wait_until(lambda: all(len(w.events) >= 3 for w in watches), timeout=30,
                   what="three events on both watches")
        for w in watches:
            w.close()
        up, kc = watches[0].events[:3], watches[1].events[:3]
        assert all("managedFields" in e["object"]["metadata"] for e in up)
        assert [without(e, ["managedFields"]) for e in up] == kc, divergence(up, kc)
    finally:
        upstream_api.request("DELETE", f"/api/v1/namespaces/{namespace}")
