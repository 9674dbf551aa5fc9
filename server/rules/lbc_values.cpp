#include "rules/lbc_values.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "common/json_type.hpp"
#include "common/text.hpp"
#include "rules/go_json.hpp"

namespace albwebhook::rules {
namespace {

using common::QuoteValue;
using common::Trim;
using nlohmann::json;
constexpr auto kGo = common::JsonTypeWording::kGo;

std::string EscapeStringMapText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ',' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Whether `text` ends in a backslash that escapes nothing (an odd run of them at the end).
bool EndsInLoneBackslash(std::string_view text) {
  std::size_t run = 0;
  while (run < text.size() && text[text.size() - 1 - run] == '\\') ++run;
  return run % 2 == 1;
}

// Appends an item separator. A text ending in an odd run of backslashes ends in a lone one, which
// the LBC keeps literally only because nothing follows it: it is escaped first, so that the
// separator stays a separator and the value keeps its backslash.
void AppendStringMapSeparator(std::string& out) {
  if (EndsInLoneBackslash(out)) out += '\\';
  out += ',';
}

}  // namespace

std::vector<std::string> ParseStringList(std::string_view raw) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t pos = raw.find(',', start);
    if (pos == std::string_view::npos) pos = raw.size();
    std::string_view item = Trim(raw.substr(start, pos - start));
    if (!item.empty()) items.emplace_back(item);
    start = pos + 1;
  }
  return items;
}

namespace {

// The LBC's stringMap split: a backslash makes the next character literal (any character); a
// ',' separates only when what follows it contains a '='; with nothing after it the ',' is
// part of the value ("a=60," is a = "60,"); with something but no '=' after it, that rest is one
// last (malformed) item. Items are trimmed.
std::vector<std::string> SplitStringMapItems(std::string_view raw) {
  std::vector<std::string> items;
  std::string current;
  // Whether an '=' follows a comma, from the last '=' once (a search per comma is quadratic).
  const std::size_t last_eq = raw.rfind('=');
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size()) {
      current += raw[++i];
    } else if (raw[i] != ',') {
      current += raw[i];
    } else {
      const std::string_view rest = Trim(raw.substr(i + 1));
      if (last_eq != std::string_view::npos && last_eq > i) {
        items.emplace_back(Trim(current));
        current.clear();
      } else if (!rest.empty()) {
        items.emplace_back(Trim(current));
        items.emplace_back(rest);
        return items;
      } else {
        current += ',';
      }
    }
  }
  if (!current.empty()) items.emplace_back(Trim(current));
  return items;
}

}  // namespace

std::optional<policy::StringMap> ParseStringMap(std::string_view raw) {
  constexpr std::size_t kScanned = 16;
  policy::StringMap result;
  std::unordered_map<std::string, std::size_t> index;  // key -> place, past kScanned keys
  for (const std::string& item : SplitStringMapItems(raw)) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) return std::nullopt;  // also the empty item of "a=1,,b=2"
    std::string key(Trim(std::string_view(item).substr(0, eq)));
    std::string value(Trim(std::string_view(item).substr(eq + 1)));
    if (key.empty()) return std::nullopt;
    // A repeated key keeps its first place and takes the last value. A scan while the map is
    // small, then an index (a scan per item is quadratic: 100 000 pairs took 9 s).
    std::size_t found = result.size();
    if (!index.empty()) {
      if (auto it = index.find(key); it != index.end()) found = it->second;
    } else {
      for (std::size_t k = 0; k < result.size(); ++k) {
        if (result[k].first == key) {
          found = k;
          break;
        }
      }
    }
    if (found != result.size()) {
      result[found].second = std::move(value);
      continue;
    }
    if (!index.empty()) index.emplace(key, result.size());
    result.emplace_back(std::move(key), std::move(value));
    if (result.size() == kScanned) {
      for (std::size_t k = 0; k < result.size(); ++k) index.emplace(result[k].first, k);
    }
  }
  return result;
}

std::string AppendStringMapEntries(std::string_view raw, const policy::StringMap& entries) {
  std::string out;
  std::string_view trimmed = Trim(raw);
  bool blank = trimmed.empty();
  if (!blank) {
    out = std::string(raw);
    // A trailing unescaped comma separates once something follows it: do not add an empty item.
    bool ends_with_separator =
        trimmed.back() == ',' && !EndsInLoneBackslash(trimmed.substr(0, trimmed.size() - 1));
    if (!ends_with_separator && !entries.empty()) AppendStringMapSeparator(out);
  }
  bool first = true;
  for (const auto& [key, value] : entries) {
    if (!first) AppendStringMapSeparator(out);
    first = false;
    out += EscapeStringMapText(key) + "=" + EscapeStringMapText(value);
  }
  return out;
}

std::optional<bool> ParseGoBool(std::string_view raw) {
  static constexpr std::string_view kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
  static constexpr std::string_view kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (auto t : kTrue) {
    if (raw == t) return true;
  }
  for (auto f : kFalse) {
    if (raw == f) return false;
  }
  return std::nullopt;
}

GoInt ParseGoInt(std::string_view raw, int bits) {
  GoInt out;
  std::string_view digits = raw;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) {
    out.error = GoInt::Error::kSyntax;
    return out;
  }
  // Go accepts underscores only with a base prefix, which base 10 does not allow.
  const std::uint64_t limit = (std::uint64_t{1} << (bits - 1)) - (negative ? 0 : 1);
  std::uint64_t value = 0;
  bool overflow = false;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      out.error = GoInt::Error::kSyntax;
      return out;
    }
    if (!overflow) {
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
      if (value > limit) overflow = true;
    }
  }
  if (overflow) {
    out.error = GoInt::Error::kRange;
    return out;
  }
  out.value =
      negative ? -static_cast<std::int64_t>(value - 1) - 1 : static_cast<std::int64_t>(value);
  if (negative && value == 0) out.value = 0;
  return out;
}

namespace {

/// Each port of `result.ports` once, with the protocol the LBC keeps (see ListenPortsResult),
/// and the first-listed port listed with both protocols. A scan of the kept ports for the usual
/// few; an index past 16 (a scan per port would be quadratic).
void KeepOnePerPort(ListenPortsResult& result, const std::vector<std::size_t>& entry_of) {
  // The usual few distinct ports: nothing to do (no allocation on every request).
  if (result.ports.size() <= 16) {
    bool repeated = false;
    for (std::size_t i = 0; i < result.ports.size() && !repeated; ++i) {
      for (std::size_t j = i + 1; j < result.ports.size(); ++j) {
        if (result.ports[i].port == result.ports[j].port) {
          repeated = true;
          break;
        }
      }
    }
    if (!repeated) return;
  }
  struct Kept {
    std::size_t last_entry;
    bool dual = false;
    bool random = false;
  };
  std::vector<ListenPort> kept;
  std::vector<Kept> state;
  std::unordered_map<std::int64_t, std::size_t> index;  // used past 16 kept ports
  for (std::size_t i = 0; i < result.ports.size(); ++i) {
    ListenPort& listed = result.ports[i];
    std::size_t at = kept.size();
    if (kept.size() <= 16) {
      for (std::size_t k = 0; k < kept.size(); ++k) {
        if (kept[k].port == listed.port) {
          at = k;
          break;
        }
      }
    } else {
      if (index.empty()) {
        for (std::size_t k = 0; k < kept.size(); ++k) index.emplace(kept[k].port, k);
      }
      auto found = index.find(listed.port);
      if (found != index.end()) at = found->second;
    }
    if (at == kept.size()) {
      if (!index.empty()) index.emplace(listed.port, at);
      kept.push_back(std::move(listed));
      state.push_back({entry_of[i]});
      continue;
    }
    Kept& k = state[at];
    if (kept[at].protocol != listed.protocol) k.dual = true;
    if (k.last_entry == entry_of[i]) {
      // The same entry names the port with both protocols (its keys come sorted: HTTP first).
      k.random = true;
    } else {
      k.last_entry = entry_of[i];
      k.random = false;
    }
    kept[at].protocol = std::move(listed.protocol);
  }
  for (std::size_t k = 0; k < kept.size(); ++k) {
    if (state[k].random) kept[k].protocol = "HTTPS";
    if (state[k].dual && !result.dual) {
      result.dual =
          ListenPortsResult::DualPort{kept[k].port, kept[k].protocol == "HTTPS", state[k].random};
    }
  }
  result.ports = std::move(kept);
}

}  // namespace

ListenPortsResult ParseListenPorts(std::string_view raw) {
  ListenPortsResult result;
  GoJson parsed = ParseGoJson(raw);
  if (!parsed.error.empty()) {
    result.error = "not valid JSON: " + parsed.error;
    return result;
  }
  const json& doc = parsed.value;
  if (!doc.is_array()) {
    result.error = "expected a JSON array of objects, got " + common::JsonTypeName(doc, kGo);
    return result;
  }
  std::vector<std::size_t> entry_of;  // per listed port, its entry
  std::size_t entry_index = 0;
  for (const auto& entry : doc) {
    if (entry.is_null()) continue;
    if (!entry.is_object()) {
      result.error = "each item must be a JSON object like {\"HTTPS\": 443}, got " +
                     common::JsonTypeName(entry, kGo);
      return result;
    }
    for (const auto& [protocol, port] : entry.items()) {
      if (protocol != "HTTP" && protocol != "HTTPS") {
        result.error = "protocol " + QuoteValue(protocol) + " must be HTTP or HTTPS";
        return result;
      }
      if (!port.is_number_integer() && !port.is_number_unsigned()) {
        result.error = "port for " + protocol + " must be a JSON integer, got " +
                       common::JsonTypeName(port, kGo) +
                       (port.is_string() ? " " + QuoteValue(port.get<std::string>()) : "");
        return result;
      }
      bool in_range = port.is_number_unsigned()
                          ? port.get<std::uint64_t>() <= 65535
                          : port.get<std::int64_t>() >= 1 && port.get<std::int64_t>() <= 65535;
      if (!in_range || (port.is_number_unsigned() && port.get<std::uint64_t>() == 0)) {
        result.error = "port " + common::JsonText(port) + " must be within [1, 65535]";
        return result;
      }
      result.ports.push_back({protocol, port.get<std::int64_t>()});
      entry_of.push_back(entry_index);
    }
    ++entry_index;
  }
  // The LBC refuses an empty list; entries without a port ([{}], [null]) give no listener.
  if (doc.empty()) {
    result.error = "no listener given (need at least one {\"HTTP\"|\"HTTPS\": port})";
    return result;
  }
  KeepOnePerPort(result, entry_of);
  return result;
}

namespace {

/// A success-code list: comma-separated codes or lo-hi ranges of `digits`-digit codes (up to
/// `digits` for gRPC) within [lo_limit, hi_limit].
std::optional<std::string> CheckCodeList(std::string_view raw, bool grpc, int lo_limit,
                                         int hi_limit) {
  const std::string range = std::to_string(lo_limit) + "-" + std::to_string(hi_limit);
  if (Trim(raw).empty()) return "empty (use e.g. " + std::string(grpc ? "12" : "200") + ")";
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t pos = raw.find(',', start);
    if (pos == std::string_view::npos) pos = raw.size();
    // Spaces around items and numbers are accepted: the LBC passes the text to AWS unchanged,
    // and `200, 204` is a common, working spelling.
    std::string_view item = Trim(raw.substr(start, pos - start));
    std::size_t dash = item.find('-');
    std::string_view lo_text = Trim(item.substr(0, dash));
    std::string_view hi_text =
        dash == std::string_view::npos ? lo_text : Trim(item.substr(dash + 1));
    auto valid_number = [grpc](std::string_view t) {
      return common::IsAllDigits(t) && (grpc ? t.size() <= 2 : t.size() == 3);
    };
    if (!valid_number(lo_text) || !valid_number(hi_text)) {
      return "item " + QuoteValue(item) + " is not a code or a code range like " +
             (grpc ? "0-5" : "200-299");
    }
    int lo = std::stoi(std::string(lo_text));
    int hi = std::stoi(std::string(hi_text));
    if (lo < lo_limit || hi > hi_limit || lo > hi) {
      return "item " + QuoteValue(item) + " is outside " + range;
    }
    start = pos + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CheckSuccessCodes(std::string_view raw, bool grpc) {
  return grpc ? CheckCodeList(raw, true, 0, 99) : CheckCodeList(raw, false, 200, 499);
}

std::optional<std::string> CheckNlbSuccessCodes(std::string_view raw) {
  return CheckCodeList(raw, false, 200, 599);
}

}  // namespace albwebhook::rules
