// The CI formats of `alb-webhook check -o`: SARIF 2.1.0, JUnit XML and GitHub Actions workflow
// commands, each written from the report's outcomes (internal to the check command).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/check_report.hpp"

namespace albwebhook::cli::check {

/// SARIF 2.1.0: one run, a result per violation (error) and warning (warning) at the line of its
/// annotation or field; bad input as tool execution notifications.
void WriteSarif(const std::vector<Outcome>& outcomes, std::ostream& out);

/// JUnit XML: a testsuite per file, a testcase per object (a failure when denied, warnings in
/// system-out, skipped objects skipped) and per bad input (an error).
void WriteJunit(const std::vector<Outcome>& outcomes, std::ostream& out);

/// GitHub Actions workflow commands: `::error` per violation and bad input, `::warning` per
/// warning.
void WriteGithub(const std::vector<Outcome>& outcomes, std::ostream& out);

/// The file as the CI formats name it: as given, standard input as "stdin".
std::string ArtifactName(const Location& loc);

/// What a test case or annotation calls the outcome: "Ingress team-a/shop", "ConfigMap cfg", or
/// for what has no kind "document 2", "document 2 item 0" ("input" for a whole file).
std::string OutcomeTitle(const Outcome& outcome);

}  // namespace albwebhook::cli::check
