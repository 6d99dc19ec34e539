package dev.splitter.local.internal;

import java.util.Locale;

/** Why the gateway ended a request without the target's whole answer. */
enum GatewayError {
  /** Connecting to the target failed: refused, unreachable (502). */
  REFUSED,
  /** The target closed the connection before its answer began, or sent one unreadable (502). */
  RESET,
  /** The target stayed silent past the upstream timeout (504). */
  TIMEOUT,
  /** The target's answer began and stopped short: the caller's connection was cut (502, 504). */
  CUT_SHORT,
  /** Every pooled connection to the target stayed busy (503). */
  BUSY,
  /** The caller went away before the answer was whole (499). */
  CLIENT_CLOSED,
  /** The caller's request was refused while its body was read: malformed, too large (400, 413). */
  REJECTED;

  /** The label value: {@code cut_short}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
