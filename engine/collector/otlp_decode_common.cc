// The parts of OTLP decoding both wire forms share: id checks, hex, gzip (engine/collector/otlp_decode.h).
#include <zlib.h>

#include "engine/collector/otlp_decode.h"

namespace llmeval {
namespace {

bool AllZero(std::string_view bytes) {
  for (char c : bytes) {
    if (c != 0) return false;
  }
  return true;
}

}  // namespace

std::string InvalidIdReason(std::string_view trace_id, std::string_view span_id, std::string_view parent_span_id) {
  if (trace_id.size() != 16) return "trace id of " + std::to_string(trace_id.size()) + " bytes (expected 16)";
  if (AllZero(trace_id)) return "all-zero trace id";
  if (span_id.size() != 8) return "span id of " + std::to_string(span_id.size()) + " bytes (expected 8)";
  if (AllZero(span_id)) return "all-zero span id";
  if (!parent_span_id.empty() && parent_span_id.size() != 8) {
    return "parent span id of " + std::to_string(parent_span_id.size()) + " bytes (expected 8 or none)";
  }
  return "";
}

std::string BytesToHex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

Result<std::string> GunzipBody(std::string_view body, size_t max_bytes, bool* too_large) {
  *too_large = false;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Status::Internal("zlib: cannot start inflating");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  std::string out;
  char chunk[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Status::InvalidInput(std::string("body is not valid gzip: ") + (rc == Z_BUF_ERROR  ? "truncated stream"
                                                                             : z.msg != nullptr ? z.msg
                                                                                                : "bad data"));
    }
    out.append(chunk, sizeof(chunk) - z.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&z);
      *too_large = true;
      return Status::InvalidInput("gzip body inflates to more than " + std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      return Status::InvalidInput("body is not valid gzip: truncated stream");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace llmeval
