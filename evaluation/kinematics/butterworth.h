// Digital Butterworth low-pass filters by the bilinear transform, and their frequency response.
#pragma once
#include <complex>
#include <vector>

namespace kasf::eval {

// Transfer function b(z^-1) / a(z^-1) with a[0] = 1.
struct IirFilter {
  std::vector<double> b;
  std::vector<double> a;
};

// Order-`order` low-pass with its -3 dB point at `cutoff_hz` for data sampled at `sample_rate_hz`:
// the analog prototype's poles w_a * exp(i pi (2k + order - 1) / (2 order)), k = 1..order, with the
// cut-off pre-warped (w_a = 2 fs tan(pi fc / fs)), mapped by z = (2 fs + s) / (2 fs - s); the gain
// gives |H| = 1 at DC and all zeros lie at z = -1 (same design as scipy.signal.butter).
// Throws std::invalid_argument unless 0 < cutoff < sample_rate / 2 and order >= 1.
IirFilter butterworth_lowpass(int order, double cutoff_hz, double sample_rate_hz);

// H(e^{i omega}) for omega in radians per sample.
std::complex<double> frequency_response(const IirFilter& filter, double omega);

}  // namespace kasf::eval
