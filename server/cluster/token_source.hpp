// The bearer token: static, or a file re-read when its mtime or size changes and after a 401.
#pragma once

#include <ctime>
#include <string>

namespace albwebhook::cluster {

class TokenSource {
 public:
  TokenSource(std::string static_token, std::string file);

  /// The token to send now ("" for none). Checks the file's mtime and size on every call
  /// (one stat) and re-reads it when they changed or after Invalidate().
  const std::string& Current();
  /// Forces the next Current() to re-read the file (after a 401).
  void Invalidate() { stale_ = true; }
  bool from_file() const { return !file_.empty(); }

 private:
  std::string token_;
  std::string file_;
  bool stale_ = true;
  std::timespec mtime_{};
  long long size_ = -1;
};

}  // namespace albwebhook::cluster
