// TargetGroupBinding checks that need the cluster view: the LBC's checkExistingTargetGroups
// (webhooks/elbv2/targetgroupbinding_validator.go), same decision, same message.
#include <string>
#include <vector>

#include "albwebhook/cluster/cluster_state.hpp"
#include "common/text.hpp"
#include "rules/target_group_binding_checks.hpp"
#include "rules/target_group_binding_fields.hpp"

namespace albwebhook::rules::tgb {
namespace {

using nlohmann::json;

constexpr std::string_view kViewUnavailable =
    "cluster view unavailable: TargetGroupBinding duplicate target group check skipped";

/// The candidate's coordinates: which cached object is its own old version.
struct Candidate {
  std::string_view ns;
  std::string_view name;
  std::string_view uid;

  /// The LBC excludes the object with the candidate's UID. A candidate without one (CREATE, or
  /// `check` on a manifest) is matched by namespace/name; so is any candidate, since two objects
  /// cannot share a namespace/name (a cached one with another UID is being replaced).
  bool IsSelf(const cluster::Object& other) const {
    if (!uid.empty() && other.uid == uid) return true;
    return other.namespace_ == ns && other.name == name;
  }
};

Candidate ReadCandidate(const Context& ctx, const json& object) {
  static const json kNoMetadata = json::object();
  const json* metadata = Find(object, "metadata");
  const json& meta = metadata != nullptr ? *metadata : kNoMetadata;
  Candidate c{ctx.ns, StringOf(Find(meta, "name")), StringOf(Find(meta, "uid"))};
  if (c.ns.empty()) c.ns = StringOf(Find(meta, "namespace"));
  if (c.name.empty()) c.name = ctx.name;
  return c;
}

/// Go bool: only JSON true is true (another type is reported by the format checks).
bool MultiCluster(const json& spec) {
  const json* value = Find(spec, "multiClusterTargetGroup");
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

}  // namespace

void CheckExistingTargetGroups(Verdict& verdict, const Context& ctx, const json& object,
                               const json& spec) {
  const json* arn_value = Find(spec, "targetGroupARN");
  const std::string_view arn = StringOf(arn_value);
  if (ctx.cluster == nullptr || arn.empty()) return;
  if (!ctx.cluster->available()) {
    verdict.Warn(std::string(kCheckClusterView), std::string(kViewUnavailable));
    return;
  }
  const Candidate self = ReadCandidate(ctx, object);
  bool all_multi_cluster = MultiCluster(spec);
  std::vector<std::string> duplicates;  // namespace/name, in the view's (sorted) order
  ctx.cluster->ForEachTargetGroupBinding([&](const cluster::Object& other) {
    if (self.IsSelf(other) || StringOf(Find(other.spec(), "targetGroupARN")) != arn) return;
    all_multi_cluster = all_multi_cluster && MultiCluster(other.spec());
    duplicates.push_back(other.namespace_ + "/" + other.name);
  });
  if (duplicates.empty() || all_multi_cluster) return;
  // Go's %v of a []types.NamespacedName: "[ns/a ns/b]".
  const std::string arn_text(arn);
  verdict.Deny(std::string(kCheckExistingTargetGroups),
               "TargetGroup " + arn_text + " is already bound to following TargetGroupBindings [" +
                   common::JoinList(duplicates, " ") +
                   "]. Please enable MultiCluster mode on all TargetGroupBindings referencing " +
                   arn_text + " or choose a different Target Group ARN.");
}

}  // namespace albwebhook::rules::tgb
