package dev.splitter.core.internal;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** Renders tables the way the Cortex CLI did: left-aligned columns three spaces apart, no rules. */
@API(status = API.Status.INTERNAL)
public final class Tables {
  private static final Character[] COLUMN_GAPS_ONLY = columnGapsOnly();

  private Tables() {}

  /** The table of {@code rows} under {@code headers}, ending in a newline. */
  public static String render(List<String> headers, List<List<String>> rows) {
    Column[] columns =
        headers.stream()
            .map(
                header ->
                    new Column()
                        .header(header)
                        .headerAlign(HorizontalAlign.LEFT)
                        .dataAlign(HorizontalAlign.LEFT))
            .toArray(Column[]::new);
    Object[][] data = rows.stream().map(List::toArray).toArray(Object[][]::new);
    String table = AsciiTable.builder().border(COLUMN_GAPS_ONLY).data(columns, data).asString();
    // Each cell is padded by one space on both sides; drop the outermost padding.
    return table
        .lines()
        .map(line -> line.substring(1).stripTrailing())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** A duration as a cell shows it: {@code 12.3 ms}. */
  public static String millis(Duration duration) {
    return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
  }

  private static Character[] columnGapsOnly() {
    Character[] border = new Character[AsciiTable.NO_BORDERS.length];
    Arrays.fill(border, null);
    // The column separators of the header, data and footer rows: with the padding, three spaces.
    border[5] = ' ';
    border[12] = ' ';
    border[23] = ' ';
    return border;
  }
}
