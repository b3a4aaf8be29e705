#include "proxy/table_encode.h"

#include <algorithm>
#include <chrono>

#include "kube/go_text.h"
#include "kube/json_text.h"
#include "proxy/table_rows.h"

namespace kcache {
namespace {

void AppendListMeta(std::string& out, const ListEnvelope& envelope) {
  out += "{";
  bool first = true;
  auto separator = [&] {
    if (!first) out += ',';
    first = false;
  };
  if (envelope.resource_version > 0) {
    separator();
    out += "\"resourceVersion\":\"" + std::to_string(envelope.resource_version) + "\"";
  }
  if (!envelope.continue_token.empty()) {
    separator();
    out += "\"continue\":";
    AppendJsonString(out, envelope.continue_token);
  }
  if (envelope.remaining_item_count) {
    separator();
    out += "\"remainingItemCount\":" + std::to_string(*envelope.remaining_item_count);
  }
  out += "}";
}

void AppendHead(std::string& out, const TableRequest& request, const ListEnvelope& envelope,
                bool with_columns) {
  out += R"({"kind":"Table","apiVersion":"meta.k8s.io/)";
  out += request.meta_version;
  out += R"(","metadata":)";
  AppendListMeta(out, envelope);
  out += R"(,"columnDefinitions":)";
  out += with_columns ? request.format->column_definitions : "null";
  out += R"(,"rows":)";
}

// The end of the JSON string starting at `pos` (its opening quote), past the closing quote.
size_t StringEnd(std::string_view json, size_t pos) {
  for (++pos; pos < json.size(); ++pos) {
    if (json[pos] == '\\') {
      ++pos;
    } else if (json[pos] == '"') {
      return pos + 1;
    }
  }
  return json.size();
}

// Writes a Table's rows into a body, elapsed times read at the response's `now`. The rows'
// objects are views of the cached bytes where they can be (whole objects, built-in kinds'
// metadata), so a Table of large objects is not copied into a buffer of its own.
class RowWriter {
 public:
  RowWriter(const TableRequest& request, BodyPieces& body,
            std::chrono::system_clock::time_point now)
      : request_(request), body_(body), now_(now) {}

  // Text between rows and around them.
  std::string& text() { return text_; }

  // The row kept with the object version (printed first when missing).
  void Append(const Object& object) { Finish(object, *KeptRow(*request_.format, object)); }

  // A row printed afresh from an object parsed with the rest of its list.
  void Append(const Object& object, JsonView parsed, const PrintContext& context) {
    Finish(object, RowJson::Print(*request_.format->printer, context, parsed));
  }

  // Hands the text written so far to the body.
  void Flush() {
    if (!text_.empty()) body_.Own(std::move(text_));
    text_ = std::string();
  }

 private:
  void Finish(const Object& object, const RowJson& row) {
    row.AppendAt(text_, now_);
    text_ += R"(,"object":)";
    const Printer& printer = *request_.format->printer;
    switch (request_.include) {
      case IncludeObject::kNone:
        text_ += "null";
        break;
      case IncludeObject::kMetadata:
        if (printer.internal_annotation) {
          text_ += WithoutAnnotations(PartialObjectMetadata(object, request_.meta_version),
                                      printer.internal_annotation);
        } else if (object.type_meta) {
          text_ += PartialObjectMetadataHead(request_.meta_version);
          Flush();
          body_.View(object.Metadata());
          text_ += '}';
        } else {
          text_ += PartialObjectMetadata(object, request_.meta_version);
        }
        break;
      case IncludeObject::kObject:
        Flush();
        body_.FullObject(object);
        break;
    }
    text_ += '}';
    if (text_.size() >= kRowsPerPiece) Flush();
  }

  // Rows of a few hundred bytes (includeObject=None) are handed over together.
  static constexpr size_t kRowsPerPiece = 16 * 1024;

  const TableRequest& request_;
  BodyPieces& body_;
  std::chrono::system_clock::time_point now_;
  std::string text_;
};

}  // namespace

boost::system::result<IncludeObject, Status> ParseIncludeObject(const QueryParams& query) {
  const std::string* value = query.Find("includeObject");
  if (!value || value->empty() || *value == "Metadata") return IncludeObject::kMetadata;
  if (*value == "None") return IncludeObject::kNone;
  if (*value == "Object") return IncludeObject::kObject;
  return BadRequest("Unable to convert to Table as requested: includeObject: Invalid value: " +
                    GoQuote(*value) + ": must be 'Metadata', 'Object', 'None', or empty");
}

void EncodeTableList(const TableRequest& request, const ListEnvelope& envelope,
                     const std::vector<ObjectPtr>& items, BodyPieces& body,
                     std::chrono::system_clock::time_point now) {
  RowWriter rows(request, body, now);
  AppendHead(rows.text(), request, envelope, true);
  const Printer& printer = *request.format->printer;
  if (items.empty()) {
    rows.text() += printer.null_rows_when_empty ? "null}" : "[]}";
    rows.Flush();
    return;
  }
  rows.text() += '[';
  if (!printer.list_order && !printer.list_note) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) rows.text() += ',';
      rows.Append(*items[i]);
    }
  } else {
    // Every object parsed at once, to be looked at together: only small lists (FlowSchemas,
    // StorageClasses) need it.
    std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
    std::vector<std::pair<JsonView, const Object*>> parsed;
    std::vector<JsonView> views;
    for (const ObjectPtr& item : items) {
      parsers.push_back(std::make_unique<simdjson::dom::parser>());
      simdjson::dom::element element;
      JsonView view;
      if (!parsers.back()->parse(item->json).get(element)) view = JsonView(element);
      parsed.emplace_back(view, item.get());
      views.push_back(view);
    }
    PrintContext context;
    if (printer.list_note) context.list_note = printer.list_note(views);
    if (printer.list_order) {
      std::stable_sort(parsed.begin(), parsed.end(), [&](const auto& a, const auto& b) {
        return printer.list_order(a.first, b.first);
      });
    }
    for (size_t i = 0; i < parsed.size(); ++i) {
      if (i > 0) rows.text() += ',';
      rows.Append(*parsed[i].second, parsed[i].first, context);
    }
  }
  rows.text() += "]}";
  rows.Flush();
}

std::string EncodeTableObject(const TableRequest& request, const Object& object,
                              bool with_columns, std::chrono::system_clock::time_point now) {
  BodyPieces body;
  RowWriter rows(request, body, now);
  ListEnvelope envelope;
  envelope.resource_version = object.resource_version;
  AppendHead(rows.text(), request, envelope, with_columns);
  rows.text() += '[';
  // A single object has no list_note (a StorageClass is marked default only in lists).
  rows.Append(object);
  rows.text() += "]}";
  rows.Flush();
  return body.Join();
}

// Keys and values are JSON strings, so `{"annotations":{` or `,"annotations":{` can only be
// the metadata's own member.
std::string WithoutAnnotations(
    std::string metadata_json,
    const std::function<bool(std::string_view, std::string_view)>& hidden) {
  std::string_view json = metadata_json;
  constexpr std::string_view kMember = "\"annotations\":{";
  size_t member = json.find(kMember);
  while (member != std::string_view::npos && member > 0 && json[member - 1] != '{' &&
         json[member - 1] != ',') {
    member = json.find(kMember, member + 1);
  }
  if (member == std::string_view::npos || member == 0) return metadata_json;
  size_t pos = member + kMember.size();
  std::string kept;
  bool dropped = false;
  while (pos < json.size() && json[pos] == '"') {
    size_t key_end = StringEnd(json, pos);
    size_t value_end = StringEnd(json, key_end + 1);  // past ':'
    std::string_view key = json.substr(pos + 1, key_end - pos - 2);
    std::string_view value = json.substr(key_end + 1, value_end - key_end - 1);
    if (hidden(key, value)) {
      dropped = true;
    } else {
      if (!kept.empty()) kept += ',';
      kept += json.substr(pos, value_end - pos);
    }
    pos = value_end < json.size() && json[value_end] == ',' ? value_end + 1 : value_end;
  }
  if (!dropped || pos >= json.size() || json[pos] != '}') return metadata_json;
  size_t end = pos + 1;
  if (!kept.empty()) {
    return std::string(json.substr(0, member + kMember.size())) + kept +
           std::string(json.substr(pos));
  }
  // The whole member goes, with the comma that joined it to its neighbours.
  size_t begin = member;
  if (json[member - 1] == ',') {
    --begin;
  } else if (end < json.size() && json[end] == ',') {
    ++end;
  }
  return std::string(json.substr(0, begin)) + std::string(json.substr(end));
}


}  // namespace kcache
