#include "engine/http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace llmeval {

Result<std::string> GzipCompress(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: cannot initialise zlib");
  }
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(std::min<size_t>(data.size(), ULONG_MAX))) + 64);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  size_t in_left = data.size();
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    // avail_in and avail_out are 32-bit: feed and drain in chunks so inputs above 4 GiB work too.
    uInt chunk = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
    stream.avail_in = chunk;
    size_t produced = stream.total_out;
    if (out.size() - produced < (1u << 16)) out.resize(out.size() * 2);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
    rc = deflate(&stream, chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
    in_left -= chunk - stream.avail_in;
    if (rc == Z_STREAM_ERROR) {
      deflateEnd(&stream);
      return Status::Internal("gzip: zlib failed while compressing");
    }
  }
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace llmeval
