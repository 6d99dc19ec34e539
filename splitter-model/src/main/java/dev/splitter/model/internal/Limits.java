package dev.splitter.model.internal;

import org.apiguardian.api.API;

/** Bounds on what a configuration file may cost to read, so that a hostile file fails fast. */
@API(status = API.Status.INTERNAL)
public final class Limits {
  /** Largest file read, in characters (8 MiB); a 10,000-resource file is about 1.5 MiB. */
  public static final int MAX_DOCUMENT_CHARS = 8 * 1024 * 1024;

  /** Deepest nesting of mappings and lists. */
  public static final int MAX_DEPTH = 64;

  /** Most nodes that YAML aliases may add in one file (a "billion laughs" file adds 10^9). */
  public static final int MAX_ALIAS_NODES = 100_000;

  private Limits() {}
}
