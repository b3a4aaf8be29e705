#pragma once
// Where the upstream API server is and who kcache is to it: from a kubeconfig file or from the
// in-cluster service account, as client-go finds them.

#include <string>

#include <boost/system/result.hpp>

#include "kube/error.h"

namespace kcache {

struct UpstreamConfig {
  std::string server;  // https://host:port
  std::string host;
  std::string port;
  std::string ca_pem;  // empty: the system's trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  // name verified in the server certificate; default: host
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;
  // A token file is read again when it changes: bound service-account tokens rotate.
  std::string token_file;
};

// Reads `path` (the current context, or `context` when given).
boost::system::result<UpstreamConfig, Error> LoadKubeconfig(const std::string& path,
                                                                  const std::string& context = "");

// The pod's service account: KUBERNETES_SERVICE_HOST/PORT and /var/run/secrets/...
boost::system::result<UpstreamConfig, Error> InClusterConfig();

// Picks the upstream the way client-go does: an explicit --kubeconfig, else in-cluster, else
// $KUBECONFIG, else ~/.kube/config.
boost::system::result<UpstreamConfig, Error> ResolveUpstreamConfig(
    const std::string& kubeconfig_flag);

// Splits "https://host:port" into host and port; false when it is not an https URL.
bool SplitServerUrl(const std::string& server, std::string& host, std::string& port);

// A kubeconfig for clients of kcache: the user's own kubeconfig (`from`), with every cluster's
// server set to `server` and its CA set to `ca_pem`. Credentials are kept as they are.
boost::system::result<std::string, Error> RewriteKubeconfigForProxy(
    const std::string& from, const std::string& server, const std::string& ca_pem);

std::string ReadFile(const std::string& path, bool& ok);

}  // namespace kcache
