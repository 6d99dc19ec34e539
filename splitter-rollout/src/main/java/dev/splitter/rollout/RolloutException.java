package dev.splitter.rollout;

import dev.splitter.SplitterException;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A rollout that cannot start or go on: its steps do not fit the splitter, another is in progress,
 * none is in progress to resume or abort, or a step failed and so did the rollback (the state is
 * kept for {@code abort}).
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RolloutException extends SplitterException {
  private static final long serialVersionUID = 1L;

  public RolloutException(String message) {
    super(message);
  }

  public RolloutException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
