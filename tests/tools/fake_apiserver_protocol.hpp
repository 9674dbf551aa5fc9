#pragma once

// The Kubernetes API facts the fake API server (tests/support/fake_apiserver.hpp) speaks: the six
// resources it serves, metav1.Status bodies, discovery documents, continue tokens and query
// strings. Test-only.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace albwebhook::testing::fakeapi {

struct ResourceInfo {
  std::string name;  // the kubectl name: "ingresses.networking.k8s.io", "services"
  std::string group;  // "" for the core group
  std::string version;
  std::string plural, singular, kind;
  bool namespaced = false;
  std::vector<std::string> short_names;
  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  // "/api/v1" or "/apis/GROUP/VERSION".
  std::string Prefix() const;
  // Built-in types' list items carry no apiVersion/kind (CRD list items do).
  bool BuiltIn() const { return group.empty() || group == "networking.k8s.io"; }
};

const std::vector<ResourceInfo>& Resources();
const ResourceInfo* FindByName(std::string_view name);
// prefix: "/api/v1" or "/apis/GROUP/VERSION"; plural: "ingresses".
const ResourceInfo* FindByPath(std::string_view prefix, std::string_view plural);
const ResourceInfo* FindByKind(std::string_view api_version, std::string_view kind);

// A metav1.Status with status Failure.
nlohmann::json Status(int code, const std::string& reason, const std::string& message,
                      nlohmann::json details = nullptr);
nlohmann::json UnauthorizedStatus();
nlohmann::json ForbiddenStatus(const ResourceInfo& r, const std::string& verb,
                               const std::string& ns);
nlohmann::json ResourceNotFoundStatus();  // "the server could not find the requested resource"
nlohmann::json ObjectNotFoundStatus(const ResourceInfo& r, const std::string& name);
nlohmann::json InternalErrorStatus(const ResourceInfo& r);
nlohmann::json ContinueExpiredStatus();
nlohmann::json TooOldResourceVersionStatus(std::uint64_t requested, std::uint64_t oldest);

// Discovery documents; `hidden` holds resources switched to 404 (their kubectl names).
nlohmann::json VersionInfo();
nlohmann::json ApiVersions(const std::string& server_address);
nlohmann::json ApiGroupList(const std::set<std::string>& hidden);
// "/apis/GROUP" document; nullopt when the group is unknown or fully hidden.
std::optional<nlohmann::json> ApiGroup(std::string_view group, const std::set<std::string>& hidden);
// "/api/v1" or "/apis/GROUP/VERSION" document; nullopt when unknown or fully hidden.
std::optional<nlohmann::json> ApiResourceList(std::string_view prefix,
                                              const std::set<std::string>& hidden);

// Continue tokens: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":KEY}, as the apiserver makes.
struct ContinueToken {
  std::uint64_t rv = 0;
  std::string start;  // first key (ns/name) of the next page
};
std::string EncodeContinue(const ContinueToken& token);
std::optional<ContinueToken> DecodeContinue(std::string_view token);

// "a=1&b=x%2Fy" -> {a:1, b:x/y} (the last value of a repeated key wins).
std::map<std::string, std::string> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view in);
// metadata.resourceVersion as a number; nullopt when not a decimal number.
std::optional<std::uint64_t> ParseResourceVersion(std::string_view rv);

std::string NowRfc3339();
std::string NewUid();

}  // namespace albwebhook::testing::fakeapi
