#pragma once
// Upstream: TLS connections to the upstream kube-apiserver (or a parent kcache), either as kcache
// itself (its client certificate or token, for the cache's own list and watch) or with no
// credentials at all (for requests kcache forwards on behalf of a client, which carry the
// client's own Authorization header). Keeping the two apart means a forwarded request can never
// borrow kcache's identity.
//
// Threading: Connect and Fetch may be called from any io_context; the SSL contexts are shared
// and read-only after Create.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/result.hpp>

#include "kube/kubeconfig.h"

namespace kcache {

using UpstreamStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Whose credentials a connection to the upstream carries.
enum class UpstreamIdentity {
  kNone,        // none: the request brings the client's own token
  kKcache,      // kcache's own (its list and watch, reviews, impersonation)
  kFrontProxy,  // the front-proxy client certificate: X-Remote-* headers name the user
};

// The upstream's request-header authentication (kube-apiserver's --requestheader-* flags): a
// client certificate it trusts to vouch for users, and the headers that carry them.
struct FrontProxyConfig {
  std::string cert_pem;
  std::string key_pem;
  std::string user_header = "X-Remote-User";
  std::string group_header = "X-Remote-Group";
  std::string extra_header_prefix = "X-Remote-Extra-";
};

struct FetchResult {
  unsigned status = 0;
  boost::beast::http::fields headers;
  std::string body;
};

class Upstream {
 public:
  static boost::system::result<std::shared_ptr<Upstream>, std::string> Create(
      UpstreamConfig config, std::optional<FrontProxyConfig> front_proxy = std::nullopt);

  // Opens a connection on `executor` carrying `identity`'s credentials.
  boost::asio::awaitable<boost::system::result<std::unique_ptr<UpstreamStream>, std::string>>
  Connect(boost::asio::any_io_executor executor, UpstreamIdentity identity);

  // The front-proxy settings, when kcache was given a front-proxy certificate.
  const std::optional<FrontProxyConfig>& front_proxy() const { return front_proxy_; }

  // One small GET as kcache (discovery, health), on a fresh connection. Bodies are read whole.
  // An empty `accept` sends no Accept header; `extra_headers` go along (If-None-Match).
  boost::asio::awaitable<boost::system::result<FetchResult, std::string>> Fetch(
      boost::asio::any_io_executor executor, const std::string& target, const std::string& accept,
      boost::beast::http::fields extra_headers = {});

  // The Authorization header value for kcache's own requests ("" with certificate auth).
  std::string Authorization();
  // Value for the Host header.
  const std::string& host_header() const { return host_header_; }
  const UpstreamConfig& config() const { return config_; }

 private:
  Upstream(UpstreamConfig config, std::unique_ptr<boost::asio::ssl::context> own,
           std::unique_ptr<boost::asio::ssl::context> anonymous,
           std::unique_ptr<boost::asio::ssl::context> front_proxy_context,
           std::optional<FrontProxyConfig> front_proxy);

  UpstreamConfig config_;
  std::string host_header_;
  std::unique_ptr<boost::asio::ssl::context> own_context_;
  std::unique_ptr<boost::asio::ssl::context> anonymous_context_;
  std::unique_ptr<boost::asio::ssl::context> front_proxy_context_;
  std::optional<FrontProxyConfig> front_proxy_;

  std::mutex token_mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point token_read_;
};

}  // namespace kcache
