// Seam: the TargetGroupBinding rule sets land with issue 4. Until then every TargetGroupBinding is allowed (README says so).
#include "albwebhook/rules/target_group_binding.hpp"

namespace albwebhook::rules {
namespace {

class TargetGroupBindingValidator final : public Validator {
 public:
  Verdict Validate(const Context& /*ctx*/, const nlohmann::json& /*object*/,
                   const nlohmann::json& /*old_object*/) const override {
    return {};
  }
};

class TargetGroupBindingMutator final : public Mutator {
 public:
  Verdict Mutate(const Context& /*ctx*/, nlohmann::json& /*object*/,
                 const nlohmann::json& /*old_object*/) const override {
    return {};
  }
};

}  // namespace

std::unique_ptr<Validator> MakeTargetGroupBindingValidator() { return std::make_unique<TargetGroupBindingValidator>(); }
std::unique_ptr<Mutator> MakeTargetGroupBindingMutator() { return std::make_unique<TargetGroupBindingMutator>(); }

}  // namespace albwebhook::rules
