// alb-webhook: hands the command line to the CLI (the only file the tests do not link).
#include <string>
#include <vector>

#include "albwebhook/cli/cli.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return albwebhook::cli::Main(args);
}
