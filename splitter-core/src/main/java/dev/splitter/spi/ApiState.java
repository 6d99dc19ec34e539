package dev.splitter.spi;

/** The state of a Realtime API, as {@code get} shows it. */
public enum ApiState {
  /** Serving: its health checks pass. */
  LIVE,
  /** Starting or changing: not yet known to serve. */
  UPDATING,
  /** Deployed but failing its health checks. */
  ERROR,
  /** No such API. */
  NOT_DEPLOYED
}
