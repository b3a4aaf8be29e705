#include "kube/continue_token.h"

#include "kube/go_json.h"
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
  // storage.DecodeContinue, step for step, with Go's error texts: base64 errors and
  // json.Unmarshal errors follow "continue key is not valid: ", as do start keys that
  // path.Clean would change.
  constexpr std::string_view kInvalidKey = "continue key is not valid";
  std::string json;
  size_t bad_byte = 0;
  if (!Base64RawUrlDecode(token, json, &bad_byte)) {
    return InvalidToken(std::string(kInvalidKey) + ": illegal base64 data at input byte " +
                        std::to_string(bad_byte));
  }
  GoContinueToken decoded;
  if (std::string error = GoJsonUnmarshalContinueToken(json, decoded); !error.empty()) {
    return InvalidToken(std::string(kInvalidKey) + ": " + error);
  }
  if (decoded.api_version != kTokenVersion) {
    return InvalidToken(std::string(kInvalidKey) +
                        ": server does not recognize this encoded version " +
                        decoded.api_version);
  }
  if (decoded.resource_version == 0) {
    return InvalidToken(std::string(kInvalidKey) +
                        ": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
  const std::string& start = decoded.start_key;
  if (start.empty()) {
    return InvalidToken(std::string(kInvalidKey) +
                        ": encoded start key empty (version meta.k8s.io/v1)");
  }
  std::string key = start.front() == '/' ? start : "/" + start;
  if (!IsCleanPath(key)) return InvalidToken(std::string(kInvalidKey) + ": " + start);
  ContinueToken out;
  out.resource_version = decoded.resource_version;
  out.start = key.substr(1);
  return out;
}

}  // namespace kcache
