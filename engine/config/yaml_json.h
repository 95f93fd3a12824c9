// YamlToJson: a parsed YAML value written as JSON, for config values that are passed on as JSON (provider extra
// body fields, scorer parameters, a target's request body). Plain scalars that read as integers, numbers or booleans
// keep that type; quoted scalars stay strings. Pure; no IO.
#ifndef LLMEVAL_ENGINE_CONFIG_YAML_JSON_H_
#define LLMEVAL_ENGINE_CONFIG_YAML_JSON_H_

namespace YAML {
class Node;
}

namespace llmeval {

class JsonWriter;

void YamlToJson(const YAML::Node& node, JsonWriter* w);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_CONFIG_YAML_JSON_H_
