// Seam: the Ingress rule sets land with issue 3. Until then every Ingress is allowed (README says so).
#include "albwebhook/rules/ingress.hpp"

namespace albwebhook::rules {
namespace {

class IngressValidator final : public Validator {
 public:
  Verdict Validate(const Context& /*ctx*/, const nlohmann::json& /*object*/,
                   const nlohmann::json& /*old_object*/) const override {
    return {};
  }
};

class IngressMutator final : public Mutator {
 public:
  Verdict Mutate(const Context& /*ctx*/, nlohmann::json& /*object*/,
                 const nlohmann::json& /*old_object*/) const override {
    return {};
  }
};

}  // namespace

std::unique_ptr<Validator> MakeIngressValidator() { return std::make_unique<IngressValidator>(); }
std::unique_ptr<Mutator> MakeIngressMutator() { return std::make_unique<IngressMutator>(); }

}  // namespace albwebhook::rules
