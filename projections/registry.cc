#include "projections/registry.h"

namespace kcache {
namespace {

// Splits a comma-separated parameter; empty items are skipped.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

boost::system::result<void, Error> ApplyKeyParameter(const std::string& value,
                                                     std::string_view parameter,
                                                     KeyPolicy& policy) {
  auto patterns = SplitList(value);
  if (patterns.size() > kMaxPatterns) {
    return Error{std::string(parameter) + ": more than " + std::to_string(kMaxPatterns) +
                 " patterns"};
  }
  for (const auto& pattern : patterns) {
    auto checked = CheckKeyPattern(pattern);
    if (!checked) return Error{std::string(parameter) + ": " + checked.error().message};
  }
  policy.include = !patterns.empty();
  policy.keep = std::move(patterns);
  return {};
}

}  // namespace

std::string DescribeSpec(const ProjectionSpec& spec) {
  std::string text = spec.name + "|" + spec.group + "|" + spec.version + "|" + spec.resource + "|";
  for (const auto& path : spec.fields) text += path.text + ",";
  text += "|" + spec.labels.Describe() + "|" + spec.annotations.Describe();
  return text;
}

std::shared_ptr<ProjectionCounters> ProjectionRegistry::CountersLocked(const std::string& name) {
  auto& counters = counters_[name];
  if (!counters) counters = std::make_shared<ProjectionCounters>();
  return counters;
}

void ProjectionRegistry::Install(const KcacheConfig& config) {
  std::map<std::string, std::shared_ptr<const CompiledProjection>, std::less<>> named;
  std::lock_guard lock(mutex_);
  for (const ProjectionSpec& spec : config.projections) {
    auto compiled = CompiledProjection::Compile(spec, CountersLocked(spec.name));
    if (compiled) named.emplace(spec.name, std::move(*compiled));
  }
  named_ = std::move(named);
  variants_.clear();  // variants of replaced definitions must not outlive them
}

std::shared_ptr<const CompiledProjection> ProjectionRegistry::FindNamed(
    std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = named_.find(name);
  return it == named_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const CompiledProjection>> ProjectionRegistry::Named() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const CompiledProjection>> out;
  for (const auto& [name, projection] : named_) out.push_back(projection);
  return out;
}

std::shared_ptr<const CompiledProjection> ProjectionRegistry::Default(std::string_view name,
                                                                      std::string_view group,
                                                                      std::string_view version,
                                                                      std::string_view resource) {
  std::lock_guard lock(mutex_);
  auto it = defaults_.find(name);
  if (it != defaults_.end() && it->second->spec().version == version) return it->second;
  ProjectionSpec spec{.name = std::string(name),
                      .group = std::string(group),
                      .version = std::string(version),
                      .resource = std::string(resource)};
  auto compiled = CompiledProjection::Compile(spec, CountersLocked(spec.name));
  defaults_[std::string(name)] = *compiled;
  return *compiled;
}

boost::system::result<std::shared_ptr<const CompiledProjection>, Error> ProjectionRegistry::WithQuery(
    const std::shared_ptr<const CompiledProjection>& base, const QueryParams& query) {
  const std::string* fields = query.Find("fields");
  const std::string* labels = query.Find("labels");
  const std::string* annotations = query.Find("annotations");
  const std::string* max_value_bytes = query.Find("maxValueBytes");
  if (!fields && !labels && !annotations && !max_value_bytes) return base;

  ProjectionSpec spec = base->spec();
  if (fields) {
    auto texts = SplitList(*fields);
    if (texts.size() > kMaxFieldPaths) {
      return Error{"fields: more than " + std::to_string(kMaxFieldPaths) + " paths"};
    }
    spec.fields.clear();
    for (const auto& text : texts) {
      auto path = ParseFieldPath(text);
      if (!path) return Error{"fields: " + path.error().message};
      spec.fields.push_back(std::move(*path));
    }
  }
  if (labels) {
    auto applied = ApplyKeyParameter(*labels, "labels", spec.labels);
    if (!applied) return applied.error();
  }
  if (annotations) {
    auto applied = ApplyKeyParameter(*annotations, "annotations", spec.annotations);
    if (!applied) return applied.error();
  }
  if (max_value_bytes) {
    const std::string& text = *max_value_bytes;
    bool digits = !text.empty() && text.size() <= 8 &&
                  text.find_first_not_of("0123456789") == std::string::npos;
    size_t value = digits ? std::stoul(text) : 0;
    if (!digits || value > kMaxValueBytesLimit) {
      return Error{"maxValueBytes: expected a number of bytes from 0 to " +
                   std::to_string(kMaxValueBytesLimit)};
    }
    spec.labels.max_value_bytes = value;
    spec.annotations.max_value_bytes = value;
  }

  std::string text = DescribeSpec(spec);
  std::lock_guard lock(mutex_);
  for (auto it = variants_.begin(); it != variants_.end(); ++it) {
    if (it->first == text) {
      variants_.splice(variants_.begin(), variants_, it);
      return variants_.front().second;
    }
  }
  auto compiled = CompiledProjection::Compile(spec, CountersLocked(spec.name));
  if (!compiled) return compiled.error();
  variants_.emplace_front(std::move(text), *compiled);
  if (variants_.size() > kMaxAdHocVariants) variants_.pop_back();
  return *compiled;
}

std::string ProjectionRegistry::RenderMetrics() const {
  std::string out;
  out +=
      "# HELP kcache_config_reloads_total Configuration files read again after a change.\n"
      "# TYPE kcache_config_reloads_total counter\nkcache_config_reloads_total " +
      std::to_string(config_reloads.load()) + "\n";
  out +=
      "# HELP kcache_config_reload_failures_total Changed configuration files refused for an "
      "error (the previous configuration stays).\n"
      "# TYPE kcache_config_reload_failures_total counter\nkcache_config_reload_failures_total " +
      std::to_string(config_reload_failures.load()) + "\n";
  std::lock_guard lock(mutex_);
  auto family = [&](const char* name, const char* help, auto value_of) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
    for (const auto& [projection, counters] : counters_) {
      out += std::string(name) + "{projection=\"" + projection + "\"} " +
             std::to_string(value_of(*counters)) + "\n";
    }
  };
  family("kcache_projection_watch_events_sent_total", "Events projected watches sent.",
         [](const ProjectionCounters& c) { return c.events_sent.load(); });
  family("kcache_projection_watch_events_suppressed_total",
         "Events projected watches did not send because the projected view did not change.",
         [](const ProjectionCounters& c) { return c.events_suppressed.load(); });
  out +=
      "# HELP kcache_projection_values_dropped_total Label and annotation values dropped for "
      "their size, once per object version projected.\n"
      "# TYPE kcache_projection_values_dropped_total counter\n";
  for (const auto& [projection, counters] : counters_) {
    out += "kcache_projection_values_dropped_total{projection=\"" + projection +
           "\",kind=\"label\"} " + std::to_string(counters->labels_dropped.load()) + "\n";
    out += "kcache_projection_values_dropped_total{projection=\"" + projection +
           "\",kind=\"annotation\"} " + std::to_string(counters->annotations_dropped.load()) + "\n";
  }
  return out;
}

}  // namespace kcache
