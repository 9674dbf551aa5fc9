// MakePatch for the mutating adapter, which leaves metadata.managedFields out of its copy.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace albwebhook::json {

/// MakePatch(original, mutated), except that the member at JSON pointer `skip` (an object
/// member, e.g. "/metadata/managedFields") is never compared: no op ever names it.
nlohmann::json MakePatchSkipping(const nlohmann::json& original, const nlohmann::json& mutated,
                                 std::string_view skip);

}  // namespace albwebhook::json
