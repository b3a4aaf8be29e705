#include "projections/config_watcher.h"

#include <iostream>

#include "kube/failpoints.h"
#include "kube/failures.h"

namespace kcache {
namespace {

constexpr std::string_view kLoopName = "projection config reload";

}  // namespace

ConfigWatcher::ConfigWatcher(std::string path, std::string loaded_text,
                             std::chrono::milliseconds interval, ProjectionRegistry& registry)
    : path_(std::move(path)),
      last_text_(std::move(loaded_text)),
      interval_(interval),
      registry_(registry),
      thread_([this] { Run(); }) {}

ConfigWatcher::~ConfigWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  thread_.join();
}

bool ConfigWatcher::CheckNow() {
  // Editors replace files in steps; a file that cannot be read now is looked at next time.
  auto text = ReadFileText(path_);
  if (!text || *text == last_text_) return false;
  last_text_ = *text;
  auto config = ParseConfig(*text);
  if (!config) {
    registry_.config_reload_failures.fetch_add(1);
    std::cerr << "kcache: " << path_ << " changed but was not loaded, the previous projections "
              << "stay: " << config.error().message << "\n";
    return false;
  }
  registry_.Install(*config);
  registry_.config_reloads.fetch_add(1);
  std::cerr << "kcache: " << path_ << " reloaded: " << config->projections.size()
            << " projections\n";
  return true;
}

void ConfigWatcher::Run() {
  LoopGuard loop{std::string(kLoopName)};
  std::unique_lock lock(mutex_);
  while (!stop_signal_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    // A file that does not load is the operator's to fix (counted, the old projections stay);
    // anything else that goes wrong is contained, and the file is looked at again next time.
    try {
      ThrowAtFailpoint(kLoopName);
      CheckNow();
      loop.Succeeded();
    } catch (...) {
      loop.Failed(std::current_exception());
    }
    lock.lock();
  }
  loop.Finish();
}

}  // namespace kcache
