// Prints confseq's two-sided normal-mixture bound for the cases AlwaysValidTest checks.
#include <cstdio>
#include "uniform_boundaries.h"
int main() {
  const double cases[][3] = {{100, 1000, 0.05}, {1000, 1000, 0.05}, {10000, 1000, 0.05},
                             {50, 500, 0.0125}, {5000, 500, 0.0125}, {20000, 20000, 0.01},
                             {3, 1000, 0.05}, {1e6, 1000, 0.05}};
  for (const auto& c : cases) {
    std::printf("%.0f %.0f %g %.12g\n", c[0], c[1], c[2],
                confseq::normal_mixture_bound(c[0], c[2], c[1], c[2], false));
  }
}
