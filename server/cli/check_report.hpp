// What `alb-webhook check` prints: a text listing, one JSON report or one of the CI formats
// (check_formats.hpp), and the exit code (internal to the check command).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/check_flags.hpp"

namespace albwebhook::cli::check {

/// The name standard input is listed under.
inline constexpr std::string_view kStdinName = "<stdin>";

/// Where an object comes from: a file, a document in it, an item of a List document.
struct Location {
  std::string file;
  int document = 0;  // 0: the whole file
  int item = -1;     // index in a List's items, -1: not a list item
  int line = 0;      // 1-based line where the object (or the document) starts; 0: unknown

  std::string Text() const;
};

/// A violation or a warning, and the line of the annotation or field it is about (0: unknown).
struct Finding {
  std::string check;
  std::string message;
  int line = 0;
};

/// An object the rules evaluated.
struct Decision {
  std::string kind;
  std::string ns;
  std::string name;          // metadata.name ("" when none)
  std::string display_name;  // as listed: "ns/name", "ns/prefix*" or "ns/<no name>"
  bool in_scope = true;
  bool allowed = true;
  std::vector<Finding> violations;
  std::vector<Finding> warnings;
  nlohmann::json patch;
};

/// An object that was not evaluated, and why.
struct Skip {
  std::string api_version;          // "" when none
  std::optional<std::string> kind;  // none: the object has no kind
  std::string name;                 // metadata.name ("" when none)
  std::string display_name;         // as listed (text, notable skips only)
  std::string reason;
  bool notable = false;  // listed in text output too (looks like a mistake)
};

/// Input that could not be read or parsed.
struct InputError {
  std::string message;
};

/// One thing the report says, in input order (the CI formats are written from these at the end).
struct Outcome {
  Location loc;
  std::variant<Decision, Skip, InputError> what;
};

/// The counts of the summary line.
struct Totals {
  int allowed = 0;
  int denied = 0;
  int skipped = 0;
  int errors = 0;
  int objects() const { return allowed + denied + skipped; }
};

class Report {
 public:
  Report(Format format, std::ostream& out, std::ostream& err)
      : format_(format), out_(out), err_(err) {}

  void Decided(const Location& loc, Decision d);
  void Skipped(const Location& loc, Skip s);
  /// Bad input: on stderr at once (after what is listed so far), and in the report.
  void Failed(const Location& loc, const std::string& message);
  /// The summary (text), the whole report (the other formats); returns the exit code.
  int Finish();

 private:
  void PrintDecision(const Location& loc, const Decision& d);
  void PrintSummary();
  nlohmann::json JsonReport() const;

  const Format format_;
  std::ostream& out_;
  std::ostream& err_;
  std::vector<Outcome> outcomes_;  // every format but text
  Totals totals_;
};

}  // namespace albwebhook::cli::check
