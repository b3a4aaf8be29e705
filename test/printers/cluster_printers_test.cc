// Expected cells are kube-apiserver 1.37.2's. The golden rows were served by a dev cluster for
// objects created to exercise each printer (the objects as served, trimmed of managed fields;
// ages recomputed for kNow by apimachinery's HumanDuration). The hand-made cases cover branches
// a served object cannot reach; their expected cells follow pkg/printers/internalversion.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "test/printers/print_for_test.h"

namespace kcache {
namespace {

constexpr std::string_view kNow = "2026-11-29T02:00:00Z";

// Rows served for the objects created in the dev cluster (and a few of its own).
const WrappedUpstreamRow kRoleBindings[] = {
    {R"json({"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",
        "metadata":{"name":"printers-cluster-rb","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:11Z"},"subjects":[{"kind":"User",
        "apiGroup":"rbac.authorization.k8s.io","name":"printers-alice"},{"kind":"ServiceAccount",
        "name":"printers-sa","namespace":"printers-cluster"},{"kind":"Group",
        "apiGroup":"rbac.authorization.k8s.io","name":"printers-group-1"},{"kind":"User",
        "apiGroup":"rbac.authorization.k8s.io","name":"printers-bob"},{"kind":"Group",
        "apiGroup":"rbac.authorization.k8s.io","name":"printers-group-2"},{"kind":"ServiceAccount",
        "name":"printers-sa-2","namespace":"default"}],
        "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role",
        "name":"printers-cluster-missing-role"}})json",
     R"json(["printers-cluster-rb","Role/printers-cluster-missing-role","127m",
        "printers-alice, printers-bob","printers-group-1, printers-group-2",
        "printers-cluster/printers-sa, default/printers-sa-2"])json"},
    {R"json({"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",
        "metadata":{"name":"printers-cluster-rb-empty","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:11Z"},
        "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}})json",
     R"json(["printers-cluster-rb-empty","ClusterRole/view","127m","","",""])json"},
};

const WrappedUpstreamRow kClusterRoleBindings[] = {
    {R"json({"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",
        "metadata":{"name":"printers-cluster-crb","creationTimestamp":"2026-11-28T23:52:11Z"},
        "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io",
        "name":"printers-group-1"},{"kind":"ServiceAccount","name":"printers-sa",
        "namespace":"printers-cluster"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io",
        "kind":"ClusterRole","name":"printers-cluster-missing-role"}})json",
     R"json(["printers-cluster-crb","ClusterRole/printers-cluster-missing-role","127m","",
        "printers-group-1","printers-cluster/printers-sa"])json"},
    {R"json({"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1",
        "metadata":{"name":"cluster-admin","creationTimestamp":"2026-11-28T23:47:18Z",
        "labels":{"kubernetes.io/bootstrapping":"rbac-defaults"},
        "annotations":{"rbac.authorization.kubernetes.io/autoupdate":"true"}},
        "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io",
        "name":"system:masters"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io",
        "kind":"ClusterRole","name":"cluster-admin"}})json",
     R"json(["cluster-admin","ClusterRole/cluster-admin","132m","","system:masters",""])json"},
};

const WrappedUpstreamRow kCertificateSigningRequests[] = {
    {R"json({"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csr-approved",
        "creationTimestamp":"2026-11-28T23:52:17Z"},
        "spec":{"request":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K",
        "signerName":"printers-cluster.example/signer","expirationSeconds":90000,
        "usages":["client auth"],"username":"kcache-admin","uid":"uid-kcache-admin",
        "groups":["system:masters","system:authenticated"]},
        "status":{"conditions":[{"type":"Approved","status":"True","reason":"KubectlApprove",
        "message":"This CSR was approved by kubectl certificate approve.",
        "lastUpdateTime":"2026-11-28T23:52:17Z","lastTransitionTime":"2026-11-28T23:52:17Z"}]}})json",
     R"json(["printers-cluster-csr-approved","127m","printers-cluster.example/signer",
        "kcache-admin","25h","Approved"])json"},
    {R"json({"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csr-denied",
        "creationTimestamp":"2026-11-28T23:52:17Z"},
        "spec":{"request":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K",
        "signerName":"printers-cluster.example/signer","expirationSeconds":600,
        "usages":["client auth"],"username":"kcache-admin","uid":"uid-kcache-admin",
        "groups":["system:masters","system:authenticated"]},
        "status":{"conditions":[{"type":"Denied","status":"True","reason":"KubectlDeny",
        "message":"This CSR was denied by kubectl certificate deny.",
        "lastUpdateTime":"2026-11-28T23:52:17Z","lastTransitionTime":"2026-11-28T23:52:17Z"},
        {"type":"Failed","status":"True","reason":"PrintersTest","message":"m",
        "lastUpdateTime":"2026-11-28T23:52:17Z","lastTransitionTime":"2026-11-28T23:52:17Z"}]}})json",
     R"json(["printers-cluster-csr-denied","127m","printers-cluster.example/signer","kcache-admin",
        "10m","Denied,Failed"])json"},
    {R"json({"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csr-issued",
        "creationTimestamp":"2026-11-28T23:52:17Z"},
        "spec":{"request":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K",
        "signerName":"printers-cluster.example/signer","usages":["client auth"],
        "username":"kcache-admin","uid":"uid-kcache-admin","groups":["system:masters",
        "system:authenticated"]},"status":{"conditions":[{"type":"Approved","status":"True",
        "reason":"KubectlApprove","message":"This CSR was approved by kubectl certificate approve.",
        "lastUpdateTime":"2026-11-28T23:52:17Z","lastTransitionTime":"2026-11-28T23:52:17Z"},
        {"type":"Failed","status":"True","reason":"PrintersTest","message":"m",
        "lastUpdateTime":"2026-11-28T23:52:17Z","lastTransitionTime":"2026-11-28T23:52:17Z"}],
        "certificate":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="}})json",
     R"json(["printers-cluster-csr-issued","127m","printers-cluster.example/signer","kcache-admin",
        "\u003cnone\u003e","Approved,Failed,Issued"])json"},
    {R"json({"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1",
        "metadata":{"name":"printers-cluster-csr-pending",
        "creationTimestamp":"2026-11-28T23:52:17Z"},
        "spec":{"request":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K",
        "signerName":"printers-cluster.example/signer","expirationSeconds":3600,
        "usages":["client auth"],"username":"kcache-admin","uid":"uid-kcache-admin",
        "groups":["system:masters","system:authenticated"]},"status":{}})json",
     R"json(["printers-cluster-csr-pending","127m","printers-cluster.example/signer",
        "kcache-admin","60m","Pending"])json"},
};

const WrappedUpstreamRow kClusterTrustBundles[] = {
    {R"json({"kind":"ClusterTrustBundle","apiVersion":"certificates.k8s.io/v1",
        "metadata":{"name":"printers-cluster-ctb","creationTimestamp":"2026-11-28T23:52:21Z"},
        "spec":{"trustBundle":"-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n"}})json",
     R"json(["printers-cluster-ctb","\u003cnone\u003e"])json"},
    {R"json({"kind":"ClusterTrustBundle","apiVersion":"certificates.k8s.io/v1",
        "metadata":{"name":"printers-cluster.example:signer:one",
        "creationTimestamp":"2026-11-28T23:52:21Z"},
        "spec":{"signerName":"printers-cluster.example/signer",
        "trustBundle":"-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n"}})json",
     R"json(["printers-cluster.example:signer:one","printers-cluster.example/signer"])json"},
};

const WrappedUpstreamRow kLeases[] = {
    {R"json({"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
        "metadata":{"name":"printers-cluster-lease-free","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:21Z"},"spec":{}})json",
     R"json(["printers-cluster-lease-free","","127m"])json"},
    {R"json({"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
        "metadata":{"name":"printers-cluster-lease-held","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:21Z"},"spec":{"holderIdentity":"printers-holder",
        "leaseDurationSeconds":15}})json",
     R"json(["printers-cluster-lease-held","printers-holder","127m"])json"},
};

const WrappedUpstreamRow kPriorityClasses[] = {
    {R"json({"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1",
        "metadata":{"name":"printers-cluster-pc-default",
        "creationTimestamp":"2026-11-28T23:52:21Z"},"value":1000,
        "preemptionPolicy":"PreemptLowerPriority"})json",
     R"json(["printers-cluster-pc-default",1000,false,"127m","PreemptLowerPriority"])json"},
    {R"json({"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1",
        "metadata":{"name":"printers-cluster-pc-never","creationTimestamp":"2026-11-28T23:52:21Z"},
        "value":-5,"description":"printers","preemptionPolicy":"Never"})json",
     R"json(["printers-cluster-pc-never",-5,false,"127m","Never"])json"},
    {R"json({"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1",
        "metadata":{"name":"system-node-critical","creationTimestamp":"2026-11-28T23:47:18Z"},
        "value":2000001000,
        "description":"Used for system critical pods that must not be moved from their current node.",
        "preemptionPolicy":"PreemptLowerPriority"})json",
     R"json(["system-node-critical",2000001000,false,"132m","PreemptLowerPriority"])json"},
};

const WrappedUpstreamRow kRuntimeClasses[] = {
    {R"json({"kind":"RuntimeClass","apiVersion":"node.k8s.io/v1",
        "metadata":{"name":"printers-cluster-rc","creationTimestamp":"2026-11-28T23:52:21Z"},
        "handler":"printers-handler"})json",
     R"json(["printers-cluster-rc","printers-handler","127m"])json"},
};

const WrappedUpstreamRow kMutatingWebhookConfigurations[] = {
    {R"json({"kind":"MutatingWebhookConfiguration","apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-mwc","creationTimestamp":"2026-11-28T23:52:27Z"},
        "webhooks":[{"name":"a.printers-cluster.example",
        "clientConfig":{"url":"https://printers-cluster.invalid/a"},"failurePolicy":"Ignore",
        "matchPolicy":"Equivalent","namespaceSelector":{},"objectSelector":{},"sideEffects":"None",
        "timeoutSeconds":10,"admissionReviewVersions":["v1"],"reinvocationPolicy":"Never"},
        {"name":"b.printers-cluster.example",
        "clientConfig":{"url":"https://printers-cluster.invalid/b"},"failurePolicy":"Ignore",
        "matchPolicy":"Equivalent","namespaceSelector":{},"objectSelector":{},"sideEffects":"None",
        "timeoutSeconds":10,"admissionReviewVersions":["v1"],"reinvocationPolicy":"Never"}]})json",
     R"json(["printers-cluster-mwc",2,"127m"])json"},
    {R"json({"kind":"MutatingWebhookConfiguration","apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-mwc-empty","creationTimestamp":"2026-11-28T23:52:27Z"}})json",
     R"json(["printers-cluster-mwc-empty",0,"127m"])json"},
};

const WrappedUpstreamRow kValidatingWebhookConfigurations[] = {
    {R"json({"kind":"ValidatingWebhookConfiguration",
        "apiVersion":"admissionregistration.k8s.io/v1","metadata":{"name":"printers-cluster-vwc",
        "creationTimestamp":"2026-11-28T23:52:27Z"},
        "webhooks":[{"name":"a.printers-cluster.example",
        "clientConfig":{"url":"https://printers-cluster.invalid/a"},"failurePolicy":"Ignore",
        "matchPolicy":"Equivalent","namespaceSelector":{},"objectSelector":{},"sideEffects":"None",
        "timeoutSeconds":10,"admissionReviewVersions":["v1"]}]})json",
     R"json(["printers-cluster-vwc",1,"127m"])json"},
};

const WrappedUpstreamRow kValidatingAdmissionPolicies[] = {
    {R"json({"kind":"ValidatingAdmissionPolicy","apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vap-params",
        "creationTimestamp":"2026-11-28T23:52:27Z"},"spec":{"paramKind":{"apiVersion":"v1",
        "kind":"ConfigMap"},"matchConstraints":{"namespaceSelector":{},"objectSelector":{},
        "resourceRules":[{"operations":["CREATE"],"apiGroups":["printers-cluster.example"],
        "apiVersions":["v1"],"resources":["nothings"],"scope":"*"}],"matchPolicy":"Equivalent"},
        "validations":[{"expression":"true"},{"expression":"1 == 1"}],"failurePolicy":"Fail"},
        "status":{"observedGeneration":1,"typeChecking":{}}})json",
     R"json(["printers-cluster-vap-params",2,"v1/ConfigMap","127m"])json"},
    {R"json({"kind":"ValidatingAdmissionPolicy","apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vap-plain","creationTimestamp":"2026-11-28T23:52:27Z"},
        "spec":{"matchConstraints":{"namespaceSelector":{},"objectSelector":{},
        "resourceRules":[{"operations":["CREATE"],"apiGroups":["printers-cluster.example"],
        "apiVersions":["v1"],"resources":["nothings"],"scope":"*"}],"matchPolicy":"Equivalent"},
        "validations":[{"expression":"true"}],"failurePolicy":"Fail"},
        "status":{"observedGeneration":1,"typeChecking":{}}})json",
     R"json(["printers-cluster-vap-plain",1,"\u003cunset\u003e","127m"])json"},
};

const WrappedUpstreamRow kValidatingAdmissionPolicyBindings[] = {
    {R"json({"kind":"ValidatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vapb-any-ns",
        "creationTimestamp":"2026-11-28T23:52:27Z"},
        "spec":{"policyName":"printers-cluster-vap-params","paramRef":{"name":"printers-params",
        "parameterNotFoundAction":"Allow"},"validationActions":["Audit"]}})json",
     R"json(["printers-cluster-vapb-any-ns","printers-cluster-vap-params","*/printers-params",
        "127m"])json"},
    {R"json({"kind":"ValidatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vapb-empty-selector",
        "creationTimestamp":"2026-11-28T23:52:27Z"},
        "spec":{"policyName":"printers-cluster-vap-params","paramRef":{"selector":{},
        "parameterNotFoundAction":"Allow"},"validationActions":["Audit"]}})json",
     R"json(["printers-cluster-vapb-empty-selector","printers-cluster-vap-params",
        "\u0026LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}",
        "127m"])json"},
    {R"json({"kind":"ValidatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vapb-named",
        "creationTimestamp":"2026-11-28T23:52:27Z"},
        "spec":{"policyName":"printers-cluster-vap-params","paramRef":{"name":"printers-params",
        "namespace":"printers-cluster","parameterNotFoundAction":"Allow"},
        "validationActions":["Audit"]}})json",
     R"json(["printers-cluster-vapb-named","printers-cluster-vap-params",
        "printers-cluster/printers-params","127m"])json"},
    {R"json({"kind":"ValidatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vapb-none","creationTimestamp":"2026-11-28T23:52:27Z"},
        "spec":{"policyName":"printers-cluster-vap-plain","validationActions":["Audit"]}})json",
     R"json(["printers-cluster-vapb-none","printers-cluster-vap-plain","\u003cunset\u003e","127m"])json"},
    {R"json({"kind":"ValidatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-vapb-selector",
        "creationTimestamp":"2026-11-28T23:52:27Z"},
        "spec":{"policyName":"printers-cluster-vap-params",
        "paramRef":{"selector":{"matchLabels":{"app":"x","tier":"printers"},
        "matchExpressions":[{"key":"env","operator":"In","values":["a","b"]},{"key":"gone",
        "operator":"DoesNotExist"}]},"parameterNotFoundAction":"Allow"},
        "validationActions":["Audit"]}})json",
     R"json(["printers-cluster-vapb-selector","printers-cluster-vap-params",
        "\u0026LabelSelector{MatchLabels:map[string]string{app: x,tier: printers,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[a b],},LabelSelectorRequirement{Key:gone,Operator:DoesNotExist,Values:[],},},}",
        "127m"])json"},
};

const WrappedUpstreamRow kMutatingAdmissionPolicies[] = {
    {R"json({"kind":"MutatingAdmissionPolicy","apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-map-params",
        "creationTimestamp":"2026-11-28T23:52:33Z"},
        "spec":{"paramKind":{"apiVersion":"printers-cluster.example/v1","kind":"Params"},
        "matchConstraints":{"namespaceSelector":{},"objectSelector":{},
        "resourceRules":[{"operations":["CREATE"],"apiGroups":["printers-cluster.example"],
        "apiVersions":["v1"],"resources":["nothings"],"scope":"*"}],"matchPolicy":"Equivalent"},
        "mutations":[{"patchType":"ApplyConfiguration",
        "applyConfiguration":{"expression":"Object{}"}},{"patchType":"ApplyConfiguration",
        "applyConfiguration":{"expression":"Object{}"}},{"patchType":"JSONPatch",
        "jsonPatch":{"expression":"[JSONPatch{op: \"test\", path: \"/metadata/name\", value: object.metadata.name}]"}}],
        "failurePolicy":"Fail","reinvocationPolicy":"Never"}})json",
     R"json(["printers-cluster-map-params",3,"printers-cluster.example/v1/Params","127m"])json"},
    {R"json({"kind":"MutatingAdmissionPolicy","apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-map-plain","creationTimestamp":"2026-11-28T23:52:32Z"},
        "spec":{"matchConstraints":{"namespaceSelector":{},"objectSelector":{},
        "resourceRules":[{"operations":["CREATE"],"apiGroups":["printers-cluster.example"],
        "apiVersions":["v1"],"resources":["nothings"],"scope":"*"}],"matchPolicy":"Equivalent"},
        "mutations":[{"patchType":"ApplyConfiguration",
        "applyConfiguration":{"expression":"Object{}"}}],"failurePolicy":"Fail",
        "reinvocationPolicy":"Never"}})json",
     R"json(["printers-cluster-map-plain",1,"\u003cunset\u003e","127m"])json"},
};

const WrappedUpstreamRow kMutatingAdmissionPolicyBindings[] = {
    {R"json({"kind":"MutatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-mapb-any-ns",
        "creationTimestamp":"2026-11-28T23:52:32Z"},
        "spec":{"policyName":"printers-cluster-map-params","paramRef":{"name":"printers-params",
        "parameterNotFoundAction":"Allow"}}})json",
     R"json(["printers-cluster-mapb-any-ns","printers-cluster-map-params","*/printers-params",
        "127m"])json"},
    {R"json({"kind":"MutatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-mapb-named",
        "creationTimestamp":"2026-11-28T23:52:32Z"},
        "spec":{"policyName":"printers-cluster-map-params","paramRef":{"name":"printers-params",
        "namespace":"printers-cluster","parameterNotFoundAction":"Allow"}}})json",
     R"json(["printers-cluster-mapb-named","printers-cluster-map-params",
        "printers-cluster/printers-params","127m"])json"},
    {R"json({"kind":"MutatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-mapb-none","creationTimestamp":"2026-11-28T23:52:32Z"},
        "spec":{"policyName":"printers-cluster-map-plain"}})json",
     R"json(["printers-cluster-mapb-none","printers-cluster-map-plain","\u003cunset\u003e","127m"])json"},
    {R"json({"kind":"MutatingAdmissionPolicyBinding",
        "apiVersion":"admissionregistration.k8s.io/v1",
        "metadata":{"name":"printers-cluster-mapb-selector",
        "creationTimestamp":"2026-11-28T23:52:32Z"},
        "spec":{"policyName":"printers-cluster-map-params",
        "paramRef":{"selector":{"matchExpressions":[{"key":"tier","operator":"NotIn",
        "values":["z"]}]},"parameterNotFoundAction":"Deny"}}})json",
     R"json(["printers-cluster-mapb-selector","printers-cluster-map-params",
        "\u0026LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:NotIn,Values:[z],},},}",
        "127m"])json"},
};

const WrappedUpstreamRow kFlowSchemas[] = {
    {R"json({"kind":"FlowSchema","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"printers-cluster-fs-default-precedence",
        "creationTimestamp":"2026-11-28T23:52:39Z"},
        "spec":{"priorityLevelConfiguration":{"name":"printers-cluster-pl-reject"},
        "matchingPrecedence":1000},"status":{"conditions":[{"type":"Dangling","status":"False",
        "lastTransitionTime":"2026-11-28T23:52:39Z","reason":"Found",
        "message":"This FlowSchema references the PriorityLevelConfiguration object named \"printers-cluster-pl-reject\" and it exists"}]}})json",
     R"json(["printers-cluster-fs-default-precedence","printers-cluster-pl-reject",1000,
        "\u003cnone\u003e","127m","False"])json"},
    {R"json({"kind":"FlowSchema","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"printers-cluster-fs-a","creationTimestamp":"2026-11-28T23:52:39Z"},
        "spec":{"priorityLevelConfiguration":{"name":"printers-cluster-pl-missing"},
        "matchingPrecedence":9500},"status":{"conditions":[{"type":"Dangling","status":"True",
        "lastTransitionTime":"2026-11-28T23:52:39Z","reason":"NotFound",
        "message":"This FlowSchema references the PriorityLevelConfiguration object named \"printers-cluster-pl-missing\" but there is no such object"}]}})json",
     R"json(["printers-cluster-fs-a","printers-cluster-pl-missing",9500,"\u003cnone\u003e","127m",
        "True"])json"},
    {R"json({"kind":"FlowSchema","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"printers-cluster-fs-b","creationTimestamp":"2026-11-28T23:52:39Z"},
        "spec":{"priorityLevelConfiguration":{"name":"printers-cluster-pl-queue"},
        "matchingPrecedence":9500,"distinguisherMethod":{"type":"ByNamespace"}},
        "status":{"conditions":[{"type":"Dangling","status":"False",
        "lastTransitionTime":"2026-11-28T23:52:39Z","reason":"Found",
        "message":"This FlowSchema references the PriorityLevelConfiguration object named \"printers-cluster-pl-queue\" and it exists"}]}})json",
     R"json(["printers-cluster-fs-b","printers-cluster-pl-queue",9500,"ByNamespace","127m","False"])json"},
    {R"json({"kind":"FlowSchema","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"exempt","creationTimestamp":"2026-11-28T23:47:17Z",
        "annotations":{"apf.kubernetes.io/autoupdate-spec":"true"}},
        "spec":{"priorityLevelConfiguration":{"name":"exempt"},"matchingPrecedence":1,
        "rules":[{"subjects":[{"kind":"Group","group":{"name":"system:masters"}}],
        "resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"],"clusterScope":true,
        "namespaces":["*"]}],"nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}]}]},
        "status":{"conditions":[{"type":"Dangling","status":"False",
        "lastTransitionTime":"2026-11-28T23:47:17Z","reason":"Found",
        "message":"This FlowSchema references the PriorityLevelConfiguration object named \"exempt\" and it exists"}]}})json",
     R"json(["exempt","exempt",1,"\u003cnone\u003e","132m","False"])json"},
    {R"json({"kind":"FlowSchema","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"service-accounts","creationTimestamp":"2026-11-28T23:47:17Z",
        "annotations":{"apf.kubernetes.io/autoupdate-spec":"true"}},
        "spec":{"priorityLevelConfiguration":{"name":"workload-low"},"matchingPrecedence":9000,
        "distinguisherMethod":{"type":"ByUser"},"rules":[{"subjects":[{"kind":"Group",
        "group":{"name":"system:serviceaccounts"}}],"resourceRules":[{"verbs":["*"],
        "apiGroups":["*"],"resources":["*"],"clusterScope":true,"namespaces":["*"]}],
        "nonResourceRules":[{"verbs":["*"],"nonResourceURLs":["*"]}]}]},
        "status":{"conditions":[{"type":"Dangling","status":"False",
        "lastTransitionTime":"2026-11-28T23:47:17Z","reason":"Found",
        "message":"This FlowSchema references the PriorityLevelConfiguration object named \"workload-low\" and it exists"}]}})json",
     R"json(["service-accounts","workload-low",9000,"ByUser","132m","False"])json"},
};

const WrappedUpstreamRow kPriorityLevelConfigurations[] = {
    {R"json({"kind":"PriorityLevelConfiguration","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"printers-cluster-pl-queue","creationTimestamp":"2026-11-28T23:52:39Z"},
        "spec":{"type":"Limited","limited":{"nominalConcurrencyShares":1,
        "limitResponse":{"type":"Queue","queuing":{"queues":8,"handSize":2,"queueLengthLimit":10}},
        "lendablePercent":0}},"status":{}})json",
     R"json(["printers-cluster-pl-queue","Limited",1,8,2,10,"127m"])json"},
    {R"json({"kind":"PriorityLevelConfiguration","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"printers-cluster-pl-reject","creationTimestamp":"2026-11-28T23:52:39Z"},
        "spec":{"type":"Limited","limited":{"nominalConcurrencyShares":0,
        "limitResponse":{"type":"Reject"},"lendablePercent":0}},"status":{}})json",
     R"json(["printers-cluster-pl-reject","Limited",0,"\u003cnone\u003e","\u003cnone\u003e",
        "\u003cnone\u003e","127m"])json"},
    {R"json({"kind":"PriorityLevelConfiguration","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"catch-all","creationTimestamp":"2026-11-28T23:47:17Z",
        "annotations":{"apf.kubernetes.io/autoupdate-spec":"true"}},"spec":{"type":"Limited",
        "limited":{"nominalConcurrencyShares":5,"limitResponse":{"type":"Reject"},
        "lendablePercent":0}},"status":{}})json",
     R"json(["catch-all","Limited",5,"\u003cnone\u003e","\u003cnone\u003e","\u003cnone\u003e",
        "132m"])json"},
    {R"json({"kind":"PriorityLevelConfiguration","apiVersion":"flowcontrol.apiserver.k8s.io/v1",
        "metadata":{"name":"exempt","creationTimestamp":"2026-11-28T23:47:17Z",
        "annotations":{"apf.kubernetes.io/autoupdate-spec":"true"}},"spec":{"type":"Exempt",
        "exempt":{"nominalConcurrencyShares":0,"lendablePercent":0}},"status":{}})json",
     R"json(["exempt","Exempt","\u003cnone\u003e","\u003cnone\u003e","\u003cnone\u003e",
        "\u003cnone\u003e","132m"])json"},
};

const WrappedUpstreamRow kDeviceClasses[] = {
    {R"json({"kind":"DeviceClass","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-dc","creationTimestamp":"2026-11-28T23:52:48Z"},
        "spec":{"selectors":[{"cel":{"expression":"device.driver == \"printers.example.com\""}}]}})json",
     R"json(["printers-cluster-dc","127m"])json"},
};

const WrappedUpstreamRow kResourceClaims[] = {
    {R"json({"kind":"ResourceClaim","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-claim-allocated","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:48Z","finalizers":["printers-cluster.example/keep"]},
        "spec":{"devices":{"requests":[{"name":"r",
        "exactly":{"deviceClassName":"printers-cluster-dc","allocationMode":"ExactCount",
        "count":1}}]}},"status":{"allocation":{"devices":{"results":[{"request":"r",
        "driver":"printers.example.com","pool":"pool-a","device":"d0"}]}}}})json",
     R"json(["printers-cluster-claim-allocated","allocated","127m"])json"},
    {R"json({"kind":"ResourceClaim","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-claim-deleting","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:48Z","deletionTimestamp":"2026-11-28T23:52:51Z",
        "deletionGracePeriodSeconds":0,"finalizers":["printers-cluster.example/keep"]},
        "spec":{"devices":{"requests":[{"name":"r",
        "exactly":{"deviceClassName":"printers-cluster-dc","allocationMode":"ExactCount",
        "count":1}}]}},"status":{"allocation":{"devices":{"results":[{"request":"r",
        "driver":"printers.example.com","pool":"pool-a","device":"d0"}]}}}})json",
     R"json(["printers-cluster-claim-deleting","deleted,allocated","127m"])json"},
    {R"json({"kind":"ResourceClaim","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-claim-deleting-pending","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:48Z","deletionTimestamp":"2026-11-28T23:52:51Z",
        "deletionGracePeriodSeconds":0,"finalizers":["printers-cluster.example/keep"]},
        "spec":{"devices":{"requests":[{"name":"r",
        "exactly":{"deviceClassName":"printers-cluster-dc","allocationMode":"ExactCount",
        "count":1}}]}},"status":{}})json",
     R"json(["printers-cluster-claim-deleting-pending","deleted","127m"])json"},
    {R"json({"kind":"ResourceClaim","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-claim-pending","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:48Z","finalizers":["printers-cluster.example/keep"]},
        "spec":{"devices":{"requests":[{"name":"r",
        "exactly":{"deviceClassName":"printers-cluster-dc","allocationMode":"ExactCount",
        "count":1}}]}},"status":{}})json",
     R"json(["printers-cluster-claim-pending","pending","127m"])json"},
    {R"json({"kind":"ResourceClaim","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-claim-reserved","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:48Z","finalizers":["printers-cluster.example/keep"]},
        "spec":{"devices":{"requests":[{"name":"r",
        "exactly":{"deviceClassName":"printers-cluster-dc","allocationMode":"ExactCount",
        "count":1}}]}},"status":{"allocation":{"devices":{"results":[{"request":"r",
        "driver":"printers.example.com","pool":"pool-a","device":"d0"}]}},
        "reservedFor":[{"apiGroup":"printers-cluster.example","resource":"widgets","name":"w",
        "uid":"00000000-0000-0000-0000-000000000002"}]}})json",
     R"json(["printers-cluster-claim-reserved","allocated,reserved","127m"])json"},
};

const WrappedUpstreamRow kResourceClaimTemplates[] = {
    {R"json({"kind":"ResourceClaimTemplate","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-rct","namespace":"printers-cluster",
        "creationTimestamp":"2026-11-28T23:52:48Z"},"spec":{"metadata":{},
        "spec":{"devices":{"requests":[{"name":"r",
        "exactly":{"deviceClassName":"printers-cluster-dc","allocationMode":"ExactCount",
        "count":1}}]}}}})json",
     R"json(["printers-cluster-rct","127m"])json"},
};

const WrappedUpstreamRow kResourceSlices[] = {
    {R"json({"kind":"ResourceSlice","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-rs-all","creationTimestamp":"2026-11-28T23:52:48Z"},
        "spec":{"driver":"printers.example.com","pool":{"name":"pool-b","generation":1,
        "resourceSliceCount":1},"allNodes":true}})json",
     R"json(["printers-cluster-rs-all","","printers.example.com","pool-b","127m"])json"},
    {R"json({"kind":"ResourceSlice","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-rs-node","creationTimestamp":"2026-11-28T23:52:48Z"},
        "spec":{"driver":"printers.example.com","pool":{"name":"pool-a","generation":1,
        "resourceSliceCount":1},"nodeName":"kwok-node-1","devices":[{"name":"d0"}]}})json",
     R"json(["printers-cluster-rs-node","kwok-node-1","printers.example.com","pool-a","127m"])json"},
};

const WrappedUpstreamRow kDeviceTaintRules[] = {
    {R"json({"kind":"DeviceTaintRule","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-dtr","creationTimestamp":"2026-11-28T23:52:48Z"},
        "spec":{"deviceSelector":{"driver":"printers.example.com"},
        "taint":{"key":"printers.example.com/broken","value":"yes","effect":"NoSchedule",
        "timeAdded":"2026-11-28T23:52:48Z"}},"status":{"conditions":[{"type":"EvictionInProgress",
        "status":"False","observedGeneration":1,"lastTransitionTime":"2026-11-28T23:52:48Z",
        "reason":"OtherEffect","message":"Eviction only happens for the NoExecute effect."}]}})json",
     R"json(["printers-cluster-dtr","printers.example.com/broken","yes","NoSchedule","127m","127m"])json"},
    {R"json({"kind":"DeviceTaintRule","apiVersion":"resource.k8s.io/v1",
        "metadata":{"name":"printers-cluster-dtr-added","creationTimestamp":"2026-11-28T23:52:48Z"},
        "spec":{"deviceSelector":{"driver":"printers.example.com"},
        "taint":{"key":"printers.example.com/old","effect":"NoExecute",
        "timeAdded":"2026-11-28T20:00:00Z"}},"status":{"conditions":[{"type":"EvictionInProgress",
        "status":"False","observedGeneration":1,"lastTransitionTime":"2026-11-28T23:52:48Z",
        "reason":"NotStarted","message":""}]}})json",
     R"json(["printers-cluster-dtr-added","printers.example.com/old","","NoExecute","6h","127m"])json"},
};

const WrappedUpstreamRow kCustomResourceDefinitions[] = {
    {R"json({"kind":"CustomResourceDefinition","apiVersion":"apiextensions.k8s.io/v1",
        "metadata":{"name":"alphas.printers-cluster.example",
        "creationTimestamp":"2026-11-28T23:53:17Z"},"spec":{"group":"printers-cluster.example",
        "names":{"plural":"alphas","singular":"alpha","shortNames":["pca","pcal"],"kind":"Alpha",
        "listKind":"AlphaList"},"scope":"Namespaced","versions":[{"name":"v2","served":true,
        "storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}},{"name":"v10","served":true,
        "storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}},{"name":"v1","served":false,
        "storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}}],
        "conversion":{"strategy":"None"}},"status":{"conditions":[{"type":"NamesAccepted",
        "status":"True","lastTransitionTime":"2026-11-28T23:53:17Z","reason":"NoConflicts",
        "message":"no conflicts found"},{"type":"Established","status":"True",
        "lastTransitionTime":"2026-11-28T23:53:17Z","reason":"InitialNamesAccepted",
        "message":"the initial names have been accepted"}],"acceptedNames":{"plural":"alphas",
        "singular":"alpha","shortNames":["pca","pcal"],"kind":"Alpha","listKind":"AlphaList"},
        "storedVersions":["v2"]}})json",
     R"json(["alphas.printers-cluster.example","Namespaced","v10,v2(storage)",
        "2026-11-28T23:53:17Z","printers-cluster.example","Alpha","pca,pcal",true])json"},
    {R"json({"kind":"CustomResourceDefinition","apiVersion":"apiextensions.k8s.io/v1",
        "metadata":{"name":"betas.printers-cluster.example",
        "creationTimestamp":"2026-11-28T23:53:17Z"},"spec":{"group":"printers-cluster.example",
        "names":{"plural":"betas","singular":"beta","shortNames":["pca"],"kind":"Beta",
        "listKind":"BetaList"},"scope":"Cluster","versions":[{"name":"v1","served":true,
        "storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}],
        "conversion":{"strategy":"None"}},"status":{"conditions":[{"type":"NamesAccepted",
        "status":"False","lastTransitionTime":"2026-11-28T23:53:17Z","reason":"ShortNamesConflict",
        "message":"\"pca\" is already in use"},{"type":"Established","status":"False",
        "lastTransitionTime":"2026-11-28T23:53:17Z","reason":"NotAccepted",
        "message":"not all names are accepted"}],"acceptedNames":{"plural":"betas",
        "singular":"beta","kind":"Beta","listKind":"BetaList"},"storedVersions":["v1"]}})json",
     R"json(["betas.printers-cluster.example","Cluster","v1(storage)","2026-11-28T23:53:17Z",
        "printers-cluster.example","Beta","pca",false])json"},
};

const WrappedUpstreamRow kApiServices[] = {
    {R"json({"kind":"APIService","apiVersion":"apiregistration.k8s.io/v1",
        "metadata":{"name":"v1.printers-cluster-apis.example",
        "creationTimestamp":"2026-11-28T23:53:23Z"},
        "spec":{"service":{"namespace":"printers-cluster","name":"printers-api","port":443},
        "group":"printers-cluster-apis.example","version":"v1","insecureSkipTLSVerify":true,
        "groupPriorityMinimum":100,"versionPriority":10},
        "status":{"conditions":[{"type":"Available","status":"False",
        "lastTransitionTime":"2026-11-28T23:53:23Z","reason":"ServiceNotFound",
        "message":"service/printers-api in \"printers-cluster\" is not present"}]}})json",
     R"json(["v1.printers-cluster-apis.example","printers-cluster/printers-api",
        "False (ServiceNotFound)","126m"])json"},
    {R"json({"kind":"APIService","apiVersion":"apiregistration.k8s.io/v1",
        "metadata":{"name":"v1.coordination.k8s.io","creationTimestamp":"2026-11-28T23:47:17Z",
        "labels":{"kube-aggregator.kubernetes.io/automanaged":"onstart"}},
        "spec":{"group":"coordination.k8s.io","version":"v1","groupPriorityMinimum":16500,
        "versionPriority":15},"status":{"conditions":[{"type":"Available","status":"True",
        "lastTransitionTime":"2026-11-28T23:47:17Z","reason":"Local",
        "message":"Local APIServices are always available"}]}})json",
     R"json(["v1.coordination.k8s.io","Local","True","132m"])json"},
};

struct ServedColumns {
  std::string_view group, resource;
  std::vector<std::string> columns;
};

// The columnDefinitions the dev cluster served (leasecandidates, which it does not serve, from
// their Go definition).
TEST(ClusterPrinters, ColumnsAreTheUpstreams) {
  const ServedColumns served[] = {
      {"rbac.authorization.k8s.io", "rolebindings",
       {"Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"}},
      {"rbac.authorization.k8s.io", "clusterrolebindings",
       {"Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"}},
      {"certificates.k8s.io", "certificatesigningrequests",
       {"Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"}},
      {"certificates.k8s.io", "clustertrustbundles", {"Name", "SignerName"}},
      {"certificates.k8s.io", "podcertificaterequests",
       {"Name", "PodName", "ServiceAccountName", "NodeName", "SignerName", "State",
        "UnverifiedUserAnnotations"}},
      {"coordination.k8s.io", "leases", {"Name", "Holder", "Age"}},
      {"coordination.k8s.io", "leasecandidates",
       {"Name", "LeaseName", "BinaryVersion", "EmulationVersion", "Age"}},
      {"scheduling.k8s.io", "priorityclasses",
       {"Name", "Value", "Global-Default", "Age", "PreemptionPolicy"}},
      {"node.k8s.io", "runtimeclasses", {"Name", "Handler", "Age"}},
      {"admissionregistration.k8s.io", "mutatingwebhookconfigurations",
       {"Name", "Webhooks", "Age"}},
      {"admissionregistration.k8s.io", "validatingwebhookconfigurations",
       {"Name", "Webhooks", "Age"}},
      {"admissionregistration.k8s.io", "validatingadmissionpolicies",
       {"Name", "Validations", "ParamKind", "Age"}},
      {"admissionregistration.k8s.io", "validatingadmissionpolicybindings",
       {"Name", "PolicyName", "ParamRef", "Age"}},
      {"admissionregistration.k8s.io", "mutatingadmissionpolicies",
       {"Name", "Mutations", "ParamKind", "Age"}},
      {"admissionregistration.k8s.io", "mutatingadmissionpolicybindings",
       {"Name", "PolicyName", "ParamRef", "Age"}},
      {"flowcontrol.apiserver.k8s.io", "flowschemas",
       {"Name", "PriorityLevel", "MatchingPrecedence", "DistinguisherMethod", "Age",
        "MissingPL"}},
      {"flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations",
       {"Name", "Type", "NominalConcurrencyShares", "Queues", "HandSize", "QueueLengthLimit",
        "Age"}},
      {"resource.k8s.io", "deviceclasses", {"Name", "Age"}},
      {"resource.k8s.io", "resourceclaims", {"Name", "State", "Age"}},
      {"resource.k8s.io", "resourceclaimtemplates", {"Name", "Age"}},
      {"resource.k8s.io", "resourceslices", {"Name", "Node", "Driver", "Pool", "Age"}},
      {"resource.k8s.io", "devicetaintrules",
       {"Name", "Key", "Value", "Effect", "TimeAdded", "Age"}},
      {"apiextensions.k8s.io", "customresourcedefinitions",
       {"Name", "Scope", "Versions", "Created At", "Group", "Kind", "ShortNames", "Established"}},
      {"apiregistration.k8s.io", "apiservices", {"Name", "Service", "Available", "Age"}},
  };
  for (const ServedColumns& resource : served) {
    SCOPED_TRACE(std::string(resource.group) + "/" + std::string(resource.resource));
    PrinterPtr printer = FindBuiltinPrinter(resource.group, resource.resource);
    ASSERT_NE(printer, nullptr);
    EXPECT_EQ(printer->columns, resource.columns);
  }
}

// Their registries use the default convertor (NAME, CREATED AT).
TEST(ClusterPrinters, RolesHaveNoPrinter) {
  EXPECT_EQ(FindBuiltinPrinter("rbac.authorization.k8s.io", "roles"), nullptr);
  EXPECT_EQ(FindBuiltinPrinter("rbac.authorization.k8s.io", "clusterroles"), nullptr);
}

// The CRD convertor writes `"rows":null` for an empty list (the dev cluster's empty CRD list);
// kube-aggregator's APIService convertor writes `[]` (an empty filtered list).
TEST(ClusterPrinters, EmptyListRows) {
  EXPECT_TRUE(
      FindBuiltinPrinter("apiextensions.k8s.io", "customresourcedefinitions")->null_rows_when_empty);
  EXPECT_FALSE(FindBuiltinPrinter("apiregistration.k8s.io", "apiservices")->null_rows_when_empty);
}

// --- rbac.authorization.k8s.io ---

TEST(ClusterPrinters, RoleBindingsMatchUpstream) {
  ExpectUpstreamRows("rbac.authorization.k8s.io", "rolebindings", kNow, kRoleBindings);
  ExpectUpstreamRows("rbac.authorization.k8s.io", "clusterrolebindings", kNow, kClusterRoleBindings);
}

// rbac.SubjectsStrings sets other kinds apart; the printer leaves them out.
TEST(ClusterPrinters, RoleBindingLeavesOutOtherSubjectKinds) {
  std::string binding = R"({"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"},
    "subjects":[{"kind":"Robot","name":"x","namespace":"n"},{"kind":"User","name":"u"}]})";
  std::vector<std::string> expected = {R"("b")", R"("Role/r")", R"("\u003cunknown\u003e")",
                                       R"("u")", R"("")", R"("")"};
  EXPECT_EQ(CellsOf("rbac.authorization.k8s.io", "rolebindings", binding, kNow), expected);
}

// --- certificates.k8s.io ---

TEST(ClusterPrinters, CertificateSigningRequestsMatchUpstream) {
  ExpectUpstreamRows("certificates.k8s.io", "certificatesigningrequests", kNow,
                     kCertificateSigningRequests);
}

TEST(ClusterPrinters, CertificateSigningRequestConditionPrecedence) {
  auto condition = [](std::string_view status) {
    std::string csr = R"({"metadata":{"name":"c"},"spec":{"username":"u"},"status":)" +
                      std::string(status) + "}";
    auto cells = CellsOf("certificates.k8s.io", "certificatesigningrequests", csr, kNow);
    return cells.size() == 6 ? cells[5] : "";
  };
  EXPECT_EQ(condition(R"({"conditions":[{"type":"Approved"},{"type":"Denied"}]})"),
            R"("Denied")");
  EXPECT_EQ(condition(R"({"certificate":"QUJD"})"), R"("Pending,Issued")");
  EXPECT_EQ(condition(R"({"conditions":[{"type":"Failed"}],"certificate":""})"),
            R"("Pending,Failed")");
}

TEST(ClusterPrinters, CertificateSigningRequestWithoutSignerOrDuration) {
  std::string csr = R"({"metadata":{"name":"c","creationTimestamp":"2026-11-29T01:00:00Z"},
    "spec":{"username":"u"}})";
  std::vector<std::string> expected = {R"("c")", R"("60m")", R"("\u003cnone\u003e")", R"("u")",
                                       R"("\u003cnone\u003e")", R"("Pending")"};
  EXPECT_EQ(CellsOf("certificates.k8s.io", "certificatesigningrequests", csr, kNow), expected);
}

TEST(ClusterPrinters, ClusterTrustBundlesMatchUpstream) {
  ExpectUpstreamRows("certificates.k8s.io", "clustertrustbundles", kNow, kClusterTrustBundles);
}

// The last Issued, Denied or Failed condition decides, whatever its status.
TEST(ClusterPrinters, PodCertificateRequests) {
  std::string pending = R"({"metadata":{"name":"p"},"spec":{"podName":"pod",
    "serviceAccountName":"sa","nodeName":"node-1","signerName":"example.com/s"}})";
  std::vector<std::string> expected = {R"("p")", R"("pod")", R"("sa")", R"("node-1")",
                                       R"("example.com/s")", R"("Pending")",
                                       R"("\u003cnone\u003e")"};
  EXPECT_EQ(CellsOf("certificates.k8s.io", "podcertificaterequests", pending, kNow), expected);

  std::string failed = R"({"metadata":{"name":"p"},"spec":{
    "unverifiedUserAnnotations":{"z":"1","a.example.com/b":"x"}},
    "status":{"conditions":[{"type":"Issued","status":"True"},{"type":"Other","status":"True"},
      {"type":"Failed","status":"False"}]}})";
  auto cells = CellsOf("certificates.k8s.io", "podcertificaterequests", failed, kNow);
  ASSERT_EQ(cells.size(), 7u);
  EXPECT_EQ(cells[5], R"("Failed")");
  EXPECT_EQ(cells[6], R"("a.example.com/b=x,z=1")");
}

// --- coordination.k8s.io, scheduling.k8s.io, node.k8s.io ---

TEST(ClusterPrinters, LeasesMatchUpstream) {
  ExpectUpstreamRows("coordination.k8s.io", "leases", kNow, kLeases);
}

TEST(ClusterPrinters, LeaseCandidate) {
  std::string candidate = R"({"metadata":{"name":"kube-apiserver-a",
    "creationTimestamp":"2026-11-29T01:58:00Z"},"spec":{"leaseName":"kube-apiserver",
    "binaryVersion":"1.37.2","emulationVersion":"1.37","strategy":"OldestEmulationVersion"}})";
  std::vector<std::string> expected = {R"("kube-apiserver-a")", R"("kube-apiserver")",
                                       R"("1.37.2")", R"("1.37")", R"("2m")"};
  EXPECT_EQ(CellsOf("coordination.k8s.io", "leasecandidates", candidate, kNow), expected);
}

TEST(ClusterPrinters, PriorityClassesMatchUpstream) {
  ExpectUpstreamRows("scheduling.k8s.io", "priorityclasses", kNow, kPriorityClasses);
}

TEST(ClusterPrinters, GlobalDefaultPriorityClassWithoutPreemptionPolicy) {
  std::string priority_class = R"({"metadata":{"name":"pc"},"value":7,"globalDefault":true})";
  std::vector<std::string> expected = {R"("pc")", "7", "true", R"("\u003cunknown\u003e")",
                                       R"("")"};
  EXPECT_EQ(CellsOf("scheduling.k8s.io", "priorityclasses", priority_class, kNow), expected);
}

TEST(ClusterPrinters, RuntimeClassesMatchUpstream) {
  ExpectUpstreamRows("node.k8s.io", "runtimeclasses", kNow, kRuntimeClasses);
}

// --- admissionregistration.k8s.io ---

TEST(ClusterPrinters, WebhookConfigurationsMatchUpstream) {
  ExpectUpstreamRows("admissionregistration.k8s.io", "mutatingwebhookconfigurations", kNow,
                     kMutatingWebhookConfigurations);
  ExpectUpstreamRows("admissionregistration.k8s.io", "validatingwebhookconfigurations", kNow,
                     kValidatingWebhookConfigurations);
}

TEST(ClusterPrinters, AdmissionPoliciesMatchUpstream) {
  ExpectUpstreamRows("admissionregistration.k8s.io", "validatingadmissionpolicies", kNow,
                     kValidatingAdmissionPolicies);
  ExpectUpstreamRows("admissionregistration.k8s.io", "mutatingadmissionpolicies", kNow,
                     kMutatingAdmissionPolicies);
}

TEST(ClusterPrinters, AdmissionPolicyBindingsMatchUpstream) {
  ExpectUpstreamRows("admissionregistration.k8s.io", "validatingadmissionpolicybindings", kNow,
                     kValidatingAdmissionPolicyBindings);
  ExpectUpstreamRows("admissionregistration.k8s.io", "mutatingadmissionpolicybindings", kNow,
                     kMutatingAdmissionPolicyBindings);
}

// A paramRef with neither a name nor a selector prints as unset.
TEST(ClusterPrinters, AdmissionPolicyBindingWithEmptyParamRef) {
  for (std::string_view param_ref : {R"({})", R"({"selector":null})"}) {
    std::string binding = R"({"metadata":{"name":"b"},"spec":{"policyName":"p","paramRef":)" +
                          std::string(param_ref) + "}}";
    auto cells = CellsOf("admissionregistration.k8s.io", "validatingadmissionpolicybindings",
                         binding, kNow);
    ASSERT_EQ(cells.size(), 4u);
    EXPECT_EQ(cells[2], R"("\u003cunset\u003e")");
  }
}

// --- flowcontrol.apiserver.k8s.io ---

TEST(ClusterPrinters, FlowSchemasMatchUpstream) {
  ExpectUpstreamRows("flowcontrol.apiserver.k8s.io", "flowschemas", kNow, kFlowSchemas);
}

// "?" until the apiserver has set the Dangling condition; a distinguisher without a type
// prints empty.
TEST(ClusterPrinters, FlowSchemaNotYetJudged) {
  std::string flow_schema = R"({"metadata":{"name":"fs"},"spec":{
    "priorityLevelConfiguration":{"name":"pl"},"matchingPrecedence":500,
    "distinguisherMethod":{}},"status":{"conditions":[{"type":"Other","status":"True"}]}})";
  std::vector<std::string> expected = {R"("fs")", R"("pl")", "500", R"("")",
                                       R"("\u003cunknown\u003e")", R"("?")"};
  EXPECT_EQ(CellsOf("flowcontrol.apiserver.k8s.io", "flowschemas", flow_schema, kNow),
            expected);
}

// The list the dev cluster served, in the order kube-apiserver printed it: by matching
// precedence, then name (the list itself comes by name).
TEST(ClusterPrinters, FlowSchemaListIsInMatchingOrder) {
  struct Schema {
    std::string_view name;
    int precedence;
  };
  const Schema by_name[] = {
      {"catch-all", 10000},
      {"exempt", 1},
      {"global-default", 9900},
      {"kube-controller-manager", 800},
      {"kube-scheduler", 800},
      {"kube-system-service-accounts", 900},
      {"printers-cluster-fs-a", 9500},
      {"printers-cluster-fs-b", 9500},
      {"printers-cluster-fs-default-precedence", 1000},
      {"probes", 2},
      {"service-accounts", 9000},
      {"system-leader-election", 100},
      {"system-node-high", 400},
      {"system-nodes", 500},
  };
  const std::vector<std::string_view> printed = {
      "exempt", "probes", "system-leader-election", "system-node-high", "system-nodes",
      "kube-controller-manager", "kube-scheduler", "kube-system-service-accounts",
      "printers-cluster-fs-default-precedence", "service-accounts", "printers-cluster-fs-a",
      "printers-cluster-fs-b", "global-default", "catch-all"};

  PrinterPtr printer = FindBuiltinPrinter("flowcontrol.apiserver.k8s.io", "flowschemas");
  ASSERT_TRUE(printer && printer->list_order);
  std::vector<simdjson::dom::parser> parsers(std::size(by_name));
  std::vector<JsonView> schemas;
  for (size_t i = 0; i < std::size(by_name); ++i) {
    std::string json = R"({"metadata":{"name":")" + std::string(by_name[i].name) +
                       R"("},"spec":{"matchingPrecedence":)" +
                       std::to_string(by_name[i].precedence) + "}}";
    simdjson::dom::element element;
    ASSERT_EQ(parsers[i].parse(json).get(element), simdjson::SUCCESS);
    schemas.emplace_back(element);
  }
  std::stable_sort(schemas.begin(), schemas.end(), printer->list_order);
  std::vector<std::string_view> names;
  for (JsonView schema : schemas) names.push_back(schema["metadata"]["name"].str());
  EXPECT_EQ(names, printed);
}

TEST(ClusterPrinters, PriorityLevelConfigurationsMatchUpstream) {
  ExpectUpstreamRows("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations", kNow,
                     kPriorityLevelConfigurations);
}

// --- resource.k8s.io ---

TEST(ClusterPrinters, ResourceObjectsMatchUpstream) {
  ExpectUpstreamRows("resource.k8s.io", "deviceclasses", kNow, kDeviceClasses);
  ExpectUpstreamRows("resource.k8s.io", "resourceclaims", kNow, kResourceClaims);
  ExpectUpstreamRows("resource.k8s.io", "resourceclaimtemplates", kNow, kResourceClaimTemplates);
  ExpectUpstreamRows("resource.k8s.io", "resourceslices", kNow, kResourceSlices);
  ExpectUpstreamRows("resource.k8s.io", "devicetaintrules", kNow, kDeviceTaintRules);
}

// A null deletionTimestamp is no deletion; an empty reservedFor is no reservation.
TEST(ClusterPrinters, ResourceClaimNullAndEmptyFields) {
  std::string claim = R"({"metadata":{"name":"c","deletionTimestamp":null},
    "status":{"allocation":{},"reservedFor":[]}})";
  EXPECT_EQ(CellsOf("resource.k8s.io", "resourceclaims", claim, kNow)[1], R"("allocated")");
}

// A taint without timeAdded prints an empty TIMEADDED, not "<unknown>".
TEST(ClusterPrinters, DeviceTaintRuleWithoutTimeAdded) {
  for (std::string_view taint : {R"({"key":"k","effect":"NoSchedule"})",
                                 R"({"key":"k","effect":"NoSchedule","timeAdded":null})"}) {
    std::string rule = R"({"metadata":{"name":"r"},"spec":{"taint":)" + std::string(taint) + "}}";
    std::vector<std::string> expected = {R"("r")", R"("k")", R"("")", R"("NoSchedule")",
                                         R"("")", R"("\u003cunknown\u003e")"};
    EXPECT_EQ(CellsOf("resource.k8s.io", "devicetaintrules", rule, kNow), expected);
  }
}

// --- apiextensions.k8s.io, apiregistration.k8s.io ---

TEST(ClusterPrinters, CustomResourceDefinitionsMatchUpstream) {
  ExpectUpstreamRows("apiextensions.k8s.io", "customresourcedefinitions", kNow,
                     kCustomResourceDefinitions);
}

// Go's zero time when unset; any Established=True condition counts, not only the first.
TEST(ClusterPrinters, CustomResourceDefinitionWithoutTimestamp) {
  std::string crd = R"({"metadata":{"name":"things.example.com"},"spec":{
    "group":"example.com","scope":"Cluster","names":{"kind":"Thing"},"versions":[]},
    "status":{"conditions":[{"type":"Established","status":"False"},
      {"type":"Established","status":"True"}]}})";
  std::vector<std::string> expected = {R"("things.example.com")", R"("Cluster")", R"("")",
                                       R"("0001-01-01T00:00:00Z")", R"("example.com")",
                                       R"("Thing")", R"("")", "true"};
  EXPECT_EQ(CellsOf("apiextensions.k8s.io", "customresourcedefinitions", crd, kNow), expected);
}

TEST(ClusterPrinters, ApiServicesMatchUpstream) {
  ExpectUpstreamRows("apiregistration.k8s.io", "apiservices", kNow, kApiServices);
}

TEST(ClusterPrinters, ApiServiceAvailability) {
  auto available = [](std::string_view status) {
    std::string api_service = R"({"metadata":{"name":"v1.example.com"},"spec":{},"status":)" +
                              std::string(status) + "}";
    auto cells = CellsOf("apiregistration.k8s.io", "apiservices", api_service, kNow);
    return cells.size() == 4 ? cells[2] : "";
  };
  EXPECT_EQ(available("{}"), R"("Unknown")");
  EXPECT_EQ(available(R"({"conditions":[{"type":"Available","status":"False"}]})"),
            R"("False")");
  EXPECT_EQ(available(R"({"conditions":[{"type":"Available","status":"Unknown",
    "reason":"Pending"},{"type":"Available","status":"True"}]})"),
            R"x("Unknown (Pending)")x");
  EXPECT_EQ(available(R"({"conditions":[{"type":"Available","status":"True",
    "reason":"Passed"}]})"),
            R"("True")");
}

// Derived from printStorageVersionMigration: the last true condition of a known type decides.
TEST(ClusterPrinters, StorageVersionMigrations) {
  auto cells = CellsOf("storagemigration.k8s.io", "storageversionmigrations",
                       R"({"metadata":{"name":"m"},"spec":{"resource":{"group":"apps",
                       "resource":"deployments"}},"status":{"conditions":[
                       {"type":"Running","status":"True"},{"type":"Succeeded","status":"True"},
                       {"type":"Failed","status":"False"}]}})",
                       "2026-11-28T12:00:00Z");
  std::vector<std::string> expected = {R"("m")", R"("deployments.apps")", R"("Succeeded")"};
  EXPECT_EQ(cells, expected);
  cells = CellsOf("storagemigration.k8s.io", "storageversionmigrations",
                  R"({"metadata":{"name":"m"},"spec":{"resource":{"resource":"secrets"}}})",
                  "2026-11-28T12:00:00Z");
  expected = {R"("m")", R"("secrets")", R"("Unknown")"};
  EXPECT_EQ(cells, expected);
}

}  // namespace
}  // namespace kcache
