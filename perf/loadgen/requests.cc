// loadgen requests: latency and throughput of repeated GETs, one blocking thread per connection.

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "perf/loadgen/options.h"
#include "perf/loadgen/tls_client.h"

namespace loadgen {
namespace {

using Clock = std::chrono::steady_clock;

// The list's continue token, or "" on its last page.
std::string ContinueToken(const std::string& head) {
  constexpr std::string_view kKey = "\"continue\":\"";
  size_t at = head.find(kKey);
  if (at == std::string::npos) return "";
  size_t begin = at + kKey.size();
  return head.substr(begin, head.find('"', begin) - begin);
}

}  // namespace

int RunRequests(const Options& options) {
  Target target = ParseUrl(options.Get("url"));
  std::string path = options.Get("path");
  std::string headers = "Accept: " + options.Get("accept", "application/json") + "\r\n";
  // The body is read as sent (compressed bytes counted as they arrive, not decompressed).
  if (!options.Get("accept-encoding").empty()) {
    headers += "Accept-Encoding: " + options.Get("accept-encoding") + "\r\n";
  }
  if (!options.Get("token").empty()) headers += "Authorization: Bearer " + options.Get("token") + "\r\n";
  long count = options.Int("count", 100), concurrency = options.Int("concurrency", 1);
  bool follow = options.Int("follow-continue", 0) != 0;
  double duration = static_cast<double>(options.Int("duration-seconds", 0));
  TlsClient client(options.Get("ca"));

  std::mutex mutex;
  std::vector<double> latencies;
  std::atomic<long> started{0}, errors{0};
  std::atomic<size_t> bytes{0};
  auto begin = Clock::now();
  auto more = [&] {
    if (duration > 0) return std::chrono::duration<double>(Clock::now() - begin).count() < duration;
    return started.fetch_add(1) < count;
  };
  std::vector<std::thread> threads;
  for (long c = 0; c < concurrency; ++c) {
    threads.emplace_back([&] {
      std::unique_ptr<TlsClient::Connection> connection;
      std::vector<double> mine;
      while (more()) {
        auto t0 = Clock::now();
        try {
          if (!connection) connection = client.Connect(target.host, target.port);
          // With --follow-continue, one sample is the walk through every page.
          std::string next;
          do {
            std::string page = next.empty() ? path : path + "&continue=" + next;
            HttpResponse response = connection->Get(target.host, page, headers);
            if (response.status != 200) {
              ++errors;
              break;
            }
            bytes += response.body_bytes;
            next = follow ? ContinueToken(response.head) : "";
          } while (!next.empty());
        } catch (const std::exception&) {
          ++errors;
          connection.reset();
          continue;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
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

}  // namespace loadgen
