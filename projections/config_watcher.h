#pragma once
// Reads the configuration file again when it changes and installs its projections. A changed
// file with an error is refused: the previous projections stay, the error is logged and counted.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "projections/registry.h"

namespace kcache {

class ConfigWatcher {
 public:
  // `loaded_text` is the file's content as loaded at start.
  ConfigWatcher(std::string path, std::string loaded_text, std::chrono::milliseconds interval,
                ProjectionRegistry& registry);
  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // Reads the file once now; true when it changed and was installed.
  bool CheckNow();

 private:
  void Run();

  const std::string path_;
  std::string last_text_;  // the content last looked at, good or bad
  const std::chrono::milliseconds interval_;
  ProjectionRegistry& registry_;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kcache
