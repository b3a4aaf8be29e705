#include "proxy/tls.h"

#include <filesystem>
#include <fstream>

#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace kcache {
namespace {

namespace fs = std::filesystem;
namespace ssl = boost::asio::ssl;

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return true;
}

CertPtr MakeCertificate(EVP_PKEY* key, const std::string& common_name, X509* issuer,
                        EVP_PKEY* issuer_key, long serial, bool is_ca, const std::string& sans) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (is_ca) {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    AddExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    AddExtension(cert.get(), signer, NID_subject_alt_name, sans);
  }
  if (!X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256())) return nullptr;
  return cert;
}

bool WritePem(const std::string& path, EVP_PKEY* key, X509* cert) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (!file) return false;
  bool ok = key ? PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr)
                : PEM_write_X509(file, cert);
  std::fclose(file);
  if (key) fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return ok;
}

bool IsAddress(const std::string& host) {
  return host.find_first_not_of("0123456789.") == std::string::npos ||
         host.find(':') != std::string::npos;
}

}  // namespace

boost::system::result<ServingCertificate, Error> PrepareServingCertificate(
    const std::string& cert_file, const std::string& key_file, const std::string& data_dir,
    const std::vector<std::string>& hosts) {
  if (!cert_file.empty() || !key_file.empty()) {
    if (cert_file.empty() || key_file.empty()) {
      return Error{std::string("--tls-cert-file and --tls-private-key-file go together")};
    }
    return ServingCertificate{cert_file, key_file, cert_file, false};
  }
  fs::path dir = fs::path(data_dir) / "pki";
  ServingCertificate out{(dir / "serving.crt").string(), (dir / "serving.key").string(),
                         (dir / "ca.crt").string(), true};
  if (fs::exists(out.cert_file) && fs::exists(out.key_file) && fs::exists(out.ca_file)) return out;

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"creating " + dir.string() + ": " + ec.message()};
  KeyPtr ca_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!ca_key || !key) return Error{std::string("generating keys failed")};
  std::string sans = "DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1";
  for (const std::string& host : hosts) {
    if (host.empty() || host == "localhost" || host == "127.0.0.1") continue;
    sans += (IsAddress(host) ? ",IP:" : ",DNS:") + host;
  }
  long serial = static_cast<long>(std::time(nullptr));
  CertPtr ca = MakeCertificate(ca_key.get(), "kcache-ca", nullptr, nullptr, serial, true, "");
  if (!ca) return Error{std::string("signing the CA certificate failed")};
  CertPtr cert = MakeCertificate(key.get(), "kcache", ca.get(), ca_key.get(), serial + 1, false, sans);
  if (!cert) return Error{std::string("signing the serving certificate failed")};
  if (!WritePem((dir / "ca.key").string(), ca_key.get(), nullptr) ||
      !WritePem(out.ca_file, nullptr, ca.get()) || !WritePem(out.key_file, key.get(), nullptr) ||
      !WritePem(out.cert_file, nullptr, cert.get())) {
    return Error{"writing certificates into " + dir.string() + " failed"};
  }
  return out;
}

boost::system::result<std::unique_ptr<ssl::context>, Error> MakeServerContext(
    const ServingCertificate& certificate, const std::string& client_ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                       ssl::context::single_dh_use);
  // A client asking to renegotiate TLS 1.2 is refused, as Go's server refuses it: each
  // renegotiation costs the server a handshake the client can ask for again and again.
  SSL_CTX_set_options(context->native_handle(), SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_cipher_list(context->native_handle(),
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  boost::system::error_code ec;
  context->use_certificate_chain_file(certificate.cert_file, ec);
  if (ec) return Error{"loading " + certificate.cert_file + ": " + ec.message()};
  context->use_private_key_file(certificate.key_file, ssl::context::pem, ec);
  if (ec) return Error{"loading " + certificate.key_file + ": " + ec.message()};
  if (!client_ca_file.empty()) {
    context->load_verify_file(client_ca_file, ec);
    if (ec) return Error{"loading --client-ca-file " + client_ca_file + ": " + ec.message()};
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(client_ca_file.c_str());
    if (names) SSL_CTX_set_client_CA_list(context->native_handle(), names);
    // Ask for a certificate, never require one, and let every handshake finish: the verdict
    // (SSL_get_verify_result) is read afterwards.
    context->set_verify_mode(ssl::verify_peer);
    context->set_verify_callback([](bool, ssl::verify_context&) { return true; });
  }
  return context;
}

ServerTls::ServerTls(ServingCertificate certificate, std::string client_ca_file)
    : certificate_(std::move(certificate)), client_ca_file_(std::move(client_ca_file)) {}

boost::system::result<std::unique_ptr<ServerTls>, Error> ServerTls::Create(
    ServingCertificate certificate, std::string client_ca_file) {
  std::unique_ptr<ServerTls> tls(new ServerTls(std::move(certificate), std::move(client_ca_file)));
  auto context = MakeServerContext(tls->certificate_, tls->client_ca_file_);
  if (!context) return context.error();
  tls->current_ = std::move(*context);
  tls->stamp_ = tls->FilesStamp();
  return tls;
}

std::shared_ptr<ssl::context> ServerTls::Current() {
  std::lock_guard lock(mutex_);
  return current_;
}

std::string ServerTls::FilesStamp() const {
  std::string stamp;
  for (const std::string& path : {certificate_.cert_file, certificate_.key_file, client_ca_file_}) {
    std::error_code ec;
    if (path.empty()) continue;
    auto time = fs::last_write_time(path, ec);
    auto size = fs::file_size(path, ec);
    stamp += path + ":" + std::to_string(time.time_since_epoch().count()) + ":" +
             std::to_string(size) + ";";
  }
  return stamp;
}

std::string ServerTls::ReloadIfChanged() {
  std::string stamp = FilesStamp();
  {
    std::lock_guard lock(mutex_);
    if (stamp == stamp_) return "";
  }
  auto context = MakeServerContext(certificate_, client_ca_file_);
  std::lock_guard lock(mutex_);
  stamp_ = stamp;  // a broken file is reported once, not every check
  if (!context) return context.error().message;
  current_ = std::move(*context);
  return "";
}

std::optional<UserInfo> ClientCertificateUser(SSL* ssl, bool& rejected) {
  rejected = false;
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (!peer) return std::nullopt;
  if (SSL_get_verify_result(ssl) != X509_V_OK) {
    rejected = true;
    return std::nullopt;
  }
  auto entries = [&](int nid) {
    std::vector<std::string> values;
    X509_NAME* subject = X509_get_subject_name(peer);
    for (int i = X509_NAME_get_index_by_NID(subject, nid, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(subject, nid, i)) {
      ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
      unsigned char* utf8 = nullptr;
      int length = ASN1_STRING_to_UTF8(&utf8, data);
      if (length >= 0) values.emplace_back(reinterpret_cast<char*>(utf8), length);
      OPENSSL_free(utf8);
    }
    return values;
  };
  std::vector<std::string> names = entries(NID_commonName);
  if (names.empty() || names.front().empty()) {
    rejected = true;
    return std::nullopt;
  }
  UserInfo user;
  user.name = names.front();
  user.groups = entries(NID_organizationName);
  user.groups.push_back("system:authenticated");
  user.source = UserInfo::Source::kCertificate;
  return user;
}

bool IsPlainHttpInsteadOfTls(const boost::system::error_code& handshake_error) {
  // OpenSSL recognises "GET ", "POST ", "HEAD " and "PUT " where a TLS record belongs.
  return handshake_error.category() == boost::asio::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(handshake_error.value())) == SSL_R_HTTP_REQUEST;
}

}  // namespace kcache
