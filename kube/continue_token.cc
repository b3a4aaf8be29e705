#include "kube/continue_token.h"

#include <boost/json.hpp>

#include "kube/json_text.h"

namespace kcache {
namespace {

constexpr std::string_view kTokenVersion = "meta.k8s.io/v1";

Status InvalidToken(std::string_view detail) {
  return BadRequest("invalid continue token: " + std::string(detail));
}

// Go's path.Clean(key) == key for a key that starts with '/'.
bool IsCleanPath(std::string_view key) {
  if (key.size() > 1 && key.back() == '/') return false;
  size_t i = 0;
  while (i < key.size()) {
    size_t next = key.find('/', i + 1);
    std::string_view element = key.substr(i + 1, next == std::string_view::npos ? next : next - i - 1);
    if (element.empty() && next != std::string_view::npos) return false;  // "//"
    if (element == "." || element == "..") return false;
    if (next == std::string_view::npos) break;
    i = next;
  }
  return true;
}

}  // namespace

std::string EncodeContinueToken(int64_t resource_version, std::string_view last_key) {
  std::string json = R"({"v":")" + std::string(kTokenVersion) + R"(","rv":)" +
                     std::to_string(resource_version) + R"(,"start":)";
  std::string start(last_key);
  start += '\0';
  AppendJsonString(json, start);
  json += '}';
  return Base64RawUrlEncode(json);
}

boost::system::result<ContinueToken, Status> DecodeContinueToken(std::string_view token) {
  std::string json;
  if (!Base64RawUrlDecode(token, json)) {
    return InvalidToken("continue key is not valid: illegal base64 data");
  }
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return InvalidToken("continue key is not valid: " +
                        (ec ? ec.message() : std::string("json: cannot unmarshal")));
  }
  const boost::json::object& obj = doc.as_object();
  std::string version;
  if (auto* v = obj.if_contains("v"); v && v->is_string()) version = std::string(v->as_string());
  if (version != kTokenVersion) {
    return InvalidToken("continue key is not valid: server does not recognize this encoded "
                        "version " + version);
  }
  ContinueToken out;
  if (auto* rv = obj.if_contains("rv"); rv && rv->is_int64()) {
    out.resource_version = rv->as_int64();
  } else if (rv && rv->is_uint64()) {
    return InvalidToken("continue key is not valid: json: cannot unmarshal number into Go "
                        "struct field continueToken.rv of type int64");
  }
  if (out.resource_version == 0) {
    return InvalidToken("continue key is not valid: incorrect encoded start resourceVersion "
                        "(version meta.k8s.io/v1)");
  }
  std::string start;
  if (auto* s = obj.if_contains("start"); s && s->is_string()) start = std::string(s->as_string());
  if (start.empty()) {
    return InvalidToken("continue key is not valid: encoded start key empty (version "
                        "meta.k8s.io/v1)");
  }
  std::string key = start.front() == '/' ? start : "/" + start;
  if (!IsCleanPath(key)) return InvalidToken("continue key is not valid: " + start);
  out.start = key.substr(1);
  return out;
}

}  // namespace kcache
