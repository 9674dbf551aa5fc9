// `alb-webhook check`: evaluates manifests offline with the server's rules and policy.
#include "cli/check.hpp"

#include <iostream>
#include <optional>
#include <sstream>

#include "albwebhook/cli/cli.hpp"
#include "albwebhook/cluster/cluster_state.hpp"
#include "albwebhook/manifest/manifest.hpp"
#include "albwebhook/policy/policy.hpp"
#include "cli/check_flags.hpp"
#include "cli/check_inputs.hpp"
#include "cli/check_report.hpp"
#include "cli/checker.hpp"

namespace albwebhook::cli {
namespace {

struct Input {
  std::string name;  // the path, or check::kStdinName
  std::string text;
};

// Reads every path of `args` (a directory: its manifests; "-": `in`, read once and shared).
// Unreadable ones are reported through the checker and left out.
std::vector<Input> ReadInputs(check::Checker& checker, const std::vector<std::string>& args,
                              std::istream& in, std::optional<std::string>& stdin_text) {
  std::vector<Input> inputs;
  for (const auto& arg : args) {
    const auto paths = check::ExpandDirectory(arg);
    if (!paths) {
      checker.Fail(check::Location{arg}, paths.error().message);
      continue;
    }
    for (const auto& path : *paths) {
      if (path == "-") {
        if (!stdin_text) {
          std::ostringstream text;
          text << in.rdbuf();
          stdin_text = text.str();
        }
        inputs.push_back({std::string(check::kStdinName), *stdin_text});
        continue;
      }
      auto text = check::ReadFileText(path);
      if (!text) {
        checker.Fail(check::Location{path}, text.error().message);
        continue;
      }
      inputs.push_back({path, std::move(*text)});
    }
  }
  return inputs;
}

// The cluster of --cluster-state: its objects and the checked ones (PRODUCT.md: "the checked
// objects join it"). Documents that do not parse are the checked files' errors, reported there.
/// A namespaced object without a namespace gets `ns`, as `kubectl apply -n ns` (and the checked
/// objects themselves) would: a Service or a group member written without one is found.
void FillNamespace(nlohmann::json& object, const std::string& ns) {
  if (!object.is_object()) return;
  const auto kind = object.find("kind");
  if (kind != object.end() && kind->is_string()) {
    const auto& name = kind->get_ref<const std::string&>();
    if (name == "IngressClass" || name == "IngressClassParams" || name == "Namespace") return;
  }
  check::FillMissingNamespace(object, ns);
}

std::shared_ptr<const cluster::ClusterState> BuildClusterState(
    const std::vector<Input>& state_inputs, const std::vector<Input>& checked,
    const std::string& ns) {
  std::vector<nlohmann::json> objects;
  for (const auto* group : {&state_inputs, &checked}) {
    for (const Input& input : *group) {
      for (const auto& doc : manifest::ParseManifests(input.text)) {
        if (!doc.error.empty() || doc.empty) continue;
        check::ForEachObject(doc.value, [&objects, &ns](int, const nlohmann::json& object) {
          objects.push_back(object);
          FillNamespace(objects.back(), ns);
        });
      }
    }
  }
  return cluster::ClusterState::FromObjects(objects);
}

}  // namespace

int RunCheckWith(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  try {
    check::Options options;
    std::string error;
    switch (check::ParseFlags(args, &options, &error)) {
      case check::ParseOutcome::kHelp:
        out << check::kUsage;
        return 0;
      case check::ParseOutcome::kBad:
        err << "error: " << error << "\nRun 'alb-webhook check --help' for usage.\n";
        return 2;
      case check::ParseOutcome::kRun:
        break;
    }
    policy::Policy policy;
    if (!options.config.empty()) {
      auto loaded = policy::LoadPolicyFile(options.config);
      if (!loaded) {
        err << "error: --config: " << loaded.error().message << "\n";
        return 2;
      }
      policy = std::move(*loaded);
    }
    // Every input is read first: the cluster (--cluster-state and the checked objects) must be
    // whole before the first object is judged.
    check::Checker checker(options, policy, out, err);
    std::optional<std::string> stdin_text;
    const std::vector<Input> state_inputs =
        ReadInputs(checker, options.cluster_state, in, stdin_text);
    const std::vector<Input> checked = ReadInputs(checker, options.files, in, stdin_text);
    if (!options.cluster_state.empty()) {
      checker.SetCluster(BuildClusterState(state_inputs, checked, options.ns));
    }
    for (const Input& input : checked) checker.File(input.name, input.text);
    return checker.Finish();
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

int RunCheck(const std::vector<std::string>& args) {
  return RunCheckWith(args, std::cin, std::cout, std::cerr);
}

}  // namespace albwebhook::cli
