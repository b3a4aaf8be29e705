// Kubeconfig files: kube/kubeconfig.h LoadKubeconfig and RewriteKubeconfigForProxy (what
// `kcache` writes for its own clients). Both take a path, so each input is written to a file
// in a directory of this process (/tmp/kcache-fuzz-kubeconfig-<pid>/); relative certificate
// paths in the input resolve inside it. Properties: neither function lets an exception out
// (see KCACHE_FUZZ_IGNORE_EXCEPTIONS below); a kubeconfig that loads, once rewritten, loads
// again pointing at the proxy with its CA and the same credentials.
//
// Input: a kubeconfig (YAML).

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>

#include "kube/kubeconfig.h"
#include "test/fuzz/check.h"

namespace {

constexpr const char* kProxyServer = "https://127.0.0.1:6443";
constexpr const char* kProxyCa = "-----BEGIN CERTIFICATE-----\nkcache\n-----END CERTIFICATE-----\n";

constexpr std::string_view kDirPrefix = "kcache-fuzz-kubeconfig-";

struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    RemoveStale();
    dir = std::filesystem::path("/tmp") / (std::string(kDirPrefix) + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
  }
  // A run that crashed never got to its destructor: remove directories of processes that are
  // gone.
  static void RemoveStale() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/tmp", ec)) {
      std::string name = entry.path().filename().string();
      if (!name.starts_with(kDirPrefix)) continue;
      pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + kDirPrefix.size()));
      if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
        std::filesystem::remove_all(entry.path(), ec);
      }
    }
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

void WriteFile(const std::string& path, std::string_view content) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) std::abort();
  if (!content.empty() && std::fwrite(content.data(), 1, content.size(), file) != content.size()) {
    std::abort();
  }
  std::fclose(file);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcache;
  static TempDir temp;  // removed at exit
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string path = (temp.dir / "config").string();
  WriteFile(path, input);

  // Both functions report failures as results; an exception escaping them is a finding. With
  // KCACHE_FUZZ_IGNORE_EXCEPTIONS=1 a campaign can look past one that is already known.
  static const bool ignore_exceptions = [] {
    const char* value = std::getenv("KCACHE_FUZZ_IGNORE_EXCEPTIONS");
    return value && std::string_view(value) == "1";
  }();
  boost::system::result<UpstreamConfig, Error> loaded = Error{};
  boost::system::result<std::string, Error> rewritten = Error{};
  if (ignore_exceptions) {
    try {
      loaded = LoadKubeconfig(path);
      rewritten = RewriteKubeconfigForProxy(path, kProxyServer, kProxyCa);
    } catch (const std::exception&) {
      return 0;
    }
  } else {
    // Not inside a try block, so the crash report shows where the exception was thrown.
    loaded = LoadKubeconfig(path);
    rewritten = RewriteKubeconfigForProxy(path, kProxyServer, kProxyCa);
  }
  if (!loaded || !rewritten) return 0;

  const std::string again_path = (temp.dir / "rewritten").string();
  WriteFile(again_path, *rewritten);
  auto again = LoadKubeconfig(again_path);
  std::string describe = "input " + fuzz::Escape(input) + " rewritten " + fuzz::Escape(*rewritten);
  FUZZ_CHECK(again.has_value(), describe + ": " + (again ? "" : again.error().message));
  FUZZ_CHECK(again->server == kProxyServer && again->ca_pem == kProxyCa, describe);
  FUZZ_CHECK(!again->insecure_skip_tls_verify && again->tls_server_name.empty(), describe);
  FUZZ_CHECK(again->token == loaded->token && again->client_cert_pem == loaded->client_cert_pem &&
                 again->client_key_pem == loaded->client_key_pem &&
                 again->token_file == loaded->token_file,
             describe);
  return 0;
}
