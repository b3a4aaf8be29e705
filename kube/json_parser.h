#pragma once
// The simdjson On-Demand parser, behind a name of our own so headers can pass it around without
// including simdjson. One per thread: a parser holds at most one document at a time.

#include <simdjson.h>

namespace kcache {

struct JsonParser {
  simdjson::ondemand::parser parser;
};

}  // namespace kcache
