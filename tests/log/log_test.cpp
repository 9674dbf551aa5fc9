// The log sink: JSON lines on stderr, info batched, warn/error at once, never reordered.
#include "albwebhook/log/log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace albwebhook::log {
namespace {

using nlohmann::json;

// Points fd 2 at a temporary file for the test's lifetime; Read() returns what reached it.
class CapturedStderr {
 public:
  CapturedStderr() {
    Flush();  // nothing of earlier tests lands in this file
    std::fflush(stderr);
    saved_ = ::dup(2);
    char name[] = "/tmp/albwebhook-log-XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~CapturedStderr() {
    Flush();
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    std::remove(path_.c_str());
  }
  std::vector<std::string> RawLines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
  }
  std::vector<json> Lines() const {
    std::ifstream in(path_);
    std::vector<json> out;
    std::string line;
    while (std::getline(in, line)) out.push_back(json::parse(line));
    return out;
  }

 private:
  int saved_ = -1;
  std::string path_;
};

TEST(LogTest, WarnWritesEveryEarlierInfoLineFirstInOrder) {
  CapturedStderr captured;
  Info("first", {{"n", 1}});
  Info("second", {{"n", 2}});
  Warn("third", {{"n", 3}});
  // No Flush(): the warn line is written at once, after the batched info lines.
  const auto lines = captured.Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["msg"], "first");
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[1]["msg"], "second");
  EXPECT_EQ(lines[2]["msg"], "third");
  EXPECT_EQ(lines[2]["level"], "warn");
  EXPECT_EQ(lines[2]["n"], 3);
}

TEST(LogTest, InfoLinesReachStderrWithoutAFlush) {
  CapturedStderr captured;
  Info("alone", {{"uid", "u-1"}});
  // The flusher writes it about 100 ms later; wait for it (bounded), never call Flush().
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<json> lines;
  while ((lines = captured.Lines()).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["uid"], "u-1");
}

TEST(LogTest, ManyInfoLinesAreWrittenOnceThe32KiBBatchIsFull) {
  CapturedStderr captured;
  const std::string filler(200, 'x');
  for (int i = 0; i < 400; ++i) Info("bulk", {{"i", i}, {"filler", filler}});  // ~100 KiB
  // At least the first full batches are out without a flush or a wait.
  EXPECT_GE(captured.Lines().size(), 100u);
  Flush();
  const auto lines = captured.Lines();
  ASSERT_EQ(lines.size(), 400u);
  for (int i = 0; i < 400; ++i) EXPECT_EQ(lines[static_cast<std::size_t>(i)]["i"], i);
}

TEST(LogTest, LinesFromManyThreadsStayWhole) {
  CapturedStderr captured;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 500; ++i) Info("threaded", {{"t", t}, {"i", i}});
    });
  }
  for (auto& th : threads) th.join();
  Flush();
  const auto lines = captured.Lines();  // every line parses as JSON (Lines() would throw)
  ASSERT_EQ(lines.size(), 2000u);
  std::vector<int> next(4, 0);
  for (const auto& l : lines) {
    const int t = l["t"].get<int>();
    EXPECT_EQ(l["i"].get<int>(), next[static_cast<std::size_t>(t)]++)
        << "reordered within a thread";
  }
}

// The line without its timestamp (two lines are written at different microseconds).
std::string WithoutTime(const std::string& line) {
  return std::regex_replace(line, std::regex(R"("time":"[0-9T:.Z-]+")"), R"("time":"-")");
}

TEST(LogTest, FieldsWriteTheSameBytesAsAJsonObject) {
  const std::vector<std::string> checks = {"ingress-scheme", "quote\"back\\slash", "\x01ctl"};
  const std::vector<std::string> no_checks;
  const std::string bad_utf8 = "bad \xff\xfe utf-8 \xc3\xa9";
  struct Case {
    const char* name;
    Level level;
    const char* message;
    std::vector<std::pair<std::string, json>> as_json;  // in the order given
    std::function<void()> write_fields;
  };
  const std::vector<Case> cases = {
      {"admission line",
       Level::kInfo,
       "admission",
       {{"uid", "u-1"},
        {"webhook", "/validate"},
        {"allowed", true},
        {"code", 200},
        {"violations", std::size_t{0}},
        {"warnings", std::size_t{3}},
        {"duration_us", -5LL}},
       [] {
         WriteFields(Level::kInfo, "admission",
                     {{"uid", "u-1"},
                      {"webhook", std::string("/validate")},
                      {"allowed", true},
                      {"code", 200},
                      {"violations", std::size_t{0}},
                      {"warnings", std::size_t{3}},
                      {"duration_us", -5LL}});
       }},
      {"arrays, escapes, invalid UTF-8",
       Level::kWarn,
       "denied \"quoted\"",
       {{"checks", checks}, {"none", no_checks}, {"error", bad_utf8}, {"tab\tkey", "v\n"}},
       [&] {
         WriteFields(
             Level::kWarn, "denied \"quoted\"",
             {{"checks", checks}, {"none", no_checks}, {"error", bad_utf8}, {"tab\tkey", "v\n"}});
       }},
      {"fields named like the fixed keys win; of a repeated key the first",
       Level::kError,
       "fixed",
       {{"msg", "mine"},
        {"level", "x"},
        {"a", 1},
        {"a", 2},
        {"zz", false},
        {"big", std::numeric_limits<std::uint64_t>::max()},
        {"small", std::numeric_limits<std::int64_t>::min()}},
       [] {
         WriteFields(Level::kError, "fixed",
                     {{"msg", "mine"},
                      {"level", "x"},
                      {"a", 1},
                      {"a", 2},
                      {"zz", false},
                      {"big", std::numeric_limits<std::uint64_t>::max()},
                      {"small", std::numeric_limits<std::int64_t>::min()}});
       }},
      {"no fields", Level::kInfo, "empty", {}, [] { WriteFields(Level::kInfo, "empty", {}); }},
  };
  for (const Case& c : cases) {
    CapturedStderr captured;
    json object = json::object();
    for (const auto& [key, value] : c.as_json) object.emplace(key, value);  // first wins
    Write(c.level, c.message, object);
    c.write_fields();
    Flush();
    const auto lines = captured.RawLines();
    ASSERT_EQ(lines.size(), 2u) << c.name;
    EXPECT_EQ(WithoutTime(lines[1]), WithoutTime(lines[0])) << c.name;
    EXPECT_TRUE(json::accept(lines[1])) << c.name;
  }
}

TEST(LogTest, TimestampIsUtcWithMicroseconds) {
  CapturedStderr captured;
  Info("first");
  Info("second");
  Flush();
  const auto lines = captured.Lines();
  ASSERT_EQ(lines.size(), 2u);
  const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");
  for (const auto& l : lines) {
    EXPECT_TRUE(std::regex_match(l["time"].get<std::string>(), shape)) << l.dump();
  }
  EXPECT_LE(lines[0]["time"].get<std::string>(), lines[1]["time"].get<std::string>());
}

TEST(LogTest, LevelBelowTheThresholdIsDropped) {
  CapturedStderr captured;
  SetLevel(Level::kWarn);
  Info("hidden");
  Error("shown");
  SetLevel(Level::kInfo);
  Flush();
  const auto lines = captured.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["msg"], "shown");
  EXPECT_EQ(lines[0]["level"], "error");
}

}  // namespace
}  // namespace albwebhook::log
