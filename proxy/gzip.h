#pragma once
// gzip response compression as kube-apiserver applies it (k8s.io/apiserver/pkg/endpoints/
// handlers/responsewriters): a response larger than a threshold (128 KiB) to a client whose
// Accept-Encoding names gzip is compressed at level 1, the cheapest level, whose ratio is
// close to the best ones on Kubernetes JSON. WatchList streams are compressed one gzip member
// per write, so every event written is readable by the client at once.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace kcache {

struct GzipOptions {
  bool enabled = true;
  size_t threshold_bytes = 128 * 1024;  // bodies of at most this size are sent as they are
  int level = 1;                        // zlib's 1 (fastest) to 9 (smallest)
};

// Whether an Accept-Encoding header value names gzip (a comma-separated token, as
// kube-apiserver reads it: parameters such as q-values are not honoured).
bool AcceptsGzip(std::string_view accept_encoding);

// One gzip member, written incrementally. Never throws: a stream zlib could not start (out of
// memory) fails its first Write, and the response it was for ends like one whose client left.
class GzipStream {
 public:
  explicit GzipStream(int level);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Compresses `input`, appending what is ready to `out`; false when zlib failed, after which
  // the stream is unusable.
  [[nodiscard]] bool Write(std::string_view input, std::string& out);
  // Ends the member (its trailer) and starts a new one for later writes.
  [[nodiscard]] bool Finish(std::string& out);

 private:
  bool Deflate(std::string_view input, int flush, std::string& out);

  struct State;
  std::unique_ptr<State> state_;
  int level_;
  bool usable_ = false;
};

}  // namespace kcache
