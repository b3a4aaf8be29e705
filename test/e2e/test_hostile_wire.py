"""Hostile and broken clients at the wire (hostile_cases.py): malformed and oversized requests,
framing that smuggles, targets that are not paths, TLS that is not TLS, connections cut at every
stage, slow readers. Each case goes to kcache and to kube-apiserver, without credentials and
with a token; kcache must answer with the upstream's status codes, or with the stricter answer
documented below (and in README "Security"), and after every case be alive and answer a normal
request at once. The kcache under test allows anonymous requests, as kube-apiserver does, so
both judge a request without credentials alike."""

import time

import pytest
import requests

from harness import Api, start_private_kcache, stop_private_kcache
from hostile_cases import CASES

# Where kcache answers otherwise than kube-apiserver on purpose (README "Security"):
# (case, credentials) -> (kube-apiserver's outcome, kcache's outcome, why).
LONG_FIELD = "a header name or value longer than 65,533 bytes (Beast's limit) gets 431"
WHOLE_BODY_FIRST = ("kcache reads and checks a request's whole body before anything else; "
                    "kube-apiserver authorizes first and meets the body later, if at all")
STRICTER = {
    **{(name, credentials): ([200], [431], LONG_FIELD)
       for name in ("value_of_65534_bytes", "value_of_70000_bytes", "value_of_1mib",
                    "name_of_70000_bytes")
       for credentials in ("none", "token")},
    **{("bare_lf_line_ends", credentials): ([200], [400], "lines must end with CRLF")
       for credentials in ("none", "token")},
    **{("content_length_and_chunked", credentials): (
        upstream, [400], "a body framed both ways is refused, not read by its chunks")
       for credentials, upstream in (("none", [403]), ("token", [422]))},
    **{(name, credentials): (upstream, [400], WHOLE_BODY_FIRST)
       for name in ("bad_chunk_size", "chunk_size_overflow", "chunk_without_crlf")
       for credentials, upstream in (("none", [403]), ("token", [500]))},
    **{(name, "none"): ([403], [413], WHOLE_BODY_FIRST)
       for name in ("body_over_3mib", "chunked_body_over_3mib")},
}


@pytest.fixture(scope="module")
def target(cluster):
    kcache = start_private_kcache(cluster, "hostile-wire", ["--anonymous-auth=true"])
    yield kcache
    stop_private_kcache(kcache)


@pytest.fixture(scope="module")
def baseline(target):
    """kcache's gauges before any case: every case must give back what it took."""
    time.sleep(1)
    return gauges(target)


def gauges(kcache):
    values = kcache.metrics()
    return {name: values[name] for name in ("kcache_connections_active", "kcache_watches_active")}


def assert_serving(kcache, token):
    assert kcache.process.poll() is None, kcache.log_tail()
    started = time.monotonic()
    response = Api(kcache.url, kcache.ca, token).get("/api/v1/namespaces/default", timeout=5)
    assert response.status_code == 200, response.text[:300]
    assert time.monotonic() - started < 2, "kcache answered a normal request slowly"


@pytest.mark.parametrize("credentials", ["none", "token"])
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_case(cluster, target, baseline, name, credentials):
    token = cluster.token("admin") if credentials == "token" else None
    case = CASES[name]
    upstream = case(cluster.url, cluster.ca, token)
    answered = case(target.url, target.ca, token)
    if (name, credentials) in STRICTER:
        upstream_expected, kcache_expected, why = STRICTER[(name, credentials)]
        assert upstream == upstream_expected, f"kube-apiserver now answers {upstream}"
        assert answered == kcache_expected, f"{why}: kcache answered {answered}"
    else:
        assert answered == upstream, f"kube-apiserver: {upstream}, kcache: {answered}"
    assert_serving(target, cluster.token("admin"))


def test_every_case_gave_back_its_connections_and_watches(target, baseline):
    """Run after the cases: the gauges are back where they were (a connection or watch that
    ended on any path released what it held), and no failure needed containing."""
    def settled():
        return gauges(target) == baseline
    deadline = time.monotonic() + 30
    while not settled() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert gauges(target) == baseline
    values = target.metrics()
    contained = {name: value for name, value in values.items()
                 if name.startswith("kcache_contained_failures_total") and value}
    assert contained == {}, target.log_tail()
    assert "contained a failure" not in target.log_path.read_text(errors="replace")


def test_the_reported_request_no_longer_ends_kcache(cluster, kcache):
    """The request from the report, against kcache with its default settings (no anonymous
    requests): one 70,000-byte header value, no credentials."""
    answered = CASES["value_of_70000_bytes"](kcache.url, kcache.ca, None)
    assert answered == [431]
    assert kcache.process.poll() is None, kcache.log_tail()
    assert requests.get(kcache.url + "/readyz", verify=kcache.ca, timeout=5).status_code == 200
