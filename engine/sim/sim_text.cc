#include "engine/sim/sim_text.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace llmeval {
namespace {

// Sorted, so membership is a binary search.
constexpr std::string_view kStopWords[] = {
    "about",    "above",   "after",  "again",      "all",         "also",    "among",     "and",     "answer",
    "any",      "are",     "around", "because",    "been",        "before",  "being",     "below",   "benefits",
    "between",  "both",    "brief",  "briefly",    "but",         "can",     "compare",   "could",   "define",
    "describe", "did",     "differ", "difference", "differences", "differs", "does",      "doing",   "done",
    "each",     "either",  "else",   "etc",        "even",        "ever",    "every",     "example", "examples",
    "explain",  "few",     "for",    "from",       "get",         "give",    "had",       "has",     "have",
    "having",   "her",     "here",   "him",        "his",         "how",     "important", "into",    "its",
    "just",     "know",    "less",   "let",        "like",        "list",    "main",      "make",    "many",
    "matter",   "matters", "may",    "mean",       "meaning",     "means",   "might",     "more",    "most",
    "much",     "must",    "not",    "now",        "off",         "once",    "one",       "only",    "other",
    "our",      "out",     "over",   "own",        "per",         "please",  "question",  "same",    "shall",
    "she",      "should",  "some",   "such",       "tell",        "than",    "that",      "the",     "their",
    "them",     "then",    "there",  "these",      "they",        "this",    "those",     "through", "too",
    "two",      "under",   "use",    "used",       "using",       "versus",  "very",      "via",     "was",
    "way",      "ways",    "were",   "what",       "when",        "where",   "which",     "while",   "who",
    "whom",     "whose",   "why",    "will",       "with",        "word",    "would",     "you",
};

static_assert(std::is_sorted(std::begin(kStopWords), std::end(kStopWords)));

bool IsStopWord(std::string_view word) {
  return std::binary_search(std::begin(kStopWords), std::end(kStopWords), word);
}

bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

template <size_t N>
std::string_view Pick(const std::array<std::string_view, N>& bank, SimRng& rng) {
  return bank[rng.Below(N)];
}

constexpr std::array<std::string_view, 10> kQualities = {
    "maintainability", "readability",       "reliability", "testability", "performance",
    "code quality",    "team productivity", "scalability", "correctness", "delivery speed"};
constexpr std::array<std::string_view, 6> kPeople = {"developers",    "engineers", "teams",
                                                     "practitioners", "reviewers", "architects"};
constexpr std::array<std::string_view, 6> kContexts = {"large codebases",     "distributed systems",
                                                       "legacy applications", "small startups",
                                                       "production services", "open-source projects"};
constexpr std::array<std::string_view, 6> kAdjectives = {"disciplined", "pragmatic",   "systematic",
                                                         "thoughtful",  "incremental", "careful"};
constexpr std::array<std::string_view, 6> kPractices = {
    "code review",         "automated testing", "continuous integration", "incremental refactoring",
    "clear documentation", "pair programming"};
constexpr std::array<std::string_view, 6> kActions = {"catch mistakes early", "keep changes small",
                                                      "reduce risk",          "avoid duplicated effort",
                                                      "make intent explicit", "simplify future changes"};

constexpr std::array<std::string_view, 6> kOpeners = {
    "{Tc} is a topic that comes up often when {R} think about {N}.",
    "In short, {T} is about helping {R} {V}.",
    "Good question: {T} is central to how {R} build reliable systems.",
    "{Tc} describes a set of ideas that help {R} manage {N}.",
    "When people ask about {T}, they usually want to know how it affects {N}.",
    "At its core, {T} is about making {N} easier to achieve.",
};

constexpr std::array<std::string_view, 28> kBody = {
    "{Tc} matters because it shapes how {R} reason about {N} over time.",
    "In practice, {R} tend to combine {T} with {P} to {V}.",
    "A common mistake is to treat {T} as a checklist item rather than an ongoing habit.",
    "The main benefit of {T} is better {N}, although it also affects {N} in subtle ways.",
    "When {R} apply {T} carelessly, the result is often extra complexity instead of clarity.",
    "Most {A} teams revisit their approach to {T} as their {C} grow.",
    "It helps to think of {T} as a trade-off between {N} and {N}.",
    "There is no single correct way to handle {T}; the right choice depends on the constraints of {C}.",
    "Experienced {R} usually start small, measure the effect on {N}, and adjust from there.",
    "{Tc} also interacts with {P}, which is why the two are often discussed together.",
    "The cost of ignoring {T} tends to show up later, usually as slower delivery and harder debugging.",
    "A {A} approach to {T} makes it easier to {V}.",
    "Clear naming and small, focused changes make {T} much easier to get right.",
    "Tools can support {T}, but they do not replace careful judgement by {R}.",
    "Over the long run, {T} pays off mostly through improved {N}.",
    "Some {R} argue that {T} is overrated, but the experience of {C} suggests otherwise.",
    "Documenting decisions about {T} helps new team members understand why things are the way they are.",
    "The idea behind {T} is simple, yet applying it consistently takes discipline.",
    "In {C}, {T} is often the difference between a system that evolves gracefully and one that resists change.",
    "A useful rule of thumb is to apply {T} where change is frequent and to keep things simple elsewhere.",
    "{Tc} works best when it is supported by {P} and honest feedback.",
    "Measuring {N} before and after a change is a practical way to judge whether {T} is helping.",
    "Many of the problems blamed on {T} actually come from unclear requirements.",
    "Getting {T} right early saves a surprising amount of rework later.",
    "Teams that discuss {T} openly tend to make more consistent decisions.",
    "The concept of {T} has evolved over the years, but its core purpose has stayed the same.",
    "Understanding {T} also makes it easier to {V}.",
    "Trade-offs around {T} become more visible as {C} scale up.",
};

constexpr std::array<std::string_view, 4> kClosers = {
    "In summary, {T} is worth understanding well because it directly affects {N}.",
    "Overall, {T} is less about rules and more about making {A} decisions.",
    "To sum up, treat {T} as a practice that improves {N} step by step.",
    "Ultimately, the value of {T} comes from applying it consistently.",
};

constexpr std::array<std::string_view, 3> kSoftwareEngineering = {
    "In software engineering, {T} is closely tied to {N} and long-term maintainability.",
    "From a software engineering perspective, {T} is one of the tools for keeping {C} manageable.",
    "Software engineering practice treats {T} as part of building systems that last.",
};

constexpr std::array<std::string_view, 3> kRelated = {
    "The question also touches on {X}, which is closely connected to {T}.",
    "It is also worth relating {T} to {X}, since the two influence each other.",
    "Where {X} is concerned, the same principles apply.",
};

constexpr std::array<std::string_view, 3> kDefinitions = {
    "{Tc} is defined as the practice of structuring work so that {N} improves without sacrificing {N}.",
    "{Tc} is defined as a {A} approach that helps {R} {V}.",
    "A common definition: {T} refers to the techniques {R} use to keep {C} understandable and correct.",
};

constexpr std::array<std::string_view, 4> kRigorous = {
    "In more formal terms, {T} concerns invariants, abstraction boundaries and the coupling between components.",
    "The academic literature frames {T} in terms of cohesion, modularity and the cost of change.",
    "Rigorously speaking, one should distinguish the specification of {T} from its implementation.",
    "Empirical studies typically operationalise {N} through metrics such as defect density and lead time.",
};

constexpr std::array<std::string_view, 2> kExamples = {
    "For example, a team maintaining {C} might use {T} to {V}.",
    "For example, {R} working on {C} often apply {T} when they need to {V}.",
};

constexpr std::array<std::string_view, 4> kShort = {
    "{Tc} mostly improves {N}.",
    "Short answer: {T} helps {R}.",
    "It depends, but {T} usually helps.",
    "{Tc}: useful, but context matters.",
};

constexpr std::array<std::string_view, 10> kOneWords = {"Abstraction",   "Modularity",  "Decoupling", "Simplicity",
                                                        "Testing",       "Consistency", "Clarity",    "Automation",
                                                        "Encapsulation", "Feedback"};
constexpr std::array<std::string_view, 6> kOffTopicWords = {"Sourdough", "Tides",    "Tomatoes",
                                                            "Migration", "Sunshine", "Saxophone"};

constexpr std::array<std::array<std::string_view, 5>, 5> kOffTopic = {{
    {"Baking sourdough bread starts with a lively starter fed with flour and water.",
     "A long, cool fermentation gives the loaf a deeper flavour and an open crumb.",
     "Bakers often score the dough just before it goes into a very hot oven.",
     "Steam during the first minutes of baking helps the crust expand and blister.",
     "Letting the bread cool fully before slicing keeps the inside from turning gummy."},
    {"Many songbirds migrate thousands of kilometres between their breeding and wintering grounds.",
     "They navigate using the sun, the stars and the magnetic field of the earth.",
     "Stopover sites such as wetlands and coastal forests let them rest and refuel.",
     "Changes in day length trigger the hormonal shifts that prepare birds for the journey.",
     "Volunteers count migrating flocks each autumn to track population trends."},
    {"Ocean tides are driven mainly by the gravitational pull of the moon.",
     "Most coastlines see two high tides and two low tides roughly every day.",
     "Spring tides occur when the sun and moon line up, producing larger ranges.",
     "The shape of a bay can amplify the tidal range dramatically.",
     "Tide pools left behind at low water shelter crabs, anemones and small fish."},
    {"Tomatoes grow best in full sun with at least six hours of direct light.",
     "Watering deeply but infrequently encourages strong roots.",
     "Pinching off side shoots helps the plant put energy into fruit.",
     "Mulch keeps the soil moist and reduces splashing that spreads leaf disease.",
     "Harvest the fruit when it is fully coloured and gives slightly under gentle pressure."},
    {"Jazz improvisation grows out of listening closely to the rest of the band.",
     "Soloists often build phrases from the chord tones of the tune they are playing.",
     "Call and response between instruments keeps a performance lively.",
     "Many players learn by transcribing recordings of the saxophone greats note by note.",
     "A good rhythm section leaves space so the melody can breathe."},
}};

struct FillContext {
  std::string topic;              // "dependency injection"
  std::string topic_capitalized;  // "Dependency injection"
  std::string related;            // Key words beyond the topic's two: "small teams"; may be empty.
};

// Appends `pattern` with its {slots} filled to `out`; returns the number of words appended.
size_t Fill(std::string_view pattern, const FillContext& ctx, SimRng& rng, std::string* out) {
  size_t start = out->size();
  size_t i = 0;
  while (i < pattern.size()) {
    size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) {
      out->append(pattern.substr(i));
      break;
    }
    out->append(pattern.substr(i, open - i));
    size_t close = pattern.find('}', open);
    std::string_view slot = pattern.substr(open + 1, close - open - 1);
    i = close + 1;
    switch (slot[0]) {
      case 'T':
        out->append(slot.size() == 1 ? ctx.topic : ctx.topic_capitalized);
        break;
      case 'N':
        out->append(Pick(kQualities, rng));
        break;
      case 'R':
        out->append(Pick(kPeople, rng));
        break;
      case 'C':
        out->append(Pick(kContexts, rng));
        break;
      case 'A':
        out->append(Pick(kAdjectives, rng));
        break;
      case 'P':
        out->append(Pick(kPractices, rng));
        break;
      case 'V':
        out->append(Pick(kActions, rng));
        break;
      case 'X':
        out->append(ctx.related);
        break;
      default:
        break;
    }
  }
  size_t words = 1;
  for (size_t k = start; k < out->size(); ++k) words += (*out)[k] == ' ';
  return words;
}

// Collects sentences into paragraphs of three to five sentences.
class ParagraphBuilder {
 public:
  ParagraphBuilder(const FillContext& ctx, SimRng& rng) : ctx_(ctx), rng_(rng) { paragraph_limit_ = 3 + rng_.Below(3); }
  size_t Add(std::string_view pattern) {
    if (in_paragraph_ == paragraph_limit_) {
      text_.append("\n\n");
      in_paragraph_ = 0;
      paragraph_limit_ = 3 + rng_.Below(3);
    } else if (!text_.empty()) {
      text_.push_back(' ');
    }
    ++in_paragraph_;
    size_t added = Fill(pattern, ctx_, rng_, &text_);
    words_ += added;
    return added;
  }
  size_t words() const { return words_; }
  std::string Take() { return std::move(text_); }

 private:
  const FillContext& ctx_;
  SimRng& rng_;
  std::string text_;
  size_t words_ = 0;
  size_t in_paragraph_ = 0;
  size_t paragraph_limit_ = 4;
};

}  // namespace

uint64_t SimMix(uint64_t a, uint64_t b) {
  uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t SimRng::Next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<std::string> ExtractKeywords(std::string_view text, size_t max_words) {
  std::vector<std::string> out;
  std::string word;
  for (size_t i = 0; i <= text.size() && out.size() < max_words; ++i) {
    if (i < text.size() && IsWordChar(text[i])) {
      word.push_back(Lower(text[i]));
      continue;
    }
    if (word.size() >= 3 && !IsStopWord(word) && std::find(out.begin(), out.end(), word) == out.end()) {
      out.push_back(word);
    }
    word.clear();
  }
  return out;
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && Lower(haystack[i + j]) == Lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

bool SharesKeyword(const std::vector<std::string>& keywords, std::string_view text) {
  for (const std::string& kw : keywords) {
    std::string_view stem = kw;
    for (std::string_view suffix : {"ing", "es", "ed", "s"}) {
      if (stem.size() >= suffix.size() + 4 && stem.substr(stem.size() - suffix.size()) == suffix) {
        stem.remove_suffix(suffix.size());
        break;
      }
    }
    if (ContainsIgnoreCase(text, stem)) return true;
  }
  return false;
}

std::string GenerateAnswer(const std::vector<std::string>& keywords, const AnswerStyle& style, SimRng& rng) {
  FillContext ctx;
  for (size_t i = 2; i < keywords.size() && i < 5; ++i) {
    if (!ctx.related.empty()) ctx.related.push_back(' ');
    ctx.related += keywords[i];
  }
  if (keywords.empty()) {
    ctx.topic = "this question";
  } else {
    ctx.topic = keywords[0];
    if (keywords.size() > 1) ctx.topic += " " + keywords[1];
  }
  ctx.topic_capitalized = ctx.topic;
  if (ctx.topic[0] >= 'a' && ctx.topic[0] <= 'z') {
    ctx.topic_capitalized[0] = static_cast<char>(ctx.topic[0] - 'a' + 'A');
  } else {
    ctx.topic_capitalized[0] = ctx.topic[0];
  }

  int length_roll = static_cast<int>(rng.Below(100));
  ParagraphBuilder text(ctx, rng);
  if (length_roll < 6) {  // A very short answer, under ten words.
    text.Add(Pick(kShort, rng));
    return text.Take();
  }
  size_t target;
  size_t upper;
  if (length_roll < 9) {
    target = 1050 + rng.Below(400);
    upper = target + 40;
  } else if (style.concise) {
    target = 12 + rng.Below(30);
    upper = 60;
  } else {
    target = 40 + rng.Below(211);
    upper = 250;
  }
  bool mention_se = rng.Percent(70);
  bool definition = style.rigorous || rng.Percent(30);
  const std::string_view closer = Pick(kClosers, rng);
  const size_t closer_words = 16;  // Upper estimate; the closers are 11 to 14 words with a topic of two.

  text.Add(Pick(kOpeners, rng));
  if (definition) text.Add(Pick(kDefinitions, rng));
  if (style.rigorous) {
    size_t first = rng.Below(kRigorous.size());
    text.Add(kRigorous[first]);
    text.Add(kRigorous[(first + 1 + rng.Below(kRigorous.size() - 1)) % kRigorous.size()]);
  }
  if (!ctx.related.empty() && !style.concise) text.Add(Pick(kRelated, rng));
  if (mention_se && !style.concise) text.Add(Pick(kSoftwareEngineering, rng));
  if (style.with_example) text.Add(Pick(kExamples, rng));
  if (mention_se && style.concise) text.Add(Pick(kSoftwareEngineering, rng));
  size_t last_body = kBody.size();
  while (text.words() + closer_words < target) {
    size_t index = rng.Below(kBody.size());
    if (index == last_body) index = (index + 1) % kBody.size();
    last_body = index;
    // Body sentences are at most 22 words with a two-word topic.
    if (text.words() + 22 + closer_words > upper) break;
    text.Add(kBody[index]);
  }
  if (!style.concise || text.words() + closer_words <= upper) text.Add(closer);
  return text.Take();
}

std::string GenerateOneWord(const std::vector<std::string>& avoid, bool off_topic, SimRng& rng) {
  size_t size = off_topic ? kOffTopicWords.size() : kOneWords.size();
  size_t start = rng.Below(size);
  for (size_t i = 0; i < size; ++i) {
    std::string_view word = off_topic ? kOffTopicWords[(start + i) % size] : kOneWords[(start + i) % size];
    bool clash = false;
    for (const std::string& a : avoid) clash = clash || ContainsIgnoreCase(word, a) || ContainsIgnoreCase(a, word);
    if (!clash) return std::string(word);
  }
  return "Perhaps";
}

std::string GenerateOffTopicAnswer(const std::vector<std::string>& avoid, SimRng& rng) {
  std::string out;
  size_t sentences = 0;
  size_t wanted = 3 + rng.Below(3);
  size_t first_topic = rng.Below(kOffTopic.size());
  for (size_t t = 0; t < kOffTopic.size() && sentences < wanted; ++t) {
    for (std::string_view sentence : kOffTopic[(first_topic + t) % kOffTopic.size()]) {
      if (sentences == wanted) break;
      bool clash = false;
      for (const std::string& a : avoid) clash = clash || ContainsIgnoreCase(sentence, a);
      if (clash) continue;
      if (!out.empty()) out.push_back(' ');
      out.append(sentence);
      ++sentences;
    }
  }
  if (out.empty()) out = "Hmm.";
  return out;
}

}  // namespace llmeval
