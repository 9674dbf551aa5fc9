// Reading a whole file (policy files, certificates, manifests), with the caller's wording of a
// failure so that every existing message stays as it is.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "albwebhook/util/result.hpp"

namespace albwebhook::common {

/// Which step of ReadFile failed.
enum class ReadFileStep { kOpen, kRead };

/// Builds the Error message of a failed ReadFile from the step, the path and the reason: the
/// system's text (strerror(errno)) when opening failed, "read error" when reading failed.
using ReadFileMessage =
    std::function<std::string(ReadFileStep step, const std::string& path, std::string_view reason)>;

/// The bytes of the file at `path` (binary, whole file). Never throws. On failure the Error
/// message is `message(step, path, reason)`; by default "cannot open <path>: <reason>" or
/// "cannot read <path>: <reason>".
Result<std::string> ReadFile(const std::string& path, const ReadFileMessage& message = {});

/// The wording of the server's start-up errors (policy and certificate files): "cannot open
/// <path>", whichever step failed.
inline std::string CannotOpenPath(ReadFileStep /*step*/, const std::string& path,
                                  std::string_view /*reason*/) {
  return "cannot open " + path;
}

}  // namespace albwebhook::common
