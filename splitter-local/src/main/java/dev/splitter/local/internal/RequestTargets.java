package dev.splitter.local.internal;

import org.jspecify.annotations.Nullable;

/** The parts of a request target (RFC 9112, section 3.2) the gateway routes on. */
final class RequestTargets {
  private RequestTargets() {}

  /** The path of an origin-form or absolute-form request target, without its query. */
  static String path(String uri) {
    int from = 0;
    if (!uri.startsWith("/")) {
      int scheme = uri.indexOf("://");
      if (scheme > 0) {
        int slash = uri.indexOf('/', scheme + 3);
        if (slash < 0) {
          return "/";
        }
        from = slash;
      }
    }
    int end = uri.length();
    int question = uri.indexOf('?', from);
    if (question >= 0) {
      end = question;
    }
    int hash = uri.indexOf('#', from);
    if (hash >= 0 && hash < end) {
      end = hash;
    }
    return uri.substring(from, end);
  }

  /** The query of a request target, without its {@code ?}; null when it has none. */
  static @Nullable String query(String uri) {
    int question = uri.indexOf('?');
    if (question < 0) {
      return null;
    }
    int hash = uri.indexOf('#', question);
    return hash < 0 ? uri.substring(question + 1) : uri.substring(question + 1, hash);
  }
}
