// A side contract of mutators whose changes stay within a small part of the object, so the
// mutating adapter can copy and diff that part instead of the whole object (which can be MiBs).
#pragma once

#include <nlohmann/json.hpp>

namespace albwebhook::rules {

class SkeletonMutator {
 public:
  virtual ~SkeletonMutator() = default;
  /// The part of `object` the mutator reads and writes, as an object of the same shape. Mutate on
  /// the skeleton changes exactly what Mutate on `object` changes, and nothing outside it: the
  /// patch between skeleton and mutated skeleton is the patch between object and mutated object.
  virtual nlohmann::json Skeleton(const nlohmann::json& object) const = 0;
};

}  // namespace albwebhook::rules
