#include "albwebhook/json/json_patch.hpp"

#include <array>
#include <cstdint>

#include "albwebhook/json/json_patch_skip.hpp"
#include "albwebhook/util/json_pointer.hpp"

namespace albwebhook::json {
namespace {

using nlohmann::json;

using util::AppendPointerToken;

// Walks both values and appends the smallest ops: objects recurse key by key (so unrelated keys
// never appear in the patch); anything else that differs is replaced whole. Arrays are replaced
// whole too: positional diffs of unkeyed arrays are fragile (admission good practices).
// Objects are std::maps: both are walked in key order side by side (no lookups), removals first,
// then additions and changes in key order.
void Diff(const json& from, const json& to, std::string& path, std::string_view skip, json& ops) {
  if (from.is_object() && to.is_object()) {
    const auto& old_members = from.get_ref<const json::object_t&>();
    const auto& new_members = to.get_ref<const json::object_t&>();
    const std::size_t saved = path.size();
    auto next = new_members.begin();
    for (const auto& [key, value] : old_members) {
      while (next != new_members.end() && next->first < key) ++next;
      if (next == new_members.end() || next->first != key) {
        AppendPointerToken(path, key);
        if (path != skip) ops.push_back({{"op", "remove"}, {"path", path}});
        path.resize(saved);
      }
    }
    auto old_it = old_members.begin();
    for (const auto& [key, value] : new_members) {
      while (old_it != old_members.end() && old_it->first < key) ++old_it;
      AppendPointerToken(path, key);
      if (path == skip) {
        // never compared
      } else if (old_it == old_members.end() || old_it->first != key) {
        ops.push_back({{"op", "add"}, {"path", path}, {"value", value}});
      } else {
        Diff(old_it->second, value, path, skip, ops);
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
  return MakePatchSkipping(original, mutated, {});
}

json MakePatchSkipping(const json& original, const json& mutated, std::string_view skip) {
  json ops = json::array();
  std::string path;
  Diff(original, mutated, path, skip, ops);
  return ops;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size() + 1);
  AppendPointerToken(out, token);
  return out.substr(1);
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
