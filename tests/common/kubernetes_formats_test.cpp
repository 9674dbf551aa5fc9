#include "common/kubernetes_formats.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/aws_formats.hpp"

namespace albwebhook::common {
namespace {

struct Case {
  std::string name;
  bool (*predicate)(std::string_view);
  std::string input;
  bool want;
};

TEST(TargetGroupBindingFormatsTest, Predicates) {
  const std::vector<Case> cases = {
      {"ok_tg_name", IsElbName, "My-TG-1", true},
      {"ok_tg_name_one_char", IsElbName, "a", true},
      {"ok_tg_name_double_hyphen", IsElbName, "new--tg", true},  // the API accepts it
      {"err_tg_name_empty", IsElbName, "", false},
      {"err_tg_name_33", IsElbName, std::string(33, 'x'), false},
      {"err_tg_name_hyphen_end", IsElbName, "tg-", false},
      {"err_tg_name_dot", IsElbName, "tg.1", false},
      {"ok_dns1035", IsDns1035Label, "web-1", true},
      {"ok_dns1035_63", IsDns1035Label, std::string(63, 'a'), true},
      {"err_dns1035_64", IsDns1035Label, std::string(64, 'a'), false},
      {"err_dns1035_digit_first", IsDns1035Label, "1web", false},
      {"err_dns1035_hyphen_end", IsDns1035Label, "web-", false},
      {"err_dns1035_upper", IsDns1035Label, "Web", false},
      {"err_dns1035_empty", IsDns1035Label, "", false},
      {"ok_port_name", IsPortName, "http-alt", true},
      {"ok_port_name_15", IsPortName, "abcdefghijklmno", true},
      {"err_port_name_16", IsPortName, "abcdefghijklmnop", false},
      {"err_port_name_digits_only", IsPortName, "8080", false},
      {"err_port_name_double_hyphen", IsPortName, "a--b", false},
      {"err_port_name_upper", IsPortName, "HTTP", false},
      {"err_port_name_hyphen_start", IsPortName, "-http", false},
      {"ok_label_key", IsLabelKey, "tier", true},
      {"ok_label_key_prefixed", IsLabelKey, "node.kubernetes.io/instance-type", true},
      {"ok_label_key_underscore_dot", IsLabelKey, "a_b.c", true},
      {"err_label_key_empty", IsLabelKey, "", false},
      {"err_label_key_empty_name", IsLabelKey, "example.com/", false},
      {"err_label_key_empty_prefix", IsLabelKey, "/a", false},
      {"err_label_key_two_slashes", IsLabelKey, "a/b/c", false},
      {"err_label_key_upper_prefix", IsLabelKey, "Example.com/a", false},
      {"err_label_key_64", IsLabelKey, std::string(64, 'a'), false},
      {"ok_label_value_empty", IsLabelValue, "", true},
      {"ok_label_value", IsLabelValue, "v1.2_b-c", true},
      {"err_label_value_space", IsLabelValue, "a b", false},
      {"err_label_value_trailing_dot", IsLabelValue, "a.", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.predicate(c.input), c.want) << c.input;
  }
}

}  // namespace
}  // namespace albwebhook::common
