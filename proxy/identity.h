#pragma once
// Who a request comes from, as kube-apiserver's authenticators describe a user.

#include <map>
#include <string>
#include <vector>

namespace kcache {

struct UserInfo {
  enum class Source { kAnonymous, kToken, kCertificate };

  std::string name;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
  Source source = Source::kAnonymous;
};

}  // namespace kcache
