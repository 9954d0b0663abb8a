package org.tasklane.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;

/**
 * A task's argument list kept as the compact JSON text it came in, not as a tree of nodes.
 *
 * <p>The scheduler holds every task of a graph until the graph is forgotten, but only passes the
 * arguments on to the worker that runs the task. As Jackson trees they cost about 600 bytes a task
 * (an {@code ObjectNode} and its {@code LinkedHashMap} per object); as text, about their length.
 * The worker that runs the task reads them back ({@link #iterator}).
 *
 * <p>It is a read-only {@code List<JsonNode>}: reading an element decodes the whole list, so read
 * it once ({@code for (JsonNode a : args)}) where it matters. What the scheduler needs without
 * decoding is kept beside the text: the size, the top-level references ({@code {"ref": KEY}}) in
 * order, and the first string that is not Unicode (an unpaired surrogate), which validation rejects.
 */
@JsonSerialize(using = TaskArgs.Writer.class)
@JsonDeserialize(using = TaskArgs.Reader.class)
public final class TaskArgs extends AbstractList<JsonNode> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper TREES = new ObjectMapper(JSON);
  private static final String[] NO_REFS = new String[0];
  /** An empty argument list. */
  public static final TaskArgs EMPTY = new TaskArgs("[]".getBytes(StandardCharsets.UTF_8), 0, NO_REFS, null);

  private final byte[] json;
  /** Counted when read, or on first use for text from another node ({@link #ofJson}); valid once refs is set. */
  private int size;
  /**
   * Found when read, or on first use for text from another node; null till then. Volatile and
   * written after {@link #size}, so that a thread that sees it set sees both.
   */
  private volatile String[] refs;
  private final String notUnicode;

  private TaskArgs(byte[] json, int size, String[] refs, String notUnicode) {
    this.json = json;
    this.size = size;
    this.refs = refs;
    this.notUnicode = notUnicode;
  }

  /** These values as task arguments; a Java null is a JSON null. */
  public static TaskArgs of(List<? extends JsonNode> values) {
    if (values instanceof TaskArgs t) {
      return t;
    }
    if (values.isEmpty()) {
      return EMPTY;
    }
    ArrayNode array = JsonNodeFactory.instance.arrayNode(values.size());
    for (JsonNode v : values) {
      array.add(v == null ? JsonNodeFactory.instance.nullNode() : v);
    }
    try (JsonParser p = TREES.treeAsTokens(array)) {
      p.nextToken();
      return read(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a tree always reads
    }
  }

  /**
   * Reads the argument array at the parser's current token ({@code START_ARRAY}) up to its end,
   * without building a tree. Throws Jackson's exceptions on malformed input.
   */
  public static TaskArgs read(JsonParser p) throws IOException {
    try (Copier copier = new Copier()) {
      return copier.read(p);
    }
  }

  /**
   * Reads many argument lists one after the other (a graph's tasks) through one generator and one
   * buffer, so that each list costs only its own bytes. Not thread-safe; close it after the last.
   */
  public static final class Copier implements AutoCloseable {
    private final ByteArrayBuilder out = new ByteArrayBuilder(256);
    private JsonGenerator g;

    public Copier() throws IOException {
      g = newGenerator();
    }

    private JsonGenerator newGenerator() throws IOException {
      JsonGenerator made = JSON.createGenerator(out);
      made.setRootValueSeparator(null); // one list after another, nothing between them
      return made;
    }

    /** As {@link TaskArgs#read(JsonParser)}. */
    public TaskArgs read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException("not at the start of an array: " + p.currentToken());
      }
      out.reset();
      Copy copy = new Copy(g);
      try {
        copy.array(p);
        g.flush();
      } catch (IOException | RuntimeException e) {
        g = newGenerator(); // the old one stopped inside a list
        throw e;
      }
      if (copy.size == 0 && copy.notUnicode == null) {
        return EMPTY;
      }
      return new TaskArgs(out.toByteArray(), copy.size, copy.refs == null ? NO_REFS : copy.refs.toArray(NO_REFS),
          copy.notUnicode);
    }

    @Override
    public void close() throws IOException {
      g.close();
      out.release();
    }
  }

  /**
   * Arguments that another node read and wrote with {@link #json()}: kept as they are (so the text
   * is not read twice); the size and references are counted on first use.
   */
  public static TaskArgs ofJson(byte[] json) {
    return new TaskArgs(json, 0, null, null);
  }

  /** Counts the elements and finds the references of text taken as it is ({@link #ofJson}). */
  private void scan() {
    try (JsonParser p = JSON.createParser(json);
        JsonGenerator g = JSON.createGenerator(java.io.OutputStream.nullOutputStream())) {
      p.nextToken();
      Copy copy = new Copy(g);
      copy.array(p);
      size = copy.size;
      refs = copy.refs == null ? NO_REFS : copy.refs.toArray(NO_REFS);
    } catch (IOException e) {
      throw new IllegalArgumentException("task arguments are not a JSON array: " + e.getMessage(), e);
    }
  }

  /** The arguments as compact JSON text (UTF-8): an array. Do not change the array. */
  public byte[] json() {
    return json;
  }

  @Override
  public int size() {
    if (refs == null) {
      scan();
    }
    return size;
  }

  /** The keys of the top-level {@code {"ref": KEY}} arguments, in argument order (repeats kept). */
  public List<String> refs() {
    if (refs == null) {
      scan();
    }
    return List.of(refs);
  }

  /** The first string (value or field name) that is not Unicode, or null; it was stored with U+FFFD in its place. */
  public String notUnicode() {
    return notUnicode;
  }

  /** The arguments decoded into new nodes. */
  public List<JsonNode> decode() {
    if (json.length == 2) { // []
      return List.of();
    }
    try {
      JsonNode array = TREES.readTree(json);
      JsonNode[] nodes = new JsonNode[array.size()];
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = array.get(i);
      }
      return List.of(nodes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // written by this class
    }
  }

  @Override
  public JsonNode get(int index) {
    return decode().get(index);
  }

  @Override
  public Iterator<JsonNode> iterator() {
    return decode().iterator();
  }

  @Override
  public ListIterator<JsonNode> listIterator() {
    return decode().listIterator();
  }

  @Override
  public ListIterator<JsonNode> listIterator(int index) {
    return decode().listIterator(index);
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /**
   * Copies one JSON value token by token into a generator, noting the top-level references, the
   * argument count and the first text that is not Unicode. Iterative: a deeply nested argument
   * cannot overflow the stack.
   */
  private static final class Copy {
    private final JsonGenerator g;
    int size;
    java.util.ArrayList<String> refs;
    String notUnicode;

    Copy(JsonGenerator g) {
      this.g = g;
    }

    void array(JsonParser p) throws IOException {
      g.writeStartArray();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new com.fasterxml.jackson.core.JsonParseException(p, "the input ends inside the argument array");
        }
        size++;
        if (t == JsonToken.START_OBJECT) {
          topLevelObject(p);
        } else {
          value(p, t);
        }
      }
      g.writeEndArray();
    }

    /** A top-level object: a reference if it is exactly {@code {"ref": "KEY"}}. */
    private void topLevelObject(JsonParser p) throws IOException {
      g.writeStartObject();
      JsonToken t = p.nextToken();
      if (t == JsonToken.FIELD_NAME && "ref".equals(p.currentName())) {
        g.writeFieldName("ref");
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_STRING) {
          String key = text(p.getText());
          g.writeString(key);
          t = p.nextToken();
          if (t == JsonToken.END_OBJECT) {
            if (refs == null) {
              refs = new java.util.ArrayList<>(2);
            }
            refs.add(key);
            g.writeEndObject();
            return;
          }
        } else {
          value(p, v);
          t = p.nextToken();
        }
      }
      rest(p, t, 1); // an ordinary object
    }

    /** A value that starts at token t: a scalar, or a container copied to its end. */
    private void value(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        rest(p, t, 0);
      } else {
        token(p, t);
      }
    }

    /** Copies tokens from t on until the containers open before t ({@code depth}) and after it are closed. */
    private void rest(JsonParser p, JsonToken t, int depth) throws IOException {
      for (; ; t = p.nextToken()) {
        if (t == null) {
          throw new com.fasterxml.jackson.core.JsonParseException(p, "the input ends inside an argument");
        }
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        }
        token(p, t);
        if (depth == 0) {
          return;
        }
      }
    }

    private void token(JsonParser p, JsonToken t) throws IOException {
      switch (t) {
        case START_OBJECT -> g.writeStartObject();
        case END_OBJECT -> g.writeEndObject();
        case START_ARRAY -> g.writeStartArray();
        case END_ARRAY -> g.writeEndArray();
        case FIELD_NAME -> g.writeFieldName(text(p.currentName()));
        case VALUE_STRING -> g.writeString(text(p.getText()));
        case VALUE_NULL -> g.writeNull();
        case VALUE_TRUE -> g.writeBoolean(true);
        case VALUE_FALSE -> g.writeBoolean(false);
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.copyCurrentEvent(p);
        case VALUE_EMBEDDED_OBJECT -> embedded(p);
        default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t + " in an argument");
      }
    }

    /** From a tree ({@link #of}): a node that is not JSON (binary, POJO) is written as its JSON form. */
    private void embedded(JsonParser p) throws IOException {
      Object o = p.getEmbeddedObject();
      if (o instanceof byte[] bytes) {
        g.writeBinary(bytes);
      } else {
        TREES.writeValue(g, o);
      }
    }

    /** The text as given, or, if it is not Unicode, with U+FFFD for each unpaired surrogate (noted). */
    private String text(String s) {
      if (TaskKeys.unpairedSurrogate(s) < 0) {
        return s;
      }
      if (notUnicode == null) {
        notUnicode = s;
      }
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          b.append(c).append(s.charAt(++i));
        } else {
          b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
        }
      }
      return b.toString();
    }
  }

  /**
   * Writes the arguments where bytes can go as they are (CBOR between nodes) as a byte string of
   * the text, which {@link Reader} takes back as it is; into JSON as the array they are (raw text).
   */
  public static final class Writer extends StdSerializer<TaskArgs> {
    private static final long serialVersionUID = 1L;

    public Writer() {
      super(TaskArgs.class);
    }

    @Override
    public void serialize(TaskArgs args, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (gen.canWriteBinaryNatively()) {
        gen.writeBinary(args.json);
        return;
      }
      gen.writeRawValue(new String(args.json, StandardCharsets.UTF_8));
    }
  }

  /** Reads what {@link Writer} wrote, or any JSON array of arguments, without building a tree. */
  public static final class Reader extends StdDeserializer<TaskArgs> {
    private static final long serialVersionUID = 1L;

    public Reader() {
      super(TaskArgs.class);
    }

    @Override
    public TaskArgs deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return switch (p.currentToken()) {
        case START_ARRAY -> read(p);
        case VALUE_EMBEDDED_OBJECT -> ofJson(p.getBinaryValue());
        default -> (TaskArgs) ctxt.handleUnexpectedToken(TaskArgs.class, p);
      };
    }
  }
}
