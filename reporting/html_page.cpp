#include "reporting/html_page.h"

#include <fstream>
#include <map>
#include <stdexcept>

#include "framework/io/atomic_file.h"
#include "reporting/html_assets.h"
#include "reporting/svg_plot.h"

namespace kasf::reporting {
namespace {

std::string_view page_script(PageKind kind) {
  switch (kind) {
    case PageKind::pose_viewer: return html::kPoseViewerJs;
    case PageKind::evaluation_report: return html::kEvaluationReportJs;
    case PageKind::training_report: return html::kTrainingReportJs;
  }
  throw std::logic_error("unknown page kind");
}

// JSON inside <script>: "</script>" would end the element and "<!--" can keep a later one from
// ending it, so every "<" (they only occur inside JSON strings) is written as the escape \u003c.
std::string script_safe_json(const nlohmann::ordered_json& data) {
  const std::string text = data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string safe;
  for (char c : text) safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return safe;
}

}  // namespace

std::string render_html_page(const HtmlPage& page) {
  const std::map<std::string, std::string, std::less<>> values = {
      {"REFRESH", page.refresh_seconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" +
                                                 std::to_string(page.refresh_seconds) + "\">"
                                           : ""},
      {"TITLE", escape_xml(page.title)},
      {"STYLE", std::string(html::kCommonCss)},
      {"COMMON_SCRIPT", std::string(html::kCommonJs)},
      {"DATA", script_safe_json(page.data)},
      {"PAGE_SCRIPT", std::string(page_script(page.kind))},
  };
  // One pass over the template: inserted text is never searched for placeholders.
  const std::string_view shell = html::kPageShellHtml;
  std::string html;
  size_t done = 0;
  for (size_t at = shell.find("@KASF_"); at != std::string_view::npos; at = shell.find("@KASF_", done)) {
    const size_t end = shell.find('@', at + 1);
    const auto value = values.find(shell.substr(at + 6, end - at - 6));
    if (end == std::string_view::npos || value == values.end())
      throw std::logic_error("page_shell.html: unknown placeholder at offset " + std::to_string(at));
    html.append(shell.substr(done, at - done)).append(value->second);
    done = end + 1;
  }
  return html.append(shell.substr(done));
}

void write_html_page(const std::string& path, const HtmlPage& page) {
  const std::string html = render_html_page(page);
  io::AtomicFile file(path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary);
    out << html;
    if (!out.flush()) throw std::runtime_error("cannot write '" + file.temp_path() + "'");
  }
  file.commit();
}

}  // namespace kasf::reporting
