#include "common/file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace albwebhook::common {
namespace {

class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("albwebhook-readfile-" + std::to_string(::getpid())))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(ReadFileTest, ReadsAllBytes) {
  const std::string bytes("a\0b\r\n\xff", 6);
  std::ofstream(path_, std::ios::binary) << bytes;
  auto text = ReadFile(path_);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(*text, bytes);
}

TEST_F(ReadFileTest, EmptyFile) {
  std::ofstream(path_, std::ios::binary).flush();
  auto text = ReadFile(path_);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, "");
}

TEST_F(ReadFileTest, MissingFileDefaultMessage) {
  auto text = ReadFile(path_);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message, "cannot open " + path_ + ": No such file or directory");
}

TEST_F(ReadFileTest, CallerWordsTheMessage) {
  auto text =
      ReadFile(path_, [](ReadFileStep step, const std::string& path, std::string_view reason) {
        return std::string(step == ReadFileStep::kOpen ? "open " : "read ") + path + " (" +
               std::string(reason) + ")";
      });
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message, "open " + path_ + " (No such file or directory)");
}

}  // namespace
}  // namespace albwebhook::common
