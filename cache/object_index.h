#pragma once
// ObjectIndex: the keys of a store's current objects by the value of a few fields (spec.nodeName)
// and labels (configured keys), so that a list whose selector requires one of those values
// visits only the objects that have it instead of every object of the resource. Lists at past
// resourceVersions and selectors without such a requirement scan as before.
//
// Threading: none of its own; the store changes and reads it under its lock.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kube/object.h"

namespace kcache {

struct Selection;

class ObjectIndex {
 public:
  ObjectIndex() = default;
  ObjectIndex(std::vector<std::string> field_labels, std::vector<std::string> label_keys);

  void Add(const Object& object);
  void Remove(const Object& object);
  void Clear();

  // The sorted keys of every object `selection` can match, when it requires an indexed value
  // (the smallest such set); null when it requires none.
  const std::set<std::string, std::less<>>* Candidates(const Selection& selection) const;

 private:
  using Keys = std::set<std::string, std::less<>>;
  using ByValue = std::map<std::string, Keys, std::less<>>;
  void Update(const Object& object, bool add);

  std::map<std::string, ByValue, std::less<>> fields_;
  std::map<std::string, ByValue, std::less<>> labels_;
};

}  // namespace kcache
