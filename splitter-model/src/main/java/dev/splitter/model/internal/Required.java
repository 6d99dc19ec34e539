package dev.splitter.model.internal;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The one rule every builder follows: a null given to a setter is a {@link NullPointerException}
 * there; a required value never set is an {@link IllegalStateException} from {@code build()}.
 */
@API(status = API.Status.INTERNAL)
public final class Required {
  private Required() {}

  /**
   * The value a builder needs.
   *
   * @param setter the builder method that sets it, named in the message
   * @throws IllegalStateException if it was never set
   */
  public static <T> T value(@Nullable T value, String setter) {
    if (value == null) {
      throw new IllegalStateException(setter + " is required: call " + setter + "(...) first");
    }
    return value;
  }
}
