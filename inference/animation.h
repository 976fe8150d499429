// An MP4 of the rendered frames (frame_render.h), made by ffmpeg when it is installed: ffmpeg is
// an optional run-time dependency, looked up on PATH like `command -v ffmpeg`.
#pragma once
#include <optional>
#include <string>

namespace kasf::inference {

// The ffmpeg executable on PATH, if any.
std::optional<std::string> find_ffmpeg();

// Encodes the frames in `dir` at `fps` (H.264, yuv420p) into DIR/animation.mp4 with `ffmpeg`,
// through a temporary file that is renamed on success, and returns its path. Throws
// std::runtime_error with ffmpeg's exit status when it fails.
std::string make_animation(const std::string& ffmpeg, const std::string& dir, double fps);

}  // namespace kasf::inference
