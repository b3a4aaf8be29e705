#include "proxy/table_rows.h"

#include "kube/json_text.h"

namespace kcache {
namespace {

// Memo ids of their own (kube/derived_memo.h): projections count theirs up from 1, drop= cuts
// use the top bit.
constexpr uint64_t kRowMemoId = uint64_t{1} << 62;

}  // namespace

RowJson RowJson::Print(const Printer& printer, const PrintContext& context, JsonView object) {
  PrintedRow row;
  printer.print(context, object, row);
  RowJson json;
  json.text_ = R"({"cells":[)";
  for (size_t i = 0; i < row.cells.size(); ++i) {
    if (i > 0) json.text_ += ',';
    auto* elapsed = std::get_if<ElapsedText>(&row.cells[i]);
    if (elapsed && elapsed->since_nanos) {
      json.holes_.push_back({json.text_.size(), std::move(*elapsed)});
    } else {
      AppendCell(json.text_, row.cells[i], {});
    }
  }
  json.text_ += ']';
  if (!row.conditions.empty()) {
    json.text_ += R"(,"conditions":)";
    json.text_ += row.conditions;
  }
  // Kept with the object version for as long as it lives.
  json.text_.shrink_to_fit();
  json.holes_.shrink_to_fit();
  return json;
}

void RowJson::AppendAt(std::string& out, std::chrono::system_clock::time_point now) const {
  size_t written = 0;
  for (const Hole& hole : holes_) {
    out.append(text_, written, hole.at - written);
    AppendJsonString(out, hole.text.At(now));
    written = hole.at;
  }
  out.append(text_, written);
}

std::shared_ptr<const RowJson> KeptRow(const TableFormat& format, const Object& object) {
  uint64_t id = kRowMemoId | format.id;
  if (auto kept = object.derived.Find(id)) return std::static_pointer_cast<const RowJson>(kept);
  static thread_local simdjson::dom::parser parser;
  simdjson::dom::element element;
  JsonView view;
  if (parser.parse(object.json).get(element) == simdjson::SUCCESS) view = JsonView(element);
  auto row = std::make_shared<const RowJson>(RowJson::Print(*format.printer, {}, view));
  return std::static_pointer_cast<const RowJson>(object.derived.Keep(id, std::move(row)));
}

}  // namespace kcache
