// Seam: `alb-webhook check` lands with issue 5.
#include <cstdio>

#include "albwebhook/cli/cli.hpp"

namespace albwebhook::cli {

int RunCheck(const std::vector<std::string>& /*args*/) {
  std::fprintf(stderr, "alb-webhook check: not implemented yet\n");
  return 2;
}

}  // namespace albwebhook::cli
