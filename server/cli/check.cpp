// `alb-webhook check`: evaluates manifests offline with the server's rules and policy.
#include "cli/check.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/cli/cli.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/registry.hpp"

namespace albwebhook::cli {
namespace {

using nlohmann::json;

constexpr const char* kCheckUsage = R"(Usage: alb-webhook check [flags] FILE...

Evaluates Ingress (networking.k8s.io/v1), TargetGroupBinding and IngressClassParams
(elbv2.k8s.aws/v1beta1) manifests offline, each as a CREATE, with the same rules and policy as the webhook server,
and prints each object's decision, violations, warnings and the patch it would apply.
FILE is YAML (multi-document) or JSON, may hold Lists (List, IngressList, ...), may be a
directory (its *.yaml, *.yml and *.json files) or - for standard input. Other kinds are
skipped and counted.

Flags:
  --config FILE        policy file (YAML), as for serve --config (default: embedded policy)
  -o, --output FORMAT  text or json (default text)
  -n, --namespace NS   namespace of objects without metadata.namespace (default "default")
  -h, --help           this text

Exit status: 0 all allowed, 1 something denied, 2 bad input or config.
)";

constexpr int kMaxDepth = 256;              // nesting levels in one document
constexpr std::size_t kMaxNodes = 1000000;  // nodes in one document (alias bombs)

// ---------------------------------------------------------------------------------------------
// YAML -> JSON

struct ConvertError {
  std::string message;
  YAML::Mark mark;
};

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

class Converter {
 public:
  json Convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth)
      throw ConvertError{"nested deeper than " + std::to_string(kMaxDepth) + " levels",
                         node.Mark()};
    if (++nodes_ > kMaxNodes)
      throw ConvertError{"more than " + std::to_string(kMaxNodes) + " nodes (alias expansion?)",
                         node.Mark()};
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return ResolveScalar(node);
      case YAML::NodeType::Sequence: {
        json array = json::array();
        for (const auto& child : node) array.push_back(Convert(child, depth + 1));
        return array;
      }
      case YAML::NodeType::Map:
        return ConvertMap(node, depth);
      default:
        return nullptr;
    }
  }

 private:
  json ConvertMap(const YAML::Node& node, int depth) {
    json object = json::object();
    std::vector<YAML::Node> merges;
    for (const auto& pair : node) {
      const YAML::Node& key_node = pair.first;
      std::string key;
      if (key_node.IsScalar()) {
        key = key_node.Scalar();
        if (key == "<<" && key_node.Tag() == "?") {
          merges.push_back(pair.second);
          continue;
        }
      } else if (key_node.IsNull()) {
        key = "null";
      } else {
        throw ConvertError{"a mapping key must be a scalar", key_node.Mark()};
      }
      if (object.contains(key))
        throw ConvertError{"mapping key \"" + key + "\" already defined", key_node.Mark()};
      object[key] = Convert(pair.second, depth + 1);
    }
    // Merge keys: keys written in the mapping win, then earlier merged mappings.
    for (const auto& merge : merges) {
      std::vector<YAML::Node> sources;
      if (merge.IsMap()) {
        sources.push_back(merge);
      } else if (merge.IsSequence()) {
        for (const auto& s : merge) sources.push_back(s);
      }
      for (const auto& source : sources) {
        if (!source.IsMap())
          throw ConvertError{"the merge key << needs a mapping or a list of mappings",
                             merge.Mark()};
        json merged = Convert(source, depth + 1);
        for (auto& [k, v] : merged.items()) {
          if (!object.contains(k)) object[k] = std::move(v);
        }
      }
      if (sources.empty())
        throw ConvertError{"the merge key << needs a mapping or a list of mappings", merge.Mark()};
    }
    return object;
  }

  std::size_t nodes_ = 0;
};

std::string Position(const YAML::Mark& mark, int first_line) {
  if (mark.line < 0) return "";
  return " at line " + std::to_string(first_line + mark.line) + ", column " +
         std::to_string(mark.column + 1);
}

ManifestDocument ParseYamlDocument(const std::string& text, int index, int first_line) {
  ManifestDocument doc;
  doc.index = index;
  doc.line = first_line;
  try {
    const YAML::Node node = YAML::Load(text);
    if (!node.IsDefined() || node.IsNull()) {
      doc.empty = true;
      return doc;
    }
    Converter converter;
    doc.value = converter.Convert(node, 0);
  } catch (const YAML::Exception& e) {
    doc.error = "invalid YAML" + Position(e.mark, first_line) + ": " + e.msg;
  } catch (const ConvertError& e) {
    doc.error = "invalid YAML" + Position(e.mark, first_line) + ": " + e.message;
  } catch (const std::exception& e) {
    doc.error = std::string("invalid YAML: ") + e.what();
  }
  if (!doc.error.empty()) doc.value = nullptr;
  return doc;
}

bool IsMarker(std::string_view line, std::string_view marker) {
  if (!line.starts_with(marker)) return false;
  if (line.size() == marker.size()) return true;
  const char next = line[marker.size()];
  return next == ' ' || next == '\t' || next == '\r' || next == '\n';
}

struct Chunk {
  std::string text;
  int line = 1;
  bool explicit_start = false;
};

// Text that is only blank lines, comments and directives (no document content).
bool HasContent(std::string_view text, bool* has_directive) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("%")) {
      *has_directive = true;
      continue;
    }
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') return true;
  }
  return false;
}

// Splits a YAML stream at document markers (`---`, `...` at column 0; the YAML spec forbids them
// inside content), so one broken document does not hide the others.
std::vector<Chunk> SplitDocuments(std::string_view text) {
  std::vector<Chunk> chunks;
  Chunk current;
  std::string prefix;  // directives waiting for their `---`
  int prefix_line = 0;
  auto finish = [&] {
    bool has_directive = false;
    const bool content = HasContent(current.text, &has_directive);
    if (current.explicit_start || content) {
      if (!prefix.empty()) {
        current.text = prefix + current.text;
        current.line = prefix_line;
        prefix.clear();
      }
      chunks.push_back(std::move(current));
    } else if (has_directive) {
      if (prefix.empty()) prefix_line = current.line;
      prefix += current.text;
    }
  };
  int line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(pos, next - pos);
    pos = next;
    ++line_number;
    if (IsMarker(line, "---")) {
      finish();
      current = Chunk{std::string(line), line_number, true};
    } else if (IsMarker(line, "...")) {
      finish();
      current = Chunk{"", line_number + 1, false};
    } else {
      current.text.append(line);
    }
  }
  finish();
  return chunks;
}

bool DeeperThan(const json& value, int limit) {
  if (limit < 0) return true;
  if (!value.is_structured()) return false;
  for (const auto& child : value) {
    if (DeeperThan(child, limit - 1)) return true;
  }
  return false;
}

std::string WithoutJsonExceptionPrefix(std::string message) {
  if (message.starts_with("[json.exception.")) {
    const auto close = message.find("] ");
    if (close != std::string::npos) message.erase(0, close + 2);
  }
  return message;
}

}  // namespace

std::vector<ManifestDocument> ParseManifests(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<ManifestDocument> docs;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    // Like kubectl: a stream that starts with '{' is JSON (one or more concatenated values).
    std::istringstream stream{std::string(text)};
    while (true) {
      stream >> std::ws;
      if (stream.peek() == std::char_traits<char>::eof()) break;
      ManifestDocument doc;
      doc.index = static_cast<int>(docs.size()) + 1;
      const auto offset = static_cast<std::size_t>(stream.tellg());
      doc.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
      try {
        stream >> doc.value;
      } catch (const json::exception& e) {
        doc.value = nullptr;
        doc.error = "invalid JSON: " + WithoutJsonExceptionPrefix(e.what());
      }
      if (doc.error.empty() && DeeperThan(doc.value, kMaxDepth)) {
        doc.value = nullptr;
        doc.error = "invalid JSON: nested deeper than " + std::to_string(kMaxDepth) + " levels";
      }
      const bool stop = !doc.error.empty();
      docs.push_back(std::move(doc));
      if (stop) break;  // the rest of the stream cannot be framed
    }
    return docs;
  }
  int index = 0;
  for (const auto& chunk : SplitDocuments(text)) {
    docs.push_back(ParseYamlDocument(chunk.text, ++index, chunk.line));
  }
  return docs;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Evaluation and reporting

struct Options {
  std::string config;
  bool json_output = false;
  std::string ns = "default";
  std::vector<std::string> files;
};

struct Location {
  std::string file;
  int document = 0;  // 0: the whole file
  int item = -1;     // index in a List's items, -1: not a list item

  std::string Text() const {
    std::string out = file;
    if (document > 0) out += ":" + std::to_string(document);
    if (item >= 0) out += ".items[" + std::to_string(item) + "]";
    return out;
  }
};

const std::string* StringAt(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

std::string MetadataString(const json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto metadata = object.find("metadata");
  if (metadata == object.end()) return "";
  const std::string* value = StringAt(*metadata, key);
  return value != nullptr ? *value : "";
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Indented(const std::string& text, const std::string& indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

class Checker {
 public:
  Checker(const Options& options, const policy::Policy& policy, std::ostream& out,
          std::ostream& err)
      : options_(options),
        snapshot_{std::make_shared<const policy::Policy>(policy), nullptr},
        out_(out),
        err_(err),
        kinds_(rules::AdmittedKinds()) {}

  void File(const std::string& name, const std::string& text) {
    for (const auto& doc : ParseManifests(text)) {
      const Location loc{name, doc.index, -1};
      if (!doc.error.empty()) {
        Fail(loc, doc.error);
      } else if (!doc.empty) {
        Document(loc, doc.value);
      }
    }
  }

  void Fail(const Location& loc, const std::string& message) {
    out_.flush();  // keep the listing and the errors in order on a terminal
    err_ << "error: " << loc.Text() << ": " << message << "\n";
    errors_.push_back({{"file", loc.file},
                       {"document", loc.document > 0 ? json(loc.document) : json(nullptr)},
                       {"message", message}});
  }

  int Finish() {
    const int total = allowed_ + denied_ + skipped_;
    if (options_.json_output) {
      json summary = {{"objects", total},
                      {"allowed", allowed_},
                      {"denied", denied_},
                      {"skipped", skipped_},
                      {"errors", errors_.size()}};
      const json report = {{"results", results_},
                           {"skipped", skipped_list_},
                           {"errors", errors_},
                           {"summary", summary}};
      out_ << report.dump(2) << "\n";
    } else {
      out_ << total << (total == 1 ? " object: " : " objects: ") << allowed_ << " allowed, "
           << denied_ << " denied, " << skipped_ << " skipped";
      if (!errors_.empty())
        out_ << "; " << errors_.size() << (errors_.size() == 1 ? " error" : " errors");
      out_ << "\n";
    }
    out_.flush();
    if (!errors_.empty()) return 2;
    return denied_ > 0 ? 1 : 0;
  }

 private:
  void Document(const Location& loc, const json& doc) {
    const std::string* kind = StringAt(doc, "kind");
    const auto items = doc.is_object() ? doc.find("items") : doc.end();
    if (kind != nullptr && kind->ends_with("List") && items != doc.end() && items->is_array()) {
      // A typed list (IngressList) may leave out its items' apiVersion and kind.
      const std::string item_kind = kind->substr(0, kind->size() - 4);
      const std::string* api_version = StringAt(doc, "apiVersion");
      for (std::size_t i = 0; i < items->size(); ++i) {
        Location item_loc = loc;
        item_loc.item = static_cast<int>(i);
        json item = (*items)[i];
        if (item.is_object() && *kind != "List" && !item.contains("kind") &&
            !item.contains("apiVersion") && api_version != nullptr) {
          item["apiVersion"] = *api_version;
          item["kind"] = item_kind;
        }
        Object(item_loc, item);
      }
      return;
    }
    Object(loc, doc);
  }

  void Object(const Location& loc, const json& object) {
    const std::string* api_version = StringAt(object, "apiVersion");
    const std::string* kind = StringAt(object, "kind");
    if (api_version != nullptr && kind != nullptr) {
      if (const rules::KindRules* rules = rules::FindKind(kinds_, *api_version, *kind)) {
        Evaluate(loc, object, *rules);
        return;
      }
    }
    // Skipped. Say so in the text listing only when it looks like a mistake.
    std::string reason;
    bool notable = false;
    if (!object.is_object()) {
      reason = std::string("not a Kubernetes object but a JSON ") + object.type_name();
      notable = true;
    } else if (api_version == nullptr || kind == nullptr) {
      reason = "no apiVersion or kind";
      notable = true;
    } else if (NamesAdmittedKind(*kind)) {
      reason = "only " + KindList(true, "and") + " are checked";
      notable = true;
    } else {
      reason = "not an " + KindList(false, "or");
    }
    ++skipped_;
    json entry = {{"file", loc.file},
                  {"document", loc.document},
                  {"item", loc.item >= 0 ? json(loc.item) : json(nullptr)},
                  {"apiVersion", api_version != nullptr ? *api_version : ""},
                  {"kind", kind != nullptr ? *kind : ""},
                  {"name", MetadataString(object, "name")},
                  {"reason", reason}};
    skipped_list_.push_back(std::move(entry));
    if (notable && !options_.json_output) {
      out_ << loc.Text();
      if (kind != nullptr) out_ << " " << *kind << " " << DisplayName(object, "");
      out_ << ": skipped (" << reason << ")\n";
    }
  }

  static std::string DisplayName(const json& object, const std::string& ns) {
    std::string name = MetadataString(object, "name");
    if (name.empty()) {
      const std::string generate = MetadataString(object, "generateName");
      name = generate.empty() ? "<no name>" : generate + "*";
    }
    return ns.empty() ? name : ns + "/" + name;
  }

  // The kind's name in any case and any apiVersion: a likely mistake when skipped.
  bool NamesAdmittedKind(const std::string& kind) const {
    return std::any_of(kinds_.begin(), kinds_.end(), [&kind](const rules::KindRules& k) {
      return EqualsIgnoringCase(kind, k.gvk.kind);
    });
  }

  // "a/v1 A, b/v1 B and c/v1 C" (with_version) or "A, B or C".
  std::string KindList(bool with_version, std::string_view last_joiner) const {
    std::string out;
    for (std::size_t i = 0; i < kinds_.size(); ++i) {
      if (i > 0) out += i + 1 == kinds_.size() ? " " + std::string(last_joiner) + " " : ", ";
      const auto& gvk = kinds_[i].gvk;
      if (with_version) out += gvk.group + "/" + gvk.version + " ";
      out += gvk.kind;
    }
    return out;
  }

  void Evaluate(const Location& loc, const json& original, const rules::KindRules& rules) {
    std::string ns = MetadataString(original, "namespace");
    if (ns.empty()) ns = options_.ns;
    // The API server fills in the namespace of a namespaced object before admission.
    json object = original;
    if (auto metadata = object.find("metadata");
        metadata != object.end() && metadata->is_object()) {
      const auto current = metadata->find("namespace");
      if (current == metadata->end() || *current == "") (*metadata)["namespace"] = ns;
    }
    admission::Evaluation e;
    try {
      e = admission::EvaluateCreate(*rules.mutator, *rules.validator, object, ns, snapshot_);
    } catch (const std::exception& ex) {
      Fail(loc, std::string("internal error while evaluating: ") + ex.what());
      return;
    }
    const std::string kind = *StringAt(object, "kind");
    if (e.allowed) {
      ++allowed_;
    } else {
      ++denied_;
    }
    json violations = json::array();
    json warnings = json::array();
    for (const auto& f : e.findings) {
      (f.severity == rules::Severity::kDeny ? violations : warnings)
          .push_back({{"check", f.check}, {"message", f.message}});
    }
    if (options_.json_output) {
      results_.push_back({{"file", loc.file},
                          {"document", loc.document},
                          {"item", loc.item >= 0 ? json(loc.item) : json(nullptr)},
                          {"kind", kind},
                          {"namespace", ns},
                          {"name", MetadataString(object, "name")},
                          {"inScope", e.in_scope},
                          {"allowed", e.allowed},
                          {"violations", violations},
                          {"warnings", warnings},
                          {"patch", e.patch}});
      return;
    }
    out_ << loc.Text() << " " << kind << " " << DisplayName(object, ns) << ": "
         << (e.allowed ? "ALLOWED" : "DENIED") << (e.in_scope ? "" : " (out of scope)") << "\n";
    for (const auto& v : violations) {
      out_ << "  deny  [" << v["check"].get<std::string>() << "] "
           << Indented(v["message"].get<std::string>(), "        ") << "\n";
    }
    for (const auto& w : warnings) {
      out_ << "  warn  [" << w["check"].get<std::string>() << "] "
           << Indented(w["message"].get<std::string>(), "        ") << "\n";
    }
    if (e.patch.is_array() && !e.patch.empty()) {
      out_ << "  patch:\n";
      for (const auto& op : e.patch) {
        out_ << "    " << op.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
      }
    }
  }

  const Options& options_;
  const state::Snapshot snapshot_;
  std::ostream& out_;
  std::ostream& err_;
  const std::vector<rules::KindRules> kinds_;
  json results_ = json::array();
  json skipped_list_ = json::array();
  json errors_ = json::array();
  int allowed_ = 0;
  int denied_ = 0;
  int skipped_ = 0;
};

enum class ParseOutcome { kRun, kHelp, kBad };

ParseOutcome ParseCheckFlags(const std::vector<std::string>& args, Options* options,
                             std::string* error) {
  bool only_files = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    if (only_files || flag == "-" || !flag.starts_with("-")) {
      options->files.push_back(flag);
      continue;
    }
    if (flag == "--") {
      only_files = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") return ParseOutcome::kHelp;
    std::string value;
    bool has_value = false;
    if (const auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    if (flag != "--config" && flag != "--output" && flag != "-o" && flag != "--namespace" &&
        flag != "-n") {
      *error = "unknown flag " + flag;
      return ParseOutcome::kBad;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        *error = flag + " needs a value";
        return ParseOutcome::kBad;
      }
      value = args[++i];
    }
    if (flag == "--config") {
      options->config = value;
    } else if (flag == "--output" || flag == "-o") {
      if (value != "text" && value != "json") {
        *error = flag + ": expected text or json";
        return ParseOutcome::kBad;
      }
      options->json_output = value == "json";
    } else {
      if (value.empty()) {
        *error = flag + ": expected a namespace name";
        return ParseOutcome::kBad;
      }
      options->ns = value;
    }
  }
  if (options->files.empty()) {
    *error = "no FILE given (use - for standard input)";
    return ParseOutcome::kBad;
  }
  return ParseOutcome::kRun;
}

Result<std::string> ReadFileText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{std::string("cannot read: ") + std::strerror(errno)};
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return Error{"cannot read: read error"};
  return text.str();
}

// A directory stands for its *.yaml, *.yml and *.json files (not recursive), in name order.
Result<std::vector<std::string>> ExpandDirectory(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return std::vector<std::string>{path};
  std::vector<std::string> files;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if ((ext == ".yaml" || ext == ".yml" || ext == ".json") && !it->is_directory())
      files.push_back(it->path().string());
  }
  if (ec) return Error{"cannot read directory: " + ec.message()};
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int RunCheckWith(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  try {
    Options options;
    std::string error;
    switch (ParseCheckFlags(args, &options, &error)) {
      case ParseOutcome::kHelp:
        out << kCheckUsage;
        return 0;
      case ParseOutcome::kBad:
        err << "error: " << error << "\nRun 'alb-webhook check --help' for usage.\n";
        return 2;
      case ParseOutcome::kRun:
        break;
    }
    policy::Policy policy;
    if (!options.config.empty()) {
      auto loaded = policy::LoadPolicyFile(options.config);
      if (!loaded) {
        err << "error: --config: " << loaded.error().message << "\n";
        return 2;
      }
      policy = std::move(*loaded);
    }
    Checker checker(options, policy, out, err);
    for (const auto& arg : options.files) {
      const auto paths = ExpandDirectory(arg);
      if (!paths) {
        checker.Fail(Location{arg}, paths.error().message);
        continue;
      }
      for (const auto& path : *paths) {
        if (path == "-") {
          std::ostringstream text;
          text << in.rdbuf();
          checker.File("<stdin>", text.str());
          continue;
        }
        auto text = ReadFileText(path);
        if (!text) {
          checker.Fail(Location{path}, text.error().message);
          continue;
        }
        checker.File(path, *text);
      }
    }
    return checker.Finish();
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

int RunCheck(const std::vector<std::string>& args) {
  return RunCheckWith(args, std::cin, std::cout, std::cerr);
}

}  // namespace albwebhook::cli
