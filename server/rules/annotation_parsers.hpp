// Everything the Ingress rules use to read alb.ingress.kubernetes.io annotation values, in one
// include: the LBC's value grammars (rules/lbc_values.hpp), the Go encoding/json emulator
// (rules/go_json.hpp), the LBC's action and condition semantics (rules/lbc_actions.hpp), and the
// shared text and quoting helpers (common/text.hpp).
#pragma once

#include <string_view>

#include "common/text.hpp"
#include "rules/go_json.hpp"
#include "rules/lbc_actions.hpp"
#include "rules/lbc_values.hpp"

namespace albwebhook::rules {

inline constexpr std::string_view kAlbAnnotationPrefix = "alb.ingress.kubernetes.io/";
inline constexpr std::string_view kIngressClassAnnotation = "kubernetes.io/ingress.class";

using common::EditDistance;
using common::kWarningValueBytes;
using common::QuoteValue;

}  // namespace albwebhook::rules
