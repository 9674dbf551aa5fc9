// `alb-webhook check` output: a text listing with a summary line, one JSON report, or a CI
// format (check_formats.hpp) written from the outcomes at the end.
#include "cli/check_report.hpp"

#include <ostream>

#include "cli/check_formats.hpp"

namespace albwebhook::cli::check {
namespace {

using nlohmann::json;

std::string Indented(const std::string& text, const std::string& indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

json ItemOf(const Location& loc) { return loc.item >= 0 ? json(loc.item) : json(nullptr); }

json FindingsJson(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const Finding& f : findings) out.push_back({{"check", f.check}, {"message", f.message}});
  return out;
}

json DecisionJson(const Location& loc, const Decision& d) {
  return {{"file", loc.file},
          {"document", loc.document},
          {"item", ItemOf(loc)},
          {"kind", d.kind},
          {"namespace", d.ns},
          {"name", d.name},
          {"inScope", d.in_scope},
          {"allowed", d.allowed},
          {"violations", FindingsJson(d.violations)},
          {"warnings", FindingsJson(d.warnings)},
          {"patch", d.patch}};
}

json SkipJson(const Location& loc, const Skip& s) {
  return {{"file", loc.file},
          {"document", loc.document},
          {"item", ItemOf(loc)},
          {"apiVersion", s.api_version},
          {"kind", s.kind.value_or("")},
          {"name", s.name},
          {"reason", s.reason}};
}

json ErrorJson(const Location& loc, const InputError& e) {
  return {{"file", loc.file},
          {"document", loc.document > 0 ? json(loc.document) : json(nullptr)},
          {"message", e.message}};
}

}  // namespace

std::string Location::Text() const {
  std::string out = file;
  if (document > 0) out += ":" + std::to_string(document);
  if (item >= 0) out += ".items[" + std::to_string(item) + "]";
  return out;
}

void Report::Decided(const Location& loc, Decision d) {
  ++(d.allowed ? totals_.allowed : totals_.denied);
  if (format_ == Format::kText) {
    PrintDecision(loc, d);
  } else {
    outcomes_.push_back({loc, std::move(d)});
  }
}

void Report::PrintDecision(const Location& loc, const Decision& d) {
  out_ << loc.Text() << " " << d.kind << " " << d.display_name << ": "
       << (d.allowed ? "ALLOWED" : "DENIED") << (d.in_scope ? "" : " (out of scope)") << "\n";
  for (const auto& [label, findings] :
       {std::pair{"deny", &d.violations}, std::pair{"warn", &d.warnings}}) {
    for (const Finding& f : *findings) {
      out_ << "  " << label << "  [" << f.check << "] " << Indented(f.message, "        ") << "\n";
    }
  }
  if (d.patch.is_array() && !d.patch.empty()) {
    out_ << "  patch:\n";
    for (const auto& op : d.patch) {
      out_ << "    " << op.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    }
  }
}

void Report::Skipped(const Location& loc, Skip s) {
  ++totals_.skipped;
  if (format_ != Format::kText) {
    outcomes_.push_back({loc, std::move(s)});
  } else if (s.notable) {
    out_ << loc.Text();
    if (s.kind) out_ << " " << *s.kind << " " << s.display_name;
    out_ << ": skipped (" << s.reason << ")\n";
  }
}

void Report::Failed(const Location& loc, const std::string& message) {
  ++totals_.errors;
  out_.flush();  // keep the listing and the errors in order on a terminal
  err_ << "error: " << loc.Text() << ": " << message << "\n";
  if (format_ != Format::kText) outcomes_.push_back({loc, InputError{message}});
}

json Report::JsonReport() const {
  json results = json::array();
  json skipped = json::array();
  json errors = json::array();
  for (const Outcome& o : outcomes_) {
    if (const auto* d = std::get_if<Decision>(&o.what)) results.push_back(DecisionJson(o.loc, *d));
    if (const auto* s = std::get_if<Skip>(&o.what)) skipped.push_back(SkipJson(o.loc, *s));
    if (const auto* e = std::get_if<InputError>(&o.what)) errors.push_back(ErrorJson(o.loc, *e));
  }
  const json summary = {{"objects", totals_.objects()},
                        {"allowed", totals_.allowed},
                        {"denied", totals_.denied},
                        {"skipped", totals_.skipped},
                        {"errors", totals_.errors}};
  return {{"results", results}, {"skipped", skipped}, {"errors", errors}, {"summary", summary}};
}

void Report::PrintSummary() {
  const int total = totals_.objects();
  out_ << total << (total == 1 ? " object: " : " objects: ") << totals_.allowed << " allowed, "
       << totals_.denied << " denied, " << totals_.skipped << " skipped";
  if (totals_.errors > 0)
    out_ << "; " << totals_.errors << (totals_.errors == 1 ? " error" : " errors");
  out_ << "\n";
}

int Report::Finish() {
  switch (format_) {
    case Format::kText:
      PrintSummary();
      break;
    case Format::kJson:
      out_ << JsonReport().dump(2) << "\n";
      break;
    case Format::kSarif:
      WriteSarif(outcomes_, out_);
      break;
    case Format::kJunit:
      WriteJunit(outcomes_, out_);
      break;
    case Format::kGithub:
      WriteGithub(outcomes_, out_);
      PrintSummary();
      break;
  }
  out_.flush();
  if (totals_.errors > 0) return 2;
  return totals_.denied > 0 ? 1 : 0;
}

}  // namespace albwebhook::cli::check
