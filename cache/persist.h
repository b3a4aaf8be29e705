#pragma once
// Persist: the RocksDB copy of the cache. Every change to a resource's objects is written with
// the resource's checkpoint (the resourceVersion it is consistent at) in one WriteBatch, so
// whatever a crash leaves is the state at some version, and a restart resumes the upstream
// watch from there instead of listing everything again.
//
// Writes skip RocksDB's write-ahead log: the upstream, not this copy, is the source of truth,
// so losing the last second of changes in a crash only means receiving them again from the
// upstream's watch. A flusher thread writes the memtable out once a second when it changed, so
// a crash leaves the state of at most about a second ago (whole batches only: a memtable holds
// complete WriteBatches). Skipping the log halves the bytes written and its checksums, which
// were a third of the ingest cost.
//
// Keys: "o\0<resource id>\0<object key>" -> StoredObject, "c\0<resource id>" -> checkpoint.
// Threading: Write* may be called from several reflector threads; RocksDB serialises them.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/system/result.hpp>

#include "cache/store.h"

namespace rocksdb {
class DB;
class WriteBatch;
}

namespace kcache {

struct LoadedResource {
  ResourceSchema schema;
  uint64_t resource_version = 0;
  std::vector<ObjectPtr> objects;
};

class Persist {
 public:
  static boost::system::result<std::unique_ptr<Persist>, std::string> Open(
      const std::string& dir,
      std::chrono::milliseconds flush_interval = std::chrono::milliseconds(1000));
  ~Persist();
  Persist(const Persist&) = delete;
  Persist& operator=(const Persist&) = delete;

  // Every resource with a checkpoint, with its objects. Objects whose stored metadata was made
  // with another selectable-field table are parsed again from their JSON.
  std::map<std::string, LoadedResource> LoadAll();

  // Replaces every stored object of the resource (after a list).
  std::string WriteReplace(const ResourceSchema& schema, const std::vector<ObjectPtr>& objects,
                           uint64_t resource_version);
  // Applies events and moves the checkpoint to `resource_version`. Returns an error text or "".
  std::string WriteEvents(const ResourceSchema& schema, const std::vector<Event>& events,
                          uint64_t resource_version);
  // Drops a resource the upstream no longer serves.
  std::string Forget(const std::string& resource_id);
  // Writes everything so far to disk and waits for it.
  std::string Flush();

 private:
  Persist(std::unique_ptr<rocksdb::DB> db, std::chrono::milliseconds flush_interval);
  std::string Write(rocksdb::WriteBatch& batch);
  void FlushLoop(std::chrono::milliseconds interval);

  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<bool> dirty_{false};
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace kcache
