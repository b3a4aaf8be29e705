#include "proxy/response.h"

#include <array>
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

void AddVary(http::fields& headers, std::string_view header_name) {
  auto [first, last] = headers.equal_range(http::field::vary);
  for (auto it = first; it != last; ++it) {
    for (std::string_view token : http::token_list(it->value())) {
      if (beast::iequals(token, header_name)) return;
    }
  }
  headers.insert(http::field::vary, header_name);
}

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
  for (const std::string& warning : exchange.warnings) headers.insert(http::field::warning, warning);
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

ChunkedWriter::ChunkedWriter(ClientStream& stream, size_t chunk_bytes,
                             std::optional<int> gzip_level)
    : stream_(stream), chunk_bytes_(chunk_bytes) {
  if (gzip_level) gzip_ = std::make_unique<GzipStream>(*gzip_level);
}

ChunkedWriter::~ChunkedWriter() = default;

asio::awaitable<bool> ChunkedWriter::Flush() {
  if (chunk_.empty()) co_return true;
  char size[24];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", chunk_.size());
  std::array<asio::const_buffer, 3> buffers{asio::buffer(size, static_cast<size_t>(n)),
                                            asio::buffer(chunk_), asio::buffer("\r\n", 2)};
  auto [ec, written] = co_await asio::async_write(stream_, buffers,
                                                  asio::as_tuple(asio::use_awaitable));
  chunk_.clear();
  co_return !ec;
}

asio::awaitable<bool> ChunkedWriter::Write(const std::vector<std::string_view>& pieces) {
  // Most watch writes are one small event: size the buffer to what will be written, not to the
  // largest chunk (a 256 KiB allocation per event per watcher was a tenth of fan-out's cost).
  size_t total = 0;
  for (std::string_view piece : pieces) total += piece.size();
  chunk_.reserve(std::min(total, chunk_bytes_) + 32);
  for (std::string_view piece : pieces) {
    if (gzip_) {
      if (!gzip_->Write(piece, chunk_)) co_return false;
    } else {
      chunk_.append(piece);
    }
    if (chunk_.size() >= chunk_bytes_) {
      bool written = co_await Flush();
      if (!written) co_return false;
    }
  }
  if (gzip_ && !gzip_->Finish(chunk_)) co_return false;
  co_return co_await Flush();
}

asio::awaitable<bool> ChunkedWriter::Write(std::string_view text) {
  std::vector<std::string_view> pieces{text};
  co_return co_await Write(pieces);
}

asio::awaitable<bool> ChunkedWriter::End() {
  auto [ec, n] = co_await asio::async_write(stream_, asio::buffer("0\r\n\r\n", 5),
                                            asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

std::optional<int> GzipLevelFor(const Exchange& exchange, std::optional<size_t> body_bytes) {
  const GzipOptions& gzip = exchange.services.options.gzip;
  if (!gzip.enabled || (body_bytes && *body_bytes <= gzip.threshold_bytes)) return std::nullopt;
  if (!AcceptsGzip(exchange.request[http::field::accept_encoding])) return std::nullopt;
  return gzip.level;
}

asio::awaitable<bool> WriteResponse(Exchange& exchange, unsigned status,
                                    std::string_view content_type, const BodyPieces& body) {
  http::response<http::empty_body> header{static_cast<http::status>(status),
                                          exchange.request.version()};
  SetCommonHeaders(header.base(), exchange);
  header.set(http::field::content_type, content_type);
  co_return co_await WriteHeaderAndBody(exchange, header, body.pieces(), body.size(),
                                        GzipLevelFor(exchange, body.size()));
}

asio::awaitable<bool> WriteHeaderAndBody(Exchange& exchange,
                                         http::response<http::empty_body>& header,
                                         const std::vector<std::string_view>& pieces,
                                         size_t size, std::optional<int> gzip_level) {
  bool not_modified = header.result() == http::status::not_modified;
  if (not_modified) {
    // No framing: a 304 has no body.
  } else if (gzip_level) {
    // As kube-apiserver: compressed bodies go chunked, their size unknown until written.
    header.set(http::field::content_encoding, "gzip");
    AddVary(header.base(), "Accept-Encoding");
    header.chunked(true);
  } else {
    header.content_length(size);
  }
  header.keep_alive(exchange.request.keep_alive());
  http::response_serializer<http::empty_body> serializer(header);
  auto [ec, n] = co_await http::async_write_header(exchange.stream, serializer,
                                                   asio::as_tuple(asio::use_awaitable));
  if (ec) co_return false;
  if (not_modified || exchange.request.method() == http::verb::head) co_return true;
  size_t chunk_bytes = exchange.services.options.write_chunk_bytes;
  if (gzip_level) {
    ChunkedWriter writer(exchange.stream, chunk_bytes, gzip_level);
    bool written = co_await writer.Write(pieces);
    if (!written) co_return false;
    co_return co_await writer.End();
  }
  co_return co_await WriteRaw(exchange.stream, pieces, chunk_bytes);
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
