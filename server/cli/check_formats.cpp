// Names shared by the CI formats of `alb-webhook check -o` (check_formats.hpp).
#include "cli/check_formats.hpp"

namespace albwebhook::cli::check {
namespace {

std::string Place(const Location& loc) {
  if (loc.document <= 0) return "input";
  std::string out = "document " + std::to_string(loc.document);
  if (loc.item >= 0) out += " item " + std::to_string(loc.item);
  return out;
}

}  // namespace

std::string ArtifactName(const Location& loc) {
  return loc.file == kStdinName ? "stdin" : loc.file;
}

std::string OutcomeTitle(const Outcome& outcome) {
  if (const auto* d = std::get_if<Decision>(&outcome.what)) return d->kind + " " + d->display_name;
  if (const auto* s = std::get_if<Skip>(&outcome.what); s != nullptr && s->kind)
    return *s->kind + " " + s->display_name;
  return Place(outcome.loc);
}

}  // namespace albwebhook::cli::check
