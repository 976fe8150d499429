// The two graphs of the GCN: the normalised skeleton and the top-K similarity graph with ties.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/ops.h"
#include "layers/graph_conv.h"
#include "layers/skeleton.h"

using namespace kasf;

BOOST_AUTO_TEST_SUITE(graph_conv)

BOOST_AUTO_TEST_CASE(skeleton_graph_is_the_symmetric_h36m_tree) {
  std::vector<float> a = skeleton::adjacency().to_vector();
  const std::vector<float> degrees = {3, 2, 2, 1, 2, 2, 1, 2, 4, 2, 1, 2, 2, 1, 2, 2, 1};  // spec 2.9
  for (int i = 0; i < 17; ++i) {
    float degree = 0.0f;
    for (int j = 0; j < 17; ++j) {
      degree += a[i * 17 + j];
      BOOST_TEST(a[i * 17 + j] == a[j * 17 + i]);
    }
    BOOST_TEST(degree == degrees[i], "joint " << i);
    BOOST_TEST(a[i * 17 + i] == 0.0f);
  }
  BOOST_TEST(a[8 * 17 + 11] == 1.0f);  // thorax - left shoulder (missing in MotionAGFormer's table)
  std::vector<float> normalized = normalize_graph(skeleton::adjacency()).to_vector();
  BOOST_TEST(normalized[0 * 17 + 1] == 1.0 / std::sqrt(3.0 * 2.0), boost::test_tools::tolerance(1e-6));
  BOOST_TEST(normalized[8 * 17 + 9] == 1.0 / std::sqrt(4.0 * 2.0), boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(similarity_graph_keeps_the_k_largest_with_ties) {
  // Node features chosen so that row 0's dot products are (4, 2, 2, 1): with K = 2 the tie at the
  // second largest value keeps three neighbours.
  Tensor nodes = Tensor::from_vector({1, 4, 2}, {2, 0, 1, 0, 1, 0, 0.5f, 0});
  std::vector<float> graph = similarity_graph(nodes, 2).to_vector();
  const std::vector<float> row0 = {1, 1, 1, 0};
  for (int s = 0; s < 4; ++s) BOOST_TEST(graph[s] == row0[s]);
  // Row 3 dot products (1, 0.5, 0.5, 0.25): again a tie, three neighbours, the diagonal excluded.
  const std::vector<float> row3 = {1, 1, 1, 0};
  for (int s = 0; s < 4; ++s) BOOST_TEST(graph[12 + s] == row3[s]);
  // Rows with three ones normalise as 1 / sqrt(d_r d_c).
  std::vector<float> normalized = normalize_graph(Tensor::from_vector({1, 4, 4}, graph)).to_vector();
  BOOST_TEST(normalized[1] == 1.0 / std::sqrt(3.0 * 3.0), boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(similarity_graph_carries_no_gradient) {
  Tensor nodes = Tensor::from_vector({1, 3, 2}, {1, 2, 3, 4, 5, 6}).set_requires_grad(true);
  BOOST_TEST(!similarity_graph(nodes, 1).requires_grad());
}

BOOST_AUTO_TEST_CASE(checks_its_node_count) {
  Generator generator(2);
  BOOST_CHECK_THROW(GraphConv(GraphConvOptions{8, 16, 0, TokenAxis::Spatial}, generator), std::invalid_argument);
  BOOST_CHECK_THROW(GraphConv(GraphConvOptions{8, 5, 6, TokenAxis::Temporal}, generator), std::invalid_argument);
  GraphConv temporal(GraphConvOptions{8, 5, 2, TokenAxis::Temporal}, generator);
  BOOST_CHECK_THROW(temporal.forward(Tensor::zeros({1, 4, 17, 8}), Tensor()), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
