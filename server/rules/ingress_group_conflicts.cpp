// The "conflicting ..." errors of the LBC's IngressGroup model build, between the candidate and
// the other members: each denial keeps the LBC's words and names the other member ("ns/name")
// with both values. Conflicts among the other members alone are not the candidate's doing. The
// members are judged in group order (one per set of equal inputs); each kind of conflict is
// reported once.
#include <algorithm>
#include <unordered_map>

#include "rules/ingress_group.hpp"

namespace albwebhook::rules {
namespace {

using Scalar = std::optional<std::string> MemberConfig::*;

bool IsWaf(const std::optional<std::string>& value) {
  return value && !value->empty() && *value != "none";
}

/// Set-valued merges (sets.String of every explicit value): two different values conflict.
void ScalarConflict(const MemberConfig& c, const MemberConfig& o, Scalar field, const char* core,
                    ConflictReporter& r) {
  if ((c.*field) && (o.*field) && *(c.*field) != *(o.*field)) {
    r.Versus(core, *(c.*field), *(o.*field), o);
  }
}

bool EmptyMember(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() || it->empty();
}

/// cmp.Equal of two SubnetSelectors, absent and empty members alike.
bool SameSelector(const nlohmann::json& a, const nlohmann::json& b) {
  for (const char* key : {"ids", "tags"}) {
    bool a_empty = !a.is_object() || EmptyMember(a, key);
    bool b_empty = !b.is_object() || EmptyMember(b, key);
    if (a_empty != b_empty) return false;
    if (!a_empty && a.at(key) != b.at(key)) return false;
  }
  return true;
}

std::string SubnetSource(const MemberConfig& m) {
  if (m.subnet_source == MemberConfig::Subnets::kParams) {
    return "IngressClassParams " + m.params->name + " subnets " + m.subnet_selector.dump();
  }
  return "annotation " + GoList(m.subnets);
}

std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

void SubnetConflict(const MemberConfig& c, const MemberConfig& o, ConflictReporter& r) {
  using S = MemberConfig::Subnets;
  if (c.subnet_source == S::kNone || o.subnet_source == S::kNone) return;
  if (o.subnet_source != c.subnet_source) {
    r.Versus("conflicting subnet specifications: IngressClassParams versus annotation",
             SubnetSource(c), SubnetSource(o), o);
  } else if (c.subnet_source == S::kParams && !SameSelector(c.subnet_selector, o.subnet_selector)) {
    r.Versus("conflicting IngressClassParams subnet specifications", SubnetSource(c),
             SubnetSource(o), o);
  } else if (c.subnet_source == S::kAnnotation && Sorted(c.subnets) != Sorted(o.subnets)) {
    r.Versus("conflicting subnets", GoList(c.subnets), GoList(o.subnets), o);
  }
}

void SecurityGroupConflict(const MemberConfig& c, const MemberConfig& o, ConflictReporter& r) {
  if (c.security_groups && o.security_groups && *c.security_groups != *o.security_groups) {
    r.Versus("conflicting securityGroups", GoList(*c.security_groups), GoList(*o.security_groups),
             o);
  }
}

/// Per-key map merges (tags; load balancer attributes unless `resolved` has the key).
void MapConflict(const std::optional<StringMapSorted>& mine,
                 const std::optional<StringMapSorted>& theirs, const MemberConfig& o,
                 const std::string& core, const StringMapSorted& resolved, ConflictReporter& r) {
  if (!mine || !theirs) return;
  for (const auto& [key, value] : *mine) {
    auto it = theirs->find(key);
    if (it != theirs->end() && it->second != value && resolved.count(key) == 0) {
      r.Versus(core + " " + key, value, it->second, o);
    }
  }
}

/// Go's %v of a map[string]string: "map[k1:v1 k2:v2]" (keys sorted).
std::string GoMap(const StringMapSorted& items) {
  std::string out = "map[";
  for (auto it = items.begin(); it != items.end(); ++it) {
    out += (it == items.begin() ? "" : " ") + it->first + ":" + it->second;
  }
  return out + "]";
}

/// IPv4 IPAM pool and minimum capacity: the first member's params, when they set one, settle it
/// for the group; else the members' annotations merge. Capacity reservation is behind the
/// LBCapacityReservation feature gate (on by default): its conflict is a warning.
void FirstParamsConflicts(const MemberConfig& c, const MemberConfig& o, const MemberConfig& first,
                          ConflictReporter& r) {
  if (!first.params_ipam_pool && c.ipam_pool && o.ipam_pool && *c.ipam_pool != *o.ipam_pool) {
    r.Versus("conflicting ipv4 ipam pools", *c.ipam_pool, *o.ipam_pool, o);
  }
  if (first.params_capacity || !c.capacity || !o.capacity) return;
  for (const auto& [key, value] : *c.capacity) {
    auto it = o.capacity->find(key);
    if (it != o.capacity->end() && it->second != value) {
      r.VersusWarning("conflicting capacity reservation " + key, value, it->second, o);
    }
  }
}

void ShieldConflict(const MemberConfig& c, const MemberConfig& o, ConflictReporter& r) {
  if (c.shield && o.shield && *c.shield != *o.shield) {
    r.Versus("conflicting enable shield advanced protection", *c.shield ? "true" : "false",
             *o.shield ? "true" : "false", o);
  }
}

/// Judges the candidate against each member in group order; conflicts that depend on the whole
/// group (WAFv2 ARNs, the ssl-redirect port) are settled once every member was seen.
class GroupJudge {
 public:
  GroupJudge(const CandidateMember& candidate, Verdict& verdict)
      : candidate_(candidate), c_(candidate.config()), reporter_(verdict) {
    NoteFrontendNlb(c_);
    any_name_ = c_.wafv2_name.has_value();
    any_disabled_ = c_.ssl_redirect_disabled;
    outcome_.ssl_redirect = c_.ssl_redirect.has_value();
  }

  void Visit(const MemberConfig& o, bool first) {
    if (first) NoteFirst(o);
    ScalarConflict(c_, o, &MemberConfig::lb_name, "conflicting load balancer name", reporter_);
    ScalarConflict(c_, o, &MemberConfig::scheme, "conflicting scheme", reporter_);
    ScalarConflict(c_, o, &MemberConfig::ip_address_type, "conflicting IPAddressType", reporter_);
    SubnetConflict(c_, o, reporter_);
    SecurityGroupConflict(c_, o, reporter_);
    ScalarConflict(c_, o, &MemberConfig::coip_pool, "conflicting CustomerOwnedIPv4Pool", reporter_);
    MapConflict(c_.lb_attributes, o.lb_attributes, o, "conflicting load balancer attributes",
                *resolved_, reporter_);
    MapConflict(c_.tags, o.tags, o, "conflicting tag", {}, reporter_);
    ScalarConflict(c_, o, &MemberConfig::wafv2_name, "conflicting WAFv2 WebACL names", reporter_);
    ScalarConflict(c_, o, &MemberConfig::waf_classic, "conflicting WAFClassic WebACL IDs",
                   reporter_);
    ShieldConflict(c_, o, reporter_);
    FirstParamsConflicts(c_, o, *first_, reporter_);
    ListenPortConflicts(candidate_, o, reporter_);
    ListenerAttributeConflicts(o);
    FrontendNlbConflicts(o);
    Defer(o);
    Settle(o);
  }

  /// A member with the candidate's inputs: its configuration equals the candidate's but for name
  /// and order, so no comparison of Visit can find a conflict. What the member settles is still
  /// noted: the group's first member, the first member on each listen port, its frontend NLB
  /// setting and what it adds to the shared ALB; and equal success codes on a shared NLB
  /// listener, a warning even when equal (FrontendNlbConflicts, which finds nothing else).
  void VisitEqual(const MemberConfig& o, bool first) {
    if (first) NoteFirst(o);
    if (o.ports) {
      for (const auto& [port, protocol] : *o.ports) {
        FirstOnPort(port, o, c_.ports && c_.ports->contains(port));
      }
    }
    FrontendNlbConflicts(o);
    Settle(o);
  }

  GroupOutcome Finish() {
    // WAFv2 ARNs count only when no member names an ACL; a params sslRedirectPort that does not
    // parse disables the redirect of the whole group.
    if (!any_name_ && arn_conflict_) arn_conflict_->Flush(reporter_);
    if (!any_disabled_ && redirect_conflict_) redirect_conflict_->Flush(reporter_);
    // buildManageSecurityGroupRulesFlag runs only when the group's ALB takes the security-groups
    // annotation's groups (a non-empty list); otherwise the LBC manages the groups and never
    // compares the members' flags.
    if (manage_conflict_ && (any_security_groups_ || HasSecurityGroups(c_))) {
      manage_conflict_->Flush(reporter_);
    }
    outcome_.has_waf =
        any_waf_ || IsWaf(c_.waf_classic) ||
        (any_name_ ? any_named_waf_ || IsWaf(c_.wafv2_name) : any_arn_waf_ || IsWaf(c_.wafv2_arn));
    outcome_.ssl_redirect = outcome_.ssl_redirect && !any_disabled_;
    // The frontend NLB is built (and its settings merged) only when the members that set
    // enable-frontend-nlb all say true.
    if (nlb_true_ && !nlb_false_) {
      for (const Pending& conflict : nlb_conflicts_) conflict.Flush(reporter_);
      for (auto& [kind, message] : nlb_messages_) reporter_.Report(kind, std::move(message));
      if (!nlb_absent_.empty()) reporter_.Warn("frontend NLB attributes", std::move(nlb_absent_));
      if (!nlb_matcher_warning_.empty()) {
        reporter_.Warn("frontend NLB success codes", std::move(nlb_matcher_warning_));
      }
    }
    return std::move(outcome_);
  }

 private:
  struct Pending {
    std::string core, mine, theirs, other;
    void Flush(ConflictReporter& r) const {
      r.Report(core, ConflictReporter::Text(core, mine, theirs, other));
    }
  };

  /// The group's first member (the candidate or `o`, the first member visited): its params
  /// attributes settle attribute conflicts.
  void NoteFirst(const MemberConfig& o) {
    first_ = Before(candidate_, o) ? &c_ : &o;
    resolved_ = &first_->params_lb_attributes;
  }

  /// The first member in group order listening on `port`, noting `o` (and the candidate, when it
  /// listens there too) on first sight of the port.
  const MemberConfig& FirstOnPort(std::int64_t port, const MemberConfig& o,
                                  bool candidate_listens) {
    // A scan of the few ports seen so far; an index past 16 (members may list thousands of
    // ports, and a scan per port and member would be quadratic).
    if (first_on_port_.size() <= 16) {
      for (const auto& [seen, member] : first_on_port_) {
        if (seen == port) return *member;
      }
    } else {
      if (first_on_port_index_.empty()) {
        first_on_port_index_.insert(first_on_port_.begin(), first_on_port_.end());
      }
      auto found = first_on_port_index_.find(port);
      if (found != first_on_port_index_.end()) return *found->second;
    }
    const MemberConfig* first = candidate_listens && Before(candidate_, o) ? &c_ : &o;
    first_on_port_.emplace_back(port, first);
    if (!first_on_port_index_.empty()) first_on_port_index_.emplace(port, first);
    return *first;
  }

  static bool HasSecurityGroups(const MemberConfig& m) {
    return m.security_groups && !m.security_groups->empty();
  }

  void Defer(const MemberConfig& o) {
    if (!manage_conflict_ && c_.manage_sg_rules && o.manage_sg_rules &&
        *c_.manage_sg_rules != *o.manage_sg_rules) {
      manage_conflict_ = Pending{"conflicting manage backend security group rules settings",
                                 *c_.manage_sg_rules ? "true" : "false",
                                 *o.manage_sg_rules ? "true" : "false", o.key};
    }
    if (!arn_conflict_ && c_.wafv2_arn && o.wafv2_arn && *c_.wafv2_arn != *o.wafv2_arn) {
      arn_conflict_ = Pending{"conflicting WAFv2 WebACL ARNs", *c_.wafv2_arn, *o.wafv2_arn, o.key};
    }
    if (!redirect_conflict_ && c_.ssl_redirect && o.ssl_redirect &&
        *c_.ssl_redirect != *o.ssl_redirect) {
      redirect_conflict_ = Pending{"conflicting sslRedirect port", std::to_string(*c_.ssl_redirect),
                                   std::to_string(*o.ssl_redirect), o.key};
    }
  }

  /// buildIngressGroupListenerAttributes, per listener both listen on with one protocol: the
  /// attributes of the first member in group order on that port (ingList[0]) settle a key its
  /// params set; any other key with two values fails.
  void ListenerAttributeConflicts(const MemberConfig& o) {
    if (!o.ports) return;
    for (const auto& [port, protocol] : *o.ports) {
      auto mine_port =
          c_.ports ? c_.ports->find(port) : std::map<std::int64_t, std::string>::const_iterator();
      const bool candidate_listens = c_.ports && mine_port != c_.ports->end();
      const MemberConfig& first = FirstOnPort(port, o, candidate_listens);
      if (!candidate_listens || mine_port->second != protocol) continue;
      const std::string name = protocol + "-" + std::to_string(port);
      auto mine = c_.listener_attributes.find(name);
      auto theirs = o.listener_attributes.find(name);
      if (mine == c_.listener_attributes.end() || theirs == o.listener_attributes.end()) continue;
      const auto& settled = first.params_listener_attributes;
      auto params = settled.find(name);
      for (const auto& [key, value] : mine->second) {
        auto it = theirs->second.find(key);
        if (it == theirs->second.end() || it->second == value) continue;
        if (params != settled.end() && params->second.contains(key)) continue;
        reporter_.Versus("conflicting listener attributes " + key, value, it->second, o);
      }
    }
  }

  void NoteFrontendNlb(const MemberConfig& m) {
    if (m.frontend_nlb.enable) (*m.frontend_nlb.enable ? nlb_true_ : nlb_false_) = true;
  }

  /// model_build_frontend_nlb.go: enable-frontend-nlb always; the NLB's scheme, subnets (any
  /// order), security groups (in order) and tags once the group builds the NLB (Finish).
  void FrontendNlbConflicts(const MemberConfig& o) {
    NoteFrontendNlb(o);
    const MemberConfig::FrontendNlb& mine = c_.frontend_nlb;
    const MemberConfig::FrontendNlb& theirs = o.frontend_nlb;
    auto yes_no = [](bool value) { return std::string(value ? "true" : "false"); };
    if (mine.enable && theirs.enable && *mine.enable != *theirs.enable) {
      reporter_.Versus("conflicting enable frontend NLB values", yes_no(*mine.enable),
                       yes_no(*theirs.enable), o);
    }
    auto defer = [this, &o](const std::string& core, std::string a, std::string b) {
      for (const Pending& p : nlb_conflicts_) {
        if (p.core == core) return;
      }
      nlb_conflicts_.push_back(Pending{core, std::move(a), std::move(b), o.key});
    };
    if (mine.scheme && theirs.scheme && *mine.scheme != *theirs.scheme) {
      defer("frontend NLB: conflicting scheme", *mine.scheme, *theirs.scheme);
    }
    if (mine.subnets && theirs.subnets && Sorted(*mine.subnets) != Sorted(*theirs.subnets)) {
      defer("frontend NLB: conflicting subnets", GoList(*mine.subnets), GoList(*theirs.subnets));
    }
    if (mine.security_groups && theirs.security_groups &&
        *mine.security_groups != *theirs.security_groups) {
      defer("frontend NLB: conflicting securityGroups", GoList(*mine.security_groups),
            GoList(*theirs.security_groups));
    }
    if (mine.tags && theirs.tags && *mine.tags != *theirs.tags) {
      defer("conflicting frontend NLB tags", GoMap(*mine.tags), GoMap(*theirs.tags));
    }
    FrontendNlbAttributes(o, defer);
    FrontendNlbEipConflicts(o, defer);
    FrontendNlbListenerConflicts(o, defer);
  }

  /// buildFrontendNlbSubnetMappings / validateEIPAllocations across two members: EIP lists that
  /// differ (any order), EIPs on an NLB another member makes internal, and EIPs not one per
  /// subnet of the other member's frontend-nlb-subnets. (With no member setting the NLB's
  /// scheme, the controller's --default-load-balancer-scheme decides: not judged.)
  template <typename Defer>
  void FrontendNlbEipConflicts(const MemberConfig& o, const Defer& defer) {
    const MemberConfig::FrontendNlb& mine = c_.frontend_nlb;
    const MemberConfig::FrontendNlb& theirs = o.frontend_nlb;
    if (mine.eip_allocations && theirs.eip_allocations &&
        Sorted(*mine.eip_allocations) != Sorted(*theirs.eip_allocations)) {
      defer("all EIP allocations for the ingress group must be the same",
            GoList(*mine.eip_allocations), GoList(*theirs.eip_allocations));
    }
    // One member's EIPs against the other's setting (each member's own pair is judged
    // object-local). The candidate's own scheme, when set, is judged as a scheme conflict.
    auto across = [&](const MemberConfig::FrontendNlb& with, const MemberConfig::FrontendNlb& other,
                      const std::string& eips_of, const std::string& setting_of) {
      if (!with.eip_allocations) return;
      const std::string eips =
          eips_of + " sets frontend-nlb-eip-allocations " + GoList(*with.eip_allocations);
      if (!with.scheme && other.scheme && *other.scheme == "internal") {
        const std::string core =
            "EIP allocations can only be set for internet facing load balancers";
        nlb_messages_.emplace_back(
            core, core + ": " + eips + " and " + setting_of + " sets frontend-nlb-scheme internal");
      }
      if (!with.subnets && other.subnets && other.subnets->size() != with.eip_allocations->size()) {
        const std::string core = "count of EIP allocations (" +
                                 std::to_string(with.eip_allocations->size()) + ") and subnets (" +
                                 std::to_string(other.subnets->size()) + ") must match";
        nlb_messages_.emplace_back(core, core + ": " + eips + " and " + setting_of +
                                             " sets frontend-nlb-subnets " +
                                             GoList(*other.subnets));
      }
    };
    across(mine, theirs, "this Ingress", o.key);
    across(theirs, mine, o.key, "this Ingress");
  }

  /// mergeFrontendNlbListenPortConfigs, per NLB listener port both members have: the ALB port it
  /// forwards to, and each health-check field both set. Two members' success codes are compared
  /// by pointer (HealthCheckMatcher holds *string): even equal ones conflict, a warning.
  template <typename Defer>
  void FrontendNlbListenerConflicts(const MemberConfig& o, const Defer& defer) {
    const MemberConfig::FrontendNlb& mine = c_.frontend_nlb;
    const MemberConfig::FrontendNlb& theirs = o.frontend_nlb;
    if (!mine.listeners || !theirs.listeners) return;
    for (const auto& [port, target] : *mine.listeners) {
      auto other = theirs.listeners->find(port);
      if (other == theirs.listeners->end()) continue;
      // Built only for a conflict (most shared ports have none).
      const std::int64_t nlb_port = port;  // (clang 14 cannot capture a structured binding)
      auto head = [nlb_port] {
        return "failed to merge NLB listenPort config for port: " + std::to_string(nlb_port) + ": ";
      };
      if (target != other->second) {
        defer(head() + "conflicting Target Port", std::to_string(target),
              std::to_string(other->second));
      }
      for (const auto& [field, value] : mine.health_check) {
        auto their = theirs.health_check.find(field);
        if (their == theirs.health_check.end()) continue;
        if (value != their->second) {
          defer(head() + "conflicting " + field, value, their->second);
        } else if (field == "Matcher" && nlb_matcher_warning_.empty()) {
          nlb_matcher_warning_ =
              "frontend NLB listener port " + std::to_string(port) + ": this Ingress and " + o.key +
              " both set frontend-nlb-healthcheck-success-codes (" + value +
              "); the LBC compares the two by reference, not value, and fails with conflicting "
              "Matcher; set it on one member only";
        }
      }
    }
  }

  /// getFrontendNlbAttributes: the first member (in group order) with the annotation chooses the
  /// attributes, and every later member must have equal ones. Both present and different: a
  /// denial. A later member without the annotation also fails there (go-cmp tells a nil map from
  /// a non-nil one), which is surprising enough to be a warning until seen in a cluster.
  template <typename Defer>
  void FrontendNlbAttributes(const MemberConfig& o, const Defer& defer) {
    const MemberConfig::FrontendNlb& mine = c_.frontend_nlb;
    const MemberConfig::FrontendNlb& theirs = o.frontend_nlb;
    if (mine.has_attributes && theirs.has_attributes) {
      if (mine.attributes && theirs.attributes && *mine.attributes != *theirs.attributes) {
        defer("conflicting frontend NLB attributes", GoMap(*mine.attributes),
              GoMap(*theirs.attributes));
      }
      return;
    }
    if (mine.has_attributes == theirs.has_attributes) return;  // neither sets them
    const MemberConfig::FrontendNlb& with = mine.has_attributes ? mine : theirs;
    const std::string& with_key = mine.has_attributes ? candidate_.key : o.key;
    const std::string& without_key = mine.has_attributes ? o.key : candidate_.key;
    const bool with_first = mine.has_attributes ? Before(candidate_, o) : Before(o, candidate_);
    if (!with.attributes || !with_first || nlb_absent_warned_) return;
    nlb_absent_warned_ = true;
    // Kept under kMaxWarningChars for short names: the LBC compares every later member's
    // attributes with the first ones set (getFrontendNlbAttributes).
    nlb_absent_ = "frontend NLB: " + without_key + " has no frontend-nlb-attributes but " +
                  with_key + ", earlier in the group, sets " + GoMap(*with.attributes) +
                  ": the LBC fails with conflicting frontend NLB attributes; set the same value on "
                  "every member";
  }

  /// What the member contributes to the shared ALB.
  void Settle(const MemberConfig& o) {
    any_name_ = any_name_ || o.wafv2_name.has_value();
    any_disabled_ = any_disabled_ || o.ssl_redirect_disabled;
    any_named_waf_ = any_named_waf_ || IsWaf(o.wafv2_name);
    any_arn_waf_ = any_arn_waf_ || IsWaf(o.wafv2_arn);
    any_waf_ = any_waf_ || IsWaf(o.waf_classic);
    any_security_groups_ = any_security_groups_ || HasSecurityGroups(o);
    outcome_.ssl_redirect = outcome_.ssl_redirect || o.ssl_redirect.has_value();
    if (!outcome_.scheme && o.scheme) outcome_.scheme = o.scheme;
  }

  const CandidateMember& candidate_;
  const MemberConfig& c_;  // the candidate's configuration (not its key, order, default backend)
  ConflictReporter reporter_;
  const MemberConfig* first_ = nullptr;  // the group's first member (set by the first Visit)
  /// ListenerAttributeConflicts: per listen port seen, its first member (a member listens on a
  /// few ports: a scan).
  std::vector<std::pair<std::int64_t, const MemberConfig*>> first_on_port_;
  std::unordered_map<std::int64_t, const MemberConfig*> first_on_port_index_;  // past 16 ports
  const StringMapSorted* resolved_ = &kNoAttributes;  // the first member's params attributes
  static inline const StringMapSorted kNoAttributes;
  GroupOutcome outcome_;
  bool any_name_ = false, any_disabled_ = false;
  bool any_named_waf_ = false, any_arn_waf_ = false, any_waf_ = false;
  bool any_security_groups_ = false;  // a member's security-groups is a non-empty list
  std::optional<Pending> arn_conflict_, redirect_conflict_, manage_conflict_;
  bool nlb_true_ = false, nlb_false_ = false;  // enable-frontend-nlb values seen
  std::vector<Pending> nlb_conflicts_;         // flushed when the group builds the NLB
  std::vector<std::pair<std::string, std::string>> nlb_messages_;  // (kind, denial), likewise
  bool nlb_absent_warned_ = false;
  std::string nlb_absent_;           // FrontendNlbAttributes' warning, given when the NLB is built
  std::string nlb_matcher_warning_;  // FrontendNlbListenerConflicts' warning, likewise
};

}  // namespace

void ConflictReporter::Report(const std::string& kind, std::string message) {
  if (done_.insert(kind).second) verdict_.Deny("ingress-group", std::move(message));
}

std::string ConflictReporter::Text(const std::string& core, const std::string& mine,
                                   const std::string& theirs, const std::string& other) {
  return core + ": " + mine + " (this Ingress) vs " + theirs + " (" + other + ")";
}

void ConflictReporter::Versus(const std::string& core, const std::string& mine,
                              const std::string& theirs, const MemberConfig& other) {
  Report(core, Text(core, mine, theirs, other.key));
}

void ConflictReporter::Warn(const std::string& kind, std::string message) {
  if (done_.insert(kind).second) verdict_.Warn("ingress-group", std::move(message));
}

void ConflictReporter::VersusWarning(const std::string& core, const std::string& mine,
                                     const std::string& theirs, const MemberConfig& other) {
  Warn(core, Text(core, mine, theirs, other.key));
}

namespace {

/// buildListenerDefaultActions: on each listen port, the members listening there that set
/// spec.defaultBackend give the listener its default action, and more than one fails the group
/// ("multiple ingress defined default backend: [ns/a ns/b]", the members in group order). Not on
/// an HTTP listener when the group redirects to HTTPS (its default action is the redirect).
/// Every member counts, not one per set of equal inputs: the default backend is not an input.
/// `replaced`: the index of the candidate's old version (npos: none).
void DefaultBackendConflict(const CandidateMember& candidate, const GroupMembers& group,
                            std::size_t replaced, bool ssl_redirect, Verdict& verdict) {
  const MemberConfig& c = candidate.config();
  if (!c.ports) return;
  for (const auto& [port, protocol] : *c.ports) {
    if (ssl_redirect && protocol == "HTTP") continue;
    std::vector<const std::string*> on_port;  // the keys, in group order
    bool placed = false;
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      const MemberConfig& m = group.members[i];
      if (i == replaced || !m.default_backend || !m.ports || !m.ports->contains(port)) continue;
      if (!placed && Before(candidate, m)) {
        on_port.push_back(&candidate.key);
        placed = true;
      }
      on_port.push_back(&m.key);
    }
    if (on_port.empty()) continue;
    if (!placed) on_port.push_back(&candidate.key);
    std::vector<std::string> keys;
    keys.reserve(on_port.size());
    for (const std::string* key : on_port) keys.push_back(*key);
    verdict.Deny("ingress-group", "multiple ingress defined default backend: " + GoList(keys));
    return;  // the LBC stops at the first listener that fails
  }
}

}  // namespace

GroupOutcome JudgeGroup(const CandidateMember& candidate, const GroupMembers& group,
                        Verdict& verdict, std::size_t equal_set) {
  GroupJudge judge(candidate, verdict);
  // The candidate's old version (same "ns/name") is not one of the others. The first member of
  // each set of equal inputs stands for the set (it comes first in group order, so it is the
  // one a report would name); when that is the candidate's old version, the next of its set.
  const auto old = group.index.find(candidate.key);
  const bool replaced = old != group.index.end();
  std::vector<std::size_t> visit;
  visit.reserve(group.representatives.size());
  for (std::size_t i : group.representatives) {
    if (replaced && i == old->second) i = group.next_same[i];
    if (i != GroupMembers::npos) visit.push_back(i);
  }
  std::sort(visit.begin(), visit.end());  // a replacement may come later in group order
  bool first = true;
  for (std::size_t i : visit) {
    if (equal_set != GroupMembers::npos && group.same_as[i] == equal_set) {
      judge.VisitEqual(group.members[i], first);
    } else {
      judge.Visit(group.members[i], first);
    }
    first = false;
  }
  GroupOutcome outcome = judge.Finish();
  if (candidate.default_backend) {
    DefaultBackendConflict(candidate, group, replaced ? old->second : GroupMembers::npos,
                           outcome.ssl_redirect, verdict);
  }
  const std::string_view own_ns =
      std::string_view(candidate.key).substr(0, candidate.key.find('/'));
  outcome.namespaces.reserve(group.namespaces.size());
  for (const auto& [ns, count] : group.namespaces) {
    if (count > (replaced && ns == own_ns ? 1 : 0)) outcome.namespaces.push_back(ns);
  }
  return outcome;
}

}  // namespace albwebhook::rules
