// `alb-webhook check -o github`: GitHub Actions workflow commands (`::error file=F,line=N,
// title=T::message`), which the runner turns into annotations on the files.
#include <ostream>
#include <string_view>

#include "cli/check_formats.hpp"

namespace albwebhook::cli::check {
namespace {

// GitHub's escaping: in the message '%', CR and LF; in a property also ':' and ','.
std::string Escaped(std::string_view text, bool property) {
  std::string out;
  for (const char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else if (property && c == ':') {
      out += "%3A";
    } else if (property && c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

void Command(std::ostream& out, std::string_view command, const Location& loc, int line,
             std::string_view title, std::string_view message) {
  out << "::" << command << " file=" << Escaped(ArtifactName(loc), true);
  if (line > 0) out << ",line=" << line;
  out << ",title=" << Escaped(title, true) << "::" << Escaped(message, false) << "\n";
}

}  // namespace

void WriteGithub(const std::vector<Outcome>& outcomes, std::ostream& out) {
  for (const Outcome& o : outcomes) {
    if (const auto* e = std::get_if<InputError>(&o.what)) {
      Command(out, "error", o.loc, o.loc.line, "invalid input", e->message);
    } else if (const auto* d = std::get_if<Decision>(&o.what)) {
      for (const Finding& f : d->violations)
        Command(out, "error", o.loc, f.line > 0 ? f.line : o.loc.line, f.check, f.message);
      for (const Finding& f : d->warnings)
        Command(out, "warning", o.loc, f.line > 0 ? f.line : o.loc.line, f.check, f.message);
    }
  }
}

}  // namespace albwebhook::cli::check
