package example;

/** The Cortex reference page's file, as a user has it. */
final class Files {
  static final String CORTEX_YAML =
      String.join(
          "\n",
          "- name: my-api",
          "  kind: RealtimeAPI",
          "  predictor: {type: python, path: predictor.py}",
          "- name: another-my-api",
          "  kind: RealtimeAPI",
          "- name: traffic-splitter",
          "  kind: TrafficSplitter",
          "  networking: {endpoint: /traffic-splitter, api_gateway: none}",
          "  apis:",
          "    - {name: my-api, weight: 20}",
          "    - {name: another-my-api, weight: 80}",
          "");

  /** The same splitter without its RealtimeAPIs: they run already. */
  static final String SPLITTER_ONLY = CORTEX_YAML.substring(CORTEX_YAML.indexOf("- name: traffic-splitter"));
}
