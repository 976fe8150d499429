#include "models/model_config.h"


#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "models/text_definition.h"

namespace kasf::models {

namespace {

using google::protobuf::FieldDescriptor;

[[noreturn]] void fail(const std::string& source, const std::string& field, const std::string& what) {
  throw ConfigError(source + ": field " + field + ": " + what);
}

template <class Value>
void require(bool ok, const std::string& source, const std::string& field, const std::string& what, Value got) {
  if (ok) return;
  std::ostringstream message;
  message << what << " (got " << std::boolalpha << got << ")";
  fail(source, field, message.str());
}

bool is_probability(double p) { return p >= 0.0 && p < 1.0; }

void set_field(ModelConfig& config, const FieldDescriptor& field, const io::AttrValue& value,
               const std::string& source) {
  const auto* reflection = config.GetReflection();
  const std::string& name = field.name();
  auto wrong_type = [&] { fail(source, name, "attribute has the wrong type for a " + std::string(field.type_name())); };
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto* integer = std::get_if<int64_t>(&value);
      if (integer == nullptr) wrong_type();
      require(*integer >= std::numeric_limits<int32_t>::min() && *integer <= std::numeric_limits<int32_t>::max(),
              source, name, "out of the int32 range", *integer);
      reflection->SetInt32(&config, &field, static_cast<int32_t>(*integer));
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
      if (const auto* real = std::get_if<double>(&value)) {
        reflection->SetDouble(&config, &field, *real);
      } else if (const auto* integer = std::get_if<int64_t>(&value)) {
        reflection->SetDouble(&config, &field, static_cast<double>(*integer));
      } else {
        wrong_type();
      }
      break;
    case FieldDescriptor::CPPTYPE_BOOL: {
      const auto* flag = std::get_if<bool>(&value);
      if (flag == nullptr) wrong_type();
      reflection->SetBool(&config, &field, *flag);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const auto* text = std::get_if<std::string>(&value);
      if (text == nullptr) wrong_type();
      reflection->SetString(&config, &field, *text);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* text = std::get_if<std::string>(&value);
      if (text == nullptr) wrong_type();
      const auto* enum_value = field.enum_type()->FindValueByName(*text);
      if (enum_value == nullptr) fail(source, name, "unknown value '" + *text + "'");
      reflection->SetEnum(&config, &field, enum_value);
      break;
    }
    default:
      wrong_type();
  }
}

}  // namespace

ModelConfig parse_model_config(const std::string& text, const std::string& source) {
  ModelConfig config;
  parse_text_definition(text, source, "model definition", config);
  validate(config, source);
  return config;
}

ModelConfig read_model_config(const std::string& path) {
  return parse_model_config(read_text_file(path, "model definition"), path);
}

namespace {

// The fields MixSTE's pre-norm blocks (models/mixste_block.h) and the models built from them read,
// under their constructors' names; what the official constructors leave off is not implemented.
void validate_prenorm_blocks(const ModelConfig& c, const std::string& source) {
  const std::string& model = c.model_name();
  require(c.n_layers() >= 1, source, "n_layers", "must be at least 1", c.n_layers());
  require(c.dim_in() >= 1, source, "dim_in", "must be positive", c.dim_in());
  require(c.dim_feat() >= 1 && c.num_heads() >= 1 && c.dim_feat() % c.num_heads() == 0, source, "dim_feat",
          "must be a positive multiple of num_heads = " + std::to_string(c.num_heads()), c.dim_feat());
  require(c.mlp_ratio() * c.dim_feat() >= 1.0, source, "mlp_ratio", "gives an empty MLP hidden layer", c.mlp_ratio());
  require(c.act_layer() == "gelu", source, "act_layer", "must be gelu (" + model + "'s)", c.act_layer());
  require(is_probability(c.attn_drop()), source, "attn_drop", "must lie in [0, 1)", c.attn_drop());
  require(is_probability(c.drop()), source, "drop", "must lie in [0, 1)", c.drop());
  require(c.drop_path() == 0, source, "drop_path", "must be 0 (" + model + "'s stochastic depth is not implemented)",
          c.drop_path());
  if (c.has_qkv_scale())
    require(c.qkv_scale() > 0.0 && std::isfinite(c.qkv_scale()), source, "qkv_scale", "must be positive",
            c.qkv_scale());
  require(c.variant() == KASPORTSFORMER, source, "variant", "does not apply to " + model, Variant_Name(c.variant()));
  require(c.n_frames() >= 1, source, "n_frames", "must be positive", c.n_frames());
}

// MixSTE and KTPFormer: a head to x, y, z on the H36M skeleton.
void validate_mixste(const ModelConfig& c, const std::string& source) {
  validate_prenorm_blocks(c, source);
  require(c.dim_out() == 3, source, "dim_out", "must be 3 (" + c.model_name() + "'s head outputs x, y, z)",
          c.dim_out());
  require(c.num_joints() == 17, source, "num_joints", "must be 17 (the H36M skeleton)", c.num_joints());
}

// KTPFormer (models/ktpformer.h): MixSTE's fields; its kinematics prior reads x and y.
void validate_ktpformer(const ModelConfig& c, const std::string& source) {
  require(c.dim_in() == 2 || c.dim_in() == 3, source, "dim_in",
          "must be 2 (x, y) or 3 (x, y, confidence, which KTPFormer ignores)", c.dim_in());
  validate_mixste(c, source);
}

// STCFormer reads the fields its official `args` and constants map to (models/stcformer.h).
void validate_stcformer(const ModelConfig& c, const std::string& source) {
  require(c.n_layers() >= 1, source, "n_layers", "must be at least 1", c.n_layers());
  require(c.dim_in() >= 1, source, "dim_in", "must be positive", c.dim_in());
  require(c.num_heads() >= 1, source, "num_heads", "must be positive", c.num_heads());
  require(c.dim_feat() >= 1 && c.dim_feat() % (2 * c.num_heads()) == 0, source, "dim_feat",
          "must be a positive multiple of 2 * num_heads = " + std::to_string(2 * c.num_heads()) +
              " (two halves of num_heads heads)",
          c.dim_feat());
  require(c.dim_out() == 3, source, "dim_out", "must be 3 (STCFormer's head outputs x, y, z)", c.dim_out());
  require(c.mlp_ratio() * c.dim_feat() >= 1.0, source, "mlp_ratio", "gives an empty MLP hidden layer", c.mlp_ratio());
  require(c.act_layer() == "gelu", source, "act_layer", "must be gelu (STCFormer's)", c.act_layer());
  require(c.qkv_bias(), source, "qkv_bias", "must be true (STCFormer's qkv has a bias)", c.qkv_bias());
  require(!c.has_qkv_scale(), source, "qkv_scale", "must be unset (STCFormer's scale is (dim_feat/2)^-1/2)",
          c.qkv_scale());
  require(c.attn_drop() == 0, source, "attn_drop", "must be 0 (STCFormer has no attention dropout)", c.attn_drop());
  require(is_probability(c.drop()), source, "drop", "must lie in [0, 1)", c.drop());
  require(c.drop_path() == 0, source, "drop_path", "must be 0 (STCFormer's blocks have no stochastic depth)",
          c.drop_path());
  require(is_probability(c.part_embed_drop_path()), source, "part_embed_drop_path", "must lie in [0, 1)",
          c.part_embed_drop_path());
  require(c.variant() == KASPORTSFORMER, source, "variant", "does not apply to STCFormer", Variant_Name(c.variant()));
  require(c.num_joints() == 17, source, "num_joints", "must be 17 (STCFormer's body parts are those of H36M)",
          c.num_joints());
  require(c.n_frames() >= 1, source, "n_frames", "must be positive", c.n_frames());
}

// DSTformer (models/motionbert.h): any skeleton and output width, its own embedding length and norm eps.
void validate_dstformer(const ModelConfig& c, const std::string& source) {
  validate_prenorm_blocks(c, source);
  require(c.dim_rep() >= 1, source, "dim_rep", "must be positive (DSTformer's head reads dim_rep features)",
          c.dim_rep());
  require(c.dim_out() >= 1, source, "dim_out", "must be positive", c.dim_out());
  require(c.num_joints() >= 1, source, "num_joints", "must be positive", c.num_joints());
  require(c.norm_eps() > 0.0 && std::isfinite(c.norm_eps()), source, "norm_eps", "must be positive", c.norm_eps());
  require(c.maxlen() >= c.n_frames(), source, "maxlen",
          "must be at least n_frames = " + std::to_string(c.n_frames()) + " (temp_embed has maxlen rows)", c.maxlen());
}

// The constructor arguments KASportsFormer shares with MotionAGFormer, whose trunk it extends.
void validate_trunk(const ModelConfig& c, const std::string& source) {
  require(c.n_layers() >= 1, source, "n_layers", "must be at least 1", c.n_layers());
  require(c.dim_feat() >= 1, source, "dim_feat", "must be positive", c.dim_feat());
  require(c.num_heads() >= 1, source, "num_heads", "must be positive", c.num_heads());
  require(c.dim_feat() % c.num_heads() == 0, source, "dim_feat",
          "must be divisible by num_heads = " + std::to_string(c.num_heads()), c.dim_feat());
  require(c.dim_rep() >= 1, source, "dim_rep", "must be positive", c.dim_rep());
  require(c.dim_out() >= 1, source, "dim_out", "must be positive", c.dim_out());
  require(c.mlp_ratio() * c.dim_feat() >= 1.0, source, "mlp_ratio", "gives an empty MLP hidden layer", c.mlp_ratio());
  require(c.act_layer() == "gelu" || c.act_layer() == "relu", source, "act_layer", "must be gelu or relu",
          c.act_layer());
  require(is_probability(c.attn_drop()), source, "attn_drop", "must lie in [0, 1)", c.attn_drop());
  require(is_probability(c.drop()), source, "drop", "must lie in [0, 1)", c.drop());
  require(std::isfinite(c.layer_scale_init_value()), source, "layer_scale_init_value", "must be finite",
          c.layer_scale_init_value());
  if (c.has_qkv_scale())
    require(c.qkv_scale() > 0.0 && std::isfinite(c.qkv_scale()), source, "qkv_scale", "must be positive",
            c.qkv_scale());
  require(c.use_temporal_similarity(), source, "use_temporal_similarity",
          "must be true (only the similarity graph is implemented)", c.use_temporal_similarity());
  require(c.temporal_connection_len() >= 1, source, "temporal_connection_len", "must be positive",
          c.temporal_connection_len());
  require(c.num_joints() == 17, source, "num_joints", "must be 17 (the H36M skeleton)", c.num_joints());
  require(c.n_frames() >= 1, source, "n_frames", "must be positive", c.n_frames());
  require(c.neighbour_num() >= 1 && c.neighbour_num() <= c.n_frames(), source, "neighbour_num",
          "must lie in [1, n_frames = " + std::to_string(c.n_frames()) + "]", c.neighbour_num());
}

// MotionAGFormer (models/motionagformer.h) as its published configurations use it: the options they
// leave off (stochastic depth, the hierarchical split, MS-TCN, the plain-GCN graph stream) are not
// implemented.
void validate_motionagformer(const ModelConfig& c, const std::string& source) {
  validate_trunk(c, source);
  require(c.dim_in() >= 1, source, "dim_in", "must be positive", c.dim_in());
  require(c.drop_path() == 0, source, "drop_path", "must be 0 (MotionAGFormer's stochastic depth is not implemented)",
          c.drop_path());
  require(!c.hierarchical(), source, "hierarchical", "must be false (MotionAGFormer's split streams are not implemented)",
          c.hierarchical());
  require(!c.use_tcn(), source, "use_tcn", "must be false (MotionAGFormer's MS-TCN is not implemented)", c.use_tcn());
  require(!c.graph_only(), source, "graph_only", "must be false (MotionAGFormer's plain GCN stream is not implemented)",
          c.graph_only());
  require(c.variant() == KASPORTSFORMER, source, "variant", "does not apply to MotionAGFormer",
          Variant_Name(c.variant()));
}

}  // namespace

void validate(const ModelConfig& c, const std::string& source) {
  if (c.model_name() == "MixSTE") return validate_mixste(c, source);
  if (c.model_name() == "MotionAGFormer") return validate_motionagformer(c, source);
  if (c.model_name() == "STCFormer") return validate_stcformer(c, source);
  if (c.model_name() == "KTPFormer") return validate_ktpformer(c, source);
  if (c.model_name() == "DSTformer") return validate_dstformer(c, source);
  const bool baseline = c.variant() == BASELINE;
  require(c.model_name() == "KASportsFormer", source, "model_name",
          "must be KASportsFormer, MixSTE, MotionAGFormer, KTPFormer, STCFormer or DSTformer", c.model_name());
  validate_trunk(c, source);
  require(baseline ? c.dim_in() >= 1 : c.dim_in() == 3, source, "dim_in",
          baseline ? "must be positive" : "must be 3 (x, y, confidence: BoneExt and LimbFus read them)", c.dim_in());
  require(is_probability(c.drop_path()), source, "drop_path", "must lie in [0, 1)", c.drop_path());
  require(!c.hierarchical(), source, "hierarchical", "must be false (the official model cannot run with it)",
          c.hierarchical());
}

ModelConfig config_from_attributes(const std::map<std::string, io::AttrValue>& attributes, const std::string& source) {
  ModelConfig config;
  const auto* descriptor = config.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor& field = *descriptor->field(i);
    auto found = attributes.find(field.name());
    if (found == attributes.end()) continue;
    const auto* text = std::get_if<std::string>(&found->second);
    if (text != nullptr && *text == "None") continue;
    set_field(config, field, found->second, source);
  }
  validate(config, source);
  return config;
}

std::map<std::string, io::AttrValue> config_to_attributes(const ModelConfig& config) {
  std::map<std::string, io::AttrValue> attributes;
  const auto* descriptor = config.GetDescriptor();
  const auto* reflection = config.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor& field = *descriptor->field(i);
    if (!reflection->HasField(config, &field) && !field.has_default_value()) continue;
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        attributes[field.name()] = static_cast<int64_t>(reflection->GetInt32(config, &field));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        attributes[field.name()] = reflection->GetDouble(config, &field);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        attributes[field.name()] = reflection->GetBool(config, &field);
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        attributes[field.name()] = reflection->GetString(config, &field);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        attributes[field.name()] = reflection->GetEnum(config, &field)->name();
        break;
      default:
        throw ConfigError("config_to_attributes: field " + field.name() + " has an unsupported type");
    }
  }
  return attributes;
}

}  // namespace kasf::models
