#include "common/file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace albwebhook::common {
namespace {

std::string DefaultMessage(ReadFileStep step, const std::string& path, std::string_view reason) {
  return std::string(step == ReadFileStep::kOpen ? "cannot open " : "cannot read ") + path + ": " +
         std::string(reason);
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, const ReadFileMessage& message) {
  const auto fail = [&](ReadFileStep step, std::string_view reason) {
    return Error{message ? message(step, path, reason) : DefaultMessage(step, path, reason)};
  };
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int open_errno = errno;
    return fail(ReadFileStep::kOpen, open_errno != 0 ? std::strerror(open_errno) : "open failed");
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return fail(ReadFileStep::kRead, "read error");
  return buf.str();
}

}  // namespace albwebhook::common
