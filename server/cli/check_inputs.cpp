// Reading `alb-webhook check` inputs: files, and directories expanded to their manifests.
#include "cli/check_inputs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace albwebhook::cli::check {

Result<std::string> ReadFileText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{std::string("cannot read: ") + std::strerror(errno)};
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return Error{"cannot read: read error"};
  return text.str();
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
