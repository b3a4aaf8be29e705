#include "proxy/authenticator.h"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <openssl/sha.h>

#include "kube/json_text.h"
#include "proxy/upstream_pool.h"

namespace kcache {
namespace {

namespace http = boost::beast::http;

std::string Sha256(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string StringAt(const boost::json::object& object, std::string_view key) {
  auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::optional<UserInfo> ParseTokenReview(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  auto* status = doc.as_object().if_contains("status");
  if (!status || !status->is_object()) return std::nullopt;
  auto* authenticated = status->as_object().if_contains("authenticated");
  if (!authenticated || !authenticated->is_bool() || !authenticated->as_bool()) return std::nullopt;
  auto* user = status->as_object().if_contains("user");
  if (!user || !user->is_object()) return std::nullopt;
  UserInfo info;
  info.source = UserInfo::Source::kToken;
  info.name = StringAt(user->as_object(), "username");
  info.uid = StringAt(user->as_object(), "uid");
  if (auto* groups = user->as_object().if_contains("groups"); groups && groups->is_array()) {
    for (const auto& group : groups->as_array()) {
      if (group.is_string()) info.groups.emplace_back(group.as_string());
    }
  }
  if (auto* extra = user->as_object().if_contains("extra"); extra && extra->is_object()) {
    for (const auto& [key, values] : extra->as_object()) {
      auto& out = info.extra[std::string(key)];
      if (!values.is_array()) continue;
      for (const auto& value : values.as_array()) {
        if (value.is_string()) out.emplace_back(value.as_string());
      }
    }
  }
  if (info.name.empty()) return std::nullopt;
  return info;
}

}  // namespace

Status Unauthorized() {
  return Status{.reason = "Unauthorized", .message = "Unauthorized", .code = 401};
}

std::string BearerToken(const HttpRequest& request) {
  std::string_view header = request[http::field::authorization];
  size_t space = header.find(' ');
  if (space != std::string_view::npos) {
    std::string_view scheme = header.substr(0, space);
    std::string_view token = header.substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (boost::beast::iequals(scheme, "bearer") && !token.empty()) return std::string(token);
  }
  // Browsers cannot set headers on WebSockets; kube-apiserver reads the token from the
  // subprotocol list instead.
  constexpr std::string_view kProtocol = "base64url.bearer.authorization.k8s.io.";
  std::string_view protocols = request["Sec-WebSocket-Protocol"];
  while (!protocols.empty()) {
    size_t comma = protocols.find(',');
    std::string_view entry = protocols.substr(0, comma);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry.starts_with(kProtocol)) {
      std::string token;
      if (Base64RawUrlDecode(entry.substr(kProtocol.size()), token) && !token.empty()) return token;
    }
    if (comma == std::string_view::npos) break;
    protocols.remove_prefix(comma + 1);
  }
  return "";
}

Authenticator::Authenticator(AuthenticationOptions options)
    : options_(options), tokens_(options.cache_size) {}

boost::asio::awaitable<std::optional<UserInfo>> Authenticator::ReviewToken(
    const std::string& token, UpstreamPool& kcache_pool) {
  std::string key = Sha256(token);
  if (auto cached = tokens_.Get(key)) co_return *cached;
  std::string body = R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":)";
  AppendJsonString(body, token);
  body += "}}";
  auto answer = co_await kcache_pool.Call(
      http::verb::post, "/apis/authentication.k8s.io/v1/tokenreviews", body);
  // An upstream that cannot answer authenticates nobody; that answer is not kept.
  if (!answer || answer->status != 201) co_return std::nullopt;
  std::optional<UserInfo> user = ParseTokenReview(answer->body);
  tokens_.Put(key, user, user ? options_.token_ttl : options_.failed_token_ttl);
  co_return user;
}

boost::asio::awaitable<boost::system::result<UserInfo, Status>> Authenticator::Authenticate(
    const HttpRequest& request, const std::optional<UserInfo>& certificate_user,
    bool certificate_rejected, UpstreamPool& kcache_pool) {
  // kube-apiserver tries the x509 authenticator first; a valid certificate wins.
  if (certificate_user) co_return *certificate_user;
  std::string token = BearerToken(request);
  if (!token.empty()) {
    auto user = co_await ReviewToken(token, kcache_pool);
    if (!user) co_return Unauthorized();
    co_return *user;
  }
  if (certificate_rejected || !options_.anonymous) co_return Unauthorized();
  UserInfo anonymous;
  anonymous.name = "system:anonymous";
  anonymous.groups = {"system:unauthenticated"};
  anonymous.source = UserInfo::Source::kAnonymous;
  co_return anonymous;
}

}  // namespace kcache
