#include "proxy/header_checks.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

namespace kcache {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::string_view kErrorHeaders =
    "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";

// Go's answer to a request it cannot serve: a status line and the same text as the body.
std::string PlainAnswer(std::string_view status_text) {
  return "HTTP/1.1 " + std::string(status_text) + std::string(kErrorHeaders) +
         std::string(status_text);
}

// httpguts.ValidHostHeader: the bytes a Host header may hold.
bool ValidHost(std::string_view host) {
  for (unsigned char c : host) {
    bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("!$%&'()*+,-./:;=?@[]_~").find(static_cast<char>(c)) !=
                     std::string_view::npos;
    if (!valid) return false;
  }
  return true;
}

// Go's hasToken: `token` among the comma- or space-separated tokens of `value`, in any case.
bool HasToken(std::string_view value, std::string_view token) {
  size_t at = 0;
  while (at < value.size()) {
    size_t end = value.find_first_of(", \t", at);
    if (end == std::string_view::npos) end = value.size();
    if (beast::iequals(value.substr(at, end - at), token)) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

std::optional<std::string> RefusalOf(const HttpRequest& request) {
  bool http11 = request.version() >= 11;
  // Go ignores Transfer-Encoding on HTTP/1.0; Beast would frame the body by it. kcache
  // refuses that mismatch rather than read a body Go would not.
  auto encodings = request.equal_range(http::field::transfer_encoding);
  size_t encoding_count = static_cast<size_t>(std::distance(encodings.first, encodings.second));
  if (encoding_count > 0) {
    if (!http11) return PlainAnswer("400 Bad Request");
    if (encoding_count != 1 || !beast::iequals(encodings.first->value(), "chunked")) {
      return "HTTP/1.1 501 Not Implemented" + std::string(kErrorHeaders) +
             "Unsupported transfer encoding";
    }
  }
  auto hosts = request.equal_range(http::field::host);
  size_t host_count = static_cast<size_t>(std::distance(hosts.first, hosts.second));
  if (host_count > 1) return PlainAnswer("400 Bad Request");
  if (http11 && host_count == 0 && request.method_string() != "CONNECT") {
    return PlainAnswer("400 Bad Request: missing required Host header");
  }
  if (host_count == 1 && !ValidHost(hosts.first->value())) {
    return PlainAnswer("400 Bad Request: malformed Host header");
  }
  auto expect = request.find(http::field::expect);
  if (expect != request.end() && !HasToken(expect->value(), "100-continue")) {
    return std::string(
        "HTTP/1.1 417 Expectation Failed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  }
  return std::nullopt;
}

bool ExpectsContinue(const HttpRequest& request) {
  auto expect = request.find(http::field::expect);
  return request.version() >= 11 && expect != request.end() &&
         HasToken(expect->value(), "100-continue");
}

std::optional<std::string_view> OriginForm(std::string_view target) {
  if (target.starts_with('/')) return target;
  // absolute-form: scheme "://" authority path-abempty [ "?" query ]
  size_t colon = target.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  for (char c : target.substr(0, colon)) {
    bool scheme = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '-' || c == '.';
    if (!scheme) return std::nullopt;
  }
  size_t path = target.find_first_of("/?", colon + 3);
  if (path == std::string_view::npos || target[path] != '/') return std::nullopt;
  return target.substr(path);
}

}  // namespace kcache
