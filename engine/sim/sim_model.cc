#include "engine/sim/sim_model.h"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/sim/sim_judge.h"
#include "engine/sim/sim_text.h"
#include "engine/sim/sim_user.h"

namespace llmeval {
namespace {

std::string Hex16(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[i] = kDigits[value & 0xF];
    value >>= 4;
  }
  return out;
}

// The prompt reactions: which instructions appear anywhere in the system and user messages.
struct PromptFlags {
  bool one_word = false;
  AnswerStyle style;
};

PromptFlags ScanPrompt(const ChatRequest& request) {
  PromptFlags flags;
  std::string lower;
  for (const ChatMessage& m : request.messages) {
    if ((m.role != "system" && m.role != "user") || !m.content) continue;
    lower = AsciiLower(*m.content);
    auto has = [&lower](std::string_view needle) { return lower.find(needle) != std::string::npos; };
    flags.one_word = flags.one_word || has("one word") || has("single word");
    flags.style.concise = flags.style.concise || has("concise") || has("brief");
    flags.style.with_example = flags.style.with_example || has("example");
    flags.style.rigorous = flags.style.rigorous || has("rigorous") || has("academic");
  }
  return flags;
}

// The line starting with "Question:" (last one wins); the rest of that line, or the lines after it up to a blank line.
std::optional<std::string_view> QuestionLine(std::string_view text) {
  std::optional<std::string_view> found;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = TrimWhitespace(text.substr(pos, end - pos));
    if (line.size() >= 9 && AsciiLower(line.substr(0, 9)) == "question:") {
      std::string_view rest = TrimWhitespace(line.substr(9));
      if (rest.empty()) {  // "Question:\n<text>": take the following paragraph.
        size_t start = end;
        while (start < text.size() && (text[start] == '\n' || text[start] == '\r' || text[start] == ' ')) ++start;
        size_t stop = text.find("\n\n", start);
        if (stop == std::string_view::npos) stop = text.size();
        rest = TrimWhitespace(text.substr(start, stop - start));
      }
      if (!rest.empty()) found = rest;
    }
    pos = end + 1;
  }
  return found;
}

// The last sentence ending in '?' in `text`.
std::optional<std::string_view> LastQuestionSentence(std::string_view text) {
  size_t mark = text.rfind('?');
  if (mark == std::string_view::npos) return std::nullopt;
  size_t start = mark;
  while (start > 0) {
    char c = text[start - 1];
    if (c == '.' || c == '!' || c == '?' || c == '\n') break;
    --start;
  }
  std::string_view sentence = TrimWhitespace(text.substr(start, mark + 1 - start));
  if (sentence.size() <= 1) return std::nullopt;
  return sentence;
}

struct Link {
  std::string_view title;
  std::string_view url;
};

// Markdown links [title](url) in `text`.
void CollectLinks(std::string_view text, std::vector<Link>* links) {
  size_t pos = 0;
  while ((pos = text.find('[', pos)) != std::string_view::npos) {
    size_t mid = text.find("](", pos);
    if (mid == std::string_view::npos) return;
    size_t close = text.find(')', mid + 2);
    if (close == std::string_view::npos) return;
    std::string_view title = text.substr(pos + 1, mid - pos - 1);
    std::string_view url = text.substr(mid + 2, close - mid - 2);
    bool ok = !title.empty() && !url.empty() && title.find_first_of("[\n") == std::string_view::npos &&
              url.find_first_of(" \n") == std::string_view::npos;
    if (ok) links->push_back({title, url});
    pos = ok ? close + 1 : pos + 1;
  }
}

std::string JoinKeywords(const std::vector<std::string>& keywords, size_t begin, size_t count) {
  std::string out;
  for (size_t i = begin; i < keywords.size() && i < begin + count; ++i) {
    if (!out.empty()) out.push_back(' ');
    out += keywords[i];
  }
  return out;
}

// JSON arguments for `tool` built from its parameter schema, with `query` in the search-like string property.
std::string ToolArguments(const ToolSpec& tool, const std::string& query) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object properties;
  std::vector<std::string_view> required;
  simdjson::dom::element schema;
  bool parsed =
      !parser.parse(tool.parameters_schema_json).get(schema) && !schema["properties"].get_object().get(properties);
  JsonWriter w;
  w.BeginObject();
  if (!parsed) {
    w.Field("query", query);
    w.EndObject();
    return w.Take();
  }
  simdjson::dom::array required_array;
  if (!schema["required"].get_array().get(required_array)) {
    for (simdjson::dom::element e : required_array) {
      std::string_view name;
      if (!e.get_string().get(name)) required.push_back(name);
    }
  }
  auto type_of = [](simdjson::dom::element property) {
    std::string_view type;
    if (property["type"].get_string().get(type)) return std::string_view("string");  // Untyped: treat as text.
    return type;
  };
  std::string_view query_property;
  for (auto field : properties) {
    if (type_of(field.value) != "string") continue;
    if (field.key == "query" || field.key == "q" || field.key == "search") {
      query_property = field.key;
      break;
    }
    if (query_property.empty()) query_property = field.key;
  }
  for (auto field : properties) {
    std::string_view type = type_of(field.value);
    if (field.key == query_property) {
      w.Field(field.key, query);
    } else if (field.key == "max_results" && (type == "integer" || type == "number")) {
      w.Field(field.key, 3);
    } else if (type == "string" && std::find(required.begin(), required.end(), field.key) != required.end()) {
      w.Field(field.key, query);
    }
  }
  w.EndObject();
  return w.Take();
}

void AnswerWithToolCalls(const ChatRequest& request, const std::vector<std::string>& keywords, uint64_t hash,
                         ChatResponse* response) {
  std::string first = keywords.empty() ? "general information" : JoinKeywords(keywords, 0, 4);
  std::vector<std::string> queries = {first};
  bool parallel = request.parallel_tool_calls.value_or(true) && SimMix(hash, 31) % 100 < 30;
  if (parallel) {
    static constexpr std::string_view kSuffixes[] = {"examples", "best practices", "overview", "definition"};
    std::string second = keywords.empty() ? "background" : JoinKeywords(keywords, 0, 2);
    second += " ";
    second += kSuffixes[SimMix(hash, 32) % 4];
    if (second == first) second += " explained";
    queries.push_back(std::move(second));
  }
  response->message.content.reset();
  for (size_t i = 0; i < queries.size(); ++i) {
    ToolCall call;
    call.id = "call_" + Hex16(SimMix(hash, 100 + i));
    call.name = request.tools[0].name;
    call.arguments_json = ToolArguments(request.tools[0], queries[i]);
    response->message.tool_calls.push_back(std::move(call));
  }
  response->finish_reason = "tool_calls";
}

std::string AnswerText(const ChatRequest& request, std::optional<std::string_view> question, uint64_t hash) {
  PromptFlags flags = ScanPrompt(request);
  SimRng rng(hash);
  if (!question) {
    std::string prompt;
    for (const ChatMessage& m : request.messages) {
      if ((m.role == "system" || m.role == "user") && m.content) prompt.append(*m.content).push_back('\n');
    }
    std::vector<std::string> avoid = ExtractKeywords(prompt, 1000);
    return flags.one_word ? GenerateOneWord(avoid, true, rng) : GenerateOffTopicAnswer(avoid, rng);
  }
  std::vector<std::string> keywords = ExtractKeywords(*question);
  if (flags.one_word) return GenerateOneWord({}, false, rng);
  std::string text = GenerateAnswer(keywords, flags.style, rng);

  std::vector<Link> links;
  for (const ChatMessage& m : request.messages) {
    if (m.role == "tool" && m.content) CollectLinks(*m.content, &links);
  }
  if (!links.empty()) {
    size_t a = SimMix(hash, 41) % links.size();
    const Link& first = links[a];
    std::string cited = "According to [" + std::string(first.title) + "](" + std::string(first.url) + "), ";
    if (text.size() > 1 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'a' && text[1] <= 'z') {
      text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    text = cited + text;
    size_t b = a;
    for (size_t i = 1; i < links.size() && b == a; ++i) {
      size_t candidate = (a + i) % links.size();
      if (links[candidate].url != first.url) b = candidate;
    }
    if (b != a) {
      text += " For more detail, see [" + std::string(links[b].title) + "](" + std::string(links[b].url) + ").";
    }
  }
  return text;
}

void ApplyStopSequences(const std::vector<std::string>& stops, ChatMessage* message) {
  if (!message->content) return;
  size_t cut = message->content->size();
  for (const std::string& stop : stops) {
    if (stop.empty()) continue;
    cut = std::min(cut, message->content->find(stop));
  }
  message->content->resize(cut);
}

void FillUsage(const ChatRequest& request, uint64_t hash, ChatResponse* response) {
  size_t chars = 0;
  size_t system_chars = 0;
  for (const ChatMessage& m : request.messages) {
    size_t n = m.content ? m.content->size() : 0;
    for (const ToolCall& call : m.tool_calls) n += call.name.size() + call.arguments_json.size();
    chars += n;
    if (m.role == "system") system_chars += n;
  }
  for (const ToolSpec& tool : request.tools) {
    chars += tool.name.size() + tool.description.size() + tool.parameters_schema_json.size();
  }
  Usage& usage = response->usage;
  usage.reported = true;
  usage.input_tokens = static_cast<int64_t>(chars / 4) + 1;
  usage.output_tokens = SimOutputTokens(response->message);
  int64_t system_tokens = static_cast<int64_t>(system_chars / 4);
  if (system_tokens >= 256 && SimMix(hash, 51) % 100 < 60) {
    usage.cached_tokens = (std::min(system_tokens, usage.input_tokens - 1) / 128) * 128;
  }
  const std::string& model = request.model;
  if (model.find("reasoning") != std::string::npos || StartsWith(model, "o") || StartsWith(model, "gpt-5")) {
    usage.reasoning_tokens = 64 * static_cast<int64_t>(1 + SimMix(hash, 52) % 12);
    usage.output_tokens += usage.reasoning_tokens;
  }
}

}  // namespace

std::optional<std::string_view> FindSimQuestion(const ChatRequest& request) {
  const ChatMessage* last_user = nullptr;
  for (const ChatMessage& m : request.messages) {
    if (m.role == "user" && m.content) last_user = &m;
  }
  if (last_user != nullptr) {
    if (auto q = QuestionLine(*last_user->content)) return q;
  }
  for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
    if (it->role != "user" || !it->content) continue;
    if (auto q = LastQuestionSentence(*it->content)) return q;
  }
  return std::nullopt;
}

int64_t SimOutputTokens(const ChatMessage& message) {
  int64_t tokens = 0;
  if (message.content) {
    int64_t words = 0;
    bool after_space = true;
    for (unsigned char c : *message.content) {  // A branch-free CountWords: this runs on every reply.
      bool space = c <= ' ';
      words += after_space & !space;
      after_space = space;
    }
    tokens += (words * 13 + 9) / 10;
  }
  for (const ToolCall& call : message.tool_calls) tokens += static_cast<int64_t>(call.arguments_json.size() / 4) + 8;
  return tokens;
}

void TruncateSimResponse(ChatResponse* response, int64_t max_tokens) {
  ChatMessage& message = response->message;
  int64_t visible = SimOutputTokens(message);
  if (max_tokens < 0 || visible <= max_tokens) return;
  if (message.content) {
    size_t keep_words = static_cast<size_t>(max_tokens * 10 / 13);
    std::string& text = *message.content;
    size_t i = 0;
    size_t words = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
      if (i == text.size() || words == keep_words) break;
      while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
      ++words;
    }
    size_t end = i;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\n')) --end;
    text.resize(words == 0 ? 0 : end);
  }
  for (ToolCall& call : message.tool_calls) {
    size_t keep = static_cast<size_t>(max_tokens) * 4;
    if (call.arguments_json.size() > keep) call.arguments_json.resize(keep);
  }
  response->finish_reason = "length";
  int64_t reasoning = response->usage.reasoning_tokens;
  response->usage.output_tokens = std::min(visible, max_tokens) + reasoning;
}

ChatResponse SimulateChat(const ChatRequest& request, uint64_t seed) {
  std::optional<std::string_view> question = FindSimQuestion(request);
  uint64_t hash = Fnv1a64(request.model);
  hash = Fnv1a64(question.value_or(std::string_view("\x01no-question")), SimMix(hash, 1));
  hash = SimMix(SimMix(hash, static_cast<uint64_t>(request.seed.value_or(0))), seed);

  ChatResponse response;
  response.model = request.model.empty() ? "sim" : request.model;
  response.http_status = 200;
  response.finish_reason = "stop";
  response.message.role = "assistant";

  // Tool results since the last user message: in a conversation each new question may call tools again.
  bool has_tool_results = false;
  for (const ChatMessage& m : request.messages) {
    if (m.role == "user") has_tool_results = false;
    has_tool_results = has_tool_results || m.role == "tool";
  }
  bool tools_disabled = request.tool_choice_json == "\"none\"";

  if (IsJudgeRequest(request)) {
    response.message.content = SimulateJudgeReply(request, seed);
  } else if (IsUserSimulatorRequest(request)) {
    response.message.content = SimulateUserReply(request);
  } else if (!request.tools.empty() && !has_tool_results && !tools_disabled) {
    AnswerWithToolCalls(request, question ? ExtractKeywords(*question) : std::vector<std::string>{}, hash, &response);
  } else {
    response.message.content = AnswerText(request, question, hash);
  }
  ApplyStopSequences(request.stop, &response.message);
  FillUsage(request, hash, &response);
  if (request.max_tokens) TruncateSimResponse(&response, *request.max_tokens);

  // The id tells apart replies to one question under different prompts; hashing the whole text would cost more.
  std::string_view content = response.message.content ? std::string_view(*response.message.content) : "";
  uint64_t content_hash = SimMix(Fnv1a64(content.substr(0, 48), hash), content.size());
  for (const ToolCall& call : response.message.tool_calls) content_hash = Fnv1a64(call.arguments_json, content_hash);
  response.id = "chatcmpl-sim-" + Hex16(content_hash);
  response.created = 1'700'000'000 + static_cast<int64_t>(SimMix(hash, 3) % 30'000'000);
  return response;
}

}  // namespace llmeval
