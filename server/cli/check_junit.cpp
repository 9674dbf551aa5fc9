// `alb-webhook check -o junit`: JUnit XML as CI servers read it (GitLab, Jenkins...): a testsuite
// per input file, a testcase per object and per bad input.
#include <map>
#include <ostream>
#include <string_view>

#include "cli/check_formats.hpp"

namespace albwebhook::cli::check {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: shortest form, no surrogates,
// at most U+10FFFF) and its code point; 0 when there is none.
std::size_t Utf8Sequence(std::string_view text, std::size_t i, char32_t* cp) {
  const auto first = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  char32_t least = 0;
  if (first < 0x80) {
    *cp = first;
    return 1;
  } else if ((first & 0xE0) == 0xC0) {
    length = 2, least = 0x80, *cp = first & 0x1F;
  } else if ((first & 0xF0) == 0xE0) {
    length = 3, least = 0x800, *cp = first & 0x0F;
  } else if ((first & 0xF8) == 0xF0) {
    length = 4, least = 0x10000, *cp = first & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (next & 0x3F);
  }
  if (*cp < least || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return length;
}

// Text for XML 1.0 content or a double-quoted attribute: markup characters as entities,
// characters XML forbids (most C0 controls, U+FFFE, U+FFFF) and bytes that are not UTF-8 as
// U+FFFD; in attributes tab, CR and LF as character references (else they read as spaces), CR
// in content too (else it reads as LF).
std::string Xml(std::string_view text, bool attribute) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t length = Utf8Sequence(text, i, &cp);
    const std::string_view bytes = text.substr(i, length == 0 ? 1 : length);
    i += bytes.size();
    if (length == 0 || cp == 0xFFFE || cp == 0xFFFF) {
      out += kReplacement;
    } else if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      out += "&gt;";
    } else if (cp == '"') {
      out += "&quot;";
    } else if (cp == '\r' || (attribute && (cp == '\n' || cp == '\t'))) {
      out += "&#" + std::to_string(static_cast<int>(cp)) + ";";
    } else if (cp < 0x20 && cp != '\n' && cp != '\t') {
      out += kReplacement;
    } else {
      out += bytes;
    }
  }
  return out;
}

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + Xml(value, true) + "\"";
}

// "file:line: [check] message" lines.
std::string FindingLines(const Outcome& o, const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += ArtifactName(o.loc) + ":" + std::to_string(f.line > 0 ? f.line : o.loc.line) + ": [" +
           f.check + "] " + f.message + "\n";
  }
  return out;
}

struct Counts {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  int skipped = 0;

  std::string Attrs() const {
    return Attr("tests", std::to_string(tests)) + Attr("failures", std::to_string(failures)) +
           Attr("errors", std::to_string(errors)) + Attr("skipped", std::to_string(skipped));
  }
};

// The testcase's children (failure, error, skipped, system-out); counts it.
std::string CaseBody(const Outcome& o, Counts& counts) {
  ++counts.tests;
  if (const auto* e = std::get_if<InputError>(&o.what)) {
    ++counts.errors;
    return "<error" + Attr("message", e->message) + Attr("type", "invalid input") + "/>";
  }
  if (const auto* s = std::get_if<Skip>(&o.what)) {
    ++counts.skipped;
    return "<skipped" + Attr("message", s->reason) + "/>";
  }
  const auto& d = std::get<Decision>(o.what);
  std::string body;
  if (!d.allowed) {
    ++counts.failures;
    std::string summary = "denied";
    if (!d.violations.empty())
      summary = "[" + d.violations.front().check + "] " + d.violations.front().message;
    if (d.violations.size() > 1)
      summary += " (and " + std::to_string(d.violations.size() - 1) + " more)";
    body += "<failure" + Attr("message", summary) + Attr("type", "denied") + ">" +
            Xml(FindingLines(o, d.violations), false) + "</failure>";
  }
  if (!d.warnings.empty())
    body += "<system-out>" + Xml(FindingLines(o, d.warnings), false) + "</system-out>";
  return body;
}

struct Suite {
  std::string file;
  std::string cases;
  Counts counts;
};

}  // namespace

void WriteJunit(const std::vector<Outcome>& outcomes, std::ostream& out) {
  std::vector<Suite> suites;  // in the order the files come first
  std::map<std::string, std::size_t> suite_of;
  for (const Outcome& o : outcomes) {
    const std::string file = ArtifactName(o.loc);
    const auto [at, added] = suite_of.emplace(file, suites.size());
    if (added) suites.push_back(Suite{file, "", {}});
    Suite& suite = suites[at->second];
    const std::string body = CaseBody(o, suite.counts);
    suite.cases += "    <testcase" + Attr("name", OutcomeTitle(o)) + Attr("classname", file) +
                   (body.empty() ? "/>\n" : ">" + body + "</testcase>\n");
  }
  Counts total;
  for (const Suite& s : suites) {
    total.tests += s.counts.tests;
    total.failures += s.counts.failures;
    total.errors += s.counts.errors;
    total.skipped += s.counts.skipped;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"
      << Attr("name", "alb-webhook check") << total.Attrs() << ">\n";
  for (const Suite& s : suites) {
    out << "  <testsuite" << Attr("name", s.file) << s.counts.Attrs() << ">\n"
        << s.cases << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace albwebhook::cli::check
