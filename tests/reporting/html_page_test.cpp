// The page shell (reporting/html_page.h): every placeholder filled, text escaped, and data that
// holds "</script>" unable to end its script element.
#include <boost/test/unit_test.hpp>
#include <string>

#include "reporting/html_page.h"
#include "tests/support/scratch_dir.h"

using kasf::reporting::HtmlPage;
using kasf::reporting::PageKind;

namespace {

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(html_page)

BOOST_AUTO_TEST_CASE(the_shell_is_filled_and_the_data_cannot_end_its_script) {
  for (const PageKind kind : {PageKind::pose_viewer, PageKind::evaluation_report, PageKind::training_report}) {
    HtmlPage page{kind, "runs/a<b>&c", {{"path", "x</script><script>alert(1)</script>"}}, 0};
    const std::string html = kasf::reporting::render_html_page(page);
    BOOST_TEST(count(html, "@KASF_") == 0u);
    BOOST_TEST(count(html, "<title>runs/a&lt;b&gt;&amp;c</title>") == 1u);
    // Three script elements (data, shared script, page script), each closed once.
    BOOST_TEST(count(html, "<script") == 3u);
    BOOST_TEST(count(html, "</script>") == 3u);
    BOOST_TEST(count(html, R"({"path":"x\u003c/script>\u003cscript>alert(1)\u003c/script>"})") == 1u);
    BOOST_TEST(count(html, "http-equiv=\"refresh\"") == 0u);
  }
  HtmlPage running{PageKind::training_report, "run", nlohmann::ordered_json::object(), 30};
  BOOST_TEST(count(kasf::reporting::render_html_page(running), "<meta http-equiv=\"refresh\" content=\"30\">") == 1u);
}

BOOST_AUTO_TEST_CASE(a_page_that_cannot_be_written_names_the_path_and_leaves_nothing) {
  kasf::test::ScratchDir dir;
  const std::string path = dir.file("missing-folder/page.html");
  BOOST_CHECK_EXCEPTION(kasf::reporting::write_html_page(path, {PageKind::pose_viewer, "t", {}, 0}), std::exception,
                        [&](const std::exception& e) { return std::string(e.what()).find("missing-folder") != std::string::npos; });
  BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_SUITE_END()
