package dev.splitter.cli.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.splitter.rollout.Gate;
import java.io.IOException;
import org.apiguardian.api.API;

/** The JSON and YAML the command prints and its admin endpoint speaks: times as ISO-8601. */
@API(status = API.Status.INTERNAL)
public final class Json {
  public static final ObjectMapper JSON = configure(new ObjectMapper());
  public static final ObjectMapper YAML =
      configure(
          new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build()));

  private Json() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new JavaTimeModule())
        .registerModule(gates())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  }

  /** A rollout's gate as {@code {"kind": "max-error-rate", "threshold": 0.01}}. */
  private static SimpleModule gates() {
    return new SimpleModule("gates")
        .addSerializer(
            Gate.class,
            new StdSerializer<>(Gate.class) {
              @Override
              public void serialize(Gate gate, JsonGenerator json, SerializerProvider provider)
                  throws IOException {
                json.writeStartObject();
                json.writeStringField("kind", gate.kind().label());
                json.writeNumberField("threshold", gate.threshold());
                if (gate.kind() == Gate.Kind.LATENCY_VS_BASELINE) {
                  json.writeNumberField("quantile", gate.quantile());
                }
                json.writeEndObject();
              }
            })
        .addDeserializer(
            Gate.class,
            new StdDeserializer<>(Gate.class) {
              @Override
              public Gate deserialize(JsonParser parser, DeserializationContext context)
                  throws IOException {
                JsonNode node = parser.readValueAsTree();
                String label = node.path("kind").asText();
                for (Gate.Kind kind : Gate.Kind.values()) {
                  if (kind.label().equals(label)) {
                    return Gate.of(
                        kind,
                        node.path("threshold").asDouble(),
                        node.path("quantile").asDouble(Double.NaN));
                  }
                }
                throw context.weirdStringException(label, Gate.Kind.class, "not a gate");
              }
            });
  }
}
