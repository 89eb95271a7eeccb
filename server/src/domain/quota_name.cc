#include "domain/quota_name.h"

#include <cctype>
#include <sstream>
#include <vector>

#include "domain/catalogue.h"

namespace ap::domain {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Metric phrases, most specific first (an "input tokens per minute" name also contains "tokens per minute").
struct Phrase {
  std::string_view text;
  std::string_view metric;
};
constexpr Phrase kMetrics[] = {
    {"batch inference input file size", "batch-input-file-size-gb"},
    {"batch inference job size", "batch-job-size-gb"},
    {"minimum number of records per batch inference job", "batch-min-records-per-job"},
    {"records per input file per batch inference job", "batch-records-per-input-file"},
    {"records per batch inference job", "batch-records-per-job"},
    {"in-progress and submitted batch inference jobs", "batch-concurrent-jobs"},
    {"training and validation records", "customization-training-records"},
    {"model units per provisioned model", "model-units-per-provisioned-model"},
    {"input tokens per minute", "input-tokens-per-minute"},
    {"output tokens per minute", "output-tokens-per-minute"},
    {"tokens per day", "tokens-per-day"},
    {"tokens per minute", "tokens-per-minute"},
    {"requests per minute", "requests-per-minute"},
};

bool IsNumber(std::string_view w) {
  if (w.empty() || !std::isdigit(static_cast<unsigned char>(w[0]))) return false;
  for (char c : w)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  return true;
}

// "V1", "v2", "V1.0"
bool IsVersionSuffix(std::string_view w) {
  return w.size() >= 2 && (w[0] == 'V' || w[0] == 'v') && IsNumber(w.substr(1));
}

// "100K", "18K", "200k": a provisioned-throughput context variant, not part of the model's name.
bool IsContextSize(std::string_view w) {
  return w.size() >= 2 && (w.back() == 'K' || w.back() == 'k') && IsNumber(w.substr(0, w.size() - 1));
}

// "20240307": a model date, not part of the family name.
bool IsDate(std::string_view w) { return w.size() == 8 && IsNumber(w) && w.find('.') == std::string_view::npos; }

}  // namespace

std::optional<ParsedQuotaName> ParseQuotaName(std::string_view name) {
  std::string lower = Lower(name);
  size_t claude = lower.find("claude");
  if (claude == std::string::npos) return std::nullopt;
  ParsedQuotaName out;
  if (StartsWith(lower, "global cross-region")) {
    out.scope = "global-cross-region";
  } else if (StartsWith(lower, "cross-region")) {
    out.scope = "cross-region";
  } else if (StartsWith(lower, "on-demand")) {
    out.scope = "on-demand";
  } else {
    out.scope = "other";
  }
  out.metric = "other";
  std::string_view head = std::string_view(lower).substr(0, claude);
  for (const Phrase& p : kMetrics) {
    if (head.find(p.text) != std::string_view::npos) {
      out.metric = p.metric;
      break;
    }
  }
  // The model: the words after "Claude", up to what is no longer part of a model name.
  std::string tail(name.substr(claude + 6));
  std::string lower_tail = Lower(tail);
  if (size_t cut = lower_tail.find(" 1m context length"); cut != std::string::npos) {
    out.long_context_1m = true;
    tail.erase(cut, std::string(" 1m context length").size());
    lower_tail = Lower(tail);
  }
  for (std::string_view stop : {"(", " fine-tuning", " distillation", " model customization"}) {
    if (size_t cut = lower_tail.find(stop); cut != std::string::npos) {
      tail.resize(cut);
      lower_tail.resize(cut);
    }
  }
  // "Claude 3-5-Haiku" (a model-id spelling) means "Claude 3.5 Haiku": digit-dash-digit is a version dot,
  // any other dash separates words.
  for (size_t i = 0; i < tail.size(); ++i) {
    if (tail[i] != '-') continue;
    bool digits = i > 0 && i + 1 < tail.size() && std::isdigit(static_cast<unsigned char>(tail[i - 1])) &&
                  std::isdigit(static_cast<unsigned char>(tail[i + 1]));
    tail[i] = digits ? '.' : ' ';
  }
  std::istringstream words(tail);
  std::string w;
  std::vector<std::string> family_words;
  bool named = false;  // a number or a model name came before: a following V-token is a version suffix
  while (words >> w) {
    if (IsVersionSuffix(w) && named) {
      if (out.version_suffix.empty()) {
        out.version_suffix = w;
        for (char& c : out.version_suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      continue;
    }
    if (IsContextSize(w) || IsDate(w)) continue;
    if (std::isalpha(static_cast<unsigned char>(w[0]))) {
      w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
      if (!IsVersionSuffix(w)) {
        for (size_t i = 1; i < w.size(); ++i) w[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(w[i])));
      }
    }
    family_words.push_back(w);
    named = true;
  }
  out.model_family = "Claude";
  for (const std::string& fw : family_words) out.model_family += " " + fw;
  out.version = FamilyVersion(out.model_family);
  return out;
}

}  // namespace ap::domain
