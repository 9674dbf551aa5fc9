// The global budget for buffered request bodies (ServerConfig::max_buffered_body_bytes): a
// request reserves its body before buffering it; one that does not fit is answered 503 with
// Retry-After, without its body being read, and every way a request ends gives its share back.
// The budget is shrunk to 1 MiB here so that a few hundred KiB exhaust it.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "support/server_fixture.hpp"

namespace albwebhook::testing {
namespace {

using nlohmann::json;

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;

std::string PostHeader(std::size_t content_length, const std::string& extra = "") {
  return PostHead(kValidateIngressPath,
                  "Content-Length: " + std::to_string(content_length) + "\r\n" + extra);
}

class BodyBudgetTest : public LiveServerTest {
 protected:
  void SetUp() override {
    LiveServerTest::SetUp();
    config_.max_buffered_body_bytes = kMiB;
  }

  // A connection that has sent the header of a `size`-byte request and half its body. The
  // header carries Expect: 100-continue, and the server sends 100 Continue only after it has
  // reserved the body: once this returns, the reservation is held.
  struct Holder {
    std::unique_ptr<RawConn> conn;
    std::string body;
  };
  Holder HoldReservation(std::size_t size, const std::string& uid) {
    Holder h{Open(), ReviewOfExactSize(uid, size)};
    EXPECT_NE(h.conn, nullptr);
    if (!h.conn) return h;
    EXPECT_TRUE(h.conn->Write(PostHeader(size, "Expect: 100-continue\r\n")));
    auto cont = h.conn->ReadResponse();
    EXPECT_TRUE(cont.has_value());
    if (cont) {
      EXPECT_EQ(cont->status, 100);
    }
    EXPECT_TRUE(h.conn->Write(std::string_view(h.body).substr(0, size / 2)));
    return h;
  }

  // Sends only the header of a `size`-byte request on a new connection and expects the 503
  // refusal: AdmissionReview-shaped, Retry-After: 1, Connection: close, then EOF.
  void ExpectRefused(std::size_t size) {
    auto c = Open();
    ASSERT_NE(c, nullptr);
    ASSERT_TRUE(c->Write(PostHeader(size)));
    auto r = c->ReadResponse();  // not a byte of the body was sent
    ASSERT_TRUE(r.has_value()) << "no answer";
    EXPECT_EQ(r->status, 503) << r->body;
    EXPECT_EQ(r->headers["retry-after"], "1");
    EXPECT_EQ(r->headers["content-type"], "application/json");
    EXPECT_TRUE(r->close);
    const json review = json::parse(r->body);
    EXPECT_EQ(review["apiVersion"], "admission.k8s.io/v1");
    EXPECT_EQ(review["kind"], "AdmissionReview");
    EXPECT_EQ(review["response"]["uid"], "");
    EXPECT_EQ(review["response"]["allowed"], false);
    EXPECT_EQ(review["response"]["status"]["code"], 503);
    EXPECT_EQ(review["response"]["status"]["reason"], "ServiceUnavailable");
    EXPECT_TRUE(c->ReadsEof());
  }

  // One whole request of `size` bytes on a new connection; its status (0: no answer).
  int PostOfSize(std::size_t size, const std::string& uid) {
    auto c = Open();
    if (!c) return 0;
    if (!c->Write(PostBytes(kValidateIngressPath, ReviewOfExactSize(uid, size)))) return 0;
    auto r = c->ReadResponse();
    if (!r) return 0;
    if (r->status == 200) {
      EXPECT_EQ(json::parse(r->body)["response"]["uid"], uid);
    }
    return r->status;
  }
};

TEST_F(BodyBudgetTest, RequestBeyondTheBudgetGets503UntilTheHolderFinishes) {
  Start();
  // The 503 series exists from the start (0), so rate() and alerts see the first refusal.
  const std::string series = std::string("alb_webhook_requests_total{code=\"503\",webhook=\"") +
                             kValidateIngressPath + "\"}";
  EXPECT_EQ(Metric(series), 0);
  Holder holder = HoldReservation(900 * kKiB, "holder");
  ASSERT_NE(holder.conn, nullptr);

  // 900 KiB of the 1 MiB budget are held: 200 KiB do not fit.
  ExpectRefused(200 * kKiB);
  const std::string scrape = Scrape();
  EXPECT_EQ(SampleValue(scrape, std::string("alb_webhook_requests_total{code=\"503\",webhook=\"") +
                                    kValidateIngressPath + "\"}"),
            1)
      << scrape;
  // A small request fits in what is left.
  ExpectStillServing("small");
  EXPECT_EQ(PostOfSize(100 * kKiB, "fits"), 200);

  // The holder finishes its body and is answered; its share is back before its answer is sent.
  ASSERT_TRUE(holder.conn->Write(std::string_view(holder.body).substr(holder.body.size() / 2)));
  auto r = holder.conn->ReadResponse();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["response"]["uid"], "holder");
  EXPECT_EQ(PostOfSize(200 * kKiB, "after-holder"), 200);
  // The whole budget is free again, on the holder's keep-alive connection too.
  ASSERT_TRUE(
      holder.conn->Write(PostBytes(kValidateIngressPath, ReviewOfExactSize("again", kMiB))));
  r = holder.conn->ReadResponse();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
}

TEST_F(BodyBudgetTest, ChunkedBodyReservesEachChunkBeforeBufferingIt) {
  Start();
  Holder holder = HoldReservation(900 * kKiB, "holder");
  ASSERT_NE(holder.conn, nullptr);
  auto c = Open();
  ASSERT_NE(c, nullptr);
  // A first small chunk fits; the header of a 200 KiB chunk does not: 503 before its data.
  ASSERT_TRUE(c->Write(std::string("POST ") + kValidateIngressPath +
                       " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n" +
                       [] {
                         char size[16];
                         std::snprintf(size, sizeof(size), "%zx\r\n", 200 * kKiB);
                         return std::string(size);
                       }()));
  auto r = c->ReadResponse();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->headers["retry-after"], "1");
  EXPECT_EQ(json::parse(r->body)["response"]["status"]["code"], 503);
  EXPECT_TRUE(c->ReadsEof());
  holder.conn.reset();
  // A chunked body that fits is read and answered.
  ASSERT_TRUE(WaitUntil([&] {
    auto k = Open();
    const std::string body = ReviewOfExactSize("chunked", 600 * kKiB);
    std::string request = std::string("POST ") + kValidateIngressPath +
                          " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n";
    for (std::size_t at = 0; at < body.size(); at += 64 * kKiB) {
      const std::string part = body.substr(at, 64 * kKiB);
      char size[16];
      std::snprintf(size, sizeof(size), "%zx\r\n", part.size());
      request += size + part + "\r\n";
    }
    request += "0\r\n\r\n";
    if (!k || !k->Write(request)) return false;
    auto answer = k->ReadResponse();
    return answer && answer->status == 200 &&
           json::parse(answer->body)["response"]["uid"] == "chunked";
  }));
}

// A client that disconnects in the middle of its body gives its share back: afterwards a
// request needing nearly the whole budget is served.
TEST_F(BodyBudgetTest, DisconnectMidBodyReleasesTheReservation) {
  Start();
  for (int round = 0; round < 3; ++round) {
    Holder holder = HoldReservation(900 * kKiB, "holder-" + std::to_string(round));
    ASSERT_NE(holder.conn, nullptr);
    ExpectRefused(200 * kKiB);
    holder.conn.reset();  // closes the socket mid-body
    // The server notices the close asynchronously: poll, each refusal is immediate.
    int status = 0;
    EXPECT_TRUE(WaitUntil([&] {
      status = PostOfSize(kMiB - kKiB, "nearly-all-" + std::to_string(round));
      return status == 200;
    })) << "last status "
        << status;
  }
  // Refusals hold nothing either: the whole budget, in one request.
  EXPECT_EQ(PostOfSize(kMiB, "whole"), 200);
}

}  // namespace
}  // namespace albwebhook::testing
