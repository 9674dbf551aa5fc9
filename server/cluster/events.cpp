#include "cluster/events.hpp"

#include <nlohmann/json.hpp>

#include "albwebhook/json/json_parse.hpp"
#include "cluster/object.hpp"

namespace albwebhook::cluster {
namespace {

using nlohmann::json;

/// `text` parsed; discarded when it is not JSON. The fast parser first, without the objects'
/// metadata.managedFields (checked, not built: nothing reads them, and they are often a third of
/// a listed object); nlohmann for what it does not take (floats, for one) and for errors.
json ParseBody(std::string_view text) {
  static constexpr ::albwebhook::json::SkipMember kManagedFields{"metadata", "managedFields"};
  json out;
  if (::albwebhook::json::FastParseSkipping(text, out, kManagedFields)) return out;
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string StringField(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<EventType> ParseType(const json& event) {
  std::string type = StringField(event, "type");
  if (type == "ADDED") return EventType::kAdded;
  if (type == "MODIFIED") return EventType::kModified;
  if (type == "DELETED") return EventType::kDeleted;
  if (type == "BOOKMARK") return EventType::kBookmark;
  if (type == "ERROR") return EventType::kError;
  return Error{type.empty() ? "watch event has no type" : "unknown watch event type " + type};
}

void FillError(const json& status, WatchEvent& out) {
  if (status.is_object()) {
    auto code = status.find("code");
    if (code != status.end() && code->is_number_integer()) out.error_code = code->get<int>();
  }
  out.error_message = StringField(status, "reason") + ": " + StringField(status, "message");
}

}  // namespace

Result<WatchEvent> ParseWatchEvent(Resource r, std::string_view line) {
  json event = ParseBody(line);
  if (event.is_discarded() || !event.is_object()) return Error{"watch event is not a JSON object"};
  auto type = ParseType(event);
  if (!type) return type.error();
  WatchEvent out;
  out.type = type.value();
  auto object = event.find("object");
  if (object == event.end() || !object->is_object()) return Error{"watch event has no object"};
  if (out.type == EventType::kError) {
    FillError(*object, out);
    return out;
  }
  out.resource_version = ResourceVersionOf(*object);
  if (out.resource_version.empty()) return Error{"watch event object has no resourceVersion"};
  if (out.type == EventType::kBookmark) return out;
  auto obj = MakeObject(r, std::move(*object));
  if (!obj) return obj.error();
  out.object = std::move(obj.value());
  return out;
}

Result<ListPage> ParseListPage(Resource r, std::string_view body) {
  json list = ParseBody(body);
  if (list.is_discarded() || !list.is_object()) return Error{"list response is not a JSON object"};
  ListPage page;
  auto meta = list.find("metadata");
  if (meta == list.end() || !meta->is_object()) return Error{"list response has no metadata"};
  page.resource_version = StringField(*meta, "resourceVersion");
  page.continue_token = StringField(*meta, "continue");
  if (page.resource_version.empty()) return Error{"list response has no resourceVersion"};
  auto items = list.find("items");
  if (items == list.end() || items->is_null()) return page;  // Go encodes an empty list as null
  if (!items->is_array()) return Error{"list response items is not an array"};
  page.items.reserve(items->size());
  for (auto& item : *items) {
    auto obj = MakeObject(r, std::move(item));
    if (obj) {
      page.items.push_back(std::move(obj.value()));
    } else {
      page.skipped.push_back(obj.error().message);
    }
  }
  return page;
}

std::string DescribeStatus(int http_status, std::string_view body) {
  json status = json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string text = std::to_string(http_status);
  if (!status.is_discarded() && status.is_object()) {
    std::string reason = StringField(status, "reason");
    std::string message = StringField(status, "message");
    if (!reason.empty()) text += " " + reason;
    if (!message.empty()) text += ": " + message;
    return text;
  }
  constexpr std::size_t kMaxRaw = 200;
  if (!body.empty()) text += ": " + std::string(body.substr(0, kMaxRaw));
  return text;
}

}  // namespace albwebhook::cluster
