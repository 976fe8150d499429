// kasf_train: trains a pose lifter as an experiment definition describes (docs/training.md), in one
// process or data-parallel under mpirun (docs/distributed.md).
#include "tools/kasf_train_main.h"

int main(int argc, char** argv) { return kasf::kasf_train_main(argc, argv, nullptr); }
