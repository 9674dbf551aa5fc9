// YAML 1.2 core-schema resolution of scalars: null, bool, int (decimal, 0o, 0x), float.
#include "manifest/yaml_scalar.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

namespace albwebhook::manifest::detail {

using nlohmann::json;

namespace {

const std::string kTagPrefix = "tag:yaml.org,2002:";

bool IsNullWord(std::string_view v) {
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

std::optional<bool> BoolWord(std::string_view v) {
  if (v == "true" || v == "True" || v == "TRUE") return true;
  if (v == "false" || v == "False" || v == "FALSE") return false;
  return std::nullopt;
}

bool IsDigitIn(char c, int base) {
  if (base == 8) return c >= '0' && c <= '7';
  if (base == 16) return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  return c >= '0' && c <= '9';
}

std::size_t CountDigits(std::string_view v, std::size_t i) {
  std::size_t n = 0;
  while (i + n < v.size() && IsDigitIn(v[i + n], 10)) ++n;
  return n;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and [-+]?\.inf, \.nan (core schema).
std::optional<double> FloatWord(std::string_view v) {
  std::string_view body = v;
  double sign = 1;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    if (body[0] == '-') sign = -1;
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return sign * std::numeric_limits<double>::infinity();
  if (v == ".nan" || v == ".NaN" || v == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  std::size_t i = 0;
  const std::size_t whole = CountDigits(body, i);
  i += whole;
  std::size_t fraction = 0;
  if (i < body.size() && body[i] == '.') {
    fraction = CountDigits(body, i + 1);
    i += 1 + fraction;
  }
  if (whole == 0 && fraction == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    const std::size_t exponent = CountDigits(body, i);
    if (exponent == 0) return std::nullopt;
    i += exponent;
  }
  if (i != body.size()) return std::nullopt;
  return sign * std::strtod(std::string(body).c_str(), nullptr);
}

// [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+ (core schema). Decimals beyond 64 bits become floats.
std::optional<json> IntWord(std::string_view v) {
  int base = 10;
  bool negative = false;
  std::string_view digits = v;
  if (digits.starts_with("0o") || digits.starts_with("0x")) {
    base = digits[1] == 'o' ? 8 : 16;
    digits.remove_prefix(2);
  } else if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [&](char c) { return IsDigitIn(c, base); }))
    return std::nullopt;
  std::uint64_t u = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    if (base != 10) return std::nullopt;
    return json(std::strtod(std::string(v).c_str(), nullptr));
  }
  constexpr std::uint64_t kMinMagnitude = std::uint64_t{1} << 63;
  if (!negative) {
    if (u < kMinMagnitude) return json(static_cast<std::int64_t>(u));
    return json(u);
  }
  if (u < kMinMagnitude) return json(-static_cast<std::int64_t>(u));
  if (u == kMinMagnitude) return json(std::numeric_limits<std::int64_t>::min());
  return json(-static_cast<double>(u));
}

}  // namespace

json ResolvePlain(const std::string& v) {
  if (IsNullWord(v)) return nullptr;
  if (auto b = BoolWord(v)) return *b;
  if (auto i = IntWord(v)) return *i;
  if (auto f = FloatWord(v)) return *f;
  return v;
}

json ResolveScalar(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& v = node.Scalar();
  if (tag == "?" || tag.empty()) return ResolvePlain(v);
  if (tag == "!" || tag == kTagPrefix + "str") return v;  // quoted, block, !!str
  const std::string core = tag.starts_with(kTagPrefix) ? tag.substr(kTagPrefix.size()) : "";
  std::optional<json> typed;
  if (core == "null") {
    if (IsNullWord(v)) typed = nullptr;
  } else if (core == "bool") {
    if (auto b = BoolWord(v)) typed = *b;
  } else if (core == "int") {
    typed = IntWord(v);
  } else if (core == "float") {
    if (auto i = IntWord(v)) {
      typed = i->get<double>();
    } else if (auto f = FloatWord(v)) {
      typed = *f;
    }
  } else {
    return v;  // an application tag (!foo): keep the text
  }
  if (!typed) throw ConvertError{"\"" + v + "\" is not a valid !!" + core, node.Mark()};
  return *typed;
}

}  // namespace albwebhook::manifest::detail
