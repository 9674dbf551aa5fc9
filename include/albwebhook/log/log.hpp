#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

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

/// One field of a log line, given without building a JSON object (the per-request line). Holds
/// views: what it refers to must outlive the Write call.
class Field {
 public:
  enum class Kind { kString, kBool, kInt, kUint, kStrings };
  Field(std::string_view key, std::string_view value)
      : key_(key), kind_(Kind::kString), text_(value) {}
  Field(std::string_view key, const std::string& value) : Field(key, std::string_view(value)) {}
  Field(std::string_view key, const char* value) : Field(key, std::string_view(value)) {}
  Field(std::string_view key, bool value) : key_(key), kind_(Kind::kBool), flag_(value) {}
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Field(std::string_view key, T value) : key_(key) {
    if constexpr (std::is_signed_v<T>) {
      kind_ = Kind::kInt;
      int_ = static_cast<std::int64_t>(value);
    } else {
      kind_ = Kind::kUint;
      uint_ = static_cast<std::uint64_t>(value);
    }
  }
  /// A JSON array of strings.
  Field(std::string_view key, const std::vector<std::string>& values)
      : key_(key), kind_(Kind::kStrings), strings_(&values) {}

  std::string_view key() const { return key_; }
  Kind kind() const { return kind_; }
  std::string_view text() const { return text_; }
  bool flag() const { return flag_; }
  std::int64_t int_value() const { return int_; }
  std::uint64_t uint_value() const { return uint_; }
  const std::vector<std::string>& strings() const { return *strings_; }

 private:
  std::string_view key_;
  Kind kind_ = Kind::kString;
  std::string_view text_;
  bool flag_ = false;
  std::int64_t int_ = 0;
  std::uint64_t uint_ = 0;
  const std::vector<std::string>* strings_ = nullptr;
};

/// Write with `fields` given as a list: the same line, byte for byte, as Write with the JSON
/// object of those fields (keys sorted; a field wins over time, level or msg; of two fields with
/// one key the first wins, as in a JSON object built from an initializer list).
void WriteFields(Level level, std::string_view message, std::span<const Field> fields);
inline void WriteFields(Level level, std::string_view message,
                        std::initializer_list<Field> fields) {
  WriteFields(level, message, std::span<const Field>(fields.begin(), fields.size()));
}

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
