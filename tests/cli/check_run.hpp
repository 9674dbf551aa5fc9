// Running `alb-webhook check` in a test: its exit code and both streams, and the test data.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/check.hpp"

namespace albwebhook::cli::check_testing {

struct CheckRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline CheckRun Check(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  CheckRun run;
  run.code = RunCheckWith(args, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

/// tests/testdata/check/<name>
inline std::string Data(const std::string& name) {
  return std::string(ALBWEBHOOK_TESTDATA) + "/check/" + name;
}

}  // namespace albwebhook::cli::check_testing
