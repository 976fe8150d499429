// Similarity Procrustes alignment of one predicted pose onto its ground truth (spec 7 step 4),
// the alignment behind P-MPJPE (protocol 2).
#pragma once

namespace kasf::eval {

// `prediction` and `truth` are 17 x 3 values (one frame). Writes a * prediction * R + t into
// `aligned` (17 x 3), where rotation R (reflections excluded), scale a and translation t minimise
// the squared distance to `truth`.
void align_similarity(const float* prediction, const float* truth, double* aligned);

// Mean over the 17 joints of the distance between the aligned prediction and the truth.
double procrustes_error(const float* prediction, const float* truth);

}  // namespace kasf::eval
