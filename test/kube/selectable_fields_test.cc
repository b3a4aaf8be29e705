#include "kube/selectable_fields.h"

#include <gtest/gtest.h>

#include <string>

namespace kcache {
namespace {

// The converted selector's String(), or the rejection message.
std::string Convert(const SelectableFieldSet& set, std::string_view selector) {
  auto parsed = FieldSelector::Parse(selector);
  EXPECT_TRUE(parsed.has_value()) << selector;
  if (!parsed) return "<parse error>";
  auto converted = ValidateFieldSelector(*parsed, set);
  return converted ? converted->String() : converted.error();
}

std::string Convert(std::string_view group, std::string_view resource, std::string_view selector,
                    bool namespaced = true) {
  return Convert(SelectableFieldsFor(group, resource, namespaced), selector);
}

const SelectableField* FindField(const SelectableFieldSet& set, std::string_view label) {
  for (const SelectableField& field : set.fields) {
    if (field.label == label) return &field;
  }
  return nullptr;
}

// Checks one field's source and kind.
void ExpectField(const SelectableFieldSet& set, std::string_view label, std::string_view pointer,
                 FieldValueKind kind = FieldValueKind::kString, std::string_view fallback = "") {
  const SelectableField* field = FindField(set, label);
  ASSERT_NE(field, nullptr) << label;
  EXPECT_EQ(field->json_pointer, pointer) << label;
  EXPECT_EQ(field->kind, kind) << label;
  EXPECT_EQ(field->fallback_json_pointer, fallback) << label;
}

// ---- Default conversion ---------------------------------------------------------------------

TEST(SelectableFieldsTest, UnknownResourceAllowsOnlyMetadata) {
  SelectableFieldSet set = SelectableFieldsFor("apps", "deployments", true);
  EXPECT_EQ(set.error_style, FieldLabelErrorStyle::kDefaultMetadataOnly);
  EXPECT_TRUE(set.fields.empty());
  EXPECT_EQ(Convert(set, "metadata.name=a,metadata.namespace=b"),
            "metadata.name=a,metadata.namespace=b");
  EXPECT_EQ(
      Convert(set, "foo=bar"),
      "\"foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
}

TEST(SelectableFieldsTest, DefaultRejectionQuotesTheLabelLikeGo) {
  EXPECT_EQ(Convert("apps", "deployments", "a\"b=1"),
            "\"a\\\"b\" is not a known field selector: only \"metadata.name\", "
            "\"metadata.namespace\"");
  EXPECT_EQ(Convert("apps", "deployments", "=x"),
            "\"\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
}

TEST(SelectableFieldsTest, ReplicaSetsUseTheDefaultConversion) {
  // apps/v1 registers no conversion func (kubernetes/kubernetes#135136).
  EXPECT_EQ(Convert("apps", "replicasets", "status.replicas=0"),
            "\"status.replicas\" is not a known field selector: only \"metadata.name\", "
            "\"metadata.namespace\"");
}

TEST(SelectableFieldsTest, ClusterScopedDefaultAcceptsNamespaceButHasNoValue) {
  SelectableFieldSet set = SelectableFieldsFor("rbac.authorization.k8s.io", "clusterroles", false);
  EXPECT_FALSE(set.namespaced);
  EXPECT_TRUE(set.accepts_metadata_namespace);
  EXPECT_EQ(Convert(set, "metadata.namespace=x"), "metadata.namespace=x");
}

TEST(SelectableFieldsTest, CronJobsAndVolumeClaimsUseTheDefault) {
  EXPECT_EQ(SelectableFieldsFor("batch", "cronjobs", true).error_style,
            FieldLabelErrorStyle::kDefaultMetadataOnly);
  EXPECT_EQ(SelectableFieldsFor("", "persistentvolumeclaims", true).error_style,
            FieldLabelErrorStyle::kDefaultMetadataOnly);
  EXPECT_EQ(SelectableFieldsFor("", "persistentvolumes", false).error_style,
            FieldLabelErrorStyle::kDefaultMetadataOnly);
  EXPECT_EQ(SelectableFieldsFor("", "configmaps", true).error_style,
            FieldLabelErrorStyle::kDefaultMetadataOnly);
}

// ---- Core kinds -----------------------------------------------------------------------------

TEST(SelectableFieldsTest, PodFields) {
  SelectableFieldSet set = SelectableFieldsFor("", "pods", true);
  EXPECT_EQ(set.error_style, FieldLabelErrorStyle::kNotSupported);
  EXPECT_TRUE(set.namespaced);
  ExpectField(set, "spec.nodeName", "/spec/nodeName");
  ExpectField(set, "spec.restartPolicy", "/spec/restartPolicy");
  ExpectField(set, "spec.schedulerName", "/spec/schedulerName");
  ExpectField(set, "spec.serviceAccountName", "/spec/serviceAccountName");
  ExpectField(set, "spec.hostNetwork", "/spec/hostNetwork", FieldValueKind::kBool);
  ExpectField(set, "status.phase", "/status/phase");
  ExpectField(set, "status.podIP", "/status/podIP");
  ExpectField(set, "status.nominatedNodeName", "/status/nominatedNodeName");
  EXPECT_EQ(set.fields.size(), 9u);
}

TEST(SelectableFieldsTest, PodIPsIsAcceptedButNeverHasAValue) {
  SelectableFieldSet set = SelectableFieldsFor("", "pods", true);
  ExpectField(set, "status.podIPs", "");
  EXPECT_EQ(Convert(set, "status.podIPs=10.0.0.1"), "status.podIPs=10.0.0.1");
}

TEST(SelectableFieldsTest, PodSpecHostIsRenamedToNodeName) {
  EXPECT_EQ(Convert("", "pods", "spec.host=node-1"), "spec.nodeName=node-1");
}

TEST(SelectableFieldsTest, PodRejectsUnknownField) {
  EXPECT_EQ(Convert("", "pods", "foo=bar"), "field label not supported: foo");
  EXPECT_EQ(Convert("", "pods", "a\"b=1"), "field label not supported: a\"b");
  EXPECT_EQ(Convert("", "pods", "status.hostIP=1"), "field label not supported: status.hostIP");
}

TEST(SelectableFieldsTest, PodAcceptsMetadataAndKeepsOperators) {
  EXPECT_EQ(Convert("", "pods", "metadata.namespace=ns,status.phase!=Failed,metadata.name==p"),
            "metadata.name=p,metadata.namespace=ns,status.phase!=Failed");
}

TEST(SelectableFieldsTest, NodeFieldsAndNoNamespace) {
  SelectableFieldSet set = SelectableFieldsFor("", "nodes", false);
  EXPECT_FALSE(set.namespaced);
  ExpectField(set, "spec.unschedulable", "/spec/unschedulable", FieldValueKind::kBool);
  EXPECT_EQ(set.fields.size(), 1u);
  EXPECT_EQ(Convert(set, "spec.unschedulable=false,metadata.name=n"),
            "metadata.name=n,spec.unschedulable=false");
  EXPECT_EQ(Convert(set, "metadata.namespace=x"), "field label not supported: metadata.namespace");
}

TEST(SelectableFieldsTest, NamespaceFieldsAndNoNamespace) {
  SelectableFieldSet set = SelectableFieldsFor("", "namespaces", false);
  ExpectField(set, "status.phase", "/status/phase");
  EXPECT_EQ(set.fields.size(), 1u);
  EXPECT_EQ(Convert(set, "status.phase=Active"), "status.phase=Active");
  EXPECT_EQ(Convert(set, "metadata.namespace=x"), "field label not supported: metadata.namespace");
  // The registry's legacy "name" key is not reachable through conversion.
  EXPECT_EQ(Convert(set, "name=x"), "field label not supported: name");
}

TEST(SelectableFieldsTest, ReplicationControllerReplicas) {
  SelectableFieldSet set = SelectableFieldsFor("", "replicationcontrollers", true);
  ExpectField(set, "status.replicas", "/status/replicas", FieldValueKind::kInt);
  EXPECT_EQ(set.fields.size(), 1u);
  EXPECT_EQ(Convert(set, "status.replicas=0"), "status.replicas=0");
  EXPECT_EQ(Convert(set, "spec.replicas=0"), "field label not supported: spec.replicas");
}

TEST(SelectableFieldsTest, SecretType) {
  SelectableFieldSet set = SelectableFieldsFor("", "secrets", true);
  ExpectField(set, "type", "/type");
  EXPECT_EQ(set.fields.size(), 1u);
  EXPECT_EQ(Convert(set, "type=kubernetes.io/tls"), "type=kubernetes.io/tls");
  EXPECT_EQ(Convert(set, "data=x"), "field label not supported: data");
}

TEST(SelectableFieldsTest, ServiceClusterIPAndType) {
  SelectableFieldSet set = SelectableFieldsFor("", "services", true);
  ExpectField(set, "spec.clusterIP", "/spec/clusterIP");
  ExpectField(set, "spec.type", "/spec/type");
  EXPECT_EQ(set.fields.size(), 2u);
  EXPECT_EQ(Convert(set, "spec.type=ClusterIP"), "spec.type=ClusterIP");
  EXPECT_EQ(Convert(set, "spec.ports=1"), "field label not supported: spec.ports");
}

TEST(SelectableFieldsTest, CoreEventFields) {
  SelectableFieldSet set = SelectableFieldsFor("", "events", true);
  ExpectField(set, "involvedObject.kind", "/involvedObject/kind");
  ExpectField(set, "involvedObject.namespace", "/involvedObject/namespace");
  ExpectField(set, "involvedObject.name", "/involvedObject/name");
  ExpectField(set, "involvedObject.uid", "/involvedObject/uid");
  ExpectField(set, "involvedObject.apiVersion", "/involvedObject/apiVersion");
  ExpectField(set, "involvedObject.resourceVersion", "/involvedObject/resourceVersion");
  ExpectField(set, "involvedObject.fieldPath", "/involvedObject/fieldPath");
  ExpectField(set, "reason", "/reason");
  ExpectField(set, "reportingComponent", "/reportingComponent");
  ExpectField(set, "source", "/source/component", FieldValueKind::kString, "/reportingComponent");
  ExpectField(set, "type", "/type");
  EXPECT_EQ(set.fields.size(), 11u);
  EXPECT_EQ(Convert(set, "involvedObject.kind=Pod,source=kubelet"),
            "involvedObject.kind=Pod,source=kubelet");
  EXPECT_EQ(Convert(set, "regarding.kind=Pod"), "field label not supported: regarding.kind");
}

// ---- Other built-in groups ------------------------------------------------------------------

TEST(SelectableFieldsTest, EventsK8sIoMapsRegardingToCoreNames) {
  SelectableFieldSet set = SelectableFieldsFor("events.k8s.io", "events", true);
  EXPECT_EQ(Convert(set, "regarding.kind=Pod,regarding.name=p,reportingController=kubelet"),
            "involvedObject.kind=Pod,involvedObject.name=p,reportingComponent=kubelet");
  EXPECT_EQ(Convert(set, "regarding.namespace=n,regarding.uid=u,regarding.apiVersion=v1"),
            "involvedObject.apiVersion=v1,involvedObject.namespace=n,involvedObject.uid=u");
  EXPECT_EQ(Convert(set, "regarding.resourceVersion=1,regarding.fieldPath=f"),
            "involvedObject.fieldPath=f,involvedObject.resourceVersion=1");
  EXPECT_EQ(Convert(set, "reason=BackOff,type=Warning,source=kubelet"),
            "reason=BackOff,source=kubelet,type=Warning");
  EXPECT_EQ(Convert(set, "metadata.namespace=a,metadata.name=b"),
            "metadata.name=b,metadata.namespace=a");
}

TEST(SelectableFieldsTest, EventsK8sIoRejectsCoreSpellings) {
  EXPECT_EQ(Convert("events.k8s.io", "events", "involvedObject.kind=Pod"),
            "field label not supported: involvedObject.kind");
  EXPECT_EQ(Convert("events.k8s.io", "events", "reportingComponent=x"),
            "field label not supported: reportingComponent");
  EXPECT_EQ(Convert("events.k8s.io", "events", "note=x"), "field label not supported: note");
}

TEST(SelectableFieldsTest, EventsK8sIoValuesComeFromItsOwnRepresentation) {
  SelectableFieldSet set = SelectableFieldsFor("events.k8s.io", "events", true);
  ExpectField(set, "involvedObject.kind", "/regarding/kind");
  ExpectField(set, "involvedObject.namespace", "/regarding/namespace");
  ExpectField(set, "involvedObject.name", "/regarding/name");
  ExpectField(set, "involvedObject.uid", "/regarding/uid");
  ExpectField(set, "involvedObject.apiVersion", "/regarding/apiVersion");
  ExpectField(set, "involvedObject.resourceVersion", "/regarding/resourceVersion");
  ExpectField(set, "involvedObject.fieldPath", "/regarding/fieldPath");
  ExpectField(set, "reason", "/reason");
  ExpectField(set, "reportingComponent", "/reportingController");
  ExpectField(set, "source", "/deprecatedSource/component", FieldValueKind::kString,
              "/reportingController");
  ExpectField(set, "type", "/type");
}

TEST(SelectableFieldsTest, JobSuccessfulReadsSucceeded) {
  SelectableFieldSet set = SelectableFieldsFor("batch", "jobs", true);
  ExpectField(set, "status.successful", "/status/succeeded", FieldValueKind::kInt);
  EXPECT_EQ(set.fields.size(), 1u);
  EXPECT_EQ(Convert(set, "status.successful=1,metadata.namespace=n"),
            "metadata.namespace=n,status.successful=1");
}

TEST(SelectableFieldsTest, JobRejectionQuotesLabelAndNamesKind) {
  EXPECT_EQ(Convert("batch", "jobs", "status.active=1"),
            "field label \"status.active\" not supported for Job");
  EXPECT_EQ(Convert("batch", "jobs", "a\"b=1"), "field label \"a\\\"b\" not supported for Job");
}

TEST(SelectableFieldsTest, CertificateSigningRequestSignerName) {
  SelectableFieldSet set =
      SelectableFieldsFor("certificates.k8s.io", "certificatesigningrequests", false);
  ExpectField(set, "spec.signerName", "/spec/signerName");
  EXPECT_EQ(set.fields.size(), 1u);
  EXPECT_FALSE(set.namespaced);
  EXPECT_EQ(Convert(set, "spec.signerName=kubernetes.io/kubelet-serving"),
            "spec.signerName=kubernetes.io/kubelet-serving");
  EXPECT_EQ(Convert(set, "metadata.namespace=x"), "field label not supported: metadata.namespace");
}

TEST(SelectableFieldsTest, ClusterTrustBundleSignerName) {
  SelectableFieldSet set = SelectableFieldsFor("certificates.k8s.io", "clustertrustbundles", false);
  ExpectField(set, "spec.signerName", "/spec/signerName");
  EXPECT_EQ(Convert(set, "spec.signerName=x"), "spec.signerName=x");
  EXPECT_EQ(Convert(set, "spec.trustBundle=x"), "field label not supported: spec.trustBundle");
}

TEST(SelectableFieldsTest, PodCertificateRequestRejectsNamespaceLabel) {
  SelectableFieldSet set =
      SelectableFieldsFor("certificates.k8s.io", "podcertificaterequests", true);
  ExpectField(set, "spec.signerName", "/spec/signerName");
  ExpectField(set, "spec.podName", "/spec/podName");
  ExpectField(set, "spec.nodeName", "/spec/nodeName");
  EXPECT_TRUE(set.namespaced);
  EXPECT_EQ(Convert(set, "spec.podName=p,spec.nodeName=n"), "spec.nodeName=n,spec.podName=p");
  EXPECT_EQ(Convert(set, "metadata.namespace=x"), "field label not supported: metadata.namespace");
}

TEST(SelectableFieldsTest, ResourceSliceNodeNameAndDriver) {
  SelectableFieldSet set = SelectableFieldsFor("resource.k8s.io", "resourceslices", false);
  ExpectField(set, "spec.nodeName", "/spec/nodeName");
  ExpectField(set, "spec.driver", "/spec/driver");
  EXPECT_EQ(Convert(set, "spec.nodeName=n,spec.driver=d"), "spec.driver=d,spec.nodeName=n");
  EXPECT_EQ(Convert(set, "spec.pool=x"),
            "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: spec.pool");
  EXPECT_EQ(Convert(set, "metadata.namespace=x"),
            "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: "
            "metadata.namespace");
}

TEST(SelectableFieldsTest, ResourceSliceRejectionNamesTheRequestedVersion) {
  SelectableFieldSet set =
      SelectableFieldsFor("resource.k8s.io", "resourceslices", false, "v1beta2");
  EXPECT_EQ(Convert(set, "x=y"),
            "field label not supported for resource.k8s.io/v1beta2, Kind=ResourceSlice: x");
}

// ---- Custom resources -----------------------------------------------------------------------

TEST(SelectableFieldsTest, CustomResourceFieldsFromJsonPaths) {
  SelectableFieldSet set =
      SelectableFieldsForCustomResource({".spec.color", ".status.size", ".spec.a~b/c"}, true);
  ExpectField(set, "spec.color", "/spec/color", FieldValueKind::kJsonScalar);
  ExpectField(set, "status.size", "/status/size", FieldValueKind::kJsonScalar);
  ExpectField(set, "spec.a~b/c", "/spec/a~0b~1c", FieldValueKind::kJsonScalar);
  EXPECT_EQ(Convert(set, "spec.color=red,metadata.namespace=n"),
            "metadata.namespace=n,spec.color=red");
  EXPECT_EQ(Convert(set, "spec.shape=round"), "field label not supported: spec.shape");
}

TEST(SelectableFieldsTest, CustomResourceWithoutFieldsStillUsesItsOwnMessage) {
  SelectableFieldSet set = SelectableFieldsForCustomResource({}, true);
  EXPECT_EQ(Convert(set, "metadata.name=a"), "metadata.name=a");
  EXPECT_EQ(Convert(set, "spec.x=1"), "field label not supported: spec.x");
}

TEST(SelectableFieldsTest, ClusterScopedCustomResourceRejectsNamespace) {
  SelectableFieldSet set = SelectableFieldsForCustomResource({".spec.color"}, false);
  EXPECT_FALSE(set.namespaced);
  EXPECT_EQ(Convert(set, "metadata.namespace=x"), "field label not supported: metadata.namespace");
}

// ---- Conversion keeps selectors usable ------------------------------------------------------

TEST(SelectableFieldsTest, EmptySelectorConvertsToEmpty) {
  auto converted = ValidateFieldSelector(FieldSelector(), SelectableFieldsFor("", "pods", true));
  ASSERT_TRUE(converted.has_value());
  EXPECT_TRUE(converted->Empty());
}

TEST(SelectableFieldsTest, FirstRejectedTermInSortedOrderIsReported) {
  EXPECT_EQ(Convert("", "pods", "zzz=1,aaa=2"), "field label not supported: aaa");
}

TEST(SelectableFieldsTest, ConvertedSelectorMatchesCanonicalValues) {
  auto parsed = FieldSelector::Parse("spec.host=node-1");
  ASSERT_TRUE(parsed.has_value());
  auto converted = ValidateFieldSelector(*parsed, SelectableFieldsFor("", "pods", true));
  ASSERT_TRUE(converted.has_value());
  EXPECT_TRUE(converted->Matches({{"spec.nodeName", "node-1"}}));
  EXPECT_FALSE(converted->Matches({{"spec.nodeName", "node-2"}}));
  EXPECT_EQ(converted->RequiredValue("spec.nodeName"), "node-1");
}

// ---- Value rendering ------------------------------------------------------------------------

TEST(SelectableFieldsTest, StringFieldRendering) {
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kString, JsonValueType::kString, "Running"),
            "Running");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kString, JsonValueType::kMissing, ""), "");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kString, JsonValueType::kNull, "null"), "");
}

TEST(SelectableFieldsTest, BoolFieldRenderingDefaultsToFalse) {
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kBool, JsonValueType::kBool, "true"), "true");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kBool, JsonValueType::kBool, "false"), "false");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kBool, JsonValueType::kMissing, ""), "false");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kBool, JsonValueType::kNull, "null"), "false");
}

TEST(SelectableFieldsTest, IntFieldRenderingDefaultsToZero) {
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kInt, JsonValueType::kNumber, "3"), "3");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kInt, JsonValueType::kNumber, "-0"), "0");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kInt, JsonValueType::kMissing, ""), "0");
  EXPECT_EQ(RenderFieldValue(FieldValueKind::kInt, JsonValueType::kNull, "null"), "0");
}

TEST(SelectableFieldsTest, CustomResourceScalarRenderingFollowsFmtSprint) {
  auto render = [](JsonValueType type, std::string_view text) {
    return RenderFieldValue(FieldValueKind::kJsonScalar, type, text);
  };
  EXPECT_EQ(render(JsonValueType::kString, "red"), "red");
  EXPECT_EQ(render(JsonValueType::kBool, "true"), "true");
  EXPECT_EQ(render(JsonValueType::kNumber, "42"), "42");
  EXPECT_EQ(render(JsonValueType::kNumber, "-7"), "-7");
  EXPECT_EQ(render(JsonValueType::kNumber, "1.5"), "1.5");
  EXPECT_EQ(render(JsonValueType::kNumber, "1.0"), "1");
  EXPECT_EQ(render(JsonValueType::kNumber, "1e6"), "1e+06");
  EXPECT_EQ(render(JsonValueType::kNumber, "123456.0"), "123456");
  EXPECT_EQ(render(JsonValueType::kNumber, "1234567.5"), "1.2345675e+06");
  EXPECT_EQ(render(JsonValueType::kNumber, "0.0001"), "0.0001");
  EXPECT_EQ(render(JsonValueType::kNumber, "0.00001"), "1e-05");
  EXPECT_EQ(render(JsonValueType::kNumber, "12345678901234567890"), "1.2345678901234567e+19");
  EXPECT_EQ(render(JsonValueType::kMissing, ""), "");
  EXPECT_EQ(render(JsonValueType::kNull, "null"), "");
  EXPECT_EQ(render(JsonValueType::kOther, "{}"), "");
}

}  // namespace
}  // namespace kcache
