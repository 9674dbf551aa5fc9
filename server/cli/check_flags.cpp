// `alb-webhook check` flags: FILE arguments, --config, -o/--output, -n/--namespace, --help.
#include "cli/check_flags.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace albwebhook::cli::check {
namespace {

constexpr std::array<std::pair<std::string_view, Format>, 5> kFormats{{
    {"text", Format::kText},
    {"json", Format::kJson},
    {"sarif", Format::kSarif},
    {"junit", Format::kJunit},
    {"github", Format::kGithub},
}};

bool ParseFormat(std::string_view name, Format* format) {
  for (const auto& [known, value] : kFormats) {
    if (known == name) {
      *format = value;
      return true;
    }
  }
  return false;
}

}  // namespace

const char* const kUsage = R"(Usage: alb-webhook check [flags] FILE...

Evaluates Ingress (networking.k8s.io/v1), TargetGroupBinding and IngressClassParams
(elbv2.k8s.aws/v1beta1) manifests offline, each as a CREATE, with the same rules and policy as the webhook server,
and prints each object's decision, violations, warnings and the patch it would apply.
FILE is YAML (multi-document) or JSON, may hold Lists (List, IngressList, ...), may be a
directory (its *.yaml, *.yml and *.json files) or - for standard input. Other kinds are
skipped and counted.

Flags:
  --config FILE        policy file (YAML), as for serve --config (default: embedded policy)
  --cluster-state PATH the cluster as the server's view would hold it: IngressClass,
                       IngressClassParams, Ingress, TargetGroupBinding, Service and Namespace
                       manifests (file, directory or -; repeatable). The checked objects join
                       it. Without it, objects are judged alone (no cluster view).
  -o, --output FORMAT  text (default), json, sarif (SARIF 2.1.0, for code scanning),
                       junit (JUnit XML, a test case per object) or github (GitHub Actions
                       ::error/::warning annotations, then the summary line); lines point
                       at the annotation or field a finding is about
  -n, --namespace NS   namespace of objects without metadata.namespace (default "default")
  -h, --help           this text

Exit status: 0 all allowed, 1 something denied, 2 bad input or config.
)";

ParseOutcome ParseFlags(const std::vector<std::string>& args, Options* options,
                        std::string* error) {
  bool only_files = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    if (only_files || flag == "-" || !flag.starts_with("-")) {
      options->files.push_back(flag);
      continue;
    }
    if (flag == "--") {
      only_files = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") return ParseOutcome::kHelp;
    std::string value;
    bool has_value = false;
    if (const auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    if (flag != "--config" && flag != "--output" && flag != "-o" && flag != "--namespace" &&
        flag != "-n" && flag != "--cluster-state") {
      *error = "unknown flag " + flag;
      return ParseOutcome::kBad;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        *error = flag + " needs a value";
        return ParseOutcome::kBad;
      }
      value = args[++i];
    }
    if (flag == "--config") {
      options->config = value;
    } else if (flag == "--cluster-state") {
      if (value.empty()) {
        *error = flag + ": expected a file, a directory or -";
        return ParseOutcome::kBad;
      }
      options->cluster_state.push_back(value);
    } else if (flag == "--output" || flag == "-o") {
      if (!ParseFormat(value, &options->format)) {
        *error = flag + ": unknown format \"" + value +
                 "\" (expected text, json, sarif, junit or github)";
        return ParseOutcome::kBad;
      }
    } else {
      if (value.empty()) {
        *error = flag + ": expected a namespace name";
        return ParseOutcome::kBad;
      }
      options->ns = value;
    }
  }
  if (options->files.empty()) {
    *error = "no FILE given (use - for standard input)";
    return ParseOutcome::kBad;
  }
  return ParseOutcome::kRun;
}

}  // namespace albwebhook::cli::check
