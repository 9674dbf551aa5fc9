#include "albwebhook/log/log.hpp"

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

namespace albwebhook::log {
namespace {

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

std::string Now() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[64];
  std::snprintf(out, sizeof(out), "%.*s.%06ldZ", static_cast<int>(n), buf,
                static_cast<long>(micros));
  return out;
}

void AppendString(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
      // Escapes or non-ASCII: nlohmann's serializer (invalid UTF-8 replaced).
      out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  }
  out += '"';
  out += text;
  out += '"';
}

void AppendValue(std::string& out, const nlohmann::json& value) {
  char digits[24];
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      AppendString(out, value.get_ref<const std::string&>());
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

// The line nlohmann would print for {"time", "level", "msg"} + fields (a field wins over a fixed
// key of the same name), keys in order, without building that object.
std::string FormatLine(std::string_view level, std::string_view message,
                       const nlohmann::json& fields) {
  const std::string now = Now();
  const std::pair<std::string_view, std::string_view> fixed[] = {
      {"level", level}, {"msg", message}, {"time", now}};  // in key order
  const auto* members =
      fields.is_object() ? fields.get_ptr<const nlohmann::json::object_t*>() : nullptr;
  std::string out;
  out.reserve(256);
  out += '{';
  auto key = [&out](std::string_view name) {
    if (out.size() > 1) out += ',';
    AppendString(out, name);
    out += ':';
  };
  std::size_t f = 0;
  if (members != nullptr) {
    for (const auto& [name, value] : *members) {
      for (; f < std::size(fixed) && fixed[f].first <= name; ++f) {
        if (fixed[f].first == name) continue;  // the field wins
        key(fixed[f].first);
        AppendString(out, fixed[f].second);
      }
      key(name);
      AppendValue(out, value);
    }
  }
  for (; f < std::size(fixed); ++f) {
    key(fixed[f].first);
    AppendString(out, fixed[f].second);
  }
  out += "}\n";
  return out;
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

void Flush() {
  try {
    Sink::Get().Flush();
  } catch (...) {
  }
}

}  // namespace albwebhook::log
