#include "cache/discovery.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

namespace kcache {
namespace {

constexpr const char* kAggregatedAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

std::string StringField(const boost::json::object& object, std::string_view key) {
  auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

boost::system::result<std::vector<ResourceInfo>, std::string> ParseAggregatedDiscovery(
    std::string_view json) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) return std::string("discovery document is not JSON");
  auto* items = doc.as_object().if_contains("items");
  if (!items || !items->is_array()) return std::string("discovery document has no items");
  std::vector<ResourceInfo> resources;
  for (const auto& item : items->as_array()) {
    if (!item.is_object()) continue;
    std::string group;
    if (auto* metadata = item.as_object().if_contains("metadata"); metadata && metadata->is_object()) {
      group = StringField(metadata->as_object(), "name");
    }
    auto* versions = item.as_object().if_contains("versions");
    if (!versions || !versions->is_array() || versions->as_array().empty() ||
        !versions->as_array().front().is_object()) {
      continue;
    }
    const auto& preferred = versions->as_array().front().as_object();
    std::string version = StringField(preferred, "version");
    auto* list = preferred.if_contains("resources");
    if (!list || !list->is_array()) continue;
    for (const auto& entry : list->as_array()) {
      if (!entry.is_object()) continue;
      const auto& r = entry.as_object();
      ResourceInfo info;
      info.group = group;
      info.version = version;
      info.resource = StringField(r, "resource");
      info.singular = StringField(r, "singularResource");
      info.namespaced = StringField(r, "scope") == "Namespaced";
      if (auto* kind = r.if_contains("responseKind"); kind && kind->is_object()) {
        info.kind = StringField(kind->as_object(), "kind");
      }
      if (auto* verbs = r.if_contains("verbs"); verbs && verbs->is_array()) {
        for (const auto& verb : verbs->as_array()) {
          if (verb.is_string()) info.verbs.emplace_back(verb.as_string());
        }
      }
      if (info.resource.empty() || info.kind.empty()) continue;
      if (!info.Has("list") || !info.Has("watch")) continue;
      resources.push_back(std::move(info));
    }
  }
  return resources;
}

boost::asio::awaitable<boost::system::result<std::vector<ResourceInfo>, std::string>>
DiscoverResources(Upstream& upstream) {
  auto executor = co_await boost::asio::this_coro::executor;
  std::vector<ResourceInfo> all;
  for (const char* root : {"/api", "/apis"}) {
    auto fetched = co_await upstream.Fetch(executor, root, kAggregatedAccept);
    if (!fetched) co_return fetched.error();
    if (fetched->status != 200) {
      co_return std::string("discovery ") + root + " answered " + std::to_string(fetched->status);
    }
    auto content_type = fetched->headers[boost::beast::http::field::content_type];
    if (content_type.find("as=APIGroupDiscoveryList") == std::string_view::npos) {
      co_return std::string("the upstream does not serve aggregated discovery (") + root + ")";
    }
    auto parsed = ParseAggregatedDiscovery(fetched->body);
    if (!parsed) co_return parsed.error();
    all.insert(all.end(), parsed->begin(), parsed->end());
  }
  co_return all;
}

bool MatchesResourcePattern(const ResourceInfo& info, const std::string& pattern) {
  if (pattern == "*") return true;
  std::string name = info.GroupResource();
  if (pattern.rfind("*.", 0) == 0) return info.group == pattern.substr(2);
  return name == pattern;
}

}  // namespace kcache
