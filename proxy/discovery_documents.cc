#include "proxy/discovery_documents.h"

#include <algorithm>
#include <array>

#include <boost/beast/core/string.hpp>

namespace kcache {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Long enough for every Accept header of client-go, kubectl and the Python client; a key of
// kcache's must stay small whatever a client sends.
constexpr size_t kMaxAcceptBytes = 512;
constexpr size_t kMaxHashBytes = 128;  // a hex SHA-512 is 128 digits

// Headers kept with a copy: what describes the document to clients and caches. Date, Audit-Id
// and API Priority and Fairness's headers belong to each answer; the framing is kcache's own.
constexpr std::array<std::string_view, 9> kKeptHeaders = {
    "Content-Type", "ETag",          "Cache-Control", "Expires", "Last-Modified",
    "Vary",         "Accept-Ranges", "X-Content-Type-Options", "Warning"};
constexpr std::array<std::string_view, 4> kNotModifiedHeaders = {
    "ETag", "Cache-Control", "Expires", "Vary"};
// Preconditions and ranges http.ServeContent would act on; kcache leaves them to the upstream.
constexpr std::array<http::field, 5> kLeftToUpstream = {
    http::field::range, http::field::if_range, http::field::if_match,
    http::field::if_unmodified_since, http::field::if_modified_since};

template <size_t N>
bool NameIn(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view kept) { return beast::iequals(kept, name); });
}

bool IsSegmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-' || c == '_';
}

// Path segments of plain characters (no percent escapes, which the upstream would decode), none
// of them "." or "..", which Go's mux would clean into another path.
std::optional<std::vector<std::string_view>> PlainSegments(std::string_view path) {
  if (path.size() < 2 || path.front() != '/') return std::nullopt;
  std::vector<std::string_view> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == ".." ||
        !std::all_of(segment.begin(), segment.end(), IsSegmentChar)) {
      return std::nullopt;
    }
    segments.push_back(segment);
    start = slash + 1;
  }
  return segments;
}

bool IsDiscoveryPath(const std::vector<std::string_view>& s) {
  if (s[0] == "api") return s.size() <= 2;
  if (s[0] == "apis") return s.size() <= 3;
  if (s[0] == "version") return s.size() == 1;
  if (s[0] == "openapi") {
    return (s.size() == 2 && (s[1] == "v2" || s[1] == "v3")) ||
           (s.size() >= 3 && s.size() <= 6 && s[1] == "v3");
  }
  return false;
}

bool IsOpenApiV3Document(const std::vector<std::string_view>& s) {
  return s.size() >= 3 && s[0] == "openapi" && s[1] == "v3";
}

// client-go writes its timeout with Go's Duration.String: "32s", "1m0s", "1h0m0s".
bool IsWholeTimeout(std::string_view value) {
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9 || value[0] == '0') return false;
  std::string_view unit = value.substr(digits);
  return unit == "s" || unit == "m0s" || unit == "h0m0s";
}

bool IsHash(std::string_view value) {
  return !value.empty() && value.size() <= kMaxHashBytes &&
         std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
         });
}

// The Accept header without blanks, or nullopt for a header kcache does not key on: quoted
// parameters (blanks would matter inside them), control or non-ASCII bytes, oversized.
std::optional<std::string> CompactAccept(std::string_view accept) {
  if (accept.size() > kMaxAcceptBytes) return std::nullopt;
  std::string compact;
  for (char c : accept) {
    if (c == ' ' || c == '\t') continue;
    if (c == '"' || c < 0x21 || c > 0x7e) return std::nullopt;
    compact += c;
  }
  return compact;
}

void ReplaceHeader(Headers& headers, std::string_view name,
                   const std::vector<std::string>& values) {
  std::erase_if(headers, [&](const auto& header) { return beast::iequals(header.first, name); });
  for (const std::string& value : values) headers.emplace_back(std::string(name), value);
}

}  // namespace

std::optional<DiscoveryKey> DiscoveryKeyFor(const http::request_header<http::fields>& request) {
  if (request.method() != http::verb::get) return std::nullopt;
  for (http::field field : kLeftToUpstream) {
    if (request.find(field) != request.end()) return std::nullopt;
  }
  if (request.count(http::field::accept) > 1) return std::nullopt;
  auto accept = CompactAccept(request[http::field::accept]);
  if (!accept) return std::nullopt;

  std::string_view target = request.target();
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  auto segments = PlainSegments(path);
  if (!segments || !IsDiscoveryPath(*segments)) return std::nullopt;

  std::string_view hash;
  bool timeout = false;
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  while (!query.empty()) {
    size_t amp = std::min(query.find('&'), query.size());
    std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    size_t equals = pair.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    std::string_view name = pair.substr(0, equals), value = pair.substr(equals + 1);
    if (name == "timeout" && !timeout && IsWholeTimeout(value)) {
      timeout = true;
    } else if (name == "hash" && hash.empty() && IsOpenApiV3Document(*segments) &&
               IsHash(value)) {
      hash = value;
    } else {
      return std::nullopt;
    }
  }
  DiscoveryKey key{.target = std::string(path), .accept = std::move(*accept)};
  if (!hash.empty()) key.target += "?hash=" + std::string(hash);
  return key;
}

std::optional<DiscoveryDocument> KeptDocument(const DiscoveryKey& key, FetchResult fetched,
                                              std::chrono::steady_clock::time_point now) {
  if (fetched.status != 200) return std::nullopt;
  std::string_view content_type = fetched.headers[http::field::content_type];
  if (key.target == "/api" &&
      content_type.find("as=APIGroupDiscoveryList") == std::string_view::npos) {
    return std::nullopt;
  }
  DiscoveryDocument document;
  for (const auto& field : fetched.headers) {
    if (!NameIn(kKeptHeaders, field.name_string())) continue;
    document.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  document.etag = std::string(fetched.headers[http::field::etag]);
  // The OpenAPI v3 index is served with time.Now() as its modification time; every other
  // document with the time its content last changed (OpenAPI v2's can be the very second of
  // the fetch, right after a CRD change, so the Date header cannot tell the two apart).
  document.modified_when_answered =
      key.target == "/openapi/v3" && fetched.headers.count(http::field::last_modified) > 0;
  document.body = std::make_shared<const std::string>(std::move(fetched.body));
  document.confirmed = now;
  return document;
}

DiscoveryDocument Revalidated(const DiscoveryDocument& document,
                              const http::fields& not_modified,
                              std::chrono::steady_clock::time_point now) {
  DiscoveryDocument revalidated = document;
  for (std::string_view name : kNotModifiedHeaders) {
    std::vector<std::string> values;
    auto [first, last] = not_modified.equal_range(name);
    for (auto it = first; it != last; ++it) values.emplace_back(it->value());
    if (!values.empty()) ReplaceHeader(revalidated.headers, name, values);
  }
  if (auto etag = not_modified.find(http::field::etag); etag != not_modified.end()) {
    revalidated.etag = std::string(etag->value());
  }
  revalidated.confirmed = now;
  return revalidated;
}

Headers NotModifiedHeaders(const DiscoveryDocument& document) {
  Headers headers;
  for (const auto& header : document.headers) {
    if (NameIn(kNotModifiedHeaders, header.first)) headers.push_back(header);
  }
  return headers;
}

ConditionalAnswer AnswerIfNoneMatch(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return ConditionalAnswer::kDocument;
  bool single_strong_tag = if_none_match.size() >= 2 && if_none_match.front() == '"' &&
                           if_none_match.back() == '"' &&
                           if_none_match.find('"', 1) == if_none_match.size() - 1;
  if (!single_strong_tag) return ConditionalAnswer::kUpstream;
  return !etag.empty() && if_none_match == etag ? ConditionalAnswer::kNotModified
                                                 : ConditionalAnswer::kDocument;
}

}  // namespace kcache
