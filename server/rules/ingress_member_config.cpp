// One IngressGroup member's configuration as the LBC's model builder reads it: each field from
// the member's IngressClassParams when they set it, else from its annotations
// (model_build_load_balancer*.go, model_build_listener.go, model_build_tags.go, model_builder.go).
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "common/aws_formats.hpp"
#include "rules/annotation_parsers.hpp"
#include "rules/ingress_group.hpp"

namespace albwebhook::rules {
namespace {

using nlohmann::json;

const json* Member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

/// A non-empty string member of `spec`.
std::optional<std::string> NonEmpty(const json& spec, std::string_view key) {
  const json* value = Member(spec, key);
  if (value == nullptr || !value->is_string() || value->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::vector<std::string> Strings(const json& spec, std::string_view key) {
  std::vector<std::string> out;
  const json* value = Member(spec, key);
  if (value == nullptr || !value->is_array()) return out;
  for (const json& item : *value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

/// [{key, value}] of the params (tags, loadBalancerAttributes).
StringMapSorted KeyValues(const json& spec, std::string_view key) {
  StringMapSorted out;
  const json* value = Member(spec, key);
  if (value == nullptr || !value->is_array()) return out;
  for (const json& item : *value) {
    const json* k = Member(item, "key");
    const json* v = Member(item, "value");
    if (k != nullptr && k->is_string() && v != nullptr && v->is_string()) {
      out[k->get<std::string>()] = v->get<std::string>();
    }
  }
  return out;
}

/// The alb.ingress.kubernetes.io suffixes a member's configuration reads, sorted (binary search).
constexpr std::array<std::string_view, 42> kSuffixes = {
    "certificate-arn",
    "create-acm-cert",
    "customer-owned-ipv4-pool",
    "enable-frontend-nlb",
    "frontend-nlb-attributes",
    "frontend-nlb-eip-allocations",
    "frontend-nlb-healthcheck-healthy-threshold-count",
    "frontend-nlb-healthcheck-interval-seconds",
    "frontend-nlb-healthcheck-path",
    "frontend-nlb-healthcheck-port",
    "frontend-nlb-healthcheck-protocol",
    "frontend-nlb-healthcheck-success-codes",
    "frontend-nlb-healthcheck-timeout-seconds",
    "frontend-nlb-healthcheck-unhealthy-threshold-count",
    "frontend-nlb-listener-port-mapping",
    "frontend-nlb-scheme",
    "frontend-nlb-security-groups",
    "frontend-nlb-subnets",
    "frontend-nlb-tags",
    "group.name",
    "group.order",
    "inbound-cidrs",
    "ip-address-type",
    "ipam-ipv4-pool-id",
    "listen-ports",
    "load-balancer-attributes",
    "load-balancer-name",
    "manage-backend-security-group-rules",
    "minimum-load-balancer-capacity",
    "mutual-authentication",
    "scheme",
    "security-group-prefix-lists",
    "security-groups",
    "shield-advanced-protection",
    "ssl-policy",
    "ssl-redirect",
    "subnets",
    "tags",
    "waf-acl-id",
    "wafv2-acl-arn",
    "wafv2-acl-name",
    "web-acl-id",
};

static_assert(std::is_sorted(kSuffixes.begin(), kSuffixes.end()), "kSuffixes: sorted");
static_assert(std::adjacent_find(kSuffixes.begin(), kSuffixes.end()) == kSuffixes.end(),
              "kSuffixes: no repeats");

/// A suffix of kSuffixes by its index, found at compile time from the literal naming it (a
/// literal that is not in kSuffixes does not compile).
class Suffix {
 public:
  template <std::size_t N>
  consteval Suffix(const char (&name)[N])  // NOLINT(google-explicit-constructor): literals
      : index_(Find(std::string_view(name, N - 1))) {}
  constexpr std::size_t index() const { return index_; }

 private:
  static consteval std::size_t Find(std::string_view name) {
    for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
      if (kSuffixes[i] == name) return i;
    }
    throw "not one of kSuffixes";  // not a constant expression: a compile error
  }
  std::size_t index_;
};

/// The index in kSuffixes of a suffix read from an annotation key, if it is one: by its length,
/// then a compare with each suffix of that length (at most 4; each member's every annotation
/// is looked up, and so is each of the candidate's on every request).
std::optional<std::size_t> SuffixIndex(std::string_view suffix) {
  constexpr std::size_t kLongest = 50;
  static const auto by_length = [] {
    std::array<std::vector<std::uint8_t>, kLongest + 1> out;
    for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
      out[kSuffixes[i].size()].push_back(static_cast<std::uint8_t>(i));
    }
    return out;
  }();
  static_assert(std::all_of(kSuffixes.begin(), kSuffixes.end(),
                            [](std::string_view s) { return s.size() <= kLongest; }),
                "kLongest: the longest suffix");
  if (suffix.size() > kLongest) return std::nullopt;
  for (const std::uint8_t i : by_length[suffix.size()]) {
    if (kSuffixes[i] == suffix) return i;
  }
  return std::nullopt;
}

/// A member's annotations and params, read once: each annotation the configuration needs is
/// found by one pass over the member's annotations (a group may have a thousand members).
class Reader {
 public:
  Reader(const cluster::Object& ingress, const ClassConfig& klass)
      : spec_(klass.params != nullptr ? klass.params->spec() : kEmpty) {
    const json* annotations = Member(ingress.metadata(), "annotations");
    if (annotations == nullptr || !annotations->is_object()) return;
    for (const auto& [key, value] : annotations->items()) {
      if (value.is_string()) Add(key, value.get_ref<const std::string&>());
    }
  }
  Reader(const IngressView& view, const ClassConfig& klass)
      : spec_(klass.params != nullptr ? klass.params->spec() : kEmpty), view_(&view) {
    auto it = view.annotations.lower_bound(kAlbAnnotationPrefix);
    for (; it != view.annotations.end() && it->first.starts_with(kAlbAnnotationPrefix); ++it) {
      Add(it->first, it->second);
    }
  }

  const std::string* Alb(Suffix suffix) const { return values_[suffix.index()]; }
  /// Params string `field` when set, else annotation `suffix` when present.
  std::optional<std::string> Either(std::string_view field, Suffix suffix) const {
    if (auto value = NonEmpty(spec_, field)) return value;
    const std::string* raw = Alb(suffix);
    return raw != nullptr ? std::optional<std::string>(*raw) : std::nullopt;
  }
  std::optional<StringMapSorted> AnnotationMap(Suffix suffix) const {
    StringMapSorted out;
    const std::string* raw = Alb(suffix);
    if (raw == nullptr) return out;
    std::optional<policy::StringMap> own;
    const auto& parsed = view_ != nullptr ? view_->StringMap(*raw) : (own = ParseStringMap(*raw));
    if (!parsed) return std::nullopt;
    for (auto& [k, v] : *parsed) out[k] = v;  // a repeated key keeps its last value
    return out;
  }
  const json& spec() const { return spec_; }
  /// ParseStringList / ParseListenPorts of `raw`, each parsed once per request for a candidate
  /// (the view's memo: its annotation checks and LocalEffective parsed them already).
  std::vector<std::string> List(const std::string& raw) const {
    return view_ != nullptr ? view_->StringList(raw) : ParseStringList(raw);
  }
  std::optional<std::map<std::int64_t, std::string>> Ports(const std::string& raw) const {
    ListenPortsResult own;
    const ListenPortsResult& parsed =
        view_ != nullptr ? view_->ListenPorts(raw) : (own = ParseListenPorts(raw));
    if (!parsed.error.empty()) return std::nullopt;
    std::map<std::int64_t, std::string> ports;
    for (const ListenPort& p : parsed.ports) ports[p.port] = p.protocol;
    return ports;
  }

  /// listener-attributes.<Protocol>-<Port> annotations: "<Protocol>-<Port>" and the value.
  const std::vector<std::pair<std::string_view, const std::string*>>& ListenerAttributes() const {
    return listener_attributes_;
  }

  void Add(std::string_view key, const std::string& value) {
    if (!key.starts_with(kAlbAnnotationPrefix)) return;
    key.remove_prefix(kAlbAnnotationPrefix.size());
    if (key.starts_with(kListenerAttributes)) {
      listener_attributes_.emplace_back(key.substr(kListenerAttributes.size()), &value);
      return;
    }
    if (auto i = SuffixIndex(key)) values_[*i] = &value;
  }

  /// Everything the configuration is read from besides the member's name and group.order: the
  /// values of the annotations it reads (length-prefixed) and which params apply.
  std::string Inputs(const ClassConfig& klass) const {
    constexpr std::size_t kOrder = Suffix("group.order").index();
    // Built once per member and per request: written into one buffer sized for the most it
    // takes (a number has at most 20 digits), then cut to length.
    std::size_t size = 21;
    for (const std::string* value : values_) size += value != nullptr ? value->size() + 44 : 0;
    for (const auto& [listener, value] : listener_attributes_) {
      size += listener.size() + value->size() + 44;
    }
    std::string out(size, '\0');
    char* at = out.data();
    char* const end = at + out.size();
    auto number = [&at, end](std::uintmax_t n) { at = std::to_chars(at, end, n).ptr; };
    auto text = [&at](std::string_view s) {
      std::memcpy(at, s.data(), s.size());
      at += s.size();
    };
    number(reinterpret_cast<std::uintptr_t>(klass.params));
    *at++ = ';';
    for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
      if (values_[i] == nullptr || i == kOrder) continue;
      number(i);
      *at++ = ':';
      number(values_[i]->size());
      *at++ = ':';
      text(*values_[i]);
    }
    for (const auto& [listener, value] : listener_attributes_) {
      *at++ = 'L';
      number(listener.size());
      *at++ = ':';
      text(listener);
      number(value->size());
      *at++ = ':';
      text(*value);
    }
    out.resize(static_cast<std::size_t>(at - out.data()));
    return out;
  }

 private:
  static constexpr std::string_view kListenerAttributes = "listener-attributes.";
  static inline const json kEmpty = json::object();
  const json& spec_;
  const IngressView* view_ = nullptr;  // the candidate's view (its parse memo), else nullptr
  std::array<const std::string*, kSuffixes.size()> values_{};
  std::vector<std::pair<std::string_view, const std::string*>> listener_attributes_;
};

void ReadLoadBalancer(const Reader& r, MemberConfig& m) {
  if (const json* group = Member(r.spec(), "group"); group != nullptr && group->is_object()) {
    m.group = NonEmpty(*group, "name").value_or("");
  } else if (const std::string* name = r.Alb("group.name")) {
    m.group = *name;
  }
  m.scheme = r.Either("scheme", "scheme");
  m.ip_address_type = r.Either("ipAddressType", "ip-address-type");
  m.lb_name = r.Either("loadBalancerName", "load-balancer-name");
  if (const std::string* pool = r.Alb("customer-owned-ipv4-pool"); pool && !pool->empty()) {
    m.coip_pool = *pool;
  }
  const json* selector = Member(r.spec(), "subnets");
  if (selector != nullptr && !selector->is_null()) {
    m.subnet_source = MemberConfig::Subnets::kParams;
    m.subnet_selector = *selector;
  } else if (const std::string* subnets = r.Alb("subnets")) {
    m.subnet_source = MemberConfig::Subnets::kAnnotation;
    m.subnets = ParseStringList(*subnets);
  }
  if (const std::string* groups = r.Alb("security-groups")) {
    m.security_groups = ParseStringList(*groups);
  }
  if (const std::string* shield = r.Alb("shield-advanced-protection")) {
    m.shield = ParseGoBool(*shield);
    m.shield_unreadable = !m.shield.has_value();
  }
}

void ReadAddOnsAndTags(const Reader& r, MemberConfig& m) {
  m.wafv2_name = NonEmpty(r.spec(), "wafv2AclName");
  if (!m.wafv2_name) {
    if (const std::string* name = r.Alb("wafv2-acl-name"); name && !name->empty()) {
      m.wafv2_name = *name;
    }
  }
  m.wafv2_arn = r.Either("wafv2AclArn", "wafv2-acl-arn");
  const std::string* classic = r.Alb("waf-acl-id");
  if (classic == nullptr) classic = r.Alb("web-acl-id");
  if (classic != nullptr && !classic->empty()) m.waf_classic = *classic;
  m.tags = r.AnnotationMap("tags");
  if (m.tags) {
    for (auto& [k, v] : KeyValues(r.spec(), "tags")) (*m.tags)[k] = v;  // params win per key
  }
  m.lb_attributes = r.AnnotationMap("load-balancer-attributes");
  m.params_lb_attributes = KeyValues(r.spec(), "loadBalancerAttributes");
  if (auto port = NonEmpty(r.spec(), "sslRedirectPort")) {
    GoInt parsed = ParseGoInt(*port, 32);
    if (parsed.error == GoInt::Error::kNone) {
      m.ssl_redirect = parsed.value;
    } else {
      m.ssl_redirect_disabled = true;
    }
  } else if (const std::string* redirect = r.Alb("ssl-redirect")) {
    GoInt parsed = ParseGoInt(*redirect, 32);
    m.ssl_redirect_unreadable = parsed.error != GoInt::Error::kNone;
    if (!m.ssl_redirect_unreadable) m.ssl_redirect = parsed.value;
  }
}

std::optional<std::map<std::int64_t, std::string>> ReadPorts(const Reader& r,
                                                             const MemberConfig& m) {
  if (const std::string* raw = r.Alb("listen-ports")) return r.Ports(*raw);
  std::map<std::int64_t, std::string> ports;
  if (m.certificate_arns.empty()) {
    // create-acm-cert (behind a controller feature gate) may make the default HTTPS: unknown.
    const std::string* create = r.Alb("create-acm-cert");
    if (create != nullptr && ParseGoBool(*create).value_or(false)) return std::nullopt;
    ports[80] = "HTTP";
  } else {
    ports[443] = "HTTPS";
  }
  return ports;
}

void ReadListeners(const Reader& r, MemberConfig& m) {
  m.certificate_arns = Strings(r.spec(), "certificateArn");
  if (m.certificate_arns.empty()) {
    if (const std::string* certs = r.Alb("certificate-arn")) {
      m.certificate_arns = r.List(*certs);
    }
  }
  m.ports = ReadPorts(r, m);
  std::vector<std::string> cidrs = Strings(r.spec(), "inboundCIDRs");
  if (cidrs.empty()) {
    if (const std::string* raw = r.Alb("inbound-cidrs")) cidrs = ParseStringList(*raw);
  }
  m.inbound_cidrs.emplace();
  for (const std::string& cidr : cidrs) {
    if (!common::IsValidCidr(cidr)) {
      m.inbound_cidrs.reset();
      break;
    }
    (cidr.find(':') != std::string::npos ? m.inbound_cidrs->second : m.inbound_cidrs->first)
        .insert(cidr);
  }
  std::vector<std::string> prefix_lists = Strings(r.spec(), "prefixListsIDs");
  if (prefix_lists.empty()) prefix_lists = Strings(r.spec(), "PrefixListsIDs");
  if (prefix_lists.empty()) {
    if (const std::string* raw = r.Alb("security-group-prefix-lists")) {
      prefix_lists = ParseStringList(*raw);
    }
  }
  m.prefix_lists.insert(prefix_lists.begin(), prefix_lists.end());
  m.ssl_policy = r.Either("sslPolicy", "ssl-policy");
}

/// model_build_ipam.go, model_build_load_balancer_capacity_reservation.go and
/// buildManageSecurityGroupRulesFlag: values the first member's params settle for the group (or
/// a controller flag), merged over the members' annotations.
void ReadGroupSettings(const Reader& r, MemberConfig& m) {
  if (const json* ipam = Member(r.spec(), "ipamConfiguration"); ipam != nullptr) {
    const json* pool = Member(*ipam, "ipv4IPAMPoolId");
    m.params_ipam_pool = pool != nullptr && pool->is_string();
  }
  if (const std::string* pool = r.Alb("ipam-ipv4-pool-id"); pool && !pool->empty()) {
    m.ipam_pool = *pool;
  }
  const json* capacity = Member(r.spec(), "minimumLoadBalancerCapacity");
  m.params_capacity = capacity != nullptr && capacity->is_object();
  m.capacity = r.AnnotationMap("minimum-load-balancer-capacity");
  if (const std::string* raw = r.Alb("mutual-authentication")) {
    if (auto parsed = ParseMutualAuthentication(*raw)) m.mtls = std::move(*parsed);
  }
  if (const std::string* raw = r.Alb("manage-backend-security-group-rules")) {
    m.manage_sg_rules = ParseGoBool(*raw);
  }
}

/// model_build_listener.go: each listener's attributes from the member's
/// listener-attributes.<Protocol>-<Port> annotation (one that does not parse is left out: the
/// LBC fails on it with another error), and the params' spec.listeners[].listenerAttributes (the
/// first entry of each protocol and port).
void ReadListenerAttributes(const Reader& r, MemberConfig& m) {
  for (const auto& [listener, raw] : r.ListenerAttributes()) {
    if (auto parsed = ParseStringMap(*raw)) {
      StringMapSorted& attributes = m.listener_attributes[std::string(listener)];
      for (auto& [k, v] : *parsed) attributes[k] = v;
    }
  }
  const json* listeners = Member(r.spec(), "listeners");
  if (listeners == nullptr || !listeners->is_array()) return;
  for (const json& listener : *listeners) {
    const json* protocol = Member(listener, "protocol");
    const json* port = Member(listener, "port");
    if (protocol == nullptr || !protocol->is_string() || port == nullptr ||
        !port->is_number_integer()) {
      continue;
    }
    const std::string name =
        protocol->get<std::string>() + "-" + std::to_string(port->get<std::int64_t>());
    if (!m.params_listener_attributes.contains(name)) {
      m.params_listener_attributes[name] = KeyValues(listener, "listenerAttributes");
    }
  }
}

/// The frontend NLB's listeners of one member and the health-check fields it sets
/// (buildFrontendNlbListenerConfigByPortForIngress, buildFrontendNlbTargetGroupHealthCheckConfig).
void ReadFrontendNlbListeners(const Reader& r, MemberConfig& m) {
  MemberConfig::FrontendNlb& nlb = m.frontend_nlb;
  if (m.ports) {
    std::map<std::int64_t, std::int64_t> listeners;
    bool known = true;
    if (r.Alb("frontend-nlb-listener-port-mapping") != nullptr) {
      const auto mapping = r.AnnotationMap("frontend-nlb-listener-port-mapping");
      known = mapping.has_value();
      for (const auto& [nlb_port, alb_port] : mapping.value_or(StringMapSorted{})) {
        const GoInt from = ParseGoInt(nlb_port, 32), to = ParseGoInt(alb_port, 32);
        if (from.error != GoInt::Error::kNone || to.error != GoInt::Error::kNone) {
          known = false;  // "invalid NLB/ALB listener port": the LBC fails on it
          break;
        }
        // Only ALB ports the member listens on (others are skipped with a log line).
        if (m.ports->contains(to.value)) listeners[from.value] = to.value;
      }
      if (known && mapping->empty()) {
        for (const auto& [port, protocol] : *m.ports) listeners[port] = port;
      }
    } else {
      for (const auto& [port, protocol] : *m.ports) listeners[port] = port;
    }
    if (known) nlb.listeners = std::move(listeners);
  }
  auto set = [&](Suffix suffix, const char* field, auto&& value_of) {
    const std::string* raw = r.Alb(suffix);
    if (raw == nullptr) return;
    std::optional<std::string> value = value_of(*raw);
    if (value) nlb.health_check.emplace(field, std::move(*value));
  };
  auto int32 = [](const std::string& raw) -> std::optional<std::string> {
    const GoInt parsed = ParseGoInt(raw, 32);
    if (parsed.error != GoInt::Error::kNone) return std::nullopt;
    return std::to_string(parsed.value);
  };
  auto text = [](const std::string& raw) -> std::optional<std::string> { return raw; };
  // intstr.Parse: a number is a port, traffic-port stays a name; another name fails the build.
  set("frontend-nlb-healthcheck-port", "Port", [&int32](const std::string& raw) {
    return raw == "traffic-port" ? std::optional<std::string>(raw) : int32(raw);
  });
  set("frontend-nlb-healthcheck-protocol", "Protocol",
      [](const std::string& raw) -> std::optional<std::string> {
        if (raw == "HTTP" || raw == "HTTPS") return raw;
        return std::nullopt;
      });
  set("frontend-nlb-healthcheck-path", "Path", text);
  set("frontend-nlb-healthcheck-success-codes", "Matcher", text);
  set("frontend-nlb-healthcheck-interval-seconds", "IntervalSeconds", int32);
  set("frontend-nlb-healthcheck-timeout-seconds", "TimeoutSeconds", int32);
  set("frontend-nlb-healthcheck-healthy-threshold-count", "HealthyThresholdCount", int32);
  set("frontend-nlb-healthcheck-unhealthy-threshold-count", "UnhealthyThresholdCount", int32);
}

/// The frontend NLB's group-wide settings, as buildFrontendNlb* read each member's annotations.
void ReadFrontendNlb(const Reader& r, MemberConfig& m) {
  MemberConfig::FrontendNlb& nlb = m.frontend_nlb;
  if (const std::string* raw = r.Alb("enable-frontend-nlb")) nlb.enable = ParseGoBool(*raw);
  if (const std::string* raw = r.Alb("frontend-nlb-scheme")) nlb.scheme = *raw;
  if (const std::string* raw = r.Alb("frontend-nlb-subnets")) nlb.subnets = ParseStringList(*raw);
  if (const std::string* raw = r.Alb("frontend-nlb-security-groups")) {
    nlb.security_groups = ParseStringList(*raw);
  }
  if (const std::string* raw = r.Alb("frontend-nlb-eip-allocations")) {
    nlb.eip_allocations = ParseStringList(*raw);
  }
  nlb.has_attributes = r.Alb("frontend-nlb-attributes") != nullptr;
  if (nlb.has_attributes) nlb.attributes = r.AnnotationMap("frontend-nlb-attributes");
  if (r.Alb("frontend-nlb-tags") != nullptr) {
    if (auto tags = r.AnnotationMap("frontend-nlb-tags")) nlb.tags = std::move(*tags);
  }
  ReadFrontendNlbListeners(r, m);
}

std::int64_t Order(const Reader& r) {
  if (const std::string* order = r.Alb("group.order")) {
    GoInt parsed = ParseGoInt(*order, 32);
    if (parsed.error == GoInt::Error::kNone) return parsed.value;
  }
  return 0;
}

MemberConfig Read(std::string key, const Reader& r, const ClassConfig& klass) {
  MemberConfig m;
  m.key = std::move(key);
  m.params = klass.params;
  m.order = Order(r);
  ReadLoadBalancer(r, m);
  ReadAddOnsAndTags(r, m);
  ReadListeners(r, m);
  ReadGroupSettings(r, m);
  ReadListenerAttributes(r, m);
  ReadFrontendNlb(r, m);
  return m;
}

bool HasDefaultBackend(const IngressView& view) {
  return std::any_of(view.backends.begin(), view.backends.end(),
                     [](const IngressBackend& b) { return !b.in_rule_path; });
}

}  // namespace

MemberConfig ReadMember(const cluster::Object& ingress, const ClassConfig& klass) {
  MemberConfig m = Read(ingress.namespace_ + "/" + ingress.name, Reader(ingress, klass), klass);
  const json* backend = Member(ingress.spec(), "defaultBackend");
  m.default_backend = backend != nullptr && backend->is_object();
  return m;
}

CandidateMember ReadMember(const IngressView& view, const ClassConfig& klass,
                           const GroupMembers* group, std::size_t* equal_set) {
  if (equal_set != nullptr) *equal_set = GroupMembers::npos;
  const Reader reader(view, klass);
  CandidateMember candidate;
  candidate.key.reserve(view.ns.size() + 1 + view.name.size());
  candidate.key.append(view.ns).append(1, '/').append(view.name);
  candidate.order = Order(reader);
  candidate.default_backend = HasDefaultBackend(view);
  if (group != nullptr && !group->by_inputs.empty()) {
    // A member with the same inputs has the configuration the candidate would get, but for its
    // name, group.order and default backend: shared, not read again nor copied (most members of a
    // group share their load balancer's annotations, and an update mostly leaves them unchanged).
    auto same = group->by_inputs.find(reader.Inputs(klass));
    if (same != group->by_inputs.end()) {
      if (equal_set != nullptr) *equal_set = same->second;
      candidate.shared = &group->members[same->second];
      return candidate;
    }
  }
  MemberConfig& own = candidate.own.emplace(Read(candidate.key, reader, klass));
  own.default_backend = candidate.default_backend;
  return candidate;
}

std::string CandidateGroupName(const IngressView& view, const ClassConfig& klass) {
  // As ReadLoadBalancer sets MemberConfig::group, then ExplicitGroupName.
  if (klass.params != nullptr) {
    if (const json* group = Member(klass.params->spec(), "group");
        group != nullptr && group->is_object()) {
      std::string name = NonEmpty(*group, "name").value_or("");
      return IsValidGroupName(name) ? name : "";
    }
  }
  const std::string* name = view.Alb("group.name");
  return name != nullptr && IsValidGroupName(*name) ? *name : "";
}

std::string MemberInputs(const cluster::Object& ingress, const ClassConfig& klass) {
  return Reader(ingress, klass).Inputs(klass);
}

bool IsValidGroupName(std::string_view name) {
  // group_loader.go: ^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$, at most 63 characters.
  if (name.empty() || name.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto inner = [&alnum](char c) { return alnum(c) || c == '-' || c == '.'; };
  return alnum(name.front()) && alnum(name.back()) && std::all_of(name.begin(), name.end(), inner);
}

std::string ExplicitGroupName(const MemberConfig& member) {
  return member.group && IsValidGroupName(*member.group) ? *member.group : "";
}

std::string GoList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : " ") + items[i];
  return out + "]";
}

}  // namespace albwebhook::rules
