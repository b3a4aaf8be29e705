#include "kube/kubeconfig.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "kube/go_text.h"
#include "kube/json_text.h"

namespace kcache {
namespace {

// A string field of a map; empty when the node is not a map or the field is missing, null or
// not a scalar. (Indexing a scalar throws in yaml-cpp, and a null reads as "null".)
std::string Str(const YAML::Node& node, const char* key) {
  if (!node || !node.IsMap()) return std::string();
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

// The `inner` map of the entry called `name` in a list such as `clusters`; an undefined node
// (tested with IsDefined) when there is none.
YAML::Node FindNamed(const YAML::Node& list, const std::string& name, const char* inner) {
  if (list && list.IsSequence()) {
    for (const auto& entry : list) {
      if (Str(entry, "name") == name && entry[inner].IsMap()) return entry[inner];
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// Paths in a kubeconfig are relative to the file that holds them.
std::string Resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(base_dir) / path).string();
}

// "<x>-data" (base64) wins over "<x>" (a file path), as in client-go.
boost::system::result<std::string, Error> DataOrFile(const YAML::Node& node,
                                                           const char* data_key,
                                                           const char* file_key,
                                                           const std::string& base_dir) {
  std::string data = Str(node, data_key);
  if (!data.empty()) {
    std::string decoded;
    if (!Base64StdDecode(data, decoded)) return Error{std::string(data_key) + " is not valid base64"};
    return Value(std::move(decoded));
  }
  std::string file = Str(node, file_key);
  if (file.empty()) return Value(std::string());
  bool ok = false;
  std::string content = ReadFile(Resolve(file, base_dir), ok);
  if (!ok) return Error{std::string("cannot read ") + file_key + " " + file};
  return Value(std::move(content));
}

}  // namespace

std::string ReadFile(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool SplitServerUrl(const std::string& server, std::string& host, std::string& port) {
  const std::string scheme = "https://";
  if (server.rfind(scheme, 0) != 0) return false;
  std::string rest = server.substr(scheme.size());
  rest = rest.substr(0, rest.find('/'));
  if (rest.empty()) return false;
  if (rest.front() == '[') {  // [ipv6]:port
    size_t close = rest.find(']');
    if (close == std::string::npos) return false;
    host = rest.substr(1, close - 1);
    port = close + 1 < rest.size() && rest[close + 1] == ':' ? rest.substr(close + 2) : "443";
  } else {
    size_t colon = rest.rfind(':');
    host = rest.substr(0, colon);
    port = colon == std::string::npos ? "443" : rest.substr(colon + 1);
  }
  return !host.empty() && !port.empty();
}

namespace {

bool IsValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    DecodedRune decoded = DecodeRune(text, pos);
    if (decoded.rune == 0xFFFD && decoded.width == 1) return false;
    pos += decoded.width;
  }
  return true;
}

// The kubeconfig's YAML. YAML is UTF-8: like client-go's parser, refuse other bytes rather
// than read them and write them back altered.
boost::system::result<YAML::Node, Error> LoadKubeconfigYaml(const std::string& path) {
  // (A YAML::Node converts from anything: say which side of the result is meant.)
  auto fail = [&](const std::string& why) {
    return boost::system::result<YAML::Node, Error>(boost::system::in_place_error,
                                                    Error{"reading kubeconfig " + path + ": " + why});
  };
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail("cannot open it");
  std::stringstream text;
  text << file.rdbuf();
  if (!IsValidUtf8(text.str())) return fail("not valid UTF-8");
  try {
    return boost::system::result<YAML::Node, Error>(boost::system::in_place_value,
                                                    YAML::Load(text.str()));
  } catch (const YAML::Exception& e) {
    return fail(e.what());
  }
}

boost::system::result<UpstreamConfig, Error> ReadKubeconfig(const std::string& path,
                                                            const std::string& context) {
  auto loaded = LoadKubeconfigYaml(path);
  if (!loaded) return loaded.error();
  YAML::Node root = *loaded;
  if (!root.IsMap()) return Error{"kubeconfig " + path + " is not a YAML map"};
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  std::string context_name = context.empty() ? Str(root, "current-context") : context;
  YAML::Node ctx = FindNamed(root["contexts"], context_name, "context");
  if (!ctx.IsDefined()) return Error{"kubeconfig " + path + " has no context \"" + context_name + "\""};
  YAML::Node cluster = FindNamed(root["clusters"], Str(ctx, "cluster"), "cluster");
  if (!cluster.IsDefined()) return Error{"kubeconfig " + path + " has no cluster \"" + Str(ctx, "cluster") + "\""};
  YAML::Node user = FindNamed(root["users"], Str(ctx, "user"), "user");

  UpstreamConfig config;
  config.server = Str(cluster, "server");
  if (!SplitServerUrl(config.server, config.host, config.port)) {
    return Error{"kubeconfig server " + config.server + " is not an https:// URL"};
  }
  config.insecure_skip_tls_verify = Str(cluster, "insecure-skip-tls-verify") == "true";
  config.tls_server_name = Str(cluster, "tls-server-name");
  auto ca = DataOrFile(cluster, "certificate-authority-data", "certificate-authority", base_dir);
  if (!ca) return ca.error();
  config.ca_pem = *ca;
  if (user) {
    auto cert = DataOrFile(user, "client-certificate-data", "client-certificate", base_dir);
    if (!cert) return cert.error();
    auto key = DataOrFile(user, "client-key-data", "client-key", base_dir);
    if (!key) return key.error();
    config.client_cert_pem = *cert;
    config.client_key_pem = *key;
    config.token = Str(user, "token");
    config.token_file = Resolve(Str(user, "tokenFile"), base_dir);
  }
  return config;
}

}  // namespace

boost::system::result<UpstreamConfig, Error> LoadKubeconfig(const std::string& path,
                                                            const std::string& context) {
  // The readers check every node's type first; this catches whatever yaml-cpp still throws.
  try {
    return ReadKubeconfig(path, context);
  } catch (const YAML::Exception& e) {
    return Error{"reading kubeconfig " + path + ": " + e.what()};
  }
}

boost::system::result<UpstreamConfig, Error> InClusterConfig() {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (!host || !port) return Error{std::string("not running in a cluster")};
  const std::string dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  UpstreamConfig config;
  config.host = host;
  config.port = port;
  bool ipv6 = config.host.find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + config.host + "]" : config.host) + ":" + config.port;
  // The certificate names the service, not the address we connect to.
  config.tls_server_name = "kubernetes.default.svc";
  bool ok = false;
  config.ca_pem = ReadFile(dir + "/ca.crt", ok);
  if (!ok) return Error{"cannot read " + dir + "/ca.crt"};
  config.token_file = dir + "/token";
  return config;
}

boost::system::result<UpstreamConfig, Error> ResolveUpstreamConfig(
    const std::string& kubeconfig_flag) {
  if (!kubeconfig_flag.empty()) return LoadKubeconfig(kubeconfig_flag);
  if (auto in_cluster = InClusterConfig()) return in_cluster;
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::string first(env);
    return LoadKubeconfig(first.substr(0, first.find(':')));
  }
  if (const char* home = std::getenv("HOME")) {
    std::string path = std::string(home) + "/.kube/config";
    if (std::filesystem::exists(path)) return LoadKubeconfig(path);
  }
  return Error{std::string("no upstream: pass --kubeconfig, run in a cluster, or set $KUBECONFIG")};
}

boost::system::result<std::string, Error> RewriteKubeconfigForProxy(
    const std::string& from, const std::string& server, const std::string& ca_pem) {
  auto loaded = LoadKubeconfigYaml(from);
  if (!loaded) return loaded.error();
  YAML::Node root = *loaded;
  std::string base_dir = std::filesystem::path(from).parent_path().string();
  std::string ca_base64 = Base64StdEncode(ca_pem);
  if (root.IsMap() && root["clusters"].IsSequence()) {
    for (auto entry : root["clusters"]) {
      if (!entry.IsMap() || !entry["cluster"].IsMap()) continue;
      YAML::Node cluster = entry["cluster"];
      // A YAML map can repeat a key; every copy goes.
      for (const char* key : {"certificate-authority", "certificate-authority-data",
                              "insecure-skip-tls-verify", "tls-server-name", "server"}) {
        while (cluster.remove(key)) {
        }
      }
      cluster["server"] = server;
      cluster["certificate-authority-data"] = ca_base64;
    }
  }
  // File references in users would break once the file moves: make them absolute.
  if (root.IsMap() && root["users"].IsSequence()) {
    for (auto entry : root["users"]) {
      if (!entry.IsMap() || !entry["user"].IsMap()) continue;
      YAML::Node user = entry["user"];
      for (const char* key : {"client-certificate", "client-key", "tokenFile"}) {
        std::string path = Str(user, key);
        if (!path.empty()) user[key] = Resolve(path, base_dir);
      }
    }
  }
  YAML::Emitter out;
  out << root;
  return Value(std::string(out.c_str()) + "\n");
}

}  // namespace kcache
