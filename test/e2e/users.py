"""Client identities for the authentication and authorization tests: bearer tokens, client
certificates (from the cluster's client CA, from a foreign CA, expired), no credentials at all,
and one HTTP call that sends a request as any of them to kube-apiserver or to kcache."""

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import requests

from harness import CLUSTER_SCRIPTS

PKI_SH = CLUSTER_SCRIPTS / "pki.sh"


@dataclass(frozen=True)
class Identity:
    """Who a request claims to be. `label` names the row of a result table."""

    label: str
    token: str | None = None
    cert: tuple[str, str] | None = None  # (certificate file, key file)

    def describe(self):
        if self.token:
            return f"{self.label} (token)"
        if self.cert:
            return f"{self.label} (certificate)"
        return f"{self.label} (no credentials)"


@dataclass
class Answer:
    status: int
    content_type: str | None
    text: str
    headers: dict = field(default_factory=dict)

    def short(self, limit=300):
        text = self.text if len(self.text) <= limit else self.text[:limit] + "..."
        return f"{self.status} {text}"


def send(base_url, ca, identity, method, path, body=None, headers=None, timeout=60):
    """One request on a fresh connection (a client certificate is presented in the TLS
    handshake, so connections are never shared between identities)."""
    all_headers = {"Accept": "application/json"}
    if identity.token:
        all_headers["Authorization"] = f"Bearer {identity.token}"
    if body is not None and not isinstance(body, (str, bytes)):
        body = json.dumps(body)
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    # The CA is given explicitly and proxies are switched off, so nothing comes from
    # REQUESTS_CA_BUNDLE, HTTPS_PROXY and friends.
    response = requests.request(method, base_url + path, data=body, headers=all_headers,
                                verify=ca, cert=identity.cert, timeout=timeout,
                                proxies={"http": None, "https": None})
    return Answer(response.status_code, response.headers.get("Content-Type"), response.text,
                  dict(response.headers))


class Pki:
    """Client certificates minted into a private temporary directory (nothing is written into
    the cluster's own directory). Uses test/cluster/pki.sh, which signs with DIR/pki/client-ca."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.dir = Path(tempfile.mkdtemp(prefix="kcache-e2e-rbac-pki-"))
        # The cluster's client CA, seen by pki.sh as this directory's own.
        self.real = self.dir / "real"
        (self.real / "pki").mkdir(parents=True)
        os.symlink(cluster.env["CLIENT_CA_FILE"], self.real / "pki" / "client-ca.crt")
        os.symlink(cluster.env["CLIENT_CA_KEY"], self.real / "pki" / "client-ca.key")
        # A CA the cluster has never heard of, with the same subject as the real one.
        self.foreign = self.dir / "foreign"
        (self.foreign / "pki").mkdir(parents=True)
        subject = subprocess.run(
            ["openssl", "x509", "-in", cluster.env["CLIENT_CA_FILE"], "-noout", "-subject",
             "-nameopt", "RFC2253"], check=True, capture_output=True, text=True).stdout
        cn = subject.strip().split("CN=", 1)[-1].split(",")[0]
        subprocess.run(
            ["openssl", "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-keyout", self.foreign / "pki" / "client-ca.key",
             "-out", self.foreign / "pki" / "client-ca.crt", "-days", "3650", "-subj",
             f"/CN={cn}", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
             "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"],
            check=True, capture_output=True)

    def _pki_sh(self, base, name, groups):
        subprocess.run([PKI_SH, "client", base, name, *groups], check=True, capture_output=True)
        return (str(base / "pki" / f"{name}.crt"), str(base / "pki" / f"{name}.key"))

    def client(self, name, *groups):
        """A valid certificate for user `name` in `groups`, from the cluster's client CA."""
        return self._pki_sh(self.real, name, groups)

    def foreign_client(self, name, *groups):
        """A certificate for `name` from a CA the cluster does not trust."""
        return self._pki_sh(self.foreign, name, groups)

    def expired_client(self, name, *groups):
        """A certificate from the cluster's client CA whose validity ended in 2020 (openssl ca
        takes explicit start and end dates; openssl x509 -days cannot go into the past)."""
        work = self.dir / "expired"
        work.mkdir(exist_ok=True)
        (work / "index.txt").write_text("")
        (work / "serial").write_text(os.urandom(8).hex() + "\n")
        config = work / "ca.cnf"
        config.write_text(f"""[ca]
default_ca = ca_default
[ca_default]
database = {work}/index.txt
new_certs_dir = {work}
serial = {work}/serial
default_md = sha256
policy = policy_any
unique_subject = no
[policy_any]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
""")
        subject = f"/CN={name}" + "".join(f"/O={g}" for g in groups)
        key, csr, crt = work / f"{name}.key", work / f"{name}.csr", work / f"{name}.crt"
        subprocess.run(
            ["openssl", "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-keyout", key, "-out", csr, "-subj", subject,
             "-config", config], check=True, capture_output=True)
        subprocess.run(
            ["openssl", "ca", "-batch", "-config", config, "-cert",
             self.cluster.env["CLIENT_CA_FILE"], "-keyfile", self.cluster.env["CLIENT_CA_KEY"],
             "-in", csr, "-out", crt, "-startdate", "20200101000000Z", "-enddate",
             "20200102000000Z", "-extensions", "client", "-notext", "-preserveDN"],
            check=True, capture_output=True)
        return (str(crt), str(key))

    def cleanup(self):
        subprocess.run(["rm", "-rf", str(self.dir)], check=False)
