#include "scorers/json_schema.h"

#include <simdjson.h>

#include <cmath>
#include <optional>
#include <regex>
#include <utility>

#include "core/json_writer.h"
#include "core/strings.h"
#include "scorers/json_util.h"

namespace llmeval {

enum SchemaType : unsigned {
  kTypeObject = 1,
  kTypeArray = 2,
  kTypeString = 4,
  kTypeInteger = 8,
  kTypeNumber = 16,
  kTypeBoolean = 32,
  kTypeNull = 64,
};

struct SchemaNode {
  unsigned types = 0;  // 0: any type.
  std::vector<std::pair<std::string, std::unique_ptr<SchemaNode>>> properties;
  std::vector<std::string> required;
  bool additional_allowed = true;
  std::unique_ptr<SchemaNode> additional_schema;
  std::unique_ptr<SchemaNode> items;
  std::optional<std::vector<std::string>> enum_values;  // Canonical JSON texts.
  std::optional<std::string> const_value;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum;
  std::optional<int64_t> min_length, max_length, min_items, max_items;
  std::optional<std::regex> pattern;
  std::string pattern_text;
};

namespace {

struct TypeName {
  const char* name;
  unsigned bit;
};
constexpr TypeName kTypeNames[] = {{"array", kTypeArray},  {"boolean", kTypeBoolean}, {"integer", kTypeInteger},
                                   {"null", kTypeNull},    {"number", kTypeNumber},   {"object", kTypeObject},
                                   {"string", kTypeString}};

std::string KeyPath(const std::string& path, std::string_view key) {
  bool simple = !key.empty();
  for (char c : key) simple = simple && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return simple ? path + "." + std::string(key) : path + "[" + JsonQuote(key) + "]";
}

class Compiler {
 public:
  Status status;

  std::unique_ptr<SchemaNode> Compile(simdjson::dom::element schema, const std::string& path) {
    auto node = std::make_unique<SchemaNode>();
    if (schema.is_bool()) {  // true: anything; false: nothing (an impossible enum).
      if (!bool(schema)) node->enum_values.emplace();
      return node;
    }
    if (!schema.is_object()) {
      Fail(path, std::string("expected a schema object, got ") + JsonTypeName(schema));
      return node;
    }
    for (auto field : simdjson::dom::object(schema)) {
      if (!status.ok()) break;
      Keyword(node.get(), field.key, field.value, path);
    }
    return node;
  }

 private:
  void Fail(const std::string& path, const std::string& message) {
    if (status.ok()) status = Status::InvalidInput("schema at " + path + ": " + message);
  }

  std::optional<double> Num(std::string_view key, simdjson::dom::element v, const std::string& path) {
    double d = 0;
    if (v.get_double().get(d) == simdjson::SUCCESS) return d;
    int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS) return static_cast<double>(i);
    Fail(path, "'" + std::string(key) + "' must be a number");
    return std::nullopt;
  }

  std::optional<int64_t> Count(std::string_view key, simdjson::dom::element v, const std::string& path) {
    auto d = Num(key, v, path);
    if (!d) return std::nullopt;
    if (*d < 0 || *d != std::floor(*d)) {
      Fail(path, "'" + std::string(key) + "' must be a non-negative integer");
      return std::nullopt;
    }
    return static_cast<int64_t>(*d);
  }

  void Type(SchemaNode* node, simdjson::dom::element v, const std::string& path) {
    auto add = [&](simdjson::dom::element name) {
      if (!name.is_string()) {
        Fail(path, "'type' must be a type name or a list of them");
        return;
      }
      std::string_view text(name);
      for (const TypeName& t : kTypeNames) {
        if (text == t.name) {
          node->types |= t.bit;
          return;
        }
      }
      std::vector<std::string> known;
      for (const TypeName& t : kTypeNames) known.push_back(t.name);
      Fail(path, "'type' has unknown type " + JsonQuote(text) + "; known types: " + JoinStrings(known, ", "));
    };
    if (v.is_array()) {
      for (auto item : simdjson::dom::array(v)) add(item);
    } else {
      add(v);
    }
  }

  void Keyword(SchemaNode* node, std::string_view key, simdjson::dom::element v, const std::string& path) {
    if (key == "type") {
      Type(node, v, path);
    } else if (key == "properties") {
      if (!v.is_object()) return Fail(path, "'properties' must be an object");
      for (auto field : simdjson::dom::object(v)) {
        std::string child = KeyPath(path + ".properties", field.key);
        node->properties.emplace_back(std::string(field.key), Compile(field.value, child));
      }
    } else if (key == "required") {
      if (!v.is_array()) return Fail(path, "'required' must be a list of property names");
      for (auto item : simdjson::dom::array(v)) {
        if (!item.is_string()) return Fail(path, "'required' must be a list of property names");
        node->required.emplace_back(std::string_view(item));
      }
    } else if (key == "additionalProperties") {
      if (v.is_bool()) {
        node->additional_allowed = bool(v);
      } else {
        node->additional_schema = Compile(v, path + ".additionalProperties");
      }
    } else if (key == "items") {
      node->items = Compile(v, path + ".items");
    } else if (key == "enum") {
      if (!v.is_array()) return Fail(path, "'enum' must be a list");
      node->enum_values.emplace();
      for (auto item : simdjson::dom::array(v)) node->enum_values->push_back(CanonicalJson(item));
    } else if (key == "const") {
      node->const_value = CanonicalJson(v);
    } else if (key == "minimum") {
      node->minimum = Num(key, v, path);
    } else if (key == "maximum") {
      node->maximum = Num(key, v, path);
    } else if (key == "exclusiveMinimum") {
      node->exclusive_minimum = Num(key, v, path);
    } else if (key == "exclusiveMaximum") {
      node->exclusive_maximum = Num(key, v, path);
    } else if (key == "minLength") {
      node->min_length = Count(key, v, path);
    } else if (key == "maxLength") {
      node->max_length = Count(key, v, path);
    } else if (key == "minItems") {
      node->min_items = Count(key, v, path);
    } else if (key == "maxItems") {
      node->max_items = Count(key, v, path);
    } else if (key == "pattern") {
      if (!v.is_string()) return Fail(path, "'pattern' must be a string");
      node->pattern_text = std::string(std::string_view(v));
      try {
        node->pattern.emplace(node->pattern_text, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        Fail(path, "'pattern' is not a valid regular expression: " + std::string(e.what()));
      }
    }
  }
};

unsigned TypeBits(simdjson::dom::element v) {
  std::string_view name = JsonTypeName(v);
  if (name == "integer") return kTypeInteger | kTypeNumber;
  for (const TypeName& t : kTypeNames) {
    if (name == t.name) return t.bit;
  }
  return 0;
}

std::string TypeList(unsigned bits) {
  std::vector<std::string> names;
  for (const TypeName& t : kTypeNames) {
    if (bits & t.bit) names.push_back(t.name);
  }
  return JoinStrings(names, " or ");
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string FormatNumber(double d) {
  std::string s = std::to_string(d);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

class Validator {
 public:
  explicit Validator(size_t max_errors) : max_errors_(max_errors) {}
  std::vector<std::string> errors;

  void Check(const SchemaNode& node, simdjson::dom::element v, const std::string& path) {
    if (Full()) return;
    if (node.types != 0 && (TypeBits(v) & node.types) == 0) {
      return Add(path, "expected " + TypeList(node.types) + ", got " + JsonTypeName(v));
    }
    if (node.enum_values) {
      std::string canonical = CanonicalJson(v);
      bool found = false;
      for (const std::string& e : *node.enum_values) found = found || e == canonical;
      if (!found) {
        return Add(path, node.enum_values->empty() ? std::string("no value is allowed here")
                                                   : "expected one of " + JoinStrings(*node.enum_values, ", ") +
                                                         ", got " + Excerpt(canonical, 40));
      }
    }
    if (node.const_value && CanonicalJson(v) != *node.const_value) {
      Add(path, "expected " + *node.const_value + ", got " + Excerpt(CanonicalJson(v), 40));
    }
    if (v.is_number()) CheckNumber(node, v, path);
    if (v.is_string()) CheckString(node, std::string_view(v), path);
    if (v.is_array()) CheckArray(node, simdjson::dom::array(v), path);
    if (v.is_object()) CheckObject(node, simdjson::dom::object(v), path);
  }

 private:
  bool Full() const { return errors.size() >= max_errors_; }
  void Add(const std::string& path, const std::string& message) {
    if (!Full()) errors.push_back(path + ": " + message);
  }

  void CheckNumber(const SchemaNode& node, simdjson::dom::element v, const std::string& path) {
    double d = v.is_int64()    ? static_cast<double>(int64_t(v))
               : v.is_uint64() ? static_cast<double>(uint64_t(v))
                               : double(v);
    if (node.minimum && d < *node.minimum)
      Add(path, FormatNumber(d) + " is less than the minimum " + FormatNumber(*node.minimum));
    if (node.maximum && d > *node.maximum)
      Add(path, FormatNumber(d) + " is greater than the maximum " + FormatNumber(*node.maximum));
    if (node.exclusive_minimum && d <= *node.exclusive_minimum) {
      Add(path, FormatNumber(d) + " is not greater than " + FormatNumber(*node.exclusive_minimum));
    }
    if (node.exclusive_maximum && d >= *node.exclusive_maximum) {
      Add(path, FormatNumber(d) + " is not less than " + FormatNumber(*node.exclusive_maximum));
    }
  }

  void CheckString(const SchemaNode& node, std::string_view s, const std::string& path) {
    int64_t length = static_cast<int64_t>(CodePoints(s));
    if (node.min_length && length < *node.min_length) {
      Add(path, "string of " + std::to_string(length) + " characters is shorter than minLength " +
                    std::to_string(*node.min_length));
    }
    if (node.max_length && length > *node.max_length) {
      Add(path, "string of " + std::to_string(length) + " characters is longer than maxLength " +
                    std::to_string(*node.max_length));
    }
    if (node.pattern) {
      bool found = false;
      try {
        found = std::regex_search(s.begin(), s.end(), *node.pattern);
      } catch (const std::regex_error&) {
        found = false;
      }
      if (!found) Add(path, "\"" + Excerpt(s, 40) + "\" does not match pattern /" + node.pattern_text + "/");
    }
  }

  void CheckArray(const SchemaNode& node, simdjson::dom::array a, const std::string& path) {
    int64_t size = static_cast<int64_t>(a.size());
    if (node.min_items && size < *node.min_items) {
      Add(path,
          "array of " + std::to_string(size) + " items has fewer than minItems " + std::to_string(*node.min_items));
    }
    if (node.max_items && size > *node.max_items) {
      Add(path,
          "array of " + std::to_string(size) + " items has more than maxItems " + std::to_string(*node.max_items));
    }
    if (!node.items) return;
    size_t i = 0;
    for (auto item : a) Check(*node.items, item, path + "[" + std::to_string(i++) + "]");
  }

  void CheckObject(const SchemaNode& node, simdjson::dom::object o, const std::string& path) {
    for (const std::string& key : node.required) {
      simdjson::dom::element ignored;
      if (o.at_key(key).get(ignored) != simdjson::SUCCESS) Add(path, "missing required property " + JsonQuote(key));
    }
    for (auto field : o) {
      const SchemaNode* child = nullptr;
      for (const auto& [key, schema] : node.properties) {
        if (key == field.key) child = schema.get();
      }
      std::string child_path = KeyPath(path, field.key);
      if (child != nullptr) {
        Check(*child, field.value, child_path);
      } else if (node.additional_schema) {
        Check(*node.additional_schema, field.value, child_path);
      } else if (!node.additional_allowed) {
        Add(path, "property " + JsonQuote(field.key) + " is not allowed (additionalProperties is false)");
      }
    }
  }

  size_t max_errors_;
};

}  // namespace

Result<JsonSchema> JsonSchema::Compile(std::string_view schema_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(schema_json.data(), schema_json.size()).get(root) != simdjson::SUCCESS) {
    return Status::InvalidInput("schema is not valid JSON: " + Excerpt(schema_json));
  }
  if (!root.is_object() && !root.is_bool()) {
    return Status::InvalidInput(std::string("schema must be a JSON object, got ") + JsonTypeName(root));
  }
  Compiler compiler;
  auto node = compiler.Compile(root, "$");
  if (!compiler.status.ok()) return compiler.status;
  JsonSchema schema;
  schema.root_ = std::shared_ptr<const SchemaNode>(std::move(node));
  return schema;
}

std::vector<std::string> JsonSchema::Validate(std::string_view json_text, size_t max_errors) const {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto error = parser.parse(json_text.data(), json_text.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return {std::string("not valid JSON (") + simdjson::error_message(error) + "): " + Excerpt(json_text)};
  }
  Validator validator(max_errors == 0 ? 1 : max_errors);
  validator.Check(*root_, root, "$");
  return validator.errors;
}

}  // namespace llmeval
