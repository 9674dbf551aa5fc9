// Reading `alb-webhook check` inputs: files, and directories expanded to their manifests.
#include "cli/check_inputs.hpp"

#include <algorithm>
#include <filesystem>

#include "common/file.hpp"

namespace albwebhook::cli::check {

Result<std::string> ReadFileText(const std::string& path) {
  return common::ReadFile(path,
                          [](common::ReadFileStep, const std::string&, std::string_view reason) {
                            return "cannot read: " + std::string(reason);
                          });
}

Result<std::vector<std::string>> ExpandDirectory(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return std::vector<std::string>{path};
  std::vector<std::string> files;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if ((ext == ".yaml" || ext == ".yml" || ext == ".json") && !it->is_directory())
      files.push_back(it->path().string());
  }
  if (ec) return Error{"cannot read directory: " + ec.message()};
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace albwebhook::cli::check
