#include "projections/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "kube/query_params.h"
#include "projections/config_watcher.h"
#include "projections/registry.h"

namespace kcache {
namespace {

constexpr std::string_view kConfig = R"(
projections:
- name: pod-placement
  resource: pods
  fields: [spec.nodeName, status.phase, "spec.containers[*].image"]
  labels:
    keep: ["app", "app.kubernetes.io/*"]
    drop: ["*.internal/*"]
    maxValueBytes: 256
  annotations:
    keep: ["example.com/owner"]
- name: deployments-lite
  group: apps
  version: v1
  resource: deployments
  labels: {include: false}
)";

TEST(ConfigTest, ReadsProjections) {
  auto config = ParseConfig(kConfig);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->projections.size(), 2u);
  const ProjectionSpec& pods = config->projections[0];
  EXPECT_EQ(pods.name, "pod-placement");
  EXPECT_EQ(pods.group, "");
  EXPECT_EQ(pods.resource, "pods");
  ASSERT_EQ(pods.fields.size(), 3u);
  EXPECT_EQ(pods.fields[2].text, "spec.containers[*].image");
  EXPECT_TRUE(pods.labels.include);
  EXPECT_EQ(pods.labels.keep, (std::vector<std::string>{"app", "app.kubernetes.io/*"}));
  EXPECT_EQ(pods.labels.max_value_bytes, 256u);
  EXPECT_TRUE(pods.annotations.include);  // naming keys to keep turns annotations on
  const ProjectionSpec& deployments = config->projections[1];
  EXPECT_EQ(deployments.group, "apps");
  EXPECT_EQ(deployments.version, "v1");
  EXPECT_FALSE(deployments.labels.include);
  EXPECT_FALSE(deployments.annotations.include);  // off unless asked
}

TEST(ConfigTest, TheExampleConfigurationIsValid) {
  auto config = LoadConfig(KCACHE_SOURCE_DIR "/projections/example.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->projections.size(), 2u);
}

TEST(ConfigTest, AnEmptyFileHasNoProjections) {
  auto config = ParseConfig("");
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->projections.empty());
}

TEST(ConfigTest, ErrorsSayWhere) {
  struct Case {
    std::string_view yaml;
    std::string_view error;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"projections: {}", "projections: expected a list"},
           {"projection: []", "config.projection: unknown key"},
           {"projections:\n- resource: pods", "projections[0]: missing name"},
           {"projections:\n- name: p", "projections[0]: missing resource"},
           {"projections:\n- {name: Bad_Name, resource: pods}", "projections[0].name:"},
           {"projections:\n- {name: p, resource: pods, feilds: [a]}", "projections[0].feilds: unknown key"},
           {"projections:\n- {name: p, resource: pods, fields: [spec..x]}", "projections[0].fields[0]: field path"},
           {"projections:\n- {name: p, resource: pods, fields: spec.x}", "projections[0].fields: expected a list"},
           {"projections:\n- {name: p, resource: pods, labels: {maxValueBytes: -1}}", "projections[0].labels.maxValueBytes"},
           {"projections:\n- {name: p, resource: pods, labels: {include: maybe}}", "projections[0].labels.include: expected true or false"},
           {"projections:\n- {name: p, resource: pods, labels: {keep: [\"\"]}}", "projections[0].labels.keep[0]: empty key pattern"},
           {"projections:\n- {name: p, resource: pods}\n- {name: p, resource: nodes}", "projections[1].name: \"p\" is defined twice"},
           {"projections: [", "YAML:"},
       }) {
    auto config = ParseConfig(c.yaml);
    ASSERT_FALSE(config) << c.yaml;
    EXPECT_NE(config.error().message.find(c.error), std::string::npos)
        << c.yaml << "\n  got: " << config.error().message;
  }
}

TEST(RegistryTest, QueryParametersReplacePartsOfADefinition) {
  ProjectionRegistry registry;
  registry.Install(*ParseConfig(kConfig));
  auto named = registry.FindNamed("pod-placement");
  ASSERT_TRUE(named);
  EXPECT_EQ(registry.WithQuery(named, QueryParams::Parse("limit=5"))->get(), named.get());

  auto adhoc = registry.WithQuery(named, QueryParams::Parse("fields=spec.nodeName&labels=a,b*&maxValueBytes=10"));
  ASSERT_TRUE(adhoc) << adhoc.error().message;
  const ProjectionSpec& spec = (*adhoc)->spec();
  ASSERT_EQ(spec.fields.size(), 1u);
  EXPECT_EQ(spec.fields[0].text, "spec.nodeName");
  EXPECT_EQ(spec.labels.keep, (std::vector<std::string>{"a", "b*"}));
  EXPECT_EQ(spec.labels.drop, (std::vector<std::string>{"*.internal/*"}));  // the operator's stays
  EXPECT_EQ(spec.annotations.max_value_bytes, 10u);
  // The same parameters give the same compiled variant (its projections are shared).
  auto again = registry.WithQuery(named, QueryParams::Parse("labels=a,b*&fields=spec.nodeName&maxValueBytes=10"));
  EXPECT_EQ(again->get(), adhoc->get());

  auto none = registry.WithQuery(named, QueryParams::Parse("labels=&annotations="));
  ASSERT_TRUE(none);
  EXPECT_FALSE((*none)->spec().labels.include);
  EXPECT_FALSE((*none)->spec().annotations.include);
}

TEST(RegistryTest, BadQueryParametersAreRefused) {
  ProjectionRegistry registry;
  auto base = registry.Default("pods", "", "v1", "pods");
  std::string many_fields = "fields=";
  for (int i = 0; i < 33; ++i) many_fields += "f" + std::to_string(i) + ",";
  for (const std::string& query :
       {std::string("fields=spec..x"), many_fields, std::string("maxValueBytes=-1"),
        std::string("maxValueBytes=2000000"), std::string("maxValueBytes=ten"),
        std::string("fields=metadata.labels")}) {
    EXPECT_FALSE(registry.WithQuery(base, QueryParams::Parse(query))) << query;
  }
}

TEST(RegistryTest, CountersAreRenderedPerProjection) {
  ProjectionRegistry registry;
  registry.Install(*ParseConfig(kConfig));
  registry.FindNamed("pod-placement")->counters().events_suppressed.fetch_add(3);
  std::string text = registry.RenderMetrics();
  EXPECT_NE(text.find("kcache_projection_watch_events_suppressed_total{projection=\"pod-placement\"} 3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("kcache_config_reload_failures_total 0"), std::string::npos);
}

TEST(ConfigWatcherTest, InstallsAChangedFileAndKeepsTheOldOneOnAnError) {
  auto dir = std::filesystem::temp_directory_path() / ("kcache-config-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "config.yaml").string();
  auto write = [&](std::string_view text) { std::ofstream(path, std::ios::trunc) << text; };
  write(kConfig);
  ProjectionRegistry registry;
  registry.Install(*ParseConfig(kConfig));
  ConfigWatcher watcher(path, std::string(kConfig), std::chrono::hours(1), registry);

  EXPECT_FALSE(watcher.CheckNow());  // unchanged
  write("projections:\n- {name: only-nodes, resource: nodes}\n");
  EXPECT_TRUE(watcher.CheckNow());
  EXPECT_FALSE(registry.FindNamed("pod-placement"));
  EXPECT_TRUE(registry.FindNamed("only-nodes"));

  write("projections:\n- {name: broken, resource: nodes, fields: [\"..\"]}\n");
  EXPECT_FALSE(watcher.CheckNow());
  EXPECT_EQ(registry.config_reload_failures.load(), 1u);
  EXPECT_TRUE(registry.FindNamed("only-nodes"));
  EXPECT_FALSE(registry.FindNamed("broken"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kcache
