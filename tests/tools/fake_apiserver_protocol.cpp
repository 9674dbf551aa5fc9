#include "tools/fake_apiserver_protocol.hpp"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace albwebhook::testing::fakeapi {

using nlohmann::json;

namespace {
const char kUser[] = "system:serviceaccount:kube-system:alb-webhook";
const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 |
                       (unsigned char)in[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kB64[(v >> s) & 63];
  }
  if (i < in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    if (i + 1 < in.size()) v |= (unsigned char)in[i + 1] << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Unbase64(std::string_view in) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* p = std::char_traits<char>::find(kB64, 64, c);
    if (p == nullptr) return std::nullopt;
    acc = (acc << 6) | unsigned(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return out;
}

json ResourceDoc(const ResourceInfo& r) {
  return {{"name", r.plural},         {"singularName", r.singular},
          {"namespaced", r.namespaced}, {"kind", r.kind},
          {"verbs", {"get", "list", "watch"}}, {"shortNames", r.short_names}};
}
}  // namespace

std::string ResourceInfo::Prefix() const {
  return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
}

const std::vector<ResourceInfo>& Resources() {
  static const std::vector<ResourceInfo> kResources = {
      {"namespaces", "", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}},
      {"services", "", "v1", "services", "service", "Service", true, {"svc"}},
      {"ingressclasses.networking.k8s.io", "networking.k8s.io", "v1", "ingressclasses",
       "ingressclass", "IngressClass", false, {}},
      {"ingresses.networking.k8s.io", "networking.k8s.io", "v1", "ingresses", "ingress",
       "Ingress", true, {"ing"}},
      {"ingressclassparams.elbv2.k8s.aws", "elbv2.k8s.aws", "v1beta1", "ingressclassparams",
       "ingressclassparams", "IngressClassParams", false, {}},
      {"targetgroupbindings.elbv2.k8s.aws", "elbv2.k8s.aws", "v1beta1", "targetgroupbindings",
       "targetgroupbinding", "TargetGroupBinding", true, {}},
  };
  return kResources;
}

const ResourceInfo* FindByName(std::string_view name) {
  for (const auto& r : Resources())
    if (r.name == name) return &r;
  return nullptr;
}

const ResourceInfo* FindByPath(std::string_view prefix, std::string_view plural) {
  for (const auto& r : Resources())
    if (r.plural == plural && r.Prefix() == prefix) return &r;
  return nullptr;
}

const ResourceInfo* FindByKind(std::string_view api_version, std::string_view kind) {
  for (const auto& r : Resources())
    if (r.kind == kind && r.ApiVersion() == api_version) return &r;
  return nullptr;
}

json Status(int code, const std::string& reason, const std::string& message, json details) {
  json s = {{"kind", "Status"},       {"apiVersion", "v1"},  {"metadata", json::object()},
            {"status", "Failure"},    {"message", message},  {"reason", reason}};
  if (!details.is_null()) s["details"] = std::move(details);
  s["code"] = code;
  return s;
}

json UnauthorizedStatus() { return Status(401, "Unauthorized", "Unauthorized"); }

json ForbiddenStatus(const ResourceInfo& r, const std::string& verb, const std::string& ns) {
  const std::string scope = ns.empty() ? "at the cluster scope" : "in the namespace \"" + ns + "\"";
  json details = {{"kind", r.plural}};
  if (!r.group.empty()) details["group"] = r.group;
  return Status(403, "Forbidden",
                r.name + " is forbidden: User \"" + kUser + "\" cannot " + verb + " resource \"" +
                    r.plural + "\" in API group \"" + r.group + "\" " + scope,
                details);
}

json ResourceNotFoundStatus() {
  return Status(404, "NotFound", "the server could not find the requested resource",
                json::object());
}

json ObjectNotFoundStatus(const ResourceInfo& r, const std::string& name) {
  json details = {{"name", name}, {"kind", r.plural}};
  if (!r.group.empty()) details["group"] = r.group;
  return Status(404, "NotFound", r.name + " \"" + name + "\" not found", details);
}

json InternalErrorStatus(const ResourceInfo& r) {
  const std::string cause = "fake apiserver: injected failure for " + r.name;
  return Status(500, "InternalError", "Internal error occurred: " + cause,
                {{"causes", {{{"message", cause}}}}});
}

json ContinueExpiredStatus() {
  return Status(410, "Expired",
                "The provided continue parameter is too old to display a consistent list result. "
                "You can start a new list without the continue parameter.");
}

json TooOldResourceVersionStatus(std::uint64_t requested, std::uint64_t oldest) {
  return Status(410, "Expired",
                "too old resource version: " + std::to_string(requested) + " (" +
                    std::to_string(oldest) + ")");
}

json VersionInfo() {
  return {{"major", "1"},          {"minor", "32"},          {"gitVersion", "v1.32.0-fake"},
          {"gitCommit", "0000000000000000000000000000000000000000"},
          {"gitTreeState", "clean"}, {"buildDate", "2025-01-01T00:00:00Z"},
          {"goVersion", "go1.23.4"}, {"compiler", "gc"}, {"platform", "linux/amd64"}};
}

json ApiVersions(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs",
           {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
}

std::optional<json> ApiGroup(std::string_view group, const std::set<std::string>& hidden) {
  for (const auto& r : Resources()) {
    if (r.group.empty() || r.group != group || hidden.count(r.name) != 0) continue;
    const json gv = {{"groupVersion", r.ApiVersion()}, {"version", r.version}};
    return json{{"kind", "APIGroup"}, {"apiVersion", "v1"}, {"name", r.group},
                {"versions", {gv}}, {"preferredVersion", gv}};
  }
  return std::nullopt;
}

json ApiGroupList(const std::set<std::string>& hidden) {
  json groups = json::array();
  for (const char* g : {"networking.k8s.io", "elbv2.k8s.aws"}) {
    auto doc = ApiGroup(g, hidden);
    if (!doc) continue;
    doc->erase("kind");
    doc->erase("apiVersion");
    groups.push_back(std::move(*doc));
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<json> ApiResourceList(std::string_view prefix, const std::set<std::string>& hidden) {
  json resources = json::array();
  std::string group_version;
  for (const auto& r : Resources()) {
    if (r.Prefix() != prefix || hidden.count(r.name) != 0) continue;
    group_version = r.ApiVersion();
    resources.push_back(ResourceDoc(r));
  }
  if (resources.empty()) return std::nullopt;
  return json{{"kind", "APIResourceList"}, {"apiVersion", "v1"},
              {"groupVersion", group_version}, {"resources", resources}};
}

std::string EncodeContinue(const ContinueToken& token) {
  return Base64(json{{"v", "meta.k8s.io/v1"}, {"rv", token.rv}, {"start", token.start}}.dump());
}

std::optional<ContinueToken> DecodeContinue(std::string_view token) {
  const auto raw = Unbase64(token);
  if (!raw) return std::nullopt;
  const json j = json::parse(*raw, nullptr, false);
  if (!j.is_object() || j.value("v", "") != "meta.k8s.io/v1") return std::nullopt;
  const auto rv = j.find("rv");
  const auto start = j.find("start");
  if (rv == j.end() || !rv->is_number_unsigned() || start == j.end() || !start->is_string())
    return std::nullopt;
  return ContinueToken{rv->get<std::uint64_t>(), start->get<std::string>()};
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && std::isxdigit((unsigned char)in[i + 1]) &&
               std::isxdigit((unsigned char)in[i + 2])) {
      out += char(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    const auto eq = part.find('=');
    if (!part.empty()) {
      out[PercentDecode(part.substr(0, eq))] =
          eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<std::uint64_t> ParseResourceVersion(std::string_view rv) {
  if (rv.empty() || rv.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : rv) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + unsigned(c - '0');
  }
  return v;
}

std::string NowRfc3339() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

std::string NewUid() {
  std::array<unsigned char, 16> b{};
  RAND_bytes(b.data(), int(b.size()));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  std::array<char, 40> out{};
  std::snprintf(out.data(), out.size(),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out.data();
}

}  // namespace albwebhook::testing::fakeapi
