// loadgen: the load driver of kcache's benchmarks. It sends the same requests to any
// Kubernetes API server (kube-apiserver, kcache, or nginx serving fixed bytes) and reports
// latency and throughput as JSON on stdout.
//
//   loadgen requests --url URL --path PATH [--token T] [--ca FILE] [--accept A]
//                    [--count N] [--concurrency C] [--duration-seconds S]
//       N requests (or as many as fit in S seconds) over C keep-alive connections; reports
//       count, errors, bytes, p50/p90/p99/max latency and requests/s. With
//       --follow-continue 1, each sample walks every page of a paginated list.
//   loadgen watch-lag --url URL --path PATH --watchers N --write-url URL --write-path PATH
//                    --events-per-second E --seconds S [--token T] [--write-token T] [--ca FILE]
//       N watchers of PATH on URL while E changes/s are written (merge patches to the object
//       at --write-path on --write-url); reports the delay from each write's completion to its
//       delivery to every watcher (p50/p99), and deliveries missed.
//   loadgen memcpy --bytes N
//       copy bandwidth of N bytes: the machine's ceiling for serving a response of that size.
//
// Run from perf/run.py; built as its own target (not part of the default build).

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
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

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

struct Options {
  std::map<std::string, std::string> values;
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
  }
  long Int(const std::string& key, long fallback) const {
    auto it = values.find(key);
    return it == values.end() ? fallback : std::stol(it->second);
  }
};

struct Target {
  std::string host, port;
};

Target ParseUrl(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  size_t colon = rest.rfind(':');
  return {rest.substr(0, colon), colon == std::string::npos ? "443" : rest.substr(colon + 1)};
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * values.size()));
  return values[index];
}

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

struct Response {
  unsigned status = 0;
  size_t bytes = 0;
  std::string head;  // the body's first bytes: a list's metadata (and continue token) is there
};

// Reads one response, keeping only the first bytes of the body.
asio::awaitable<Response> ReadDiscarding(Stream& stream, beast::flat_buffer& buffer) {
  constexpr size_t kHeadBytes = 4096;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
  static thread_local std::vector<char> scratch(1 << 20);
  Response response;
  while (!parser.is_done()) {
    parser.get().body().data = scratch.data();
    parser.get().body().size = scratch.size();
    boost::system::error_code ec;
    co_await http::async_read_some(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec && ec != http::error::need_buffer) throw boost::system::system_error(ec);
    size_t got = scratch.size() - parser.get().body().size;
    if (response.head.size() < kHeadBytes) {
      response.head.append(scratch.data(), std::min(got, kHeadBytes - response.head.size()));
    }
    response.bytes += got;
  }
  response.status = parser.get().result_int();
  co_return response;
}

// The list's continue token, or "" on its last page.
std::string ContinueToken(const std::string& head) {
  constexpr std::string_view kKey = "\"continue\":\"";
  size_t at = head.find(kKey);
  if (at == std::string::npos) return "";
  size_t begin = at + kKey.size();
  return head.substr(begin, head.find('"', begin) - begin);
}

int RunRequests(const Options& options) {
  Target target = ParseUrl(options.Get("url"));
  std::string path = options.Get("path"), token = options.Get("token"),
              accept = options.Get("accept", "application/json");
  long count = options.Int("count", 100), concurrency = options.Int("concurrency", 1);
  bool follow = options.Int("follow-continue", 0) != 0;
  double duration = static_cast<double>(options.Int("duration-seconds", 0));
  auto context = MakeContext(options.Get("ca"));

  asio::io_context io(1);
  std::mutex mutex;
  std::vector<double> latencies;
  std::atomic<long> started{0}, errors{0};
  std::atomic<size_t> bytes{0};
  auto begin = Clock::now();
  auto more = [&] {
    if (duration > 0) return std::chrono::duration<double>(Clock::now() - begin).count() < duration;
    return started.fetch_add(1) < count;
  };
  for (long c = 0; c < concurrency; ++c) {
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      std::unique_ptr<Stream> stream;
      beast::flat_buffer buffer;
      while (more()) {
        auto t0 = Clock::now();
        try {
          if (!stream) stream = co_await Connect(*context, target);
          // With --follow-continue, one sample is the walk through every page.
          std::string next;
          do {
            std::string page_path = path;
            if (!next.empty()) page_path += "&continue=" + next;
            auto request = MakeRequest(http::verb::get, target, page_path, token, accept);
            co_await http::async_write(*stream, request, asio::use_awaitable);
            Response response = co_await ReadDiscarding(*stream, buffer);
            if (response.status != 200) {
              ++errors;
              break;
            }
            bytes += response.bytes;
            next = follow ? ContinueToken(response.head) : "";
          } while (!next.empty());
        } catch (const std::exception&) {
          ++errors;
          stream.reset();
          buffer.clear();
          continue;
        }
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        std::lock_guard lock(mutex);
        latencies.push_back(ms);
      }
    }, asio::detached);
  }
  // Two threads: TLS decryption on one core is what a single client would be limited by.
  std::thread helper([&] { io.run(); });
  io.run();
  helper.join();
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::cout << "{\"count\":" << latencies.size() << ",\"errors\":" << errors.load()
            << ",\"bytes\":" << bytes.load() << ",\"seconds\":" << seconds
            << ",\"rps\":" << latencies.size() / seconds
            << ",\"p50_ms\":" << Percentile(latencies, 50)
            << ",\"p90_ms\":" << Percentile(latencies, 90)
            << ",\"p99_ms\":" << Percentile(latencies, 99)
            << ",\"max_ms\":" << Percentile(latencies, 100) << "}" << std::endl;
  return 0;
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

  asio::io_context io(1);
  std::mutex mutex;
  std::map<uint64_t, Clock::time_point> written;  // version -> when its write completed
  std::vector<std::pair<uint64_t, Clock::time_point>> received;
  std::atomic<long> connected{0}, failed{0};
  std::atomic<bool> done{false};

  for (long w = 0; w < watchers; ++w) {
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      try {
        auto stream = co_await Connect(*context, target);
        auto request = MakeRequest(http::verb::get, target, path, token, "application/json");
        co_await http::async_write(*stream, request, asio::use_awaitable);
        beast::flat_buffer buffer;
        http::response_parser<http::buffer_body> parser;
        parser.body_limit(boost::none);
        co_await http::async_read_header(*stream, buffer, parser, asio::use_awaitable);
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

  // The writer: evenly spaced merge patches, each recording when it completed.
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto stream = co_await Connect(*write_context, write_target);
    beast::flat_buffer buffer;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    // Let every watcher connect first.
    for (int i = 0; i < 600 && connected.load() + failed.load() < watchers; ++i) {
      timer.expires_after(std::chrono::milliseconds(50));
      co_await timer.async_wait(asio::use_awaitable);
    }
    auto interval = std::chrono::microseconds(1000000 / std::max(1L, per_second));
    auto next = Clock::now();
    auto end = next + std::chrono::seconds(seconds);
    long sequence = 0;
    while (Clock::now() < end) {
      auto request = MakeRequest(http::verb::patch, write_target, write_path, write_token,
                                 "application/json");
      request.set(http::field::content_type, "application/merge-patch+json");
      request.body() = "{\"data\":{\"sequence\":\"" + std::to_string(++sequence) + "\"}}";
      request.prepare_payload();
      co_await http::async_write(*stream, request, asio::use_awaitable);
      http::response<http::string_body> response;
      co_await http::async_read(*stream, buffer, response, asio::use_awaitable);
      uint64_t rv = LineVersion(response.body());
      {
        std::lock_guard lock(mutex);
        written[rv] = Clock::now();
      }
      next += interval;
      timer.expires_at(next);
      co_await timer.async_wait(asio::use_awaitable);
    }
    // Give deliveries a moment, then end the watches.
    timer.expires_after(std::chrono::seconds(2));
    co_await timer.async_wait(asio::use_awaitable);
    done = true;
    io.stop();
  }, asio::detached);

  std::thread helper([&] { io.run(); });
  io.run();
  helper.join();

  std::vector<double> lags;
  for (const auto& [rv, at] : received) {
    auto it = written.find(rv);
    if (it == written.end()) continue;
    lags.push_back(std::max(0.0, std::chrono::duration<double, std::milli>(at - it->second).count()));
  }
  long expected = static_cast<long>(written.size()) * connected.load();
  std::cout << "{\"watchers\":" << connected.load() << ",\"failed\":" << failed.load()
            << ",\"writes\":" << written.size() << ",\"deliveries\":" << lags.size()
            << ",\"missed\":" << std::max(0L, expected - static_cast<long>(lags.size()))
            << ",\"p50_ms\":" << Percentile(lags, 50) << ",\"p99_ms\":" << Percentile(lags, 99)
            << ",\"max_ms\":" << Percentile(lags, 100) << "}" << std::endl;
  return 0;
}

int RunMemcpy(const Options& options) {
  size_t bytes = static_cast<size_t>(options.Int("bytes", 1 << 26));
  std::vector<char> from(bytes, 'x'), to(bytes);
  int rounds = 20;
  auto t0 = Clock::now();
  for (int i = 0; i < rounds; ++i) {
    std::memcpy(to.data(), from.data(), bytes);
    asm volatile("" : : "r"(to.data()) : "memory");
  }
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count() / rounds;
  std::cout << "{\"bytes\":" << bytes << ",\"ms\":" << seconds * 1000
            << ",\"gb_per_s\":" << bytes / seconds / 1e9 << "}" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: loadgen requests|watch-lag|memcpy --flag value ...\n";
    return 2;
  }
  // Thousands of watchers need as many descriptors.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  Options options;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) == 0) options.values[key.substr(2)] = argv[i + 1];
  }
  std::string mode = argv[1];
  try {
    if (mode == "requests") return RunRequests(options);
    if (mode == "watch-lag") return RunWatchLag(options);
    if (mode == "memcpy") return RunMemcpy(options);
  } catch (const std::exception& e) {
    std::cerr << "loadgen: " << e.what() << std::endl;
    return 1;
  }
  std::cerr << "loadgen: unknown mode " << mode << std::endl;
  return 2;
}
