"""Transport security: the serving certificate is replaced without a restart when its files
change, and the upstream's certificate is verified (CA and name) unless kcache is told not to."""

import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import base64
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from harness import Api, Kcache, wait_until


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], check=True, cwd=cwd, capture_output=True)


def make_ca(directory, name):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-days", "30", "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.crt",
            cwd=directory)


def make_serving_cert(directory, ca, name, serial):
    Path(directory, "ext.cnf").write_text(
        "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
            f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=directory)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
            "-set_serial", str(serial), "-days", "30", "-extfile", "ext.cnf", "-out", f"{name}.crt",
            cwd=directory)


def served_serial(url, ca):
    host, port = url.removeprefix("https://").split(":")
    context = ssl.create_default_context(cafile=ca)
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.getpeercert()["serialNumber"]


def test_serving_certificate_is_reloaded_when_its_files_change(cluster):
    directory = tempfile.mkdtemp(prefix="kcache-e2e-tls-")
    make_ca(directory, "ca")
    make_serving_cert(directory, "ca", "first", 1001)
    make_serving_cert(directory, "ca", "second", 2002)
    cert, key = Path(directory, "serving.crt"), Path(directory, "serving.key")
    cert.write_bytes(Path(directory, "first.crt").read_bytes())
    key.write_bytes(Path(directory, "first.key").read_bytes())
    kcache = Kcache(cluster, extra_args=[f"--tls-cert-file={cert}", f"--tls-private-key-file={key}"])
    kcache.start()
    try:
        ca = str(Path(directory, "ca.crt"))
        assert int(served_serial(kcache.url, ca), 16) == 1001
        # Rotate: key first, then certificate, as a cert manager would.
        key.write_bytes(Path(directory, "second.key").read_bytes())
        cert.write_bytes(Path(directory, "second.crt").read_bytes())
        wait_until(lambda: int(served_serial(kcache.url, ca), 16) == 2002, timeout=30,
                   interval=0.5, what="the new certificate being served")
        api = Api(kcache.url, ca, cluster.token("admin"))
        assert api.get("/api/v1/namespaces").status_code == 200
        assert kcache.process.poll() is None
    finally:
        kcache.stop()


def kubeconfig_variant(cluster, directory, **cluster_fields):
    config = yaml.safe_load(Path(cluster.kubeconfig()).read_text())
    for entry in config["clusters"]:
        entry["cluster"].update(cluster_fields)
        for key in [k for k, v in cluster_fields.items() if v is None]:
            entry["cluster"].pop(key)
    path = Path(directory, f"variant-{len(list(Path(directory).iterdir()))}.kubeconfig")
    path.write_text(yaml.safe_dump(config))
    return str(path)


def start_with_kubeconfig(cluster, kubeconfig, *args):
    # A later --kubeconfig wins over the cluster's own that the harness passes first.
    kcache = Kcache(cluster, extra_args=[f"--kubeconfig={kubeconfig}", *args])
    return kcache.start(wait_ready=False)


def ready_within(kcache, seconds):
    try:
        kcache.wait_ready(timeout=seconds)
        return True
    except AssertionError:
        return False


@pytest.fixture(scope="module")
def foreign_ca():
    directory = tempfile.mkdtemp(prefix="kcache-e2e-foreign-")
    make_ca(directory, "foreign")
    return directory


def assert_upstream_refused(cluster, kubeconfig):
    """kcache started on `kubeconfig` never gets ready: it refuses the upstream's certificate."""
    kcache = start_with_kubeconfig(cluster, kubeconfig)
    try:
        assert not ready_within(kcache, 8)
        assert "certificate verify failed" in kcache.log_tail(200)
    finally:
        kcache.stop()


def test_upstream_with_a_foreign_ca_is_refused(cluster, foreign_ca):
    ca_data = base64.b64encode(Path(foreign_ca, "foreign.crt").read_bytes()).decode()
    kubeconfig = kubeconfig_variant(cluster, foreign_ca, **{"certificate-authority-data": ca_data,
                                                            "certificate-authority": None})
    assert_upstream_refused(cluster, kubeconfig)


def test_upstream_name_is_verified(cluster, foreign_ca):
    kubeconfig = kubeconfig_variant(cluster, foreign_ca, **{"tls-server-name": "not-the-apiserver.example"})
    assert_upstream_refused(cluster, kubeconfig)


def test_verification_is_skipped_only_when_asked(cluster, foreign_ca):
    ca_data = base64.b64encode(Path(foreign_ca, "foreign.crt").read_bytes()).decode()
    kubeconfig = kubeconfig_variant(cluster, foreign_ca, **{"certificate-authority-data": ca_data,
                                                            "certificate-authority": None})
    kcache = start_with_kubeconfig(cluster, kubeconfig, "--insecure-skip-tls-verify")
    try:
        assert ready_within(kcache, 60)
    finally:
        kcache.stop()


def test_reviews_survive_the_upstream_closing_idle_connections(cluster):
    """kube-apiserver closes connections idle for 90 s. However many of kcache's pooled
    connections for TokenReviews and SubjectAccessReviews idled that long, the next reviews
    must be made on fresh ones, not refused (once seen as a 403 after a quiet spell)."""
    kcache = Kcache(cluster, extra_args=["--workers=1", "--authorization-cache-ttl=1"]).start()
    token = cluster.token("admin")

    def read(namespace):
        # A new session each time: a new connection, and a review of its own (namespaces differ).
        return Api(kcache.url, kcache.ca, token).get(
            f"/api/v1/namespaces/{namespace}/configmaps?limit=1").status_code

    try:
        # Concurrent reviews open several connections in the one worker's pool.
        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(read, [f"idle-{i}" for i in range(8)])) == [200] * 8
        time.sleep(95)
        assert [read(f"after-idle-{i}") for i in range(3)] == [200] * 3
    finally:
        kcache.stop()
