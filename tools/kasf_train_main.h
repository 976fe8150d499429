// kasf_train's whole program, callable with a step callback: kasf_train passes none; the tests'
// launcher (tests/training/kasf_train_with_step_hook.cpp) installs one to stop a rank at a known
// step, instead of a debugging flag in the production tool.
#pragma once
#include <functional>

#include "training/trainer.h"

namespace kasf {

int kasf_train_main(int argc, char** argv, const std::function<void(const training::StepInfo&)>& on_step);

}  // namespace kasf
