// kasf_infer end to end: the fixture's input through the fixture's weights gives the fixture's
// output, on the CPU and on the emulated CUDA device; --summary ends with the parameter count;
// failures exit non-zero and write nothing.
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "fixture_data.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;

namespace {

using kasf::test::ScratchDir;

// Exit status of kasf_infer with `arguments`; stdout and stderr go to `log`.
int run_infer(const std::string& arguments, const fs::path& log) {
  const std::string command = std::string(KASF_INFER) + " " + arguments + " > " + log.string() + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// kasf_infer --input-tensor on the perturbed fixture with `options` matches the fixture's output.
void check_fixture_output(const ScratchDir& scratch, const std::string& options) {
  const std::string fixture = kasf::test::fixture_path("fixture_small_perturbed");
  const fs::path output = scratch.path() / "out.h5";
  BOOST_REQUIRE_EQUAL(run_infer("--weights " + fixture + options + " --input-tensor " + fixture + " --output " +
                                    output.string(),
                                scratch.path() / "log"),
                      0);
  kasf::io::h5::Handle file = kasf::io::h5::open_file(output.string());
  kasf::Shape shape;
  std::vector<float> values = kasf::io::h5::read_floats(file.id(), "output", &shape);
  kasf::test::check_close(kasf::Tensor::from_vector(shape, values),
                          kasf::test::FixtureFile("fixture_small_perturbed").tensor("output"), "output" + options);
  fs::remove(output);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kasf_infer)

BOOST_AUTO_TEST_CASE(reproduces_the_fixture_output) {
  ScratchDir scratch;
  for (const std::string config : {"", " --config ../../configs/kasportsformer_small.prototxt"})
    check_fixture_output(scratch, config);
}

BOOST_AUTO_TEST_CASE(reproduces_the_fixture_output_on_the_emulated_cuda_device) {
  ScratchDir scratch;
  check_fixture_output(scratch, " --device emulated_cuda");
}

BOOST_AUTO_TEST_CASE(summary_ends_with_the_parameter_count) {
  ScratchDir scratch;
  BOOST_REQUIRE_EQUAL(run_infer("--config ../../configs/kasportsformer_sportspose.prototxt --summary",
                                scratch.path() / "log"),
                      0);
  const std::string text = kasf::test::read_file(scratch.path() / "log");
  BOOST_TEST(text.find("layers_with_bone.25") != std::string::npos);
  BOOST_TEST(text.substr(text.rfind('\n', text.size() - 2) + 1) == "parameters: 29365668\n");
}

// Each peer's definition: the count of the official constructor with the same arguments (its
// scripts/make_<peer>_fixtures.py prints it), after a module only that peer has.
BOOST_AUTO_TEST_CASE(peer_summaries_end_with_the_official_parameter_count) {
  struct Peer {
    const char* config;
    const char* module;
    const char* count;
  };
  for (const Peer& peer : {Peer{"mixste", "TTEblocks", "33784323"}, Peer{"motionagformer", "  layers.15 ", "11723811"},
                           Peer{"ktpformer", "tpattention.attn", "35213430"},
                           Peer{"stcformer", "stcformer.stc_block", "4748256"},
                           Peer{"motionbert", "blocks_ts.4", "42466317"}})
    BOOST_TEST_CONTEXT(peer.config) {
      ScratchDir scratch;
      BOOST_REQUIRE_EQUAL(run_infer("--config ../../configs/" + std::string(peer.config) + ".prototxt --summary",
                                    scratch.path() / "log"),
                          0);
      const std::string text = kasf::test::read_file(scratch.path() / "log");
      BOOST_TEST(text.find(peer.module) != std::string::npos, text);
      BOOST_TEST(text.substr(text.rfind('\n', text.size() - 2) + 1) == "parameters: " + std::string(peer.count) + "\n");
    }
}

BOOST_AUTO_TEST_CASE(failures_exit_non_zero_and_write_nothing) {
  ScratchDir scratch;
  const fs::path output = scratch.path() / "out.h5";
  const std::string fixture = kasf::test::fixture_path("fixture_small");
  // Weights of the small model against the official definition: misshaped keys.
  BOOST_TEST(run_infer("--weights " + fixture + " --config ../../configs/kasportsformer_sportspose.prototxt" +
                           " --input-tensor " + fixture + " --output " + output.string(),
                       scratch.path() / "log") == 1);
  BOOST_TEST(kasf::test::read_file(scratch.path() / "log").find("misshaped") != std::string::npos);
  BOOST_TEST(run_infer("--weights " + fixture + " --input-tensor missing.h5 --output " + output.string(),
                       scratch.path() / "log") == 1);
  BOOST_TEST(run_infer("--weights " + fixture, scratch.path() / "log") == 2);
  BOOST_TEST(run_infer("--bogus", scratch.path() / "log") == 2);
  BOOST_TEST(!fs::exists(output));
  BOOST_TEST(std::distance(fs::directory_iterator(scratch.path()), fs::directory_iterator()) == 1);  // only the log
  BOOST_TEST(run_infer("--help", scratch.path() / "log") == 0);
  BOOST_TEST(kasf::test::read_file(scratch.path() / "log").find("--input-tensor") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
