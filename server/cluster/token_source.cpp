#include "cluster/token_source.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "albwebhook/log/log.hpp"

namespace albwebhook::cluster {

TokenSource::TokenSource(std::string static_token, std::string file)
    : token_(std::move(static_token)), file_(std::move(file)) {}

const std::string& TokenSource::Current() {
  if (file_.empty()) return token_;
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) {
    if (stale_) log::Warn("cluster: cannot stat the token file", {{"file", file_}});
    stale_ = false;
    return token_;  // keep the last one read
  }
  bool changed = st.st_mtim.tv_sec != mtime_.tv_sec || st.st_mtim.tv_nsec != mtime_.tv_nsec ||
                 static_cast<long long>(st.st_size) != size_;
  if (!changed && !stale_) return token_;
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    log::Warn("cluster: cannot read the token file", {{"file", file_}});
    stale_ = false;
    return token_;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text != token_ && !token_.empty()) log::Info("cluster: token file re-read", {{"file", file_}});
  token_ = std::move(text);
  mtime_ = st.st_mtim;
  size_ = static_cast<long long>(st.st_size);
  stale_ = false;
  return token_;
}

}  // namespace albwebhook::cluster
