#pragma once
// metav1.Status: the error body every Kubernetes API failure carries. kcache builds the same
// bodies kube-apiserver builds (k8s.io/apimachinery/pkg/api/errors), byte for byte, because
// clients match on code, reason, details and sometimes on the message.

#include <string>
#include <string_view>
#include <vector>

namespace kcache {

struct StatusCause {
  std::string reason;
  std::string message;
  std::string field;
};

struct Status {
  std::string reason;
  std::string message;
  int code = 500;
  // StatusDetails; written only when has_details (it is a pointer in Go: absent or `{}`).
  bool has_details = false;
  std::string details_name;
  std::string details_group;
  std::string details_kind;
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;
  // ListMeta.continue of the Status itself: a fresh token offered with a 410 for an expired one.
  std::string continue_token;

  // The compact JSON document plus the trailing newline Go's encoder writes.
  std::string ToJson() const;
};

// Qualified resource as kube-apiserver prints it: "pods", "deployments.apps".
std::string QualifiedResource(std::string_view resource, std::string_view group);

Status BadRequest(std::string message);
Status NotFound(std::string_view resource, std::string_view group, std::string_view name);
// 422 Invalid for an options object, e.g. kind "ListOptions", group "meta.k8s.io".
Status Invalid(std::string_view kind, std::string_view group, std::string_view name,
               std::vector<StatusCause> causes);
Status Expired(std::string message);
// 504 with the ResourceVersionTooLarge cause reflectors look for.
Status TooLargeResourceVersion(unsigned long long requested, unsigned long long current);
Status InternalError(std::string_view error);
Status MethodNotAllowed(std::string_view verb, std::string_view resource, std::string_view group);
Status ServiceUnavailable(std::string message, int retry_after_seconds);
Status TooManyRequests(std::string message, int retry_after_seconds);
Status Timeout(std::string message);

// HTTP reason phrase for a status code ("Not Found").
std::string_view ReasonPhrase(int code);

}  // namespace kcache
