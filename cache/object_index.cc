#include "cache/object_index.h"

#include "cache/store.h"

namespace kcache {

ObjectIndex::ObjectIndex(std::vector<std::string> field_labels, std::vector<std::string> label_keys) {
  for (auto& label : field_labels) fields_[std::move(label)];
  for (auto& key : label_keys) labels_[std::move(key)];
}

void ObjectIndex::Update(const Object& object, bool add) {
  auto change = [&](ByValue& by_value, const std::string& value) {
    if (add) {
      by_value[value].insert(object.key);
      return;
    }
    auto it = by_value.find(value);
    if (it == by_value.end()) return;
    it->second.erase(object.key);
    if (it->second.empty()) by_value.erase(it);
  };
  for (const auto& [label, value] : object.fields) {
    auto it = fields_.find(label);
    if (it != fields_.end()) change(it->second, value);
  }
  for (const auto& [key, value] : object.labels) {
    auto it = labels_.find(key);
    if (it != labels_.end()) change(it->second, value);
  }
}

void ObjectIndex::Add(const Object& object) { Update(object, true); }
void ObjectIndex::Remove(const Object& object) { Update(object, false); }

void ObjectIndex::Clear() {
  for (auto& [label, by_value] : fields_) by_value.clear();
  for (auto& [key, by_value] : labels_) by_value.clear();
}

const ObjectIndex::Keys* ObjectIndex::Candidates(const Selection& selection) const {
  static const Keys kNone;
  const Keys* best = nullptr;
  auto consider = [&](const ByValue& by_value, const std::string& value) {
    auto it = by_value.find(value);
    const Keys* keys = it == by_value.end() ? &kNone : &it->second;
    if (!best || keys->size() < best->size()) best = keys;
  };
  for (const auto& [label, by_value] : fields_) {
    if (auto value = selection.fields.RequiredValue(label)) consider(by_value, *value);
  }
  for (const LabelRequirement& requirement : selection.labels.Requirements()) {
    bool exact = requirement.op == LabelOperator::kEquals ||
                 requirement.op == LabelOperator::kDoubleEquals ||
                 (requirement.op == LabelOperator::kIn && requirement.values.size() == 1);
    if (!exact) continue;
    auto it = labels_.find(requirement.key);
    if (it != labels_.end()) consider(it->second, requirement.values.front());
  }
  return best;
}

}  // namespace kcache
