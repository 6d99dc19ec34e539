package dev.splitter.spi;

import org.apiguardian.api.API;

/** The state of a Realtime API, as {@code get} shows it. */
@API(status = API.Status.STABLE)
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
