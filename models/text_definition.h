// Reading protobuf text definitions (models, experiments) with errors a person can act on.
#pragma once
#include <google/protobuf/message.h>

#include <string>

#include "models/model_config.h"

namespace kasf::models {

// Parses `text` into `message`. Syntax errors and unknown fields throw ConfigError naming `source`,
// what is being read ("model definition"), and each error's line and column with the line's text.
void parse_text_definition(const std::string& text, const std::string& source, const std::string& what,
                           google::protobuf::Message& message);

// The whole file; throws ConfigError naming the path and `what` if it cannot be read.
std::string read_text_file(const std::string& path, const std::string& what);

}  // namespace kasf::models
