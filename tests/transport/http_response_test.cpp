// The answer bytes of transport/http_response.hpp against what Beast's serializer writes for the
// http::response a session used to build (same fields, same order), for every status a session
// sends and more, both HTTP versions, keep-alive or not, with and without Retry-After and Allow.
#include "transport/http_response.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>
#include <string>

namespace albwebhook::transport::detail {
namespace {

namespace http = boost::beast::http;

// What the session built before http_response.hpp: the fields in the order it set them.
std::string BeastAnswer(const ResponseHead& head, const std::string& body) {
  http::response<http::string_body> res(static_cast<http::status>(head.status), head.version);
  res.set(http::field::content_type, head.content_type);
  if (head.retry_after) res.set(http::field::retry_after, "1");
  if (head.allow_post) res.set(http::field::allow, "POST");
  res.body() = body;
  res.keep_alive(head.keep_alive);
  res.set(http::field::server, "alb-webhook");
  res.prepare_payload();
  std::ostringstream out;
  out << res;
  return out.str();
}

TEST(HttpResponse, SameBytesAsBeast) {
  int cases = 0;
  for (int status : {200, 400, 403, 404, 405, 413, 415, 422, 431, 500, 503, 599}) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {false, true}) {
        for (bool retry_after : {false, true}) {
          for (bool allow : {false, true}) {
            for (const std::string& body :
                 {std::string(), std::string("{\"a\":1}"), std::string(70000, 'x')}) {
              ResponseHead head;
              head.status = status;
              head.version = version;
              head.content_type = retry_after ? "application/json" : "text/plain; charset=utf-8";
              head.retry_after = retry_after;
              head.allow_post = allow;
              head.keep_alive = keep_alive;
              std::string ours = "left alone|";
              AppendResponse(ours, head, body);
              EXPECT_EQ(ours, "left alone|" + BeastAnswer(head, body))
                  << status << " " << version << " " << keep_alive << " " << retry_after << " "
                  << allow << " " << body.size();
              ++cases;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 12 * 2 * 2 * 2 * 2 * 3);
}

TEST(HttpResponse, EmptyAnswersOfNoPayloadStatusesAsBeast) {
  for (int status : {100, 204, 304}) {
    ResponseHead head;
    head.status = status;
    head.content_type = "application/json";
    head.keep_alive = true;
    std::string ours;
    AppendResponse(ours, head, "");
    EXPECT_EQ(ours, BeastAnswer(head, "")) << status;
  }
}

}  // namespace
}  // namespace albwebhook::transport::detail
