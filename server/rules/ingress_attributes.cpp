// load-balancer-attributes and target-group-attributes: keys and values AWS accepts on an ALB
// (aws-limits.md §1, §2).
#include <algorithm>
#include <cstdint>

#include "common/text.hpp"
#include "rules/ingress_checks.hpp"

namespace albwebhook::rules {
namespace {

enum class AttrKind { kBool, kInt, kEnum, kString, kBucket, kLogPrefix, kOffOrInt, kCookieName };

struct AttrSpec {
  constexpr AttrSpec(std::string_view k, AttrKind t, std::int64_t lo = 0, std::int64_t hi = 0,
                     std::string_view vals = {})
      : key(k), kind(t), min(lo), max(hi), values(vals) {}
  std::string_view key;
  AttrKind kind;
  std::int64_t min;
  std::int64_t max;
  std::string_view values;  // kEnum: space-separated accepted values
};

constexpr AttrSpec kLoadBalancerAttributes[] = {
    {"deletion_protection.enabled", AttrKind::kBool},
    {"load_balancing.cross_zone.enabled", AttrKind::kBool},
    {"access_logs.s3.enabled", AttrKind::kBool},
    {"access_logs.s3.bucket", AttrKind::kBucket},
    {"access_logs.s3.prefix", AttrKind::kLogPrefix},
    {"ipv6.deny_all_igw_traffic", AttrKind::kBool},
    {"zonal_shift.config.enabled", AttrKind::kBool},
    {"idle_timeout.timeout_seconds", AttrKind::kInt, 1, 4000},
    {"client_keep_alive.seconds", AttrKind::kInt, 60, 604800},
    {"connection_logs.s3.enabled", AttrKind::kBool},
    {"connection_logs.s3.bucket", AttrKind::kBucket},
    {"connection_logs.s3.prefix", AttrKind::kString},
    {"health_check_logs.s3.enabled", AttrKind::kBool},
    {"health_check_logs.s3.bucket", AttrKind::kBucket},
    {"health_check_logs.s3.prefix", AttrKind::kString},
    {"routing.http.desync_mitigation_mode", AttrKind::kEnum, 0, 0, "monitor defensive strictest"},
    {"routing.http.drop_invalid_header_fields.enabled", AttrKind::kBool},
    {"routing.http.preserve_host_header.enabled", AttrKind::kBool},
    {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", AttrKind::kBool},
    {"routing.http.xff_client_port.enabled", AttrKind::kBool},
    {"routing.http.xff_header_processing.mode", AttrKind::kEnum, 0, 0, "append preserve remove"},
    {"routing.http2.enabled", AttrKind::kBool},
    {"waf.fail_open.enabled", AttrKind::kBool},
};

constexpr std::string_view kNlbOnlyLoadBalancerAttributes[] = {
    "dns_record.client_routing_policy", "secondary_ips.auto_assigned.per_subnet",
    "tcp.idle_timeout.seconds"};

constexpr AttrSpec kTargetGroupAttributes[] = {
    {"deregistration_delay.timeout_seconds", AttrKind::kInt, 0, 3600},
    {"stickiness.enabled", AttrKind::kBool},
    {"stickiness.type", AttrKind::kEnum, 0, 0, "lb_cookie app_cookie"},
    {"stickiness.lb_cookie.duration_seconds", AttrKind::kInt, 1, 604800},
    {"stickiness.app_cookie.cookie_name", AttrKind::kCookieName},
    {"stickiness.app_cookie.duration_seconds", AttrKind::kInt, 1, 604800},
    {"slow_start.duration_seconds", AttrKind::kInt, 0, 900},
    {"load_balancing.algorithm.type", AttrKind::kEnum, 0, 0,
     "round_robin least_outstanding_requests weighted_random"},
    {"load_balancing.algorithm.anomaly_mitigation", AttrKind::kEnum, 0, 0, "on off"},
    {"load_balancing.cross_zone.enabled", AttrKind::kEnum, 0, 0,
     "true false use_load_balancer_configuration"},
    {"target_group_health.dns_failover.minimum_healthy_targets.count", AttrKind::kOffOrInt, 1,
     INT32_MAX},
    {"target_group_health.dns_failover.minimum_healthy_targets.percentage", AttrKind::kOffOrInt, 1,
     100},
    {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", AttrKind::kInt, 1,
     INT32_MAX},
    {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
     AttrKind::kOffOrInt, 1, 100},
    {"lambda.multi_value_headers.enabled", AttrKind::kBool},
};

constexpr std::string_view kNlbOnlyTargetGroupAttributes[] = {
    "deregistration_delay.connection_termination.enabled",
    "preserve_client_ip.enabled",
    "proxy_protocol_v2.enabled",
    "target_health_state.unhealthy.connection_termination.enabled",
    "target_health_state.unhealthy.draining_interval_seconds",
    "target_failover.on_deregistration",
    "target_failover.on_unhealthy"};

/// Warnings name the annotation and the offending item only (the whole value would not fit in
/// the 120 characters a warning keeps).
std::string ItemWarning(std::string_view suffix, const std::string& item) {
  return std::string(kAlbAnnotationPrefix) + std::string(suffix) + ": " + item;
}

bool IsAttributeKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_';
}

/// The accepted values of a kEnum spec (`values` is space-separated).
std::vector<std::string_view> EnumValues(std::string_view values) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < values.size()) {
    std::size_t end = values.find(' ', start);
    if (end == std::string_view::npos) end = values.size();
    out.push_back(values.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// S3 bucket naming rules (3-63 chars, [a-z0-9.-], starts/ends alnum, no "..", not an IP).
std::optional<std::string> BucketProblem(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return "must be 3-63 characters";
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return "may contain only lowercase letters, digits, '.' and '-'";
    }
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back()))
    return "must begin and end with a letter or digit";
  if (name.find("..") != std::string_view::npos) return "must not contain \"..\"";
  bool ip_like = std::all_of(name.begin(), name.end(),
                             [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
                 std::count(name.begin(), name.end(), '.') == 3;
  if (ip_like) return "must not be formatted as an IP address";
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (name.substr(0, prefix.size()) == prefix)
      return "must not start with " + std::string(prefix);
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3"}) {
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      return "must not end with " + std::string(suffix);
    }
  }
  return std::nullopt;
}

bool IsLegacyBucketName(std::string_view name) {
  return name.size() >= 3 && name.size() <= 255 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return common::IsAsciiAlnum(c) || c == '.' || c == '-' || c == '_';
         });
}

/// Problem with `value` for `spec`, nullopt when accepted. `warn_out` is set for soft problems.
std::optional<std::string> ValueProblem(const AttrSpec& spec, std::string_view value,
                                        bool& warn_out) {
  warn_out = false;
  switch (spec.kind) {
    case AttrKind::kBool:
      if (value == "true" || value == "false") return std::nullopt;
      if (value.size() == 4 || value.size() == 5) {
        if (common::EqualsIgnoreCase(value, "true") || common::EqualsIgnoreCase(value, "false")) {
          warn_out = true;
          return "use lowercase true/false";
        }
      }
      return "must be true or false";
    case AttrKind::kInt:
    case AttrKind::kOffOrInt: {
      if (spec.kind == AttrKind::kOffOrInt && value == "off") return std::nullopt;
      GoInt parsed = ParseGoInt(value, 64);
      bool digits_only = common::IsAllDigits(value);
      std::string range = spec.max == INT32_MAX ? "an integer >= " + std::to_string(spec.min)
                                                : "an integer in [" + std::to_string(spec.min) +
                                                      ", " + std::to_string(spec.max) + "]";
      if (spec.kind == AttrKind::kOffOrInt) range = "off or " + range;
      if (!digits_only || parsed.error != GoInt::Error::kNone || parsed.value < spec.min ||
          parsed.value > spec.max) {
        return "must be " + range;
      }
      return std::nullopt;
    }
    case AttrKind::kEnum: {
      const auto accepted = EnumValues(spec.values);
      if (std::find(accepted.begin(), accepted.end(), value) != accepted.end()) return std::nullopt;
      return "must be one of " + common::JoinList(accepted);
    }
    case AttrKind::kBucket:
      if (auto problem = BucketProblem(value)) {
        // Buckets created in us-east-1 before March 2018 may have such names (up to 255 of
        // letters, digits, '.', '-', '_'): such a bucket may exist, so only a warning.
        warn_out = IsLegacyBucketName(value);
        return "S3 bucket name " + *problem +
               (warn_out ? " (valid only for a legacy bucket created in us-east-1 before March "
                           "2018)"
                         : "");
      }
      return std::nullopt;
    case AttrKind::kLogPrefix:
      if (value.find("AWSLogs") != std::string_view::npos) return "must not contain AWSLogs";
      return std::nullopt;
    case AttrKind::kCookieName:
      if (value.empty()) return "must not be empty";
      if (value.substr(0, 6) == "AWSALB") {
        return "must not start with AWSALB (reserved: AWSALB, AWSALBAPP, AWSALBTG)";
      }
      return std::nullopt;
    case AttrKind::kString:
      return std::nullopt;
  }
  return std::nullopt;
}

const std::string* Find(const policy::StringMap& map, std::string_view key) {
  for (const auto& [k, v] : map) {
    if (k == key) return &v;
  }
  return nullptr;
}

/// Checks every attribute of the stringMap `raw` against `known`; returns the attributes when
/// `raw` parses (for the checks across attributes), nullopt when it is malformed.
template <std::size_t N, std::size_t M>
std::optional<policy::StringMap> CheckAttributes(std::string_view suffix, std::string_view raw,
                                                 const AttrSpec (&known)[N],
                                                 const std::string_view (&nlb_only)[M],
                                                 Verdict& verdict) {
  const std::string check(suffix);
  auto parsed = ParseStringMap(raw);
  if (!parsed) {
    verdict.Deny(check, AnnotationMessage(suffix, raw,
                                          "malformed; accepted: key=value pairs separated by "
                                          "commas (escape a comma in a value as \\,)"));
    return std::nullopt;
  }
  for (const auto& [key, value] : *parsed) {
    auto item = [&key = key, &value = value](const std::string& problem) {
      return "attribute " + key + "=" + QuoteValue(value) + ": " + problem;
    };
    if (key.size() > 256 || !std::all_of(key.begin(), key.end(), IsAttributeKeyChar)) {
      verdict.Deny(check, AnnotationMessage(suffix, raw,
                                            "attribute key " + QuoteValue(key) +
                                                " is malformed (accepted: [a-zA-Z0-9._]{1,256})"));
      continue;
    }
    if (value.size() > 1024) {
      verdict.Deny(check,
                   AnnotationMessage(suffix, raw, item("value longer than 1024 characters")));
      continue;
    }
    if (std::find(std::begin(nlb_only), std::end(nlb_only), key) != std::end(nlb_only)) {
      verdict.Deny(
          check, AnnotationMessage(suffix, raw,
                                   "attribute " + key + " exists only on Network Load Balancers"));
      continue;
    }
    if (key.rfind("routing.http.response.", 0) == 0 || key.rfind("routing.http.request.", 0) == 0) {
      verdict.Deny(check, AnnotationMessage(suffix, raw,
                                            "attribute " + key +
                                                " is a listener attribute; set it in "
                                                "listener-attributes.<Protocol>-<Port>"));
      continue;
    }
    const AttrSpec* spec = nullptr;
    for (const auto& candidate : known) {
      if (candidate.key == key) spec = &candidate;
    }
    if (spec == nullptr) {
      verdict.Warn(check, ItemWarning(suffix, "unknown attribute " + key));
      continue;
    }
    bool soft = false;
    if (auto problem = ValueProblem(*spec, value, soft)) {
      if (soft) {
        verdict.Warn(check, ItemWarning(suffix, key + "=" + QuoteValue(value, kWarningValueBytes) +
                                                    ": " + *problem));
      } else {
        verdict.Deny(check, AnnotationMessage(suffix, raw, item(*problem)));
      }
    }
  }
  return parsed;
}

bool IsTrue(const std::string* value) {
  return value != nullptr && (*value == "true" || *value == "TRUE" || *value == "True");
}

}  // namespace

void CheckLoadBalancerAttributes(std::string_view raw, Verdict& verdict) {
  constexpr std::string_view kSuffix = "load-balancer-attributes";
  const auto attrs = CheckAttributes(kSuffix, raw, kLoadBalancerAttributes,
                                     kNlbOnlyLoadBalancerAttributes, verdict);
  if (!attrs) return;
  for (std::string_view family : {"access_logs", "connection_logs", "health_check_logs"}) {
    std::string base = std::string(family) + ".s3.";
    const std::string* bucket = Find(*attrs, base + "bucket");
    // Attributes merge over the group and IngressClassParams: the bucket may be set there.
    if (IsTrue(Find(*attrs, base + "enabled")) && (bucket == nullptr || bucket->empty())) {
      verdict.Warn(std::string(kSuffix),
                   AnnotationMessage(kSuffix, raw,
                                     base + "enabled=true needs " + base +
                                         "bucket (unless IngressClassParams or a group member "
                                         "set it)"));
    }
  }
  if (const std::string* cross = Find(*attrs, "load_balancing.cross_zone.enabled");
      cross != nullptr && *cross == "false") {
    verdict.Warn(
        std::string(kSuffix),
        ItemWarning(kSuffix, "load_balancing.cross_zone.enabled=false: always on for an ALB"));
  }
}

void CheckTargetGroupAttributes(std::string_view raw, Verdict& verdict) {
  constexpr std::string_view kSuffix = "target-group-attributes";
  const auto attrs =
      CheckAttributes(kSuffix, raw, kTargetGroupAttributes, kNlbOnlyTargetGroupAttributes, verdict);
  if (!attrs) return;
  const std::string check(kSuffix);
  if (const std::string* slow = Find(*attrs, "slow_start.duration_seconds")) {
    GoInt v = ParseGoInt(*slow, 64);
    if (v.error == GoInt::Error::kNone && v.value > 0 && v.value < 30) {
      verdict.Deny(check, AnnotationMessage(kSuffix, raw,
                                            "slow_start.duration_seconds must be 0 or 30-900"));
    }
    const std::string* algo = Find(*attrs, "load_balancing.algorithm.type");
    if (v.error == GoInt::Error::kNone && v.value > 0 && algo != nullptr &&
        *algo == "least_outstanding_requests") {
      verdict.Deny(check, AnnotationMessage(
                              kSuffix, raw,
                              "slow start cannot be combined with least_outstanding_requests"));
    }
  }
  const std::string* type = Find(*attrs, "stickiness.type");
  if (IsTrue(Find(*attrs, "stickiness.enabled")) && type != nullptr && *type == "app_cookie" &&
      Find(*attrs, "stickiness.app_cookie.cookie_name") == nullptr) {
    verdict.Deny(check, AnnotationMessage(kSuffix, raw,
                                          "stickiness.type=app_cookie needs "
                                          "stickiness.app_cookie.cookie_name"));
  }
  const std::string* anomaly = Find(*attrs, "load_balancing.algorithm.anomaly_mitigation");
  const std::string* algo = Find(*attrs, "load_balancing.algorithm.type");
  if (anomaly != nullptr && *anomaly == "on" && (algo == nullptr || *algo != "weighted_random")) {
    verdict.Deny(check, AnnotationMessage(kSuffix, raw,
                                          "anomaly_mitigation=on needs "
                                          "load_balancing.algorithm.type=weighted_random"));
  }
}

}  // namespace albwebhook::rules
