#pragma once
// Flags and statistics shared by loadgen's modes.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace loadgen {

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

inline Target ParseUrl(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  size_t colon = rest.rfind(':');
  return {rest.substr(0, colon), colon == std::string::npos ? "443" : rest.substr(colon + 1)};
}

inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * values.size()));
  return values[index];
}

int RunRequests(const Options& options);
int RunWatchLag(const Options& options);

}  // namespace loadgen
