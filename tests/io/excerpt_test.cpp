// Quoting untrusted text in messages: printable ASCII stays, every other byte is escaped, long text is
// cut with its length.
#define BOOST_TEST_MODULE excerpt
#include <boost/test/unit_test.hpp>

#include "framework/io/excerpt.h"

using kasf::io::excerpt;

BOOST_AUTO_TEST_CASE(printable_ascii_is_kept) { BOOST_TEST(excerpt("torch.nn Linear_1 ~") == "torch.nn Linear_1 ~"); }

BOOST_AUTO_TEST_CASE(other_bytes_are_escaped) {
  BOOST_TEST(excerpt(std::string("a\x1b[2Jb\xff\xfe\n\0z", 11)) == "a\\x1b[2Jb\\xff\\xfe\\x0a\\x00z");
  BOOST_TEST(excerpt("back\\slash") == "back\\x5cslash");  // an escape in the input cannot pose as ours
  BOOST_TEST(excerpt("h\xc3\xa9") == "h\\xc3\\xa9");
}

BOOST_AUTO_TEST_CASE(long_text_is_cut_with_its_length) {
  const std::string number(10 << 20, '7');
  const std::string quoted = excerpt(number, 16);
  BOOST_TEST(quoted == "7777777777777777... (10485760 bytes)");
  BOOST_TEST(excerpt("exactly", 7) == "exactly");
  BOOST_TEST(excerpt("\x01\x02", 1) == "\\x01... (2 bytes)");
}
