package org.tasklane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tasklane.client.codec.CallFrame;
import org.tasklane.client.codec.ValueCodec;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * A graph of typed tasks, built in plain Java and run with {@link Tasklane#run}:
 *
 * <pre>{@code
 * Graph g = Graph.named("word-count");
 * List<Ref<Map<String, Long>>> counts = files.stream().map(f -> g.call(WordCount::count, f)).toList();
 * Ref<Map<String, Long>> total = g.call(WordCount::merge, counts);
 * Map<String, Long> result = tl.run(g, total).get(5, MINUTES);
 * }</pre>
 *
 * Each {@code call} encodes its arguments at once (so a value that cannot be encoded fails there,
 * naming its type) and returns the task's {@link Ref}. A task is grouped on the dashboard by its
 * function's name ({@code WordCount.count}). Not thread-safe; a graph is submitted once.
 */
public final class Graph {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final ValueCodec codec = ValueCodec.standard();
  private final List<TaskEntry> tasks = new ArrayList<>();
  private final Map<String, TaskEntry> byKey = new LinkedHashMap<>();
  /** The classes whose jars the workers need: functions, receivers, and the values' own classes. */
  private final Set<Class<?>> classes = new LinkedHashSet<>();
  /** Functions resolved already, by their lambda class (those that capture nothing). */
  private final Map<Class<?>, ResolvedFunction> resolved = new java.util.HashMap<>();
  private boolean submitted;

  private Graph(String name) {
    this.name = name;
  }

  /** A new, empty graph; {@code name} is shown on the dashboard. */
  public static Graph named(String name) {
    return new Graph(Objects.requireNonNull(name, "name"));
  }

  /** The graph's name. */
  public String name() {
    return name;
  }

  /** How many tasks it has. */
  public int size() {
    return tasks.size();
  }

  /**
   * Adds a task that calls {@code fn}. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <R> Ref<R> call(Fn0<R> fn) {
    return add(fn, 0, new Object[] {});
  }
  /**
   * Adds a task that calls {@code fn} with these arguments. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <A, R> Ref<R> call(Fn1<A, R> fn, Object a) {
    return add(fn, 1, new Object[] {a});
  }
  /**
   * Adds a task that calls {@code fn} with these arguments. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <A, B, R> Ref<R> call(Fn2<A, B, R> fn, Object a, Object b) {
    return add(fn, 2, new Object[] {a, b});
  }
  /**
   * Adds a task that calls {@code fn} with these arguments. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <A, B, C, R> Ref<R> call(Fn3<A, B, C, R> fn, Object a, Object b, Object c) {
    return add(fn, 3, new Object[] {a, b, c});
  }
  /**
   * Adds a task that calls {@code fn} with these arguments. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <A, B, C, D, R> Ref<R> call(Fn4<A, B, C, D, R> fn, Object a, Object b, Object c, Object d) {
    return add(fn, 4, new Object[] {a, b, c, d});
  }
  /**
   * Adds a task that calls {@code fn} with these arguments. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <A, B, C, D, E, R> Ref<R> call(Fn5<A, B, C, D, E, R> fn, Object a, Object b, Object c, Object d, Object e) {
    return add(fn, 5, new Object[] {a, b, c, d, e});
  }
  /**
   * Adds a task that calls {@code fn} with these arguments. An argument is a value (encoded
   * with {@link org.tasklane.client.codec.ValueCodec}), a {@link Ref} of this graph (its result), or a
   * list, set, array or map holding refs (each replaced by its result).
   */
  public <A, B, C, D, E, F, R> Ref<R> call(Fn6<A, B, C, D, E, F, R> fn, Object a, Object b, Object c, Object d, Object e, Object f) {
    return add(fn, 6, new Object[] {a, b, c, d, e, f});
  }

  /** One task as it is built. */
  static final class TaskEntry {
    String key;
    final String group;
    final String fn;
    final JsonNode frame;
    /** The tasks whose results this one reads, in the order of {@code args[1..]}. */
    final List<TaskEntry> inputs;
    final Type resultType;
    int retries;
    Duration timeout;

    TaskEntry(String key, String group, String fn, JsonNode frame, List<TaskEntry> inputs, Type resultType) {
      this.key = key;
      this.group = group;
      this.fn = fn;
      this.frame = frame;
      this.inputs = inputs;
      this.resultType = resultType;
    }
  }

  private <R> Ref<R> add(Object fn, int arity, Object[] args) {
    checkOpen();
    ResolvedFunction f = resolved.get(fn.getClass());
    if (f == null) {
      f = ResolvedFunction.of(fn, arity);
      if (f.captured().isEmpty() && !f.receiverBound() && (fn.getClass().isSynthetic() || fn.getClass().isHidden())) {
        resolved.put(fn.getClass(), f); // a lambda class that captures nothing always stands for the same call
      }
    }
    classes.add(f.declaringClass());
    Map<TaskEntry, Integer> inputIndex = new IdentityHashMap<>();
    List<TaskEntry> inputs = new ArrayList<>();
    CallFrame.Builder frame = new CallFrame.Builder();
    List<Object> explicit = new ArrayList<>(f.captured());
    explicit.addAll(java.util.Arrays.asList(args));
    if (f.isInstance()) {
      if (f.receiverBound()) {
        classes.add(f.receiverClass());
        frame.target(CallFrame.literal(encodeTarget(f.receiver(), f)), f.receiverClass().getName());
      } else {
        // an unbound method reference (Type::method): the first argument is the receiver
        if (explicit.isEmpty()) {
          throw new IllegalArgumentException(f.name().displayName() + " needs the object to call it on as its first argument");
        }
        frame.target(part(explicit.remove(0), inputs, inputIndex), null);
      }
    }
    for (int i = 0; i < explicit.size(); i++) {
      try {
        frame.param(part(explicit.get(i), inputs, inputIndex));
      } catch (org.tasklane.client.codec.ValueCodecException e) {
        throw new IllegalArgumentException("argument " + (i + 1) + " of " + f.name().displayName() + ": "
            + e.getMessage(), e);
      }
    }
    String group = f.name().displayName();
    String key = group + "-" + tasks.size();
    TaskEntry entry = new TaskEntry(key, group, f.name().fn(), frame.build(), List.copyOf(inputs), f.resultType());
    tasks.add(entry);
    byKey.put(key, entry);
    return new Ref<>(this, entry);
  }

  private JsonNode encodeTarget(Object receiver, ResolvedFunction f) {
    try {
      return codec.encodeTarget(receiver);
    } catch (org.tasklane.client.codec.ValueCodecException e) {
      throw new IllegalArgumentException("the function object of " + f.name().displayName() + ": " + e.getMessage(), e);
    }
  }

  /** The frame part for one argument: a reference, a collection or map holding references, or a literal. */
  private JsonNode part(Object value, List<TaskEntry> inputs, Map<TaskEntry, Integer> inputIndex) {
    if (value instanceof Ref<?> ref) {
      if (ref.graph() != this) {
        throw new IllegalArgumentException(ref + " belongs to graph '" + ref.graph().name()
            + "', not to '" + name + "': a task can only read results of its own graph");
      }
      TaskEntry t = byKey.get(ref.key());
      Integer index = inputIndex.get(t);
      if (index == null) {
        inputs.add(t);
        index = inputs.size(); // args[0] is the frame
        inputIndex.put(t, index);
      }
      return CallFrame.reference(index);
    }
    if (value instanceof Collection<?> c && holdsRefs(c)) {
      List<JsonNode> parts = new ArrayList<>(c.size());
      for (Object o : c) {
        parts.add(part(o, inputs, inputIndex));
      }
      return CallFrame.list(parts);
    }
    if (value instanceof Object[] array && holdsRefs(java.util.Arrays.asList(array))) {
      return part(java.util.Arrays.asList(array), inputs, inputIndex);
    }
    if (value instanceof Map<?, ?> m && holdsRefs(m.values())) {
      Map<String, JsonNode> parts = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        parts.put(String.valueOf(e.getKey()), part(e.getValue(), inputs, inputIndex));
      }
      return CallFrame.map(parts);
    }
    if (value != null) {
      classes.add(value.getClass());
    }
    return CallFrame.literal(codec.encode(value));
  }

  private static boolean holdsRefs(Collection<?> values) {
    for (Object o : values) {
      if (o instanceof Ref<?> || (o instanceof Collection<?> c && holdsRefs(c))
          || (o instanceof Object[] a && holdsRefs(java.util.Arrays.asList(a)))
          || (o instanceof Map<?, ?> m && holdsRefs(m.values()))) {
        return true;
      }
    }
    return false;
  }

  void checkOpen() {
    if (submitted) {
      throw new IllegalStateException("graph '" + name + "' was submitted already: build a new graph for more tasks");
    }
  }

  void rename(TaskEntry task, String key) {
    checkOpen();
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a key must be a non-empty string");
    }
    if (byKey.containsKey(key) && byKey.get(key) != task) {
      throw new IllegalArgumentException("graph '" + name + "' has a task with key '" + key + "' already");
    }
    byKey.remove(task.key);
    task.key = key;
    byKey.put(key, task);
  }

  /** The classes whose jars the workers need. */
  Set<Class<?>> classes() {
    return classes;
  }

  /** The graph as the scheduler's API takes it, wanting these refs' results. */
  GraphSpec toSpec(Collection<? extends Ref<?>> wanted, List<String> code) {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("graph '" + name + "' has no tasks");
    }
    List<TaskSpec> specs = new ArrayList<>(tasks.size());
    for (TaskEntry t : tasks) {
      List<JsonNode> args = new ArrayList<>(1 + t.inputs.size());
      args.add(t.frame);
      for (TaskEntry input : t.inputs) {
        args.add(NODES.objectNode().put("ref", input.key));
      }
      specs.add(new TaskSpec(t.key, t.fn, args, t.group, t.retries == 0 ? null : t.retries,
          t.timeout == null ? null : t.timeout.toNanos() / 1e9));
    }
    List<String> want = new ArrayList<>();
    for (Ref<?> r : wanted) {
      if (r.graph() != this) {
        throw new IllegalArgumentException(r + " belongs to graph '" + r.graph().name() + "', not to '" + name + "'");
      }
      want.add(r.key());
    }
    return new GraphSpec(name, specs, want, code);
  }

  void markSubmitted() {
    submitted = true;
  }
}
