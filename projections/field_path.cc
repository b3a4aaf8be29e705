#include "projections/field_path.h"

namespace kcache {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '$';
}

}  // namespace

boost::system::result<FieldPath, Error> ParseFieldPath(std::string_view text) {
  auto fail = [&](std::string why) {
    return Error{"field path \"" + std::string(text.substr(0, kMaxPathBytes)) + "\": " + why};
  };
  if (text.empty()) return fail("empty");
  if (text.size() > kMaxPathBytes) {
    return fail("longer than " + std::to_string(kMaxPathBytes) + " bytes");
  }
  FieldPath path;
  path.text = std::string(text);
  std::string_view rest = text;
  while (true) {
    size_t dot = rest.find('.');
    std::string_view part = rest.substr(0, dot);
    PathSegment segment;
    if (part.ends_with("[*]")) {
      segment.each = true;
      part.remove_suffix(3);
    }
    if (part.empty()) return fail("empty field name");
    for (char c : part) {
      if (!IsNameChar(c)) {
        return fail(std::string("unexpected character '") + c +
                    "' (field names are letters, digits, '_', '-' and '$'; arrays take [*])");
      }
    }
    segment.name = std::string(part);
    path.segments.push_back(std::move(segment));
    if (path.segments.size() > kMaxPathSegments) {
      return fail("more than " + std::to_string(kMaxPathSegments) + " segments");
    }
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (path.segments.size() >= 2 && path.segments[0].name == "metadata" && !path.segments[0].each &&
      (path.segments[1].name == "labels" || path.segments[1].name == "annotations")) {
    return fail("labels and annotations are kept by the projection's labels and annotations "
                "policies, not by field paths");
  }
  if (path.segments[0].name == "metadata" && path.segments[0].each) {
    return fail("metadata is an object, not an array");
  }
  if (path.segments.size() == 1 && path.segments[0].name == "metadata") {
    return fail("name the metadata fields to keep (metadata.ownerReferences, ...)");
  }
  return path;
}

}  // namespace kcache
