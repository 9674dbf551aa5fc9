// Small helpers around OpenSSL (see openssl_util.hpp).
#include "transport/openssl_util.hpp"

#include <openssl/asn1.h>
#include <openssl/err.h>

#include "common/file.hpp"

namespace albwebhook::transport::detail {

Result<std::string> ReadFile(const std::string& path) {
  return common::ReadFile(path, common::CannotOpenPath);
}

std::string OpenSslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

double NotAfterUnixSeconds(const X509* cert) {
  double not_after = 0;
  int days = 0;
  int secs = 0;
  ASN1_TIME* epoch = ASN1_TIME_set(nullptr, 0);
  if (ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notAfter(cert)) == 1) {
    not_after = static_cast<double>(days) * 86400.0 + secs;
  }
  ASN1_TIME_free(epoch);
  return not_after;
}

}  // namespace albwebhook::transport::detail
