#pragma once

#include <string>
#include <vector>

#include "albwebhook/app/app.hpp"
#include "albwebhook/util/result.hpp"

namespace albwebhook::cli {

/// `alb-webhook [serve|check|version] [flags]`; returns the process exit code.
int Main(const std::vector<std::string>& args);

/// Parses `serve` flags into a serve config and log level name. `--help` gives an Error whose
/// message is the usage text and sets *help.
Result<app::ServeConfig> ParseServeFlags(const std::vector<std::string>& args,
                                                std::string* log_level, bool* help);

/// `alb-webhook check`: evaluates manifests offline. Exit 0 all allowed, 1 something denied,
/// 2 bad input or config.
int RunCheck(const std::vector<std::string>& args);

}  // namespace albwebhook::cli
