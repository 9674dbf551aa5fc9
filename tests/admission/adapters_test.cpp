#include <gtest/gtest.h>

#include "albwebhook/admission/handler.hpp"
#include "albwebhook/admission/response.hpp"

namespace albwebhook::admission {
namespace {

using nlohmann::json;

// Denies every annotation "bad/<x>" with a message naming its value, and every "new/<x>" as a
// change (the way "new usage of ..." is denied); out of scope when the object carries label
// skip=true. Counts calls.
class FakeValidator final : public rules::Validator {
 public:
  rules::Verdict Validate(const rules::Context& ctx, const json& object,
                          const json& /*old_object*/) const override {
    ++calls;
    last_op = ctx.operation;
    rules::Verdict v;
    if (object.value("/metadata/labels/skip"_json_pointer, "") == "true") {
      v.in_scope = false;
      v.Deny("never", "must not be seen");
      return v;
    }
    const json annotations = object.value("/metadata/annotations"_json_pointer, json::object());
    for (const auto& [k, val] : annotations.items()) {
      if (k.rfind("bad/", 0) == 0) v.Deny("bad", k + ": " + val.dump() + " is bad");
      if (k.rfind("warn/", 0) == 0) v.Warn("warn", k + " is suspicious");
      if (k.rfind("new/", 0) == 0) v.DenyChange("new", "new usage of " + k + " is forbidden");
    }
    return v;
  }
  mutable int calls = 0;
  mutable Operation last_op = Operation::kCreate;
};

class FakeMutator final : public rules::Mutator {
 public:
  rules::Verdict Mutate(const rules::Context& /*ctx*/, json& object,
                        const json& /*old*/) const override {
    ++calls;
    rules::Verdict v;
    if (object.value("/metadata/labels/skip"_json_pointer, "") == "true") {
      object["metadata"]["annotations"]["x"] = "must not leak";
      v.in_scope = false;
      return v;
    }
    if (object.value("/metadata/labels/deny"_json_pointer, "") == "true") {
      v.Deny("required", "must provide something");
      return v;
    }
    auto& ann = object["metadata"]["annotations"];
    if (!ann.contains("example.com/default")) ann["example.com/default"] = "on";
    return v;
  }
  mutable int calls = 0;
};

Request MakeRequest(Operation op, json object, json old_object = nullptr) {
  Request r;
  r.review_api_version = "admission.k8s.io/v1";
  r.uid = "u";
  r.kind = {"networking.k8s.io", "v1", "Ingress"};
  r.ns = "team-a";
  r.operation = op;
  r.object = std::move(object);
  r.old_object = std::move(old_object);
  return r;
}

json WithAnnotations(json annotations) {
  return json{{"metadata", {{"name", "web"}, {"annotations", std::move(annotations)}}}};
}

const ExpectedKind kIngress{"networking.k8s.io", "Ingress"};
const auto kSource = std::make_shared<const state::FixedSnapshotSource>(policy::Policy{});

TEST(ValidatingAdapterTest, DeniesWithAllViolationsJoined) {
  auto validator = std::make_shared<FakeValidator>();
  auto handler = MakeValidatingHandler(validator, kIngress, kSource);
  auto r = handler->Handle(MakeRequest(
      Operation::kCreate, WithAnnotations({{"bad/a", "1"}, {"bad/b", "2"}, {"warn/c", "3"}})));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.status.code, 403);
  EXPECT_EQ(r.status.reason, "Forbidden");
  EXPECT_EQ(r.status.message, R"(bad/a: "1" is bad; bad/b: "2" is bad)");
  EXPECT_EQ(r.warnings, std::vector<std::string>{"warn/c is suspicious"});
  EXPECT_EQ(r.violations, 2U);
  EXPECT_EQ(r.failed_checks, std::vector<std::string>{"bad"});
}

// status.message keeps whole problems up to kMaxDenialMessageBytes and counts the rest; all of
// them still count as violations.
TEST(ValidatingAdapterTest, DenialMessageIsCappedAndCountsTheRest) {
  auto validator = std::make_shared<FakeValidator>();
  auto handler = MakeValidatingHandler(validator, kIngress, kSource);
  json annotations = json::object();
  const std::string value(1000, 'v');
  for (int i = 0; i < 100; ++i) annotations["bad/k" + std::to_string(1000 + i)] = value;
  auto r = handler->Handle(MakeRequest(Operation::kCreate, WithAnnotations(annotations)));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.violations, 100U);
  // Each problem is `bad/kNNNN: "v...v" is bad`, and "; " between two.
  const std::size_t one = std::string("bad/k1000: \"" + value + "\" is bad").size();
  const std::size_t kept = (kMaxDenialMessageBytes + 2) / (one + 2);
  ASSERT_EQ(kept, 32U);
  std::string expected;
  for (std::size_t i = 0; i < kept; ++i) {
    if (i != 0) expected += "; ";
    expected += "bad/k" + std::to_string(1000 + i) + ": \"" + value + "\" is bad";
  }
  expected += "; ... and " + std::to_string(100 - kept) + " more problems";
  EXPECT_EQ(r.status.message, expected);
  EXPECT_LE(r.status.message.size(), kMaxDenialMessageBytes + 40);

  // One problem past the cap alone: its head, cut at a character boundary, then "...".
  std::string multibyte;
  for (std::size_t i = 0; i < kMaxDenialMessageBytes; ++i) multibyte += "\xC3\xA9";
  auto cut =
      handler->Handle(MakeRequest(Operation::kCreate, WithAnnotations({{"bad/w", multibyte}})));
  ASSERT_FALSE(cut.allowed);
  EXPECT_LE(cut.status.message.size(), kMaxDenialMessageBytes);
  ASSERT_TRUE(cut.status.message.ends_with("..."));
  const std::string head = cut.status.message.substr(0, cut.status.message.size() - 3);
  EXPECT_TRUE(head.starts_with("bad/w: \"\xC3\xA9"));
  EXPECT_TRUE(head.ends_with("\xC3\xA9"));  // no half character
}

TEST(ValidatingAdapterTest, RatchetsUnchangedViolationsOnUpdate) {
  auto validator = std::make_shared<FakeValidator>();
  auto handler = MakeValidatingHandler(validator, kIngress, kSource);
  // bad/a unchanged -> warning; bad/b changed value -> still denied.
  auto r = handler->Handle(MakeRequest(Operation::kUpdate,
                                       WithAnnotations({{"bad/a", "1"}, {"bad/b", "3"}}),
                                       WithAnnotations({{"bad/a", "1"}, {"bad/b", "2"}})));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.status.message, R"(bad/b: "3" is bad)");
  EXPECT_EQ(r.warnings, std::vector<std::string>{
                            R"(pre-existing, not blocking this update: bad/a: "1" is bad)"});
  // Only pre-existing violations: allowed with warnings.
  auto ok = handler->Handle(MakeRequest(Operation::kUpdate, WithAnnotations({{"bad/a", "1"}}),
                                        WithAnnotations({{"bad/a", "1"}})));
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.warnings.size(), 1U);
  EXPECT_EQ(validator->last_op, Operation::kCreate);  // the old object is judged as a CREATE
}

// A denial about the change itself ("new usage of ...", immutable fields) is not a pre-existing
// violation even when judging the old object as a CREATE says the same words.
TEST(ValidatingAdapterTest, NeverRatchetsDenialsOfTheChange) {
  auto validator = std::make_shared<FakeValidator>();
  auto handler = MakeValidatingHandler(validator, kIngress, kSource);
  auto r = handler->Handle(MakeRequest(Operation::kUpdate,
                                       WithAnnotations({{"new/x", "2"}, {"bad/a", "1"}}),
                                       WithAnnotations({{"new/x", "1"}, {"bad/a", "1"}})));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.status.message, "new usage of new/x is forbidden");
  EXPECT_EQ(r.warnings, std::vector<std::string>{
                            R"(pre-existing, not blocking this update: bad/a: "1" is bad)"});
}

TEST(ValidatingAdapterTest, NeverBlocksUpdateOfObjectBeingDeleted) {
  auto validator = std::make_shared<FakeValidator>();
  auto handler = MakeValidatingHandler(validator, kIngress, kSource);
  json obj = WithAnnotations({{"bad/a", "new"}});
  obj["metadata"]["deletionTimestamp"] = "2026-11-26T10:00:00Z";
  auto r = handler->Handle(MakeRequest(Operation::kUpdate, obj, WithAnnotations(json::object())));
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(validator->calls, 0);
}

TEST(ValidatingAdapterTest, DeleteAndConnectAllowedWithoutRules) {
  auto validator = std::make_shared<FakeValidator>();
  auto handler = MakeValidatingHandler(validator, kIngress, kSource);
  EXPECT_TRUE(
      handler->Handle(MakeRequest(Operation::kDelete, nullptr, WithAnnotations({{"bad/a", "1"}})))
          .allowed);
  EXPECT_TRUE(handler->Handle(MakeRequest(Operation::kConnect, json::object())).allowed);
  EXPECT_EQ(validator->calls, 0);
}

TEST(ValidatingAdapterTest, OutOfScopeAllowedUntouched) {
  auto handler = MakeValidatingHandler(std::make_shared<FakeValidator>(), kIngress, kSource);
  json obj = WithAnnotations({{"bad/a", "1"}});
  obj["metadata"]["labels"]["skip"] = "true";
  auto r = handler->Handle(MakeRequest(Operation::kCreate, obj));
  EXPECT_TRUE(r.allowed);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(r.failed_checks.empty());
}

TEST(ValidatingAdapterTest, WrongKindIs400) {
  auto handler = MakeValidatingHandler(std::make_shared<FakeValidator>(), kIngress, kSource);
  auto req = MakeRequest(Operation::kCreate, WithAnnotations(json::object()));
  req.kind = {"", "v1", "Pod"};
  auto r = handler->Handle(req);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.status.code, 400);
  EXPECT_EQ(r.status.message, "this webhook handles networking.k8s.io/Ingress, got /Pod");
}

TEST(MutatingAdapterTest, PatchFromRawObjectCreatesAnnotations) {
  auto handler = MakeMutatingHandler(std::make_shared<FakeMutator>(), kIngress, kSource);
  const json obj = {{"metadata", {{"name", "web"}}}, {"spec", {{"rules", json::array()}}}};
  auto r = handler->Handle(MakeRequest(Operation::kCreate, obj));
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(
      r.patch,
      json::parse(
          R"([{"op":"add","path":"/metadata/annotations","value":{"example.com/default":"on"}}])"));
  const json patched = obj.patch(r.patch);
  // Second pass over its own output: no patch.
  auto again = handler->Handle(MakeRequest(Operation::kUpdate, patched, obj));
  EXPECT_TRUE(again.patch.empty());
}

TEST(MutatingAdapterTest, EscapesAnnotationKeysInPatch) {
  auto handler = MakeMutatingHandler(std::make_shared<FakeMutator>(), kIngress, kSource);
  const json obj = WithAnnotations({{"user", "set"}});
  auto r = handler->Handle(MakeRequest(Operation::kCreate, obj));
  EXPECT_EQ(
      r.patch,
      json::parse(
          R"([{"op":"add","path":"/metadata/annotations/example.com~1default","value":"on"}])"));
}

TEST(MutatingAdapterTest, SkipsDeleteConnectAndDeletingObjects) {
  auto mutator = std::make_shared<FakeMutator>();
  auto handler = MakeMutatingHandler(mutator, kIngress, kSource);
  json deleting = WithAnnotations(json::object());
  deleting["metadata"]["deletionTimestamp"] = "2026-11-26T10:00:00Z";
  EXPECT_TRUE(handler->Handle(MakeRequest(Operation::kDelete, nullptr, deleting)).patch.empty());
  EXPECT_TRUE(handler->Handle(MakeRequest(Operation::kConnect, json::object())).patch.empty());
  EXPECT_TRUE(handler->Handle(MakeRequest(Operation::kUpdate, deleting, deleting)).patch.empty());
  EXPECT_EQ(mutator->calls, 0);
}

TEST(MutatingAdapterTest, OutOfScopeAndDeniedGiveNoPatch) {
  auto handler = MakeMutatingHandler(std::make_shared<FakeMutator>(), kIngress, kSource);
  json skip = WithAnnotations(json::object());
  skip["metadata"]["labels"]["skip"] = "true";
  auto r = handler->Handle(MakeRequest(Operation::kCreate, skip));
  EXPECT_TRUE(r.allowed);
  EXPECT_TRUE(r.patch.empty());
  json deny = WithAnnotations(json::object());
  deny["metadata"]["labels"]["deny"] = "true";
  auto d = handler->Handle(MakeRequest(Operation::kCreate, deny));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status.message, "must provide something");
  EXPECT_TRUE(d.patch.empty());
}

TEST(EvaluateCreateTest, MutatesThenValidatesMutatedObject) {
  FakeMutator mutator;
  FakeValidator validator;
  auto e = EvaluateCreate(&mutator, validator, WithAnnotations({{"bad/x", "1"}}), "ns",
                          kSource->Current());
  EXPECT_TRUE(e.in_scope);
  EXPECT_FALSE(e.allowed);
  ASSERT_EQ(e.findings.size(), 1U);
  EXPECT_EQ(e.findings[0].message, R"(bad/x: "1" is bad)");
  EXPECT_EQ(
      e.patch,
      json::parse(
          R"([{"op":"add","path":"/metadata/annotations/example.com~1default","value":"on"}])"));
}

}  // namespace
}  // namespace albwebhook::admission
