package dev.splitter.spi;

import org.apiguardian.api.API;

/** What a deploy does to one resource. */
@API(status = API.Status.STABLE)
public enum Change {
  /** It did not exist and was created. */
  CREATED,
  /** It existed and was changed. */
  UPDATED,
  /** It existed as asked; nothing was written. */
  UNCHANGED
}
