"""Who may read what through kcache: every identity gets from kcache exactly the answer
kube-apiserver gives it for the same request, allowed or not.

A kcache of this module's own authenticates clients as kube-apiserver does (client certificates
against the cluster's client CA, bearer tokens by TokenReview, anonymous requests allowed as the
test apiserver allows them) and authorizes cached reads by SubjectAccessReview. The matrix sends
identities x verbs x resources x namespaces both ways and compares status, Status body, list
items and initial watch events. Then: writes refused upstream, impersonation (refused and
allowed), a revoked RoleBinding, and 401 for no credentials when anonymous requests are off.

Identities and RBAC made here (through the upstream, as the cluster admin; removed at the end):
  lister        cert    list pods (and gizmos) in team-a; no get, no watch
  one-pod       cert    get and watch one named pod in team-a (Role with resourceNames)
  gina          cert, O=readers   get/list/watch configmaps everywhere, through the GROUP readers
  impersonator  cert, O=impersonators   impersonate user alice and group team-a (verb
                        impersonate), bound through the group
  deputy        cert    constrained impersonation: act as alice, only to list pods
  revokee       cert    configmaps in team-a until its RoleBinding is deleted
and the cluster's own: admin (token, certificate), alice (token, certificate), bob (token), no
credentials, a bad token, a certificate from a foreign CA and an expired one from the real CA.
A namespaced CRD gizmos.rbac.kcache.io with two objects in team-a and two in team-b."""

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import divergence, start_private_kcache, stop_private_kcache, wait_until
from users import Identity, Pki, send

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")

GROUP = "rbac.kcache.io"
CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
CRD_NAME = f"gizmos.{GROUP}"
NAMESPACES = ("team-a", "team-b")
PREFIX = "rbac-e2e"
AUTHZ_CACHE_TTL = 10  # kcache's --authorization-cache-ttl default
REVOKE_MARGIN = 5
PICKUP_TIMEOUT = 60
ATTEMPTS = 6  # the cluster is live: a cell is compared again before it counts as different
WATCH = "watch=true&resourceVersion=0&timeoutSeconds=1"

RESOURCES = {
    # name: (path prefix, plural)
    "pods": ("/api/v1", "pods"),
    "configmaps": ("/api/v1", "configmaps"),
    "secrets": ("/api/v1", "secrets"),
    "gizmos": (f"/apis/{GROUP}/v1", "gizmos"),
}

GIZMO_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": CRD_NAME},
    "spec": {
        "group": GROUP,
        "scope": "Namespaced",
        "names": {"plural": "gizmos", "singular": "gizmo", "kind": "Gizmo",
                  "listKind": "GizmoList"},
        "versions": [{
            "name": "v1", "served": True, "storage": True,
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                "spec": {"type": "object", "properties": {"owner": {"type": "string"}}}}}},
        }],
    },
}

RBAC = "/apis/rbac.authorization.k8s.io/v1"


def role(name, namespace, rules):
    return (f"{RBAC}/namespaces/{namespace}/roles",
            {"metadata": {"name": name, "namespace": namespace}, "rules": rules})


def role_binding(name, namespace, role_kind, role_name, subject_kind, subject_name):
    return (f"{RBAC}/namespaces/{namespace}/rolebindings",
            {"metadata": {"name": name, "namespace": namespace},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind,
                         "name": role_name},
             "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": subject_kind,
                           "name": subject_name}]})


def cluster_role_binding(name, subject_kind, subject_name):
    return (f"{RBAC}/clusterrolebindings",
            {"metadata": {"name": name},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                         "name": name},
             "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": subject_kind,
                           "name": subject_name}]})


# ---------------------------------------------------------------------------------------------
# Setup


class Env:
    """What the module fixture built: servers, identities, object names."""

    def __init__(self, cluster, kcache, pki):
        self.cluster = cluster
        self.kcache = kcache
        self.pki = pki
        self.admin = Identity("admin", token=cluster.token("admin"))
        self.identities = {}
        self.names = {}  # (resource, namespace) -> sorted object names

    def upstream(self, identity, method, path, body=None, headers=None):
        return send(self.cluster.url, self.cluster.ca, identity, method, path, body, headers)

    def through_kcache(self, identity, method, path, body=None, headers=None):
        return send(self.kcache.url, self.kcache.ca, identity, method, path, body, headers)

    def admin_write(self, method, path, body=None, ok=(200, 201)):
        answer = self.upstream(self.admin, method, path, body)
        assert answer.status in ok, f"{method} {path}: {answer.short()}"
        return answer


def delete_quietly(env, path):
    env.upstream(env.admin, "DELETE", path)


def rbac_objects(one_pod_name):
    ns = "team-a"
    return [
        role(f"{PREFIX}-lister", ns, [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]},
            {"apiGroups": [GROUP], "resources": ["gizmos"], "verbs": ["list"]}]),
        role_binding(f"{PREFIX}-lister", ns, "Role", f"{PREFIX}-lister", "User", "lister"),
        role(f"{PREFIX}-one-pod", ns, [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "watch"],
             "resourceNames": [one_pod_name]}]),
        role_binding(f"{PREFIX}-one-pod", ns, "Role", f"{PREFIX}-one-pod", "User", "one-pod"),
        (f"{RBAC}/clusterroles",
         {"metadata": {"name": f"{PREFIX}-readers"},
          "rules": [{"apiGroups": [""], "resources": ["configmaps"],
                     "verbs": ["get", "list", "watch"]}]}),
        cluster_role_binding(f"{PREFIX}-readers", "Group", "readers"),
        # Impersonation as it has always been: verb impersonate on users and groups.
        (f"{RBAC}/clusterroles",
         {"metadata": {"name": f"{PREFIX}-impersonator"},
          "rules": [{"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"],
                     "resourceNames": ["alice"]},
                    {"apiGroups": [""], "resources": ["groups"], "verbs": ["impersonate"],
                     "resourceNames": ["team-a"]}]}),
        cluster_role_binding(f"{PREFIX}-impersonator", "Group", "impersonators"),
        # Constrained impersonation (kube-apiserver 1.36+, KEP-5284): may act as alice, and
        # only to list pods.
        (f"{RBAC}/clusterroles",
         {"metadata": {"name": f"{PREFIX}-deputy"},
          "rules": [{"apiGroups": ["authentication.k8s.io"], "resources": ["users"],
                     "verbs": ["impersonate:user-info"], "resourceNames": ["alice"]},
                    {"apiGroups": [""], "resources": ["pods"],
                     "verbs": ["impersonate-on:user-info:list"]}]}),
        cluster_role_binding(f"{PREFIX}-deputy", "User", "deputy"),
    ]


def object_path(collection, body):
    return f"{collection}/{body['metadata']['name']}"


def remove_crd(env):
    path = f"{CRDS}/{CRD_NAME}"
    answer = env.upstream(env.admin, "DELETE", path)
    assert answer.status in (200, 202, 404), answer.short()
    wait_until(lambda: env.upstream(env.admin, "GET", path).status == 404,
               timeout=PICKUP_TIMEOUT, what=f"CRD {CRD_NAME} deleted upstream")


def served_from_cache(env, path):
    before = env.kcache.metrics()["kcache_requests_cached_total"]
    status = env.through_kcache(env.admin, "GET", path).status
    return status == 200 and env.kcache.metrics()["kcache_requests_cached_total"] == before + 1


def start_kcache(cluster, *args):
    """A kcache of this module's own (see harness.start_private_kcache)."""
    return start_private_kcache(cluster, "rbac", [
        "--client-ca-file=" + cluster.env["CLIENT_CA_FILE"], "--resources=*,secrets",
        # Certificate users reach the upstream as themselves, vouched for by the front proxy.
        "--proxy-client-cert-file=" + cluster.env["FRONT_PROXY_CLIENT_CERT"],
        "--proxy-client-key-file=" + cluster.env["FRONT_PROXY_CLIENT_KEY"], *args])


@pytest.fixture(scope="module")
def env(cluster):
    kcache = start_kcache(cluster, "--anonymous-auth=true")
    pki = Pki(cluster)
    e = Env(cluster, kcache, pki)
    try:
        set_up(e)
        yield e
    finally:
        # Only the paths matter here, not the pod name inside one Role.
        for collection, body in reversed(rbac_objects(one_pod_name="")):
            delete_quietly(e, object_path(collection, body))
        delete_quietly(e, f"{RBAC}/namespaces/team-a/rolebindings/{PREFIX}-revoke")
        delete_quietly(e, f"{CRDS}/{CRD_NAME}")
        stop_private_kcache(kcache)
        pki.cleanup()


def set_up(e):
    """The CRD, its objects, identities and RBAC."""
    cluster, kcache, pki = e.cluster, e.kcache, e.pki
    # Leftovers of an interrupted run.
    remove_crd(e)
    pods_a = sorted(i["metadata"]["name"] for i in json.loads(
        e.upstream(e.admin, "GET", "/api/v1/namespaces/team-a/pods").text)["items"])
    objects = rbac_objects(one_pod_name=pods_a[0])
    for collection, body in objects:
        delete_quietly(e, object_path(collection, body))

    # The CRD and its objects, created while kcache runs.
    e.admin_write("POST", CRDS, GIZMO_CRD)

    def established():
        doc = json.loads(e.upstream(e.admin, "GET", f"{CRDS}/{CRD_NAME}").text)
        return any(c["type"] == "Established" and c["status"] == "True"
                   for c in (doc.get("status") or {}).get("conditions") or [])
    wait_until(established, timeout=PICKUP_TIMEOUT, what=f"{CRD_NAME} Established")
    gizmos = f"/apis/{GROUP}/v1"
    wait_until(lambda: e.upstream(e.admin, "GET", f"{gizmos}/gizmos").status == 200,
               timeout=PICKUP_TIMEOUT, what="gizmos served upstream")
    for ns in NAMESPACES:
        for n in (1, 2):
            e.admin_write("POST", f"{gizmos}/namespaces/{ns}/gizmos", {
                "apiVersion": f"{GROUP}/v1", "kind": "Gizmo",
                "metadata": {"name": f"gizmo-{n}", "labels": {"n": str(n)}},
                "spec": {"owner": ns}})

    for collection, body in objects:
        e.admin_write("POST", collection, body)

    env_ = cluster.env
    e.identities = {
        "admin-token": e.admin,
        "admin-cert": Identity("admin-cert", cert=(env_["ADMIN_CERT"], env_["ADMIN_KEY"])),
        "alice-token": Identity("alice-token", token=cluster.token("alice")),
        "alice-cert": Identity("alice-cert", cert=(env_["ALICE_CERT"], env_["ALICE_KEY"])),
        "bob-token": Identity("bob-token", token=cluster.token("bob")),
        "lister": Identity("lister", cert=pki.client("lister")),
        "one-pod": Identity("one-pod", cert=pki.client("one-pod")),
        "gina": Identity("gina", cert=pki.client("gina", "readers")),
        "impersonator": Identity("impersonator",
                                 cert=pki.client("impersonator", "impersonators")),
        "deputy": Identity("deputy", cert=pki.client("deputy")),
        "anonymous": Identity("anonymous"),
        "bad-token": Identity("bad-token", token="not-a-token-" + "0" * 36),
        "foreign-cert": Identity("foreign-cert", cert=pki.foreign_client("alice", "team-a")),
        "expired-cert": Identity("expired-cert", cert=pki.expired_client("alice", "team-a")),
    }
    for name in RESOURCES:
        prefix, plural = RESOURCES[name]
        for ns in NAMESPACES:
            items = json.loads(e.upstream(
                e.admin, "GET", f"{prefix}/namespaces/{ns}/{plural}").text)["items"]
            e.names[(name, ns)] = sorted(i["metadata"]["name"] for i in items)
            assert e.names[(name, ns)], f"no {name} in {ns} to read"
    assert e.names[("pods", "team-a")][0] == pods_a[0]

    # The upstream's RBAC has seen the new bindings (its authorizer follows them by watch).
    for who, path in (("lister", "/api/v1/namespaces/team-a/pods"),
                      ("one-pod", f"/api/v1/namespaces/team-a/pods/{pods_a[0]}"),
                      ("gina", "/api/v1/namespaces/team-b/configmaps")):
        wait_until(lambda: e.upstream(e.identities[who], "GET", path).status == 200,
                   timeout=15, what=f"the upstream granting {who} GET {path}")

    # kcache picks the CRD up and serves it from its cache.
    for ns in NAMESPACES:
        path = f"{gizmos}/namespaces/{ns}/gizmos"
        try:
            wait_until(lambda: served_from_cache(e, path), timeout=PICKUP_TIMEOUT, interval=0.2,
                       what=f"kcache serving {path} from its cache")
        except AssertionError as err:
            raise AssertionError(f"{err}\nkcache log tail:\n{kcache.log_tail(30)}") from None
        wait_until(lambda: json.loads(e.through_kcache(e.admin, "GET", path).text)["items"]
                   == json.loads(e.upstream(e.admin, "GET", path).text)["items"],
                   timeout=PICKUP_TIMEOUT, what=f"kcache's {path} matching the upstream's")


# ---------------------------------------------------------------------------------------------
# Comparing answers


def list_view(text):
    """A list as compared: everything but the list's own resourceVersion (the cache's current
    version, which kube-apiserver itself varies between two identical requests)."""
    doc = json.loads(text)
    doc.get("metadata", {}).pop("resourceVersion", None)
    return doc


def watch_events(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def difference(kind, up, kc):
    """Why kcache's answer is not the upstream's, or None when it is."""
    if up.status != kc.status:
        return "status"
    if up.content_type != kc.content_type:
        return f"content type {up.content_type!r} vs {kc.content_type!r}"
    if up.status != 200:
        return None if up.text == kc.text else "Status body"
    try:
        if kind == "list":
            u, k = list_view(up.text), list_view(kc.text)
            return None if u == k else f"list: {divergence(u, k)}"
        if kind == "watch":
            u, k = watch_events(up.text), watch_events(kc.text)
            if u == k:
                return None
            if sorted(map(json.dumps, u)) == sorted(map(json.dumps, k)):
                return "watch events (same set, other order)"
            return f"watch events: {divergence(u, k)}"
    except ValueError as e:
        return f"unparsable body: {e}"
    return None if up.text == kc.text else "object bytes"


def compare(env, identity, method, path, kind, body=None, headers=None, record=None):
    """The same request straight to the upstream, then through kcache (which lags a little),
    again while they differ. Returns (upstream answer, kcache answer, difference or None)."""
    for attempt in range(ATTEMPTS):
        up = env.upstream(identity, method, path, body, headers)
        kc = env.through_kcache(identity, method, path, body, headers)
        if record is not None:
            record.append(kc.status)
        why = difference(kind, up, kc)
        if why is None:
            return up, kc, None
        time.sleep(0.25)
    return up, kc, why


def one_line(text, limit=400):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def table(rows, log_tail):
    lines = [f"{len(rows)} cell(s) where kcache differs from the upstream:"]
    for cell, up, kc, why in rows:
        lines.append(f"- {cell}: {why}")
        lines.append(f"    upstream: {up.status} {one_line(up.text)}")
        lines.append(f"    kcache:   {kc.status} {one_line(kc.text)}")
    lines.append("kcache log tail:")
    lines.append(log_tail)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The matrix


def matrix_cells(env):
    """(identity label, verb, resource, namespace or '*', path, kind) for every cell."""
    cells = []
    for label in env.identities:
        for resource, (prefix, plural) in RESOURCES.items():
            for ns in NAMESPACES:
                names = env.names[(resource, ns)]
                base = f"{prefix}/namespaces/{ns}/{plural}"
                cells.append((label, "get", resource, ns, f"{base}/{names[0]}", "get"))
                if len(names) > 1:
                    cells.append((label, "get-other", resource, ns, f"{base}/{names[1]}", "get"))
                cells.append((label, "get-missing", resource, ns, f"{base}/{PREFIX}-missing",
                              "get"))
                cells.append((label, "list", resource, ns, base, "list"))
                cells.append((label, "watch", resource, ns, f"{base}?{WATCH}", "watch"))
                # One object by a metadata.name field selector: kube-apiserver authorizes
                # these with the name (RBAC resourceNames apply).
                one = f"fieldSelector=metadata.name%3D{names[0]}"
                cells.append((label, "list-one", resource, ns, f"{base}?{one}", "list"))
                cells.append((label, "watch-one", resource, ns, f"{base}?{one}&{WATCH}",
                              "watch"))
            cells.append((label, "list-all", resource, "*", f"{prefix}/{plural}", "list"))
            cells.append((label, "watch-all", resource, "*", f"{prefix}/{plural}?{WATCH}",
                          "watch"))
    return cells


@pytest.fixture(scope="module")
def matrix(env):
    cells = matrix_cells(env)
    kcache_statuses = []
    before = env.kcache.metrics()
    started = time.monotonic()

    def run(cell):
        label, verb, resource, ns, path, kind = cell
        up, kc, why = compare(env, env.identities[label], "GET", path, kind,
                              record=kcache_statuses)
        return cell, up, kc, why

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(run, cells))
    after = env.kcache.metrics()
    return {"results": results, "seconds": time.monotonic() - started,
            "kcache_statuses": kcache_statuses, "before": before, "after": after}


def test_matrix_matches_upstream(env, matrix):
    results = matrix["results"]
    print(f"\n{len(results)} cells in {matrix['seconds']:.1f} s")
    rows = []
    for (label, verb, resource, ns, path, kind), up, kc, why in results:
        if why is not None:
            cell = f"{env.identities[label].describe()} {verb} {resource} ns={ns} GET {path}"
            rows.append((cell, up, kc, why))
    assert not rows, table(rows, env.kcache.log_tail(40))


def test_matrix_has_both_outcomes(env, matrix):
    """The matrix means something: every kind of answer occurs, as the RBAC above implies."""
    seen = {}
    for (label, verb, resource, ns, path, kind), up, kc, why in matrix["results"]:
        seen[(label, verb, resource, ns)] = up.status
    expect = {
        ("admin-cert", "watch-all", "gizmos", "*"): 200,
        ("alice-token", "list", "pods", "team-a"): 200,
        ("alice-cert", "watch", "configmaps", "team-a"): 200,
        ("alice-cert", "list", "pods", "team-b"): 403,
        ("alice-token", "get", "secrets", "team-a"): 403,
        ("bob-token", "get", "pods", "team-b"): 200,
        ("bob-token", "list-all", "pods", "*"): 403,
        ("lister", "list", "pods", "team-a"): 200,
        ("lister", "list", "gizmos", "team-a"): 200,
        ("lister", "watch", "pods", "team-a"): 403,
        ("lister", "get", "pods", "team-a"): 403,
        ("one-pod", "get", "pods", "team-a"): 200,
        ("one-pod", "get-other", "pods", "team-a"): 403,
        ("one-pod", "get-missing", "pods", "team-a"): 403,
        ("one-pod", "list", "pods", "team-a"): 403,
        ("one-pod", "watch", "pods", "team-a"): 403,
        ("one-pod", "list-one", "pods", "team-a"): 403,
        ("one-pod", "watch-one", "pods", "team-a"): 200,
        ("one-pod", "watch-one", "pods", "team-b"): 403,
        ("alice-token", "watch-one", "pods", "team-a"): 200,
        ("impersonator", "list", "pods", "team-a"): 403,
        ("gina", "watch-all", "configmaps", "*"): 200,
        ("gina", "get-missing", "configmaps", "team-b"): 404,
        ("gina", "list", "pods", "team-a"): 403,
        ("anonymous", "list", "pods", "team-a"): 403,
        ("bad-token", "get", "pods", "team-a"): 401,
        ("foreign-cert", "list", "configmaps", "team-a"): 401,
        ("expired-cert", "list", "configmaps", "team-a"): 401,
    }
    got = {cell: seen.get(cell) for cell in expect}
    assert got == expect


def test_matrix_is_served_by_the_cache(matrix):
    """Reads kcache answered itself: none of the matrix went to the upstream as a passed-through
    request, and every 200 and 404 from kcache counted as a cached read."""
    before, after = matrix["before"], matrix["after"]
    passed = after["kcache_requests_passed_total"] - before["kcache_requests_passed_total"]
    cached = after["kcache_requests_cached_total"] - before["kcache_requests_cached_total"]
    served = sum(1 for s in matrix["kcache_statuses"] if s in (200, 404))
    assert passed == 0
    assert cached == served


# ---------------------------------------------------------------------------------------------
# Writes, impersonation, revocation, anonymous requests


def assert_same(env, identity, method, path, kind="get", body=None, headers=None,
                expect_status=None):
    up, kc, why = compare(env, identity, method, path, kind, body, headers)
    if expect_status is not None:
        assert up.status == expect_status, f"upstream: {up.short()}"
    assert why is None, table([(f"{identity.describe()} {method} {path} {headers or ''}",
                                up, kc, why)], env.kcache.log_tail(15))
    return up, kc


@pytest.mark.parametrize("who", ["alice-token", "alice-cert"])
def test_refused_write_reaches_the_client_unchanged(env, who):
    identity = env.identities[who]
    path = "/api/v1/namespaces/team-b/configmaps"
    body = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"{PREFIX}-{who}-write"}, "data": {"k": "v"}}
    try:
        up = env.upstream(identity, "POST", path, body)
        kc = env.through_kcache(identity, "POST", path, body)
        assert up.status == 403, up.short()
        assert (kc.status, kc.content_type, kc.text) == (up.status, up.content_type, up.text), \
            table([(f"{identity.describe()} POST {path}", up, kc, "write refusal")],
                  env.kcache.log_tail(15))
    finally:
        delete_quietly(env, f"{path}/{PREFIX}-{who}-write")


IMPERSONATED_READS = [
    # (path, kind, status when acting as alice with group team-a)
    ("/api/v1/namespaces/team-a/pods", "list", 200),
    ("/api/v1/namespaces/team-b/pods", "list", 403),
    ("/api/v1/namespaces/team-a/configmaps?" + WATCH, "watch", 200),
    ("/api/v1/namespaces/team-b/configmaps?" + WATCH, "watch", 403),
    ("/api/v1/namespaces/team-a/secrets", "list", 403),
    ("POD team-a", "get", 200),
    ("POD team-b", "get", 403),
]


def resolve(env, path):
    if path.startswith("POD "):
        ns = path.split()[1]
        return f"/api/v1/namespaces/{ns}/pods/{env.names[('pods', ns)][0]}"
    return path


@pytest.mark.parametrize("who,user", [("alice-token", "alice"), ("alice-cert", "alice"),
                                      ("lister", "lister")])
@pytest.mark.parametrize("path,kind,status", IMPERSONATED_READS)
def test_impersonation_refused(env, who, user, path, kind, status):
    """Users without any impersonation permission cannot act as bob: refused as upstream
    refuses, in the upstream's words (which, with constrained impersonation, name the first
    impersonation mode that applies, impersonate-on:user-info:<verb>)."""
    up, kc = assert_same(env, env.identities[who], "GET", resolve(env, path), kind,
                         headers={"Impersonate-User": "bob"}, expect_status=403)
    assert f'User \\"{user}\\" cannot impersonate' in up.text


@pytest.mark.parametrize("who", ["admin-token", "admin-cert", "impersonator"])
@pytest.mark.parametrize("path,kind,status", IMPERSONATED_READS)
def test_impersonation_allowed(env, who, path, kind, status):
    """Users allowed to impersonate (the admin; impersonator through verb impersonate on
    users/alice and groups/team-a) acting as alice get alice's answers: her lists, her 403s."""
    up, kc = assert_same(env, env.identities[who], "GET", resolve(env, path), kind,
                         headers={"Impersonate-User": "alice", "Impersonate-Group": "team-a"},
                         expect_status=status)
    if status == 403:
        assert 'User \\"alice\\" cannot' in up.text


@pytest.mark.parametrize("history", ["fresh", "after-legacy-success"])
def test_impersonation_of_a_group_not_granted(env, history):
    """An impersonator (verb impersonate on users/alice and groups/team-a) asking for group
    team-b is refused. kube-apiserver tries each impersonation mode, the one that last succeeded
    for this requestor first, and reports the first refusal: for a requestor with no success yet
    that is constrained user-info mode's, after a legacy success it is legacy mode's. Both
    states, each with a requestor of its own (same group, so same rights)."""
    if history == "fresh":
        name = f"impersonator-{uuid.uuid4().hex[:8]}"
        identity = Identity(name, cert=env.pki.client(name, "impersonators"))
    else:
        name, identity = "impersonator", env.identities["impersonator"]
        done = env.upstream(identity, "GET", "/api/v1/namespaces/team-a/pods",
                            headers={"Impersonate-User": "alice", "Impersonate-Group": "team-a"})
        assert done.status == 200, done.short()
    up, kc = assert_same(env, identity, "GET", "/api/v1/namespaces/team-a/pods", "list",
                         headers={"Impersonate-User": "alice", "Impersonate-Group": "team-b"},
                         expect_status=403)
    assert f'User \\"{name}\\" cannot impersonate' in up.text


@pytest.mark.parametrize("user,path,kind,status,who_is_refused", [
    ("alice", "/api/v1/namespaces/team-a/pods", "list", 200, None),
    ("alice", "/api/v1/namespaces/team-b/pods", "list", 403, "alice"),
    ("alice", "/api/v1/namespaces/team-a/pods?" + WATCH, "watch", 403, "deputy"),
    ("alice", "POD team-a", "get", 403, "deputy"),
    ("alice", "/api/v1/namespaces/team-a/configmaps", "list", 403, "deputy"),
    ("bob", "/api/v1/namespaces/team-b/pods", "list", 403, "deputy"),
])
def test_constrained_impersonation(env, user, path, kind, status, who_is_refused):
    """deputy holds only constrained impersonation rights (impersonate:user-info on users/alice,
    impersonate-on:user-info:list on pods): the upstream lets it list pods as alice and nothing
    else; through kcache the answers are the same."""
    up, kc = assert_same(env, env.identities["deputy"], "GET", resolve(env, path), kind,
                         headers={"Impersonate-User": user}, expect_status=status)
    if who_is_refused:
        assert f'User \\"{who_is_refused}\\" cannot' in up.text


MALFORMED_READS = [
    # (path, upstream status for alice: authorization comes before list options are decoded)
    ("/api/v1/namespaces/team-b/pods?labelSelector=a%20b", 403),
    ("/api/v1/namespaces/team-b/pods?limit=abc", 403),
    ("/api/v1/namespaces/team-b/configmaps?watch=true&timeoutSeconds=1&labelSelector=a%20b", 403),
    ("/api/v1/pods?fieldSelector=foo%3Dbar", 403),
    (f"/apis/{GROUP}/v1/namespaces/team-a/gizmos?fieldSelector=spec.owner%3Dx", 403),
    ("/api/v1/namespaces/team-a/pods?labelSelector=a%20b", 400),
    ("/api/v1/namespaces/team-a/pods?fieldSelector=foo%3Dbar", 400),
]


@pytest.mark.parametrize("who", ["alice-token", "alice-cert", "anonymous"])
@pytest.mark.parametrize("path,status", MALFORMED_READS)
def test_refusal_comes_before_option_errors(env, who, path, status):
    """kube-apiserver authorizes a request before its handler decodes the list options, so a
    user who may not list gets 403 however malformed the query, and only a permitted user
    learns that it is malformed (400)."""
    if who == "anonymous":
        status = 403
    assert_same(env, env.identities[who], "GET", path, "list", expect_status=status)


def test_revoked_permission_is_refused_soon(env):
    """A RoleBinding deleted upstream stops granting reads through kcache within kcache's
    authorization cache TTL (plus a margin), and the refusal is the upstream's 403."""
    revokee = Identity("revokee", cert=env.pki.client("revokee"))
    path = "/api/v1/namespaces/team-a/configmaps"
    binding_collection, binding = role_binding(f"{PREFIX}-revoke", "team-a", "ClusterRole",
                                               f"{PREFIX}-readers", "User", "revokee")
    binding_path = object_path(binding_collection, binding)
    delete_quietly(env, binding_path)
    env.admin_write("POST", binding_collection, binding)
    try:
        wait_until(lambda: env.upstream(revokee, "GET", path).status == 200, timeout=15,
                   what="the upstream granting revokee's read")
        # Not asked through kcache before: no refusal of revokee's is cached there yet.
        assert_same(env, revokee, "GET", path, "list", expect_status=200)
    finally:
        env.admin_write("DELETE", binding_path)
    deleted = time.monotonic()
    wait_until(lambda: env.upstream(revokee, "GET", path).status == 403, timeout=15,
               what="the upstream refusing revokee's read")
    deadline = AUTHZ_CACHE_TTL + REVOKE_MARGIN
    last = None
    while time.monotonic() - deleted < deadline:
        last = env.through_kcache(revokee, "GET", path)
        if last.status == 403:
            break
        time.sleep(0.2)
    elapsed = time.monotonic() - deleted
    assert last.status == 403, (
        f"kcache still answers {last.status} {elapsed:.1f} s after the RoleBinding was deleted"
        f"\nkcache log tail:\n{env.kcache.log_tail(15)}")
    print(f"\nrevocation seen by kcache after {elapsed:.1f} s")
    assert_same(env, revokee, "GET", path, "list", expect_status=403)


def test_no_credentials_without_anonymous_auth(cluster, env):
    """Without --anonymous-auth=true a request with no credentials is 401 Unauthorized (what
    kube-apiserver answers credentials it cannot verify), while this test apiserver, which
    allows anonymous requests, answers 403 for system:anonymous."""
    kcache = start_kcache(cluster)
    try:
        nobody = env.identities["anonymous"]
        path = "/api/v1/namespaces/team-a/pods"
        up = env.upstream(nobody, "GET", path)
        kc = send(kcache.url, kcache.ca, nobody, "GET", path)
        unauthorized = env.upstream(env.identities["bad-token"], "GET", path)
        assert up.status == 403, up.short()
        assert 'User \\"system:anonymous\\" cannot list' in up.text
        assert unauthorized.status == 401, unauthorized.short()
        assert json.loads(unauthorized.text) == {
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "Unauthorized", "reason": "Unauthorized", "code": 401}
        assert (kc.status, kc.content_type, kc.text) == \
            (401, unauthorized.content_type, unauthorized.text), \
            f"kcache: {kc.short()}\nkcache log tail:\n{kcache.log_tail(30)}"
        # Credentials still work there.
        alice = send(kcache.url, kcache.ca, env.identities["alice-cert"], "GET", path)
        assert alice.status == 200, alice.short()
    finally:
        stop_private_kcache(kcache)


@pytest.mark.parametrize("who", ["alice-token", "alice-cert", "anonymous"])
def test_clients_cannot_vouch_for_themselves_with_front_proxy_headers(env, who):
    """X-Remote-* headers are trusted by the upstream only from its front proxy; a client that
    sends them through kcache (which holds a front-proxy certificate) gains nothing."""
    identity = env.identities[who]
    headers = {"X-Remote-User": "system:admin", "X-Remote-Group": "system:masters"}
    for path in ("/api/v1/namespaces/team-b/pods", "/api/v1/namespaces/team-b/configmaps/x",
                 "/apis/apps/v1/namespaces/team-b/deployments"):
        kc = env.through_kcache(identity, "GET", path, headers=headers)
        up = env.upstream(identity, "GET", path)  # the same identity, without the headers
        assert kc.status in (401, 403), f"{who} {path}: {kc.short()}"
        assert (kc.status, kc.text) == (up.status, up.text)
