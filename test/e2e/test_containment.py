"""A failure inside kcache ends only what it belongs to. Failpoints (kube/failpoints.h) make a
reflector, the discovery loop, the Table catalog, the discovery copies, the RocksDB flusher, one
request and one watch throw as a bug would; kcache must keep serving, say which loop is down in
/readyz while it is, count every failure in /metrics, pass reads of a resource whose reflector
failed through to the upstream, and recover each loop by itself."""

import time

import pytest
import requests

from harness import Api, start_private_kcache, stop_private_kcache, wait_until

FAILPOINTS = {
    "reflector configmaps": 5,
    "discovery": 2,
    "table catalog": 1,
    "discovery copies": 1,
    "rocksdb flusher": 1,
    "request /api/v1/namespaces/kube-system/serviceaccounts": 1,
    "watch /api/v1/namespaces/default/configmaps": 1,
}


@pytest.fixture(scope="module")
def failing(cluster):
    spec = ";".join(f"{name}={count}" for name, count in FAILPOINTS.items())
    kcache = start_private_kcache(cluster, "containment", [], env={"KCACHE_FAILPOINTS": spec},
                                  wait_ready=False)

    def listening():
        assert kcache.process.poll() is None, kcache.log_tail()
        try:
            return requests.get(kcache.url + "/livez", verify=False, timeout=2).ok
        except requests.RequestException:
            return False
    wait_until(listening, timeout=30, what="kcache listening")
    yield kcache
    stop_private_kcache(kcache)


def readyz(kcache):
    return requests.get(kcache.url + "/readyz", verify=kcache.ca, timeout=5)


def metric(kcache, name):
    return kcache.metrics().get(name, 0)


def test_a_failing_reflector_is_named_and_its_reads_go_upstream_until_it_recovers(
        cluster, failing):
    api = Api(failing.url, failing.ca, cluster.token("admin"))
    upstream = Api(cluster.url, cluster.ca, cluster.token("admin"))
    seen_down = False
    passed_while_down = False
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert failing.process.poll() is None, failing.log_tail()
        answer = readyz(failing)
        if answer.status_code == 200:
            break
        if "[-]reflector configmaps failed: reason withheld" in answer.text:
            seen_down = True
            before = metric(failing, "kcache_requests_passed_total")
            kc = api.get("/api/v1/namespaces/default/configmaps")
            if readyz(failing).status_code != 200:
                assert kc.status_code == 200
                assert {i["metadata"]["name"] for i in kc.json()["items"]} == {
                    i["metadata"]["name"] for i in upstream.get(
                        "/api/v1/namespaces/default/configmaps").json()["items"]}
                passed_while_down |= metric(failing, "kcache_requests_passed_total") > before
        time.sleep(0.2)
    assert readyz(failing).status_code == 200, readyz(failing).text
    assert seen_down, "/readyz never named the failing reflector"
    assert passed_while_down, "configmaps were not passed through while their reflector was down"
    # Served from the cache again.
    before = metric(failing, "kcache_requests_cached_total")
    assert api.get("/api/v1/namespaces/default/configmaps").status_code == 200
    assert metric(failing, "kcache_requests_cached_total") > before
    values = failing.metrics()
    assert values['kcache_loop_down{loop="reflector configmaps"}'] == 0
    log = failing.log_path.read_text(errors="replace")
    assert "loop reflector configmaps: contained a failure: failpoint reflector configmaps" in log


def test_every_background_loop_recovers_by_itself(cluster, failing):
    wait_until(lambda: readyz(failing).status_code == 200, timeout=90, what="kcache ready")

    def all_up():
        values = failing.metrics()
        return all(values.get(f'kcache_loop_down{{loop="{loop}"}}') == 0
                   for loop in ("discovery", "table catalog", "discovery copies",
                                "rocksdb flusher", "reflector configmaps"))
    # The flusher and the discovery copies fail only once they have work: give them some.
    Api(failing.url, failing.ca, cluster.token("admin")).get("/apis")
    Api(cluster.url, cluster.ca, cluster.token("admin")).request(
        "POST", "/api/v1/namespaces/default/configmaps",
        {"metadata": {"generateName": "containment-"}, "data": {"a": "b"}})
    wait_until(all_up, timeout=60, what="every loop up again")
    log = failing.log_path.read_text(errors="replace")
    for loop in ("discovery", "table catalog", "discovery copies", "rocksdb flusher"):
        assert f"loop {loop}: contained a failure: failpoint {loop}" in log, loop
    assert metric(failing, 'kcache_contained_failures_total{boundary="loop"}') >= 10


def test_a_failing_request_closes_only_its_connection(cluster, failing):
    wait_until(lambda: readyz(failing).status_code == 200, timeout=90, what="kcache ready")
    api = Api(failing.url, failing.ca, cluster.token("admin"))
    path = "/api/v1/namespaces/kube-system/serviceaccounts"
    before = metric(failing, 'kcache_contained_failures_total{boundary="request"}')
    connections = metric(failing, "kcache_connections_active")
    with pytest.raises(requests.ConnectionError):
        api.get(path, **{"Audit-ID": "containment-request"})
    # The failed request's connection was given back.
    assert metric(failing, "kcache_connections_active") == connections
    assert api.get(path).status_code == 200
    assert failing.process.poll() is None
    assert metric(failing, 'kcache_contained_failures_total{boundary="request"}') == before + 1
    assert (f"request Audit-ID containment-request GET {path}: contained a failure"
            in failing.log_path.read_text(errors="replace"))



def test_a_failing_watch_ends_only_itself(cluster, failing):
    wait_until(lambda: readyz(failing).status_code == 200, timeout=90, what="kcache ready")
    api = Api(failing.url, failing.ca, cluster.token("admin"))
    path = "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5"
    watches = metric(failing, "kcache_watches_active")
    # The first watch is cut short: its stream ends without its last chunk.
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for _ in api.get(path, stream=True).iter_lines():
            pass
    assert metric(failing, 'kcache_contained_failures_total{boundary="watch"}') == 1
    # The client watches again, and that watch runs to its timeout.
    events = [line for line in api.get(path, stream=True).iter_lines() if line]
    assert events, "the second watch sent no initial events"
    wait_until(lambda: metric(failing, "kcache_watches_active") == watches, timeout=10,
               what="watch gauge given back")
