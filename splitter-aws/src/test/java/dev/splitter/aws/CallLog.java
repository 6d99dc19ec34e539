package dev.splitter.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS operation a client makes, with its request, as the SDK sends it; optionally
 * acts before one goes out. Used to count calls and to check request shapes moto does not check.
 */
final class CallLog implements ExecutionInterceptor {
  private final List<String> operations = Collections.synchronizedList(new ArrayList<>());
  private final List<SdkRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile BiConsumer<String, Integer> before = (operation, count) -> {};

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    operations.add(operation);
    requests.add(context.request());
    int count = (int) operations.stream().filter(operation::equals).count();
    before.accept(operation, count);
  }

  /** Runs {@code action(operation, how many times it has been called)} before each call. */
  void before(BiConsumer<String, Integer> action) {
    this.before = action;
  }

  /** The operations since the last call, oldest first, and forgets them. */
  List<String> take() {
    synchronized (operations) {
      List<String> taken = List.copyOf(operations);
      operations.clear();
      requests.clear();
      return taken;
    }
  }

  /** The requests of one operation type, oldest first. */
  <T extends SdkRequest> List<T> requests(Class<T> type) {
    synchronized (requests) {
      return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** Whether an operation writes: everything but Describe*, Get* and List*. */
  static boolean writes(String operation) {
    return !(operation.startsWith("Describe")
        || operation.startsWith("Get")
        || operation.startsWith("List"));
  }
}
