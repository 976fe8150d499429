// Opening a generated page in headless Chromium (Debian's `chromium`, installed by
// scripts/setup.sh) and reading back what it shows: the title (the pages put "kasf-error: ..."
// there on any JavaScript error) and the JSON state the page exposes in #kasf-state.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace kasf::test {

struct LoadedPage {
  std::string title;
  nlohmann::json state;  // #kasf-state after the page's scripts ran
  std::string dom;       // the serialised document
};

// Loads file://<absolute path of `html`>#<fragment>. Throws std::runtime_error when Chromium is
// missing, fails, or the page has no state element.
LoadedPage load_page(const std::string& html, const std::string& fragment = "");

}  // namespace kasf::test
