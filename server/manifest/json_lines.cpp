// JSON line maps: nlohmann's SAX parser reads the document again through an iterator that
// publishes how far it has read; each event's line is that of the last character read.
#include "manifest/json_lines.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

#include "manifest/line_recorder.hpp"

namespace albwebhook::manifest::detail {
namespace {

using nlohmann::json;

// A char iterator that publishes its position to *cursor as it advances.
class PublishingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  PublishingIterator(const char* at, const char** cursor) : at_(at), cursor_(cursor) {}
  reference operator*() const { return *at_; }
  PublishingIterator& operator++() {
    *cursor_ = ++at_;
    return *this;
  }
  bool operator==(const PublishingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_;
  const char** cursor_;
};

// The SAX events to LineRecorder calls. The lexer may have read one character past a number
// (a newline, say), so an event's line is the line of the character before the last one read.
class JsonLineSax {
 public:
  JsonLineSax(LineMap* lines, const char* begin, const char* const* cursor, int first_line)
      : recorder_(lines), counted_(begin), cursor_(cursor), line_(first_line) {}

  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(json::number_integer_t) { return Value(); }
  bool number_unsigned(json::number_unsigned_t) { return Value(); }
  bool number_float(json::number_float_t, const std::string&) { return Value(); }
  bool string(std::string&) { return Value(); }
  bool binary(json::binary_t&) { return Value(); }
  bool start_object(std::size_t) { return Open(false); }
  bool start_array(std::size_t) { return Open(true); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(std::string& key) {
    Frame& frame = frames_.back();
    if (frame.in_child) recorder_.Leave(frame.mark);
    frame.mark = recorder_.Enter(key, Line());
    frame.in_child = true;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception&) { return false; }

 private:
  // An open object or array; in_child: a member or item was entered and not yet left (its end
  // shows only as the next key or item, or the container's end).
  struct Frame {
    bool array = false;
    std::size_t next_item = 0;
    bool in_child = false;
    std::size_t mark = 0;  // Leave() for that member or item
  };

  int Line() {
    const char* last = *cursor_ - 1;
    if (last > counted_) {
      line_ += static_cast<int>(std::count(counted_, last, '\n'));
      counted_ = last;
    }
    return line_;
  }
  // A value starts: the document's, a member's (its key was recorded) or an item's.
  bool Value() {
    if (frames_.empty()) {
      recorder_.Root(Line());
    } else if (Frame& frame = frames_.back(); frame.array) {
      if (frame.in_child) recorder_.Leave(frame.mark);
      frame.mark = recorder_.Enter(frame.next_item++, Line());
      frame.in_child = true;
    }
    return true;
  }
  bool Open(bool array) {
    Value();
    frames_.push_back(Frame{array, 0, false, 0});
    return true;
  }
  bool Close() {
    const Frame frame = frames_.back();
    frames_.pop_back();
    if (frame.in_child) recorder_.Leave(frame.mark);
    return true;
  }

  LineRecorder recorder_;
  const char* counted_;  // newlines before it are in line_
  const char* const* cursor_;
  int line_;
  std::vector<Frame> frames_;
};

}  // namespace

void RecordJsonLines(std::string_view text, ManifestDocument* doc) {
  const char* cursor = text.data();
  JsonLineSax sax(&doc->lines, text.data(), &cursor, doc->line);
  try {
    json::sax_parse(PublishingIterator(text.data(), &cursor),
                    PublishingIterator(text.data() + text.size(), &cursor), &sax,
                    json::input_format_t::json, /*strict=*/false);
  } catch (const std::exception&) {
    doc->lines.clear();  // parsed before, so not expected; the document start still holds
  }
}

}  // namespace albwebhook::manifest::detail
