// What `alb-webhook check` prints: a text listing or one JSON report, and the exit code
// (internal to the check command).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

namespace albwebhook::cli::check {

/// Where an object comes from: a file, a document in it, an item of a List document.
struct Location {
  std::string file;
  int document = 0;  // 0: the whole file
  int item = -1;     // index in a List's items, -1: not a list item

  std::string Text() const;
};

/// An object the rules evaluated.
struct Decision {
  std::string kind;
  std::string ns;
  std::string name;          // metadata.name ("" when none)
  std::string display_name;  // as listed: "ns/name", "ns/prefix*" or "ns/<no name>"
  bool in_scope = true;
  bool allowed = true;
  nlohmann::json violations = nlohmann::json::array();  // [{check, message}]
  nlohmann::json warnings = nlohmann::json::array();    // [{check, message}]
  nlohmann::json patch;
};

/// An object that was not evaluated, and why.
struct Skip {
  std::string api_version;   // "" when none
  const std::string* kind = nullptr;
  std::string name;          // metadata.name ("" when none)
  std::string display_name;  // as listed (text, notable skips only)
  std::string reason;
  bool notable = false;  // listed in text output too (looks like a mistake)
};

class Report {
 public:
  Report(bool json_output, std::ostream& out, std::ostream& err)
      : json_output_(json_output), out_(out), err_(err) {}

  void Decided(const Location& loc, const Decision& d);
  void Skipped(const Location& loc, const Skip& s);
  /// Bad input: on stderr at once (after what is listed so far), and in the JSON report.
  void Failed(const Location& loc, const std::string& message);
  /// The summary (text) or the whole report (JSON); returns the exit code.
  int Finish();

 private:
  void PrintDecision(const Location& loc, const Decision& d);

  const bool json_output_;
  std::ostream& out_;
  std::ostream& err_;
  nlohmann::json results_ = nlohmann::json::array();
  nlohmann::json skipped_list_ = nlohmann::json::array();
  nlohmann::json errors_ = nlohmann::json::array();
  int allowed_ = 0;
  int denied_ = 0;
  int skipped_ = 0;
};

}  // namespace albwebhook::cli::check
