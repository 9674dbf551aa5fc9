// The files `alb-webhook check` reads (internal to the check command).
#pragma once

#include <string>
#include <vector>

#include "albwebhook/util/result.hpp"

namespace albwebhook::cli::check {

/// The whole file; the error says why it cannot be read ("cannot read: ...").
Result<std::string> ReadFileText(const std::string& path);

/// A directory stands for its *.yaml, *.yml and *.json files (not recursive), in name order;
/// anything else (a file, "-") for itself.
Result<std::vector<std::string>> ExpandDirectory(const std::string& path);

}  // namespace albwebhook::cli::check
