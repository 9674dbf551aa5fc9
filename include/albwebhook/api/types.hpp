// Vocabulary shared by the admission envelope and the rule sets (a leaf: includes nothing of ours).
#pragma once

#include <string>

namespace albwebhook::api {

enum class Operation { kCreate, kUpdate, kDelete, kConnect };

/// "CREATE", "UPDATE", ...
const char* OperationName(Operation op);

struct GroupVersionKind {
  std::string group;
  std::string version;
  std::string kind;
};

}  // namespace albwebhook::api
