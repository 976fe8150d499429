// Turns MotionBERT-style pickles into a dataset file, for kasf_convert --dataset. Three input shapes:
//  * a source dict {'train': {key: stacked per-frame values}, 'test': {...}} (SportsPose, WorldPose,
//    Human3.6M), or one such split dict given for a named split;
//  * a list of per-frame dicts for a named split (AthletePose3D gendb.py's train.pkl / valid.pkl),
//    mapped to the MotionBERT keys the way AthletePose3D's datareader does;
//  * a folder of clip pickles {train,test}/NNNNNNNN.pkl (dicts with data_input, data_label, ...).
// Pickles are decoded with the safe reader (framework/io/pickle.h). Validation errors name the file,
// split, key and shapes. Each split's keys and shapes are checked before its arrays are converted;
// the arrays are then converted, checked for NaN and infinity, and written one at a time straight
// from the memory-mapped pickle, so memory stays far below the data set's size.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "datasets/dataset_file.h"

namespace kasf::data {

struct DatasetInput {
  std::string path;   // pickle file or clip folder
  std::string split;  // empty: the input holds all its splits
};

// Writes the splits of all inputs to the dataset file `path`, which appears only if all succeed.
std::map<std::string, SplitSize> convert_dataset(const std::vector<DatasetInput>& inputs, const std::string& path);

}  // namespace kasf::data
