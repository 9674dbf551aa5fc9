// The LBC's grammars for annotation values (lbc-annotations.md "Generic parser behaviour"):
// stringList, stringMap, Go's strconv booleans and integers, listen-ports and success codes. Pure
// functions: they never throw, whatever the input; each is a separate entry point so it can be
// fuzzed on its own.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/policy/policy.hpp"

namespace albwebhook::rules {

/// LBC stringList: split on `,`, items trimmed, empty items dropped. Never fails.
std::vector<std::string> ParseStringList(std::string_view raw);

/// LBC stringMap `k1=v1,k2=v2`: items split on unescaped `,` (`\,` is a literal comma), trimmed,
/// empty items dropped; each item split on its first `=`; key and value trimmed; empty value
/// allowed. nullopt when an item has no `=` or an empty key. A repeated key keeps its first
/// position and its last value (Go map semantics).
std::optional<policy::StringMap> ParseStringMap(std::string_view raw);

/// Appends `entries` to the stringMap text `raw` without touching the user's text: `raw` + "," +
/// `k=v`... (commas in keys/values escaped as `\,`). `raw` empty or blank: just the entries.
std::string AppendStringMapEntries(std::string_view raw, const policy::StringMap& entries);

/// Go strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
std::optional<bool> ParseGoBool(std::string_view raw);

/// Go strconv.ParseInt(raw, 10, bits): optional sign, decimal digits, no spaces.
struct GoInt {
  enum class Error { kNone, kSyntax, kRange };
  std::int64_t value = 0;
  Error error = Error::kNone;
};
GoInt ParseGoInt(std::string_view raw, int bits);

/// One entry of the listen-ports annotation.
struct ListenPort {
  std::string protocol;  // HTTP or HTTPS
  std::int64_t port = 0;
};
/// listen-ports: a non-empty JSON array of objects (or nulls) whose keys are `HTTP`/`HTTPS` and
/// whose values are JSON integers in [1, 65535]. On failure `error` holds the reason (without key
/// or value). Entries without a port ([{}], [null]) are accepted, as by the LBC: no listener.
/// Each port once, as the LBC keeps it (computeIngressListenPorts fills a port -> protocol map):
/// the protocol of the last entry naming the port. One entry naming it with both protocols leaves
/// it to Go's random map order; then `ports` says HTTPS (no check refuses what may be HTTPS).
struct ListenPortsResult {
  std::vector<ListenPort> ports;  // first-listed order, each port once
  std::string error;              // empty = parsed
  /// The first-listed port listed with both protocols, if any.
  struct DualPort {
    std::int64_t port = 0;
    bool kept_https = false;  // the protocol the LBC keeps: HTTPS, else HTTP
    bool random = false;      // its last entry names it with both: either, per reconcile
  };
  std::optional<DualPort> dual;
};
ListenPortsResult ParseListenPorts(std::string_view raw);

/// success-codes / matcher: `200`, `200,202`, `200-299` (and mixes); HTTP codes 200-499,
/// gRPC codes 0-99. Returns the reason when malformed, nullopt when accepted.
std::optional<std::string> CheckSuccessCodes(std::string_view raw, bool grpc);

/// A Network Load Balancer target group's HTTP matcher (AWS: codes 200-599, same list grammar).
std::optional<std::string> CheckNlbSuccessCodes(std::string_view raw);

/// One listener's mutual authentication as the LBC builds it (parseMtlsConfigEntries): verify
/// without ignoreClientCertificateExpiry means false.
struct MtlsAttributes {
  std::string mode, trust_store;  // trust_store: a name or an ARN, as written
  std::optional<bool> ignore_expiry;
  std::optional<std::string> advertise_ca_names;
  bool operator==(const MtlsAttributes&) const = default;
  /// "{mode verify, trustStore ts, ignoreClientCertificateExpiry false, ...}"
  std::string Text() const;
};
/// The mutual-authentication annotation: listen port -> attributes (a later entry for a port
/// wins); nullopt when the LBC fails on the value (the annotation checks report why).
std::optional<std::map<std::int64_t, MtlsAttributes>> ParseMutualAuthentication(
    std::string_view raw);

}  // namespace albwebhook::rules
