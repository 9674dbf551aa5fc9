// alb-webhook: parse the command line and run the chosen subcommand.
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "albwebhook/cli/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return albwebhook::cli::Main(args);
}
