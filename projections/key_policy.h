#pragma once
// Which labels or annotations a projection keeps: whether any, keys to keep and to drop (exact
// or glob), and a limit on value size.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/error.h"

namespace kcache {

// kubectl's copy of the whole object: always dropped unless a keep pattern names it exactly.
inline constexpr std::string_view kLastAppliedAnnotation =
    "kubectl.kubernetes.io/last-applied-configuration";

constexpr size_t kMaxPatterns = 32;
constexpr size_t kMaxValueBytesLimit = 1 << 20;

// '*' matches any run of characters, '?' any one character; everything else itself.
bool GlobMatches(std::string_view pattern, std::string_view text);
// Checks a key pattern: not empty, at most 317 bytes (the longest label key), printable ASCII.
boost::system::result<void, Error> CheckKeyPattern(std::string_view pattern);

struct KeyPolicy {
  bool include = true;
  std::vector<std::string> keep{"*"};
  std::vector<std::string> drop;
  size_t max_value_bytes = 0;  // 0: no limit

  enum class Verdict { kKeep, kDrop, kTooLarge };
  Verdict Judge(std::string_view key, std::string_view value) const;
  // A canonical text of the policy, for telling definitions apart.
  std::string Describe() const;
};

}  // namespace kcache
