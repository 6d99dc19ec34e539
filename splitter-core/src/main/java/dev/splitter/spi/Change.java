package dev.splitter.spi;

/** What a deploy does to one resource. */
public enum Change {
  /** It did not exist and was created. */
  CREATED,
  /** It existed and was changed. */
  UPDATED,
  /** It existed as asked; nothing was written. */
  UNCHANGED
}
