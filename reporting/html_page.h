// The one shell of every HTML page kasf writes (kasf_infer/kasf_view's viewer, kasf_eval's and
// kasf_train's reports): reporting/html/page_shell.html with the shared style and script
// (reporting/html/common.*), the page's own script, and its data inlined as JSON. The files are
// embedded at build time; a page needs nothing else, so it works offline and from file:// URLs.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace kasf::reporting {

enum class PageKind { pose_viewer, evaluation_report, training_report };

struct HtmlPage {
  PageKind kind = PageKind::pose_viewer;
  std::string title;
  nlohmann::ordered_json data;  // what the page's script reads (KASF.data)
  int refresh_seconds = 0;  // > 0: the browser reloads the page this often (a report of a running job)
};

std::string render_html_page(const HtmlPage& page);
// Atomic: a browser reloading the page never sees half a file.
void write_html_page(const std::string& path, const HtmlPage& page);

}  // namespace kasf::reporting
