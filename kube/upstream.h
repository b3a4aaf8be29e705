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

struct FetchResult {
  unsigned status = 0;
  boost::beast::http::fields headers;
  std::string body;
};

class Upstream {
 public:
  static boost::system::result<std::shared_ptr<Upstream>, std::string> Create(
      UpstreamConfig config);

  // Opens a connection on `executor`. `as_kcache` selects kcache's own credentials.
  boost::asio::awaitable<boost::system::result<std::unique_ptr<UpstreamStream>, std::string>>
  Connect(boost::asio::any_io_executor executor, bool as_kcache);

  // One small GET as kcache (discovery, health), on a fresh connection. Bodies are read whole.
  boost::asio::awaitable<boost::system::result<FetchResult, std::string>> Fetch(
      boost::asio::any_io_executor executor, const std::string& target, const std::string& accept);

  // The Authorization header value for kcache's own requests ("" with certificate auth).
  std::string Authorization();
  // Value for the Host header.
  const std::string& host_header() const { return host_header_; }
  const UpstreamConfig& config() const { return config_; }

 private:
  Upstream(UpstreamConfig config, std::unique_ptr<boost::asio::ssl::context> own,
           std::unique_ptr<boost::asio::ssl::context> anonymous);

  UpstreamConfig config_;
  std::string host_header_;
  std::unique_ptr<boost::asio::ssl::context> own_context_;
  std::unique_ptr<boost::asio::ssl::context> anonymous_context_;

  std::mutex token_mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point token_read_;
};

}  // namespace kcache
