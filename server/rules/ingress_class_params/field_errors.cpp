#include "rules/ingress_class_params/field_errors.hpp"

#include <set>

#include "common/text.hpp"

namespace albwebhook::rules {
namespace {

std::string GoQuote(std::string_view text) {
  return common::Quote(text, std::string_view::npos, common::QuoteEscapes::kGo);
}

}  // namespace

void FieldErrors::Invalid(const std::string& path, std::string_view value,
                          const std::string& detail) {
  errors_.push_back(path + ": Invalid value: " + GoQuote(value) + ": " + detail);
}

void FieldErrors::Duplicate(const std::string& path, std::string_view value) {
  errors_.push_back(path + ": Duplicate value: " + GoQuote(value));
}

void FieldErrors::Required(const std::string& path, const std::string& detail) {
  errors_.push_back(path + ": Required value: " + detail);
}

void FieldErrors::Forbidden(const std::string& path, const std::string& detail) {
  errors_.push_back(path + ": Forbidden: " + detail);
}

void FieldErrors::Append(const FieldErrors& other) {
  errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
}

std::string FieldErrors::Aggregate() const {
  if (errors_.size() == 1) return errors_.front();
  std::string out;
  std::set<std::string> seen;
  for (const std::string& e : errors_) {
    if (!seen.insert(e).second) continue;
    if (!out.empty()) out += ", ";
    out += e;
  }
  return seen.size() <= 1 ? out : "[" + out + "]";
}

}  // namespace albwebhook::rules
