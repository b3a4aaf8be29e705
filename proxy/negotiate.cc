#include "proxy/negotiate.h"

#include <algorithm>
#include <vector>

namespace kcache {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

struct Clause {
  std::string_view type;
  std::string_view as, group, version, pretty, drop;
  double q = 1.0;
};

std::vector<Clause> ParseAccept(std::string_view accept) {
  std::vector<Clause> clauses;
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view part = Trim(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    if (part.empty()) continue;
    Clause clause;
    size_t semi = part.find(';');
    clause.type = Trim(part.substr(0, semi));
    while (semi != std::string_view::npos) {
      part = part.substr(semi + 1);
      semi = part.find(';');
      std::string_view param = Trim(part.substr(0, semi));
      size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = Trim(param.substr(0, eq)), value = Trim(param.substr(eq + 1));
      if (key == "as") clause.as = value;
      if (key == "g") clause.group = value;
      if (key == "v") clause.version = value;
      if (key == "pretty") clause.pretty = value;
      if (key == "drop") clause.drop = value;
      if (key == "q") clause.q = std::atof(std::string(value).c_str());
    }
    if (clause.q > 0) clauses.push_back(clause);
  }
  std::stable_sort(clauses.begin(), clauses.end(),
                   [](const Clause& a, const Clause& b) { return a.q > b.q; });
  return clauses;
}

bool IsJsonCompatible(std::string_view type) {
  return type == "application/json" || type == "*/*" || type == "application/*";
}

}  // namespace

uint8_t ParseDrop(std::string_view value) {
  uint8_t drop = 0;
  while (!value.empty()) {
    size_t plus = value.find('+');
    std::string_view target = Trim(value.substr(0, plus));
    value = plus == std::string_view::npos ? std::string_view() : value.substr(plus + 1);
    if (target == "metadata.managedFields") drop |= kDropManagedFields;
    if (target == "metadata.annotations") drop |= kDropAnnotations;
  }
  return drop;
}

Negotiated NegotiateAccept(std::string_view accept, bool list) {
  Negotiated result;
  if (Trim(accept).empty()) return result;
  for (const Clause& clause : ParseAccept(accept)) {
    if (clause.type == "application/vnd.kubernetes.protobuf") continue;  // JSON is fine for them
    if (!IsJsonCompatible(clause.type) || clause.pretty == "1") break;
    result.drop = clause.as == "Table" ? 0 : ParseDrop(clause.drop);
    if (clause.as.empty()) return result;
    if (clause.group != "meta.k8s.io" || (clause.version != "v1" && clause.version != "v1beta1")) {
      break;
    }
    if (clause.as == "PartialObjectMetadataList" && list) {
      result.encoding = Encoding::kPartialObjectMetadataList;
    } else if (clause.as == "PartialObjectMetadata" && !list) {
      result.encoding = Encoding::kPartialObjectMetadata;
    } else if (clause.as == "Table") {
      result.encoding = Encoding::kTable;
    } else {
      break;  // a transform that does not fit: the upstream answers
    }
    result.meta_version = std::string(clause.version);
    return result;
  }
  result.encoding = Encoding::kUpstream;
  return result;
}

}  // namespace kcache
