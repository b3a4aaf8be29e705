#pragma once
// UpstreamPool: idle TLS connections to the upstream, kept per worker thread (used only from
// that thread). A pool holds either connections without credentials (for requests made with a
// client's own credentials) or connections that carry kcache's identity (TokenReview,
// SubjectAccessReview, impersonation for certificate users): never a mix.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>

#include "kube/upstream.h"

namespace kcache {

class UpstreamPool {
 public:
  UpstreamPool(std::shared_ptr<Upstream> upstream, UpstreamIdentity identity, size_t max_idle);

  // An idle connection, or a new one; `reused` says which. Connections idle for longer than
  // kMaxIdle are closed rather than reused: kube-apiserver closes them after 90 s.
  boost::asio::awaitable<boost::system::result<std::unique_ptr<UpstreamStream>, std::string>>
  Acquire(bool& reused);
  void Release(std::unique_ptr<UpstreamStream> connection);
  // Closes every idle connection: one the upstream closed says the others idled as long.
  void DropIdle() { idle_.clear(); }

  static constexpr std::chrono::seconds kMaxIdle{60};

  // One small request answered with a whole body (reviews, discovery), on a pooled connection;
  // a connection the upstream closed meanwhile is replaced once. For a kcache pool, kcache's
  // token (if it uses one) is added.
  boost::asio::awaitable<boost::system::result<FetchResult, std::string>> Call(
      boost::beast::http::verb method, const std::string& target, const std::string& body,
      const boost::beast::http::fields& headers = {});

  UpstreamIdentity identity() const { return identity_; }
  Upstream& upstream() { return *upstream_; }

 private:
  std::shared_ptr<Upstream> upstream_;
  UpstreamIdentity identity_;
  size_t max_idle_;
  struct Idle {
    std::unique_ptr<UpstreamStream> connection;
    std::chrono::steady_clock::time_point since;
  };
  std::vector<Idle> idle_;  // most recently released last
};

}  // namespace kcache
