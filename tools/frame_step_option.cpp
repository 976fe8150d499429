#include "tools/frame_step_option.h"

#include <stdexcept>

namespace kasf {

int64_t resolve_frame_step(std::optional<int64_t> given, const std::vector<RecordedFrameStep>& files,
                           const std::string& tool, std::ostream& notes) {
  if (given) {
    for (const RecordedFrameStep& file : files)
      if (!file.predictions && file.step && *file.step != *given)
        notes << tool << ": note: " << file.path << " was trained at data.frame_step " << *file.step
              << "; lifting at --frame-step " << *given << " as given\n";
    return *given;
  }
  const RecordedFrameStep* clips = nullptr;
  for (const RecordedFrameStep& file : files) {
    if (!file.step) continue;
    const std::string step = std::to_string(*file.step);
    if (!file.predictions && *file.step != 1)
      throw std::invalid_argument(file.path + " was trained with data.frame_step " + step + " (clips of every " +
                                  step + "-th frame of its data): give --frame-step, " + step +
                                  " for data at that data's frame rate, 1 for data at 1/" + step + " of it");
    if (!file.predictions) continue;
    if (clips && *clips->step != *file.step)
      throw std::invalid_argument("the predictions files were made for different frame steps (" + clips->path +
                                  ": " + std::to_string(*clips->step) + ", " + file.path + ": " + step +
                                  "); give --frame-step");
    if (!clips) clips = &file;
  }
  return clips ? *clips->step : 1;
}

}  // namespace kasf
