// Projections: the configuration parser (projections/config.h), ad-hoc query parameters
// (ProjectionRegistry::WithQuery) and the projection of arbitrary objects. Properties: bad input
// is an error, never a crash; the projection of a well-formed object is one JSON object and a
// protobuf message that parses.
//
// Input: the first byte chooses what the rest is: 'c' a configuration file, 'q' a query string
// applied to a projection of a fixed pod, anything else an object projected by a projection
// that uses every kind of path.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kube/json_parser.h"
#include "kube/query_params.h"
#include "projections/config.h"
#include "projections/registry.h"
#include "proto/projection.pb.h"
#include "test/fuzz/check.h"

namespace {

using namespace kcache;

constexpr std::string_view kPod =
    R"({"metadata":{"name":"p","namespace":"n","uid":"u","resourceVersion":"7",)"
    R"("labels":{"app":"web","big":"xxxxxxxxxxxxxxxx"},"annotations":{"a":"b","c":"dd"},)"
    R"("ownerReferences":[{"name":"o"}]},"spec":{"nodeName":"x","containers":[{"image":"i",)"
    R"("ports":[{"containerPort":1}]},null,3]},"status":{"phase":"Running","conditions":null}})";

// Fully validated (simdjson's DOM parser reads every value).
bool WellFormedObject(std::string_view json) {
  static simdjson::dom::parser dom;
  simdjson::dom::element element;
  return !dom.parse(json.data(), json.size()).get(element) && element.is_object();
}

void CheckProjection(const CompiledProjection& projection, const Object& object,
                     std::string_view input) {
  static JsonParser parser;
  auto projected = projection.Compute(object, parser);
  if (!projected) return;
  FUZZ_CHECK(projected->view_begin <= projected->json.size(), fuzz::Escape(input));
  FUZZ_CHECK(WellFormedObject(projected->json),
             fuzz::Escape(input) + " -> " + fuzz::Escape(projected->json));
  projections::v1::ProjectedObject message;
  FUZZ_CHECK(message.ParseFromString(projected->proto), fuzz::Escape(input));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  static JsonParser parser;
  static const Object pod = *ParseObject(parser, kPod, ObjectSchema{.namespaced = true}, nullptr);
  static ProjectionRegistry registry;
  switch (data[0]) {
    case 'c': {
      auto config = ParseConfig(input);
      if (!config) return 0;
      for (const ProjectionSpec& spec : config->projections) {
        auto compiled = CompiledProjection::Compile(spec, nullptr);
        FUZZ_CHECK(compiled, "a validated configuration compiles: " + fuzz::Escape(input));
        CheckProjection(**compiled, pod, input);
      }
      return 0;
    }
    case 'q': {
      auto base = registry.Default("pods", "", "v1", "pods");
      auto projection = registry.WithQuery(base, QueryParams::Parse(input));
      if (projection) CheckProjection(**projection, pod, input);
      return 0;
    }
    default: {
      static const auto every_kind = [] {
        ProjectionSpec spec{.name = "all", .resource = "pods"};
        for (const char* path : {"spec", "spec.nodeName", "spec.containers[*].image",
                                 "spec.containers[*].ports[*].containerPort", "status.conditions",
                                 "metadata.ownerReferences", "a[*]", "b.c.d"}) {
          spec.fields.push_back(*ParseFieldPath(path));
        }
        spec.annotations.include = true;
        spec.labels.max_value_bytes = 4;
        return *CompiledProjection::Compile(spec, nullptr);
      }();
      // kcache trusts the upstream's JSON beyond what it reads itself: only well-formed objects
      // must project to well-formed JSON.
      if (!WellFormedObject(input)) return 0;
      auto object = ParseObject(parser, input, ObjectSchema{.namespaced = true}, nullptr);
      if (object) CheckProjection(*every_kind, *object, input);
      return 0;
    }
  }
}
