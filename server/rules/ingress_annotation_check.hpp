// The shared shape of one alb.ingress.kubernetes.io annotation check and the value helpers the
// per-annotation checks use (ingress_annotations.cpp, ingress_annotation_families.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {

/// Shared state of one annotation check.
struct Annotation {
  const IngressView& view;
  std::string_view suffix;
  const std::string& value;
  Verdict& verdict;

  void Deny(std::string_view problem) const {
    verdict.Deny(CheckName(), AnnotationMessage(suffix, value, problem));
  }
  void Warn(std::string_view problem) const {
    verdict.Warn(CheckName(), AnnotationMessage(suffix, value, problem, kWarningValueBytes));
  }
  /// A denial when this Ingress alone makes the value used (`used_here`); otherwise a warning
  /// ending in `when_used`, the condition under which it would be (another object may meet it).
  void DenyIfUsed(bool used_here, std::string_view problem, std::string_view when_used) const {
    if (used_here) {
      Deny(problem);
    } else {
      Warn(std::string(problem) + " (" + std::string(when_used) + ")");
    }
  }
  std::string CheckName() const { return AlbAnnotationCheckName(suffix); }
};

using CheckFn = void (*)(const Annotation&);

struct AnnotationCheck {
  std::string_view suffix;
  CheckFn fn;
};

/// Denies unless the value is one of `accepted`.
void CheckEnum(const Annotation& a, std::initializer_list<std::string_view> accepted);
/// Denies unless the value is a Go strconv.ParseBool boolean.
void CheckGoBool(const Annotation& a);
/// int32 annotation within [lo, hi]; returns the value when it parses (even out of range).
std::optional<std::int64_t> CheckInt(const Annotation& a, std::int64_t lo, std::int64_t hi);
/// `item "<item>" <problem>` for each bad item of a stringList (at most 5).
void CheckListItems(
    const Annotation& a,
    const std::function<std::optional<std::string>(const std::string&)>& problem_of);

/// json.Unmarshal of the value into `type`, as the LBC's ParseJSONAnnotation does: the decoded
/// value, or nullopt after denying "not valid JSON for the LBC: <Go's error>".
std::optional<nlohmann::json> DecodeGoJson(const Annotation& a, const GoType& type);

/// The checks of the annotations added after the core set (ingress_annotation_families.cpp).
std::span<const AnnotationCheck> FamilyAnnotationChecks();
/// Checks of `<family>.<name>` keys other than actions/conditions/listener-attributes; false when
/// the suffix is not one of them.
bool CheckFamilyKeyAnnotation(const Annotation& a);

}  // namespace albwebhook::rules
