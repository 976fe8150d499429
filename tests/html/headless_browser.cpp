#include "headless_browser.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "tests/support/scratch_dir.h"

namespace kasf::test {
namespace {

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const size_t start = text.find(open);
  if (start == std::string::npos) return "";
  const size_t end = text.find(close, start + open.size());
  return end == std::string::npos ? "" : text.substr(start + open.size(), end - start - open.size());
}

// Text content as serialised in the DOM dump: &amp; &lt; &gt; (and &nbsp;) escaped.
std::string unescape(std::string text) {
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", " "}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities)
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1))
      text.replace(at, std::string(entity).size(), plain);
  return text;
}

}  // namespace

LoadedPage load_page(const std::string& html, const std::string& fragment) {
  if (std::string(KASF_CHROMIUM).empty())
    throw std::runtime_error("chromium was not found when CMake configured the build: run scripts/setup.sh and "
                             "configure again");
  const ScratchDir profile;  // a profile of its own, so that parallel tests do not share one
  const std::string url = "file://" + std::filesystem::absolute(html).string() + (fragment.empty() ? "" : "#" + fragment);
  const std::string dump = profile.file("dom.html");
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start; containers often have
  // a small /dev/shm.
  const std::string command = std::string(KASF_CHROMIUM) +
                              " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir=" +
                              profile.file("profile") + " --dump-dom '" + url + "' > " + dump + " 2> " +
                              profile.file("stderr");
  const int status = std::system(command.c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("chromium failed on " + url + ": " + read_file(profile.file("stderr")));
  LoadedPage page;
  page.dom = read_file(dump);
  page.title = unescape(between(page.dom, "<title>", "</title>"));
  const std::string state = between(page.dom, "<pre id=\"kasf-state\" hidden=\"\">", "</pre>");
  if (state.empty()) throw std::runtime_error("no #kasf-state in the page " + url + ":\n" + page.dom.substr(0, 2000));
  page.state = nlohmann::json::parse(unescape(state));
  return page;
}

}  // namespace kasf::test
