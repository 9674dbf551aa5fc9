// JSON pointer tokens (include/albwebhook/util/json_pointer.hpp).
#include "albwebhook/util/json_pointer.hpp"

namespace albwebhook::util {

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

}  // namespace albwebhook::util
