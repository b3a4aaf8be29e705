#include "projections/config.h"

#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace kcache {
namespace {

using Result = boost::system::result<KcacheConfig, Error>;

struct ConfigError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw ConfigError{where + ": " + what};
}

void CheckKeys(const YAML::Node& node, const std::string& where,
               std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) Fail(where, "expected a mapping");
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      std::string list;
      for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      Fail(where + "." + key, "unknown key (expected one of " + list + ")");
    }
  }
}

std::string Scalar(const YAML::Node& node, const std::string& where) {
  if (!node.IsScalar()) Fail(where, "expected a string");
  return node.as<std::string>();
}

bool Bool(const YAML::Node& node, const std::string& where) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    Fail(where, "expected true or false");
  }
  return value;
}

std::vector<std::string> Strings(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence()) Fail(where, "expected a list");
  std::vector<std::string> out;
  for (size_t i = 0; i < node.size(); ++i) {
    out.push_back(Scalar(node[i], where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

KeyPolicy ParsePolicy(const YAML::Node& node, const std::string& where, KeyPolicy policy) {
  CheckKeys(node, where, {"include", "keep", "drop", "maxValueBytes"});
  if (node["include"]) policy.include = Bool(node["include"], where + ".include");
  else if (node["keep"]) policy.include = true;  // naming keys to keep means keeping them
  for (const char* list : {"keep", "drop"}) {
    if (!node[list]) continue;
    std::string list_where = where + "." + list;
    auto patterns = Strings(node[list], list_where);
    if (patterns.size() > kMaxPatterns) {
      Fail(list_where, "more than " + std::to_string(kMaxPatterns) + " patterns");
    }
    for (size_t i = 0; i < patterns.size(); ++i) {
      auto checked = CheckKeyPattern(patterns[i]);
      if (!checked) Fail(list_where + "[" + std::to_string(i) + "]", checked.error().message);
    }
    (std::string_view(list) == "keep" ? policy.keep : policy.drop) = std::move(patterns);
  }
  if (node["maxValueBytes"]) {
    std::string text = Scalar(node["maxValueBytes"], where + ".maxValueBytes");
    size_t parsed = 0;
    unsigned long long value = 0;
    try {
      value = std::stoull(text, &parsed);
    } catch (const std::exception&) {
      parsed = 0;
    }
    if (parsed != text.size() || text.empty() || text[0] == '-' || value > kMaxValueBytesLimit) {
      Fail(where + ".maxValueBytes",
           "expected a number of bytes from 0 to " + std::to_string(kMaxValueBytesLimit));
    }
    policy.max_value_bytes = static_cast<size_t>(value);
  }
  return policy;
}

ProjectionSpec ParseProjection(const YAML::Node& node, const std::string& where) {
  CheckKeys(node, where,
            {"name", "group", "version", "resource", "fields", "labels", "annotations"});
  ProjectionSpec spec;
  if (!node["name"]) Fail(where, "missing name");
  spec.name = Scalar(node["name"], where + ".name");
  if (!IsProjectionName(spec.name)) {
    Fail(where + ".name", "\"" + spec.name +
                              "\" is not a valid name (lowercase letters, digits, '-' and '.')");
  }
  if (!node["resource"]) Fail(where, "missing resource");
  spec.resource = Scalar(node["resource"], where + ".resource");
  if (node["group"] && !node["group"].IsNull()) spec.group = Scalar(node["group"], where + ".group");
  if (node["version"]) spec.version = Scalar(node["version"], where + ".version");
  if (node["fields"]) {
    auto texts = Strings(node["fields"], where + ".fields");
    for (size_t i = 0; i < texts.size(); ++i) {
      auto path = ParseFieldPath(texts[i]);
      if (!path) Fail(where + ".fields[" + std::to_string(i) + "]", path.error().message);
      spec.fields.push_back(std::move(*path));
    }
  }
  if (node["labels"]) spec.labels = ParsePolicy(node["labels"], where + ".labels", spec.labels);
  if (node["annotations"]) {
    spec.annotations = ParsePolicy(node["annotations"], where + ".annotations", spec.annotations);
  }
  auto compiled = CompiledProjection::Compile(spec, nullptr);
  if (!compiled) Fail(where, compiled.error().message);
  return spec;
}

}  // namespace

bool IsProjectionName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

Result ParseConfig(std::string_view yaml) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    KcacheConfig config;
    if (root.IsNull()) return config;  // an empty file: no projections
    CheckKeys(root, "config", {"projections"});
    if (!root["projections"] || root["projections"].IsNull()) return config;
    const YAML::Node& list = root["projections"];
    if (!list.IsSequence()) Fail("projections", "expected a list");
    std::set<std::string> names;
    for (size_t i = 0; i < list.size(); ++i) {
      std::string where = "projections[" + std::to_string(i) + "]";
      ProjectionSpec spec = ParseProjection(list[i], where);
      if (!names.insert(spec.name).second) {
        Fail(where + ".name", "\"" + spec.name + "\" is defined twice");
      }
      config.projections.push_back(std::move(spec));
    }
    return config;
  } catch (const ConfigError& error) {
    return Error{error.message};
  } catch (const YAML::Exception& error) {
    return Error{std::string("YAML: ") + error.what()};
  }
}

std::optional<std::string> ReadFileText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

Result LoadConfig(const std::string& path) {
  auto text = ReadFileText(path);
  if (!text) return Error{"cannot read " + path};
  auto config = ParseConfig(*text);
  if (!config) return Error{path + ": " + config.error().message};
  return config;
}

}  // namespace kcache
