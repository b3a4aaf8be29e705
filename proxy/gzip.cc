#include "proxy/gzip.h"

#include <zlib.h>

namespace kcache {

struct GzipStream::State {
  z_stream stream{};
};

bool AcceptsGzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view token = accept_encoding.substr(0, comma);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token == "gzip") return true;
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  return false;
}

GzipStream::GzipStream(int level) : state_(std::make_unique<State>()), level_(level) {
  // windowBits 15 + 16: a gzip header and trailer around the deflate data.
  usable_ = deflateInit2(&state_->stream, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) ==
            Z_OK;
}

GzipStream::~GzipStream() {
  if (usable_) deflateEnd(&state_->stream);
}

bool GzipStream::Deflate(std::string_view input, int flush, std::string& out) {
  if (!usable_) return false;
  z_stream& z = state_->stream;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  int result = Z_OK;
  do {
    size_t before = out.size();
    size_t room = std::max<size_t>(deflateBound(&z, z.avail_in), 64 * 1024);
    out.resize(before + room);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    z.avail_out = static_cast<uInt>(room);
    result = deflate(&z, flush);
    out.resize(before + (room - z.avail_out));
    if (result == Z_STREAM_ERROR) {
      usable_ = false;
      return false;
    }
    // Go on while input remains, while the output filled the room given (more may be
    // pending), and until a finished member is complete.
  } while (z.avail_in > 0 || z.avail_out == 0 || (flush == Z_FINISH && result != Z_STREAM_END));
  return true;
}

bool GzipStream::Write(std::string_view input, std::string& out) {
  // zlib counts in 32 bits: feed large pieces in parts.
  constexpr size_t kPart = 1 << 30;
  while (!input.empty()) {
    std::string_view part = input.substr(0, kPart);
    if (!Deflate(part, Z_NO_FLUSH, out)) return false;
    input.remove_prefix(part.size());
  }
  return true;
}

bool GzipStream::Finish(std::string& out) {
  // The data first, then the final block on its own, as Go's gzip writer does on Flush then
  // Close. A reader that gets the last data in the same block as the member's end (Go's
  // gzip.Reader) goes on to read the next member's header before returning that data, which
  // on a watch waits for the next event.
  if (!Deflate({}, Z_SYNC_FLUSH, out) || !Deflate({}, Z_FINISH, out)) return false;
  return deflateReset(&state_->stream) == Z_OK;
}

}  // namespace kcache
