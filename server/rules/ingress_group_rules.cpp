// The listener rules an IngressGroup's ALB gets, against AWS's quota of rules per load balancer
// (TooManyRules at reconcile time: LBC issues #2011, #3525).
#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "albwebhook/cluster/cluster_state.hpp"
#include "rules/annotation_parsers.hpp"
#include "rules/ingress_group.hpp"
#include "rules/lbc_values.hpp"

namespace albwebhook::rules {
namespace {

/// The listeners of `member` that get rules: every listen port, except HTTP ones when the group
/// redirects HTTP to HTTPS (their only action is the redirect).
std::size_t RuleListeners(const MemberConfig& member, bool ssl_redirect) {
  if (!member.ports) return 0;
  std::size_t count = 0;
  for (const auto& [port, protocol] : *member.ports) {
    if (!ssl_redirect || protocol != "HTTP") ++count;
  }
  return count;
}

}  // namespace

std::pair<std::size_t, std::size_t> MemberRules(const MemberConfig& member, std::size_t paths) {
  return {paths * RuleListeners(member, false), paths * RuleListeners(member, true)};
}

void CheckGroupRuleCount(const CandidateMember& candidate, std::size_t candidate_paths,
                         const GroupMembers& group, bool ssl_redirect, Verdict& verdict) {
  const std::size_t own = candidate_paths * RuleListeners(candidate.config(), ssl_redirect);
  std::size_t total = own + (ssl_redirect ? group.rules_total_redirect : group.rules_total);
  // The candidate's old version is replaced.
  if (auto old = group.index.find(candidate.key); old != group.index.end()) {
    const auto& [all, redirect] = group.rules[old->second];
    total -= ssl_redirect ? redirect : all;
  }
  if (total <= kAlbRuleQuota) return;
  const std::string name = ExplicitGroupName(candidate.config());
  std::string message;  // built in one buffer: a group over the quota gets it on every request
  message.reserve(320 + name.size());
  if (name.empty()) {
    message += "this Ingress's load balancer";
  } else {
    message += "the ALB of IngressGroup ";
    message += name;
  }
  message += " would get up to ";
  message += std::to_string(total);
  message += " listener rules (";
  message += std::to_string(own);
  message += " from this Ingress, one per path and listen port), over AWS's default quota of ";
  message += std::to_string(kAlbRuleQuota);
  message +=
      " per load balancer; unless it was raised, the LBC fails to create the rules past it "
      "(TooManyRules)";
  verdict.Warn("ingress-group", std::move(message));
}

void CheckDeletingMembers(const std::vector<const cluster::Object*>& deleting,
                          const std::string& group, const std::string& candidate_key,
                          Verdict& verdict) {
  static const std::string kKey = std::string(kAlbAnnotationPrefix) + "load-balancer-attributes";
  std::vector<const cluster::Object*> protected_members;
  for (const cluster::Object* member : deleting) {
    if (member->namespace_ + "/" + member->name == candidate_key) continue;
    const std::string* raw = member->Annotation(kKey);
    if (raw == nullptr) continue;
    const auto attributes = ParseStringMap(*raw);
    if (!attributes) continue;  // the LBC fails on it too, with another error
    // getDeletionProtectionViaAnnotation: a map lookup, so the last of repeated keys counts.
    std::optional<std::string_view> value;
    for (const auto& [key, v] : *attributes) {
      if (key == "deletion_protection.enabled") value = v;
    }
    if (value && ParseGoBool(*value).value_or(false)) protected_members.push_back(member);
  }
  std::sort(protected_members.begin(), protected_members.end(),
            [](const cluster::Object* a, const cluster::Object* b) {
              return std::tie(a->namespace_, a->name) < std::tie(b->namespace_, b->name);
            });
  for (const cluster::Object* member : protected_members) {
    verdict.Warn("ingress-group",
                 "IngressGroup " + group + " is not reconciled by the LBC while " +
                     member->namespace_ + "/" + member->name +
                     ", being deleted, has deletion_protection.enabled=true "
                     "(deletion_protection is enabled, cannot delete the ingress: " +
                     member->name +
                     "); remove it from that member's load-balancer-attributes to let "
                     "changes, this one included, reach AWS");
  }
}

}  // namespace albwebhook::rules
