#include "cache/persist.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "kube/failpoints.h"
#include "kube/failures.h"
#include "kube/json_parser.h"

#include "proto/stored_object.pb.h"

namespace kcache {
namespace {

constexpr std::string_view kFlusherLoop = "rocksdb flusher";

std::string ObjectPrefix(const std::string& resource_id) {
  std::string key = "o";
  key += '\0';
  key += resource_id;
  key += '\0';
  return key;
}

std::string CheckpointKey(const std::string& resource_id) {
  std::string key = "c";
  key += '\0';
  key += resource_id;
  return key;
}

std::string ObjectKey(const std::string& resource_id, const std::string& object_key) {
  return ObjectPrefix(resource_id) + object_key;
}

// A StoredObject in two parts that together are its wire form: the object's JSON as field 1
// (tag and length, then the bytes where they lie) and every other field serialised. Protobuf
// accepts fields in any order, and RocksDB takes a value in parts (SliceParts), so the JSON,
// nearly all of the bytes, is copied once, into the write batch.
struct SerializedObject {
  std::string json_header;
  std::string_view json;
  std::string rest;

  rocksdb::SliceParts Parts(rocksdb::Slice (&slices)[3]) const {
    slices[0] = rocksdb::Slice(json_header);
    slices[1] = rocksdb::Slice(json.data(), json.size());
    slices[2] = rocksdb::Slice(rest);
    return rocksdb::SliceParts(slices, 3);
  }
};

SerializedObject SerializeObject(const Object& object) {
  stored::StoredObject out;
  out.set_typed(object.type_meta != nullptr);
  out.set_namespace_(object.namespace_name);
  out.set_name(object.name);
  out.set_uid(object.uid);
  out.set_resource_version(object.resource_version);
  for (const auto& [key, value] : object.labels) {
    auto* label = out.add_labels();
    label->set_key(key);
    label->set_value(value);
  }
  for (const auto& [label, value] : object.fields) {
    auto* field = out.add_fields();
    field->set_label(label);
    field->set_value(value);
  }
  out.set_creation_timestamp(object.creation_timestamp);
  out.set_metadata_begin(object.metadata_begin);
  out.set_metadata_end(object.metadata_end);
  out.set_rv_begin(object.rv_begin);
  out.set_rv_end(object.rv_end);

  SerializedObject serialized;
  serialized.json_header += static_cast<char>(0x0A);  // field 1, length-delimited
  for (uint64_t length = object.json.size(); ; length >>= 7) {
    if (length < 0x80) {
      serialized.json_header += static_cast<char>(length);
      break;
    }
    serialized.json_header += static_cast<char>((length & 0x7F) | 0x80);
  }
  serialized.json = object.json;
  serialized.rest = out.SerializeAsString();
  return serialized;
}

void PutObject(rocksdb::WriteBatch& batch, const std::string& key, const Object& object) {
  SerializedObject serialized = SerializeObject(object);
  rocksdb::Slice key_slice(key);
  rocksdb::Slice value_slices[3];
  batch.Put(rocksdb::SliceParts(&key_slice, 1), serialized.Parts(value_slices))
      .PermitUncheckedError();
}

std::string SerializeCheckpoint(const ResourceSchema& schema, uint64_t resource_version) {
  stored::ResourceCheckpoint out;
  out.set_resource_version(resource_version);
  out.set_group(schema.info.group);
  out.set_version(schema.info.version);
  out.set_resource(schema.info.resource);
  out.set_kind(schema.info.kind);
  out.set_singular(schema.info.singular);
  out.set_namespaced(schema.info.namespaced);
  for (const auto& verb : schema.info.verbs) out.add_verbs(verb);
  out.set_list_kind(schema.list_kind);
  if (schema.type_meta) out.set_type_meta(*schema.type_meta);
  out.set_bookmark_template(schema.bookmark_template);
  out.set_initial_events_end_template(schema.initial_events_end_template);
  for (const auto& field : schema.object_schema.fields) out.add_field_labels(field.label);
  out.set_custom_resource(schema.custom_resource);
  for (const auto& path : schema.selectable_json_paths) out.add_selectable_json_paths(path);
  return out.SerializeAsString();
}

ObjectPtr RestoreObject(const stored::StoredObject& in,
                        const std::shared_ptr<const std::string>& type_meta) {
  auto object = std::make_shared<Object>();
  object->json.reserve(in.json().size() + simdjson::SIMDJSON_PADDING);
  object->json = in.json();
  if (in.typed()) object->type_meta = type_meta;
  object->namespace_name = in.namespace_();
  object->name = in.name();
  object->uid = in.uid();
  object->resource_version = in.resource_version();
  object->key = object->namespace_name.empty() ? object->name
                                               : object->namespace_name + "/" + object->name;
  object->labels.reserve(in.labels_size());
  for (const auto& label : in.labels()) object->labels.emplace_back(label.key(), label.value());
  object->fields.reserve(in.fields_size());
  for (const auto& field : in.fields()) object->fields.emplace_back(field.label(), field.value());
  object->creation_timestamp = in.creation_timestamp();
  object->metadata_begin = in.metadata_begin();
  object->metadata_end = in.metadata_end();
  object->rv_begin = in.rv_begin();
  object->rv_end = in.rv_end();
  return object;
}

bool SameFieldLabels(const stored::ResourceCheckpoint& checkpoint, const ObjectSchema& schema) {
  if (checkpoint.field_labels_size() != static_cast<int>(schema.fields.size())) return false;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (checkpoint.field_labels(static_cast<int>(i)) != schema.fields[i].label) return false;
  }
  return true;
}

}  // namespace

Persist::Persist(std::unique_ptr<rocksdb::DB> db, std::chrono::milliseconds flush_interval)
    : db_(std::move(db)) {
  flusher_ = std::thread([this, flush_interval] { FlushLoop(flush_interval); });
}

Persist::~Persist() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  flusher_.join();
  // Close writes the memtable out (there is no log to replay it from).
  if (db_) db_->Close().PermitUncheckedError();
}

void Persist::FlushLoop(std::chrono::milliseconds interval) {
  // A flush that fails (a full or failing disk) leaves the memory cache serving, but a restart
  // would not be warm: the loop is down, and /readyz says why, until a flush succeeds.
  LoopGuard loop{std::string(kFlusherLoop)};
  std::unique_lock lock(stop_mutex_);
  while (!stop_signal_.wait_for(lock, interval, [this] { return stopping_; })) {
    if (!dirty_.exchange(false)) continue;
    rocksdb::FlushOptions options;
    options.wait = true;
    options.allow_write_stall = true;
    try {
      ThrowAtFailpoint(kFlusherLoop);
      rocksdb::Status status = db_->Flush(options);
      if (status.ok()) {
        loop.Succeeded();
      } else {
        dirty_ = true;
        loop.Failed(status.ToString());
      }
    } catch (...) {
      dirty_ = true;
      loop.Failed(std::current_exception());
    }
  }
  loop.Finish();
}

std::string Persist::Write(rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.disableWAL = true;
  rocksdb::Status status = db_->Write(options, &batch);
  dirty_ = true;
  return status.ok() ? "" : status.ToString();
}

boost::system::result<std::unique_ptr<Persist>, std::string> Persist::Open(
    const std::string& dir, std::chrono::milliseconds flush_interval) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.compression = rocksdb::kLZ4Compression;
  options.IncreaseParallelism(2);
  options.OptimizeLevelStyleCompaction();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, dir, &raw);
  if (!status.ok()) {
    // LZ4 may be missing from the build of RocksDB; fall back to no compression.
    options.compression = rocksdb::kNoCompression;
    status = rocksdb::DB::Open(options, dir, &raw);
  }
  if (!status.ok()) return "opening RocksDB at " + dir + ": " + status.ToString();
  return std::unique_ptr<Persist>(new Persist(std::unique_ptr<rocksdb::DB>(raw), flush_interval));
}

std::map<std::string, LoadedResource> Persist::LoadAll() {
  std::map<std::string, LoadedResource> loaded;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  std::string checkpoint_prefix = "c";
  checkpoint_prefix += '\0';
  JsonParser parser;
  for (it->Seek(checkpoint_prefix); it->Valid() && it->key().starts_with(checkpoint_prefix);
       it->Next()) {
    stored::ResourceCheckpoint checkpoint;
    if (!checkpoint.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      continue;
    }
    LoadedResource resource;
    ResourceSchema& schema = resource.schema;
    schema.info.group = checkpoint.group();
    schema.info.version = checkpoint.version();
    schema.info.resource = checkpoint.resource();
    schema.info.kind = checkpoint.kind();
    schema.info.singular = checkpoint.singular();
    schema.info.namespaced = checkpoint.namespaced();
    schema.info.verbs.assign(checkpoint.verbs().begin(), checkpoint.verbs().end());
    schema.list_kind = checkpoint.list_kind();
    if (!checkpoint.type_meta().empty()) {
      schema.type_meta = std::make_shared<const std::string>(checkpoint.type_meta());
    }
    schema.bookmark_template = checkpoint.bookmark_template();
    schema.initial_events_end_template = checkpoint.initial_events_end_template();
    schema.custom_resource = checkpoint.custom_resource();
    schema.selectable_json_paths.assign(checkpoint.selectable_json_paths().begin(),
                                        checkpoint.selectable_json_paths().end());
    DeriveFieldSchema(schema);
    resource.resource_version = checkpoint.resource_version();
    bool reparse = !SameFieldLabels(checkpoint, schema.object_schema);

    std::string id = schema.info.Id();
    std::string prefix = ObjectPrefix(id);
    std::unique_ptr<rocksdb::Iterator> objects(db_->NewIterator(rocksdb::ReadOptions()));
    for (objects->Seek(prefix); objects->Valid() && objects->key().starts_with(prefix);
         objects->Next()) {
      stored::StoredObject stored;
      if (!stored.ParseFromArray(objects->value().data(),
                                 static_cast<int>(objects->value().size()))) {
        continue;
      }
      if (!reparse) {
        resource.objects.push_back(RestoreObject(stored, schema.type_meta));
        continue;
      }
      auto parsed = ParseObject(parser, stored.json(), schema.object_schema, schema.type_meta);
      if (parsed) resource.objects.push_back(std::make_shared<const Object>(std::move(*parsed)));
    }
    loaded.emplace(id, std::move(resource));
  }
  return loaded;
}

std::string Persist::WriteReplace(const ResourceSchema& schema,
                                  const std::vector<ObjectPtr>& objects,
                                  uint64_t resource_version) {
  std::string id = schema.info.Id();
  std::string begin = ObjectPrefix(id);
  std::string end = begin;
  end.back() = '\1';
  rocksdb::WriteBatch batch;
  batch.DeleteRange(db_->DefaultColumnFamily(), begin, end).PermitUncheckedError();
  for (const ObjectPtr& object : objects) {
    PutObject(batch, ObjectKey(id, object->key), *object);
  }
  batch.Put(CheckpointKey(id), SerializeCheckpoint(schema, resource_version))
      .PermitUncheckedError();
  return Write(batch);
}

std::string Persist::WriteEvents(const ResourceSchema& schema, const std::vector<Event>& events,
                                 uint64_t resource_version) {
  std::string id = schema.info.Id();
  rocksdb::WriteBatch batch;
  for (const Event& event : events) {
    std::string key = ObjectKey(id, event.object->key);
    if (event.type == EventType::kDeleted) {
      batch.Delete(key).PermitUncheckedError();
    } else {
      PutObject(batch, key, *event.object);
    }
  }
  batch.Put(CheckpointKey(id), SerializeCheckpoint(schema, resource_version))
      .PermitUncheckedError();
  return Write(batch);
}

std::string Persist::Forget(const std::string& resource_id) {
  std::string begin = ObjectPrefix(resource_id);
  std::string end = begin;
  end.back() = '\1';
  rocksdb::WriteBatch batch;
  batch.DeleteRange(db_->DefaultColumnFamily(), begin, end).PermitUncheckedError();
  batch.Delete(CheckpointKey(resource_id)).PermitUncheckedError();
  return Write(batch);
}

std::string Persist::Flush() {
  rocksdb::FlushOptions options;
  options.wait = true;
  rocksdb::Status status = db_->Flush(options);
  return status.ok() ? "" : status.ToString();
}

}  // namespace kcache
