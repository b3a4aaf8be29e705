#pragma once
// Continue tokens for paginated lists, in kube-apiserver's format
// (k8s.io/apiserver/pkg/storage/continue.go): base64url(JSON {"v","rv","start"}), where start is
// the key after which the next page begins, relative to the list's key prefix. Because the token
// names a resourceVersion and a key, any kcache replica whose history covers that version can
// serve the next page.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "kube/status.h"

namespace kcache {

struct ContinueToken {
  // The list's resourceVersion; negative means "continue from the latest state".
  int64_t resource_version = 0;
  // Inclusive lower bound of the next page, relative to the list prefix (the last key plus
  // "\0"), with any leading '/' removed.
  std::string start;
};

// Token for the page after `last_key` (relative to the list prefix).
std::string EncodeContinueToken(int64_t resource_version, std::string_view last_key);

// Decodes a client's token; errors are the 400 "invalid continue token: ..." Status.
boost::system::result<ContinueToken, Status> DecodeContinueToken(std::string_view token);

}  // namespace kcache
