#include "kube/upstream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>

#include "kube/http_parser.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kFetchTimeout = std::chrono::seconds(60);
constexpr auto kTokenRereadInterval = std::chrono::seconds(60);

// A client context for the upstream; `cert_pem`/`key_pem` (may be empty) are the client
// certificate it presents.
boost::system::result<std::unique_ptr<ssl::context>, std::string> MakeContext(
    const UpstreamConfig& config, const std::string& cert_pem, const std::string& key_pem) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (config.insecure_skip_tls_verify) {
    context->set_verify_mode(ssl::verify_none);
  } else {
    context->set_verify_mode(ssl::verify_peer);
    if (config.ca_pem.empty()) {
      context->set_default_verify_paths(ec);
    } else {
      context->add_certificate_authority(asio::buffer(config.ca_pem), ec);
    }
    if (ec) return "loading the upstream CA: " + ec.message();
  }
  if (!cert_pem.empty()) {
    context->use_certificate_chain(asio::buffer(cert_pem), ec);
    if (ec) return "loading the client certificate: " + ec.message();
    context->use_private_key(asio::buffer(key_pem), ssl::context::pem, ec);
    if (ec) return "loading the client key: " + ec.message();
  }
  return context;
}

}  // namespace

Upstream::Upstream(UpstreamConfig config, std::unique_ptr<ssl::context> own,
                   std::unique_ptr<ssl::context> anonymous,
                   std::unique_ptr<ssl::context> front_proxy_context,
                   std::optional<FrontProxyConfig> front_proxy)
    : config_(std::move(config)),
      own_context_(std::move(own)),
      anonymous_context_(std::move(anonymous)),
      front_proxy_context_(std::move(front_proxy_context)),
      front_proxy_(std::move(front_proxy)) {
  bool ipv6 = config_.host.find(':') != std::string::npos;
  host_header_ = (ipv6 ? "[" + config_.host + "]" : config_.host);
  if (config_.port != "443") host_header_ += ":" + config_.port;
  token_ = config_.token;
}

boost::system::result<std::shared_ptr<Upstream>, std::string> Upstream::Create(
    UpstreamConfig config, std::optional<FrontProxyConfig> front_proxy) {
  auto own = MakeContext(config, config.client_cert_pem, config.client_key_pem);
  if (!own) return own.error();
  auto anonymous = MakeContext(config, "", "");
  if (!anonymous) return anonymous.error();
  std::unique_ptr<ssl::context> front_proxy_context;
  if (front_proxy) {
    auto made = MakeContext(config, front_proxy->cert_pem, front_proxy->key_pem);
    if (!made) return "front-proxy certificate: " + made.error();
    front_proxy_context = std::move(*made);
  }
  return std::shared_ptr<Upstream>(new Upstream(std::move(config), std::move(*own),
                                                std::move(*anonymous),
                                                std::move(front_proxy_context),
                                                std::move(front_proxy)));
}

std::string Upstream::Authorization() {
  std::lock_guard lock(token_mutex_);
  if (!config_.token_file.empty()) {
    auto now = std::chrono::steady_clock::now();
    if (token_.empty() || now - token_read_ > kTokenRereadInterval) {
      bool ok = false;
      std::string token = ReadFile(config_.token_file, ok);
      while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
      if (ok && !token.empty()) token_ = token;
      token_read_ = now;
    }
  }
  return token_.empty() ? std::string() : "Bearer " + token_;
}

asio::awaitable<boost::system::result<std::unique_ptr<UpstreamStream>, std::string>>
Upstream::Connect(asio::any_io_executor executor, UpstreamIdentity identity) {
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(
      config_.host, config_.port, asio::as_tuple(asio::use_awaitable));
  if (resolve_ec) co_return "resolving " + config_.host + ": " + resolve_ec.message();

  ssl::context* context = anonymous_context_.get();
  if (identity == UpstreamIdentity::kKcache) context = own_context_.get();
  if (identity == UpstreamIdentity::kFrontProxy) {
    if (!front_proxy_context_) co_return std::string("no front-proxy certificate configured");
    context = front_proxy_context_.get();
  }
  auto stream = std::make_unique<UpstreamStream>(executor, *context);
  beast::get_lowest_layer(*stream).expires_after(kConnectTimeout);
  auto [connect_ec, endpoint] = co_await beast::get_lowest_layer(*stream).async_connect(
      endpoints, asio::as_tuple(asio::use_awaitable));
  if (connect_ec) co_return "connecting to " + config_.server + ": " + connect_ec.message();
  beast::get_lowest_layer(*stream).socket().set_option(tcp::no_delay(true));

  const std::string& name = config_.tls_server_name.empty() ? config_.host : config_.tls_server_name;
  // SNI only carries host names, never addresses.
  boost::system::error_code address_ec;
  asio::ip::make_address(name, address_ec);
  if (address_ec) SSL_set_tlsext_host_name(stream->native_handle(), name.c_str());
  if (!config_.insecure_skip_tls_verify) {
    stream->set_verify_callback(ssl::host_name_verification(name));
  }
  auto [handshake_ec] = co_await stream->async_handshake(ssl::stream_base::client,
                                                         asio::as_tuple(asio::use_awaitable));
  if (handshake_ec) co_return "TLS handshake with " + config_.server + ": " + handshake_ec.message();
  beast::get_lowest_layer(*stream).expires_never();
  co_return std::move(stream);
}

asio::awaitable<boost::system::result<FetchResult, std::string>> Upstream::Fetch(
    asio::any_io_executor executor, const std::string& target, const std::string& accept,
    http::fields extra_headers) {
  auto connected = co_await Connect(executor, UpstreamIdentity::kKcache);
  if (!connected) co_return connected.error();
  UpstreamStream& stream = **connected;

  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, host_header_);
  request.set(http::field::user_agent, "kcache");
  if (!accept.empty()) request.set(http::field::accept, accept);
  for (const auto& field : extra_headers) request.insert(field.name_string(), field.value());
  if (std::string auth = Authorization(); !auth.empty()) {
    request.set(http::field::authorization, auth);
  }
  beast::get_lowest_layer(stream).expires_after(kFetchTimeout);
  auto [write_ec, written] = co_await http::async_write(stream, request,
                                                        asio::as_tuple(asio::use_awaitable));
  if (write_ec) co_return "GET " + target + ": " + write_ec.message();
  beast::flat_buffer buffer;
  ResponseParser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser,
                                                    asio::as_tuple(asio::use_awaitable));
  if (read_ec) co_return "GET " + target + ": " + read_ec.message();
  auto response = parser.release();
  FetchResult result;
  result.status = response.result_int();
  result.headers = response.base();
  result.body = std::move(response.body());
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
  co_return result;
}

}  // namespace kcache
