package dev.splitter.core;

import dev.splitter.spi.ApiState;
import dev.splitter.spi.Change;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The words the Cortex CLI used for splitter's values, in one place: what tables, deploy output and
 * {@code -o json} print.
 */
@API(status = API.Status.STABLE)
public final class Display {
  private Display() {}

  /** A state as {@code get} prints it: {@code live}, {@code not deployed}. */
  public static String state(ApiState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * The Cortex line for what a deploy did to a resource: {@code created traffic-splitter
   * (TrafficSplitter)}, {@code traffic-splitter (TrafficSplitter) is up to date}.
   */
  public static String outcome(Change change, String name, String kind) {
    String resource = name + " (" + kind + ")";
    return switch (change) {
      case CREATED -> "created " + resource;
      case UPDATED -> "updated " + resource;
      case UNCHANGED -> resource + " is up to date";
    };
  }

  /**
   * The line for what a deploy would do: {@code would create traffic-splitter (TrafficSplitter)},
   * {@code would update …}, {@code traffic-splitter (TrafficSplitter) is up to date}.
   */
  public static String planned(Change change, String name, String kind) {
    return change == Change.UNCHANGED
        ? outcome(change, name, kind)
        : "would " + verb(change) + " " + name + " (" + kind + ")";
  }

  /**
   * A share as a percentage's number, exactly as given and without a sign: {@code 0.95} is {@code
   * 95}, {@code 0.999} is {@code 99.9}. For confidences and percentile ranks ({@code p95}).
   */
  public static String percentOf(double share) {
    return java.math.BigDecimal.valueOf(share)
        .movePointRight(2)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** The share a percentage's number stands for: {@code 99.9} is {@code 0.999}, exactly. */
  public static double shareOf(String percent) {
    return new java.math.BigDecimal(percent).movePointLeft(2).doubleValue();
  }

  private static String verb(Change change) {
    return change == Change.CREATED ? "create" : "update";
  }
}
