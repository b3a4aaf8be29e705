#include "cache/custom_resources.h"

#include <boost/json.hpp>

namespace kcache {
namespace {

const boost::json::value* Path(const boost::json::value& root,
                               std::initializer_list<std::string_view> keys) {
  const boost::json::value* at = &root;
  for (std::string_view key : keys) {
    if (!at->is_object()) return nullptr;
    at = at->as_object().if_contains(key);
    if (!at) return nullptr;
  }
  return at;
}

}  // namespace

std::optional<CustomResourceFacts> ParseCustomResourceDefinition(std::string_view json,
                                                                 std::string_view version) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec) return std::nullopt;
  CustomResourceFacts facts;
  if (auto* list_kind = Path(doc, {"spec", "names", "listKind"}); list_kind && list_kind->is_string()) {
    facts.list_kind = std::string(list_kind->as_string());
  }
  if (auto* versions = Path(doc, {"spec", "versions"}); versions && versions->is_array()) {
    for (const auto& entry : versions->as_array()) {
      auto* name = Path(entry, {"name"});
      if (!name || !name->is_string() || name->as_string() != version) continue;
      auto* fields = Path(entry, {"selectableFields"});
      if (!fields || !fields->is_array()) break;
      for (const auto& field : fields->as_array()) {
        auto* path = Path(field, {"jsonPath"});
        if (path && path->is_string()) facts.selectable_json_paths.emplace_back(path->as_string());
      }
    }
  }
  return facts;
}

std::optional<CustomResourceFacts> FindCustomResource(const ResourceStore& crds,
                                                      const ResourceInfo& info) {
  if (info.group.empty()) return std::nullopt;
  ObjectPtr crd = crds.Get(info.resource + "." + info.group);
  if (!crd) return std::nullopt;
  return ParseCustomResourceDefinition(crd->Full(), info.version);
}

}  // namespace kcache
