#include "kube/request_info.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "kube/field_selector.h"
#include "kube/go_text.h"
#include "kube/label_selector.h"
#include "kube/query_params.h"

namespace kcache {
namespace {

constexpr std::array<std::string_view, 2> kSpecialVerbs = {"proxy", "watch"};
constexpr std::array<std::string_view, 2> kNamespaceSubresources = {"status", "finalize"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The name a list or watch names through a metadata.name=<name> field selector term, as
// RequestInfoFactory finds it: only when the list options decode, and only a valid path segment.
std::string NameFromListOptions(const QueryParams& query) {
  for (const char* integer : {"timeoutSeconds", "limit"}) {
    int64_t ignored = 0;
    if (const std::string* v = query.Find(integer); v && !ParseGoInt64(*v, ignored)) return "";
  }
  if (!LabelSelector::Parse(query.Get("labelSelector"))) return "";
  auto fields = FieldSelector::Parse(query.Get("fieldSelector"));
  if (!fields) return "";
  auto name = fields->RequiredValue("metadata.name");
  if (!name || name->empty() || *name == "." || *name == ".." ||
      name->find_first_of("/%") != std::string::npos) {
    return "";
  }
  return *name;
}

}  // namespace

std::vector<std::string> SplitPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::vector<std::string> parts;
  if (path.empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

RequestInfo ParseRequestInfo(std::string_view method, std::string_view path,
                             const QueryParams& query) {
  RequestInfo info;
  info.path = std::string(path);
  info.verb = Lower(method);

  std::vector<std::string> parts = SplitPath(path);
  size_t at = 0;
  auto remaining = [&] { return parts.size() - at; };
  if (remaining() < 3 || (parts[0] != "api" && parts[0] != "apis")) return info;
  info.api_prefix = parts[at++];
  if (info.api_prefix == "apis") {
    if (remaining() < 3) return info;
    info.api_group = parts[at++];
  }
  info.is_resource_request = true;
  info.api_version = parts[at++];

  if (Contains(kSpecialVerbs, parts[at])) {
    if (remaining() < 2) return info;
    info.verb = parts[at++];
    info.verb_from_path = true;
  } else if (method == "POST") {
    info.verb = "create";
  } else if (method == "GET" || method == "HEAD") {
    info.verb = "get";
  } else if (method == "PUT") {
    info.verb = "update";
  } else if (method == "PATCH") {
    info.verb = "patch";
  } else if (method == "DELETE") {
    info.verb = "delete";
  } else {
    info.verb = "";
  }

  if (parts[at] == "namespaces") {
    if (remaining() > 1) {
      info.namespace_name = parts[at + 1];
      if (remaining() > 2 && !Contains(kNamespaceSubresources, parts[at + 2])) at += 2;
    }
  }
  size_t n = remaining();
  if (n >= 3 && info.verb != "proxy") info.subresource = parts[at + 2];
  if (n >= 2) info.name = parts[at + 1];
  if (n >= 1) info.resource = parts[at];

  if (info.name.empty() && info.verb == "get") {
    const std::string* watch = query.Find("watch");
    info.verb = watch && QueryBool(*watch) ? "watch" : "list";
    info.name = NameFromListOptions(query);
    info.name_from_selector = !info.name.empty();
  }
  if (info.name.empty() && info.verb == "delete") info.verb = "deletecollection";
  return info;
}

}  // namespace kcache
