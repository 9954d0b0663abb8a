package org.tasklane.client.codec;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Type;

/**
 * How typed values travel: a Java value (record, POJO, collection, {@code byte[]}, ...) is encoded
 * with Jackson into a JSON value (binary stays binary on the CBOR wire between nodes, and is base64
 * text over HTTP), and decoded on the other side into the type the receiving method declares,
 * generics included ({@code List<Map<String, Long>>}). The client and the workers use this one
 * class, so both sides agree.
 *
 * <p>Decoding resolves class names in the loader it was made for (a worker makes one per jar set).
 * Unknown properties are ignored, so a value survives a field added on one side. Thread-safe.
 */
public final class ValueCodec {
  private static final ValueCodec DEFAULT = forClassLoader(ValueCodec.class.getClassLoader());

  private final ObjectMapper mapper;
  private final ObjectMapper targetMapper;

  private ValueCodec(ObjectMapper mapper) {
    this.mapper = mapper;
    // a function object may have no state at all: it encodes as {} and decodes with its no-argument constructor
    this.targetMapper = mapper.copy().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }

  /** The codec of this library's own class loader (the client's). */
  public static ValueCodec standard() {
    return DEFAULT;
  }

  /** A codec that resolves the classes of decoded values in {@code loader}. */
  public static ValueCodec forClassLoader(ClassLoader loader) {
    ObjectMapper m = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
            // results may be up to 32 MiB, and binary ones are base64 text over HTTP
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build())
        // set first: the modules below register type modifiers (Optional) on this factory
        .typeFactory(TypeFactory.defaultInstance().withClassLoader(loader))
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
    return new ValueCodec(m);
  }

  /** The mapper behind this codec (for reading and writing JSON text with the same settings). */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * {@code value} as a JSON value; null gives JSON null.
   *
   * @throws ValueCodecException if Jackson cannot encode it (no properties, a cycle, a failing getter)
   */
  public JsonNode encode(Object value) {
    return encodeWith(mapper, value);
  }

  /**
   * A function object (the receiver of an instance method) as a JSON value: as {@link #encode}, but
   * an object with no properties encodes as {@code {}}.
   */
  public JsonNode encodeTarget(Object target) {
    return encodeWith(targetMapper, target);
  }

  private static JsonNode encodeWith(ObjectMapper m, Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    try {
      JsonNode node = m.valueToTree(value);
      return node == null ? NullNode.getInstance() : node;
    } catch (IllegalArgumentException | StackOverflowError e) {
      throw new ValueCodecException("cannot encode a value of type " + value.getClass().getName() + ": "
          + reason(e) + " (give it public fields, getters or a record's components, or send a simpler type)", e);
    }
  }

  /**
   * {@code value} decoded into {@code type} (a {@link Class} or a generic {@link Type} such as the
   * declared type of a method parameter).
   *
   * @throws ValueCodecException if the value does not fit the type
   */
  public Object decode(JsonNode value, Type type) {
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    if (value == null || value.isMissingNode()) {
      value = NullNode.getInstance();
    }
    if (value.isNull() && javaType.isPrimitive()) {
      throw new ValueCodecException("cannot decode null as " + javaType.toCanonical() + " (a primitive)", null);
    }
    try {
      return mapper.treeToValue(value, javaType);
    } catch (Exception e) {
      throw new ValueCodecException("cannot decode " + describe(value) + " as " + javaType.toCanonical() + ": "
          + reason(e), e);
    }
  }

  /** The decoded value, typed by the caller's class. */
  public <T> T decode(JsonNode value, Class<T> type) {
    @SuppressWarnings("unchecked")
    T t = (T) decode(value, (Type) type);
    return t;
  }

  private static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case BINARY -> "binary data";
      case NULL -> "null";
      default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Jackson's message, first line only, without its location suffix. */
  private static String reason(Throwable e) {
    Throwable t = e;
    if (t instanceof IllegalArgumentException && t.getCause() != null) {
      t = t.getCause(); // valueToTree wraps the real exception
    }
    String m = t instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
    if (m == null) {
      m = t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    m = nl >= 0 ? m.substring(0, nl) : m;
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
