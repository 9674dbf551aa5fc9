// Parsing of list pages, watch event lines and Status bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/cluster/object.hpp"
#include "albwebhook/util/result.hpp"

namespace albwebhook::cluster {

enum class EventType { kAdded, kModified, kDeleted, kBookmark, kError };

struct WatchEvent {
  EventType type = EventType::kBookmark;
  ObjectPtr object;              // ADDED, MODIFIED, DELETED
  std::string resource_version;  // every type but ERROR
  int error_code = 0;            // ERROR: the Status code (0 when absent)
  std::string error_message;     // ERROR: reason and message
};

/// One line of a watch stream. Errors: malformed JSON, unknown type, an object that is not of
/// `r`'s kind or has wrong field types, a missing resourceVersion.
Result<WatchEvent> ParseWatchEvent(Resource r, std::string_view line);

struct ListPage {
  std::vector<ObjectPtr> items;
  std::string resource_version;
  std::string continue_token;
  std::vector<std::string> skipped;  // items that failed validation (not kept)
};

/// A list response. Errors: malformed JSON, no items array, no resourceVersion. Items that fail
/// validation are skipped (described in `skipped`) so that one bad object cannot stop a sync.
Result<ListPage> ParseListPage(Resource r, std::string_view body);

/// "<code> <reason>: <message>" of a Status body, or a prefix of the raw text.
std::string DescribeStatus(int http_status, std::string_view body);

}  // namespace albwebhook::cluster
