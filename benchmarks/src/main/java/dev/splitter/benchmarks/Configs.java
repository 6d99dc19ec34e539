package dev.splitter.benchmarks;

/** Configuration files of a chosen size, shaped like real ones, for the benchmarks. */
final class Configs {
  private Configs() {}

  /**
   * A file of {@code resources} resources: every fourth a Traffic Splitter over the three Realtime
   * APIs before it (two weighted, one shadow), the rest Realtime APIs with a predictor block.
   */
  static String ofSize(int resources) {
    StringBuilder yaml = new StringBuilder(resources * 160);
    for (int i = 0; i < resources; i++) {
      if (i % 4 == 3) {
        yaml.append("- name: splitter-")
            .append(i)
            .append("\n  kind: TrafficSplitter\n  networking:\n    endpoint: /split-")
            .append(i)
            .append("\n  apis:\n")
            .append("    - name: api-")
            .append(i - 3)
            .append("\n      weight: 80\n")
            .append("    - name: api-")
            .append(i - 2)
            .append("\n      weight: 20\n")
            .append("    - name: api-")
            .append(i - 1)
            .append("\n      weight: 10\n      shadow: true\n");
      } else {
        yaml.append("- name: api-")
            .append(i)
            .append("\n  kind: RealtimeAPI\n  predictor:\n    type: python\n")
            .append("    path: predictor.py\n  compute:\n    cpu: 1\n");
      }
    }
    return yaml.toString();
  }
}
