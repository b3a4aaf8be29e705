#include "proxy/response.h"

#include <ctime>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

}  // namespace

std::string HttpDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

std::string NewAuditId() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  uint64_t a = random(), b = random();
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(((b >> 48) & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return text;
}

void SetCommonHeaders(http::fields& headers, const Exchange& exchange) {
  headers.set("Audit-Id", exchange.audit_id);
  headers.set(http::field::cache_control, "no-cache, private");
  headers.set(http::field::date, HttpDate());
}

asio::awaitable<bool> WriteRaw(ClientStream& stream, const std::vector<std::string_view>& pieces,
                               size_t chunk_bytes) {
  std::string staging;
  staging.reserve(chunk_bytes);
  auto flush = [&]() -> asio::awaitable<bool> {
    if (staging.empty()) co_return true;
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(staging),
                                              asio::as_tuple(asio::use_awaitable));
    staging.clear();
    co_return !ec;
  };
  for (std::string_view piece : pieces) {
    while (!piece.empty()) {
      size_t room = chunk_bytes - staging.size();
      size_t take = std::min(room, piece.size());
      staging.append(piece.data(), take);
      piece.remove_prefix(take);
      if (staging.size() >= chunk_bytes) {
        bool written = co_await flush();
        if (!written) co_return false;
      }
    }
  }
  co_return co_await flush();
}

asio::awaitable<bool> WriteResponse(Exchange& exchange, unsigned status,
                                    std::string_view content_type, const BodyPieces& body) {
  http::response<http::empty_body> header{static_cast<http::status>(status),
                                          exchange.request.version()};
  SetCommonHeaders(header.base(), exchange);
  header.set(http::field::content_type, content_type);
  header.content_length(body.size());
  header.keep_alive(exchange.request.keep_alive());
  http::response_serializer<http::empty_body> serializer(header);
  auto [ec, n] = co_await http::async_write_header(exchange.stream, serializer,
                                                   asio::as_tuple(asio::use_awaitable));
  if (ec) co_return false;
  if (exchange.request.method() == http::verb::head) co_return true;
  co_return co_await WriteRaw(exchange.stream, body.pieces(),
                              exchange.services.options.write_chunk_bytes);
}

asio::awaitable<bool> WriteStatus(Exchange& exchange, const Status& status) {
  http::response<http::string_body> response{static_cast<http::status>(status.code),
                                             exchange.request.version()};
  SetCommonHeaders(response.base(), exchange);
  response.set(http::field::content_type, "application/json");
  if (status.retry_after_seconds > 0) {
    response.set(http::field::retry_after, std::to_string(status.retry_after_seconds));
  }
  if (status.code == 403) response.set("X-Content-Type-Options", "nosniff");
  response.body() = status.ToJson();
  response.keep_alive(exchange.request.keep_alive());
  response.prepare_payload();
  auto [ec, n] = co_await http::async_write(exchange.stream, response,
                                            asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

}  // namespace kcache
