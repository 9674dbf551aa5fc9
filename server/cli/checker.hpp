// `alb-webhook check` evaluation: manifest files in, one Decision or Skip per object out
// (internal to the check command).
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "albwebhook/manifest/manifest.hpp"
#include "albwebhook/policy/policy.hpp"
#include "albwebhook/rules/registry.hpp"
#include "albwebhook/state/snapshot.hpp"
#include "cli/check_flags.hpp"
#include "cli/check_report.hpp"

namespace albwebhook::cli::check {

/// Evaluates every object of the files it is given, each as a CREATE, with the kinds of
/// rules::AdmittedKinds() and the given policy; the Report prints.
/// Calls `fn(item, object)` for `doc`, or for each item of a List (item = its index, else -1). A
/// typed list (IngressList) may leave out its items' apiVersion and kind: they are filled in.
/// Older API versions are converted first, as the API server converts them (check_legacy.hpp).
void ForEachObject(const nlohmann::json& doc,
                   const std::function<void(int item, const nlohmann::json& object)>& fn);

/// Sets metadata.namespace to `ns` when `object` has metadata without one (or with "").
void FillMissingNamespace(nlohmann::json& object, const std::string& ns);

class Checker {
 public:
  Checker(const Options& options, const policy::Policy& policy, std::ostream& out,
          std::ostream& err);
  /// The cluster the objects are judged with (--cluster-state); none by default (judged alone).
  void SetCluster(std::shared_ptr<const cluster::ClusterState> cluster) {
    snapshot_.cluster = std::move(cluster);
  }

  /// One file's text: its documents, List items expanded.
  void File(const std::string& name, const std::string& text);
  void Fail(const Location& loc, const std::string& message) { report_.Failed(loc, message); }
  /// Prints the summary or report; returns the exit code.
  int Finish() { return report_.Finish(); }

 private:
  // An object's place: its Location, its document, and its JSON pointer there ("" or /items/N).
  struct Source {
    Location loc;
    const manifest::ManifestDocument* doc;
    std::string pointer;
  };

  void Document(const Location& loc, const manifest::ManifestDocument& doc);
  void Object(const Source& source, const nlohmann::json& object);
  void Evaluate(const Source& source, const nlohmann::json& original,
                const rules::KindRules& rules);
  Skip SkipOf(const nlohmann::json& object) const;
  bool NamesAdmittedKind(const std::string& kind) const;
  std::string KindList(bool with_version, std::string_view last_joiner) const;

  const Options& options_;
  state::Snapshot snapshot_;
  const std::vector<rules::KindRules> kinds_;
  Report report_;
};

}  // namespace albwebhook::cli::check
