// Small helpers around OpenSSL for the TLS context (tls_context.cpp): reading the PEM files,
// OpenSSL's error queue as text, and a certificate's expiry as unix seconds.
#pragma once

#include <openssl/x509.h>

#include <string>

#include "albwebhook/util/result.hpp"

namespace albwebhook::transport::detail {

/// The whole file, or an error "cannot open <path>".
Result<std::string> ReadFile(const std::string& path);

/// Drains OpenSSL's error queue of this thread into one line ("; "-separated), or
/// "unknown OpenSSL error" when it is empty.
std::string OpenSslError();

/// The certificate's notAfter as unix seconds (0 when OpenSSL cannot compute it).
double NotAfterUnixSeconds(const X509* cert);

}  // namespace albwebhook::transport::detail
