// loadgen watch-lag: N watchers of one collection while a writer changes an object at a fixed
// rate; the delay from each write's completion to its delivery to every watcher. Event-driven
// (Boost.Asio), as thousands of mostly idle watch connections need.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "perf/loadgen/options.h"

namespace loadgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Stream = beast::ssl_stream<beast::tcp_stream>;

std::unique_ptr<ssl::context> MakeContext(const std::string& ca) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  if (ca.empty()) {
    context->set_verify_mode(ssl::verify_none);
  } else {
    context->load_verify_file(ca);
    context->set_verify_mode(ssl::verify_peer);
  }
  return context;
}

asio::awaitable<std::unique_ptr<Stream>> Connect(ssl::context& context, const Target& target) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(target.host, target.port, asio::use_awaitable);
  auto stream = std::make_unique<Stream>(executor, context);
  co_await beast::get_lowest_layer(*stream).async_connect(endpoints, asio::use_awaitable);
  beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true));
  co_await stream->async_handshake(ssl::stream_base::client, asio::use_awaitable);
  co_return stream;
}

http::request<http::string_body> MakeRequest(http::verb verb, const Target& target,
                                             const std::string& path, const std::string& token,
                                             const std::string& accept) {
  http::request<http::string_body> request{verb, path, 11};
  request.set(http::field::host, target.host);
  request.set(http::field::user_agent, "kcache-loadgen");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!accept.empty()) request.set(http::field::accept, accept);
  request.keep_alive(true);
  return request;
}

// The resourceVersion in a watch event line, found without parsing JSON.
uint64_t LineVersion(std::string_view line) {
  constexpr std::string_view kKey = "\"resourceVersion\":\"";
  size_t at = line.find(kKey);
  if (at == std::string_view::npos) return 0;
  uint64_t rv = 0;
  for (size_t i = at + kKey.size(); i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    rv = rv * 10 + static_cast<uint64_t>(line[i] - '0');
  }
  return rv;
}

}  // namespace

int RunWatchLag(const Options& options) {
  Target target = ParseUrl(options.Get("url"));
  Target write_target = ParseUrl(options.Get("write-url"));
  std::string path = options.Get("path"), token = options.Get("token");
  std::string write_path = options.Get("write-path");
  std::string write_token = options.Get("write-token", token);
  long watchers = options.Int("watchers", 100);
  long per_second = options.Int("events-per-second", 100);
  long seconds = options.Int("seconds", 10);
  auto context = MakeContext(options.Get("ca"));
  auto write_context = MakeContext(options.Get("write-ca", options.Get("ca")));

  asio::io_context io;
  std::mutex mutex;
  // Version -> when its write completed, and the object written.
  std::map<uint64_t, std::pair<Clock::time_point, long>> written;
  std::vector<std::pair<uint64_t, Clock::time_point>> received;
  std::atomic<long> connected{0}, failed{0};
  std::atomic<bool> done{false};

  // With `%d` in --path, watcher w watches group w % G (e.g. one object by field selector), and
  // a write to object o reaches the watchers of group o; without it every watcher sees every
  // write.
  long groups = std::max(1L, options.Int("groups", 1));
  bool grouped = path.find("%d") != std::string::npos;
  auto with_number = [](std::string text, long number) {
    if (size_t at = text.find("%d"); at != std::string::npos) {
      text.replace(at, 2, std::to_string(number));
    }
    return text;
  };
  std::vector<long> watchers_of_group(static_cast<size_t>(groups), 0);
  for (long w = 0; w < watchers; ++w) {
    asio::co_spawn(io, [&, w]() -> asio::awaitable<void> {
      try {
        auto stream = co_await Connect(*context, target);
        auto request = MakeRequest(http::verb::get, target, with_number(path, w % groups), token,
                                   "application/json");
        co_await http::async_write(*stream, request, asio::use_awaitable);
        beast::flat_buffer buffer;
        http::response_parser<http::buffer_body> parser;
        parser.body_limit(boost::none);
        co_await http::async_read_header(*stream, buffer, parser, asio::use_awaitable);
        {
          std::lock_guard lock(mutex);
          ++watchers_of_group[static_cast<size_t>(w % groups)];
        }
        ++connected;
        std::vector<char> chunk(64 * 1024);
        std::string pending;
        while (!done && !parser.is_done()) {
          parser.get().body().data = chunk.data();
          parser.get().body().size = chunk.size();
          boost::system::error_code ec;
          co_await http::async_read_some(*stream, buffer, parser,
                                         asio::redirect_error(asio::use_awaitable, ec));
          auto now = Clock::now();
          pending.append(chunk.data(), chunk.size() - parser.get().body().size);
          size_t start = 0, newline;
          while ((newline = pending.find('\n', start)) != std::string::npos) {
            std::string_view line(pending.data() + start, newline - start);
            if (line.find("\"type\":\"MODIFIED\"") != std::string_view::npos) {
              std::lock_guard lock(mutex);
              received.emplace_back(LineVersion(line), now);
            }
            start = newline + 1;
          }
          pending.erase(0, start);
          if (ec && ec != http::error::need_buffer) break;
        }
      } catch (const std::exception&) {
        ++failed;
      }
    }, asio::detached);
  }

  // The writers: evenly spaced merge patches, each recording when it completed. One request at
  // a time per connection cannot reach hundreds of writes per second on a busy apiserver, so
  // several writers share the rate. Writer w patches objects w, w+W, ... below --objects (`%d`
  // in --write-path), so no two writers touch one object.
  long writers = std::max(1L, options.Int("writers", 8));
  long objects = std::max(writers, options.Int("objects", grouped ? groups : writers));
  std::atomic<long> writers_left{writers};
  for (long w = 0; w < writers; ++w) {
    asio::co_spawn(io, [&, w]() -> asio::awaitable<void> {
      auto stream = co_await Connect(*write_context, write_target);
      beast::flat_buffer buffer;
      asio::steady_timer timer(co_await asio::this_coro::executor);
      // Let every watcher connect first.
      for (int i = 0; i < 1200 && connected.load() + failed.load() < watchers; ++i) {
        timer.expires_after(std::chrono::milliseconds(50));
        co_await timer.async_wait(asio::use_awaitable);
      }
      auto interval = std::chrono::microseconds(1000000 * writers / std::max(1L, per_second));
      auto next = Clock::now() + interval * w / writers;
      auto end = Clock::now() + std::chrono::seconds(seconds);
      long sequence = 0;
      while (Clock::now() < end) {
        timer.expires_at(next);
        co_await timer.async_wait(asio::use_awaitable);
        next += interval;
        long object = w + writers * (sequence % ((objects - w + writers - 1) / writers));
        auto request = MakeRequest(http::verb::patch, write_target,
                                   with_number(write_path, object), write_token,
                                   "application/json");
        request.set(http::field::content_type, "application/merge-patch+json");
        request.body() = "{\"data\":{\"sequence\":\"" + std::to_string(++sequence) + "\"}}";
        request.prepare_payload();
        co_await http::async_write(*stream, request, asio::use_awaitable);
        http::response<http::string_body> response;
        co_await http::async_read(*stream, buffer, response, asio::use_awaitable);
        uint64_t rv = LineVersion(response.body());
        std::lock_guard lock(mutex);
        written[rv] = {Clock::now(), object};
      }
      if (--writers_left > 0) co_return;
      // Give deliveries a moment, then end the watches.
      timer.expires_after(std::chrono::seconds(2));
      co_await timer.async_wait(asio::use_awaitable);
      done = true;
      io.stop();
    }, asio::detached);
  }

  std::thread helper([&] { io.run(); });
  io.run();
  helper.join();

  std::vector<double> lags;
  for (const auto& [rv, at] : received) {
    auto it = written.find(rv);
    if (it == written.end()) continue;
    lags.push_back(
        std::max(0.0, std::chrono::duration<double, std::milli>(at - it->second.first).count()));
  }
  long expected = 0;
  for (const auto& [rv, write] : written) {
    expected += grouped ? watchers_of_group[static_cast<size_t>(write.second % groups)]
                        : connected.load();
  }
  std::cout << "{\"watchers\":" << connected.load() << ",\"failed\":" << failed.load()
            << ",\"writes\":" << written.size()
            << ",\"writes_per_second\":" << static_cast<double>(written.size()) / seconds
            << ",\"deliveries\":" << lags.size()
            << ",\"missed\":" << std::max(0L, expected - static_cast<long>(lags.size()))
            << ",\"p50_ms\":" << Percentile(lags, 50) << ",\"p99_ms\":" << Percentile(lags, 99)
            << ",\"max_ms\":" << Percentile(lags, 100) << "}" << std::endl;
  return 0;
}

}  // namespace loadgen
