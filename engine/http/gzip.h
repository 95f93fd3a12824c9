// Gzip compression (RFC 1952) with zlib, for what llmeval writes in compressed form: the item details embedded in a
// report page, which browsers unpack natively with DecompressionStream("gzip").
#ifndef LLMEVAL_ENGINE_HTTP_GZIP_H_
#define LLMEVAL_ENGINE_HTTP_GZIP_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace llmeval {

// `level` 1 (fastest) to 9 (smallest). Fails only when zlib cannot allocate its state.
Result<std::string> GzipCompress(std::string_view data, int level);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_GZIP_H_
