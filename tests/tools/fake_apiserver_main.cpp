// fake-apiserver: the test fake Kubernetes API server (tests/support/fake_apiserver.hpp) as a
// process, for kubectl and shell tests.
//
//   fake-apiserver --cert CRT --key KEY [--token T] [--port N] [--client-ca CA]
//                  [--kubeconfig-out PATH --ca CA] [--bookmark-interval-ms N]
//                  [--on-usr1 FILE]... [OBJECT-FILE]...
//
// Object files are YAML or JSON (several documents, or a kind: List, per file); each object is
// upserted into the resource its apiVersion/kind names. Prints "port N" once serving; serves
// until SIGTERM or SIGINT. SIGUSR1 upserts the --on-usr1 files (watch tests).
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/fake_apiserver.hpp"
#include "tools/fake_apiserver_protocol.hpp"

namespace {

using albwebhook::testing::FakeApiServer;
using albwebhook::testing::FakeApiServerOptions;
using json = nlohmann::json;

json ScalarToJson(const YAML::Node& node) {
  const std::string& v = node.Scalar();
  if (node.Tag() == "!") return v;  // quoted: always a string
  static const std::regex kInt("[-+]?[0-9]+"), kFloat("[-+]?([0-9]*\\.[0-9]+|[0-9]+\\.[0-9]*)([eE][-+]?[0-9]+)?");
  if (v == "true" || v == "True" || v == "TRUE") return true;
  if (v == "false" || v == "False" || v == "FALSE") return false;
  if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return nullptr;
  if (std::regex_match(v, kInt) && v.size() < 19) return std::stoll(v);
  if (std::regex_match(v, kFloat)) return std::stod(v);
  return v;
}

json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return out;
    }
    default:
      return nullptr;
  }
}

void UpsertObject(FakeApiServer& server, const json& object) {
  if (!object.is_object()) return;
  const std::string api_version = object.value("apiVersion", ""), kind = object.value("kind", "");
  if (kind.ends_with("List") && object.contains("items")) {
    for (const auto& item : object["items"]) UpsertObject(server, item);
    return;
  }
  const auto* r = albwebhook::testing::fakeapi::FindByKind(api_version, kind);
  if (r == nullptr) throw std::runtime_error("not served by the fake: " + api_version + " " + kind);
  server.Upsert(r->name, object);
}

void LoadFile(FakeApiServer& server, const std::string& path) {
  for (const auto& doc : YAML::LoadAllFromFile(path)) UpsertObject(server, YamlToJson(doc));
}

struct Flags {
  FakeApiServerOptions options;
  std::string kubeconfig_out, ca;
  std::vector<std::string> files, on_usr1;
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  f.options.listen = "127.0.0.1:0";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--cert") f.options.cert_file = value();
    else if (arg == "--key") f.options.key_file = value();
    else if (arg == "--token") f.options.token = value();
    else if (arg == "--port") f.options.listen = "127.0.0.1:" + value();
    else if (arg == "--client-ca") f.options.client_ca_file = value();
    else if (arg == "--kubeconfig-out") f.kubeconfig_out = value();
    else if (arg == "--ca") f.ca = value();
    else if (arg == "--bookmark-interval-ms") f.options.bookmark_interval = std::chrono::milliseconds(std::stol(value()));
    else if (arg == "--on-usr1") f.on_usr1.push_back(value());
    else if (arg.starts_with("--")) throw std::invalid_argument("unknown flag " + arg);
    else f.files.push_back(arg);
  }
  if (f.options.cert_file.empty() || f.options.key_file.empty())
    throw std::invalid_argument("--cert and --key are required");
  if (!f.kubeconfig_out.empty() && f.ca.empty()) throw std::invalid_argument("--kubeconfig-out needs --ca");
  return f;
}

int Serve(const Flags& f) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGUSR1}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the server's thread starts: it inherits
  FakeApiServer server(f.options);
  for (const auto& file : f.files) LoadFile(server, file);
  if (!f.kubeconfig_out.empty()) {
    const auto out = std::filesystem::absolute(f.kubeconfig_out);
    const auto written = server.WriteKubeconfig(out.parent_path().string(), f.ca);
    if (std::filesystem::path(written) != out) std::filesystem::rename(written, out);
  }
  std::cout << "port " << server.port() << std::endl;
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return 1;
    if (sig != SIGUSR1) return 0;
    try {
      for (const auto& file : f.on_usr1) LoadFile(server, file);
    } catch (const std::exception& e) {
      std::cerr << "fake-apiserver: " << e.what() << std::endl;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Serve(ParseFlags(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "fake-apiserver: " << e.what() << std::endl;
    return 2;
  }
}
