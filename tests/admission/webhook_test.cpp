#include "albwebhook/admission/webhook.hpp"

#include <gtest/gtest.h>

#include "albwebhook/admission/response.hpp"
#include "albwebhook/admission/review_codec.hpp"
#include "albwebhook/json/json_patch.hpp"
#include "support/review_builder.hpp"

namespace albwebhook::admission {
namespace {

using nlohmann::json;

// A handler that answers what the test asks and records what it saw.
class FakeHandler final : public Handler {
 public:
  explicit FakeHandler(bool is_validating) : validating_(is_validating) {}
  Response Handle(const Request& request) const override {
    seen = request;
    if (throws) throw std::runtime_error("boom");
    return answer;
  }
  bool validating() const override { return validating_; }
  Response answer = Allowed();
  bool throws = false;
  mutable Request seen;

 private:
  bool validating_;
};

using testing::ReviewBuilder;

// A CREATE of a bare Ingress, as the apiserver sends it.
ReviewBuilder IngressReview(std::string_view api_version = kReviewV1) {
  return ReviewBuilder()
      .ApiVersion(std::string(api_version))
      .Uid("705ab4f5-6393-11e8-b7cc-42010a800002")
      .User("alice", {"system:authenticated"})
      .Object({{"apiVersion", "networking.k8s.io/v1"},
               {"kind", "Ingress"},
               {"metadata", {{"name", "web"}, {"namespace", "team-a"}}}})
      .Options({{"kind", "CreateOptions"}, {"apiVersion", "meta.k8s.io/v1"}});
}

// The handler's answer to IngressReview() in v1, as an AdmissionReview body.
AdmissionResult Serve(const FakeHandler& handler) {
  return ServeAdmission(IngressReview().Body(), "application/json", handler);
}

// The "response" of that answer.
json ServedResponse(const FakeHandler& handler) {
  return json::parse(Serve(handler).body)["response"];
}

TEST(ServeAdmissionTest, AllowedV1EchoesUidAndVersion) {
  FakeHandler handler(true);
  auto out = Serve(handler);
  EXPECT_EQ(out.http_status, 200);
  EXPECT_EQ(
      out.body,
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":true,"uid":"705ab4f5-6393-11e8-b7cc-42010a800002"}})");
  EXPECT_EQ(handler.seen.ns, "team-a");
  EXPECT_EQ(handler.seen.name, "web");
  EXPECT_EQ(handler.seen.username, "alice");
  EXPECT_EQ(handler.seen.kind.kind, "Ingress");
  EXPECT_EQ(handler.seen.object["metadata"]["name"], "web");
  EXPECT_TRUE(handler.seen.old_object.is_null());
  EXPECT_EQ(out.operation, "CREATE");
}

TEST(ServeAdmissionTest, V1beta1AnsweredInV1beta1) {
  FakeHandler handler(true);
  auto out = ServeAdmission(IngressReview(kReviewV1beta1).Body(), "application/json; charset=utf-8",
                            handler);
  EXPECT_EQ(out.http_status, 200);
  EXPECT_EQ(
      out.body,
      R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","response":{"allowed":true,"uid":"705ab4f5-6393-11e8-b7cc-42010a800002"}})");
}

TEST(ServeAdmissionTest, DenialIsHttp200WithStatus) {
  FakeHandler handler(true);
  handler.answer = Denied(
      "alb.ingress.kubernetes.io/scheme: \"public\" is not one of internal, internet-facing");
  handler.answer.warnings = {"a warning"};
  auto out = Serve(handler);
  EXPECT_EQ(out.http_status, 200);
  EXPECT_FALSE(out.allowed);
  EXPECT_EQ(json::parse(out.body),
            json::parse(R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
    "response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":false,
      "status":{"metadata":{},"status":"Failure","code":403,"reason":"Forbidden",
        "message":"alb.ingress.kubernetes.io/scheme: \"public\" is not one of internal, internet-facing"},
      "warnings":["a warning"]}})"));
}

TEST(ServeAdmissionTest, MutatingPatchIsBase64JsonPatch) {
  FakeHandler handler(false);
  handler.answer.patch =
      json::parse(R"([{"op":"add","path":"/metadata/annotations","value":{"a/b":"c"}}])");
  const json resp = ServedResponse(handler);
  EXPECT_EQ(resp["patchType"], "JSONPatch");
  EXPECT_EQ(resp["patch"],
            albwebhook::json::Base64Encode(
                R"([{"op":"add","path":"/metadata/annotations","value":{"a/b":"c"}}])"));
}

TEST(ServeAdmissionTest, ValidatingNeverReturnsPatch) {
  FakeHandler handler(true);
  handler.answer.patch = json::parse(R"([{"op":"add","path":"/x","value":1}])");
  const json resp = ServedResponse(handler);
  EXPECT_FALSE(resp.contains("patch"));
  EXPECT_FALSE(resp.contains("patchType"));
}

TEST(ServeAdmissionTest, EmptyPatchIsOmitted) {
  const json resp = ServedResponse(FakeHandler(false));
  EXPECT_FALSE(resp.contains("patch"));
  EXPECT_FALSE(resp.contains("patchType"));
}

TEST(ServeAdmissionTest, ExceptionBecomes500WithUid) {
  FakeHandler handler(true);
  handler.throws = true;
  auto out = Serve(handler);
  EXPECT_EQ(out.http_status, 500);
  EXPECT_TRUE(out.panicked);
  EXPECT_EQ(
      out.body,
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":false,"status":{"code":500,"message":"internal error: boom","metadata":{},"reason":"InternalError","status":"Failure"},"uid":"705ab4f5-6393-11e8-b7cc-42010a800002"}})");
}

TEST(ServeAdmissionTest, MalformedRequestsGet4xxReviews) {
  struct Case {
    std::string name;
    std::string body;
    std::string content_type;
    int want_code;
    std::string want_uid;
    std::string want_version;
    std::string want_message;
  };
  const std::string uid = "705ab4f5-6393-11e8-b7cc-42010a800002";
  auto with = [&](const std::function<void(json&)>& edit) {
    json review = IngressReview().Json();
    edit(review["request"]);
    return review.dump();
  };
  // A review whose object holds an array of kMaxJsonValues + 1 copies of `item`.
  auto review_with_items = [](const std::string& item) {
    std::string items = item;
    for (std::size_t i = 0; i < kMaxJsonValues; ++i) items += "," + item;
    return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":)"
           R"({"uid":"u1","object":{"a":[)" +
           items + "]}}}";
  };
  const std::vector<Case> cases = {
      {"err_empty_body", "", "application/json", 400, "", "admission.k8s.io/v1",
       "request body is empty"},
      {"err_content_type", "{}", "text/plain", 415, "", "admission.k8s.io/v1",
       "contentType=text/plain, expected application/json"},
      {"err_not_json", "{\"apiVersion\":", "application/json", 400, "", "admission.k8s.io/v1",
       "request body is not valid JSON: parse error at line 1, "
       "column 15: "
       "syntax error while parsing value - unexpected end of input; expected '[', '{', or a "
       "literal"},
      {"err_not_object", "[1,2]", "application/json", 400, "", "admission.k8s.io/v1",
       "request body is not a JSON object"},
      {"err_too_deep", std::string(600, '[') + std::string(600, ']'), "application/json", 400, "",
       "admission.k8s.io/v1", "request body is nested deeper than 512 levels"},
      {"err_not_review", R"({"apiVersion":"v1","kind":"Pod","request":{"uid":"u1"}})",
       "application/json", 400, "u1", "admission.k8s.io/v1",
       "expected kind AdmissionReview with apiVersion admission.k8s.io/v1 or "
       "admission.k8s.io/v1beta1, "
       "got apiVersion \"v1\" kind \"Pod\""},
      // Past kMaxJsonValues built values: refused, on the fast parser's path ({}) and on
      // nlohmann's (a float sends the body there).
      {"err_too_many_values", review_with_items("{}"), "application/json", 400, "",
       "admission.k8s.io/v1", "request body has more than 500000 JSON values"},
      {"err_too_many_values_nlohmann", review_with_items("1.5"), "application/json", 400, "",
       "admission.k8s.io/v1", "request body has more than 500000 JSON values"},
      // What was sent is echoed cut to 64 bytes: the answer does not grow with the request.
      {"err_not_review_long_kind",
       R"({"apiVersion":"v1","kind":")" + std::string(100000, 'K') + R"(","request":{"uid":"u1"}})",
       "application/json", 400, "u1", "admission.k8s.io/v1",
       "expected kind AdmissionReview with apiVersion admission.k8s.io/v1 or "
       "admission.k8s.io/v1beta1, got apiVersion \"v1\" kind \"" +
           std::string(64, 'K') + "...\""},
      {"err_missing_request",
       R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"})", "application/json",
       400, "", "admission.k8s.io/v1beta1", "AdmissionReview has no request"},
      {"err_request_type",
       R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"})",
       "application/json", 400, "", "admission.k8s.io/v1", "request: expected an object"},
      {"err_uid_type", with([](json& r) { r["uid"] = 42; }), "application/json", 400, "",
       "admission.k8s.io/v1", "request.uid: expected a non-empty string"},
      {"err_unknown_operation", with([](json& r) { r["operation"] = "PATCH"; }), "application/json",
       400, uid, "admission.k8s.io/v1",
       "request.operation: unknown operation \"PATCH\"; expected CREATE, UPDATE, DELETE or "
       "CONNECT"},
      {"err_operation_type", with([](json& r) { r["operation"] = 1; }), "application/json", 400,
       uid, "admission.k8s.io/v1", "request.operation: expected CREATE, UPDATE, DELETE or CONNECT"},
      {"err_object_type", with([](json& r) { r["object"] = "str"; }), "application/json", 400, uid,
       "admission.k8s.io/v1", "request.object: expected an object"},
      {"err_object_missing_on_create", with([](json& r) { r["object"] = nullptr; }),
       "application/json", 400, uid, "admission.k8s.io/v1", "request.object: required for CREATE"},
      {"err_update_without_old", with([](json& r) { r["operation"] = "UPDATE"; }),
       "application/json", 400, uid, "admission.k8s.io/v1",
       "request.object and request.oldObject: required for UPDATE"},
      {"err_namespace_type", with([](json& r) { r["namespace"] = json::array(); }),
       "application/json", 400, uid, "admission.k8s.io/v1", "request.namespace: expected a string"},
      {"err_kind_type", with([](json& r) { r["kind"] = "Ingress"; }), "application/json", 400, uid,
       "admission.k8s.io/v1", "request.kind: expected an object"},
      {"err_dry_run_type", with([](json& r) { r["dryRun"] = "yes"; }), "application/json", 400, uid,
       "admission.k8s.io/v1", "request.dryRun: expected a boolean"},
      {"err_user_info_type", with([](json& r) { r["userInfo"] = 5; }), "application/json", 400, uid,
       "admission.k8s.io/v1", "request.userInfo: expected an object with a string username"},
      {"err_number_overflow",
       R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","x":1e999}})",
       "application/json", 400, "", "admission.k8s.io/v1",
       "request body is not valid JSON: a number is out of range"},
      // The token being read is not echoed: it may be a piece of a secret.
      {"err_not_json_token_not_echoed",
       R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u",)"
       R"("object":{"metadata":{"annotations":{"a":"hunter2\qz"}}}}})",
       "application/json", 400, "", "admission.k8s.io/v1",
       "request body is not valid JSON: parse error at line 1, column 133: syntax error while "
       "parsing value - invalid string: forbidden character after backslash"},
      {"err_truncated_literal", R"({"apiVersion":"admission.k8s.io/v1","kind":tru)",
       "application/json", 400, "", "admission.k8s.io/v1",
       "request body is not valid JSON: parse error at line 1, column 47: syntax error while "
       "parsing value - invalid literal"},
  };
  FakeHandler handler(true);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto out = ServeAdmission(c.body, c.content_type, handler);
    EXPECT_EQ(out.http_status, c.want_code);
    const json review = json::parse(out.body);
    EXPECT_EQ(review["apiVersion"], c.want_version);
    EXPECT_EQ(review["kind"], "AdmissionReview");
    EXPECT_EQ(review["response"]["uid"], c.want_uid);
    EXPECT_EQ(review["response"]["allowed"], false);
    EXPECT_EQ(review["response"]["status"]["code"], c.want_code);
    EXPECT_EQ(review["response"]["status"]["message"], c.want_message);
  }
}

TEST(ServeAdmissionTest, InvalidUtf8InRequestIsRefused) {
  FakeHandler handler(true);
  std::string body = IngressReview().Body();
  body.replace(body.find("alice"), 5, "al\xff\xfe");
  auto out = ServeAdmission(body, "application/json", handler);
  EXPECT_EQ(out.http_status, 400);
  EXPECT_TRUE(json::accept(out.body));
}

TEST(ServeAdmissionTest, TooLargeIs413) {
  auto out = TooLarge(7 * 1024 * 1024);
  EXPECT_EQ(out.http_status, 413);
  EXPECT_EQ(
      out.body,
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":false,"status":{"code":413,"message":"request entity is too large; limit is 7340032 bytes","metadata":{},"reason":"RequestEntityTooLarge","status":"Failure"},"uid":""}})");
}

TEST(SanitizeWarningTest, StripsControlsTruncatesAndFixesUtf8) {
  EXPECT_EQ(SanitizeWarning("a\nb\tc"), "a b c");
  EXPECT_EQ(SanitizeWarning("bad \xff byte"), "bad ? byte");
  EXPECT_EQ(SanitizeWarning("caf\xc3\xa9"), "caf\xc3\xa9");
  static_assert(kMaxWarningChars == 256, "the apiserver's truncateItemRunes");
  EXPECT_EQ(SanitizeWarning(std::string(256, 'x')), std::string(256, 'x'));
  EXPECT_EQ(SanitizeWarning(std::string(257, 'x')), std::string(253, 'x') + "...");
  // Truncation counts characters, not bytes, and never splits a UTF-8 sequence.
  std::string accents;
  for (int i = 0; i < 300; ++i) accents += "\xc3\xa9";
  std::string want;
  for (int i = 0; i < 253; ++i) want += "\xc3\xa9";
  EXPECT_EQ(SanitizeWarning(accents), want + "...");
}

TEST(SanitizeWarningTest, FindsAControlOrNonAsciiByteAtAnyOffset) {
  for (std::size_t offset = 0; offset < 20; ++offset) {
    const std::string head(offset, 'x');
    const std::string tail(11, 'y');
    SCOPED_TRACE("offset " + std::to_string(offset));
    EXPECT_EQ(SanitizeWarning(head + "\x7f" + tail), head + " " + tail);
    EXPECT_EQ(SanitizeWarning(head + "\x1f" + tail), head + " " + tail);
    EXPECT_EQ(SanitizeWarning(head + "\x80" + tail), head + "?" + tail);
    EXPECT_EQ(SanitizeWarning(head + "~ " + tail), head + "~ " + tail);  // 0x7E, 0x20: kept
  }
}

TEST(SanitizeWarningTest, DeduplicatesAndCapsTotal) {
  std::vector<std::string> in = {"same", "same", "other"};
  EXPECT_EQ(SanitizeWarnings(in), (std::vector<std::string>{"same", "other"}));
  std::vector<std::string> many;
  for (int i = 0; i < 100; ++i) many.push_back(std::to_string(i) + std::string(100, 'w'));
  std::size_t total = 0;
  for (const auto& w : SanitizeWarnings(many)) total += w.size();
  EXPECT_LE(total, kMaxWarningTotalChars);
}

TEST(AuditAnnotationTest, KeyFormat) {
  EXPECT_TRUE(IsValidAuditAnnotationKey("denied-checks"));
  EXPECT_FALSE(IsValidAuditAnnotationKey("a/b"));
  EXPECT_FALSE(IsValidAuditAnnotationKey("-a"));
  EXPECT_FALSE(IsValidAuditAnnotationKey(std::string(64, 'a')));
}

TEST(SanitizeWarningTest, AsciiFastPathMatchesTheCharacterLoop) {
  // Printable ASCII takes a shortcut; a control character or a multi-byte sequence within the
  // first 256 bytes goes through the loop. Both cut at 253 characters + "...".
  EXPECT_EQ(SanitizeWarning(std::string(255, 'x') + "\xc3\xa9" + "yy"),
            std::string(253, 'x') + "...");
  EXPECT_EQ(SanitizeWarning(std::string(256, 'x') + "\n\xff"), std::string(253, 'x') + "...");
  EXPECT_EQ(SanitizeWarning(std::string(100, 'x') + "\x7f"), std::string(100, 'x') + " ");
  EXPECT_EQ(SanitizeWarning(""), "");
}

// The answer as a DOM would give it (the encoder before it wrote bytes directly): the reference
// EncodeReview must match byte for byte.
std::string EncodeViaDom(const Response& response, std::string_view uid,
                         std::string_view api_version, bool validating) {
  json resp = json::object();
  resp["uid"] = uid;
  resp["allowed"] = response.allowed;
  if (!response.allowed || response.status.code != 200 || !response.status.message.empty()) {
    json status = {{"metadata", json::object()}, {"code", response.status.code}};
    status["status"] = response.allowed ? "Success" : "Failure";
    if (!response.status.reason.empty()) status["reason"] = response.status.reason;
    if (!response.status.message.empty()) status["message"] = response.status.message;
    resp["status"] = std::move(status);
  }
  if (!validating && response.allowed && !response.patch.empty()) {
    resp["patch"] = albwebhook::json::Base64Encode(
        response.patch.dump(-1, ' ', false, json::error_handler_t::replace));
    resp["patchType"] = "JSONPatch";
  }
  auto warnings = SanitizeWarnings(response.warnings);
  if (!warnings.empty()) resp["warnings"] = std::move(warnings);
  json audit = json::object();
  for (const auto& [key, value] : response.audit_annotations) {
    if (IsValidAuditAnnotationKey(key)) audit[key] = value;
  }
  if (!audit.empty()) resp["auditAnnotations"] = std::move(audit);
  json review = {{"apiVersion", api_version.empty() ? kReviewV1 : api_version},
                 {"kind", "AdmissionReview"},
                 {"response", std::move(resp)}};
  return review.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(EncodeReviewTest, SameBytesAsTheDomEncoding) {
  std::vector<std::string> texts = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      std::string("controls \x01\x08\t\n\x0b\x0c\r\x1f end", 22),
      "del \x7f",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      "invalid \xff\xfe here",
      "truncated \xe2\x82",
      "overlong \xc0\xaf",
      "surrogate \xed\xa0\x80",
      std::string("nul \0 inside", 12),
  };
  // The encoder scans eight bytes at a time: each kind of special byte at each offset in a word,
  // and after a run longer than a word.
  for (const std::string special : {"\"", "\\", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xff"}) {
    for (std::size_t offset : {0, 1, 5, 7, 8, 9, 15, 16, 23}) {
      texts.push_back(std::string(offset, 'a') + special + std::string(9, 'b') + special);
    }
  }
  int cases = 0;
  for (const std::string& text : texts) {
    for (int shape = 0; shape < 6; ++shape) {
      Response r;
      switch (shape) {
        case 0:
          r = Denied(text);
          break;
        case 1:
          r = Errored(400, text);
          break;
        case 2:
          r.warnings = {text, "second " + text, text};
          break;
        case 3:
          r.audit_annotations = {{"b-key", text}, {"a.key", "x"}, {"bad/key", "y"}, {"b-key", "z"}};
          r.audit_annotations.emplace_back("c_key", text);
          break;
        case 4:
          r.patch = json::array({{{"op", "add"}, {"path", "/metadata/labels/x"}, {"value", "v"}}});
          r.warnings = {text};
          break;
        case 5:
          r.status = Status{200, "", text};  // allowed with a message
          break;
      }
      for (const std::string_view version : {std::string_view(), kReviewV1beta1}) {
        for (const bool validating : {true, false}) {
          for (const std::string& uid : {std::string("7f3c2b1a-uid"), text}) {
            SCOPED_TRACE("shape " + std::to_string(shape) + ", text " +
                         json(text).dump(-1, ' ', true, json::error_handler_t::replace));
            EXPECT_EQ(EncodeReview(r, uid, version, validating),
                      EncodeViaDom(r, uid, version, validating));
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, static_cast<int>(texts.size()) * 6 * 2 * 2 * 2);
  EXPECT_EQ(texts.size(), 11U + 7 * 9);
}

}  // namespace
}  // namespace albwebhook::admission
