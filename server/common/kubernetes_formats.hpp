// Kubernetes name formats (Service names, port names, label keys and values): the one definition
// of each, shared by the Ingress and TargetGroupBinding rules. Hand-written scanners (no
// std::regex: libstdc++'s recursive matcher can exhaust the stack on long inputs, and these run on
// untrusted request bodies). All functions are pure and thread-safe.
#pragma once

#include <string_view>

namespace albwebhook::common {

/// DNS-1123 label (Service port names, namespace names): at most 63 of `[a-z0-9-]`, beginning
/// and ending alphanumeric.
bool IsDns1123Label(std::string_view label);

/// DNS-1035 label (Service names): at most 63 of `[a-z0-9-]`, starts with a letter, ends
/// alphanumeric.
bool IsDns1035Label(std::string_view name);

/// IANA_SVC_NAME (Kubernetes port names): at most 15 of `[a-z0-9-]`, at least one letter,
/// no hyphen at either end, no `--`.
bool IsPortName(std::string_view name);

/// Kubernetes label key (qualified name): `[<DNS-1123 subdomain>/]<name>`, name at most 63 of
/// `[A-Za-z0-9._-]` beginning and ending alphanumeric.
bool IsLabelKey(std::string_view key);

/// Kubernetes label value: empty, or a name as in IsLabelKey.
bool IsLabelValue(std::string_view value);

}  // namespace albwebhook::common
