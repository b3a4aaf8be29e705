"""The same read sent straight to kube-apiserver and through kcache gets the same answer: status
code, content type and body, after normalising only what kube-apiserver itself varies from one
request to the next (a list's resourceVersion, the version inside continue tokens)."""

import urllib.parse
import uuid

import pytest

from harness import normalize

JSON = "application/json"
PARTIAL_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
PARTIAL = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
PARTIAL_BETA = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1,application/json"
PROTOBUF_FIRST = "application/vnd.kubernetes.protobuf,application/json"


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


CASES = [
    # Lists: all namespaces, one namespace, cluster-scoped, groups.
    q("/api/v1/pods"),
    q("/api/v1/namespaces/team-a/pods"),
    q("/api/v1/namespaces/no-such-namespace/pods"),
    q("/api/v1/namespaces"),
    q("/api/v1/nodes"),
    q("/api/v1/configmaps"),
    q("/api/v1/namespaces/team-b/configmaps"),
    q("/api/v1/services"),
    q("/api/v1/serviceaccounts"),
    q("/api/v1/secrets"),
    q("/apis/apps/v1/deployments"),
    q("/apis/apps/v1/namespaces/team-a/replicasets"),
    q("/apis/batch/v1/jobs"),
    q("/apis/discovery.k8s.io/v1/endpointslices"),
    q("/apis/rbac.authorization.k8s.io/v1/clusterroles"),
    q("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings"),
    q("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"),
    q("/apis/scheduling.k8s.io/v1/priorityclasses"),
    # Label selectors: every operator.
    q("/api/v1/pods", labelSelector="app=web"),
    q("/api/v1/pods", labelSelector="app==web"),
    q("/api/v1/pods", labelSelector="app!=web"),
    q("/api/v1/pods", labelSelector="app in (web,api)"),
    q("/api/v1/pods", labelSelector="app notin (web,api)"),
    q("/api/v1/pods", labelSelector="tier"),
    q("/api/v1/pods", labelSelector="!tier"),
    q("/api/v1/pods", labelSelector="app=web,tier=frontend"),
    q("/api/v1/namespaces/team-a/pods", labelSelector="app in ()"),
    q("/api/v1/nodes", labelSelector="kubernetes.io/hostname=kwok-node-1"),
    # Field selectors: metadata and per-resource fields.
    q("/api/v1/pods", fieldSelector="spec.nodeName=kwok-node-1"),
    q("/api/v1/pods", fieldSelector="spec.host=kwok-node-2"),
    q("/api/v1/pods", fieldSelector="status.phase=Running"),
    q("/api/v1/pods", fieldSelector="status.phase!=Running"),
    q("/api/v1/pods", fieldSelector="metadata.namespace=team-b"),
    q("/api/v1/pods", fieldSelector="spec.restartPolicy=Always,spec.schedulerName=default-scheduler"),
    q("/api/v1/pods", fieldSelector="spec.hostNetwork=false"),
    q("/api/v1/namespaces", fieldSelector="status.phase=Active"),
    q("/api/v1/nodes", fieldSelector="spec.unschedulable=true"),
    q("/api/v1/services", fieldSelector="spec.type=ClusterIP"),
    q("/api/v1/secrets", fieldSelector="type=Opaque"),
    q("/apis/batch/v1/jobs", fieldSelector="status.successful=1"),
    q("/api/v1/pods", labelSelector="app=web", fieldSelector="spec.nodeName=kwok-node-1"),
    # resourceVersion rules that do not depend on the server's own version.
    q("/api/v1/pods", resourceVersion="0"),
    q("/api/v1/pods", resourceVersion="0", limit="5"),
    q("/api/v1/namespaces/team-a/pods", resourceVersion="1", resourceVersionMatch="NotOlderThan"),
    q("/api/v1/namespaces", resourceVersion="1"),
    # Transforms and encodings kcache answers in JSON.
    (q("/api/v1/namespaces/team-a/pods"), PARTIAL_LIST),
    (q("/api/v1/pods", labelSelector="app=web"), PARTIAL_BETA),
    (q("/apis/apps/v1/deployments"), PARTIAL_LIST),
    (q("/api/v1/nodes"), "*/*"),
    # Errors: bad selectors, bad options, bad tokens, unknown things.
    q("/api/v1/pods", labelSelector="a b"),
    q("/api/v1/pods", labelSelector="a@b=c"),
    q("/api/v1/pods", labelSelector="app=a@b"),
    q("/api/v1/pods", labelSelector="a,"),
    q("/api/v1/pods", labelSelector="a in b"),
    q("/api/v1/pods", labelSelector="a in (x"),
    q("/api/v1/pods", labelSelector="a>x"),
    q("/api/v1/pods", labelSelector="=x"),
    q("/api/v1/pods", fieldSelector="foo=bar"),
    q("/api/v1/pods", fieldSelector="spec.nodeName"),
    q("/api/v1/pods", fieldSelector="a=b\\x"),
    q("/apis/apps/v1/deployments", fieldSelector="spec.replicas=1"),
    q("/api/v1/nodes", fieldSelector="metadata.namespace=x"),
    q("/api/v1/pods", resourceVersionMatch="NotOlderThan"),
    q("/api/v1/pods", resourceVersion="0", resourceVersionMatch="Exact"),
    q("/api/v1/pods", resourceVersion="5", resourceVersionMatch="Newest"),
    q("/api/v1/pods", sendInitialEvents="true"),
    q("/api/v1/pods", limit="abc"),
    q("/api/v1/pods", limit="99999999999999999999"),
    q("/api/v1/pods", timeoutSeconds="x"),
    q("/api/v1/pods", resourceVersion="abc"),
    q("/api/v1/pods", resourceVersion="-1"),
    q("/api/v1/pods", resourceVersion="9999999999", resourceVersionMatch="Exact"),
    q("/api/v1/pods", continue_token="garbage"),
    q("/api/v1/pods", continue_token="eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MCwic3RhcnQiOiJ4In0"),
    q("/api/v1/pods", continue_token="eyJ2IjoibWV0YS5rOHMuaW8vdjIiLCJydiI6NSwic3RhcnQiOiJ4In0"),
    q("/api/v1/pods", continue_token="eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NSwic3RhcnQiOiIuLi94In0"),
    q("/api/v1/pods", limit="5", resourceVersion="5",
      continue_token="eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoieFx1MDAwMCJ9"),
    q("/api/v1/namespaces/team-a/pods/no-such-pod"),
    q("/api/v1/namespaces/no-such-namespace/pods/x"),
    q("/apis/apps/v1/namespaces/team-a/deployments/no-such-deployment"),
    q("/api/v1/nodes/no-such-node"),
    q("/api/v1/namespaces/no-such-namespace"),
    q("/api/v1/foos"),
    q("/apis/no.such.group/v1/things"),
]


def case_id(case):
    path, accept = case if isinstance(case, tuple) else (case, JSON)
    return path if accept == JSON else f"{path} [{accept.split(',')[0]}]"


def fetch_both(upstream_api, kcache_api, path, accept):
    path = path.replace("continue_token=", "continue=")
    up = upstream_api.get(path, accept=accept)
    kc = kcache_api.get(path, accept=accept)
    return up, kc


def same_answer(up, kc):
    return (up.status_code == kc.status_code
            and up.headers.get("Content-Type") == kc.headers.get("Content-Type")
            and up.headers.get("Content-Encoding") == kc.headers.get("Content-Encoding")
            and normalize(up.text) == normalize(kc.text))


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_read_matches_upstream(upstream_api, kcache_api, case):
    path, accept = case if isinstance(case, tuple) else (case, JSON)
    # The cluster is live (controllers, kwok): if state moved between the two requests, ask
    # again; a real difference persists.
    for _ in range(20):
        up, kc = fetch_both(upstream_api, kcache_api, path, accept)
        if same_answer(up, kc):
            break
    assert up.status_code == kc.status_code, (up.text[:500], kc.text[:500])
    assert up.headers.get("Content-Type") == kc.headers.get("Content-Type")
    # The client accepts gzip (requests asks for it): both compress the same responses.
    assert up.headers.get("Content-Encoding") == kc.headers.get("Content-Encoding")
    assert normalize(up.text) == normalize(kc.text)


GETS = [
    "/api/v1/namespaces/team-a",
    "/api/v1/namespaces/kube-system",
    "/api/v1/nodes/kwok-node-1",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin",
]


@pytest.mark.parametrize("path", GETS)
@pytest.mark.parametrize("accept", [JSON, PARTIAL, PROTOBUF_FIRST])
def test_get_matches_upstream_bytes(upstream_api, kcache_api, path, accept):
    for _ in range(20):
        up = upstream_api.get(path, accept=accept if accept != PROTOBUF_FIRST else JSON)
        kc = kcache_api.get(path, accept=accept)
        if up.text == kc.text:
            break
    assert kc.status_code == 200
    assert kc.headers["Content-Type"] == "application/json"
    assert up.text == kc.text


def test_get_of_every_pod_matches_upstream_bytes(upstream_api, kcache_api):
    pods = upstream_api.get("/api/v1/namespaces/team-a/pods").json()["items"]
    assert len(pods) > 10
    for pod in pods[:40]:
        path = f"/api/v1/namespaces/team-a/pods/{pod['metadata']['name']}"
        for _ in range(20):
            up, kc = upstream_api.get(path), kcache_api.get(path)
            if up.text == kc.text:
                break
        assert up.text == kc.text, path


def pages(api, path):
    """Every page of a paginated list, following this server's own continue tokens."""
    out = []
    token = None
    while True:
        sep = "&" if "?" in path else "?"
        page_path = path + (f"{sep}continue={urllib.parse.quote(token)}" if token else "")
        response = api.get(page_path)
        assert response.status_code == 200, response.text
        out.append(response)
        token = response.json()["metadata"].get("continue")
        if not token:
            return out


@pytest.mark.parametrize("path", [
    "/api/v1/pods?limit=7",
    "/api/v1/namespaces/team-a/pods?limit=5",
    "/api/v1/pods?limit=50&labelSelector=app%3Dweb",
    "/api/v1/pods?limit=13&fieldSelector=spec.nodeName%3Dkwok-node-2",
    "/api/v1/nodes?limit=2",
    "/api/v1/configmaps?limit=9",
])
def test_paginated_list_matches_upstream_page_by_page(upstream_api, kcache_api, path):
    for _ in range(10):
        up_pages, kc_pages = pages(upstream_api, path), pages(kcache_api, path)
        if [normalize(p.text) for p in up_pages] == [normalize(p.text) for p in kc_pages]:
            break
    assert len(up_pages) == len(kc_pages)
    for up, kc in zip(up_pages, kc_pages):
        assert normalize(up.text) == normalize(kc.text)


def test_continue_token_is_served_at_its_version(kcache_api, upstream_api, cluster):
    """Pages after the first show the list as of the first page's version, whatever changed
    since (kcache answers from its history, as the watch cache does from its snapshots)."""
    ns = f"e2e-paging-{uuid.uuid4().hex[:6]}"
    upstream_api.request("POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
    for i in range(6):
        kcache_api.request("POST", f"/api/v1/namespaces/{ns}/configmaps",
                           {"metadata": {"name": f"cm-{i}"}, "data": {"v": "1"}})
    first = kcache_api.get(f"/api/v1/namespaces/{ns}/configmaps?limit=3").json()
    assert [i["metadata"]["name"] for i in first["items"]] == ["cm-0", "cm-1", "cm-2"]
    token = first["metadata"]["continue"]
    # Changes after the first page: one deleted, one modified, one added.
    kcache_api.request("DELETE", f"/api/v1/namespaces/{ns}/configmaps/cm-4")
    kcache_api.request("PATCH", f"/api/v1/namespaces/{ns}/configmaps/cm-5",
                       {"data": {"v": "2"}}, content_type="application/merge-patch+json")
    kcache_api.request("POST", f"/api/v1/namespaces/{ns}/configmaps",
                       {"metadata": {"name": "cm-9"}, "data": {"v": "1"}})
    rest = kcache_api.get(f"/api/v1/namespaces/{ns}/configmaps?limit=3&continue={token}").json()
    assert [i["metadata"]["name"] for i in rest["items"]] == ["cm-3", "cm-4", "cm-5"]
    assert rest["items"][2]["data"] == {"v": "1"}
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    # Same answer from the upstream for the same situation.
    up_first = upstream_api.get(f"/api/v1/namespaces/{ns}/configmaps?limit=2").json()
    assert len(up_first["items"]) == 2
    cluster.kubectl_run("delete", "namespace", ns, "--wait=false")


def test_exact_resource_version_lists_the_past(kcache_api, upstream_api, cluster):
    ns = f"e2e-exact-{uuid.uuid4().hex[:6]}"
    upstream_api.request("POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
    created = kcache_api.request("POST", f"/api/v1/namespaces/{ns}/configmaps",
                                 {"metadata": {"name": "a"}, "data": {"v": "1"}}).json()
    rv = created["metadata"]["resourceVersion"]
    kcache_api.request("POST", f"/api/v1/namespaces/{ns}/configmaps",
                       {"metadata": {"name": "b"}, "data": {"v": "1"}})
    path = f"/api/v1/namespaces/{ns}/configmaps?resourceVersion={rv}&resourceVersionMatch=Exact"
    up, kc = upstream_api.get(path), kcache_api.get(path)
    assert up.status_code == kc.status_code == 200
    assert up.text == kc.text  # same version, same state, same bytes
    names = [i["metadata"]["name"] for i in kc.json()["items"]]
    assert [n for n in names if n != "kube-root-ca.crt"] == ["a"]
    cluster.kubectl_run("delete", "namespace", ns, "--wait=false")


def test_too_large_resource_version_times_out_like_upstream(upstream_api, kcache_api):
    path = "/api/v1/namespaces/team-a/pods?resourceVersion=99999999&resourceVersionMatch=NotOlderThan"
    up, kc = upstream_api.get(path), kcache_api.get(path)
    assert up.status_code == kc.status_code == 504
    assert kc.headers.get("Retry-After") == up.headers.get("Retry-After") == "1"
    assert normalize(up.text) == normalize(kc.text)


def test_reads_are_served_by_the_cache(kcache, kcache_api):
    before = kcache.metrics()
    for _ in range(5):
        assert kcache_api.get("/api/v1/pods").status_code == 200
    after = kcache.metrics()
    assert after["kcache_requests_cached_total"] - before["kcache_requests_cached_total"] == 5
    assert after["kcache_requests_passed_total"] == before["kcache_requests_passed_total"]
