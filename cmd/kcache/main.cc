// kcache: a read-through caching proxy for the Kubernetes API server.
//
//   kcache [flags]                                 serve (see --help)
//   kcache kubeconfig --from FILE --server URL     print a kubeconfig that points at kcache
//
// This file parses flags and wires the parts together; it holds no logic of its own.

#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/stubs/common.h>

#include "cache/cache.h"
#include "kube/kubeconfig.h"
#include "projections/config_watcher.h"
#include "proxy/server.h"
#include "proxy/tls.h"

namespace {

using kcache::Cache;
using kcache::CacheOptions;
using kcache::Server;
using kcache::ServerOptions;

const char* kUsage = R"(kcache: a read-through caching proxy for the Kubernetes API server.

Usage:
  kcache [flags]
  kcache kubeconfig --from FILE --server URL [--ca-file FILE | --data-dir DIR]

Serving flags:
  --kubeconfig FILE            upstream API server and kcache's credentials (default: in-cluster,
                               then $KUBECONFIG, then ~/.kube/config)
  --insecure-skip-tls-verify   do not verify the upstream's certificate (the kubeconfig's own
                               insecure-skip-tls-verify is honoured too); verified by default
  --data-dir DIR               RocksDB copy of the cache and generated certificates (default ./kcache-data)
  --secure-port N              HTTPS port (default 8443)
  --bind-address IP            address to listen on (default 127.0.0.1)
  --tls-cert-file FILE         serving certificate (default: generated into DIR/pki, CA DIR/pki/ca.crt)
  --tls-private-key-file FILE  its key
  --tls-san NAME               extra name or address for the generated certificate (repeatable)
  --resources LIST             comma-separated resources to cache, e.g. pods,deployments.apps,*.example.com
                               (default: all; secrets only when listed)
  --exclude-resources LIST     resources never cached
  --memory-only-resources LIST resources never written to disk (default: secrets)
  --no-persist                 keep the cache in memory only
  --workers N                  serving threads (default: one per core)
  --history-window SECONDS     how long the event history lasts (default 150)
  --index-label-keys K,...     label keys whose values are indexed, so that lists selecting
                               `key=value` visit only those objects (default app,
                               app.kubernetes.io/name, app.kubernetes.io/instance; spec.nodeName
                               is always indexed)
  --read-your-writes-timeout MS  how long a write waits for the cache (default 5000)
  --min-request-timeout SECONDS  watch duration base, as kube-apiserver's flag (default 1800)
  --response-compression=false  never gzip responses (default: gzip, as kube-apiserver, responses
                               above the threshold to clients that accept it, and WatchList streams)
  --gzip-threshold-bytes N     smallest body compressed, exclusive (default 131072, kube-apiserver's)
  --gzip-level L               1 (fastest, kube-apiserver's and the default) to 9 (smallest)
  --config FILE                YAML configuration: named projections (docs/projections.md); read
                               again when it changes
  --config-reload-interval SECONDS  how often the configuration file is checked (default 2)

Security flags:
  --client-ca-file FILE        CA of client certificates (CN = user, O = groups), as the upstream's
  --proxy-client-cert-file FILE, --proxy-client-key-file FILE
                               a client certificate the upstream trusts as a front proxy
                               (its --requestheader-client-ca-file and allowed names): certificate
                               users then reach it as themselves (X-Remote-User/-Group), and the
                               upstream judges their impersonation; without it kcache impersonates
                               them with its own identity and checks their impersonation itself
  --anonymous-auth=true        serve requests without credentials as system:anonymous (default false: 401)
  --authentication-token-cache-ttl SECONDS  how long a TokenReview answer is kept (default 60; failures 10)
  --authorization-cache-ttl SECONDS         how long a SubjectAccessReview answer is kept (default 10)

Limits (refusals are 429 with Retry-After):
  --max-connections N                    open client connections (default 20000)
  --max-watches N                        concurrent watches in total (default 100000)
  --max-watches-per-user N               concurrent watches per user (default 2000)
  --max-requests-per-second-per-user Q   sustained request rate per user (default 500; 0: none)
  --max-request-burst-per-user B         burst above that rate (default 1000)
)";

struct Flags {
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> positional;

  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
  }
  std::vector<std::string> List(const std::string& name) const {
    std::vector<std::string> out;
    auto it = values.find(name);
    if (it == values.end()) return out;
    for (const std::string& value : it->second) {
      std::stringstream items(value);
      std::string item;
      while (std::getline(items, item, ',')) {
        if (!item.empty()) out.push_back(item);
      }
    }
    return out;
  }
  bool Has(const std::string& name) const { return values.count(name) > 0; }
};

const std::vector<std::string> kBoolFlags = {"no-persist", "help", "anonymous-auth",
                                             "insecure-skip-tls-verify"};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      flags.positional.push_back(arg);
      continue;
    }
    arg = arg.substr(2);
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      flags.values[arg.substr(0, eq)].push_back(arg.substr(eq + 1));
    } else if (std::find(kBoolFlags.begin(), kBoolFlags.end(), arg) != kBoolFlags.end()) {
      flags.values[arg].push_back("true");
    } else if (i + 1 < argc) {
      flags.values[arg].push_back(argv[++i]);
    } else {
      std::cerr << "kcache: flag --" << arg << " needs a value\n";
      return false;
    }
  }
  return true;
}

int Fail(const std::string& message) {
  std::cerr << "kcache: " << message << std::endl;
  return 1;
}

int PrintKubeconfig(const Flags& flags) {
  std::string from = flags.Get("from");
  std::string server = flags.Get("server");
  if (from.empty() || server.empty()) return Fail("kubeconfig needs --from FILE and --server URL");
  std::string ca_file =
      flags.Get("ca-file", flags.Get("data-dir", "kcache-data") + "/pki/ca.crt");
  bool ok = false;
  std::string ca = kcache::ReadFile(ca_file, ok);
  if (!ok) return Fail("cannot read kcache's CA " + ca_file);
  auto rewritten = kcache::RewriteKubeconfigForProxy(from, server, ca);
  if (!rewritten) return Fail(rewritten.error().message);
  std::cout << *rewritten;
  return 0;
}

// Every client connection and watch holds a descriptor: take the hard limit, as Go programs
// such as kube-apiserver do at start, rather than the shell's soft default of 1024.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int Serve(const Flags& flags) {
  RaiseFileLimit();
  // Signals are handled by one thread: block them before any other thread starts (RocksDB's
  // and the cache's start below), or a SIGTERM delivered to one of those would end the process
  // without the shutdown that writes the cache to disk.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto upstream_config = kcache::ResolveUpstreamConfig(flags.Get("kubeconfig"));
  if (!upstream_config) return Fail(upstream_config.error().message);
  if (flags.Get("insecure-skip-tls-verify", "false") == "true") {
    upstream_config->insecure_skip_tls_verify = true;
  }
  std::optional<kcache::FrontProxyConfig> front_proxy;
  if (flags.Has("proxy-client-cert-file")) {
    front_proxy.emplace();
    bool cert_ok = false, key_ok = false;
    front_proxy->cert_pem = kcache::ReadFile(flags.Get("proxy-client-cert-file"), cert_ok);
    front_proxy->key_pem = kcache::ReadFile(flags.Get("proxy-client-key-file"), key_ok);
    if (!cert_ok || !key_ok) {
      return Fail("reading --proxy-client-cert-file / --proxy-client-key-file");
    }
  }
  auto upstream = kcache::Upstream::Create(*upstream_config, front_proxy);
  if (!upstream) return Fail(upstream.error());

  std::string data_dir = flags.Get("data-dir", "kcache-data");
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Fail("creating --data-dir " + data_dir + ": " + ec.message());

  CacheOptions cache_options;
  cache_options.include = flags.List("resources");
  cache_options.exclude = flags.List("exclude-resources");
  if (flags.Has("memory-only-resources")) {
    cache_options.memory_only = flags.List("memory-only-resources");
  }
  if (!flags.Has("no-persist")) cache_options.data_dir = data_dir;
  cache_options.store.history_window =
      std::chrono::seconds(std::stoll(flags.Get("history-window", "150")));
  cache_options.store.indexed_label_keys =
      flags.Has("index-label-keys")
          ? flags.List("index-label-keys")
          : std::vector<std::string>{"app", "app.kubernetes.io/name", "app.kubernetes.io/instance"};
  auto cache = Cache::Create(cache_options, *upstream);
  if (!cache) return Fail(cache.error());

  ServerOptions server_options;
  server_options.bind_address = flags.Get("bind-address", "127.0.0.1");
  server_options.port = static_cast<uint16_t>(std::stoi(flags.Get("secure-port", "8443")));
  server_options.workers = std::stoi(flags.Get("workers", "0"));
  server_options.proxy.read_your_writes_timeout =
      std::chrono::milliseconds(std::stoll(flags.Get("read-your-writes-timeout", "5000")));
  server_options.proxy.min_request_timeout =
      std::chrono::seconds(std::stoll(flags.Get("min-request-timeout", "1800")));
  server_options.proxy.gzip.enabled = flags.Get("response-compression", "true") != "false";
  server_options.proxy.gzip.threshold_bytes =
      static_cast<size_t>(std::stoull(flags.Get("gzip-threshold-bytes", "131072")));
  server_options.proxy.gzip.level = std::stoi(flags.Get("gzip-level", "1"));
  if (server_options.proxy.gzip.level < 1 || server_options.proxy.gzip.level > 9) {
    return Fail("--gzip-level must be from 1 to 9");
  }
  server_options.authentication.anonymous = flags.Get("anonymous-auth", "false") == "true";
  server_options.authentication.token_ttl =
      std::chrono::seconds(std::stoll(flags.Get("authentication-token-cache-ttl", "60")));
  server_options.authorization.allowed_ttl =
      std::chrono::seconds(std::stoll(flags.Get("authorization-cache-ttl", "10")));
  server_options.authorization.denied_ttl = server_options.authorization.allowed_ttl;
  server_options.limits.max_connections = std::stoll(flags.Get("max-connections", "20000"));
  server_options.limits.max_watches = std::stoll(flags.Get("max-watches", "100000"));
  server_options.limits.max_watches_per_user =
      std::stoll(flags.Get("max-watches-per-user", "2000"));
  server_options.limits.user_qps = std::stod(flags.Get("max-requests-per-second-per-user", "500"));
  server_options.limits.user_burst = std::stod(flags.Get("max-request-burst-per-user", "1000"));

  std::vector<std::string> hosts = flags.List("tls-san");
  hosts.push_back(server_options.bind_address);
  auto certificate = kcache::PrepareServingCertificate(
      flags.Get("tls-cert-file"), flags.Get("tls-private-key-file"), data_dir, hosts);
  if (!certificate) return Fail(certificate.error().message);
  auto tls = kcache::ServerTls::Create(*certificate, flags.Get("client-ca-file"));
  if (!tls) return Fail(tls.error().message);

  kcache::ProjectionRegistry projections;
  std::unique_ptr<kcache::ConfigWatcher> config_watcher;
  if (std::string config_path = flags.Get("config"); !config_path.empty()) {
    auto text = kcache::ReadFileText(config_path);
    if (!text) return Fail("cannot read --config " + config_path);
    auto config = kcache::ParseConfig(*text);
    if (!config) return Fail(config_path + ": " + config.error().message);
    projections.Install(*config);
    auto interval = std::chrono::milliseconds(
        static_cast<int64_t>(std::stod(flags.Get("config-reload-interval", "2")) * 1000));
    config_watcher = std::make_unique<kcache::ConfigWatcher>(config_path, *text, interval,
                                                             projections);
  }

  Server server(server_options, **cache, *upstream, std::move(*tls), projections);
  if (auto listening = server.Listen(); !listening) return Fail(listening.error());
  std::cerr << "kcache: serving https://" << server_options.bind_address << ":" << server.port()
            << " in front of " << upstream_config->server << "\n"
            << "kcache: clients trust " << certificate->ca_file << std::endl;
  (*cache)->Start();

  std::thread signal_thread([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    std::cerr << "kcache: stopping" << std::endl;
    server.Stop();
  });
  server.Run();
  (*cache)->Stop();
  signal_thread.detach();
  google::protobuf::ShutdownProtobufLibrary();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  if (flags.Has("help")) {
    std::cout << kUsage;
    return 0;
  }
  try {
    if (!flags.positional.empty() && flags.positional.front() == "kubeconfig") {
      return PrintKubeconfig(flags);
    }
    if (!flags.positional.empty()) return Fail("unknown command " + flags.positional.front());
    return Serve(flags);
  } catch (const std::exception& e) {  // bad numbers in flags
    return Fail(e.what());
  }
}
