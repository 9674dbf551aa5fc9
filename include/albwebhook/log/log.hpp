#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "albwebhook/util/result.hpp"

namespace albwebhook::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

Result<Level> ParseLevel(std::string_view name);

/// Sets the minimum level written (process-wide). Thread-safe.
void SetLevel(Level level);
bool Enabled(Level level);

/// Writes one JSON line {"time":..., "level":..., "msg":..., <fields>} to stderr. Thread-safe;
/// never throws (invalid UTF-8 in fields is replaced). Warn and error lines are written at once;
/// debug and info lines are batched and reach stderr within 100 ms (sooner when 32 KiB are
/// waiting, when a warn or error line follows, on Flush() and at exit), always in order.
void Write(Level level, std::string_view message,
           const nlohmann::json& fields = nlohmann::json::object());

/// Writes every batched line now (before a deliberate exit, or when a test reads the log).
void Flush();

inline void Debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kWarn, m, f);
}
inline void Error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kError, m, f);
}

}  // namespace albwebhook::log
