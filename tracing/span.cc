#include "tracing/span.h"

namespace llmeval {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string ToHex(const uint8_t* bytes, size_t size) {
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool FromHexInto(std::string_view hex, uint8_t* bytes, size_t size) {
  if (hex.size() != size * 2) return false;
  for (size_t i = 0; i < size; ++i) {
    int high = HexValue(hex[2 * i]);
    int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    bytes[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return true;
}

bool AllZero(const uint8_t* bytes, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

}  // namespace

std::string TraceId::Hex() const { return ToHex(bytes, sizeof(bytes)); }
bool TraceId::IsZero() const { return AllZero(bytes, sizeof(bytes)); }
std::optional<TraceId> TraceId::FromHex(std::string_view hex) {
  TraceId id;
  if (!FromHexInto(hex, id.bytes, sizeof(id.bytes))) return std::nullopt;
  return id;
}

std::string SpanId::Hex() const { return ToHex(bytes, sizeof(bytes)); }
bool SpanId::IsZero() const { return AllZero(bytes, sizeof(bytes)); }
std::optional<SpanId> SpanId::FromHex(std::string_view hex) {
  SpanId id;
  if (!FromHexInto(hex, id.bytes, sizeof(id.bytes))) return std::nullopt;
  return id;
}

int OtlpSpanKind(SpanKind kind) { return kind == SpanKind::kClient ? 3 : 1; }

std::optional<SpanKind> SpanKindFromOtlp(int64_t value) {
  if (value == 1) return SpanKind::kInternal;
  if (value == 3) return SpanKind::kClient;
  return std::nullopt;
}

int OtlpStatusCode(SpanStatus status) {
  switch (status) {
    case SpanStatus::kUnset:
      return 0;
    case SpanStatus::kOk:
      return 1;
    case SpanStatus::kError:
      return 2;
  }
  return 0;
}

std::optional<SpanStatus> SpanStatusFromOtlp(int64_t value) {
  switch (value) {
    case 0:
      return SpanStatus::kUnset;
    case 1:
      return SpanStatus::kOk;
    case 2:
      return SpanStatus::kError;
    default:
      return std::nullopt;
  }
}

const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key) {
  for (const Attribute& attribute : attributes) {
    if (attribute.first == key) return &attribute.second;
  }
  return nullptr;
}

const std::string* FindString(const Attributes& attributes, std::string_view key) {
  const AttributeValue* value = FindAttribute(attributes, key);
  return value ? std::get_if<std::string>(value) : nullptr;
}

std::optional<int64_t> FindInt(const Attributes& attributes, std::string_view key) {
  const AttributeValue* value = FindAttribute(attributes, key);
  if (value == nullptr) return std::nullopt;
  if (const int64_t* i = std::get_if<int64_t>(value)) return *i;
  return std::nullopt;
}

std::optional<double> FindNumber(const Attributes& attributes, std::string_view key) {
  const AttributeValue* value = FindAttribute(attributes, key);
  if (value == nullptr) return std::nullopt;
  if (const int64_t* i = std::get_if<int64_t>(value)) return static_cast<double>(*i);
  if (const double* d = std::get_if<double>(value)) return *d;
  return std::nullopt;
}

std::optional<bool> FindBool(const Attributes& attributes, std::string_view key) {
  const AttributeValue* value = FindAttribute(attributes, key);
  if (value == nullptr) return std::nullopt;
  if (const bool* b = std::get_if<bool>(value)) return *b;
  return std::nullopt;
}

const std::vector<std::string>* FindStringArray(const Attributes& attributes, std::string_view key) {
  const AttributeValue* value = FindAttribute(attributes, key);
  return value ? std::get_if<std::vector<std::string>>(value) : nullptr;
}

void SetAttribute(Attributes* attributes, std::string key, AttributeValue value) {
  for (Attribute& attribute : *attributes) {
    if (attribute.first == key) {
      attribute.second = std::move(value);
      return;
    }
  }
  attributes->emplace_back(std::move(key), std::move(value));
}

}  // namespace llmeval
