#pragma once
// Read-only access to a parsed JSON document for printers: a missing member, an index past the
// end or a value of another type reads as absent, so a printer can walk optional fields the way
// Go code reads zero values from a decoded struct.

#include <cstdint>
#include <string_view>

#include <simdjson.h>

namespace kcache {

class JsonView {
 public:
  JsonView() = default;
  explicit JsonView(simdjson::dom::element element) : element_(element), present_(true) {}

  bool present() const { return present_; }
  bool is_null() const { return present_ && element_.is_null(); }
  bool is_string() const { return present_ && element_.is_string(); }
  bool is_object() const { return present_ && element_.is_object(); }
  bool is_array() const { return present_ && element_.is_array(); }
  bool is_bool() const { return present_ && element_.is_bool(); }
  bool is_integer() const { return present_ && (element_.is_int64() || element_.is_uint64()); }
  bool is_number() const { return present_ && element_.is_number(); }

  // A member of an object; absent for anything else.
  JsonView operator[](std::string_view key) const;
  // An element of an array; absent past its end or for anything else.
  JsonView at(size_t index) const;

  // The value, or the zero value of its type when absent or of another type.
  std::string_view str() const;
  int64_t i64() const;
  double f64() const;
  bool boolean() const;
  // Members of an object or elements of an array; 0 for anything else.
  size_t size() const;

  // Iteration over an array's elements (nothing for anything else).
  class Elements;
  Elements elements() const;
  // Iteration over an object's members (nothing for anything else).
  class Members;
  Members members() const;

  simdjson::dom::element element() const { return element_; }

 private:
  simdjson::dom::element element_;
  bool present_ = false;
};

class JsonView::Elements {
 public:
  class Iterator {
   public:
    Iterator() = default;
    explicit Iterator(simdjson::dom::array::iterator it) : it_(it) {}
    JsonView operator*() const { return JsonView(*it_); }
    Iterator& operator++() { ++it_; return *this; }
    bool operator!=(const Iterator& other) const { return it_ != other.it_; }

   private:
    simdjson::dom::array::iterator it_;
  };
  Elements() = default;
  explicit Elements(simdjson::dom::array array) : array_(array), present_(true) {}
  Iterator begin() const { return present_ ? Iterator(array_.begin()) : Iterator(); }
  Iterator end() const { return present_ ? Iterator(array_.end()) : Iterator(); }

 private:
  simdjson::dom::array array_;
  bool present_ = false;
};

class JsonView::Members {
 public:
  struct Member {
    std::string_view key;
    JsonView value;
  };
  class Iterator {
   public:
    Iterator() = default;
    explicit Iterator(simdjson::dom::object::iterator it) : it_(it) {}
    Member operator*() const { return Member{it_.key(), JsonView(it_.value())}; }
    Iterator& operator++() { ++it_; return *this; }
    bool operator!=(const Iterator& other) const { return it_ != other.it_; }

   private:
    simdjson::dom::object::iterator it_;
  };
  Members() = default;
  explicit Members(simdjson::dom::object object) : object_(object), present_(true) {}
  Iterator begin() const { return present_ ? Iterator(object_.begin()) : Iterator(); }
  Iterator end() const { return present_ ? Iterator(object_.end()) : Iterator(); }

 private:
  simdjson::dom::object object_;
  bool present_ = false;
};

}  // namespace kcache
