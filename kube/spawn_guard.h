#pragma once
// Completion handler for coroutines started with co_spawn: an exception that escapes one (a bug,
// or a library refusing input it cannot represent) is logged and ends that coroutine only,
// instead of terminating the process as asio::detached would.

#include <exception>
#include <iostream>
#include <string>

namespace kcache {

struct LogEscapedException {
  const char* where;

  void operator()(std::exception_ptr error) const {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "kcache: " << where << ": unexpected exception: " << e.what() << std::endl;
    } catch (...) {
      std::cerr << "kcache: " << where << ": unexpected exception" << std::endl;
    }
  }
};

}  // namespace kcache
