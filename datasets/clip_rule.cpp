#include "datasets/clip_rule.h"

#include <stdexcept>

namespace kasf::data {

ClipRule parse_clip_rule(const std::string& name) {
  if (name == "motionbert" || name == "sportspose") return ClipRule::motionbert;
  if (name == "worldpose") return ClipRule::worldpose;
  throw std::invalid_argument("unknown clip rule '" + name + "' (expected motionbert, sportspose or worldpose)");
}

const char* clip_rule_name(ClipRule rule) { return rule == ClipRule::motionbert ? "motionbert" : "worldpose"; }

}  // namespace kasf::data
