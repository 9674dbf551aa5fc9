#include "albwebhook/json/json_parse.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "albwebhook/util/json_string.hpp"

namespace albwebhook::json {
namespace {

using nlohmann::json;

// Where String() puts a string's unescaped bytes when Skip() only checks it: nowhere.
struct Discard {
  void append(const char* /*first*/, const char* /*last*/) {}
  void append(const char* /*data*/, std::size_t /*size*/) {}
  Discard& operator+=(char /*c*/) { return *this; }
};

// Recursive descent over [p_, end_). Every function returns false at the first byte it does not
// handle; nothing is reported, the caller falls back to nlohmann for the value or the error.
class Parser {
 public:
  Parser(std::string_view text, int max_depth, const SkipMember* skip,
         std::size_t max_values = static_cast<std::size_t>(-1))
      : p_(text.data()),
        end_(text.data() + text.size()),
        max_depth_(max_depth),
        skip_(skip),
        values_left_(max_values) {}

  /// Whether the last Document() stopped because it would build more than max_values values.
  bool too_many_values() const { return too_many_values_; }

  bool Document(json& out) {
    SkipSpace();
    if (!Value(out, 0, false)) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // `in_skip_parent`: the value is that of a member named skip_->parent.
  bool Value(json& out, int depth, bool in_skip_parent) {
    if (p_ >= end_) return false;
    if (values_left_ == 0) {
      too_many_values_ = true;
      return false;
    }
    --values_left_;
    switch (*p_) {
      case '{':
        return Object(out, depth + 1, in_skip_parent);
      case '[':
        return Array(out, depth + 1);
      case '"': {
        std::string s;
        if (!String(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        return Literal("true", json(true), out);
      case 'f':
        return Literal("false", json(false), out);
      case 'n':
        return Literal("null", json(nullptr), out);
      default:
        return Number(out);
    }
  }

  bool Literal(std::string_view word, json value, json& out) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    out = std::move(value);
    return true;
  }

  // After a member or an element: ',' (more follow) or `close` (sets `done`).
  bool Next(char close, bool& done) {
    SkipSpace();
    if (p_ >= end_) return false;
    if (*p_ == ',') {
      ++p_;
      SkipSpace();
      return true;
    }
    if (*p_ != close) return false;
    ++p_;
    done = true;
    return true;
  }

  // Past the opening bracket; `done` when `close` follows at once.
  bool Open(int depth, char close, bool& done) {
    if (depth > max_depth_) return false;
    ++p_;
    SkipSpace();
    if (p_ < end_ && *p_ == close) {
      ++p_;
      done = true;
    }
    return true;
  }

  bool Object(json& out, int depth, bool skip_here) {
    out = json::object();
    auto& members = *out.get_ptr<json::object_t*>();
    bool done = false;
    if (!Open(depth, '}', done)) return false;
    while (!done) {
      if (p_ >= end_ || *p_ != '"') return false;
      std::string key;
      if (!String(key)) return false;
      SkipSpace();
      if (p_ >= end_ || *p_ != ':') return false;
      ++p_;
      SkipSpace();
      if (skip_here && key == skip_->member) {
        if (!Skip(depth) || !Next('}', done)) return false;
        continue;
      }
      const bool child_is_skip_parent = skip_ != nullptr && key == skip_->parent;
      auto [it, inserted] = members.try_emplace(std::move(key));
      if (!inserted) it->second = json();  // a duplicate key: the last value wins, as in nlohmann
      if (!Value(it->second, depth, child_is_skip_parent) || !Next('}', done)) return false;
    }
    return true;
  }

  // Checks the value at p_ exactly as Value() would, building nothing (strings are checked and
  // dropped). Whatever Value() refuses, this refuses.
  bool Skip(int depth) {
    if (p_ >= end_) return false;
    bool done = false;
    switch (*p_) {
      case '{':
        if (!Open(depth + 1, '}', done)) return false;
        while (!done) {
          if (p_ >= end_ || *p_ != '"') return false;
          if (!String(discard_)) return false;
          SkipSpace();
          if (p_ >= end_ || *p_ != ':') return false;
          ++p_;
          SkipSpace();
          if (!Skip(depth + 1) || !Next('}', done)) return false;
        }
        return true;
      case '[':
        if (!Open(depth + 1, ']', done)) return false;
        while (!done) {
          if (!Skip(depth + 1) || !Next(']', done)) return false;
        }
        return true;
      case '"':
        return String(discard_);
      case 't':
        return Literal("true", json(true), scratch_value_);
      case 'f':
        return Literal("false", json(false), scratch_value_);
      case 'n':
        return Literal("null", json(nullptr), scratch_value_);
      default:
        return Number(scratch_value_);
    }
  }

  bool Array(json& out, int depth) {
    out = json::array();
    auto& items = *out.get_ptr<json::array_t*>();
    bool done = false;
    if (!Open(depth, ']', done)) return false;
    while (!done) {
      if (!Value(items.emplace_back(), depth, false) || !Next(']', done)) return false;
    }
    return true;
  }

  // '-'? ('0' | [1-9][0-9]*), at most 18 digits: nlohmann stores non-negative integers as
  // number_unsigned and negative ones (and -0) as number_integer. Fractions and exponents (strtod)
  // and longer integers (overflow to double) are left to nlohmann.
  bool Number(json& out) {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    const char* digits = p_;
    if (p_ >= end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return false;
    }
    if (p_ - digits > 18) return false;
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    std::uint64_t value = 0;
    for (const char* d = digits; d < p_; ++d) value = value * 10 + static_cast<unsigned>(*d - '0');
    if (negative) {
      out = static_cast<json::number_integer_t>(-static_cast<std::int64_t>(value));
    } else {
      out = static_cast<json::number_unsigned_t>(value);
    }
    return true;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  static bool Continuation(unsigned char c, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return c >= lo && c <= hi;
  }

  // One well-formed UTF-8 sequence (RFC 3629, the ranges nlohmann's lexer accepts) at p_,
  // appended as is.
  template <typename Out>
  bool Utf8(Out& out) {
    const auto* s = reinterpret_cast<const unsigned char*>(p_);
    const std::size_t left = static_cast<std::size_t>(end_ - p_);
    const unsigned char c = s[0];
    std::size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      if (left < n || !Continuation(s[1])) return false;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
      const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
      if (left < n || !Continuation(s[1], lo, hi) || !Continuation(s[2])) return false;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
      const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
      if (left < n || !Continuation(s[1], lo, hi) || !Continuation(s[2]) || !Continuation(s[3])) {
        return false;
      }
    } else {
      return false;
    }
    out.append(p_, n);
    p_ += n;
    return true;
  }

  template <typename Out>
  static void AppendCodePoint(Out& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6U));
      out += static_cast<char>(0x80 | (cp & 0x3FU));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12U));
      out += static_cast<char>(0x80 | ((cp >> 6U) & 0x3FU));
      out += static_cast<char>(0x80 | (cp & 0x3FU));
    }
  }

  template <typename Out>
  bool Escape(Out& out) {
    ++p_;  // '\\'
    if (p_ >= end_) return false;
    switch (*p_) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        if (end_ - p_ < 5) return false;
        unsigned cp = 0;
        for (int i = 1; i <= 4; ++i) {
          const int h = Hex(p_[i]);
          if (h < 0) return false;
          cp = cp * 16 + static_cast<unsigned>(h);
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates: nlohmann's pairing rules
        AppendCodePoint(out, cp);
        p_ += 4;
        break;
      }
      default:
        return false;
    }
    ++p_;
    return true;
  }

  // Advances p_ to the first '"', '\\', control or non-ASCII byte (or end_).
  void SkipPlain() {
    p_ += util::PlainAsciiPrefix(std::string_view(p_, static_cast<std::size_t>(end_ - p_)));
  }

  // A string at p_ (on its opening quote), unescaped into `out` (a std::string or Discard).
  template <typename Out>
  bool String(Out& out) {
    ++p_;  // '"'
    while (true) {
      const char* run = p_;
      SkipPlain();
      out.append(run, p_);
      if (p_ >= end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\\') {
        if (!Escape(out)) return false;
      } else if (c >= 0x80) {
        if (!Utf8(out)) return false;
      } else {
        return false;  // a control character: invalid JSON
      }
    }
  }

  const char* p_;
  const char* end_;
  int max_depth_;
  const SkipMember* skip_;
  std::size_t values_left_;  // Value(): how many more it may build
  bool too_many_values_ = false;
  Discard discard_;     // Skip(): strings
  json scratch_value_;  // Skip(): numbers and literals
};

}  // namespace

bool FastParse(std::string_view text, nlohmann::json& out, int max_depth) {
  return Parser(text, max_depth, nullptr).Document(out);
}

bool FastParseSkipping(std::string_view text, nlohmann::json& out, const SkipMember& skip,
                       int max_depth) {
  return Parser(text, max_depth, &skip).Document(out);
}

BoundedParse FastParseBounded(std::string_view text, nlohmann::json& out, const SkipMember& skip,
                              int max_depth, std::size_t max_values) {
  Parser parser(text, max_depth, &skip, max_values);
  if (parser.Document(out)) return BoundedParse::kParsed;
  return parser.too_many_values() ? BoundedParse::kTooManyValues : BoundedParse::kRefused;
}

namespace {

/// Counts values; stops the parse (returns false) past the limit.
class ValueCounter final : public nlohmann::json::json_sax_t {
 public:
  explicit ValueCounter(std::size_t max_values) : left_(max_values) {}
  bool exceeded() const { return exceeded_; }

  bool null() override { return Count(); }
  bool boolean(bool /*val*/) override { return Count(); }
  bool number_integer(number_integer_t /*val*/) override { return Count(); }
  bool number_unsigned(number_unsigned_t /*val*/) override { return Count(); }
  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return Count(); }
  bool string(string_t& /*val*/) override { return Count(); }
  bool binary(binary_t& /*val*/) override { return Count(); }
  bool start_object(std::size_t /*elements*/) override { return Count(); }
  bool key(string_t& /*val*/) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t /*elements*/) override { return Count(); }
  bool end_array() override { return true; }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    return false;
  }

 private:
  bool Count() {
    if (left_ == 0) {
      exceeded_ = true;
      return false;
    }
    --left_;
    return true;
  }
  std::size_t left_;
  bool exceeded_ = false;
};

}  // namespace

bool HasMoreValuesThan(std::string_view text, std::size_t max_values) {
  ValueCounter counter(max_values);
  nlohmann::json::sax_parse(text, &counter);
  return counter.exceeded();
}

}  // namespace albwebhook::json
