// `alb-webhook check` output: a text listing with a summary line, or one JSON report.
#include "cli/check_report.hpp"

#include <ostream>

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

}  // namespace

std::string Location::Text() const {
  std::string out = file;
  if (document > 0) out += ":" + std::to_string(document);
  if (item >= 0) out += ".items[" + std::to_string(item) + "]";
  return out;
}

void Report::Decided(const Location& loc, const Decision& d) {
  if (d.allowed) {
    ++allowed_;
  } else {
    ++denied_;
  }
  if (!json_output_) {
    PrintDecision(loc, d);
    return;
  }
  results_.push_back({{"file", loc.file},
                      {"document", loc.document},
                      {"item", ItemOf(loc)},
                      {"kind", d.kind},
                      {"namespace", d.ns},
                      {"name", d.name},
                      {"inScope", d.in_scope},
                      {"allowed", d.allowed},
                      {"violations", d.violations},
                      {"warnings", d.warnings},
                      {"patch", d.patch}});
}

void Report::PrintDecision(const Location& loc, const Decision& d) {
  out_ << loc.Text() << " " << d.kind << " " << d.display_name << ": "
       << (d.allowed ? "ALLOWED" : "DENIED") << (d.in_scope ? "" : " (out of scope)") << "\n";
  for (const auto& [label, findings] :
       {std::pair{"deny", &d.violations}, std::pair{"warn", &d.warnings}}) {
    for (const auto& f : *findings) {
      out_ << "  " << label << "  [" << f["check"].get<std::string>() << "] "
           << Indented(f["message"].get<std::string>(), "        ") << "\n";
    }
  }
  if (d.patch.is_array() && !d.patch.empty()) {
    out_ << "  patch:\n";
    for (const auto& op : d.patch) {
      out_ << "    " << op.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    }
  }
}

void Report::Skipped(const Location& loc, const Skip& s) {
  ++skipped_;
  skipped_list_.push_back({{"file", loc.file},
                           {"document", loc.document},
                           {"item", ItemOf(loc)},
                           {"apiVersion", s.api_version},
                           {"kind", s.kind != nullptr ? *s.kind : ""},
                           {"name", s.name},
                           {"reason", s.reason}});
  if (s.notable && !json_output_) {
    out_ << loc.Text();
    if (s.kind != nullptr) out_ << " " << *s.kind << " " << s.display_name;
    out_ << ": skipped (" << s.reason << ")\n";
  }
}

void Report::Failed(const Location& loc, const std::string& message) {
  out_.flush();  // keep the listing and the errors in order on a terminal
  err_ << "error: " << loc.Text() << ": " << message << "\n";
  errors_.push_back({{"file", loc.file},
                     {"document", loc.document > 0 ? json(loc.document) : json(nullptr)},
                     {"message", message}});
}

int Report::Finish() {
  const int total = allowed_ + denied_ + skipped_;
  if (json_output_) {
    json summary = {{"objects", total},
                    {"allowed", allowed_},
                    {"denied", denied_},
                    {"skipped", skipped_},
                    {"errors", errors_.size()}};
    const json report = {{"results", results_},
                         {"skipped", skipped_list_},
                         {"errors", errors_},
                         {"summary", summary}};
    out_ << report.dump(2) << "\n";
  } else {
    out_ << total << (total == 1 ? " object: " : " objects: ") << allowed_ << " allowed, "
         << denied_ << " denied, " << skipped_ << " skipped";
    if (!errors_.empty())
      out_ << "; " << errors_.size() << (errors_.size() == 1 ? " error" : " errors");
    out_ << "\n";
  }
  out_.flush();
  if (!errors_.empty()) return 2;
  return denied_ > 0 ? 1 : 0;
}

}  // namespace albwebhook::cli::check
