#include "rules/ingress_class_params/field_errors.hpp"

#include <set>

namespace albwebhook::rules {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the UTF-8 sequence starting at text[i] (1-4), or 0 when it is not valid UTF-8.
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xc2) return 0;  // overlong
  return n;
}

void AppendEscapedByte(std::string& out, unsigned char c) {
  switch (c) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default:
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
  }
}

}  // namespace

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      AppendEscapedByte(out, c);
      ++i;
    } else if (const std::size_t n = Utf8Length(text, i); n == 0) {
      AppendEscapedByte(out, c);
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out + "\"";
}

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
