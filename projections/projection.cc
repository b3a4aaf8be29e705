#include "projections/projection.h"

#include <deque>
#include <functional>
#include <iostream>

#include "kube/json_parser.h"
#include "kube/json_text.h"
#include "proto/projection.pb.h"

namespace kcache {
namespace {

namespace od = simdjson::ondemand;
using PathNode = CompiledProjection::PathNode;

// What a walk kept of one JSON value: the value's text as it is, or (for a value only partly
// kept) an object of kept members or an array of kept elements.
struct Kept {
  enum class Kind { kRaw, kObject, kArray };
  Kind kind = Kind::kObject;
  std::string_view raw;                   // kRaw: the JSON text (in the object or `owned`)
  std::vector<std::string_view> names;    // kObject: member names, in the object's order
  std::vector<Kept> values;               // kObject: member values; kArray: elements
  std::shared_ptr<std::string> owned;     // text `raw` points into when not the object's

  const Kept* Member(std::string_view name) const {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return &values[i];
    }
    return nullptr;
  }
};

Kept Raw(std::string_view text) {
  Kept kept;
  kept.kind = Kept::Kind::kRaw;
  kept.raw = text;
  return kept;
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The whole JSON text of `value`.
simdjson::error_code RawText(od::value value, std::string_view& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == od::json_type::object) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    return object.raw_json().get(out);
  }
  if (type == od::json_type::array) {
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    return array.raw_json().get(out);
  }
  out = TrimRight(value.raw_json_token());
  return simdjson::SUCCESS;
}

simdjson::error_code KeepMembers(od::object object, const std::vector<PathNode>& wanted,
                                 Kept& out);

// Keeps what `node` asks of `value` into `out`; `kept` says whether anything was.
simdjson::error_code KeepValue(od::value value, const PathNode& node, Kept& out, bool& kept) {
  kept = false;
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (node.each) {
    if (type != od::json_type::array) return simdjson::SUCCESS;
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    if (node.whole) {
      std::string_view raw;
      if (auto error = array.raw_json().get(raw)) return error;
      out = Raw(raw);
      kept = true;
      return simdjson::SUCCESS;
    }
    out = Kept{.kind = Kept::Kind::kArray};
    for (auto element_result : array) {
      od::value element;
      if (auto error = std::move(element_result).get(element)) return error;
      od::json_type element_type;
      if (auto error = element.type().get(element_type)) return error;
      if (element_type != od::json_type::object) {
        out.values.push_back(Raw("null"));
        continue;
      }
      od::object element_object;
      if (auto error = element.get_object().get(element_object)) return error;
      Kept element_kept;
      if (auto error = KeepMembers(element_object, node.children, element_kept)) return error;
      out.values.push_back(std::move(element_kept));
    }
    kept = true;
    return simdjson::SUCCESS;
  }
  if (node.whole) {
    std::string_view raw;
    if (auto error = RawText(value, raw)) return error;
    out = Raw(raw);
    kept = true;
    return simdjson::SUCCESS;
  }
  if (type != od::json_type::object) return simdjson::SUCCESS;
  od::object object;
  if (auto error = value.get_object().get(object)) return error;
  out = Kept{};
  if (auto error = KeepMembers(object, node.children, out)) return error;
  kept = !out.names.empty();
  return simdjson::SUCCESS;
}

const PathNode* FindNode(const std::vector<PathNode>& nodes, std::string_view name) {
  for (const PathNode& node : nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

// Keeps what `wanted` asks of the member `key` into `into`. A name may have two nodes, `name`
// and `name[*]` (paths are evaluated each on its own): the value's type says which applies.
simdjson::error_code KeepField(std::string_view key, od::value value,
                               const std::vector<PathNode>& wanted, Kept& into) {
  const PathNode* node = nullptr;
  const PathNode* each = nullptr;
  for (const PathNode& candidate : wanted) {
    if (candidate.name != key) continue;
    (candidate.each ? each : node) = &candidate;
  }
  if (node && each) {
    od::json_type type;
    if (auto error = value.type().get(type)) return error;
    if (type == od::json_type::array) node = each;
  } else if (!node) {
    node = each;
  }
  if (!node) return simdjson::SUCCESS;
  Kept member;
  bool kept = false;
  if (auto error = KeepValue(value, *node, member, kept)) return error;
  if (kept) {
    into.names.push_back(node->name);  // the node's copy outlives the parser's key buffer
    into.values.push_back(std::move(member));
  }
  return simdjson::SUCCESS;
}

simdjson::error_code KeepMembers(od::object object, const std::vector<PathNode>& wanted,
                                 Kept& out) {
  out.kind = Kept::Kind::kObject;
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    if (auto error = KeepField(key, field.value(), wanted, out)) return error;
  }
  return simdjson::SUCCESS;
}

void AppendJson(const Kept& kept, std::string& out) {
  switch (kept.kind) {
    case Kept::Kind::kRaw:
      out += kept.raw;
      return;
    case Kept::Kind::kObject:
      out += '{';
      for (size_t i = 0; i < kept.names.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        out += kept.names[i];  // field names are plain (projections/field_path.h)
        out += "\":";
        AppendJson(kept.values[i], out);
      }
      out += '}';
      return;
    case Kept::Kind::kArray:
      out += '[';
      for (size_t i = 0; i < kept.values.size(); ++i) {
        if (i > 0) out += ',';
        AppendJson(kept.values[i], out);
      }
      out += ']';
      return;
  }
}

// Appends the members of the kept object `object` as `,"name":value` each, inside an object
// whose first members are already written.
void AppendMembersAfterOthers(const Kept& object, std::string& out) {
  for (size_t i = 0; i < object.names.size(); ++i) {
    out += ",\"";
    out += object.names[i];  // field names are plain (projections/field_path.h)
    out += "\":";
    AppendJson(object.values[i], out);
  }
}

// All of `value`, kept as a tree (for ExpandRaw).
simdjson::error_code KeepAll(od::value value, Kept& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == od::json_type::object) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    out = Kept{};
    for (auto field_result : object) {
      od::field field;
      if (auto error = std::move(field_result).get(field)) return error;
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      Kept member;
      if (auto error = KeepAll(field.value(), member)) return error;
      out.names.push_back(key);
      out.values.push_back(std::move(member));
    }
    return simdjson::SUCCESS;
  }
  if (type == od::json_type::array) {
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    out = Kept{.kind = Kept::Kind::kArray};
    for (auto element_result : array) {
      od::value element;
      if (auto error = std::move(element_result).get(element)) return error;
      Kept kept;
      if (auto error = KeepAll(element, kept)) return error;
      out.values.push_back(std::move(kept));
    }
    return simdjson::SUCCESS;
  }
  out = Raw(TrimRight(value.raw_json_token()));
  return simdjson::SUCCESS;
}

// Everything in `text` (an object or array kept whole by a shorter path) as a tree, so a longer
// path can go on inside it. The tree owns a copy of `text`.
boost::system::result<Kept, Error> ExpandRaw(std::string_view text, JsonParser& parser) {
  auto copy = std::make_shared<std::string>();
  copy->reserve(text.size() + simdjson::SIMDJSON_PADDING);
  copy->assign(text);
  od::document doc;
  if (auto error = parser.parser.iterate(copy->data(), copy->size(), copy->capacity()).get(doc)) {
    return Error{simdjson::error_message(error)};
  }
  od::value value;
  if (auto error = doc.get_value().get(value)) return Error{simdjson::error_message(error)};
  Kept kept;
  if (auto error = KeepAll(value, kept)) return Error{simdjson::error_message(error)};
  // Member names point into the parser's buffer, which the next document reuses: copy them
  // into storage the tree owns along with `copy`.
  auto names = std::make_shared<std::deque<std::string>>();
  std::function<void(Kept&)> own_names = [&](Kept& node) {
    for (auto& name : node.names) name = names->emplace_back(name);
    for (auto& child : node.values) own_names(child);
  };
  own_names(kept);
  auto storage = std::make_shared<std::pair<std::shared_ptr<std::string>,
                                            std::shared_ptr<std::deque<std::string>>>>(copy, names);
  kept.owned = std::shared_ptr<std::string>(storage, copy.get());
  return kept;
}

// The value of `path` from segment `index` on, inside the kept object `object`, as JSON text;
// false when the path is missing there.
bool PathValue(const Kept& object, const FieldPath& path, size_t index, JsonParser& parser,
               std::string& out) {
  const PathSegment& segment = path.segments[index];
  const Kept* member = object.Member(segment.name);
  if (!member) return false;
  bool last = index + 1 == path.segments.size();
  Kept expanded;
  if (member->kind == Kept::Kind::kRaw && (segment.each || !last)) {
    // Kept whole by a shorter path: look inside.
    auto tree = ExpandRaw(member->raw, parser);
    if (!tree) return false;
    expanded = std::move(*tree);
    member = &expanded;
  }
  if (segment.each) {
    if (member->kind != Kept::Kind::kArray) return false;
    out += '[';
    for (size_t i = 0; i < member->values.size(); ++i) {
      if (i > 0) out += ',';
      const Kept& element = member->values[i];
      if (last) {
        AppendJson(element, out);
      } else if (element.kind != Kept::Kind::kObject ||
                 !PathValue(element, path, index + 1, parser, out)) {
        out += "null";
      }
    }
    out += ']';
    return true;
  }
  if (last) {
    AppendJson(*member, out);
    return true;
  }
  if (member->kind != Kept::Kind::kObject) return false;
  return PathValue(*member, path, index + 1, parser, out);
}

std::atomic<uint64_t> next_projection_id{1};

// Adds `path` to the tree under `nodes`. `a` and `a[*]` are separate nodes (each path is
// evaluated on its own, and a value is either an array or not), except that `a` kept whole
// covers every `a[*]...` path.
void AddPath(std::vector<PathNode>& nodes, const FieldPath& path, size_t index) {
  const PathSegment& segment = path.segments[index];
  bool ends_here = index + 1 == path.segments.size();
  auto find = [&](bool each) -> PathNode* {
    for (PathNode& node : nodes) {
      if (node.name == segment.name && node.each == each) return &node;
    }
    return nullptr;
  };
  if (PathNode* plain = find(false); segment.each && plain && plain->whole) return;
  if (ends_here && !segment.each) {
    std::erase_if(nodes, [&](const PathNode& node) { return node.name == segment.name && node.each; });
  }
  PathNode* node = find(segment.each);
  if (!node) {
    nodes.push_back(PathNode{.name = segment.name, .each = segment.each});
    node = &nodes.back();
  }
  if (node->whole) return;  // a shorter path keeps all of it already
  if (ends_here) {
    node->whole = true;
    node->children.clear();
    return;
  }
  AddPath(node->children, path, index + 1);
}

}  // namespace

bool Projected::SameView(const Projected& other) const {
  return std::string_view(json).substr(view_begin) ==
         std::string_view(other.json).substr(other.view_begin);
}

CompiledProjection::CompiledProjection(ProjectionSpec spec,
                                       std::shared_ptr<ProjectionCounters> counters)
    : spec_(std::move(spec)), counters_(std::move(counters)), id_(next_projection_id++) {}

boost::system::result<std::shared_ptr<const CompiledProjection>, Error> CompiledProjection::Compile(
    ProjectionSpec spec, std::shared_ptr<ProjectionCounters> counters) {
  if (spec.fields.size() > kMaxFieldPaths) {
    return Error{"more than " + std::to_string(kMaxFieldPaths) + " field paths"};
  }
  for (const auto* policy : {&spec.labels, &spec.annotations}) {
    if (policy->keep.size() > kMaxPatterns || policy->drop.size() > kMaxPatterns) {
      return Error{"more than " + std::to_string(kMaxPatterns) + " key patterns"};
    }
    if (policy->max_value_bytes > kMaxValueBytesLimit) {
      return Error{"maxValueBytes above " + std::to_string(kMaxValueBytesLimit)};
    }
  }
  if (!counters) counters = std::make_shared<ProjectionCounters>();
  std::shared_ptr<CompiledProjection> compiled(
      new CompiledProjection(std::move(spec), std::move(counters)));
  for (const FieldPath& path : compiled->spec_.fields) AddPath(compiled->root_.children, path, 0);
  compiled->metadata_ = FindNode(compiled->root_.children, "metadata");
  return std::shared_ptr<const CompiledProjection>(std::move(compiled));
}

std::shared_ptr<const Projected> CompiledProjection::Of(const Object& object) const {
  if (auto kept = object.derived.Find(id_)) return std::static_pointer_cast<const Projected>(kept);
  static thread_local JsonParser parser;
  auto computed = Compute(object, parser);
  if (!computed) {
    // The upstream's bytes were checked when the object was built: this does not happen. Serve
    // identity alone rather than fail the whole response.
    std::cerr << "kcache: projecting " << object.key << ": " << computed.error().message << "\n";
    ProjectionSpec identity_only{.name = spec_.name};
    identity_only.labels.include = false;
    auto fallback = Compile(identity_only, counters_);
    computed = (*fallback)->Compute(object, parser);
  }
  auto shared = std::make_shared<const Projected>(std::move(*computed));
  return std::static_pointer_cast<const Projected>(object.derived.Keep(id_, shared));
}

boost::system::result<Projected, Error> CompiledProjection::Compute(const Object& object,
                                                                    JsonParser& parser) const {
  projections::v1::ProjectedObject message;
  message.set_namespace_(object.namespace_name);
  message.set_name(object.name);
  message.set_uid(object.uid);
  message.set_resource_version(std::to_string(object.resource_version));

  Projected out;
  std::string& json = out.json;
  json.reserve(256);
  json += "{\"metadata\":{";
  if (!object.namespace_name.empty()) {
    json += "\"namespace\":";
    AppendJsonString(json, object.namespace_name);
    json += ',';
  }
  json += "\"name\":";
  AppendJsonString(json, object.name);
  json += ",\"uid\":";
  AppendJsonString(json, object.uid);
  json += ",\"resourceVersion\":\"";
  json += std::to_string(object.resource_version);
  json += '"';
  out.view_begin = json.size();

  // Labels were read when the object was built.
  if (spec_.labels.include) {
    bool any = false;
    for (const auto& [key, value] : object.labels) {
      auto verdict = spec_.labels.Judge(key, value);
      if (verdict == KeyPolicy::Verdict::kTooLarge) counters_->labels_dropped.fetch_add(1);
      if (verdict != KeyPolicy::Verdict::kKeep) continue;
      json += any ? "," : ",\"labels\":{";
      any = true;
      AppendJsonString(json, key);
      json += ':';
      AppendJsonString(json, value);
      (*message.mutable_labels())[key] = value;
    }
    if (any) json += '}';
  }

  // One pass over the object for annotations and kept fields.
  bool need_walk = spec_.annotations.include || !root_.children.empty();
  Kept root;
  Kept metadata;
  std::string owned_json;
  if (need_walk) {
    std::string_view input = object.json;
    if (object.json.capacity() < object.json.size() + simdjson::SIMDJSON_PADDING) {
      owned_json.reserve(object.json.size() + simdjson::SIMDJSON_PADDING);
      owned_json.assign(object.json);
      input = owned_json;
    }
    od::document doc;
    auto fail = [](simdjson::error_code error) {
      return Error{std::string("projection: ") + simdjson::error_message(error)};
    };
    size_t capacity = input.data() == owned_json.data() ? owned_json.capacity()
                                                        : object.json.capacity();
    if (auto error = parser.parser.iterate(input.data(), input.size(), capacity).get(doc)) {
      return fail(error);
    }
    od::object top;
    if (auto error = doc.get_object().get(top)) return fail(error);
    bool any_annotation = false;
    for (auto field_result : top) {
      od::field field;
      if (auto error = std::move(field_result).get(field)) return fail(error);
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return fail(error);
      if (key != "metadata") {
        if (auto error = KeepField(key, field.value(), root_.children, root)) return fail(error);
        continue;
      }
      od::object meta;
      if (auto error = field.value().get_object().get(meta)) return fail(error);
      for (auto meta_result : meta) {
        od::field meta_field;
        if (auto error = std::move(meta_result).get(meta_field)) return fail(error);
        std::string_view meta_key;
        if (auto error = meta_field.unescaped_key().get(meta_key)) return fail(error);
        if (meta_key == "annotations" && spec_.annotations.include) {
          od::object annotations;
          if (meta_field.value().get_object().get(annotations)) continue;  // null
          for (auto annotation_result : annotations) {
            od::field annotation;
            if (auto error = std::move(annotation_result).get(annotation)) return fail(error);
            std::string annotation_key;
            {
              std::string_view unescaped;
              if (auto error = annotation.unescaped_key().get(unescaped)) return fail(error);
              annotation_key.assign(unescaped);
            }
            std::string_view value;
            if (auto error = annotation.value().get_string().get(value)) return fail(error);
            auto verdict = spec_.annotations.Judge(annotation_key, value);
            if (verdict == KeyPolicy::Verdict::kTooLarge) {
              counters_->annotations_dropped.fetch_add(1);
            }
            if (verdict != KeyPolicy::Verdict::kKeep) continue;
            json += any_annotation ? "," : ",\"annotations\":{";
            any_annotation = true;
            AppendJsonString(json, annotation_key);
            json += ':';
            AppendJsonString(json, value);
            (*message.mutable_annotations())[annotation_key] = std::string(value);
          }
          continue;
        }
        if (!metadata_) continue;
        if (auto error = KeepField(meta_key, meta_field.value(), metadata_->children, metadata)) {
          return fail(error);
        }
      }
    }
    if (any_annotation) json += '}';
  }
  // Kept metadata fields close the metadata object, then the rest follows.
  AppendMembersAfterOthers(metadata, json);
  json += '}';
  AppendMembersAfterOthers(root, json);
  json += '}';

  // The protobuf form names each path's value; metadata paths look into the kept metadata.
  if (!metadata.names.empty()) {
    root.names.push_back("metadata");
    root.values.push_back(std::move(metadata));
  }
  for (const FieldPath& path : spec_.fields) {
    std::string value;
    if (!PathValue(root, path, 0, parser, value)) continue;
    auto* field = message.add_fields();
    field->set_path(path.text);
    field->set_json(std::move(value));
  }
  message.SerializeToString(&out.proto);
  return out;
}

}  // namespace kcache
