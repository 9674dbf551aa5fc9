// The one registry of admitted kinds. `serve` builds its routes and metrics from it, `check` its
// manifest matcher. Adding a kind: a module that provides a KindRules, and one line in
// server/rules/registry.cpp.
#pragma once

#include <string_view>
#include <vector>

#include "albwebhook/rules/rule.hpp"

namespace albwebhook::rules {

/// Every admitted kind, in a fixed order. Each call builds new rule-set instances.
std::vector<KindRules> AdmittedKinds();

/// The entry of `kinds` for apiVersion "group/version" (or "version" for the core group) and kind,
/// matched exactly; nullptr when none.
const KindRules* FindKind(const std::vector<KindRules>& kinds, std::string_view api_version,
                          std::string_view kind);

}  // namespace albwebhook::rules
