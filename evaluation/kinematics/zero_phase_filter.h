// Zero-phase filtering (forward, then backward) of a 1-D series, as scipy.signal.filtfilt with its
// defaults: the series is extended at both ends by an odd reflection about its end values
// (2 x[0] - x[k], k = padlen..1, and likewise at the end) with padlen = 3 * max(len(a), len(b)), each
// pass starts from the filter's steady state for a constant input equal to its first sample, and the
// padding is removed afterwards. Series shorter than padlen + 1 use padlen = length - 1 (scipy
// rejects them). The magnitude response is |H|^2 and the phase is zero.
#pragma once
#include <span>
#include <vector>

#include "evaluation/kinematics/butterworth.h"

namespace kasf::eval {

std::vector<double> zero_phase_filter(const IirFilter& filter, std::span<const double> series);

// The 8 Hz, 4th-order Butterworth low-pass of the AthletePose3D analysis, zero-phase, at `fps`.
std::vector<double> lowpass_8hz(std::span<const double> series, double fps);

}  // namespace kasf::eval
