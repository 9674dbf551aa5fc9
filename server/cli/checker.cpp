// `alb-webhook check` evaluation: documents and List items to objects, each evaluated as a
// CREATE with the server's rules, or skipped with a reason.
#include "cli/checker.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/manifest/manifest.hpp"
#include "cli/check_legacy.hpp"
#include "cli/check_locate.hpp"

namespace albwebhook::cli::check {
namespace {

using nlohmann::json;

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

std::string DisplayName(const json& object, const std::string& ns) {
  std::string name = MetadataString(object, "name");
  if (name.empty()) {
    const std::string generate = MetadataString(object, "generateName");
    name = generate.empty() ? "<no name>" : generate + "*";
  }
  return ns.empty() ? name : ns + "/" + name;
}

// The API server fills in the namespace of a namespaced object before admission.
json WithNamespace(const json& original, const std::string& ns) {
  json object = original;
  FillMissingNamespace(object, ns);
  return object;
}

}  // namespace

Checker::Checker(const Options& options, const policy::Policy& policy, std::ostream& out,
                 std::ostream& err)
    : options_(options),
      snapshot_{std::make_shared<const policy::Policy>(policy), nullptr},
      kinds_(rules::AdmittedKinds()),
      report_(options.format, out, err) {}

void Checker::File(const std::string& name, const std::string& text) {
  // Lines only for the formats that point into files.
  const bool lines = options_.format != Format::kText && options_.format != Format::kJson;
  for (const auto& doc : manifest::ParseManifests(
           text, lines ? manifest::Positions::kKeep : manifest::Positions::kSkip)) {
    const Location loc{name, doc.index, -1, doc.LineOf("")};
    if (!doc.error.empty()) {
      Fail(loc, doc.error);
    } else if (!doc.empty) {
      Document(loc, doc);
    }
  }
}

void ForEachObject(const json& doc, const std::function<void(int, const json&)>& fn) {
  // Older API versions reach the webhook converted by the API server: so here too.
  auto visit = [&fn](int item, const json& object) {
    const std::optional<json> converted = ConvertLegacyVersion(object);
    fn(item, converted ? *converted : object);
  };
  const std::string* kind = StringAt(doc, "kind");
  const auto items = doc.is_object() ? doc.find("items") : doc.end();
  if (kind == nullptr || !kind->ends_with("List") || items == doc.end() || !items->is_array()) {
    visit(-1, doc);
    return;
  }
  const std::string item_kind = kind->substr(0, kind->size() - 4);
  const std::string* api_version = StringAt(doc, "apiVersion");
  for (std::size_t i = 0; i < items->size(); ++i) {
    json item = (*items)[i];
    if (item.is_object() && *kind != "List" && !item.contains("kind") &&
        !item.contains("apiVersion") && api_version != nullptr) {
      item["apiVersion"] = *api_version;
      item["kind"] = item_kind;
    }
    visit(static_cast<int>(i), item);
  }
}

void Checker::Document(const Location& loc, const manifest::ManifestDocument& doc) {
  ForEachObject(doc.value, [&](int item, const json& object) {
    Source source{loc, &doc, ""};
    if (item >= 0) {
      source.loc.item = item;
      source.pointer = "/items/" + std::to_string(item);
      source.loc.line = doc.LineOf(source.pointer);
    }
    Object(source, object);
  });
}

void Checker::Object(const Source& source, const json& object) {
  const std::string* api_version = StringAt(object, "apiVersion");
  const std::string* kind = StringAt(object, "kind");
  if (api_version != nullptr && kind != nullptr) {
    if (const rules::KindRules* rules = rules::FindKind(kinds_, *api_version, *kind)) {
      Evaluate(source, object, *rules);
      return;
    }
  }
  report_.Skipped(source.loc, SkipOf(object));
}

// Why an object is skipped; notable (listed in text output too) when it looks like a mistake.
Skip Checker::SkipOf(const json& object) const {
  const std::string* api_version = StringAt(object, "apiVersion");
  Skip s;
  s.api_version = api_version != nullptr ? *api_version : "";
  if (const std::string* kind = StringAt(object, "kind")) s.kind = *kind;
  s.name = MetadataString(object, "name");
  s.display_name = DisplayName(object, "");
  if (!object.is_object()) {
    s.reason = std::string("not a Kubernetes object but a JSON ") + object.type_name();
    s.notable = true;
  } else if (api_version == nullptr || !s.kind) {
    s.reason = "no apiVersion or kind";
    s.notable = true;
  } else if (NamesAdmittedKind(*s.kind)) {
    s.reason = "only " + KindList(true, "and") + " are checked";
    s.notable = true;
  } else {
    s.reason = "not an " + KindList(false, "or");
  }
  return s;
}

// The kind's name in any case and any apiVersion: a likely mistake when skipped.
bool Checker::NamesAdmittedKind(const std::string& kind) const {
  return std::any_of(kinds_.begin(), kinds_.end(), [&kind](const rules::KindRules& k) {
    return EqualsIgnoringCase(kind, k.gvk.kind);
  });
}

// "a/v1 A, b/v1 B and c/v1 C" (with_version) or "A, B or C".
std::string Checker::KindList(bool with_version, std::string_view last_joiner) const {
  std::string out;
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    if (i > 0) out += i + 1 == kinds_.size() ? " " + std::string(last_joiner) + " " : ", ";
    const auto& gvk = kinds_[i].gvk;
    if (with_version) out += gvk.group + "/" + gvk.version + " ";
    out += gvk.kind;
  }
  return out;
}

void Checker::Evaluate(const Source& source, const json& original, const rules::KindRules& rules) {
  const Location& loc = source.loc;
  // The API server fills in the namespace of a namespaced object before admission; a
  // cluster-scoped one has none.
  std::string ns = rules.namespaced ? MetadataString(original, "namespace") : "";
  if (ns.empty() && rules.namespaced) ns = options_.ns;
  const json object = rules.namespaced ? WithNamespace(original, ns) : original;
  admission::Evaluation e;
  try {
    e = admission::EvaluateCreate(rules.mutator.get(), *rules.validator, object, ns, snapshot_);
  } catch (const std::exception& ex) {
    Fail(loc, std::string("internal error while evaluating: ") + ex.what());
    return;
  }
  Decision d;
  d.kind = *StringAt(object, "kind");
  d.ns = ns;
  d.name = MetadataString(object, "name");
  d.display_name = DisplayName(object, ns);
  d.in_scope = e.in_scope;
  d.allowed = e.allowed;
  d.patch = e.patch;
  // The original object: annotations the defaults add stand nowhere in the file.
  const FindingLocator locator(original);
  for (const auto& f : e.findings) {
    const std::string pointer = source.pointer + locator.Pointer(f.check, f.message);
    (f.severity == rules::Severity::kDeny ? d.violations : d.warnings)
        .push_back({f.check, f.message, source.doc->LineOf(pointer)});
  }
  report_.Decided(loc, std::move(d));
}

void FillMissingNamespace(json& object, const std::string& ns) {
  if (!object.is_object()) return;
  if (auto metadata = object.find("metadata"); metadata != object.end() && metadata->is_object()) {
    const auto current = metadata->find("namespace");
    if (current == metadata->end() || *current == "") (*metadata)["namespace"] = ns;
  }
}

}  // namespace albwebhook::cli::check
