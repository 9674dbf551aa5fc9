// IngressGroups with the cluster view: each member's configuration as the LBC builds it
// (IngressClassParams merged over annotations, params win), membership and order as
// pkg/ingress/group_loader.go, and the "conflicting ..." errors of the LBC's group model build.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/rule.hpp"
#include "rules/ingress_checks.hpp"
#include "rules/ingress_class_config.hpp"

namespace albwebhook::rules {

using StringMapSorted = std::map<std::string, std::string, std::less<>>;

/// One Ingress's share of its ALB, as the LBC computes it for that member. nullopt fields: not
/// set; `unreadable` flags: the value does not parse (the LBC fails on it with another error, so
/// it is left out of conflict judgement).
struct MemberConfig {
  std::string key;  // "ns/name"
  std::int64_t order = 0;
  const cluster::Object* params = nullptr;  // the IngressClassParams applied, if any
  std::optional<std::string> group;         // explicit group name (params win over group.name)

  std::optional<std::string> scheme, ip_address_type, lb_name, coip_pool;
  std::optional<std::string> wafv2_name, wafv2_arn, waf_classic;
  std::optional<bool> shield;
  bool shield_unreadable = false;
  enum class Subnets { kNone, kParams, kAnnotation } subnet_source = Subnets::kNone;
  std::vector<std::string> subnets;  // annotation list (kAnnotation)
  nlohmann::json subnet_selector;    // params spec.subnets (kParams)
  std::optional<std::vector<std::string>> security_groups;
  std::optional<StringMapSorted> tags;  // params tags over annotation tags; nullopt: unreadable
  std::optional<StringMapSorted> lb_attributes;  // annotation only; nullopt: unreadable
  StringMapSorted params_lb_attributes;          // params loadBalancerAttributes
  std::optional<std::int64_t> ssl_redirect;
  bool ssl_redirect_unreadable = false;  // annotation does not parse
  bool ssl_redirect_disabled = false;    // params sslRedirectPort does not parse: no redirect
  std::optional<std::map<std::int64_t, std::string>> ports;  // port -> protocol; nullopt: unknown
  std::optional<std::pair<std::set<std::string>, std::set<std::string>>> inbound_cidrs;  // v4, v6
  std::set<std::string> prefix_lists;
  std::optional<std::string> ssl_policy;
  std::vector<std::string> certificate_arns;
  // Settled by the group's first member's params when they set them, else merged.
  std::optional<std::string> ipam_pool;     // ipam-ipv4-pool-id (non-empty)
  bool params_ipam_pool = false;            // params spec.ipamConfiguration.ipv4IPAMPoolId set
  std::optional<StringMapSorted> capacity;  // minimum-load-balancer-capacity; nullopt: unreadable
  bool params_capacity = false;             // params spec.minimumLoadBalancerCapacity set
  /// "<Protocol>-<Port>" -> listener attributes: annotations, params (spec.listeners).
  std::map<std::string, StringMapSorted, std::less<>> listener_attributes;
  std::map<std::string, StringMapSorted, std::less<>> params_listener_attributes;
  /// mutual-authentication per listen port (HTTPS listeners use it); absent or unreadable: none.
  std::map<std::int64_t, MtlsAttributes> mtls;
  /// The frontend NLB annotations the group merges (model_build_frontend_nlb.go); absent or
  /// unreadable: nullopt.
  struct FrontendNlb {
    std::optional<bool> enable;
    std::optional<std::string> scheme;
    std::optional<std::vector<std::string>> subnets, security_groups, eip_allocations;
    std::optional<StringMapSorted> tags;
    bool has_attributes = false;                // frontend-nlb-attributes present
    std::optional<StringMapSorted> attributes;  // nullopt: absent or unreadable
    /// NLB listener port -> the ALB listen port it forwards to
    /// (buildFrontendNlbListenerConfigByPortForIngress: frontend-nlb-listener-port-mapping's
    /// entries whose ALB port the member listens on, else each ALB listen port to itself);
    /// nullopt: unknown (listen ports or the mapping do not parse).
    std::optional<std::map<std::int64_t, std::int64_t>> listeners;
    /// The frontend-nlb-healthcheck-* fields the member sets, by mergeFrontendNlbListenPortConfigs'
    /// names ("Port", "Protocol", "Path", "Matcher", "IntervalSeconds", ...) with their values as
    /// compared; a value that does not parse is left out (the LBC fails on it with another error).
    std::map<std::string, std::string, std::less<>> health_check;
  } frontend_nlb;
  std::optional<bool> manage_sg_rules;  // manage-backend-security-group-rules; nullopt: absent or
                                        // unreadable
  /// spec.defaultBackend is set (an object). Not one of MemberInputs: the candidate's is
  /// CandidateMember::default_backend.
  bool default_backend = false;
};

/// `ingress` (an Ingress doc as the view holds it) read with its class configuration.
MemberConfig ReadMember(const cluster::Object& ingress, const ClassConfig& klass);
struct GroupMembers;

/// The candidate of a request as a member of its group: its own name, group.order and default
/// backend, and the configuration it gets. That configuration is its own (read) or, when a
/// member of the group has the candidate's MemberInputs, that member's, shared and not copied:
/// equal but for the member's key, order and default_backend, which never stand for the
/// candidate's (use the fields here).
struct CandidateMember {
  std::string key;  // "ns/name"
  std::int64_t order = 0;
  bool default_backend = false;          // spec.defaultBackend is set
  const MemberConfig* shared = nullptr;  // a member's configuration (in the group), or nullptr
  std::optional<MemberConfig> own;       // the candidate's own, when `shared` is nullptr

  const MemberConfig& config() const { return shared != nullptr ? *shared : *own; }
};

/// The candidate of a request, read from its annotations (after defaults); sharing the
/// configuration of the member of `group` (when given) whose MemberInputs equal the candidate's
/// (`group` must then outlive the result).
/// `equal_set` (when given): the index in `group` of the first member of the set whose inputs the
/// candidate has (GroupMembers::same_as), npos when the candidate's configuration was read.
CandidateMember ReadMember(const IngressView& view, const ClassConfig& klass,
                           const GroupMembers* group = nullptr, std::size_t* equal_set = nullptr);
/// The explicit group the candidate joins: ExplicitGroupName(ReadMember(view, klass)).
std::string CandidateGroupName(const IngressView& view, const ClassConfig& klass);

/// group_loader.go validateGroupName.
bool IsValidGroupName(std::string_view name);
/// The explicit group of a member ("" for an implicit group or an invalid name: it joins none).
std::string ExplicitGroupName(const MemberConfig& member);

/// What a member's configuration is read from besides its name and group.order (annotation
/// values and params): two members with equal inputs conflict alike with any candidate.
std::string MemberInputs(const cluster::Object& ingress, const ClassConfig& klass);

/// One IngressGroup as a snapshot holds it, each member's configuration read once.
struct GroupMembers {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<MemberConfig> members;  // active members, in group order (group.order, "ns/name")
  /// Per member: the index of the first member with the same MemberInputs (itself if none).
  std::vector<std::size_t> same_as;
  /// The first member of each set of equal MemberInputs, in group order; and per member, the
  /// next member of its set (npos for the last). JudgeGroup visits one member per set.
  std::vector<std::size_t> representatives;
  std::vector<std::size_t> next_same;
  /// MemberInputs -> the first member with them (a candidate with equal inputs has an equal
  /// configuration but for its name and group.order).
  std::map<std::string, std::size_t, std::less<>> by_inputs;
  /// The members' namespaces in order of first appearance, with their member counts.
  std::vector<std::pair<std::string, std::size_t>> namespaces;
  /// Per member: the listener rules it gives the ALB (CheckGroupRuleCount), when the group
  /// does not / does redirect HTTP to HTTPS; and their sums over the members.
  std::vector<std::pair<std::size_t, std::size_t>> rules;
  std::size_t rules_total = 0, rules_total_redirect = 0;
  /// "ns/name" -> index in `members`.
  std::map<std::string, std::size_t, std::less<>> index;
  /// What buildSSLRedirectConfig reads of the members, counted (GroupRedirectError): members per
  /// redirect port, with a redirect disabled (params port that does not parse), with a redirect
  /// annotation that does not parse, with unknown listen ports; per listen port, the members
  /// listening with HTTPS and with another protocol.
  struct RedirectCounts {
    std::map<std::int64_t, std::size_t> redirect_ports;
    std::size_t disabled = 0, unreadable = 0, unknown_ports = 0;
    std::map<std::int64_t, std::pair<std::size_t, std::size_t>> listeners;  // (HTTPS, other)
    void Add(const MemberConfig& m);
  } redirect;
};

/// buildSSLRedirectConfig over `group` without `without` (its old version, when given) and with
/// `with` (the candidate, when given): "" when the group has no redirect or its port is an HTTPS
/// listener of the group, else the LBC's error; nullopt when it cannot be told here (a member's
/// listen ports unknown, a redirect annotation that does not parse, redirect ports or a port's
/// protocols in conflict: other errors). From the group's counts: no walk over the members.
std::optional<std::string> GroupRedirectError(const GroupMembers& group,
                                              const MemberConfig* without,
                                              const MemberConfig* with);

/// The listener rules `member` with `paths` rule paths gives the ALB: when the group does not /
/// does redirect HTTP to HTTPS.
std::pair<std::size_t, std::size_t> MemberRules(const MemberConfig& member, std::size_t paths);

/// The members of `group` in the snapshot `cluster`: active (not being deleted), ours by
/// `policy`, with a class the view resolves. Built once per snapshot and policy scope (the
/// membership index of the whole snapshot on the first call, each group on its first call) and
/// kept with the snapshot; a name no Ingress asks for costs a lookup and is not kept.
/// `deleting`, when given, is set to the Ingresses being deleted that still hold `group`'s
/// finalizer (the group's inactive members, group_loader.go), in no particular order, whatever
/// their class; valid while `cluster` lives.
std::shared_ptr<const GroupMembers> LoadGroup(
    const cluster::ClusterState& cluster, const policy::IngressPolicy& policy,
    std::string_view group, const std::vector<const cluster::Object*>** deleting = nullptr);

/// The LBC refuses to reconcile a group while an inactive member being deleted has
/// deletion_protection.enabled=true in its load-balancer-attributes (model_builder.go): a warning
/// naming each such member of `deleting` (LoadGroup's), since the candidate is not at fault. The
/// candidate's own old version (`candidate_key`, "ns/name") is not judged: the request replaces
/// it.
void CheckDeletingMembers(const std::vector<const cluster::Object*>& deleting,
                          const std::string& group, const std::string& candidate_key,
                          Verdict& verdict);

/// What the whole group settles for the candidate's ALB.
struct GroupOutcome {
  std::optional<std::string> scheme;    // the first explicit scheme of another member
  bool has_waf = false;                 // a WAF (not "none") on the shared ALB
  bool ssl_redirect = false;            // the group redirects HTTP to HTTPS
  std::vector<std::string> namespaces;  // of the other members
};

/// Every "conflicting ..." error the LBC would raise between `candidate` and another member of
/// `group` (denials naming the other member and both values). The candidate's old version (same
/// "ns/name") is not one of the others: the candidate replaces it. Members with the inputs of one
/// already judged are not judged again (they would raise the same errors, later in order).
/// `equal_set`: ReadMember's; the members of that set have the candidate's configuration but for
/// name and order, so every comparison with them finds equal values and is skipped (what they
/// settle for the group is still counted). npos: every visited member is compared.
GroupOutcome JudgeGroup(const CandidateMember& candidate, const GroupMembers& group,
                        Verdict& verdict, std::size_t equal_set = static_cast<std::size_t>(-1));

/// AWS's default quota of listener rules per Application Load Balancer, default rules excluded
/// (adjustable in Service Quotas).
inline constexpr std::size_t kAlbRuleQuota = 100;

/// The listener rules of the candidate's ALB as the LBC creates them (buildListenerRules: one
/// per path of every member, on each listen port of that member, none on HTTP listeners when the
/// group redirects to HTTPS), against kAlbRuleQuota: a warning, since the quota may have been
/// raised and the LBC's rule optimizer may drop rules that a redirect action overshadows.
/// Members whose listen ports do not parse count for none.
void CheckGroupRuleCount(const CandidateMember& candidate, std::size_t candidate_paths,
                         const GroupMembers& group, bool ssl_redirect, Verdict& verdict);

/// The conflicts of one pair, each kind reported once per request (GroupConflicts below).
class ConflictReporter {
 public:
  explicit ConflictReporter(Verdict& verdict) : verdict_(verdict) {}
  /// Denies `message` unless a finding of kind `kind` was reported already.
  void Report(const std::string& kind, std::string message);
  /// "<core>: <mine> (this Ingress) vs <theirs> (<other>)"
  void Versus(const std::string& core, const std::string& mine, const std::string& theirs,
              const MemberConfig& other);
  /// Warns `message` unless a finding of kind `kind` was reported already.
  void Warn(const std::string& kind, std::string message);
  /// Versus as a warning (a conflict the LBC raises only with a controller feature gate on).
  void VersusWarning(const std::string& core, const std::string& mine, const std::string& theirs,
                     const MemberConfig& other);
  /// "<core>: <mine> (this Ingress) vs <theirs> (<other>)"
  static std::string Text(const std::string& core, const std::string& mine,
                          const std::string& theirs, const std::string& other);

 private:
  Verdict& verdict_;
  std::set<std::string> done_;
};

/// The per-listen-port merge (model_builder.go mergeListenPortConfigs) of one pair: protocol,
/// inbound-cidrs, inbound-prefix-lists and sslPolicy of every port both listen on.
void ListenPortConflicts(const CandidateMember& candidate, const MemberConfig& other,
                         ConflictReporter& reporter);

/// Group order: group.order, then "ns/name" (of members and of the candidate alike).
template <class A, class B>
requires requires(const A& a, const B& b) {
  a.order < b.order;
  a.key < b.key;
}
inline bool Before(const A& a, const B& b) {
  return a.order != b.order ? a.order < b.order : a.key < b.key;
}

/// Go's %v of a []string: "[a b c]".
std::string GoList(const std::vector<std::string>& items);

}  // namespace albwebhook::rules
