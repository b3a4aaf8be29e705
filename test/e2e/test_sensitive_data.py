"""Secrets (and anything marked memory-only) never reach kcache's disk: they are served from
memory and are absent from RocksDB, while ordinary objects are persisted."""

import base64
import signal
import uuid
from pathlib import Path

from harness import Api, Kcache, wait_until


def files_contain(directory, needle):
    for path in Path(directory).rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            return True
    return False


def test_secrets_are_served_but_never_written_to_disk(cluster, upstream_api):
    marker_secret = f"secret-{uuid.uuid4().hex}".encode()
    marker_config = f"config-{uuid.uuid4().hex}".encode()
    ns = f"e2e-sensitive-{uuid.uuid4().hex[:6]}"
    assert upstream_api.request("POST", "/api/v1/namespaces",
                                {"metadata": {"name": ns}}).status_code == 201
    kcache = Kcache(cluster, extra_args=["--resources=*,secrets"]).start()
    try:
        api = Api(kcache.url, kcache.ca, cluster.token("admin"))
        upstream_api.request("POST", f"/api/v1/namespaces/{ns}/secrets", {
            "metadata": {"name": "s"}, "type": "Opaque",
            "data": {"v": base64.b64encode(marker_secret).decode()}})
        upstream_api.request("POST", f"/api/v1/namespaces/{ns}/configmaps", {
            "metadata": {"name": "c"}, "data": {"v": marker_config.decode()}})
        before = kcache.metrics()["kcache_requests_cached_total"]
        wait_until(lambda: api.get(f"/api/v1/namespaces/{ns}/secrets/s").status_code == 200,
                   what="kcache serving the secret")
        wait_until(lambda: api.get(f"/api/v1/namespaces/{ns}/configmaps/c").status_code == 200,
                   what="kcache serving the configmap")
        assert kcache.metrics()["kcache_requests_cached_total"] > before
        secret = api.get(f"/api/v1/namespaces/{ns}/secrets/s").json()
        assert base64.b64decode(secret["data"]["v"]) == marker_secret
    finally:
        # Stop it so everything it would write is on disk.
        kcache.kill(signal.SIGTERM)
    rocksdb = kcache.data_dir / "rocksdb"
    assert files_contain(rocksdb, marker_config), "the configmap should be persisted"
    assert not files_contain(rocksdb, marker_secret)
    assert not files_contain(rocksdb, base64.b64encode(marker_secret))
    assert not files_contain(kcache.data_dir, base64.b64encode(marker_secret))
    cluster.kubectl_run("delete", "namespace", ns, "--wait=false", check=False)
