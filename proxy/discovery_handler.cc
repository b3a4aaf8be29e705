#include "proxy/discovery_handler.h"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>

#include "proxy/authorizer.h"
#include "proxy/discovery_cache.h"
#include "proxy/impersonation.h"
#include "proxy/response.h"

namespace kcache {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// The copy as the upstream sends it: its headers in place of kcache's Cache-Control, and its
// body gzipped (as kcache gzips, proxy/response.h) when the upstream gzips it.
asio::awaitable<bool> WriteDocument(Exchange& exchange, const DiscoveryDocument& document,
                                    bool not_modified) {
  http::response<http::empty_body> header{not_modified ? http::status::not_modified
                                                       : http::status::ok,
                                          exchange.request.version()};
  SetCommonHeaders(header.base(), exchange);
  auto headers = not_modified ? NotModifiedHeaders(document) : document.headers;
  for (const auto& [name, value] : headers) header.erase(name);
  for (const auto& [name, value] : headers) header.insert(name, value);
  if (document.modified_when_answered && header.count(http::field::last_modified) > 0) {
    std::string now(header[http::field::date]);
    header.set(http::field::last_modified, now);
  }
  std::optional<int> gzip_level;
  if (document.gzipped_upstream) gzip_level = GzipLevelFor(exchange, std::nullopt);
  std::vector<std::string_view> pieces{*document.body};
  co_return co_await WriteHeaderAndBody(exchange, header, pieces, document.body->size(),
                                        gzip_level);
}

}  // namespace

asio::awaitable<std::optional<AfterResponse>> ServeDiscovery(Exchange& exchange) {
  std::optional<DiscoveryKey> key = DiscoveryKeyFor(exchange.request);
  if (!key || exchange.user.source == UserInfo::Source::kAnonymous ||
      !ImpersonationHeaders(exchange.request).empty() ||
      exchange.request.count(http::field::if_none_match) > 1) {
    co_return std::nullopt;
  }
  DiscoveryCache& discovery = exchange.services.discovery;
  std::shared_ptr<const DiscoveryDocument> document = discovery.Find(*key);
  if (!document) {
    discovery.Missed(*key);
    co_return std::nullopt;
  }
  ConditionalAnswer answer =
      AnswerIfNoneMatch(exchange.request[http::field::if_none_match], document->etag);
  if (answer == ConditionalAnswer::kUpstream) co_return std::nullopt;

  // A refusal, or a review that could not be made, is the upstream's to word.
  auto allowed = co_await exchange.services.authorizer.Authorize(
      exchange.user, AccessAttributes::FromRequest(exchange.info), exchange.own_pool);
  if (!allowed) co_return std::nullopt;

  discovery.Served();
  bool written =
      co_await WriteDocument(exchange, *document, answer == ConditionalAnswer::kNotModified);
  co_return written ? AfterResponse::kKeepAlive : AfterResponse::kClose;
}

}  // namespace kcache
