#include "printers/json_view.h"

namespace kcache {

JsonView JsonView::operator[](std::string_view key) const {
  if (!is_object()) return {};
  simdjson::dom::element value;
  if (element_.get_object().at_key(key).get(value) != simdjson::SUCCESS) return {};
  return JsonView(value);
}

JsonView JsonView::at(size_t index) const {
  if (!is_array()) return {};
  simdjson::dom::element value;
  if (element_.get_array().at(index).get(value) != simdjson::SUCCESS) return {};
  return JsonView(value);
}

std::string_view JsonView::str() const {
  std::string_view value;
  if (!present_ || element_.get_string().get(value) != simdjson::SUCCESS) return {};
  return value;
}

int64_t JsonView::i64() const {
  if (!present_) return 0;
  int64_t value = 0;
  if (element_.get_int64().get(value) == simdjson::SUCCESS) return value;
  return 0;
}

double JsonView::f64() const {
  if (!present_) return 0;
  double value = 0;
  if (element_.get_double().get(value) == simdjson::SUCCESS) return value;
  return 0;
}

bool JsonView::boolean() const {
  bool value = false;
  if (!present_ || element_.get_bool().get(value) != simdjson::SUCCESS) return false;
  return value;
}

size_t JsonView::size() const {
  if (is_array()) return element_.get_array().size();
  if (is_object()) return element_.get_object().size();
  return 0;
}

JsonView::Elements JsonView::elements() const {
  if (!is_array()) return {};
  return Elements(element_.get_array().value_unsafe());
}

JsonView::Members JsonView::members() const {
  if (!is_object()) return {};
  return Members(element_.get_object().value_unsafe());
}

}  // namespace kcache
