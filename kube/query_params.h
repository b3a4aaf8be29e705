#pragma once
// Decoded URL query parameters, in order, with Go url.Values lookup semantics: the first value
// of a repeated parameter wins.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kcache {

struct QueryParams {
  std::vector<std::pair<std::string, std::string>> values;

  // Parses the raw query (the part after '?'), percent-decoding keys and values and turning
  // '+' into ' ' as Go's url.ParseQuery does. Pairs that fail to decode are dropped, as Go does.
  static QueryParams Parse(std::string_view raw_query);

  const std::string* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  std::string Get(std::string_view key) const;
};

// Go's Convert_Slice_string_To_bool for query parameters: only "0" and "false" (any case) are
// false; everything else, including the empty string, is true.
bool QueryBool(const std::string& value);

// Percent-decoding; false when an escape is malformed.
bool PercentDecode(std::string_view text, bool plus_is_space, std::string& out);

}  // namespace kcache
