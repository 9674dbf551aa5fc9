#include "albwebhook/api/types.hpp"

#include <cstddef>
#include <iterator>

namespace albwebhook::api {

const char* OperationName(Operation op) {
  static constexpr const char* kNames[] = {"CREATE", "UPDATE", "DELETE", "CONNECT"};
  const auto index = static_cast<std::size_t>(op);
  return index < std::size(kNames) ? kNames[index] : "UNKNOWN";
}

}  // namespace albwebhook::api
