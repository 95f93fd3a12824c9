#include "engine/config/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <string>

#include "core/json_writer.h"
#include "core/strings.h"

namespace llmeval {

void YamlToJson(const YAML::Node& node, JsonWriter* w) {
  if (node.IsMap()) {
    w->BeginObject();
    for (const auto& entry : node) {
      w->Key(entry.first.as<std::string>());
      YamlToJson(entry.second, w);
    }
    w->EndObject();
  } else if (node.IsSequence()) {
    w->BeginArray();
    for (const auto& element : node) YamlToJson(element, w);
    w->EndArray();
  } else if (node.IsNull()) {
    w->Null();
  } else {
    std::string text = node.as<std::string>();
    bool quoted = node.Tag() == "!";
    if (!quoted && (text == "true" || text == "false")) {
      w->Bool(text == "true");
    } else if (!quoted && ParseInt(text).has_value()) {
      w->Int(*ParseInt(text));
    } else if (!quoted && ParseDouble(text).has_value() && text.find_first_of("0123456789") != std::string::npos) {
      w->Double(*ParseDouble(text));
    } else {
      w->String(text);
    }
  }
}

}  // namespace llmeval
