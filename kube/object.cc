#include "kube/object.h"

#include <algorithm>
#include <charconv>

#include "kube/json_parser.h"

#include "kube/json_text.h"

namespace kcache {
namespace {

namespace od = simdjson::ondemand;

Error ErrorText(simdjson::error_code error, std::string_view where) {
  return Error{std::string(where) + ": " + simdjson::error_message(error)};
}

// One value a selectable field reads: its JSON type and text (unescaped for strings).
struct RawValue {
  JsonValueType type = JsonValueType::kMissing;
  std::string text;
};

// A JSON pointer split into object keys ("/spec/nodeName" -> {"spec", "nodeName"}), and the
// RawValue it fills.
struct FieldPath {
  std::vector<std::string_view> keys;
  size_t raw = 0;
};

std::vector<std::string_view> SplitPointer(std::string_view pointer) {
  std::vector<std::string_view> keys;
  while (!pointer.empty()) {
    if (pointer.front() == '/') pointer.remove_prefix(1);
    size_t slash = pointer.find('/');
    keys.push_back(pointer.substr(0, slash));
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash);
  }
  return keys;
}

simdjson::error_code ReadRaw(od::value value, RawValue& out) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      out = {JsonValueType::kString, std::string(text)};
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto error = value.get_bool().get(b)) return error;
      out = {JsonValueType::kBool, b ? "true" : "false"};
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      std::string_view token = value.raw_json_token();
      while (!token.empty() && (token.back() == ' ' || token.back() == '\n' ||
                                token.back() == '\t' || token.back() == '\r')) {
        token.remove_suffix(1);
      }
      out = {JsonValueType::kNumber, std::string(token)};
      return simdjson::SUCCESS;
    }
    case od::json_type::null:
      out = {JsonValueType::kNull, ""};
      return simdjson::SUCCESS;
    default:
      out = {JsonValueType::kOther, ""};
      return simdjson::SUCCESS;
  }
}

simdjson::error_code ExtractPaths(od::object object, const std::vector<const FieldPath*>& paths,
                                  size_t depth, std::vector<RawValue>& raws);

// Fills the paths that go through `field` (a member of an object at `depth`).
simdjson::error_code MatchField(od::field& field, std::string_view key,
                                const std::vector<const FieldPath*>& paths, size_t depth,
                                std::vector<RawValue>& raws) {
  std::vector<const FieldPath*> deeper, leaves;
  for (const FieldPath* path : paths) {
    if (path->keys[depth] != key) continue;
    (path->keys.size() == depth + 1 ? leaves : deeper).push_back(path);
  }
  if (!leaves.empty()) {
    if (auto error = ReadRaw(field.value(), raws[leaves.front()->raw])) return error;
    for (const FieldPath* leaf : leaves) raws[leaf->raw] = raws[leaves.front()->raw];
  } else if (!deeper.empty()) {
    od::object child;
    if (field.value().get_object().get(child) == simdjson::SUCCESS) {
      return ExtractPaths(child, deeper, depth + 1, raws);
    }
  }
  return simdjson::SUCCESS;
}

// Walks `object` once, in document order, filling every path that goes through it. `depth` is
// how many keys of each path are already matched.
simdjson::error_code ExtractPaths(od::object object, const std::vector<const FieldPath*>& paths,
                                  size_t depth, std::vector<RawValue>& raws) {
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    if (auto error = MatchField(field, key, paths, depth, raws)) return error;
  }
  return simdjson::SUCCESS;
}

// Whether `object` (just opened) runs to the end of `input`, give or take whitespace; leaves it
// rewound for reading.
bool SpansWholeInput(od::object& object, std::string_view input) {
  std::string_view raw;
  if (object.raw_json().get(raw) || object.reset().error()) return false;
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  size_t end = static_cast<size_t>(raw.data() - input.data()) + raw.size();
  while (end > 0 && is_space(input[end - 1])) --end;
  size_t input_end = input.size();
  while (input_end > 0 && is_space(input[input_end - 1])) --input_end;
  return end == input_end && !raw.empty() && input[end - 1] == '}';
}

// Reads the metadata fields kcache indexes, and where resourceVersion sits in the input.
simdjson::error_code ReadMetadata(od::object metadata, Object& out, std::string_view input,
                                  size_t& rv_begin, size_t& rv_end) {
  for (auto field_result : metadata) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    auto read_string = [&](std::string& target) -> simdjson::error_code {
      std::string_view text;
      if (auto error = field.value().get_string().get(text)) return error;
      target.assign(text);
      return simdjson::SUCCESS;
    };
    simdjson::error_code error = simdjson::SUCCESS;
    if (key == "name") {
      error = read_string(out.name);
    } else if (key == "namespace") {
      error = read_string(out.namespace_name);
    } else if (key == "uid") {
      error = read_string(out.uid);
    } else if (key == "creationTimestamp") {
      od::value value = field.value();
      bool is_null = false;
      if (value.is_null().get(is_null) == simdjson::SUCCESS && !is_null) {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS) out.creation_timestamp = text;
      }
    } else if (key == "resourceVersion") {
      od::value value = field.value();
      std::string_view token = value.raw_json_token();
      size_t begin = static_cast<size_t>(token.data() - input.data());
      size_t closing = input.find('"', begin + 1);
      if (input[begin] != '"' || closing == std::string_view::npos) return simdjson::INCORRECT_TYPE;
      rv_begin = begin;
      rv_end = closing + 1;
      std::string_view digits = input.substr(begin + 1, closing - begin - 1);
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(),
                                       out.resource_version);
      if (ec != std::errc() || ptr != digits.data() + digits.size()) {
        return simdjson::NUMBER_ERROR;
      }
    } else if (key == "labels") {
      od::object labels;
      if ((error = field.value().get_object().get(labels))) return error;
      for (auto label_result : labels) {
        od::field label;
        if ((error = std::move(label_result).get(label))) return error;
        std::string_view label_key, label_value;
        if ((error = label.unescaped_key().get(label_key))) return error;
        if ((error = label.value().get_string().get(label_value))) return error;
        out.labels.emplace_back(std::string(label_key), std::string(label_value));
      }
    }
    if (error) return error;
  }
  return simdjson::SUCCESS;
}

}  // namespace

std::string TypeMetaPrefix(std::string_view kind, std::string_view api_version) {
  std::string out = R"({"kind":)";
  AppendJsonString(out, kind);
  out += R"(,"apiVersion":)";
  AppendJsonString(out, api_version);
  out += ',';
  return out;
}

size_t Object::FullSize() const {
  return type_meta ? type_meta->size() + json.size() - 1 : json.size();
}

void Object::AppendFull(std::string& out) const {
  if (!type_meta) {
    out += json;
  } else if (json.size() <= 2) {  // "{}": no field follows the type meta, so no comma
    out.append(*type_meta, 0, type_meta->size() - 1);
    out += '}';
  } else {
    out += *type_meta;
    out.append(json, 1);
  }
}

std::string Object::Full() const {
  std::string out;
  out.reserve(FullSize());
  AppendFull(out);
  return out;
}

Object AtResourceVersion(const Object& object, uint64_t resource_version) {
  Object copy;
  copy.type_meta = object.type_meta;
  std::string token = '"' + std::to_string(resource_version) + '"';
  copy.json.reserve(object.json.size() + token.size());
  copy.json.append(object.json, 0, object.rv_begin);
  copy.json += token;
  copy.json.append(object.json, object.rv_end);
  auto delta = static_cast<int64_t>(token.size()) - (object.rv_end - object.rv_begin);
  copy.metadata_begin = object.metadata_begin;
  copy.metadata_end = static_cast<uint32_t>(object.metadata_end + delta);
  copy.rv_begin = object.rv_begin;
  copy.rv_end = static_cast<uint32_t>(object.rv_end + delta);
  copy.resource_version = resource_version;
  copy.name = object.name;
  copy.namespace_name = object.namespace_name;
  copy.key = object.key;
  return copy;
}

std::string FullWithResourceVersion(const Object& object, uint64_t resource_version) {
  return AtResourceVersion(object, resource_version).Full();
}

boost::system::result<Object, Error> ParseObject(
    JsonParser& parser, std::string_view json, const ObjectSchema& schema,
    const std::shared_ptr<const std::string>& type_meta_for_items) {
  Object out;
  // Built-in objects are kept in list-item form, without kind and apiVersion. When the upstream
  // wrote them first, exactly as the resource's prefix, they are left out while copying.
  bool item_form = type_meta_for_items && json.size() > type_meta_for_items->size() &&
                   json.starts_with(*type_meta_for_items);
  if (item_form) json.remove_prefix(type_meta_for_items->size() - 1);  // keep the brace
  out.json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  out.json.assign(json);
  if (item_form) out.json[0] = '{';

  od::document doc;
  if (auto error = parser.parser.iterate(out.json.data(), out.json.size(), out.json.capacity()).get(doc)) {
    return ErrorText(error, "object");
  }
  od::object top;
  if (auto error = doc.get_object().get(top)) return ErrorText(error, "object");
  // The upstream's bytes are served as they are: they must be exactly one JSON object.
  if (!SpansWholeInput(top, out.json)) return Error{"bytes after the object"};

  // Each selectable field reads its pointer, and its fallback when it has one.
  out.fields.reserve(schema.fields.size() + 2);
  out.fields.emplace_back("metadata.name", "");
  if (schema.namespaced) out.fields.emplace_back("metadata.namespace", "");
  std::vector<FieldPath> paths;
  std::vector<RawValue> raws(2 * schema.fields.size());
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const SelectableField& field = schema.fields[i];
    paths.push_back({SplitPointer(field.json_pointer), 2 * i});
    if (!field.fallback_json_pointer.empty()) {
      paths.push_back({SplitPointer(field.fallback_json_pointer), 2 * i + 1});
    }
  }
  std::vector<const FieldPath*> path_ptrs;
  for (const FieldPath& path : paths) {
    if (!path.keys.empty()) path_ptrs.push_back(&path);
  }

  std::string_view input(out.json);
  std::string_view first_key;
  std::string kind, api_version;
  size_t meta_begin = 0, meta_end = 0, rv_begin = 0, rv_end = 0;
  bool have_metadata = false;
  for (auto field_result : top) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return ErrorText(error, "object field");
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return ErrorText(error, "object key");
    if (first_key.empty()) first_key = key == "kind" ? "kind" : key == "metadata" ? "metadata" : "other";
    if (key == "kind" || key == "apiVersion") {
      std::string_view text;
      if (auto error = field.value().get_string().get(text)) return ErrorText(error, key);
      (key == "kind" ? kind : api_version).assign(text);
    } else if (key == "metadata") {
      od::object metadata;
      if (auto error = field.value().get_object().get(metadata)) return ErrorText(error, "metadata");
      std::string_view raw;
      if (auto error = metadata.raw_json().get(raw)) return ErrorText(error, "metadata");
      meta_begin = static_cast<size_t>(raw.data() - input.data());
      meta_end = meta_begin + raw.size();
      if (auto error = metadata.reset().error()) return ErrorText(error, "metadata");
      if (auto error = ReadMetadata(metadata, out, input, rv_begin, rv_end)) {
        return ErrorText(error, "metadata");
      }
      have_metadata = true;
    } else if (auto error = MatchField(field, key, path_ptrs, 0, raws)) {
      return ErrorText(error, key);
    }
  }
  if (!have_metadata || out.name.empty()) return Error{"object has no metadata.name"};
  if (rv_end == 0) return Error{"object has no metadata.resourceVersion"};
  // Trailing whitespace in meta_end: raw_json may include it; trim to the closing brace.
  while (meta_end > meta_begin && input[meta_end - 1] != '}') --meta_end;

  out.fields[0].second = out.name;
  if (schema.namespaced) out.fields[1].second = out.namespace_name;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const SelectableField& field = schema.fields[i];
    std::string value = RenderFieldValue(field.kind, raws[2 * i].type, raws[2 * i].text);
    if (value.empty() && !field.fallback_json_pointer.empty()) {
      value = RenderFieldValue(field.kind, raws[2 * i + 1].type, raws[2 * i + 1].text);
    }
    out.fields.emplace_back(field.label, std::move(value));
  }
  out.key = schema.namespaced ? out.namespace_name + "/" + out.name : out.name;
  std::sort(out.labels.begin(), out.labels.end());

  // Take kind and apiVersion out of built-in objects so the bytes are a list item (when they
  // were not already left out above, e.g. written with other spacing).
  if (item_form) {
    out.type_meta = type_meta_for_items;
  } else if (first_key == "kind" && type_meta_for_items) {
    std::string expected = TypeMetaPrefix(kind, api_version);
    if (input.substr(0, expected.size()) == expected && expected == *type_meta_for_items) {
      size_t removed = expected.size() - 1;  // keep the opening brace
      out.json.erase(1, removed);
      meta_begin -= removed;
      meta_end -= removed;
      rv_begin -= removed;
      rv_end -= removed;
      out.type_meta = type_meta_for_items;
    }
  } else if (first_key == "metadata") {
    out.type_meta = type_meta_for_items;
  }
  out.metadata_begin = static_cast<uint32_t>(meta_begin);
  out.metadata_end = static_cast<uint32_t>(meta_end);
  out.rv_begin = static_cast<uint32_t>(rv_begin);
  out.rv_end = static_cast<uint32_t>(rv_end);
  return out;
}

bool IsJsonObject(JsonParser& parser, std::string_view json) {
  simdjson::padded_string padded(json);
  od::document doc;
  od::object object;
  if (parser.parser.iterate(padded).get(doc) || doc.get_object().get(object)) return false;
  // Positions are in the padded copy the parser reads.
  if (!SpansWholeInput(object, std::string_view(padded.data(), padded.size()))) return false;
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field)) return false;
    std::string_view raw;
    od::value value = field.value();
    od::json_type type;
    if (value.type().get(type)) return false;
    // Walking into every value is what validates it.
    if (type == od::json_type::object) {
      od::object child;
      if (value.get_object().get(child) || child.raw_json().get(raw)) return false;
    } else if (type == od::json_type::array) {
      od::array child;
      if (value.get_array().get(child) || child.raw_json().get(raw)) return false;
    } else if (type == od::json_type::string) {
      if (value.get_string().get(raw)) return false;
    } else if (type == od::json_type::number) {
      double ignored;
      if (value.get_double().get(ignored)) return false;
    } else if (type == od::json_type::boolean) {
      bool ignored;
      if (value.get_bool().get(ignored)) return false;
    } else {
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return false;
    }
  }
  return true;
}

}  // namespace kcache
