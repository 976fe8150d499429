// The --frame-step of kasf_eval and kasf_infer: the step between the source frames a model sees.
// A kasf_train checkpoint records the step it was trained at, but that step is relative to the frame
// rate of its training data, which the files do not know: a model trained on every 5th frame of
// 50 fps data wants --frame-step 5 on 50 fps data and 1 on 10 fps data. So such a model needs the
// option given rather than a guess. A predictions file records the step of the clips it was made
// for, which is then the default.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kasf {

struct RecordedFrameStep {
  std::string path;
  std::optional<int64_t> step;  // nullopt: the file records none
  bool predictions = false;     // a predictions file (else weights)
};

// `given` (--frame-step) when set, noting on `notes` each weight file that records another step;
// else the step the predictions files record, which must agree; else 1. Throws std::invalid_argument
// naming the file when, without `given`, weights record a step other than 1 or predictions files
// record different steps.
int64_t resolve_frame_step(std::optional<int64_t> given, const std::vector<RecordedFrameStep>& files,
                           const std::string& tool, std::ostream& notes);

}  // namespace kasf
