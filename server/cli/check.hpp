// `alb-webhook check` internals, exposed for tests.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "albwebhook/manifest/manifest.hpp"

namespace albwebhook::cli {

/// RunCheck with its standard streams passed in: `-` reads `in`, results go to `out`, problems
/// with the input to `err`. Returns the exit code (0 all allowed, 1 something denied, 2 bad input
/// or config). Never throws.
int RunCheckWith(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err);

// The manifest loader check reads with (its home is albwebhook/manifest/manifest.hpp).
using manifest::ManifestDocument;
using manifest::ParseManifests;

}  // namespace albwebhook::cli
