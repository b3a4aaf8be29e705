#include "proxy/upstream_pool.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "kube/http_parser.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto kCallTimeout = std::chrono::seconds(30);
constexpr size_t kCallBodyLimit = 64 * 1024 * 1024;

}  // namespace

UpstreamPool::UpstreamPool(std::shared_ptr<Upstream> upstream, UpstreamIdentity identity,
                           size_t max_idle)
    : upstream_(std::move(upstream)), identity_(identity), max_idle_(max_idle) {}

asio::awaitable<boost::system::result<std::unique_ptr<UpstreamStream>, std::string>>
UpstreamPool::Acquire(bool& reused) {
  // The oldest are at the front: drop those idle for too long, then take the newest.
  auto now = std::chrono::steady_clock::now();
  std::erase_if(idle_, [&](const Idle& idle) { return now - idle.since > kMaxIdle; });
  reused = !idle_.empty();
  if (reused) {
    auto connection = std::move(idle_.back().connection);
    idle_.pop_back();
    co_return connection;
  }
  co_return co_await upstream_->Connect(co_await asio::this_coro::executor, identity_);
}

void UpstreamPool::Release(std::unique_ptr<UpstreamStream> connection) {
  if (idle_.size() < max_idle_) {
    idle_.push_back(Idle{std::move(connection), std::chrono::steady_clock::now()});
  }
}

asio::awaitable<boost::system::result<FetchResult, std::string>> UpstreamPool::Call(
    http::verb method, const std::string& target, const std::string& body,
    const http::fields& headers) {
  http::request<http::string_body> request{method, target, 11};
  for (const auto& field : headers) request.insert(field.name(), field.name_string(), field.value());
  request.set(http::field::host, upstream_->host_header());
  request.set(http::field::user_agent, "kcache");
  if (identity_ == UpstreamIdentity::kKcache) {
    if (std::string auth = upstream_->Authorization(); !auth.empty()) {
      request.set(http::field::authorization, auth);
    }
  }
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  request.keep_alive(true);

  std::string last_error;
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = false;
    auto acquired = co_await Acquire(reused);
    if (!acquired) co_return acquired.error();
    std::unique_ptr<UpstreamStream> connection = std::move(*acquired);
    beast::get_lowest_layer(*connection).expires_after(kCallTimeout);
    auto [write_ec, written] = co_await http::async_write(*connection, request,
                                                          asio::as_tuple(asio::use_awaitable));
    beast::flat_buffer buffer;
    ResponseParser<http::string_body> parser;
    parser.body_limit(kCallBodyLimit);
    boost::system::error_code read_ec = write_ec;
    if (!write_ec) {
      auto [ec, n] = co_await http::async_read(*connection, buffer, parser,
                                               asio::as_tuple(asio::use_awaitable));
      read_ec = ec;
    }
    if (read_ec) {
      last_error = read_ec.message();
      if (reused) {  // the upstream closed an idle connection: once more, on a fresh one
        DropIdle();
        continue;
      }
      break;
    }
    beast::get_lowest_layer(*connection).expires_never();
    auto response = parser.release();
    FetchResult result;
    result.status = response.result_int();
    result.headers = response.base();
    result.body = std::move(response.body());
    if (response.keep_alive()) Release(std::move(connection));
    co_return result;
  }
  co_return target + ": " + last_error;
}

}  // namespace kcache
