// loadgen: the load driver of kcache's benchmarks. It sends the same requests to any
// Kubernetes API server (kube-apiserver, kcache, or nginx serving fixed bytes) and reports
// latency and throughput as JSON on stdout.
//
//   loadgen requests --url URL --path PATH [--token T] [--ca FILE] [--accept A]
//                    [--count N] [--concurrency C] [--duration-seconds S] [--follow-continue 1]
//       N requests (or as many as fit in S seconds) over C keep-alive connections; reports
//       count, errors, bytes, p50/p90/p99/max latency and requests/s. With
//       --follow-continue 1, each sample walks every page of a paginated list.
//   loadgen watch-lag --url URL --path PATH --watchers N --write-url URL --write-path PATH
//                    --events-per-second E --seconds S [--writers W] [--token T]
//                    [--write-token T] [--ca FILE] [--write-ca FILE]
//       N watchers of PATH on URL while E changes/s are written by W writers (merge patches to
//       the object at --write-path on --write-url, `%d` replaced by the writer's number);
//       reports the delay from each write's completion to its delivery to every watcher
//       (p50/p99), and deliveries missed.
//   loadgen memcpy --bytes N
//       copy bandwidth of N bytes: the machine's ceiling for serving a response of that size.
//
// Run from perf/run.py; built as its own target (not part of the default build).

#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "perf/loadgen/options.h"

namespace {

int RunMemcpy(const loadgen::Options& options) {
  size_t bytes = static_cast<size_t>(options.Int("bytes", 1 << 26));
  std::vector<char> from(bytes, 'x'), to(bytes);
  int rounds = 20;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    std::memcpy(to.data(), from.data(), bytes);
    asm volatile("" : : "r"(to.data()) : "memory");
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / rounds;
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
  loadgen::Options options;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) == 0) options.values[key.substr(2)] = argv[i + 1];
  }
  std::string mode = argv[1];
  try {
    if (mode == "requests") return loadgen::RunRequests(options);
    if (mode == "watch-lag") return loadgen::RunWatchLag(options);
    if (mode == "memcpy") return RunMemcpy(options);
  } catch (const std::exception& e) {
    std::cerr << "loadgen: " << e.what() << std::endl;
    return 1;
  }
  std::cerr << "loadgen: unknown mode " << mode << std::endl;
  return 2;
}
