// The most memory this process has held resident, for the tools' speed and memory lines.
#pragma once

namespace kasf {

double peak_resident_gb();  // GB of 2^30 bytes

}  // namespace kasf
