#pragma once
// The server's TLS identity: the certificate files the operator gave, or a CA and serving
// certificate kcache makes for itself in its data directory (kept across restarts, so client
// kubeconfigs stay valid).

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include "kube/error.h"
#include "proxy/identity.h"

typedef struct ssl_st SSL;

namespace kcache {

struct ServingCertificate {
  std::string cert_file;
  std::string key_file;
  // The CA clients should trust: kcache's own CA when it made the certificate, else the
  // certificate file itself (its chain).
  std::string ca_file;
  bool generated = false;
};

// Uses `cert_file`/`key_file` when given; otherwise creates (or reuses) <data_dir>/pki/.
// `hosts` are extra names and addresses for the generated certificate's SANs.
boost::system::result<ServingCertificate, Error> PrepareServingCertificate(
    const std::string& cert_file, const std::string& key_file, const std::string& data_dir,
    const std::vector<std::string>& hosts);

// TLS 1.2+ with forward-secret AEAD ciphers; HTTP/1.1 only (no h2 in ALPN). With a
// `client_ca_file`, clients are asked for a certificate (optional); it is judged after the
// handshake, as kube-apiserver does, so a bad one becomes a 401 rather than a TLS failure.
boost::system::result<std::unique_ptr<boost::asio::ssl::context>, Error> MakeServerContext(
    const ServingCertificate& certificate, const std::string& client_ca_file);

// The server's TLS context, rebuilt when the certificate, key or client CA files change, so
// certificates rotate without a restart. Connections keep the context they started with.
// Threading: Current and ReloadIfChanged may be called from any thread.
class ServerTls {
 public:
  static boost::system::result<std::unique_ptr<ServerTls>, Error> Create(
      ServingCertificate certificate, std::string client_ca_file);

  std::shared_ptr<boost::asio::ssl::context> Current();
  // Returns an error text when the files changed but could not be loaded (the old context
  // stays), else "".
  std::string ReloadIfChanged();

 private:
  ServerTls(ServingCertificate certificate, std::string client_ca_file);
  std::string FilesStamp() const;

  const ServingCertificate certificate_;
  const std::string client_ca_file_;
  std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
  std::string stamp_;
};

// The user of the client certificate presented on `ssl` (CN = name, O = groups, plus
// system:authenticated), when it verified against the client CA. `rejected` is set when a
// certificate was presented but did not verify.
std::optional<UserInfo> ClientCertificateUser(SSL* ssl, bool& rejected);

// Whether a failed TLS handshake met a plain HTTP request instead of a ClientHello (a client
// given http:// for kcache's https:// address).
bool IsPlainHttpInsteadOfTls(const boost::system::error_code& handshake_error);
// Go's answer to it, written in plain text before the connection closes: kubectl shows it.
inline constexpr std::string_view kPlainHttpAnswer =
    "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

}  // namespace kcache
