// The per-port listener merge of an IngressGroup (model_builder.go mergeListenPortConfigs): every
// member listening on a port must agree on its protocol, inbound CIDRs, prefix lists and (HTTPS)
// SSL policy. The LBC's messages name both members, earlier one first in group order.
#include "rules/ingress_group.hpp"

namespace albwebhook::rules {
namespace {

std::string GoSet(const std::set<std::string>& items) {
  return GoList(std::vector<std::string>(items.begin(), items.end()));
}

/// "failed to merge listenPort config for port: <p>: conflicting <what>, <a>: <va> | <b>: <vb>"
/// with a before b in group order; one per port and kind.
void Report(ConflictReporter& r, std::int64_t port, const std::string& what,
            const CandidateMember& c, const std::string& mine, const MemberConfig& o,
            const std::string& theirs) {
  const bool first = Before(c, o);
  const std::string head = "failed to merge listenPort config for port: " + std::to_string(port) +
                           ": conflicting " + what;
  r.Report(head, head + ", " + (first ? c.key : o.key) + ": " + (first ? mine : theirs) + " | " +
                     (first ? o.key : c.key) + ": " + (first ? theirs : mine));
}

std::string Cidrs(const MemberConfig& m) {
  return GoSet(m.inbound_cidrs->first) + ", " + GoSet(m.inbound_cidrs->second);
}

bool HasCidrs(const MemberConfig& m) {
  return m.inbound_cidrs && (!m.inbound_cidrs->first.empty() || !m.inbound_cidrs->second.empty());
}

void PortConflicts(const CandidateMember& candidate, const MemberConfig& o, std::int64_t port,
                   const std::string& mine, const std::string& theirs, ConflictReporter& r) {
  const MemberConfig& c = candidate.config();
  if (theirs != mine) Report(r, port, "protocol", candidate, mine, o, theirs);
  if (HasCidrs(c) && HasCidrs(o) && *c.inbound_cidrs != *o.inbound_cidrs) {
    Report(r, port, "inbound-cidrs", candidate, Cidrs(c), o, Cidrs(o));
  }
  if (!c.prefix_lists.empty() && !o.prefix_lists.empty() && c.prefix_lists != o.prefix_lists) {
    Report(r, port, "inbound-prefix-lists", candidate, GoSet(c.prefix_lists), o,
           GoSet(o.prefix_lists));
  }
  // sslPolicy and mutual authentication are only set on each member's HTTPS listeners.
  if (mine != "HTTPS" || theirs != "HTTPS") return;
  if (c.ssl_policy && o.ssl_policy && *c.ssl_policy != *o.ssl_policy) {
    Report(r, port, "sslPolicy", candidate, *c.ssl_policy, o, *o.ssl_policy);
  }
  auto my_mtls = c.mtls.find(port);
  auto their_mtls = o.mtls.find(port);
  if (my_mtls == c.mtls.end() || their_mtls == o.mtls.end() ||
      my_mtls->second == their_mtls->second) {
    return;
  }
  // When only the trust stores differ, one named and the other by ARN may be the same store
  // once the LBC resolves the name (an AWS lookup): not judged.
  MtlsAttributes mine_but_store = my_mtls->second;
  mine_but_store.trust_store = their_mtls->second.trust_store;
  const bool by_name_and_arn = my_mtls->second.trust_store.starts_with("arn:") !=
                               their_mtls->second.trust_store.starts_with("arn:");
  if (mine_but_store == their_mtls->second && by_name_and_arn) return;
  Report(r, port, "mTLS Attributes", candidate, my_mtls->second.Text(), o,
         their_mtls->second.Text());
}

}  // namespace

void ListenPortConflicts(const CandidateMember& candidate, const MemberConfig& other,
                         ConflictReporter& reporter) {
  const MemberConfig& c = candidate.config();
  if (!c.ports || !other.ports) return;
  for (const auto& [port, protocol] : *c.ports) {
    auto it = other.ports->find(port);
    if (it != other.ports->end()) {
      PortConflicts(candidate, other, port, protocol, it->second, reporter);
    }
  }
}

}  // namespace albwebhook::rules
