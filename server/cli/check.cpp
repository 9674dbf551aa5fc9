// `alb-webhook check`: evaluates manifests offline with the server's rules and policy.
#include "cli/check.hpp"

#include <iostream>
#include <sstream>

#include "albwebhook/cli/cli.hpp"
#include "albwebhook/policy/policy.hpp"
#include "cli/check_flags.hpp"
#include "cli/check_inputs.hpp"
#include "cli/checker.hpp"

namespace albwebhook::cli {
namespace {

// Every FILE argument: a directory for its manifests, "-" for `in`.
void CheckFiles(check::Checker& checker, const std::vector<std::string>& args, std::istream& in) {
  for (const auto& arg : args) {
    const auto paths = check::ExpandDirectory(arg);
    if (!paths) {
      checker.Fail(check::Location{arg}, paths.error().message);
      continue;
    }
    for (const auto& path : *paths) {
      if (path == "-") {
        std::ostringstream text;
        text << in.rdbuf();
        checker.File("<stdin>", text.str());
        continue;
      }
      auto text = check::ReadFileText(path);
      if (!text) {
        checker.Fail(check::Location{path}, text.error().message);
        continue;
      }
      checker.File(path, *text);
    }
  }
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
    check::Checker checker(options, policy, out, err);
    CheckFiles(checker, options.files, in);
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
