// Warnings for values that are valid to the LBC's parsers but cannot be what the author meant:
//
// - Unrendered template placeholders in the subnet and security-group annotations. The LBC looks
//   an item that is not an ID up as a Name tag, and EC2 tag values may hold any character, so a
//   placeholder is not a denial: it fails (or matches nothing) only at reconcile. The set is kept
//   conservative, to flag what no real Name tag would be: `${...}` (shell, envsubst, Terraform),
//   `{{...}}` (Helm, Jinja, Go templates), a whole item in `<...>` (documentation), `$(...)` (shell
//   substitution), and REPLACE_ME / REPLACEME / CHANGE_ME / CHANGEME in any case. Items that start
//   with the ID prefix (`subnet-xxxxxxxx`, `sg-XXXX`) are denied by the ID checks already.
// - An HTTPS listen-port with no certificate source on this Ingress: the LBC takes certificates
//   from certificate-arn, from IngressClassParams certificateArn, from a certificate it creates
//   (create-acm-cert), or discovers them in ACM by the hosts of spec.rules and spec.tls
//   (model_build_listener.go: computeIngressListenPortConfigByPort); a listener shared with other
//   IngressGroup members also gets theirs. With none of the local sources it is a warning that
//   says where the certificate could still come from.
#include <algorithm>
#include <array>

#include "common/json_access.hpp"
#include "common/text.hpp"
#include "rules/ingress_annotation_check.hpp"
#include "rules/ingress_rule_checks.hpp"

namespace albwebhook::rules {
namespace {

using common::JsonMember;
using nlohmann::json;

struct NameTagAnnotation {
  std::string_view suffix;
  std::string_view id_prefix;  // items starting with it are IDs (checked elsewhere)
  std::string_view kind;
};
constexpr std::array<NameTagAnnotation, 4> kNameTagAnnotations = {{
    {"subnets", "subnet-", "subnet"},
    {"security-groups", "sg-", "security group"},
    {"frontend-nlb-subnets", "subnet-", "subnet"},
    {"frontend-nlb-security-groups", "sg-", "security group"},
}};

bool LooksLikePlaceholder(std::string_view item) {
  if (item.find("${") != std::string_view::npos || item.find("{{") != std::string_view::npos ||
      item.find("}}") != std::string_view::npos || item.find("$(") != std::string_view::npos) {
    return true;
  }
  if (item.size() >= 3 && item.front() == '<' && item.back() == '>') return true;
  std::string lower = common::ToLowerAscii(item);
  for (std::string_view marker : {"replace_me", "replaceme", "change_me", "changeme"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

void CheckPlaceholders(const IngressView& view, Verdict& verdict) {
  for (const auto& annotation : kNameTagAnnotations) {
    const std::string* value = view.Alb(annotation.suffix);
    if (value == nullptr) continue;
    for (const auto& item : ParseStringList(*value)) {
      if (item.rfind(annotation.id_prefix, 0) == 0 || !LooksLikePlaceholder(item)) continue;
      verdict.Warn(AlbAnnotationCheckName(annotation.suffix),
                   std::string(kAlbAnnotationPrefix) + std::string(annotation.suffix) + ": item " +
                       QuoteValue(item, kWarningValueBytes) +
                       " looks like an unrendered template placeholder (read as a " +
                       std::string(annotation.kind) + " Name tag)");
    }
  }
}

/// A host in spec.rules or spec.tls that ACM discovery could use.
bool HasDiscoveryHost(const json& object) {
  const json* spec = JsonMember(object, "spec");
  if (spec == nullptr) return false;
  auto non_empty_string = [](const json* value) {
    return value != nullptr && value->is_string() && !value->get_ref<const std::string&>().empty();
  };
  if (const json* rules = JsonMember(*spec, "rules"); rules != nullptr && rules->is_array()) {
    for (const auto& rule : *rules) {
      if (non_empty_string(JsonMember(rule, "host"))) return true;
    }
  }
  if (const json* tls = JsonMember(*spec, "tls"); tls != nullptr && tls->is_array()) {
    for (const auto& entry : *tls) {
      const json* hosts = JsonMember(entry, "hosts");
      if (hosts == nullptr || !hosts->is_array()) continue;
      for (const auto& host : *hosts) {
        if (non_empty_string(&host)) return true;
      }
    }
  }
  return false;
}

void CheckHttpsCertificateSource(const IngressView& view, const json& object, Verdict& verdict) {
  // The cheap lookups first: most Ingresses with HTTPS name a certificate.
  const std::string* arns = view.Alb("certificate-arn");
  if (arns != nullptr && !ParseStringList(*arns).empty()) return;
  const std::string* create = view.Alb("create-acm-cert");
  if (create != nullptr && ParseGoBool(*create).value_or(false)) return;
  if (view.Alb("listen-ports") == nullptr) return;  // the default is HTTPS only with a certificate
  auto listeners = GetEffectiveListeners(view);
  if (!listeners) return;  // malformed: reported by the listen-ports check
  auto https = std::find_if(listeners->ports.begin(), listeners->ports.end(),
                            [](const ListenPort& p) { return p.protocol == "HTTPS"; });
  if (https == listeners->ports.end() || HasDiscoveryHost(object)) return;
  verdict.Warn("listen-ports",
               "HTTPS:" + std::to_string(https->port) +
                   " has no certificate-arn or host for ACM discovery; IngressClassParams or "
                   "another group member may supply one");
}

}  // namespace

void CheckIngressConfigHints(const IngressView& view, const json& object, Verdict& verdict) {
  CheckPlaceholders(view, verdict);
  CheckHttpsCertificateSource(view, object, verdict);
}

}  // namespace albwebhook::rules
