#pragma once
// A failure described for a person (logs, start-up errors). Wrapped in a type of its own so
// boost::system::result<T, Error> stays unambiguous when T is itself built from a string.

#include <string>
#include <type_traits>
#include <utility>

#include <boost/system/result.hpp>

namespace kcache {

struct Error {
  std::string message;
};

// A successful result whose value type could also build an Error (a string): says which it is.
template <class T>
boost::system::result<std::decay_t<T>, Error> Value(T&& value) {
  return {boost::system::in_place_value, std::forward<T>(value)};
}

}  // namespace kcache
