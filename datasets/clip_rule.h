// The two rules for the frames a video has left over when cut into clips (datasets/clips.h), and
// their names in experiment definitions and predictions files.
#pragma once
#include <string>

namespace kasf::data {

enum class ClipRule { motionbert, worldpose };

// "motionbert" (alias "sportspose") or "worldpose"; anything else throws naming the value.
ClipRule parse_clip_rule(const std::string& name);
// The name parse_clip_rule reads: "motionbert" or "worldpose".
const char* clip_rule_name(ClipRule rule);

}  // namespace kasf::data
