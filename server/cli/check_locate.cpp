// Pointing a finding at its annotation or field: words of the message matched against the
// object's annotation keys and `spec.` field paths, then the check's name.
#include "cli/check_locate.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "albwebhook/util/json_pointer.hpp"
#include "common/text.hpp"

namespace albwebhook::cli::check {
namespace {

using nlohmann::json;

constexpr std::string_view kAlbPrefix = "alb.ingress.kubernetes.io/";

// The annotation (suffix) each Ingress policy rule judges.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kPolicySubjects{{
    {"ingress.rules.internetFacing", "scheme"},
    {"ingress.rules.wafRequired", "scheme"},
    {"ingress.rules.httpsRequired", "listen-ports"},
    {"ingress.rules.sslPolicies", "ssl-policy"},
    {"ingress.rules.certificateAccounts", "certificate-arn"},
    {"ingress.rules.requiredTags", "tags"},
    {"ingress.rules.groupOwnership", "group.name"},
}};

// Characters of annotation keys and field paths: a match must not continue into one.
bool IsWordChar(char c) {
  return common::IsAsciiAlnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
}

// The first position where `word` stands in `text` as a whole word.
std::size_t FindWord(std::string_view text, std::string_view word) {
  for (std::size_t at = text.find(word); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    if ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.size() || !IsWordChar(text[end])))
      return at;
  }
  return std::string_view::npos;
}

const json* Annotations(const json& object) {
  if (!object.is_object()) return nullptr;
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return nullptr;
  const auto annotations = metadata->find("annotations");
  return annotations != metadata->end() && annotations->is_object() ? &*annotations : nullptr;
}

std::string AnnotationPointer(std::string_view key) {
  std::string pointer = "/metadata/annotations";
  util::AppendPointerToken(pointer, key);
  return pointer;
}

// `spec.a.b[2].c` at `at` (up to the first character that is not part of it) -> /spec/a/b/2/c.
std::string FieldPointer(std::string_view text, std::size_t at) {
  std::string pointer;
  std::string token;
  for (std::size_t i = at; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (common::IsAsciiAlnum(c) || c == '-' || c == '_') {
      token += c;
      continue;
    }
    if (!token.empty()) util::AppendPointerToken(pointer, token);
    token.clear();
    if (c != '.' && c != '[' && c != ']') break;
  }
  return pointer;
}

// The first `spec.` path of the message: where it stands, and its pointer.
std::pair<std::size_t, std::string> FirstFieldPath(std::string_view message) {
  for (std::size_t at = message.find("spec."); at != std::string_view::npos;
       at = message.find("spec.", at + 1)) {
    if (at == 0 || !IsWordChar(message[at - 1])) return {at, FieldPointer(message, at)};
  }
  return {std::string_view::npos, ""};
}

// From the check's name: its annotation, or a spec field of that name.
std::string PointerFromCheck(const json& object, const json* annotations, std::string_view check) {
  std::string_view suffix = check;
  for (const auto& [rule, subject] : kPolicySubjects) {
    if (rule == check) suffix = subject;
  }
  const std::string key = std::string(kAlbPrefix) + std::string(suffix);
  if (annotations != nullptr && annotations->contains(key)) return AnnotationPointer(key);
  const auto spec = object.is_object() ? object.find("spec") : object.end();
  if (spec != object.end() && spec->is_object() && spec->contains(std::string(check)))
    return "/spec" + FieldPointer(check, 0);
  return "";
}

}  // namespace

FindingLocator::FindingLocator(const json& object)
    : object_(object), annotations_(Annotations(object)) {
  if (annotations_ == nullptr) return;
  for (const auto& [key, value] : annotations_->get_ref<const json::object_t&>()) {
    if (key.find('/') == std::string::npos) continue;  // "description" would match any word
    if (!std::all_of(key.begin(), key.end(), IsWordChar)) irregular_keys_.push_back(key);
  }
}

std::string FindingLocator::Pointer(std::string_view check, std::string_view message) const {
  std::size_t best_at = std::string_view::npos;
  std::string_view best_key;
  if (annotations_ != nullptr) {
    // A key made of word characters stands as a whole word only as a whole run of them: the
    // message's runs are looked up in the map, in order (one lookup per word, not one search per
    // key: an object may have thousands of annotations and as many findings).
    const auto& map = annotations_->get_ref<const json::object_t&>();
    for (std::size_t at = 0; at < message.size();) {
      if (!IsWordChar(message[at])) {
        ++at;
        continue;
      }
      std::size_t end = at;
      while (end < message.size() && IsWordChar(message[end])) ++end;
      const std::string_view word = message.substr(at, end - at);
      if (word.find('/') != std::string_view::npos) {
        auto found = map.find(word);
        if (found != map.end()) {
          best_at = at;
          best_key = found->first;
          break;
        }
      }
      at = end;
    }
    // Keys with other characters (not valid annotation keys, but a file may have them).
    for (std::string_view key : irregular_keys_) {
      const std::size_t at = FindWord(message, key);
      if (at < best_at ||
          (at == best_at && at != std::string_view::npos && key.size() > best_key.size())) {
        best_at = at;
        best_key = key;
      }
    }
  }
  auto [field_at, field_pointer] = FirstFieldPath(message);
  if (field_at < best_at) return field_pointer;
  if (best_at != std::string_view::npos) return AnnotationPointer(best_key);
  return PointerFromCheck(object_, annotations_, check);
}

std::string FindingPointer(const json& object, std::string_view check, std::string_view message) {
  return FindingLocator(object).Pointer(check, message);
}

}  // namespace albwebhook::cli::check
