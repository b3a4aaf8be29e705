"""Discovery and OpenAPI through kcache: answered from kcache's copies of the upstream's
documents (proxy/discovery_cache.h), with the upstream's status, headers and bytes, 304 for a
matching If-None-Match, a new CRD showing within seconds, and only to users the upstream would
answer.

kcache learns a document from the first request for it (passed through), then answers the
next ones itself; `from_copy` asks until kcache's hit counter says it did."""

import json
import time
import uuid

import pytest

from harness import Api, wait_until
from test_kubectl import Kubectl, requests_made

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGGREGATED_PB = \
    "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
KUBECTL_DISCOVERY = AGGREGATED + ",application/json"
CLIENT_GO_NOPEER = AGGREGATED + ";profile=nopeer," + KUBECTL_DISCOVERY
PROTOBUF_DISCOVERY = \
    f"{AGGREGATED_PB},{AGGREGATED},application/vnd.kubernetes.protobuf,application/json"
V2BETA1 = \
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
PROTOBUF = "application/vnd.kubernetes.protobuf"
OPENAPI_V2_PB = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
OPENAPI_V3_PB = "application/com.github.proto-openapi.spec.v3@v1.0+protobuf"

COMPARED_HEADERS = ("Content-Type", "ETag", "Cache-Control", "Vary", "Content-Encoding",
                    "Last-Modified", "Accept-Ranges", "X-Content-Type-Options")

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
NEW_CRD_SEEN_WITHIN = 10  # seconds


def hits(kcache):
    return kcache.metrics()["kcache_discovery_cache_hits_total"]


def passed(kcache):
    return kcache.metrics()["kcache_requests_passed_total"]


def from_copy(kcache, api, path, accept=None, timeout=20, **headers):
    """kcache's answer once it comes from its copy (the first requests teach kcache the
    document and go to the upstream)."""
    def attempt():
        before = hits(kcache)
        response = api.get(path, accept, **headers)
        return response if hits(kcache) > before else None
    return wait_until(attempt, timeout=timeout, interval=0.3,
                      what=f"GET {path} ({accept}) answered from kcache's copy")


def unfollowed(api, path, accept=None):
    """GET without following redirects (a stale OpenAPI hash is a 301)."""
    headers = {"Accept": accept} if accept else {}
    return api.session.get(api.base + path, headers=headers, allow_redirects=False, timeout=10)


def described(response):
    seen = {"status": response.status_code,
            **{name: response.headers.get(name) for name in COMPARED_HEADERS}}
    # The OpenAPI v3 index is modified "now", whenever asked.
    if seen["Last-Modified"] and seen["Last-Modified"] == response.headers.get("Date"):
        seen["Last-Modified"] = "<when answered>"
    return seen


def assert_same(upstream, kcache, what):
    assert described(kcache) == described(upstream), what
    assert kcache.content == upstream.content, \
        f"{what}: bodies differ ({len(upstream.content)} vs {len(kcache.content)} bytes)"


def same_answer(upstream_api, kcache_api, kcache, path, accept=None, **headers):
    """Asks kcache (from its copy) and the upstream alike until both answers agree: a document
    the cluster changes meanwhile (a CRD of another test) agrees again at kcache's next
    refresh."""
    last = {}

    def agree():
        kc = from_copy(kcache, kcache_api, path, accept, **headers)
        up = upstream_api.get(path, accept, **headers)
        last.update(up=up, kc=kc)
        return described(up) == described(kc) and up.content == kc.content
    try:
        wait_until(agree, timeout=40, interval=1, what=f"{path} ({accept}) equal both ways")
    except AssertionError:
        assert_same(last["up"], last["kc"], f"GET {path} Accept: {accept}")
    return last["up"], last["kc"]


def openapi_v3_paths(upstream_api):
    return json.loads(upstream_api.get("/openapi/v3", "application/json").content)["paths"]


# -- every document equals the upstream's ------------------------------------------------------

KEPT = [
    ("/api", KUBECTL_DISCOVERY),
    ("/api", CLIENT_GO_NOPEER),
    ("/api", PROTOBUF_DISCOVERY),
    ("/apis", KUBECTL_DISCOVERY),
    ("/apis", CLIENT_GO_NOPEER),
    ("/apis", PROTOBUF_DISCOVERY),
    ("/apis", AGGREGATED_PB),
    ("/apis", V2BETA1),
    ("/apis", "application/json"),
    ("/apis", PROTOBUF),
    ("/apis", None),
    ("/api/v1", "application/json"),
    ("/api/v1", PROTOBUF),
    ("/apis/apps", "application/json"),
    ("/apis/apps/v1", "application/json"),
    ("/apis/apps/v1", PROTOBUF + ",application/json"),
    ("/apis/apiextensions.k8s.io/v1", "application/json"),
    ("/version", None),
    ("/version", "application/json"),
    ("/openapi/v2", None),
    ("/openapi/v2", "application/json"),
    ("/openapi/v2", OPENAPI_V2_PB),
    ("/openapi/v2", OPENAPI_V2_PB + ",application/json"),
    ("/openapi/v3", "application/json, */*"),
    ("/openapi/v3", None),
]


@pytest.mark.parametrize("path,accept", KEPT, ids=lambda v: str(v))
def test_documents_from_the_copy_equal_the_upstreams(upstream_api, kcache_api, kcache, path,
                                                     accept):
    up, kc = same_answer(upstream_api, kcache_api, kcache, path, accept)
    assert up.status_code == 200


@pytest.mark.parametrize("document", ["api/v1", "apis/apps/v1", "apis/apiextensions.k8s.io/v1"])
@pytest.mark.parametrize("accept", ["application/json", OPENAPI_V3_PB], ids=["json", "protobuf"])
@pytest.mark.parametrize("hashed", [True, False], ids=["hashed", "unhashed"])
def test_openapi_v3_documents_equal_the_upstreams(upstream_api, kcache_api, kcache, document,
                                                  accept, hashed):
    """Hashed paths (what the OpenAPI v3 index links to) are immutable and say so; unhashed
    ones are not."""
    path = openapi_v3_paths(upstream_api)[document]["serverRelativeURL"] if hashed \
        else f"/openapi/v3/{document}"
    up, kc = same_answer(upstream_api, kcache_api, kcache, path, accept)
    assert up.status_code == 200
    assert ("immutable" in kc.headers["Cache-Control"]) == hashed
    if hashed:
        assert kc.headers["Expires"], kc.headers


@pytest.mark.parametrize("path,accept", [
    ("/api", "application/json"),       # APIVersions names server addresses by client address
    ("/api", PROTOBUF),
    ("/api", None),
    ("/api", "text/html"),              # 406
    ("/apis/nope.example.com", None),   # 404 page
    ("/apis/apps/v9", None),            # 404 Status
    ("/api/v9", "application/json"),
    ("/openapi/v3/apis/nope.example.com/v1", "application/json"),
    ("/openapi/v3/api/v1?hash=0123ABCD", "application/json"),  # a stale hash: 301
    ("/openapi/v2", "text/html"),                               # 406
    ("/apis?pretty=true", "application/json"),
    ("/apis?timeout=1m30s", "application/json"),
], ids=lambda v: str(v))
def test_documents_kcache_does_not_keep_are_the_upstreams(upstream_api, kcache_api, kcache, path,
                                                          accept):
    for _ in range(2):  # the second time, kcache has tried (and declined) to keep it
        before = hits(kcache)
        kc = unfollowed(kcache_api, path, accept)
        up = unfollowed(upstream_api, path, accept)
        assert hits(kcache) == before, f"{path} answered from a copy"
        assert_same(up, kc, f"GET {path} Accept: {accept}")
        time.sleep(1.5)


def test_pretty_clients_go_to_the_upstream(upstream_api, kcache_api, kcache):
    """kube-apiserver indents discovery for curl and browsers."""
    from_copy(kcache, kcache_api, "/apis", "application/json")
    before = hits(kcache)
    kc = kcache_api.get("/apis", "application/json", **{"User-Agent": "curl/8.5.0"})
    up = upstream_api.get("/apis", "application/json", **{"User-Agent": "curl/8.5.0"})
    assert hits(kcache) == before
    assert_same(up, kc, "curl's GET /apis")
    assert kc.text.startswith("{\n")


# -- 304 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,accept", [
    ("/apis", KUBECTL_DISCOVERY),
    ("/api", PROTOBUF_DISCOVERY),
    ("/openapi/v2", "application/json"),
    ("/openapi/v2", OPENAPI_V2_PB),
    ("openapi/v3 hashed", "application/json"),
    ("openapi/v3 hashed", OPENAPI_V3_PB),
], ids=lambda v: str(v))
def test_if_none_match_is_answered_as_the_upstream_does(upstream_api, kcache_api, kcache, path,
                                                        accept):
    if path == "openapi/v3 hashed":
        path = openapi_v3_paths(upstream_api)["api/v1"]["serverRelativeURL"]
    _, kc = same_answer(upstream_api, kcache_api, kcache, path, accept)
    etag = kc.headers["ETag"]
    assert etag.startswith('"'), kc.headers

    not_modified = from_copy(kcache, kcache_api, path, accept, **{"If-None-Match": etag})
    up = upstream_api.get(path, accept, **{"If-None-Match": etag})
    assert up.status_code == 304, up.headers
    assert_same(up, not_modified, f"GET {path} If-None-Match")
    assert not_modified.content == b""

    changed = from_copy(kcache, kcache_api, path, accept, **{"If-None-Match": '"0123"'})
    assert changed.status_code == 200
    assert changed.content == kc.content

    # Lists and weak tags are compared differently by kube-apiserver's handlers: its call.
    for odd in (f'{etag}, "x"', f"W/{etag}", "*"):
        before = hits(kcache)
        kc_odd = kcache_api.get(path, accept, **{"If-None-Match": odd})
        up_odd = upstream_api.get(path, accept, **{"If-None-Match": odd})
        assert hits(kcache) == before
        assert_same(up_odd, kc_odd, f"GET {path} If-None-Match: {odd}")


# -- kubectl -----------------------------------------------------------------------------------

KUBECTL_COMMANDS = [("api-resources",), ("api-versions",), ("explain", "pods.spec"),
                    ("get", "pods", "-A")]


def run_commands(cluster, kcache, cache_dir):
    """Runs the commands with a fresh discovery cache; returns what each asked, and how many
    requests kcache passed to the upstream meanwhile."""
    kc = Kubectl(cluster.kubectl, kcache.kubeconfig(), kcache.url, cache_dir)
    before = passed(kcache)
    made = []
    for args in KUBECTL_COMMANDS:
        result = kc.run(*args, "-v=6")
        assert result.returncode == 0, result.stderr[-2000:]
        made += requests_made(result.stderr, kcache.url)
    return made, passed(kcache) - before


def test_kubectl_start_up_does_not_reach_the_upstream(cluster, kcache, tmp_path):
    """After one warm-up, kubectl with a fresh cache directory runs api-resources,
    api-versions, explain and get without kcache passing anything to the upstream."""
    attempts = iter(range(1000))

    def warm():
        made, passed_through = run_commands(cluster, kcache, tmp_path / f"warm-{next(attempts)}")
        return passed_through == 0
    wait_until(warm, timeout=60, interval=1, what="kubectl's requests answered by kcache")

    made, passed_through = run_commands(cluster, kcache, tmp_path / "fresh")
    paths = {path for _, path in made}
    assert {"/api", "/apis", "/openapi/v3", "/api/v1/pods"} <= paths, made
    assert any(path.startswith("/openapi/v3/api/v1") for path in paths), made
    assert passed_through == 0, made


# -- following the upstream --------------------------------------------------------------------

def crd(group):
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"sprockets.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": "sprockets", "singular": "sprocket", "kind": "Sprocket",
                      "listKind": "SprocketList"},
            "versions": [{"name": "v1", "served": True, "storage": True,
                          "schema": {"openAPIV3Schema": {
                              "type": "object", "x-kubernetes-preserve-unknown-fields": True}}}],
        },
    }


def groups_in(response):
    return {item["metadata"]["name"] for item in json.loads(response.content)["items"]}


def test_a_crd_created_upstream_shows_in_kcaches_discovery_within_seconds(upstream_api,
                                                                          kcache_api, kcache):
    group = f"disc-{uuid.uuid4().hex[:8]}.e2e.kcache.io"
    name = f"sprockets.{group}"
    from_copy(kcache, kcache_api, "/apis", KUBECTL_DISCOVERY)
    from_copy(kcache, kcache_api, "/apis", "application/json")
    created = upstream_api.request("POST", CRDS, crd(group))
    assert created.status_code == 201, created.text
    try:
        started = time.monotonic()

        def listed():
            aggregated = from_copy(kcache, kcache_api, "/apis", KUBECTL_DISCOVERY)
            legacy = from_copy(kcache, kcache_api, "/apis", "application/json")
            names = {g["name"] for g in json.loads(legacy.content)["groups"]}
            return group in groups_in(aggregated) and group in names
        wait_until(listed, timeout=NEW_CRD_SEEN_WITHIN, interval=0.2,
                   what=f"{group} in kcache's /apis")
        print(f"\n{group} in kcache's /apis {time.monotonic() - started:.1f} s after creation")
        same_answer(upstream_api, kcache_api, kcache, "/apis", KUBECTL_DISCOVERY)
        same_answer(upstream_api, kcache_api, kcache, f"/apis/{group}/v1", "application/json")
    finally:
        upstream_api.request("DELETE", f"{CRDS}/{name}")

    wait_until(lambda: group not in groups_in(
        from_copy(kcache, kcache_api, "/apis", KUBECTL_DISCOVERY)),
        timeout=NEW_CRD_SEEN_WITHIN, interval=0.2, what=f"{group} gone from kcache's /apis")


# -- who gets a copy ---------------------------------------------------------------------------

def test_users_the_upstream_answers_get_the_copy(cluster, upstream_api, kcache_api, kcache):
    alice_kc = Api(kcache.url, kcache.ca, cluster.token("alice"))
    alice_up = Api(cluster.url, cluster.ca, cluster.token("alice"))
    from_copy(kcache, kcache_api, "/apis", KUBECTL_DISCOVERY)
    kc = from_copy(kcache, alice_kc, "/apis", KUBECTL_DISCOVERY)
    up = alice_up.get("/apis", KUBECTL_DISCOVERY)
    assert_same(up, kc, "alice's GET /apis")


@pytest.mark.parametrize("path", ["/apis", "/openapi/v2", "/version"])
def test_users_without_credentials_get_the_upstreams_answer(cluster, upstream_api, kcache_api,
                                                            kcache, path):
    """kcache runs without --anonymous-auth: no credentials is the upstream's 401 for
    credentials it cannot verify; a bad token the same."""
    from_copy(kcache, kcache_api, path, "application/json")
    nobody = Api(kcache.url, kcache.ca)
    bad = "not-a-token-" + "0" * 36
    before = hits(kcache)
    kc_nobody = nobody.get(path, "application/json")
    kc_bad = Api(kcache.url, kcache.ca, bad).get(path, "application/json")
    up_bad = Api(cluster.url, cluster.ca, bad).get(path, "application/json")
    assert hits(kcache) == before
    assert up_bad.status_code == 401, up_bad.text
    assert (kc_nobody.status_code, kc_nobody.text) == (401, up_bad.text)
    assert (kc_bad.status_code, kc_bad.text) == (401, up_bad.text)


@pytest.mark.parametrize("path", ["/apis", "/api", "/openapi/v2", "/openapi/v3"])
def test_users_the_upstream_refuses_are_refused(upstream_api, kcache_api, kcache, path):
    """system:anonymous may not read discovery: the admin impersonating it is refused by kcache
    exactly as by the upstream."""
    accept = KUBECTL_DISCOVERY if path.startswith("/api") else "application/json"
    from_copy(kcache, kcache_api, path, accept)
    anonymous = {"Impersonate-User": "system:anonymous",
                 "Impersonate-Group": "system:unauthenticated"}
    before = hits(kcache)
    kc = kcache_api.get(path, accept, **anonymous)
    up = upstream_api.get(path, accept, **anonymous)
    assert hits(kcache) == before
    assert up.status_code == 403, up.text
    assert (kc.status_code, kc.headers.get("Content-Type"), kc.text) == \
        (up.status_code, up.headers.get("Content-Type"), up.text)
