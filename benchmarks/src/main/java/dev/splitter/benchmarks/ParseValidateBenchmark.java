package dev.splitter.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.splitter.model.SplitterConfig;
import dev.splitter.validation.SplitterValidator;
import dev.splitter.validation.ValidationReport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse and validate throughput by file size. Resources per second = ops/s × resources.
 *
 * <p>Peers in the same run: {@link #jacksonReadTree}, plain Jackson YAML reading the same text into
 * a tree (the floor for any Jackson-based reader), and {@link #parse}, our reading without
 * validation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseValidateBenchmark {
  @Param({"1", "100", "10000"})
  int resources;

  private static final YAMLMapper JACKSON = new YAMLMapper();

  private String yaml;
  private SplitterValidator validator;

  @Setup
  public void setUp() {
    yaml = Configs.ofSize(resources);
    validator = SplitterValidator.create();
    if (!validator.validate(SplitterConfig.parse(yaml, "bench.yaml")).valid()) {
      throw new IllegalStateException("the benchmark file must be valid");
    }
  }

  @Benchmark
  public JsonNode jacksonReadTree() throws JsonProcessingException {
    return JACKSON.readTree(yaml);
  }

  @Benchmark
  public SplitterConfig parse() {
    return SplitterConfig.parse(yaml, "bench.yaml");
  }

  @Benchmark
  public ValidationReport parseAndValidate() {
    return validator.validate(SplitterConfig.parse(yaml, "bench.yaml"));
  }
}
