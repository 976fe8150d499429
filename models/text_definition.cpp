#include "models/text_definition.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace kasf::models {

namespace {

// Collects the parser's messages, each with the offending line quoted (it names the field even when
// protobuf's message does not, e.g. for a value of the wrong type).
class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectErrors(const std::string& text) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines_.push_back(line);
  }
  void AddError(int line, int column, const std::string& message) override {
    messages << "\n  line " << line + 1 << ", column " << column + 1 << ": " << message;
    if (line >= 0 && line < static_cast<int>(lines_.size())) messages << " in `" << lines_[line] << "`";
  }
  void AddWarning(int line, int column, const std::string& message) override { AddError(line, column, message); }
  std::ostringstream messages;

 private:
  std::vector<std::string> lines_;
};

}  // namespace

void parse_text_definition(const std::string& text, const std::string& source, const std::string& what,
                           google::protobuf::Message& message) {
  CollectErrors errors(text);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &message)) throw ConfigError(source + ": invalid " + what + errors.messages.str());
}

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open the " + what);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kasf::models
