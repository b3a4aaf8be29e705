#include "proxy/impersonation.h"

#include <boost/beast/core/string.hpp>

#include "kube/query_params.h"
#include "proxy/authorizer.h"

namespace kcache {
namespace {

constexpr std::string_view kExtraPrefix = "Impersonate-Extra-";

}  // namespace

bool IsImpersonationHeader(std::string_view name) {
  return name.size() >= 12 && boost::beast::iequals(name.substr(0, 12), "Impersonate-");
}

HeaderList ImpersonationHeaders(const HttpRequest& request) {
  HeaderList headers;
  for (const auto& field : request) {
    if (IsImpersonationHeader(field.name_string())) {
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
  }
  return headers;
}

boost::asio::awaitable<boost::system::result<void, Status>> AuthorizeImpersonation(
    Exchange& exchange, const HeaderList& requested) {
  for (const auto& [name, value] : requested) {
    AccessAttributes a;
    a.verb = "impersonate";
    a.name = value;
    if (boost::beast::iequals(name, "Impersonate-User")) {
      // Service accounts are impersonated through their own resource.
      constexpr std::string_view kServiceAccount = "system:serviceaccount:";
      if (value.starts_with(kServiceAccount)) {
        std::string rest = value.substr(kServiceAccount.size());
        size_t colon = rest.find(':');
        a.resource = "serviceaccounts";
        a.namespace_name = rest.substr(0, colon);
        a.name = colon == std::string::npos ? "" : rest.substr(colon + 1);
      } else {
        a.resource = "users";
      }
    } else if (boost::beast::iequals(name, "Impersonate-Group")) {
      a.resource = "groups";
    } else if (boost::beast::iequals(name, "Impersonate-Uid")) {
      a.group = "authentication.k8s.io";
      a.resource = "uids";
    } else if (name.size() > kExtraPrefix.size() &&
               boost::beast::iequals(name.substr(0, kExtraPrefix.size()), kExtraPrefix)) {
      a.group = "authentication.k8s.io";
      a.resource = "userextras";
      std::string key;
      PercentDecode(name.substr(kExtraPrefix.size()), false, key);
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      a.subresource = key;
    } else {
      continue;
    }
    auto allowed = co_await exchange.services.authorizer.Authorize(exchange.user, a,
                                                                   exchange.own_pool);
    if (!allowed) co_return allowed.error();
  }
  co_return boost::system::result<void, Status>();
}

HeaderList ImpersonationOf(const UserInfo& user) {
  HeaderList headers{{"Impersonate-User", user.name}};
  for (const auto& group : user.groups) {
    // The upstream adds this one to every impersonated user itself.
    if (group != "system:authenticated") headers.emplace_back("Impersonate-Group", group);
  }
  if (!user.uid.empty()) headers.emplace_back("Impersonate-Uid", user.uid);
  return headers;
}

HeaderList FrontProxyHeaders(const UserInfo& user, const FrontProxyConfig& config) {
  HeaderList headers{{config.user_header, user.name}};
  for (const auto& group : user.groups) {
    if (group != "system:authenticated") headers.emplace_back(config.group_header, group);
  }
  for (const auto& [key, values] : user.extra) {
    for (const auto& value : values) {
      headers.emplace_back(config.extra_header_prefix + key, value);
    }
  }
  return headers;
}

bool IsFrontProxyHeader(std::string_view name, const FrontProxyConfig& config) {
  const std::string& prefix = config.extra_header_prefix;
  return boost::beast::iequals(name, config.user_header) ||
         boost::beast::iequals(name, config.group_header) ||
         (name.size() >= prefix.size() && boost::beast::iequals(name.substr(0, prefix.size()), prefix));
}

}  // namespace kcache
