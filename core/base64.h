// Base64 (RFC 4648, standard alphabet, padded) encoding of arbitrary bytes. Pure and thread-safe.
#ifndef LLMEVAL_CORE_BASE64_H_
#define LLMEVAL_CORE_BASE64_H_

#include <string>
#include <string_view>

namespace llmeval {

std::string Base64Encode(std::string_view bytes);

}  // namespace llmeval

#endif  // LLMEVAL_CORE_BASE64_H_
