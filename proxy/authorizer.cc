#include "proxy/authorizer.h"

#include <iostream>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "kube/go_text.h"
#include "kube/json_text.h"
#include "proxy/upstream_pool.h"

namespace kcache {
namespace {

namespace http = boost::beast::http;

void AppendField(std::string& out, std::string_view key, std::string_view value, bool& first) {
  if (value.empty()) return;
  if (!first) out += ',';
  first = false;
  AppendJsonString(out, key);
  out += ':';
  AppendJsonString(out, value);
}

std::string ReviewBody(const UserInfo& user, const AccessAttributes& a) {
  std::string body =
      R"({"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{)";
  bool first = true;
  if (a.resource_request) {
    body += R"("resourceAttributes":{)";
    bool inner = true;
    AppendField(body, "namespace", a.namespace_name, inner);
    AppendField(body, "verb", a.verb, inner);
    AppendField(body, "group", a.group, inner);
    AppendField(body, "version", a.version, inner);
    AppendField(body, "resource", a.resource, inner);
    AppendField(body, "subresource", a.subresource, inner);
    AppendField(body, "name", a.name, inner);
    body += '}';
  } else {
    body += R"("nonResourceAttributes":{)";
    bool inner = true;
    AppendField(body, "path", a.path, inner);
    AppendField(body, "verb", a.verb, inner);
    body += '}';
  }
  first = false;
  AppendField(body, "user", user.name, first);
  AppendField(body, "uid", user.uid, first);
  if (!user.groups.empty()) {
    body += R"(,"groups":[)";
    for (size_t i = 0; i < user.groups.size(); ++i) {
      if (i) body += ',';
      AppendJsonString(body, user.groups[i]);
    }
    body += ']';
  }
  if (!user.extra.empty()) {
    body += R"(,"extra":{)";
    bool first_extra = true;
    for (const auto& [key, values] : user.extra) {
      if (!first_extra) body += ',';
      first_extra = false;
      AppendJsonString(body, key);
      body += ":[";
      for (size_t i = 0; i < values.size(); ++i) {
        if (i) body += ',';
        AppendJsonString(body, values[i]);
      }
      body += ']';
    }
    body += '}';
  }
  body += "}}";
  return body;
}

// Everything the answer depends on, as one string.
std::string CacheKey(const UserInfo& user, const AccessAttributes& a) {
  std::string key;
  auto add = [&](std::string_view part) {
    key += part;
    key += '\0';
  };
  add(user.name);
  add(user.uid);
  for (const auto& group : user.groups) add(group);
  add("|");
  for (const auto& [extra_key, values] : user.extra) {
    add(extra_key);
    for (const auto& value : values) add(value);
  }
  add("|");
  for (std::string_view part : {std::string_view(a.verb), std::string_view(a.group),
                                std::string_view(a.version), std::string_view(a.resource),
                                std::string_view(a.subresource), std::string_view(a.namespace_name),
                                std::string_view(a.name), std::string_view(a.path)}) {
    add(part);
  }
  add(a.resource_request ? "r" : "n");
  return key;
}

}  // namespace

AccessAttributes AccessAttributes::FromRequest(const RequestInfo& info) {
  AccessAttributes a;
  a.verb = info.verb;
  a.resource_request = info.is_resource_request;
  a.group = info.api_group;
  a.version = info.api_version;
  a.resource = info.resource;
  a.subresource = info.subresource;
  a.namespace_name = info.namespace_name;
  a.name = info.name;
  a.path = info.path;
  return a;
}

Status Forbidden(const UserInfo& user, const AccessAttributes& a, const std::string& reason) {
  std::string message;
  Status status{.reason = "Forbidden", .code = 403};
  status.has_details = true;
  if (a.resource_request) {
    std::string resource = a.resource;
    if (!a.subresource.empty()) resource += "/" + a.subresource;
    message = "User " + GoQuote(user.name) + " cannot " + a.verb + " resource " +
              GoQuote(resource) + " in API group " + GoQuote(a.group) +
              (a.namespace_name.empty() ? " at the cluster scope"
                                        : " in the namespace " + GoQuote(a.namespace_name));
    if (!reason.empty()) message += ": " + reason;
    std::string qualified = QualifiedResource(a.resource, a.group);
    status.message = qualified + (a.name.empty() ? "" : " " + GoQuote(a.name)) +
                     " is forbidden: " + message;
    status.details_name = a.name;
    status.details_group = a.group;
    status.details_kind = a.resource;
  } else {
    message = "User " + GoQuote(user.name) + " cannot " + a.verb + " path " + GoQuote(a.path);
    if (!reason.empty()) message += ": " + reason;
    status.message = "forbidden: " + message;
  }
  return status;
}

Authorizer::Authorizer(AuthorizationOptions options)
    : options_(options), decisions_(options.cache_size) {}

boost::asio::awaitable<boost::system::result<void, Status>> Authorizer::Authorize(
    const UserInfo& user, const AccessAttributes& attributes, UpstreamPool& kcache_pool) {
  std::string key = CacheKey(user, attributes);
  std::optional<Decision> decision = decisions_.Get(key);
  if (!decision) {
    auto answer = co_await kcache_pool.Call(
        http::verb::post, "/apis/authorization.k8s.io/v1/subjectaccessreviews",
        ReviewBody(user, attributes));
    if (!answer || answer->status != 201) {
      // No answer is no permission; it is not cached.
      std::cerr << "kcache: SubjectAccessReview failed: "
                << (answer ? "status " + std::to_string(answer->status) + " " +
                                 answer->body.substr(0, 200)
                           : answer.error())
                << "\n";
      co_return Forbidden(user, attributes,
                          "kcache could not reach the upstream authorizer");
    }
    Decision fresh;
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(answer->body, ec);
    if (!ec && doc.is_object()) {
      if (auto* status = doc.as_object().if_contains("status"); status && status->is_object()) {
        auto* allowed = status->as_object().if_contains("allowed");
        fresh.allowed = allowed && allowed->is_bool() && allowed->as_bool();
        auto* reason = status->as_object().if_contains("reason");
        if (reason && reason->is_string()) fresh.reason = std::string(reason->as_string());
      }
    }
    decisions_.Put(key, fresh, fresh.allowed ? options_.allowed_ttl : options_.denied_ttl);
    decision = fresh;
  }
  if (decision->allowed) co_return boost::system::result<void, Status>();
  co_return Forbidden(user, attributes, decision->reason);
}

}  // namespace kcache
