// Model definitions: parsing, validation, and the mapping to and from weight-file attributes.
#pragma once
#include <map>
#include <stdexcept>
#include <string>

#include "framework/io/attr_value.h"
#include "models/model_config.pb.h"

namespace kasf::models {

// A malformed or invalid model definition; the message names the source (file) and the field.
class ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Protobuf text format; `source` names the text in errors. The result is validated.
ModelConfig parse_model_config(const std::string& text, const std::string& source);
ModelConfig read_model_config(const std::string& path);

// Throws ConfigError naming `source` and the first invalid field.
void validate(const ModelConfig& config, const std::string& source);

// Root attributes of a weight file, named as the official config keys, to a validated config.
// Attributes that are no config field (file metadata) are ignored; a string "None" (Python's null)
// leaves a field unset; "variant" absent means the official model.
ModelConfig config_from_attributes(const std::map<std::string, io::AttrValue>& attributes, const std::string& source);
// Every set or defaulted field, for writing a self-describing weight file.
std::map<std::string, io::AttrValue> config_to_attributes(const ModelConfig& config);

}  // namespace kasf::models
