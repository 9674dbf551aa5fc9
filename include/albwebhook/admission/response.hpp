#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "albwebhook/admission/types.hpp"

namespace albwebhook::admission {

/// Named constructors: nobody fills a Response by hand (controller-runtime's
/// Allowed/Denied/Errored).
Response Allowed();
/// A policy or validation denial: allowed=false, code 403, reason Forbidden.
Response Denied(std::string message);
/// A request we could not process: allowed=false with `code` (400, 413, 415, 500...).
Response Errored(int code, std::string message);

/// Makes a warning acceptable to the apiserver: valid UTF-8 (invalid bytes become '?'), no control
/// characters (they become spaces), at most kMaxWarningChars characters (longer text ends in
/// "...").
std::string SanitizeWarning(std::string_view text);
/// The apiserver's own cut (truncateItemRunes, applied once the total passes 4096 runes): a
/// warning this long is never cut again. Not the API docs' advice of 120: our warnings carry the
/// LBC's words and what to do, and most are 120-250 characters; cut at 120, kubectl showed
/// most of them without their second half.
inline constexpr std::size_t kMaxWarningChars = 256;
/// The apiserver keeps at most 4096 runes of warnings in total; we stay under it.
inline constexpr std::size_t kMaxWarningTotalChars = 4000;

/// A denial joins every problem into status.message ("; " between them) up to this many bytes;
/// the rest are counted ("; ... and N more problems"). A real object's problems fit many times
/// over; the cap keeps an object with thousands of failing rule paths from answering megabytes.
inline constexpr std::size_t kMaxDenialMessageBytes = 32 * 1024;

/// Sanitizes, de-duplicates and caps a warning list to the apiserver's limits.
std::vector<std::string> SanitizeWarnings(const std::vector<std::string>& warnings);

/// True when `key` is a valid auditAnnotations key (qualified-name name part: <= 63 chars,
/// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?).
bool IsValidAuditAnnotationKey(std::string_view key);

}  // namespace albwebhook::admission
