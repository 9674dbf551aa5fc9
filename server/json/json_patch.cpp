#include "albwebhook/json/json_patch.hpp"

#include <array>
#include <cstdint>

namespace albwebhook::json {
namespace {

using nlohmann::json;

// Walks both values and appends the smallest ops: objects recurse key by key (so unrelated keys
// never appear in the patch); anything else that differs is replaced whole. Arrays are replaced
// whole too: positional diffs of unkeyed arrays are fragile (admission good practices).
void Diff(const json& from, const json& to, std::string& path, json& ops) {
  if (from.is_object() && to.is_object()) {
    for (const auto& [key, value] : from.items()) {
      if (!to.contains(key)) {
        ops.push_back({{"op", "remove"}, {"path", path + "/" + EscapePointerToken(key)}});
      }
    }
    for (const auto& [key, value] : to.items()) {
      const std::size_t saved = path.size();
      path += '/';
      path += EscapePointerToken(key);
      auto it = from.find(key);
      if (it == from.end()) {
        ops.push_back({{"op", "add"}, {"path", path}, {"value", value}});
      } else {
        Diff(*it, value, path, ops);
      }
      path.resize(saved);
    }
    return;
  }
  if (from != to) {
    ops.push_back({{"op", "replace"}, {"path", path}, {"value", to}});
  }
}

}  // namespace

json MakePatch(const json& original, const json& mutated) {
  json ops = json::array();
  std::string path;
  Diff(original, mutated, path, ops);
  return ops;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr std::array<char, 65> kAlphabet{
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"};
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(bytes[i]) << 16U) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8U) |
                            static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
  }
  if (i < bytes.size()) {
    std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16U;
    const bool two = i + 1 < bytes.size();
    if (two) n |= static_cast<std::uint8_t>(bytes[i + 1]) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += two ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

}  // namespace albwebhook::json
