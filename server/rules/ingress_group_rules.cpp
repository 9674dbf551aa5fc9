// The listener rules an IngressGroup's ALB gets, against AWS's quota of rules per load balancer
// (TooManyRules at reconcile time: LBC issues #2011, #3525).
#include <string>

#include "rules/ingress_group.hpp"

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

void CheckGroupRuleCount(const MemberConfig& candidate, std::size_t candidate_paths,
                         const GroupMembers& group, bool ssl_redirect, Verdict& verdict) {
  const std::size_t own = candidate_paths * RuleListeners(candidate, ssl_redirect);
  std::size_t total = own + (ssl_redirect ? group.rules_total_redirect : group.rules_total);
  // The candidate's old version is replaced.
  if (auto old = group.index.find(candidate.key); old != group.index.end()) {
    const auto& [all, redirect] = group.rules[old->second];
    total -= ssl_redirect ? redirect : all;
  }
  if (total <= kAlbRuleQuota) return;
  const std::string name = ExplicitGroupName(candidate);
  const std::string whose =
      name.empty() ? "this Ingress's load balancer" : "the load balancer of IngressGroup " + name;
  verdict.Warn("ingress-group",
               whose + " would get up to " + std::to_string(total) + " listener rules (" +
                   std::to_string(own) + " from this Ingress: one per path and listen port), " +
                   "over AWS's default quota of " + std::to_string(kAlbRuleQuota) +
                   " rules per Application Load Balancer; unless the quota was raised, the LBC "
                   "fails to create the rules beyond it (TooManyRules)");
}

}  // namespace albwebhook::rules
