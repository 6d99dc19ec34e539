package dev.splitter.spi;

/** The state of a Realtime API, as {@code get} shows it. */
public enum ApiState {
  /** Serving: its health checks pass. */
  LIVE("live"),
  /** Starting or changing: not yet known to serve. */
  UPDATING("updating"),
  /** Deployed but failing its health checks. */
  ERROR("error"),
  /** No such API. */
  NOT_DEPLOYED("not deployed");

  private final String label;

  ApiState(String label) {
    this.label = label;
  }

  /** How tables print it: {@code live}, {@code not deployed}. */
  public String label() {
    return label;
  }
}
