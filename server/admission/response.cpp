#include "albwebhook/admission/response.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace albwebhook::admission {

Response Allowed() { return Response{}; }

Response Denied(std::string message) {
  Response r;
  r.allowed = false;
  r.status = Status{403, "Forbidden", std::move(message)};
  return r;
}

Response Errored(int code, std::string message) {
  Response r;
  r.allowed = false;
  const char* reason = "BadRequest";
  if (code == 413) reason = "RequestEntityTooLarge";
  if (code == 415) reason = "UnsupportedMediaType";
  if (code >= 500) reason = "InternalError";
  if (code == 503) reason = "ServiceUnavailable";
  r.status = Status{code, reason, std::move(message)};
  return r;
}

namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  unsigned int cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0U) == 0xC0U) {
    len = 2;
    cp = c & 0x1FU;
  } else if ((c & 0xF0U) == 0xE0U) {
    len = 3;
    cp = c & 0x0FU;
  } else if ((c & 0xF8U) == 0xF0U) {
    len = 4;
    cp = c & 0x07U;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6U) | (cc & 0x3FU);
  }
  // Reject overlong forms, surrogates and out-of-range code points.
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return 0;
  }
  return len;
}

/// True when every byte of `text` is printable ASCII (0x20..0x7E); eight bytes at a time.
bool AllPrintableAscii(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; text.size() - i >= 8; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, text.data() + i, 8);
    const std::uint64_t del = v ^ (kOnes * 0x7F);
    // Some byte is < 0x20, is 0x7F, or is >= 0x80 (each test exact for "some byte").
    if ((((v - kOnes * 0x20) & ~v) | ((del - kOnes) & ~del) | v) & kHigh) return false;
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string SanitizeWarning(std::string_view text) {
  // Most warnings are printable ASCII: kept as they are, or cut after kMaxWarningChars - 3
  // characters when longer than kMaxWarningChars (what the loop below gives for them).
  const std::string_view head = text.substr(0, kMaxWarningChars);
  if (AllPrintableAscii(head)) {
    if (text.size() <= kMaxWarningChars) return std::string(text);
    std::string out(text.substr(0, kMaxWarningChars - 3));
    out += "...";
    return out;
  }
  std::string out;
  out.reserve(std::min(text.size(), kMaxWarningChars * 4));
  std::size_t chars = 0;
  std::size_t i = 0;
  std::size_t cut = std::string::npos;  // byte offset where "..." would go
  while (i < text.size()) {
    const std::size_t len = Utf8SequenceLength(text, i);
    if (chars == kMaxWarningChars - 3) cut = out.size();
    if (chars == kMaxWarningChars) {
      out.resize(cut);
      out += "...";
      return out;
    }
    if (len == 0) {
      out += '?';
      ++i;
    } else if (len == 1) {
      const auto c = static_cast<unsigned char>(text[i]);
      out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
      ++i;
    } else {
      // C1 control characters (U+0080..U+009F) are control characters too.
      const auto c0 = static_cast<unsigned char>(text[i]);
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      if (len == 2 && c0 == 0xC2 && c1 < 0xA0) {
        out += ' ';
      } else {
        out.append(text.substr(i, len));
      }
      i += len;
    }
    ++chars;
  }
  return out;
}

std::vector<std::string> SanitizeWarnings(const std::vector<std::string>& warnings) {
  std::vector<std::string> out;
  std::size_t total = 0;
  for (const auto& w : warnings) {
    auto clean = SanitizeWarning(w);
    if (clean.empty() || std::find(out.begin(), out.end(), clean) != out.end()) continue;
    if (total + clean.size() > kMaxWarningTotalChars) break;
    total += clean.size();
    out.push_back(std::move(clean));
  }
  return out;
}

bool IsValidAuditAnnotationKey(std::string_view key) {
  if (key.empty() || key.size() > 63) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(key.front()) || !alnum(key.back())) return false;
  return std::all_of(key.begin(), key.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

}  // namespace albwebhook::admission
