// `alb-webhook check` flags (internal to the check command).
#pragma once

#include <string>
#include <vector>

namespace albwebhook::cli::check {

extern const char* const kUsage;

/// -o/--output: text (a listing), json (our report), sarif (SARIF 2.1.0), junit (JUnit XML),
/// github (GitHub Actions workflow commands, then the text summary line).
enum class Format { kText, kJson, kSarif, kJunit, kGithub };

struct Options {
  std::string config;
  Format format = Format::kText;
  std::string ns = "default";
  std::vector<std::string> files;
  std::vector<std::string> cluster_state;  // --cluster-state PATH (repeatable)
};

enum class ParseOutcome { kRun, kHelp, kBad };

/// Fills *options from the arguments; kBad sets *error (without "error: ").
ParseOutcome ParseFlags(const std::vector<std::string>& args, Options* options, std::string* error);

}  // namespace albwebhook::cli::check
