#pragma once
// One version of one Kubernetes object: the upstream's JSON bytes, kept as they came, plus the
// metadata kcache indexes and filters on. Objects are immutable once built and shared through
// ObjectPtr by the store, its history and responses in flight.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "kube/derived_memo.h"
#include "kube/error.h"
#include "kube/label_selector.h"
#include "kube/field_selector.h"
#include "kube/selectable_fields.h"

namespace kcache {

struct JsonParser;

struct Object {
  // The object as an item of a list response. Built-in kinds list their items without kind and
  // apiVersion, so for them this is the upstream's JSON with those two fields taken out, and
  // `type_meta` holds them; custom resources keep them in every form, and `type_meta` is null.
  std::string json;
  // `{"kind":"Pod","apiVersion":"v1",` for built-in kinds, shared by all objects of a resource.
  std::shared_ptr<const std::string> type_meta;

  std::string namespace_name;
  std::string name;
  std::string uid;
  uint64_t resource_version = 0;
  // The store key: "namespace/name", or "name" for cluster-scoped objects. Its byte order is
  // kube-apiserver's list order.
  std::string key;
  Labels labels;
  // Values of the resource's selectable fields, plus metadata.name and metadata.namespace.
  FieldValues fields;
  std::string creation_timestamp;
  // Byte spans inside `json`: the metadata object, and the resourceVersion string token (with
  // its quotes), so a copy at another resourceVersion can be made without parsing.
  uint32_t metadata_begin = 0;
  uint32_t metadata_end = 0;
  uint32_t rv_begin = 0;
  uint32_t rv_end = 0;
  // Projections of this version, computed on first use (see projections/).
  DerivedMemo derived;

  size_t FullSize() const;
  // Appends the object as a GET or a watch event carries it: with kind and apiVersion.
  void AppendFull(std::string& out) const;
  std::string Full() const;
  std::string_view Metadata() const {
    return std::string_view(json).substr(metadata_begin, metadata_end - metadata_begin);
  }
};

using ObjectPtr = std::shared_ptr<const Object>;

// What to extract from objects of one resource.
struct ObjectSchema {
  bool namespaced = true;
  std::vector<SelectableField> fields;
};

// Builds an Object from one object's JSON as the upstream wrote it (a watch event's object or a
// list item). `type_meta_for_items`, when given, is the `{"kind":..,"apiVersion":..,` prefix
// list items omit; an item that lacks it is taken as already in list-item form. Errors describe
// what is missing; they come from upstream bytes, never from a client.
boost::system::result<Object, Error> ParseObject(
    JsonParser& parser, std::string_view json, const ObjectSchema& schema,
    const std::shared_ptr<const std::string>& type_meta_for_items);

// Whether `json` is exactly one well-formed JSON object (nested objects and arrays are checked
// for balance, scalars fully).
bool IsJsonObject(JsonParser& parser, std::string_view json);

// `{"kind":<kind>,"apiVersion":<apiVersion>,` as Go writes it.
std::string TypeMetaPrefix(std::string_view kind, std::string_view api_version);

// Copy of `object` whose metadata.resourceVersion reads `resource_version`: how kube-apiserver
// shows an object that left a watch's selector (the previous state at the event's version).
Object AtResourceVersion(const Object& object, uint64_t resource_version);
// The same in its full form (with kind and apiVersion).
std::string FullWithResourceVersion(const Object& object, uint64_t resource_version);

}  // namespace kcache
