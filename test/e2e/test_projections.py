"""Projections (docs/projections.md) through a kcache of this module's own, started with
`--config` and `--config-reload-interval=1`: every answer is checked against the same projection
computed here, independently, from the full objects the UPSTREAM kube-apiserver serves.

The reference implementation below follows the document's rules (field paths, sparse JSON copy,
protobuf Fields, label and annotation policies, ad-hoc parameters). Lists are compared with the
upstream's list at exactly the resourceVersion kcache answered at (resourceVersionMatch=Exact);
gets are compared once kcache and the upstream hold the same version of the object.

Made here (through the upstream, removed at the end): namespace proj-e2e-XXXXXX with pods
(Running, Pending, with and without ports, init containers, a securityContext, an owner),
configmaps and a service; the CRD nullables.projtest.kcache.io whose objects hold nulls, empty
arrays and arrays of non-objects; short-lived namespaces for the watch tests.

The reference and the client's stream parsers are also checked on their own (no cluster)."""

import copy
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from churn import Churn
from harness import (KCACHE_BINARY, ROOT, Api, divergence, free_port, start_private_kcache,
                     stop_private_kcache, wait_until)

sys.path.insert(0, str(ROOT / "projections" / "python"))
import kcache_projections as kp  # noqa: E402

API = "/apis/projections.kcache.io/v1"
PROTOBUF = "application/vnd.kcache.projection+protobuf"
PROTOBUF_TYPES = (PROTOBUF, "application/x-protobuf", "application/protobuf")
ENCODINGS = ("json", "protobuf")
ACCEPT = {"json": "application/json", "protobuf": PROTOBUF}
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
GROUP = "projtest.kcache.io"
CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
CRD_NAME = f"nullables.{GROUP}"
ATTEMPTS = 8
CLI = ROOT / "projections" / "python" / "kcache-projection"

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


# =============================================================================================
# The reference: docs/projections.md, written out independently of kcache


MISSING = object()


def segments(path):
    """'spec.containers[*].image' -> [('spec', False), ('containers', True), ('image', False)]"""
    out = []
    for part in path.split("."):
        out.append((part[:-3], True) if part.endswith("[*]") else (part, False))
    return out


def glob_match(pattern, key):
    """Key patterns: exact, or with `*` standing for any run of characters."""
    regex = "".join(".*" if c == "*" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, key, re.S) is not None


def key_policy(spec, annotations):
    spec = spec or {}
    return {"include": spec.get("include", not annotations),
            "keep": list(spec.get("keep", ["*"])),
            "drop": list(spec.get("drop", [])),
            "max": int(spec.get("maxValueBytes", 0))}


def keep_values(values, policy, annotations):
    """(the kept values, how many were dropped for their size)"""
    if not policy["include"]:
        return {}, 0
    kept, dropped = {}, 0
    for key, value in (values or {}).items():
        if annotations and key == LAST_APPLIED:
            wanted = LAST_APPLIED in policy["keep"]  # only when named exactly, never by a glob
        else:
            wanted = any(glob_match(p, key) for p in policy["keep"])
        if not wanted or any(glob_match(p, key) for p in policy["drop"]):
            continue
        if policy["max"] and len(value.encode("utf-8")) > policy["max"]:
            dropped += 1
            continue
        kept[key] = value
    return kept, dropped


def sparse(value, segs):
    """The JSON form of one path: a sparse copy of `value`, or MISSING."""
    if not segs:
        return copy.deepcopy(value)
    (name, star), rest = segs[0], segs[1:]
    if not isinstance(value, dict) or name not in value:
        return MISSING
    child = value[name]
    if not star:
        got = sparse(child, rest)
        return MISSING if got is MISSING else {name: got}
    if not isinstance(child, list):
        return MISSING
    if not rest:  # `name[*]` at the end of a path: not used by these tests
        return {name: copy.deepcopy(child)}
    elements = []
    for element in child:
        if not isinstance(element, dict):
            elements.append(None)
        else:
            got = sparse(element, rest)
            elements.append({} if got is MISSING else got)
    return {name: elements}


def field_value(value, segs):
    """The protobuf form of one path: the value a Field carries, or MISSING."""
    if not segs:
        return value
    (name, star), rest = segs[0], segs[1:]
    if not isinstance(value, dict) or name not in value:
        return MISSING
    child = value[name]
    if not star:
        return field_value(child, rest)
    if not isinstance(child, list):
        return MISSING
    out = []
    for element in child:
        got = field_value(element, rest)
        out.append(None if got is MISSING else got)
    return out


def contains(outer, inner):
    """Whether path `outer` contains path `inner` (e.g. status and status.phase, or
    spec.containers and spec.containers[*].image)."""
    a, b = segments(outer), segments(inner)
    if outer == inner or len(a) > len(b):
        return False
    for i, (name, star) in enumerate(a):
        other_name, other_star = b[i]
        if name != other_name:
            return False
        last = i == len(a) - 1
        if star != other_star and not (last and not star):
            return False
    return True


def deep_merge(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for key, value in b.items():
            out[key] = deep_merge(out[key], value) if key in out else value
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [deep_merge(x, y) for x, y in zip(a, b)]
    if a == b:
        return a
    raise AssertionError(f"reference: cannot merge {a!r} and {b!r}")


class Projection:
    """One projection's definition (as in the YAML file), with the ad-hoc parameters of one
    request applied."""

    def __init__(self, definition, params=None):
        self.definition = definition
        params = dict(params or {})
        self.fields = list(definition.get("fields", []))
        self.labels = key_policy(definition.get("labels"), annotations=False)
        self.annotations = key_policy(definition.get("annotations"), annotations=True)
        split = lambda v: [p for p in v.split(",") if p]
        if "fields" in params:
            self.fields = split(params["fields"])
        if "labels" in params:
            self.labels.update(include=True, keep=split(params["labels"]))
        if "annotations" in params:
            self.annotations.update(include=True, keep=split(params["annotations"]))
        if "maxValueBytes" in params:
            self.labels["max"] = self.annotations["max"] = int(params["maxValueBytes"])

    def kept(self, obj):
        meta = obj.get("metadata") or {}
        labels, label_drops = keep_values(meta.get("labels"), self.labels, False)
        annotations, annotation_drops = keep_values(meta.get("annotations"), self.annotations,
                                                    True)
        return labels, annotations, label_drops, annotation_drops

    def json(self, obj):
        meta = obj["metadata"]
        labels, annotations, _, _ = self.kept(obj)
        out_meta = {"name": meta["name"], "uid": meta["uid"],
                    "resourceVersion": meta["resourceVersion"]}
        if meta.get("namespace"):
            out_meta["namespace"] = meta["namespace"]
        if labels:
            out_meta["labels"] = labels
        if annotations:
            out_meta["annotations"] = annotations
        doc = {"metadata": out_meta}
        paths = list(dict.fromkeys(self.fields))
        for path in paths:
            if any(contains(other, path) for other in paths if other != path):
                continue  # the larger path wins
            got = sparse(obj, segments(path))
            if got is not MISSING:
                doc = deep_merge(doc, got)
        return doc

    def proto(self, obj):
        meta = obj["metadata"]
        labels, annotations, _, _ = self.kept(obj)
        fields = []
        for path in self.fields:
            got = field_value(obj, segments(path))
            if got is not MISSING:
                fields.append([path, got])
        return {"namespace": meta.get("namespace", ""), "name": meta["name"],
                "uid": meta["uid"], "resource_version": meta["resourceVersion"],
                "labels": labels, "annotations": annotations, "fields": fields}

    def render(self, obj, encoding):
        return self.json(obj) if encoding == "json" else self.proto(obj)

    def view(self, obj):
        """The projected view a watch compares: everything but resourceVersion."""
        doc = self.json(obj)
        doc["metadata"].pop("resourceVersion")
        return doc


# =============================================================================================
# The reference and the client's parsers on their own (no cluster)


SAMPLE_POD = {
    "metadata": {"namespace": "team-a", "name": "web-1", "uid": "u-1", "resourceVersion": "4711",
                 "labels": {"app": "web", "app.kubernetes.io/name": "web", "x": "y",
                            "a.internal.example.com/z": "1"},
                 "annotations": {LAST_APPLIED: "{}", "example.com/owner": "me",
                                 "note": "é" * 5}},
    "spec": {"nodeName": "node-3",
             "containers": [{"name": "a", "image": "nginx:1.27",
                             "ports": [{"containerPort": 80}, {"name": "x"}]},
                            {"name": "b", "image": "envoy"}, "not-an-object"],
             "empty": [], "nothing": None},
    "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]},
}


def test_reference_json_form_follows_the_documented_rules():
    p = Projection({"fields": ["spec.nodeName", "status.phase", "spec.containers[*].image"],
                    "labels": {"keep": ["app", "app.kubernetes.io/*"],
                               "drop": ["*.internal.example.com/*"]}})
    assert p.json(SAMPLE_POD) == {
        "metadata": {"namespace": "team-a", "name": "web-1", "uid": "u-1",
                     "resourceVersion": "4711",
                     "labels": {"app": "web", "app.kubernetes.io/name": "web"}},
        "spec": {"nodeName": "node-3",
                 "containers": [{"image": "nginx:1.27"}, {"image": "envoy"}, None]},
        "status": {"phase": "Running"}}
    shapes = Projection({"fields": [
        "status", "status.phase", "spec.containers[*].ports[*].containerPort",
        "spec.nothing", "spec.missing", "spec.nodeName.deeper", "spec.empty[*].x",
        "spec.nodeName[*].x", "spec.containers[*].image.deeper"], "labels": {"include": False}})
    assert shapes.json(SAMPLE_POD) == {
        "metadata": {"namespace": "team-a", "name": "web-1", "uid": "u-1",
                     "resourceVersion": "4711"},
        "status": SAMPLE_POD["status"],
        "spec": {"containers": [{"ports": [{"containerPort": 80}, {}]}, {}, None],
                 "nothing": None, "empty": []}}


def test_reference_protobuf_form_follows_the_documented_rules():
    p = Projection({"fields": ["spec.containers[*].ports[*].containerPort", "status",
                               "status.phase", "spec.nothing", "spec.missing",
                               "spec.empty[*].x", "spec.containers[*].image.deeper"],
                    "annotations": {"include": True}})
    assert p.proto(SAMPLE_POD) == {
        "namespace": "team-a", "name": "web-1", "uid": "u-1", "resource_version": "4711",
        "labels": SAMPLE_POD["metadata"]["labels"],
        "annotations": {"example.com/owner": "me", "note": "é" * 5},  # not last-applied
        "fields": [["spec.containers[*].ports[*].containerPort", [[80, None], None, None]],
                   ["status", SAMPLE_POD["status"]], ["status.phase", "Running"],
                   ["spec.nothing", None], ["spec.empty[*].x", []],
                   ["spec.containers[*].image.deeper", [None, None, None]]]}


def test_reference_key_policies():
    values = {LAST_APPLIED: "{}", "a": "1234", "b": "é" * 3, "c/d": "x"}
    policy = key_policy({"include": True, "keep": ["*"], "maxValueBytes": 4}, True)
    assert keep_values(values, policy, True) == ({"a": "1234", "c/d": "x"}, 1)
    policy = key_policy({"include": True, "keep": [LAST_APPLIED, "c/*"], "drop": ["*/d"]}, True)
    assert keep_values(values, policy, True) == ({LAST_APPLIED: "{}"}, 0)
    assert keep_values(values, key_policy({}, True), True) == ({}, 0)  # annotations: off
    assert keep_values(values, key_policy({}, False), False)[0] == values  # labels: all
    # Ad-hoc parameters replace, drop lists stay, the size limit applies to both kinds.
    p = Projection({"labels": {"keep": ["a"], "drop": ["b"], "maxValueBytes": 1},
                    "fields": ["x"]}, {"labels": "*", "maxValueBytes": "0", "fields": ""})
    assert (p.fields, p.labels["keep"], p.labels["drop"], p.labels["max"],
            p.annotations["max"]) == ([], ["*"], ["b"], 0, 0)


def test_client_frame_parser_reassembles_split_frames():
    messages = [b"", b"a", b"x" * 70000, bytes(range(256))]
    stream = b"".join(len(m).to_bytes(4, "big") + m for m in messages)
    for size in (1, 3, 4, 5, 4096, len(stream)):
        chunks = [stream[i:i + size] for i in range(0, len(stream), size)]
        assert list(kp.iter_frames(chunks)) == messages
    with pytest.raises(ValueError):
        list(kp.iter_frames([stream[:-1]]))
    with pytest.raises(ValueError):
        list(kp.iter_frames([(1 << 31).to_bytes(4, "big")]))
    assert list(kp.iter_lines([b'{"a":1}\n{"b"', b':2}\n\n', b'{"c":3}'])) == [
        b'{"a":1}', b'{"b":2}', b'{"c":3}']


def test_client_reads_fields_the_same_way_from_both_encodings():
    pb2 = kp.projection_pb2()
    p = Projection({"fields": ["spec.containers[*].ports[*].containerPort", "status",
                               "status.phase", "spec.nothing", "spec.empty[*].x"]})
    reference = p.proto(SAMPLE_POD)
    message = pb2.ProjectedObject(
        namespace="team-a", name="web-1", uid="u-1", resource_version="4711",
        labels=reference["labels"],
        fields=[pb2.Field(path=path, json=json.dumps(value)) for path, value in
                reference["fields"]])
    event = pb2.WatchEvent(type="MODIFIED", object=message)
    from_pb = kp.decode_event(event.SerializeToString(), "protobuf")
    from_json = kp.decode_event(json.dumps({"type": "MODIFIED", "object": p.json(SAMPLE_POD)}),
                                "json", p.fields)
    assert from_pb.type == from_json.type == "MODIFIED"
    assert from_pb.object.fields == from_json.object.fields == dict(reference["fields"])
    assert from_pb.object.key == from_json.object.key == "team-a/web-1"
    bookmark = pb2.WatchEvent(type="BOOKMARK", initial_events_end=True,
                              object=pb2.ProjectedObject(resource_version="9"))
    got = kp.decode_event(bookmark.SerializeToString(), "protobuf")
    assert (got.type, got.resource_version, got.initial_events_end, got.object) == (
        "BOOKMARK", "9", True, None)
    got = kp.decode_event(json.dumps({"type": "BOOKMARK", "object": {"metadata": {
        "resourceVersion": "9", "annotations": {"k8s.io/initial-events-end": "true"}}}}), "json")
    assert (got.type, got.resource_version, got.initial_events_end) == ("BOOKMARK", "9", True)


# =============================================================================================
# The cluster side: objects, configuration, kcache


RESOURCES = {
    # projection resource name -> (upstream prefix, plural, namespaced)
    "pods": ("/api/v1", "pods", True),
    "configmaps": ("/api/v1", "configmaps", True),
    "services": ("/api/v1", "services", True),
    "nodes": ("/api/v1", "nodes", False),
    f"nullables.{GROUP}": (f"/apis/{GROUP}/v1", "nullables", True),
}

PROJECTIONS = [
    {"name": "pod-placement", "group": "", "version": "v1", "resource": "pods",
     "fields": ["spec.nodeName", "status.phase", "status.conditions",
                "spec.containers[*].image"],
     "labels": {"include": True, "keep": ["app", "app.kubernetes.io/*"],
                "drop": ["*.internal.example.com/*"], "maxValueBytes": 12},
     "annotations": {"include": True, "keep": ["example.com/owner"]}},
    {"name": "pod-shapes", "resource": "pods",
     "fields": ["status", "status.phase", "spec.securityContext",
                "spec.containers[*].ports[*].containerPort", "spec.containers[*].name",
                "spec.initContainers[*].image", "spec.noSuchField", "spec.nodeName.deeper",
                "spec.containers[*].image.deeper", "metadata.ownerReferences",
                "metadata.deletionTimestamp", "spec.tolerations[*].operator"],
     "labels": {"include": False},
     "annotations": {"include": True}},  # keep defaults to *, which never names last-applied
    {"name": "pod-applied", "resource": "pods", "fields": ["metadata.managedFields"],
     "labels": {"keep": ["*"], "drop": ["team", "tier"]},
     "annotations": {"include": True, "keep": [LAST_APPLIED, "note/*", "example.com/*"],
                     "drop": ["example.com/big"]}},
    {"name": "nullables", "group": GROUP, "resource": "nullables",
     "fields": ["spec.note", "spec.items[*].value", "spec.obj", "spec.obj.inner",
                "spec.mixed[*].v", "spec.empty[*].x", "spec.absent", "spec.note.deeper"],
     "annotations": {"include": True, "keep": ["*"], "maxValueBytes": 8}},
    {"name": "node-view", "resource": "nodes",
     "fields": ["spec.unschedulable", "spec.taints", "status.conditions[*].type",
                "status.capacity"],
     "labels": {"keep": ["kubernetes.io/*", "topology.kubernetes.io/*",
                         "node.kubernetes.io/*"]}},
    # The name of a resource: hides that resource's default projection.
    {"name": "services", "resource": "services", "fields": ["spec.type", "spec.ports[*].port"],
     "labels": {"include": False}},
    {"name": "cm-sized", "resource": "configmaps",
     "labels": {"maxValueBytes": 10},
     "annotations": {"include": True, "maxValueBytes": 10}},
    # One projection per watch test and encoding, so that their counters are theirs alone.
    *[{"name": f"cm-watch-{enc}", "resource": "configmaps", "fields": ["data.a"],
       "labels": {"keep": ["tier"]}, "annotations": {"include": True, "keep": ["keep/*"]}}
      for enc in ENCODINGS],
    {"name": "cm-client", "resource": "configmaps", "fields": ["data.a", "data.b"],
     "labels": {"keep": ["tier"]}},
]
DEFINITIONS = {d["name"]: d for d in PROJECTIONS}


def definition(projection):
    """A named projection's definition, else the resource's default one."""
    if projection in DEFINITIONS:
        return DEFINITIONS[projection]
    return {"name": projection}


def resource_of(projection):
    d = definition(projection)
    if "resource" in d:
        return d["resource"] + (f".{d['group']}" if d.get("group") else "")
    return projection


NULLABLE_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": CRD_NAME},
    "spec": {
        "group": GROUP, "scope": "Namespaced",
        "names": {"plural": "nullables", "singular": "nullable", "kind": "Nullable",
                  "listKind": "NullableList"},
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
            "openAPIV3Schema": {"type": "object", "properties": {"spec": {
                "type": "object", "properties": {
                    "note": {"type": "string", "nullable": True},
                    "items": {"type": "array", "items": {"type": "object", "properties": {
                        "value": {"type": "string", "nullable": True}}}},
                    "obj": {"type": "object", "properties": {
                        "inner": {"type": "string", "nullable": True},
                        "other": {"type": "integer"}}},
                    "mixed": {"x-kubernetes-preserve-unknown-fields": True, "nullable": True},
                    "empty": {"type": "array", "items": {"type": "object", "properties": {
                        "x": {"type": "string"}}}},
                }}}}}}],
    },
}


def pod_body(name, *, node=None, labels=None, annotations=None, containers=None, extra=None,
             owner=None):
    meta = {"name": name, "labels": labels or {}, "annotations": annotations or {}}
    if owner:
        meta["ownerReferences"] = [owner]
    spec = {"automountServiceAccountToken": False, "terminationGracePeriodSeconds": 1,
            "tolerations": [{"operator": "Exists"}],
            "containers": containers or [{"name": "app", "image": "registry.local/app:1"}]}
    if node:
        spec["nodeName"] = node
    spec.update(extra or {})
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def module_objects(owner_uid):
    """(collection path suffix, body) of the objects the module makes in its namespace."""
    owner = {"apiVersion": "v1", "kind": "ConfigMap", "name": "cm-owner", "uid": owner_uid}
    web = pod_body(
        "p-web", node="kwok-node-1", owner=owner,
        labels={"app": "web", "app.kubernetes.io/name": "web-frontend",  # 12 bytes: kept
                "app.kubernetes.io/part-of": "shop-frontend",  # 13 bytes: dropped
                "team": "a", "tier": "front", "secret.internal.example.com/flag": "x"},
        annotations={"example.com/owner": "alice", "example.com/big": "x" * 5000,
                     "note/utf8": "é" * 4, "note/utf8-long": "é" * 5, "note/ascii": "123456789",
                     "other/thing": "1",
                     LAST_APPLIED: json.dumps({"apiVersion": "v1", "kind": "Pod",
                                               "metadata": {"name": "p-web"}})},
        containers=[{"name": "web", "image": "nginx:1.27",
                     "ports": [{"containerPort": 80}, {"containerPort": 443, "name": "https"}]},
                    {"name": "sidecar", "image": "envoy:1"}],
        extra={"securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
               "initContainers": [{"name": "init", "image": "busybox:1"}]})
    plain = pod_body("p-plain", node="kwok-node-2", labels={"app": "plain"})
    pending = pod_body("p-pending", labels={"app": "pending", "tier": "back"},
                       containers=[{"name": "app", "image": "registry.local/app:2",
                                    "ports": [{"containerPort": 8080}]}],
                       extra={"nodeSelector": {"kcache.test/nowhere": "true"}})
    return [
        ("pods", web), ("pods", plain), ("pods", pending),
        ("configmaps", {"metadata": {"name": "cm-plain", "labels": {"tier": "t", "x": "y"},
                                     "annotations": {"keep/me": "1", "other": "2"}},
                        "data": {"a": "x", "b": "y"}}),
        ("configmaps", {"metadata": {"name": "sized-1",
                                     "labels": {"ten": "abcdefghij", "eleven": "abcdefghijk"},
                                     "annotations": {"a10": "0123456789", "a11": "01234567890",
                                                     "u10": "é" * 5, "u12": "é" * 6}}}),
        ("configmaps", {"metadata": {"name": "sized-2", "labels": {"eleven": "abcdefghijk"},
                                     "annotations": {"u12": "é" * 6}}}),
        ("services", {"metadata": {"name": "svc-1", "labels": {"app": "web"}},
                      "spec": {"selector": {"app": "web"},
                               "ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                         {"name": "https", "port": 443}]}}),
    ]


NULLABLES = [
    {"metadata": {"name": "n-1", "labels": {"kind": "full"},
                  "annotations": {"note/utf8": "é" * 4, "note/utf8-long": "é" * 5,
                                  "note/ascii9": "123456789", "note/short": "ok"}},
     "spec": {"note": None, "items": [{"value": "a"}, {"value": None}, {}],
              "obj": {"inner": None, "other": 3},
              "mixed": [1, {"v": 2}, None, "s", {"v": None}], "empty": []}},
    {"metadata": {"name": "n-2", "labels": {"kind": "some"}},
     "spec": {"note": "set", "items": [], "mixed": {"v": 1}, "obj": {"other": 1}}},
    {"metadata": {"name": "n-3"}},
]


class Env:
    """What the module fixture made."""

    def __init__(self, cluster, ns):
        self.cluster = cluster
        self.ns = ns
        self.upstream = Api(cluster.url, cluster.ca, cluster.token("admin"))
        self.kcache = None
        self.api = None  # kcache, as the cluster admin
        self.last_write = 0  # the resourceVersion of the latest object written here
        self.config_dir = Path(tempfile.mkdtemp(prefix="kcache-e2e-projections-"))

    def write(self, method, path, body=None, ok=(200, 201),
              content_type="application/json"):
        r = self.upstream.request(method, path, body, content_type=content_type)
        assert r.status_code in ok, f"{method} {path}: {r.status_code} {r.text[:300]}"
        doc = r.json() if r.text else None
        if isinstance(doc, dict) and doc.get("kind") != "Status":
            rv = int((doc.get("metadata") or {}).get("resourceVersion") or 0)
            self.last_write = max(self.last_write, rv)
        return doc

    def patch(self, path, body):
        return self.write("PATCH", path, body, content_type="application/merge-patch+json")


def write_config(path, projections):
    """Writes the file in one step (rename), so kcache never reads half of it."""
    path = Path(path)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(projections if isinstance(projections, str)
                   else yaml.safe_dump({"projections": projections}, sort_keys=False))
    os.replace(tmp, path)


def start_kcache(cluster, config_path, *args):
    return start_private_kcache(cluster, "proj", [f"--config={config_path}",
                                                  "--config-reload-interval=1", *args])


def wait_default_serviceaccount(env, ns):
    wait_until(lambda: env.upstream.get(
        f"/api/v1/namespaces/{ns}/serviceaccounts/default").status_code == 200,
        timeout=60, what=f"ServiceAccount default in {ns}")


def make_namespace(env, ns):
    env.write("POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
    wait_default_serviceaccount(env, ns)


def delete_namespace(env, ns):
    env.upstream.request("DELETE", f"/api/v1/namespaces/{ns}")


@pytest.fixture(scope="module")
def env(cluster):
    e = Env(cluster, f"proj-e2e-{uuid.uuid4().hex[:6]}")
    try:
        set_up(e)
        yield e
    finally:
        if e.kcache:
            stop_private_kcache(e.kcache)
        delete_namespace(e, e.ns)
        e.upstream.request("DELETE", f"{CRDS}/{CRD_NAME}")
        shutil.rmtree(e.config_dir, ignore_errors=True)


def set_up(e):
    ns = e.ns
    make_namespace(e, ns)
    # The CRD (left over by an interrupted run, or new).
    if e.upstream.get(f"{CRDS}/{CRD_NAME}").status_code == 404:
        e.write("POST", CRDS, NULLABLE_CRD)

    def established():
        doc = e.upstream.get(f"{CRDS}/{CRD_NAME}").json()
        return any(c["type"] == "Established" and c["status"] == "True"
                   for c in (doc.get("status") or {}).get("conditions") or [])
    wait_until(established, timeout=60, what=f"{CRD_NAME} Established")
    nullables = f"/apis/{GROUP}/v1/namespaces/{ns}/nullables"
    wait_until(lambda: e.upstream.get(nullables).status_code == 200, timeout=60,
               what="nullables served upstream")
    for body in NULLABLES:
        e.write("POST", nullables, {"apiVersion": f"{GROUP}/v1", "kind": "Nullable", **body})
    stored = e.upstream.get(f"{nullables}/n-1").json()
    assert stored["spec"]["note"] is None and None in stored["spec"]["mixed"], (
        f"the upstream did not keep the nulls this module needs: {stored['spec']}")

    owner = e.write("POST", f"/api/v1/namespaces/{ns}/configmaps",
                    {"metadata": {"name": "cm-owner"}, "data": {"a": "1"}})
    for collection, body in module_objects(owner["metadata"]["uid"]):
        e.write("POST", f"/api/v1/namespaces/{ns}/{collection}", body)

    def pods_settled():
        pods = {p["metadata"]["name"]: p for p in
                e.upstream.get(f"/api/v1/namespaces/{ns}/pods").json()["items"]}
        running = all(pods[n].get("status", {}).get("phase") == "Running"
                      for n in ("p-web", "p-plain"))
        conditions = pods["p-pending"].get("status", {}).get("conditions") or []
        unschedulable = any(c["type"] == "PodScheduled" and c["status"] == "False"
                            for c in conditions)
        return running and unschedulable
    wait_until(pods_settled, timeout=90, interval=0.5, what="test pods Running / Unschedulable")

    config = e.config_dir / "kcache.yaml"
    write_config(config, PROJECTIONS)
    e.kcache = start_kcache(e.cluster, config)
    e.api = Api(e.kcache.url, e.kcache.ca, e.cluster.token("admin"))
    # Every named projection (the CRD's too) serves this namespace. Not cm-sized: its first use
    # is counted by test_dropped_values_are_counted_once_per_object_version.
    for d in PROJECTIONS:
        if d["name"] == "cm-sized":
            continue
        if d["resource"] == "nodes":
            path = f"{API}/{d['name']}"
        else:
            path = f"{API}/namespaces/{ns}/{d['name']}"
        wait_until(lambda: e.api.get(path).status_code == 200, timeout=60,
                   what=f"kcache serving {path}")
    # And has caught up with the objects made above.
    pods = e.upstream.get(f"/api/v1/namespaces/{ns}/pods").json()["items"]
    last = max(int(p["metadata"]["resourceVersion"]) for p in pods)
    wait_until(lambda: int(e.api.get(f"{API}/namespaces/{ns}/pods").json()["metadata"]
                           ["resourceVersion"]) >= last, timeout=30, what="kcache caught up")


# =============================================================================================
# Requests and comparisons


def kc_get(env, path, params=(), encoding="json", accept=None, token=None, stream=False,
           timeout=60):
    headers = {"Accept": accept or ACCEPT[encoding]}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return env.api.session.get(env.api.base + path, params=list(params), headers=headers,
                               stream=stream, timeout=timeout)


def projection_path(projection, namespace=None, name=None):
    path = API + (f"/namespaces/{namespace}" if namespace else "") + f"/{projection}"
    return path + (f"/{name}" if name else "")


def upstream_path(projection, namespace=None, name=None):
    prefix, plural, _ = RESOURCES[resource_of(projection)]
    path = prefix + (f"/namespaces/{namespace}" if namespace else "") + f"/{plural}"
    return path + (f"/{name}" if name else "")


def pb_object(message):
    return {"namespace": message.namespace, "name": message.name, "uid": message.uid,
            "resource_version": message.resource_version, "labels": dict(message.labels),
            "annotations": dict(message.annotations),
            "fields": [[f.path, json.loads(f.json)] for f in message.fields]}


def key_of(item):
    if "metadata" in item:
        meta = item["metadata"]
        return f"{meta.get('namespace', '')}/{meta['name']}"
    return f"{item['namespace']}/{item['name']}"


def rv_of(item):
    return item["metadata"]["resourceVersion"] if "metadata" in item \
        else item["resource_version"]


def check_content_type(response, encoding):
    got = (response.headers.get("Content-Type") or "").split(";")[0].strip()
    if encoding == "json":
        assert got == "application/json", f"Content-Type {got!r} for JSON"
    else:
        assert got in PROTOBUF_TYPES, f"Content-Type {got!r} for protobuf"


def decode_list(response, encoding):
    """(resourceVersion, continue, remainingItemCount, [items]) of a list answer."""
    assert response.status_code == 200, f"{response.status_code} {response.text[:500]}"
    check_content_type(response, encoding)
    if encoding == "json":
        doc = response.json()
        assert (doc.get("kind"), doc.get("apiVersion")) == (
            "ProjectionList", "projections.kcache.io/v1"), {k: doc.get(k) for k in doc
                                                            if k != "items"}
        meta = doc["metadata"]
        return (meta["resourceVersion"], meta.get("continue", ""),
                meta.get("remainingItemCount"), doc["items"])
    pb2 = kp.projection_pb2()
    message = pb2.ProjectionList()
    message.ParseFromString(response.content)
    remaining = message.remaining_item_count if message.HasField("remaining_item_count") \
        else None
    return (message.resource_version, getattr(message, "continue"), remaining,
            [pb_object(m) for m in message.items])


def decode_object(response, encoding):
    assert response.status_code == 200, f"{response.status_code} {response.text[:500]}"
    check_content_type(response, encoding)
    if encoding == "json":
        return response.json()
    message = kp.projection_pb2().ProjectedObject()
    message.ParseFromString(response.content)
    return pb_object(message)


def upstream_items(upstream, projection, namespace, rv, params=()):
    """The upstream's full objects at exactly `rv`, with the same selectors."""
    selectors = [(k, v) for k, v in params if k in ("labelSelector", "fieldSelector")]
    r = upstream.session.get(
        upstream.base + upstream_path(projection, namespace),
        params=selectors + [("resourceVersion", rv), ("resourceVersionMatch", "Exact")],
        timeout=60)
    assert r.status_code == 200, f"upstream list at {rv}: {r.status_code} {r.text[:300]}"
    return r.json()["items"]


def compare_sets(expected, got, what):
    """'' when the {key: object} maps are equal, else an account of the first differences."""
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    differing = [k for k in sorted(set(expected) & set(got)) if expected[k] != got[k]]
    if not (missing or extra or differing):
        return ""
    lines = [f"{what}: {len(missing)} missing, {len(extra)} extra, {len(differing)} differing"
             f" (of {len(expected)})"]
    lines += [f"  missing {k}" for k in missing[:5]]
    lines += [f"  extra {k}" for k in extra[:5]]
    lines += [f"  {k}: {divergence(expected[k], got[k])}" for k in differing[:5]]
    return "\n".join(lines)


def keyed(items, what):
    out = {}
    for item in items:
        key = key_of(item)
        assert key not in out, f"{what}: {key} twice"
        out[key] = item
    return out


def list_and_compare(env, projection, namespace, encoding, params=(), limit=None):
    """Lists through kcache (all pages), then checks every item against the reference
    projection of the upstream's list at the same resourceVersion. Returns the keyed items."""
    params = list(params)
    items, rv, cont, pages, remainders = [], None, "", 0, []
    while True:
        query = params + ([("limit", str(limit))] if limit else []) + \
            ([("continue", cont)] if cont else [])
        page_rv, cont, remaining, page = decode_list(
            kc_get(env, projection_path(projection, namespace), query, encoding), encoding)
        pages += 1
        items += page
        if rv is None:
            rv = page_rv
        assert page_rv == rv, f"page {pages} at resourceVersion {page_rv}, the first at {rv}"
        if not cont:
            assert remaining is None, f"remainingItemCount {remaining} on the last page"
            break
        assert limit and len(page) <= limit, f"{len(page)} items for limit={limit}"
        remainders.append((len(items), remaining))
    reference = Projection(definition(projection), dict(
        (k, v) for k, v in params if k in ("fields", "labels", "annotations", "maxValueBytes")))
    upstream = upstream_items(env.upstream, projection, namespace, rv, params)
    expected = {key_of(o): reference.render(o, encoding) for o in upstream}
    got = keyed(items, "kcache's list")
    selective = any(k in ("labelSelector", "fieldSelector") for k, _ in params)
    for seen, remaining in remainders:
        # kube-apiserver counts what is left only for lists without selectors.
        if remaining is not None or not selective:
            assert remaining == len(items) - seen, (
                f"remainingItemCount {remaining} after {seen} of {len(items)} items")
    why = compare_sets(expected, got, f"{projection} in {namespace or 'all'} "
                                      f"{params} ({encoding}) at {rv}")
    assert not why, why
    return got, upstream, pages


def get_and_compare(env, projection, namespace, name, encoding, params=()):
    """Gets one object through kcache and checks it against the reference projection of the
    upstream's object, once both are at the same version (kcache follows within moments)."""
    reference = Projection(definition(projection), dict(params))
    got = expected = None
    for _ in range(ATTEMPTS):
        up = env.upstream.get(upstream_path(projection, namespace, name))
        assert up.status_code == 200, up.text
        expected = reference.render(up.json(), encoding)
        got = decode_object(kc_get(env, projection_path(projection, namespace, name),
                                   params, encoding), encoding)
        if rv_of(got) == rv_of(expected):
            break
        time.sleep(0.3)
    assert got == expected, divergence(expected, got)


# =============================================================================================
# 1 and 2: every kind of field, key policy and ad-hoc parameter, both encodings, list and get


NS = "@ns"  # the module's namespace
ALL = None  # all namespaces, or a cluster-scoped resource

CASES = [
    # (id, projection, scope, ad-hoc parameters)
    ("placement-ns", "pod-placement", NS, {}),
    ("placement-all", "pod-placement", ALL, {}),
    ("shapes-ns", "pod-shapes", NS, {}),
    ("shapes-all", "pod-shapes", ALL, {}),
    ("applied-ns", "pod-applied", NS, {}),
    ("applied-all", "pod-applied", ALL, {}),
    ("nullables", "nullables", NS, {}),
    ("nodes", "node-view", ALL, {}),
    ("named-hides-default", "services", NS, {}),
    ("default-configmaps", "configmaps", NS, {}),
    ("default-pods-all", "pods", ALL, {}),
    ("default-nodes", "nodes", ALL, {}),
    ("default-crd", f"nullables.{GROUP}", NS, {}),
    # Ad-hoc parameters on a resource's default projection.
    ("adhoc-fields", "pods", NS, {"fields": "spec.nodeName"}),
    ("adhoc-everything", "pods", NS, {
        "fields": "spec.nodeName,status.phase,spec.containers[*].ports[*].containerPort",
        "labels": "app,app.kubernetes.io/*", "annotations": "example.com/*,note/*",
        "maxValueBytes": "9"}),
    ("adhoc-annotations-glob", "pods", ALL, {"annotations": "*"}),
    ("adhoc-last-applied-exact", "pods", ALL, {"annotations": LAST_APPLIED, "labels": ""}),
    ("adhoc-managed-fields", "pods", ALL,
     {"fields": "metadata.managedFields,metadata.ownerReferences"}),
    ("adhoc-nodes", "nodes", ALL,
     {"fields": "spec.unschedulable,spec.taints[*].effect", "labels": "kubernetes.io/*"}),
    ("adhoc-crd", f"nullables.{GROUP}", NS,
     {"fields": "spec.mixed[*].v,spec.items[*].value,spec.obj", "annotations": "note/*"}),
    # One path containing another through an array: the larger wins (JSON).
    ("adhoc-array-contains", "pods", NS,
     {"fields": "spec.containers,spec.containers[*].image"}),
    ("adhoc-array-contains-crd", f"nullables.{GROUP}", NS,
     {"fields": "spec.mixed,spec.mixed[*].v"}),
    # Ad-hoc parameters on named projections: they replace, the drop lists stay.
    ("named-fields-replaced", "pod-placement", NS, {"fields": "status.phase"}),
    ("named-labels-widened", "pod-placement", ALL, {"labels": "*"}),
    ("named-no-size-limit", "pod-placement", NS,
     {"maxValueBytes": "0", "labels": "*", "annotations": "*"}),
    ("named-drop-stays", "pod-applied", ALL, {"annotations": "*", "labels": "t*"}),
    ("named-crd-size", "nullables", NS, {"maxValueBytes": "2"}),
]


def case_scope(env, scope):
    return env.ns if scope == NS else None


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_list_matches_reference(env, case, encoding):
    _, projection, scope, params = case
    got, upstream, _ = list_and_compare(env, projection, case_scope(env, scope), encoding,
                                        list(params.items()))
    assert got, "nothing listed: the case checks nothing"


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_get_matches_reference(env, case, encoding):
    _, projection, scope, params = case
    namespace = case_scope(env, scope)
    upstream = env.upstream.get(upstream_path(projection, namespace)).json()["items"]
    # Every object of the module's namespace; a sample of other namespaces' (one per
    # namespace, which covers the workload's kinds of pods).
    _, _, namespaced = RESOURCES[resource_of(projection)]
    chosen, seen = [], set()
    for obj in upstream:
        meta = obj["metadata"]
        if namespace or not namespaced or meta["namespace"] not in seen:
            chosen.append(obj)
            seen.add(meta.get("namespace", ""))
    assert chosen
    for obj in chosen[:12]:
        meta = obj["metadata"]
        get_and_compare(env, projection, meta.get("namespace") if namespaced else None,
                        meta["name"], encoding, list(params.items()))


def test_named_projection_hides_the_resource_default(env):
    """`services` is configured: its definition answers, not identity + labels."""
    doc = kc_get(env, projection_path("services", env.ns, "svc-1")).json()
    assert "labels" not in doc["metadata"] and doc["spec"]["type"] == "ClusterIP", doc
    assert "services" in discovered(env)


def test_one_name_as_array_and_as_value(env):
    """Paths are evaluated each on its own: `[*]` over a value that is not an array adds
    nothing, and a path crossing a value that is not an object adds nothing; nothing in the
    document makes two such paths exclusive."""
    params = [("fields", "spec.nodeName.deeper,spec.nodeName[*].x,spec.containers[*].name,"
                         "spec.containers.name")]
    for encoding in ENCODINGS:
        get_and_compare(env, "pods", env.ns, "p-web", encoding, params)


def test_raw_query_strings_are_understood(env):
    """Parameters written by hand, without percent-encoding (as in the document)."""
    path = (f"{projection_path('pods', env.ns, 'p-web')}"
            "?fields=spec.nodeName,spec.containers[*].image&labels=app*&annotations=note/*")
    r = env.api.session.get(env.api.base + path, headers={"Accept": "application/json"})
    params = {"fields": "spec.nodeName,spec.containers[*].image", "labels": "app*",
              "annotations": "note/*"}
    expected = Projection(definition("pods"), params).json(
        env.upstream.get(upstream_path("pods", env.ns, "p-web")).json())
    assert decode_object(r, "json") == expected


def test_dropped_values_are_counted_once_per_object_version(env):
    def drops():
        return {kind: metric_sum(env.kcache, "kcache_projection_values_dropped_total",
                                 kind=kind, projection=("cm-sized", None))
                for kind in ("label", "annotation")}
    before = drops()
    got, upstream, _ = list_and_compare(env, "cm-sized", env.ns, "json")
    reference = Projection(definition("cm-sized"))
    expected = {"label": 0, "annotation": 0}
    for obj in upstream:
        _, _, label_drops, annotation_drops = reference.kept(obj)
        expected["label"] += label_drops
        expected["annotation"] += annotation_drops
    assert expected["label"] >= 2 and expected["annotation"] >= 3
    try:
        wait_until(lambda: drops()["label"] - before["label"] >= expected["label"], timeout=5,
                   what="the label counter")
    except AssertionError:
        pass
    after = drops()
    series = {k: v for k, v in env.kcache.metrics().items()
              if k.startswith("kcache_projection_values_dropped_total")}
    assert {k: after[k] - before[k] for k in after} == expected, series
    # The same versions again, both encodings, list and get: computed once, counted once.
    list_and_compare(env, "cm-sized", env.ns, "protobuf")
    get_and_compare(env, "cm-sized", env.ns, "sized-1", "json")
    time.sleep(1)
    assert drops() == after


# ---------------------------------------------------------------------------------------------
# Refusals


def assert_status(response, code, reason):
    assert response.status_code == code, f"{response.status_code} {response.text[:300]}"
    content_type = (response.headers.get("Content-Type") or "").split(";")[0]
    assert content_type == "application/json", f"an error as {content_type!r}"
    doc = response.json()
    assert (doc.get("kind"), doc.get("status"), doc.get("code"), doc.get("reason")) == (
        "Status", "Failure", code, reason), doc


def limits_cases():
    many = lambda n: ",".join(f"p{i}" for i in range(n))
    deep = lambda n: ".".join("s" for _ in range(n))
    ok = [("fields", many(32)), ("fields", "x" * 256), ("fields", deep(16)),
          ("labels", many(32)), ("annotations", many(32)), ("maxValueBytes", "1048576"),
          ("maxValueBytes", "0"), ("fields", ""), ("labels", ""), ("annotations", "")]
    bad = [("fields", many(33)), ("fields", "x" * 257), ("fields", deep(17)),
           ("labels", many(33)), ("annotations", many(33)), ("maxValueBytes", "1048577"),
           ("maxValueBytes", "-1"), ("maxValueBytes", "ten"), ("fields", "spec..nodeName"),
           ("fields", ".spec"), ("fields", "spec."), ("fields", "spec.containers[0].image"),
           ("fields", "spec.containers[*"), ("fields", "metadata.labels"),
           ("fields", "metadata.annotations")]
    return ok, bad


def test_parameter_limits(env):
    ok, bad = limits_cases()
    for encoding in ENCODINGS:
        for where in (projection_path("pods", env.ns), projection_path("pod-placement", env.ns),
                      projection_path("pods", env.ns, "p-web")):
            for param in ok:
                r = kc_get(env, where, [param], encoding)
                assert r.status_code == 200, f"{where} {param}: {r.status_code} {r.text[:200]}"
            for param in bad:
                r = kc_get(env, where, [param], encoding)
                assert r.status_code == 400, f"{where} {param}: {r.status_code} {r.text[:200]}"
                assert_status(r, 400, "BadRequest")


def test_standard_parameters_are_refused_like_upstream(env):
    for param in (("labelSelector", "=x"), ("labelSelector", "a in (b"),
                  ("fieldSelector", "spec.noSuchField=x"), ("limit", "ten")):
        up = env.upstream.session.get(env.upstream.base + upstream_path("pods", env.ns),
                                      params=[param])
        for encoding in ENCODINGS:
            r = kc_get(env, projection_path("pods", env.ns), [param], encoding)
            assert r.status_code == up.status_code == 400, (
                f"{param}: kcache {r.status_code} {r.text[:200]}, upstream {up.status_code}")
            assert_status(r, 400, "BadRequest")


def test_not_found(env):
    for path in (projection_path("no-such-projection", env.ns),
                 projection_path("no-such-projection"),
                 projection_path("pods", env.ns, "no-such-pod"),
                 projection_path("pod-placement", env.ns, "no-such-pod"),
                 projection_path("node-view", None, "no-such-node"),
                 projection_path("secrets", env.ns),  # not cached (secrets only when named)
                 projection_path("widgets.nowhere.example.com")):
        for encoding in ENCODINGS:
            assert_status(kc_get(env, path, (), encoding), 404, "NotFound")


def test_accept_negotiation(env):
    path = projection_path("pods", env.ns, "p-web")
    json_answer = [None, "application/json", "*/*", "application/json, application/protobuf",
                   "text/html, application/json, application/x-protobuf"]
    protobuf_answer = [PROTOBUF, "application/x-protobuf", "application/protobuf",
                       f"{PROTOBUF}, application/json", "text/html, application/protobuf"]
    for accept in json_answer:
        headers = {"Accept": accept}  # None: requests sends no Accept at all
        r = env.api.session.get(env.api.base + path, headers=headers)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(
            "application/json"), f"Accept {accept!r}: {r.status_code} {r.headers}"
        r.json()
    for accept in protobuf_answer:
        r = kc_get(env, path, accept=accept)
        assert r.status_code == 200, f"Accept {accept!r}: {r.status_code} {r.text[:200]}"
        decode_object(r, "protobuf")
    for accept in ("text/plain", "application/yaml", "application/vnd.kubernetes.protobuf"):
        for where in (path, projection_path("pods", env.ns)):
            assert_status(kc_get(env, where, accept=accept), 406, "NotAcceptable")


def test_methods_other_than_get(env):
    for where in (projection_path("pods", env.ns), projection_path("pods", env.ns, "p-web"),
                  projection_path("pod-placement")):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = env.api.request(method, where, {"metadata": {"name": "p-web"}})
            assert_status(r, 405, "MethodNotAllowed")
    # Nothing was written: the pod is as it was.
    assert env.upstream.get(upstream_path("pods", env.ns, "p-web")).status_code == 200


def test_resource_versions_out_of_reach(env):
    path = projection_path("pods", env.ns)
    for encoding in ENCODINGS:
        r = kc_get(env, path, [("resourceVersion", "1"), ("resourceVersionMatch", "Exact")],
                   encoding)
        assert_status(r, 410, "Expired")
    current = int(decode_list(kc_get(env, path), "json")[0])
    r = kc_get(env, path, [("resourceVersion", str(current + 10_000_000)),
                           ("resourceVersionMatch", "NotOlderThan")], timeout=120)
    assert_status(r, 504, "Timeout")
    assert "Too large resource version" in r.json()["message"]


# =============================================================================================
# 3: pagination and selectors


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("projection", ["pod-placement", "pods"])
def test_pagination_walks_every_item(env, projection, encoding):
    """Pages of 25 (and of 1 in a namespace): every page at the first page's version, each
    with the count of what is left, and all of them together equal to the projection of the
    upstream's list at that version."""
    got, upstream, pages = list_and_compare(env, projection, None, encoding, limit=25)
    assert pages >= 3 and len(got) > 50
    got, _, pages = list_and_compare(env, projection, env.ns, encoding, limit=1)
    assert pages == len(got) and pages >= 3


SELECTORS = [
    ("pods", ALL, [("labelSelector", "tier in (frontend,backend)")]),
    ("pods", ALL, [("labelSelector", "environment!=prod,app.kubernetes.io/part-of")]),
    ("pods", ALL, [("labelSelector", "!tier")]),
    ("pod-placement", ALL, [("fieldSelector", "spec.nodeName=kwok-node-1")]),
    ("pod-placement", ALL, [("fieldSelector", "status.phase!=Running")]),
    ("pod-shapes", ALL, [("fieldSelector", "metadata.namespace!=team-a,status.phase=Running"),
                         ("labelSelector", "app")]),
    ("pods", NS, [("labelSelector", "app in (web,pending)"),
                  ("fieldSelector", "metadata.name!=p-pending")]),
    ("configmaps", ALL, [("labelSelector", "app"),
                         ("fieldSelector", "metadata.name!=kube-root-ca.crt")]),
    ("node-view", ALL, [("labelSelector", "kubernetes.io/hostname in (kwok-node-1,kwok-node-2)")]),
    ("nullables", NS, [("labelSelector", "kind=full")]),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("selector", SELECTORS, ids=lambda s: f"{s[0]}:{s[2]}")
def test_selectors_match_upstream(env, selector, encoding):
    projection, scope, params = selector
    namespace = case_scope(env, scope)
    # list_and_compare lists the upstream with the same selectors at the same version, so
    # the names, and each object's projection, are the upstream's.
    got, upstream, _ = list_and_compare(env, projection, namespace, encoding, params)
    paged, _, _ = list_and_compare(env, projection, namespace, encoding, params, limit=7)
    assert set(paged) == set(got)
    # A selector that selects nothing, or everything, would check little.
    everything = env.upstream.get(upstream_path(projection, namespace)).json()["items"]
    assert 0 < len(got) < len(everything), (len(got), len(everything))


# =============================================================================================
# 4: watches


class Watch:
    """One watch response read on a thread: JSON lines or length-prefixed protobuf frames,
    decoded into {"type", "key", "rv", "object"} (BOOKMARK: "rv", "end"; ERROR: "status")."""

    def __init__(self, session, url, params, encoding, headers=None):
        self.encoding = encoding
        h = {"Accept": ACCEPT[encoding] if encoding in ACCEPT else encoding}
        h.update(headers or {})
        self.response = session.get(url, params=params, headers=h, stream=True,
                                    timeout=(10, None))
        self.status = self.response.status_code
        self.events = queue.Queue()
        self.error = None
        self.text = ""
        if self.status != 200:
            self.sock = None
            self.text = self.response.text
            return
        self.sock = self.response.raw._fp.fp.raw._sock
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = bytearray()
        raw = self.response.raw
        try:
            while True:
                data = raw.read1(65536, decode_content=True)
                if not data:
                    break
                buffer += data
                self._drain(buffer)
            if buffer:
                self.error = f"stream ended inside a message: {bytes(buffer[:100])!r}"
        except Exception as e:  # the socket is shut down when the test is done with it
            if self.error is None:
                self.error = repr(e)
        self.events.put(None)

    def _drain(self, buffer):
        while True:
            if self.encoding == "protobuf":
                if len(buffer) < 4:
                    return
                size = int.from_bytes(buffer[:4], "big")
                if len(buffer) < 4 + size:
                    return
                message = kp.projection_pb2().WatchEvent()
                message.ParseFromString(bytes(buffer[4:4 + size]))
                del buffer[:4 + size]
                self.events.put(self._from_pb(message))
            else:
                end = buffer.find(b"\n")
                if end < 0:
                    return
                line = bytes(buffer[:end])
                del buffer[:end + 1]
                if line.strip():
                    self.events.put(self._from_json(json.loads(line)))

    @staticmethod
    def _from_pb(m):
        if m.type == "BOOKMARK":
            return {"type": "BOOKMARK", "rv": m.object.resource_version,
                    "end": m.initial_events_end, "object": pb_object(m.object)}
        if m.type == "ERROR":
            return {"type": "ERROR", "status": {"code": m.status.code,
                                                "reason": m.status.reason}}
        obj = pb_object(m.object)
        return {"type": m.type, "key": key_of(obj), "rv": obj["resource_version"],
                "object": obj}

    def _from_json(self, doc):
        kind, obj = doc["type"], doc["object"]
        if kind == "BOOKMARK":
            end = (obj["metadata"].get("annotations") or {}).get(
                "k8s.io/initial-events-end") == "true"
            return {"type": "BOOKMARK", "rv": obj["metadata"]["resourceVersion"], "end": end,
                    "object": obj}
        if kind == "ERROR":
            return {"type": "ERROR", "status": {"code": obj.get("code"),
                                                "reason": obj.get("reason")}, "object": obj}
        return {"type": kind, "key": key_of(obj), "rv": obj["metadata"]["resourceVersion"],
                "object": obj}

    def collect(self, until, timeout=60):
        """Events until `until(events)` holds, the stream ends or `timeout` passes."""
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until(got):
            try:
                event = self.events.get(timeout=0.2)
            except queue.Empty:
                continue
            if event is None:
                break
            got.append(event)
        return got

    def close(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.response.close()


def kc_watch(env, projection, namespace, encoding, params=(), token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return Watch(env.api.session, env.api.base + projection_path(projection, namespace),
                 [("watch", "true"), *params], encoding, headers)


def upstream_watch(env, path, params):
    return Watch(env.upstream.session, env.upstream.base + path, [("watch", "true"), *params],
                 "json")


def metric_sum(kcache, name, **labels):
    """The sum of the series of `name` whose labels match; a label given as a tuple matches
    any of its values, None standing for the label's absence."""
    total = 0.0
    for series, value in kcache.metrics().items():
        base, _, rest = series.partition("{")
        if base != name:
            continue
        have = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', rest))
        ok = True
        for key, want in labels.items():
            options = want if isinstance(want, tuple) else (want,)
            if have.get(key) not in options:
                ok = False
        if ok:
            total += value
    return total


def scripted_changes(env, ns):
    """Changes that do and do not touch cm-watch-*'s view: data.a, labels kept by `tier`,
    annotations kept by `keep/*`; everything else is invisible to it."""
    base = f"/api/v1/namespaces/{ns}/configmaps"
    p = lambda name, body: env.patch(f"{base}/{name}", body)
    p("c-0", {"data": {"a": "2"}})                                   # sent
    p("c-0", {"data": {"b": "2"}})                                   # suppressed
    p("c-1", {"metadata": {"annotations": {"other/x": "1"}}})        # suppressed
    p("c-1", {"metadata": {"annotations": {"keep/x": "1"}}})         # sent
    p("c-2", {"metadata": {"labels": {"tier": "t1"}}})               # sent
    p("c-2", {"metadata": {"labels": {"other": "o"}}})               # suppressed
    env.write("POST", base, {"metadata": {"name": "c-new"}, "data": {"a": "1"}})  # added
    env.write("DELETE", f"{base}/c-3")                               # deleted
    p("c-4", {"data": {"b": "x"}})                                   # suppressed
    p("c-4", {"data": {"b": "y", "c": "z"}})                         # suppressed
    p("c-new", {"data": {"a": "2"}})                                 # sent
    p("c-1", {"metadata": {"annotations": {"keep/x": None}}})        # sent
    p("c-0", {"data": {"a": None}})                                  # sent: the field is gone
    p("c-0", {"data": {"a": "3"}})                                   # sent: back


def expected_events(projection, initial, upstream_events, encoding):
    """What a projected watch from the same version must send, computed from the upstream's
    full events: (expected events, how many were suppressed)."""
    views = {key_of(o): projection.view(o) for o in initial}
    expected, suppressed = [], 0
    for event in upstream_events:
        obj = event["object"]
        key = key_of(obj)
        view = projection.view(obj)
        if event["type"] == "MODIFIED" and views.get(key) == view:
            suppressed += 1
            continue
        if event["type"] == "DELETED":
            views.pop(key, None)
        else:
            views[key] = view
        expected.append({"type": event["type"], "key": key, "rv": event["rv"],
                         "object": projection.render(obj, encoding)})
    return expected, suppressed


def test_watch_sends_exactly_the_changed_views(env):
    ns = f"proj-watch-{uuid.uuid4().hex[:6]}"
    cluster = env.cluster
    churn = Churn(cluster.url, cluster.token("admin"), cluster.ca, ns, rate=40, duration=8,
                  threads=2, pod_share=0.0, max_configmaps=300, prefix="w", seed=7)
    churn.setup()
    watches = []
    try:
        base = f"/api/v1/namespaces/{ns}/configmaps"
        for i in range(5):
            env.write("POST", base, {"metadata": {"name": f"c-{i}", "labels": {"tier": "t"},
                                                  "annotations": {"keep/a": "1"}},
                                     "data": {"a": "1", "b": "1"}})
        last = env.last_write
        wait_until(lambda: int(decode_list(kc_get(env, projection_path("cm-watch-json", ns)),
                                           "json")[0]) >= last, what="kcache caught up")
        start, _, _, kc_initial = decode_list(
            kc_get(env, projection_path("cm-watch-json", ns)), "json")
        initial = upstream_items(env.upstream, "configmaps", ns, start)
        why = compare_sets({key_of(o): Projection(definition("cm-watch-json")).json(o)
                            for o in initial}, keyed(kc_initial, "list"), "the first list")
        assert not why, why
        names = {f"cm-watch-{enc}": enc for enc in ENCODINGS}
        before = {p: metric_sum(env.kcache, "kcache_projection_watch_events_suppressed_total",
                                projection=p) for p in names}
        up = upstream_watch(env, base, [("resourceVersion", start),
                                        ("allowWatchBookmarks", "true")])
        watches.append(up)
        kc = {p: kc_watch(env, p, ns, enc, [("resourceVersion", start),
                                              ("allowWatchBookmarks", "true")])
              for p, enc in names.items()}
        watches += kc.values()
        assert up.status == 200, up.text
        for p, w in kc.items():
            assert w.status == 200, f"{p}: {w.status} {w.text[:300]}"

        churn.start()
        scripted_changes(env, ns)
        churn.wait()
        assert not churn.errors, churn.errors[:5]
        marker = env.write("POST", base, {"metadata": {"name": "marker"}, "data": {"a": "m"}})
        end = int(marker["metadata"]["resourceVersion"])

        reached = lambda events: any(e["type"] != "BOOKMARK" and int(e["rv"]) >= end
                                     for e in events)
        up_events = [e for e in up.collect(reached, timeout=90)
                     if e["type"] not in ("BOOKMARK",) and int(e["rv"]) <= end]
        assert up_events and int(up_events[-1]["rv"]) == end, \
            f"the upstream's watch did not reach the marker ({up.error})"
        assert not [e for e in up_events if e["type"] == "ERROR"], up_events[-1]
        for p, enc in names.items():
            projection = Projection(definition(p))
            expected, suppressed = expected_events(projection, initial, up_events, enc)
            received = kc[p].collect(reached, timeout=60)
            received += kc[p].collect(lambda ev: False, timeout=0.5)  # anything extra
            bookmarks = [e for e in received if e["type"] == "BOOKMARK"]
            got = [e for e in received if e["type"] != "BOOKMARK"]
            assert suppressed >= 20 and len(expected) >= 20, (suppressed, len(expected))
            assert [(e["type"], e.get("key"), e.get("rv")) for e in got] == \
                [(e["type"], e["key"], e["rv"]) for e in expected], (
                f"{p}: {len(got)} events from kcache, {len(expected)} expected "
                f"({suppressed} suppressed); first difference: "
                f"{first_difference(expected, got)}; reader: {kc[p].error}")
            for want, have in zip(expected, got):
                assert have["object"] == want["object"], \
                    f"{p} {want['type']} {want['key']}@{want['rv']}: " \
                    f"{divergence(want['object'], have['object'])}"
            for b in bookmarks:
                assert int(b["rv"]) >= int(start)
                if enc == "json":
                    assert set(b["object"]) == {"metadata"} and set(
                        b["object"]["metadata"]) <= {"resourceVersion", "annotations"}, b
            counter = lambda: metric_sum(
                env.kcache, "kcache_projection_watch_events_suppressed_total", projection=p)
            try:
                wait_until(lambda: counter() - before[p] >= suppressed, timeout=5,
                           what=f"{p}'s suppressed counter")
            except AssertionError:
                pass
            assert counter() - before[p] == suppressed, \
                f"{p}: suppressed counter rose by {counter() - before[p]}, {suppressed} " \
                "events were suppressed"

            # Replaying the events on the list converges to the upstream's state (but for the
            # resourceVersions of changes that were rightly not sent).
            state = {key_of(o): projection.render(o, enc) for o in initial}
            for e in got:
                if e["type"] == "DELETED":
                    state.pop(e["key"], None)
                else:
                    state[e["key"]] = e["object"]
            final = upstream_items(env.upstream, "configmaps", ns, str(end))
            why = compare_sets({key_of(o): without_rv(projection.render(o, enc))
                                for o in final},
                               {k: without_rv(o) for k, o in state.items()},
                               f"{p}: the list plus the events")
            assert not why, why
            list_and_compare(env, p, ns, enc)
    finally:
        for w in watches:
            w.close()
        churn.delete_namespace()


def without_rv(item):
    item = copy.deepcopy(item)
    if "metadata" in item:
        item["metadata"].pop("resourceVersion")
    else:
        item.pop("resource_version")
    return item


def first_difference(expected, got):
    for i, (want, have) in enumerate(zip(expected, got)):
        if (want["type"], want["key"], want["rv"]) != (have["type"], have.get("key"),
                                                       have.get("rv")):
            return f"#{i}: expected {want['type']} {want['key']}@{want['rv']}, got " \
                   f"{have['type']} {have.get('key')}@{have.get('rv')}"
    if len(expected) != len(got):
        longer, who = (expected, "expected") if len(expected) > len(got) else (got, "kcache")
        e = longer[min(len(expected), len(got))]
        return f"#{min(len(expected), len(got))} only {who}: {e['type']} {e.get('key')}@" \
               f"{e.get('rv')}"
    return "none"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_watch_initial_events(env, encoding):
    params = [("sendInitialEvents", "true"), ("resourceVersionMatch", "NotOlderThan"),
              ("allowWatchBookmarks", "true")]
    w = kc_watch(env, "pod-placement", env.ns, encoding, params)
    try:
        assert w.status == 200, w.text
        events = w.collect(lambda ev: any(e["type"] == "BOOKMARK" and e["end"] for e in ev),
                           timeout=30)
    finally:
        w.close()
    assert events and events[-1]["type"] == "BOOKMARK" and events[-1]["end"], events[-3:]
    end_rv = events[-1]["rv"]
    if encoding == "json":
        assert events[-1]["object"] == {"metadata": {
            "resourceVersion": end_rv, "annotations": {"k8s.io/initial-events-end": "true"}}}
    added = [e for e in events if e["type"] != "BOOKMARK"]
    assert {e["type"] for e in added} == {"ADDED"}
    reference = Projection(definition("pod-placement"))
    expected = {key_of(o): reference.render(o, encoding)
                for o in upstream_items(env.upstream, "pod-placement", env.ns, end_rv)}
    why = compare_sets(expected, keyed([e["object"] for e in added], "initial events"),
                       f"initial events at {end_rv}")
    assert not why, why


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_watch_from_a_version_out_of_history(env, encoding):
    w = kc_watch(env, "pod-placement", env.ns, encoding, [("resourceVersion", "1")])
    try:
        assert w.status == 200, w.text
        events = w.collect(lambda ev: len(ev) >= 1, timeout=20)
    finally:
        w.close()
    assert events and events[0]["type"] == "ERROR", events
    assert events[0]["status"] == {"code": 410, "reason": "Expired"}, events[0]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_watch_with_adhoc_fields(env, encoding):
    """Ad-hoc parameters hold for a watch too; a change outside them is not sent."""
    base = f"/api/v1/namespaces/{env.ns}/configmaps/cm-plain"
    start = decode_list(kc_get(env, projection_path("configmaps", env.ns)), "json")[0]
    params = [("resourceVersion", start), ("fields", "data.b"), ("labels", "")]
    w = kc_watch(env, "configmaps", env.ns, encoding, params)
    try:
        assert w.status == 200, w.text
        env.patch(base, {"data": {"a": f"not-seen-{encoding}"}})
        changed = env.patch(base, {"data": {"b": f"seen-{encoding}"}})
        events = w.collect(lambda ev: any(e["type"] != "BOOKMARK" for e in ev), timeout=30)
        events += w.collect(lambda ev: False, timeout=1)
    finally:
        w.close()
    events = [e for e in events if e["type"] != "BOOKMARK"]
    reference = Projection(definition("configmaps"), dict(params[1:]))
    assert [(e["type"], e["rv"]) for e in events] == [
        ("MODIFIED", changed["metadata"]["resourceVersion"])]
    assert events[0]["object"] == reference.render(changed, encoding)


# =============================================================================================
# 5: authorization, judged as the same read of the underlying resource


def test_authorization_follows_the_upstream(env):
    cluster = env.cluster
    users = {"alice": cluster.token("alice"), "bob": cluster.token("bob")}
    names = {}
    for ns in ("team-a", "team-b"):
        items = env.upstream.get(f"/api/v1/namespaces/{ns}/pods").json()["items"]
        names[ns] = items[0]["metadata"]["name"]
    cells = []
    for projection in ("pods", "pod-placement", "configmaps", f"nullables.{GROUP}"):
        for ns in ("team-a", "team-b", env.ns, None):
            for verb in ("list", "watch", "get"):
                if verb == "get":
                    if projection not in ("pods", "pod-placement") or ns not in names:
                        continue
                cells.append((projection, ns, verb))
    cells += [("nodes", None, "list"), ("node-view", None, "list"),
              ("node-view", None, "get")]
    differences, outcomes = [], set()
    for user, token in users.items():
        for projection, ns, verb in cells:
            name = names.get(ns) if verb == "get" else None
            if projection == "node-view" and verb == "get":
                name = "kwok-node-1"
            up_path = upstream_path(projection, ns, name)
            kc_path = projection_path(projection, ns, name)
            params = [("watch", "true"), ("timeoutSeconds", "1")] if verb == "watch" else []
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            for _ in range(3):
                up = requests.get(env.upstream.base + up_path, params=params, headers=headers,
                                  verify=cluster.ca, timeout=30, stream=True,
                                  proxies={"http": None, "https": None})
                kc = requests.get(env.api.base + kc_path, params=params, headers=headers,
                                  verify=env.kcache.ca, timeout=30, stream=True,
                                  proxies={"http": None, "https": None})
                up_status, kc_status = up.status_code, kc.status_code
                kc_body = kc.text if kc_status != 200 or verb != "watch" else ""
                up.close()
                kc.close()
                if up_status == kc_status:
                    break
                time.sleep(0.5)
            outcomes.add(up_status)
            cell = f"{user} {verb} {kc_path}"
            if kc_status != up_status:
                differences.append(f"{cell}: kcache {kc_status}, upstream {up_status} "
                                   f"({kc_body[:200]})")
            elif kc_status == 403:
                doc = json.loads(kc_body)
                if (doc.get("kind"), doc.get("code"), doc.get("reason")) != (
                        "Status", 403, "Forbidden"):
                    differences.append(f"{cell}: refusal body {kc_body[:200]}")
    assert not differences, "\n".join(differences)
    assert outcomes == {200, 403}, outcomes


def test_allowed_user_sees_what_the_upstream_shows_her(env):
    token = env.cluster.token("alice")
    r = kc_get(env, projection_path("pod-placement", "team-a"), token=token)
    rv, _, _, items = decode_list(r, "json")
    up = requests.get(env.upstream.base + "/api/v1/namespaces/team-a/pods",
                      params={"resourceVersion": rv, "resourceVersionMatch": "Exact"},
                      headers={"Authorization": f"Bearer {token}"}, verify=env.cluster.ca,
                      proxies={"http": None, "https": None})
    assert up.status_code == 200
    reference = Projection(definition("pod-placement"))
    expected = {key_of(o): reference.json(o) for o in up.json()["items"]}
    assert not compare_sets(expected, keyed(items, "alice's list"), "alice's list")
    w = kc_watch(env, "pod-placement", "team-a", "protobuf", [("resourceVersion", rv)],
                 token=token)
    w.close()
    assert w.status == 200
    w = kc_watch(env, "pod-placement", "team-b", "protobuf", [("resourceVersion", rv)],
                 token=token)
    w.close()
    assert w.status == 403


# =============================================================================================
# 6: configuration


def run_with_config(cluster, config_text, name="bad.yaml", missing=False):
    directory = Path(tempfile.mkdtemp(prefix="kcache-e2e-badconfig-"))
    path = directory / name
    if not missing:
        path.write_text(config_text)
    try:
        proc = subprocess.run(
            [str(KCACHE_BINARY), f"--kubeconfig={cluster.kubeconfig()}",
             f"--data-dir={directory / 'data'}", f"--secure-port={free_port()}",
             f"--config={path}", "--config-reload-interval=1"],
            capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"kcache did not refuse {name}; it ran for 60 s: "
                             f"{(e.stderr or b'')[-500:]!r}") from None
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return proc, str(path)


BAD_CONFIGS = [
    # (id, YAML text, what the message must name)
    ("yaml-syntax", "projections:\n- name: [unclosed\n  resource: pods\n", ["line"]),
    ("bad-name", "projections:\n- name: Bad_Name\n  resource: pods\n", ["Bad_Name"]),
    ("bad-path", "projections:\n- name: ok\n  resource: pods\n  fields: [spec..nodeName]\n",
     ["spec..nodeName"]),
    ("no-resource", "projections:\n- name: ok\n  fields: [spec.nodeName]\n", ["resource"]),
    ("bad-size", "projections:\n- name: ok\n  resource: pods\n  labels:\n"
                 "    maxValueBytes: lots\n", ["maxValueBytes"]),
    ("not-a-list", "projections: pods\n", ["projections"]),
]


@pytest.mark.parametrize("case", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_invalid_config_refuses_to_start(cluster, case):
    _, text, words = case
    proc, path = run_with_config(cluster, text)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"kcache started with an invalid config: {output[-500:]}"
    for word in words:
        assert word in output, f"the message does not name {word!r}: {output[-800:]}"


def test_missing_config_refuses_to_start(cluster):
    proc, path = run_with_config(cluster, "", name="absent.yaml", missing=True)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-500:]
    assert "absent.yaml" in output, output[-800:]


def discovered(env_or_api):
    api = env_or_api.api if isinstance(env_or_api, Env) else env_or_api
    r = api.get(API)
    assert r.status_code == 200, r.text[:300]
    doc = r.json()
    assert doc.get("kind") == "APIResourceList" and doc.get("groupVersion") == \
        "projections.kcache.io/v1", {k: v for k, v in doc.items() if k != "resources"}
    return {res["name"] for res in doc.get("resources", [])}


def test_discovery(env):
    names = discovered(env)
    assert {d["name"] for d in PROJECTIONS} <= names, names
    assert {"pods", "nodes", "configmaps", f"nullables.{GROUP}"} <= names, names
    group = env.api.get("/apis/projections.kcache.io").json()
    assert group.get("name") == "projections.kcache.io" and "v1" in [
        v.get("version") for v in group.get("versions", [])], group


def test_group_stays_out_of_the_upstream_discovery(env):
    """kubectl's and client-go's discovery caches stay exactly the upstream's."""
    for path in ("/apis", "/api"):
        up = env.upstream.get(path).json()
        kc = env.api.get(path).json()
        assert kc == up, f"{path}: {divergence(up, kc)}"
    names = {g["name"] for g in env.api.get("/apis").json()["groups"]}
    assert "projections.kcache.io" not in names
    assert env.api.get(API).status_code == 200


def test_impersonation_headers_are_refused(env):
    for headers in ({"Impersonate-User": "alice"}, {"Impersonate-Group": "team-a"},
                    {"Impersonate-User": "alice", "Impersonate-Group": "team-a"},
                    {"Impersonate-Uid": "1234"}):
        for path, params in ((projection_path("pods", "team-a"), []),
                             (projection_path("pod-placement", env.ns, "p-web"), []),
                             (projection_path("pods", "team-a"), [("watch", "true")])):
            r = env.api.session.get(env.api.base + path, params=params, timeout=30,
                                    headers={"Accept": "application/json", **headers})
            assert_status(r, 400, "BadRequest")


def test_config_reload(cluster):
    directory = Path(tempfile.mkdtemp(prefix="kcache-e2e-reload-"))
    config = directory / "kcache.yaml"
    one = {"name": "cfg-one", "resource": "configmaps", "fields": ["data.a"]}
    two = {"name": "cfg-two", "resource": "configmaps", "fields": ["data.b"],
           "labels": {"include": False}}
    write_config(config, [one])
    kcache = start_kcache(cluster, config, "--resources=configmaps")
    api = Api(kcache.url, kcache.ca, cluster.token("admin"))
    upstream = Api(cluster.url, cluster.ca, cluster.token("admin"))
    failures = lambda: metric_sum(kcache, "kcache_config_reload_failures_total")
    ns = f"proj-reload-{uuid.uuid4().hex[:6]}"
    assert upstream.request("POST", "/api/v1/namespaces",
                            {"metadata": {"name": ns}}).status_code == 201
    assert upstream.request("POST", f"/api/v1/namespaces/{ns}/configmaps", {
        "metadata": {"name": "r-1", "labels": {"l": "1"}},
        "data": {"a": "1", "b": "1"}}).status_code == 201
    watch = None
    try:
        assert "cfg-one" in discovered(api) and "cfg-two" not in discovered(api)
        assert api.get(f"{API}/namespaces/team-a/cfg-two").status_code == 404
        failed_before = failures()

        time.sleep(1.1)
        write_config(config, [one, two])
        wait_until(lambda: "cfg-two" in discovered(api), timeout=10,
                   what="cfg-two in discovery")

        def served():
            r = api.get(f"{API}/namespaces/team-a/cfg-two")
            return r.status_code == 200 and r.json()
        doc = wait_until(served, timeout=10, what="cfg-two served")
        expected = {key_of(o): Projection(two).json(o) for o in upstream_items(
            upstream, "configmaps", "team-a",
            doc["metadata"]["resourceVersion"])}
        assert not compare_sets(expected, keyed(doc["items"], "cfg-two"), "cfg-two")

        # An invalid change is refused and counted; the previous projections stay.
        time.sleep(1.1)
        write_config(config, [one, two, {"name": "cfg-three", "resource": "configmaps",
                                         "fields": ["data..broken"]}])
        wait_until(lambda: failures() >= failed_before + 1, timeout=10,
                   what="kcache_config_reload_failures_total to rise")
        time.sleep(3)  # several reload intervals: counted once, nothing changed
        assert failures() == failed_before + 1
        assert {"cfg-one", "cfg-two"} <= discovered(api) and "cfg-three" not in discovered(api)
        assert api.get(f"{API}/namespaces/team-a/cfg-two").status_code == 200
        assert kcache.process.poll() is None, "kcache exited on a bad reload"

        # A valid change again: cfg-two goes, cfg-one takes its new definition, but a watch
        # started before keeps the definition it started with.
        wait_until(lambda: any(i["metadata"]["name"] == "r-1" for i in api.get(
            f"{API}/namespaces/{ns}/cfg-one").json()["items"]), what="r-1 in kcache")
        start = api.get(f"{API}/namespaces/{ns}/cfg-one").json()["metadata"]["resourceVersion"]
        watch = Watch(api.session, api.base + f"{API}/namespaces/{ns}/cfg-one",
                      [("watch", "true"), ("resourceVersion", start)], "json")
        assert watch.status == 200, watch.text
        time.sleep(1.1)
        one_more = dict(one, fields=["data.a", "data.b"], labels={"include": False})
        write_config(config, [one_more])
        wait_until(lambda: "cfg-two" not in discovered(api), timeout=10,
                   what="cfg-two gone from discovery")
        assert api.get(f"{API}/namespaces/team-a/cfg-two").status_code == 404

        def updated():
            r = api.get(f"{API}/namespaces/team-a/cfg-one")
            doc = r.json()
            return doc if all("labels" not in i["metadata"] for i in doc["items"]) else None
        doc = wait_until(updated, timeout=10, what="cfg-one's new definition")
        expected = {key_of(o): Projection(one_more).json(o) for o in upstream_items(
            upstream, "configmaps", "team-a",
            doc["metadata"]["resourceVersion"])}
        assert not compare_sets(expected, keyed(doc["items"], "cfg-one"), "cfg-one")
        assert failures() == failed_before + 1

        patch = lambda body: upstream.request(
            "PATCH", f"/api/v1/namespaces/{ns}/configmaps/r-1", body,
            content_type="application/merge-patch+json").json()
        patch({"data": {"b": "2"}})  # seen by the new definition only
        changed = patch({"data": {"a": "2"}})
        events = [e for e in watch.collect(
            lambda ev: any(e["type"] != "BOOKMARK" for e in ev), timeout=20)
            if e["type"] != "BOOKMARK"]
        events += [e for e in watch.collect(lambda ev: False, timeout=1)
                   if e["type"] != "BOOKMARK"]
        assert [(e["type"], e["rv"]) for e in events] == [
            ("MODIFIED", changed["metadata"]["resourceVersion"])], events
        assert events[0]["object"] == Projection(one).json(changed)
    finally:
        if watch:
            watch.close()
        stop_private_kcache(kcache)
        upstream.request("DELETE", f"/api/v1/namespaces/{ns}")
        shutil.rmtree(directory, ignore_errors=True)


# =============================================================================================
# 7: the Python client and the command-line example


def client_for(env, user="admin"):
    from kubernetes import config as k8s_config
    return kp.ProjectionClient(k8s_config.new_client_from_config(
        config_file=env.kcache.kubeconfig(user)))


def expected_fields(projection, obj, paths=None):
    p = Projection(definition(projection), {"fields": ",".join(paths)} if paths else None)
    return dict(p.proto(obj)["fields"])


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_python_client_list_get(env, encoding):
    client = client_for(env)
    result = client.list_all("pod-placement", namespace=env.ns, encoding=encoding, limit=2)
    upstream = upstream_items(env.upstream, "pod-placement", env.ns, result.resource_version)
    reference = Projection(definition("pod-placement"))
    assert sorted(o.key for o in result.items) == sorted(key_of(o) for o in upstream)
    by_key = {key_of(o): o for o in upstream}
    for obj in result.items:
        up = by_key[obj.key]
        want = reference.proto(up)
        assert (obj.namespace, obj.name, obj.uid, obj.resource_version, obj.labels,
                obj.annotations) == (want["namespace"], want["name"], want["uid"],
                                     want["resource_version"], want["labels"],
                                     want["annotations"])
        if encoding == "protobuf":
            assert obj.fields == dict(want["fields"])
            assert obj.raw.name == obj.name
        else:
            assert obj.raw == reference.json(up)
        for path in reference.fields:
            assert obj.value(path, "absent") == dict(want["fields"]).get(path, "absent"), path
    one = client.get("pod-placement", "p-web", namespace=env.ns, encoding=encoding,
                     fields=["spec.containers[*].image", "spec.nodeName"])
    up = env.upstream.get(upstream_path("pods", env.ns, "p-web")).json()
    assert one.fields == expected_fields("pod-placement", up,
                                         ["spec.containers[*].image", "spec.nodeName"])
    with pytest.raises(kp.ProjectionError) as refused:
        client.get("pod-placement", "no-such-pod", namespace=env.ns, encoding=encoding)
    assert refused.value.status == 404 and refused.value.reason == "NotFound"
    alice = client_for(env, "alice")
    assert alice.list("pods", namespace="team-a", encoding=encoding, limit=1).items
    with pytest.raises(kp.ProjectionError) as refused:
        alice.list("pods", namespace="team-b", encoding=encoding)
    assert refused.value.status == 403


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_python_client_watch(env, encoding):
    client = client_for(env)
    start = client.list("cm-client", namespace=env.ns, encoding=encoding)
    base = f"/api/v1/namespaces/{env.ns}/configmaps/cm-plain"
    events = client.watch("cm-client", namespace=env.ns, encoding=encoding,
                          resource_version=start.resource_version, read_timeout=30)
    got = []
    try:
        env.patch(base, {"metadata": {"annotations": {"invisible": encoding}}})
        changed = env.patch(base, {"data": {"a": f"client-{encoding}"}})
        for event in events:
            if event.type == "BOOKMARK":
                continue
            got.append(event)
            break
    finally:
        events.close()
    assert [(e.type, e.resource_version) for e in got] == [
        ("MODIFIED", changed["metadata"]["resourceVersion"])]
    want = expected_fields("cm-client", changed)
    if encoding == "protobuf":
        assert got[0].object.fields == want
    for path in definition("cm-client")["fields"]:
        assert got[0].object.value(path, "absent") == want.get(path, "absent"), path
    assert got[0].object.labels == Projection(definition("cm-client")).proto(changed)["labels"]


def run_cli(env, *args, user="admin", timeout=60):
    return subprocess.run([sys.executable, str(CLI), "--kubeconfig",
                           env.kcache.kubeconfig(user), *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_cli_list_and_get(env, encoding):
    flags = ["--json"] if encoding == "json" else []
    paths = ["spec.nodeName", "spec.containers[*].ports[*].containerPort", "status.phase"]
    for _ in range(ATTEMPTS):
        out = run_cli(env, "-n", env.ns, *flags, "--fields", ",".join(paths), "-o", "json",
                      "list", "pod-placement")
        assert out.returncode == 0, out.stderr
        lines = [json.loads(line) for line in out.stdout.splitlines()]
        upstream = env.upstream.get(upstream_path("pods", env.ns)).json()["items"]
        reference = Projection(definition("pod-placement"), {"fields": ",".join(paths)})
        expected = {}
        for o in upstream:
            want = reference.proto(o)
            expected[key_of(o)] = {"namespace": want["namespace"], "name": want["name"],
                                   "uid": want["uid"], "resourceVersion":
                                   want["resource_version"], "labels": want["labels"],
                                   "annotations": want["annotations"],
                                   "fields": dict(want["fields"])}
        got = {f"{line['namespace']}/{line['name']}": line for line in lines}
        why = compare_sets(expected, got, "kcache-projection list")
        if not why:
            break
        time.sleep(0.3)
    assert not why, why
    out = run_cli(env, "-n", env.ns, *flags, "get", "pod-placement", "p-web")
    assert out.returncode == 0, out.stderr
    up = env.upstream.get(upstream_path("pods", env.ns, "p-web")).json()
    key, _, fields = out.stdout.strip().partition(" ")
    assert key == f"{env.ns}/p-web"
    if encoding == "protobuf":
        assert json.loads(fields) == expected_fields("pod-placement", up)
    else:  # without --fields the JSON form's top-level parts are printed
        doc = Projection(definition("pod-placement")).json(up)
        assert json.loads(fields) == {k: v for k, v in doc.items() if k != "metadata"}
    refused = run_cli(env, "-n", "team-b", *flags, "list", "pods", user="alice")
    assert refused.returncode == 1 and "403" in refused.stderr, refused
    missing = run_cli(env, "-n", env.ns, *flags, "get", "pods", "no-such-pod")
    assert missing.returncode == 1 and "404" in missing.stderr, missing


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_cli_watch(env, encoding):
    flags = ["--json"] if encoding == "json" else []
    proc = subprocess.Popen([sys.executable, str(CLI), "--kubeconfig", env.kcache.kubeconfig(),
                             "-n", env.ns, *flags, "watch", "cm-client"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
    try:
        def take(until, timeout=30):
            got = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not until(got):
                try:
                    got.append(lines.get(timeout=0.2).rstrip("\n"))
                except queue.Empty:
                    if proc.poll() is not None:
                        break
            return got
        names = [o["metadata"]["name"] for o in env.upstream.get(
            upstream_path("configmaps", env.ns)).json()["items"]]
        wanted = {f"ADDED {env.ns}/{n}" for n in names}
        heads = lambda got: {" ".join(l.split(" ", 2)[:2]) for l in got}
        initial = take(lambda got: wanted <= heads(got))
        assert wanted <= heads(initial), (initial, proc.poll())
        base = f"/api/v1/namespaces/{env.ns}/configmaps/cm-plain"
        env.patch(base, {"metadata": {"labels": {"invisible": encoding}}})
        changed = env.patch(base, {"data": {"b": f"cli-{encoding}"}})
        seen = take(lambda got: any("MODIFIED" in l for l in got))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    modified = [l for l in seen if l.startswith("MODIFIED ")]
    assert len(modified) == 1, seen
    kind, key, fields = modified[0].split(" ", 2)
    assert key == f"{env.ns}/cm-plain"
    if encoding == "protobuf":
        assert json.loads(fields) == expected_fields("cm-client", changed)
    else:
        doc = Projection(definition("cm-client")).json(changed)
        assert json.loads(fields) == {k: v for k, v in doc.items() if k != "metadata"}
