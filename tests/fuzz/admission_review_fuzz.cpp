// Fuzz target: an arbitrary POST body through ServeAdmission and each of the four real webhooks
// (Ingress and TargetGroupBinding, validating and mutating), under the embedded default policy
// and a strict one. The decoder, kind checks and rule sets all see the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"

namespace albwebhook::fuzz {
namespace {

void ServeAll(std::string_view body, const policy::Policy& policy) {
  const Handlers& h = Handlers::Get(policy);
  nlohmann::json object;  // request.object, for checking the patches against (parsed lazily)
  bool parsed = false;
  for (const admission::Handler* handler : {h.validate_ingress.get(), h.mutate_ingress.get(),
                                            h.validate_tgb.get(), h.mutate_tgb.get()}) {
    const auto out = admission::ServeAdmission(body, "application/json", *handler);
    const auto answer = CheckAnswer(out, *handler);
    if (handler->validating() || !answer["response"].contains("patch")) continue;
    if (!parsed) {
      const auto review = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
      FUZZ_CHECK(review.is_object());  // a patch was computed, so the body decoded
      object = review.at("request").at("object");
      parsed = true;
    }
    CheckPatchApplies(answer, object);
  }
}

}  // namespace
}  // namespace albwebhook::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace albwebhook;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static const policy::Policy kDefault{};
  fuzz::ServeAll(body, kDefault);
  fuzz::ServeAll(body, fuzz::StrictPolicy());
  return 0;
}
