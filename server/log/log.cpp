#include "albwebhook/log/log.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <mutex>
#include <thread>

#include "albwebhook/util/json_string.hpp"

namespace albwebhook::log {
namespace {

using util::AppendJsonString;

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

// Where lines go. Debug and info lines (one per admission request) are batched: a write(2) per
// line was a fifth of the server's time under load, and more in the process reading the pipe.
// They reach stderr when kMaxPending bytes are waiting, kFlushDelay after the first of them was
// buffered (a background thread), before any warn or error line (which is written at once, in
// order), on Flush() and at exit. A crash can lose at most kFlushDelay of debug/info lines.
class Sink {
 public:
  static constexpr std::size_t kMaxPending = 32 * 1024;
  static constexpr std::chrono::milliseconds kFlushDelay{100};

  static Sink& Get() {
    // Never destroyed: lines may be written by other threads while static destructors run.
    static Sink* sink = new Sink;
    return *sink;
  }

  void Write(std::string_view line, bool urgent) {
    std::lock_guard lock(mutex_);
    const bool was_empty = pending_.empty();
    pending_ += line;
    if (urgent || pending_.size() >= kMaxPending) {
      WriteOutLocked();
      return;
    }
    if (!flusher_started_) StartFlusherLocked();
    if (was_empty) wake_.notify_one();
  }

  void Flush() {
    std::lock_guard lock(mutex_);
    WriteOutLocked();
  }

 private:
  void WriteOutLocked() {
    if (pending_.empty()) return;
    std::fwrite(pending_.data(), 1, pending_.size(), stderr);
    std::fflush(stderr);
    pending_.clear();
    if (pending_.capacity() > 4 * kMaxPending) pending_.shrink_to_fit();
  }

  void StartFlusherLocked() {
    flusher_started_ = true;
    std::atexit([] { Sink::Get().Flush(); });
    std::thread([this] {
      std::unique_lock lock(mutex_);
      for (;;) {
        wake_.wait(lock, [this] { return !pending_.empty(); });
        lock.unlock();
        std::this_thread::sleep_for(kFlushDelay);
        lock.lock();
        WriteOutLocked();
      }
    }).detach();
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool flusher_started_ = false;
};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (UTC). The calendar part is formatted once per second per thread
// (gmtime_r and strftime were a quarter of an info line's cost); the microseconds every time.
std::string Now() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  thread_local std::time_t cached_secs = -1;
  thread_local char calendar[40];
  thread_local std::size_t calendar_size = 0;
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    calendar_size = std::strftime(calendar, sizeof(calendar), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_secs = secs;
  }
  std::string out;
  out.reserve(calendar_size + 8);
  out.append(calendar, calendar_size);
  char fraction[8] = {'.', '0', '0', '0', '0', '0', '0', 'Z'};
  auto value = static_cast<unsigned long>(micros < 0 ? micros + 1000000 : micros);
  for (int i = 6; i >= 1; --i, value /= 10) fraction[i] = static_cast<char>('0' + value % 10);
  out.append(fraction, sizeof(fraction));
  return out;
}

void AppendValue(std::string& out, const nlohmann::json& value) {
  char digits[24];
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      AppendJsonString(out, value.get_ref<const std::string&>());
      return;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case nlohmann::json::value_t::number_unsigned: {
      auto end = std::to_chars(digits, digits + sizeof(digits), value.get<std::uint64_t>()).ptr;
      out.append(digits, end);
      return;
    }
    case nlohmann::json::value_t::number_integer: {
      auto end = std::to_chars(digits, digits + sizeof(digits), value.get<std::int64_t>()).ptr;
      out.append(digits, end);
      return;
    }
    default:
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

void AppendField(std::string& out, const Field& field) {
  char digits[24];
  switch (field.kind()) {
    case Field::Kind::kString:
      AppendJsonString(out, field.text());
      return;
    case Field::Kind::kBool:
      out += field.flag() ? "true" : "false";
      return;
    case Field::Kind::kInt:
      out.append(digits, std::to_chars(digits, digits + sizeof(digits), field.int_value()).ptr);
      return;
    case Field::Kind::kUint:
      out.append(digits, std::to_chars(digits, digits + sizeof(digits), field.uint_value()).ptr);
      return;
    case Field::Kind::kStrings:
      out += '[';
      for (std::size_t i = 0; i < field.strings().size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonString(out, field.strings()[i]);
      }
      out += ']';
      return;
  }
}

// The line nlohmann would print for {"time", "level", "msg"} + fields (a field wins over a fixed
// key of the same name), keys in order, without building that object. `members`: (name, value)
// pairs sorted by name, names distinct; `append(out, value)` writes a value as JSON.
template <typename Members, typename Append>
std::string FormatLine(std::string_view level, std::string_view message, const Members& members,
                       Append append) {
  const std::string now = Now();
  const std::pair<std::string_view, std::string_view> fixed[] = {
      {"level", level}, {"msg", message}, {"time", now}};  // in key order
  std::string out;
  out.reserve(256);
  out += '{';
  auto key = [&out](std::string_view name) {
    if (out.size() > 1) out += ',';
    AppendJsonString(out, name);
    out += ':';
  };
  std::size_t f = 0;
  for (const auto& [name, value] : members) {
    for (; f < std::size(fixed) && fixed[f].first <= std::string_view(name); ++f) {
      if (fixed[f].first == name) continue;  // the field wins
      key(fixed[f].first);
      AppendJsonString(out, fixed[f].second);
    }
    key(name);
    append(out, value);
  }
  for (; f < std::size(fixed); ++f) {
    key(fixed[f].first);
    AppendJsonString(out, fixed[f].second);
  }
  out += "}\n";
  return out;
}

std::string FormatLine(std::string_view level, std::string_view message,
                       const nlohmann::json& fields) {
  static const nlohmann::json::object_t kNone;
  const auto* members =
      fields.is_object() ? fields.get_ptr<const nlohmann::json::object_t*>() : &kNone;
  return FormatLine(level, message, *members, AppendValue);
}

std::string FormatLine(std::string_view level, std::string_view message,
                       std::span<const Field> fields) {
  // Sorted by key as a JSON object holds them; of equal keys the first given (stable sort).
  constexpr std::size_t kMaxInline = 16;
  std::pair<std::string_view, const Field*> inline_members[kMaxInline];
  std::vector<std::pair<std::string_view, const Field*>> heap_members;
  std::pair<std::string_view, const Field*>* first = inline_members;
  if (fields.size() > kMaxInline) {
    heap_members.resize(fields.size());
    first = heap_members.data();
  }
  std::size_t n = 0;
  for (const Field& field : fields) first[n++] = {field.key(), &field};
  std::stable_sort(first, first + n,
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto* last = std::unique(first, first + n,
                                 [](const auto& a, const auto& b) { return a.first == b.first; });
  struct Range {
    const std::pair<std::string_view, const Field*>* b;
    const std::pair<std::string_view, const Field*>* e;
    auto begin() const { return b; }
    auto end() const { return e; }
  };
  return FormatLine(level, message, Range{first, last},
                    [](std::string& out, const Field* field) { AppendField(out, *field); });
}

}  // namespace

Result<Level> ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  return albwebhook::Error{"unknown log level \"" + std::string(name) +
                           "\"; expected debug, info, warn or error"};
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Write(Level level, std::string_view message, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  try {
    Sink::Get().Write(FormatLine(LevelName(level), message, fields), level >= Level::kWarn);
  } catch (...) {
    // Logging must never take the server down.
  }
}

void WriteFields(Level level, std::string_view message, std::span<const Field> fields) {
  if (!Enabled(level)) return;
  try {
    Sink::Get().Write(FormatLine(LevelName(level), message, fields), level >= Level::kWarn);
  } catch (...) {
    // Logging must never take the server down.
  }
}

void Flush() {
  try {
    Sink::Get().Flush();
  } catch (...) {
  }
}

}  // namespace albwebhook::log
