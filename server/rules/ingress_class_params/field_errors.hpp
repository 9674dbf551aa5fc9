// Kubernetes field errors (k8s.io/apimachinery/pkg/util/validation/field) as their Error()
// strings read, and their aggregate: the text the LBC's validators answer with.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::rules {

class FieldErrors {
 public:
  /// `path: Invalid value: "value": detail` (values quoted as Go's %q)
  void Invalid(const std::string& path, std::string_view value, const std::string& detail);
  /// `path: Duplicate value: "value"`
  void Duplicate(const std::string& path, std::string_view value);
  /// `path: Required value: detail`
  void Required(const std::string& path, const std::string& detail);
  /// `path: Forbidden: detail`
  void Forbidden(const std::string& path, const std::string& detail);

  void Append(const FieldErrors& other);
  bool empty() const { return errors_.empty(); }
  /// ErrorList.ToAggregate().Error(): the one message, or "[m1, m2, ...]" with repeated messages
  /// once. "" when empty.
  std::string Aggregate() const;

 private:
  std::vector<std::string> errors_;
};

}  // namespace albwebhook::rules
