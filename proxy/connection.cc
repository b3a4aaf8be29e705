#include "proxy/connection.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "kube/failures.h"
#include "kube/http_parser.h"
#include "kube/query_params.h"
#include "kube/status.h"
#include "proxy/header_checks.h"
#include "proxy/response.h"
#include "proxy/router.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// The plain answer Go's HTTP server writes itself when it cannot read a request (431, 400,
// 505), byte for byte: no Content-Length, and the connection closes after it.
asio::awaitable<void> WriteEarlyError(ClientStream& stream, std::string_view status_text) {
  std::string response = "HTTP/1.1 " + std::string(status_text) +
                         "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" +
                         std::string(status_text);
  co_await asio::async_write(stream, asio::buffer(response), asio::as_tuple(asio::use_awaitable));
}

// kube-apiserver reads a body over its limit to the end, then answers 413 with a Status; the
// client sees the answer instead of a connection reset in the middle of its upload. A client
// that waits for 100 Continue has sent no body: it gets the answer at once.
asio::awaitable<void> RefuseLargeBody(ClientStream& stream, beast::flat_buffer& buffer,
                                      RequestParser<http::string_body>& parser,
                                      const ConnectionLimits& limits) {
  constexpr uint64_t kMostDrained = 64 << 20;
  uint64_t remaining = ExpectsContinue(parser.get()) ? 0 : parser.content_length().value_or(0);
  remaining = std::min(remaining, kMostDrained);
  remaining -= std::min<uint64_t>(remaining, buffer.size());
  buffer.consume(buffer.size());
  std::vector<char> scratch(64 * 1024);
  stream.ExpiresAfter(limits.header_timeout);
  while (remaining > 0) {
    auto [ec, n] = co_await stream.async_read_some(
        asio::buffer(scratch.data(), std::min<uint64_t>(scratch.size(), remaining)),
        asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    remaining -= n;
  }
  Status status{.reason = "RequestEntityTooLarge",
                .message = "Request entity too large: limit is " +
                           std::to_string(limits.max_body_bytes),
                .code = 413};
  http::response<http::string_body> response{http::status::payload_too_large, 11};
  response.reason("Request Entity Too Large");  // Go's reason phrase, not Beast's
  response.set(http::field::content_type, "application/json");
  response.set(http::field::connection, "close");
  response.body() = status.ToJson();
  response.prepare_payload();
  co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
}

// Go answers 505 to a request line whose version reads "HTTP/d.d" but is not HTTP/1.x, and a
// plain 400 to one whose version it cannot read at all (net/http ParseHTTPVersion); Beast says
// bad_version to both. `received` starts with the request line.
bool WellFormedVersion(std::string_view received) {
  size_t line_end = received.find('\n');
  if (line_end == std::string_view::npos || line_end == 0 || received[line_end - 1] != '\r') {
    return false;  // no CRLF: Beast reads no request line without one
  }
  std::string_view line = received.substr(0, line_end - 1);
  std::string_view version = line.substr(line.rfind(' ') + 1);
  return version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.' &&
         std::isdigit(static_cast<unsigned char>(version[5])) &&
         std::isdigit(static_cast<unsigned char>(version[7]));
}

// Answers a request that could not be read as Go's server does; a connection that just ended
// (closed, reset, idle) gets nothing.
asio::awaitable<void> AnswerUnreadable(ClientStream& stream, const beast::flat_buffer& buffer,
                                       boost::system::error_code read_ec) {
  std::string_view received(static_cast<const char*>(buffer.data().data()), buffer.size());
  if (read_ec == http::error::header_limit) {
    // Over the limit in all, or one field longer than kcache holds (kube/http_parser.h).
    co_await WriteEarlyError(stream, "431 Request Header Fields Too Large");
  } else if (read_ec == http::error::bad_version && WellFormedVersion(received)) {
    co_await WriteEarlyError(stream, "505 HTTP Version Not Supported: unsupported protocol version");
  } else if (read_ec.category() == http::make_error_code(http::error::bad_method).category() &&
             read_ec != http::error::end_of_stream && read_ec != http::error::partial_message) {
    // A request Beast cannot parse gets Go's plain 400; a closed or idle connection nothing.
    co_await WriteEarlyError(stream, "400 Bad Request");
  }
}

// What a log line says of the request a failure belongs to: its Audit-ID, method and path,
// clipped and made printable (both are the client's).
std::string RequestContext(const Exchange& exchange) {
  constexpr size_t kMostBytes = 200;
  auto printable = [](std::string_view text) {
    std::string out(text.substr(0, kMostBytes));
    for (char& c : out) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    return out;
  };
  return "Audit-ID " + printable(exchange.audit_id) + " " +
         std::string(exchange.request.method_string()) + " " + printable(exchange.path);
}

// Reads one request: its header, Go's refusals (proxy/header_checks.h), "100 Continue" for a
// client that waits for it, then its body. False when the connection is to end, answered or not.
asio::awaitable<bool> ReadRequest(ClientStream& stream, beast::flat_buffer& buffer,
                                  RequestParser<http::string_body>& parser,
                                  const ConnectionLimits& limits) {
  auto [header_ec, header_bytes] = co_await http::async_read_header(
      stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
  boost::system::error_code read_ec = header_ec;
  if (!read_ec) {
    if (std::optional<std::string> refusal = RefusalOf(parser.get())) {
      co_await asio::async_write(stream, asio::buffer(*refusal),
                                 asio::as_tuple(asio::use_awaitable));
      co_return false;
    }
    if (!parser.is_done() && ExpectsContinue(parser.get())) {
      constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue),
                                                asio::as_tuple(asio::use_awaitable));
      if (ec) co_return false;
    }
    if (!parser.is_done()) {
      auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser,
                                                             asio::as_tuple(asio::use_awaitable));
      read_ec = body_ec;
    }
  }
  if (read_ec == http::error::body_limit) {
    co_await RefuseLargeBody(stream, buffer, parser, limits);
    co_return false;
  }
  if (read_ec) {
    co_await AnswerUnreadable(stream, buffer, read_ec);
    co_return false;
  }
  co_return true;
}

}  // namespace

asio::awaitable<void> ServeRequests(ClientStream& stream, const Connection& connection) {
  const ConnectionLimits& limits = connection.limits;
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    RequestParser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    // A fresh connection gets the header timeout; an idle one the keep-alive timeout.
    stream.ExpiresAfter(first ? limits.header_timeout : limits.idle_timeout);
    first = false;
    if (!co_await ReadRequest(stream, buffer, parser, limits)) co_return;
    stream.ExpiresNever();

    HttpRequest request = parser.release();
    if (request.target() == "*" && request.method() == http::verb::options) {
      // Go's server answers OPTIONS * itself.
      constexpr std::string_view kOptions = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kOptions),
                                                asio::as_tuple(asio::use_awaitable));
      if (ec || !request.keep_alive()) co_return;
      continue;
    }
    std::optional<std::string_view> origin = OriginForm(request.target());
    std::string path;
    // CONNECT names an authority, not a path: its path is empty, as in Go, and the upstream
    // answers it.
    bool connect = request.method() == http::verb::connect && !origin;
    if (connect) {
      origin = std::string_view();
    } else if (!origin || !PercentDecode(origin->substr(0, origin->find('?')), false, path) ||
               path.empty() || path.front() != '/') {
      co_await WriteEarlyError(stream, "400 Bad Request");
      co_return;
    }
    // The upstream is asked in origin-form too.
    if (!connect && origin->size() != request.target().size()) {
      request.target(std::string(*origin));
    }
    std::string_view target = request.target();
    size_t question = target.find('?');
    std::string_view client_audit_id = request["Audit-ID"];
    Exchange exchange{
        .stream = stream,
        .buffer = buffer,
        .request = request,
        .path = path,
        .raw_query = question == std::string_view::npos ? std::string()
                                                        : std::string(target.substr(question + 1)),
        .remote_address = connection.remote_address,
        .audit_id = client_audit_id.empty() ? NewAuditId() : std::string(client_audit_id),
        .services = connection.services,
        .pool = connection.pool,
        .own_pool = connection.own_pool,
        .front_pool = connection.front_pool,
        .certificate_user = connection.certificate_user,
        .certificate_rejected = connection.certificate_rejected,
    };
    exchange.query = QueryParams::Parse(exchange.raw_query);
    exchange.info = ParseRequestInfo(std::string(request.method_string()), path, exchange.query);

    // A failure while serving ends this request and its connection, as Go's server does when
    // a handler panics: what was written of the answer may be incomplete, so nothing more is.
    AfterResponse after = AfterResponse::kClose;
    try {
      after = co_await Route(exchange);
    } catch (...) {
      Failures::Process().Contain(kBoundaryRequest, RequestContext(exchange),
                                  std::current_exception());
    }
    if (after != AfterResponse::kKeepAlive || !request.keep_alive()) co_return;
  }
}

}  // namespace kcache
